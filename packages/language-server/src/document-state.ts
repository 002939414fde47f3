import { analyze, emptyModel, parse, type Analysis, type Model, type RubricFile } from '@rubric/core';
import { compileScorer, runFileTests, type CompiledFile, type TestRun } from './core-api.js';
import { scoreAccountSample, type AccountSample, type AccountSampleRun } from './sample-accounts.js';
import { previewNow, scoreSample, type Sample, type SampleRun } from './sample-leads.js';
import { LineIndex } from './text.js';
import type { SymbolDeclaration, SymbolReference } from '@rubric/core';

function emptyFile(uri: string, text: string): RubricFile {
  const start = { offset: 0, line: 1, column: 1 };
  return { kind: 'RubricFile', uri, text, statements: [], comments: [], range: { start, end: start } };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Everything the server knows about one version of one document. Each part is computed once,
 * on first use: the analysis (core's `analyze`), the compiled scorer, the in-file test run, and
 * the scored sample. Features are pure functions of this state.
 */
export class DocumentState {
  private cachedLines: LineIndex | undefined;
  private cachedAnalysis: Analysis | undefined;
  private cachedAnalysisError: string | undefined;
  private cachedScorer: { scorer: CompiledFile | undefined } | undefined;
  private cachedTests: TestRun | undefined;
  private cachedSymbols:
    | { byKey: Map<string, SymbolDeclaration>; references: Map<string, SymbolReference[]> }
    | undefined;
  private cachedSampleRun: { sample: Sample; nowSetting: string | null; run: SampleRun } | undefined;
  private cachedAccountSampleRun: { sample: AccountSample; nowSetting: string | null; run: AccountSampleRun } | undefined;

  /**
   * The latest analysed version before this one (only until this one is analysed): its model
   * serves completion meanwhile, and its tree lets the parser reuse unchanged statements.
   */
  private previousAnalysis: Analysis | undefined;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
    previous?: DocumentState,
  ) {
    // One step of history, never a chain: the previous state's own history is not kept.
    this.previousAnalysis = previous?.cachedAnalysis ?? previous?.previousAnalysis;
  }

  /**
   * The freshest model available without waiting: this version's when it is analysed, else the
   * previous version's. Completion uses it: it needs the declared names, not the line being typed,
   * and must not wait for a whole re-check of a large file on every keystroke.
   */
  get modelForCompletion(): Model {
    if (this.cachedAnalysis !== undefined) return this.cachedAnalysis.model;
    return this.previousAnalysis?.model ?? this.analysis.model;
  }

  get lines(): LineIndex {
    return (this.cachedLines ??= new LineIndex(this.text));
  }

  /** The analysis; never throws (a crash in the core leaves a best-effort empty analysis). */
  get analysis(): Analysis {
    if (this.cachedAnalysis === undefined) this.cachedAnalysis = this.computeAnalysis();
    return this.cachedAnalysis;
  }

  /** Set when the core threw while analysing this text (reported as a diagnostic). */
  get analysisError(): string | undefined {
    void this.analysis;
    return this.cachedAnalysisError;
  }

  private computeAnalysis(): Analysis {
    const previous = this.previousAnalysis;
    this.previousAnalysis = undefined;
    try {
      return analyze(this.text, this.uri, previous);
    } catch (error) {
      this.cachedAnalysisError = describeError(error);
    }
    // The checker failed: keep the tree if the parser alone succeeds (outline, folding still work).
    let ast: RubricFile;
    try {
      ast = parse(this.text, this.uri).ast;
    } catch {
      ast = emptyFile(this.uri, this.text);
    }
    return { ast, model: emptyModel(ast), diagnostics: [], symbols: { declarations: [], references: [] } };
  }

  /** Declarations by key and references by key. */
  get symbolIndex(): {
    byKey: ReadonlyMap<string, SymbolDeclaration>;
    references: ReadonlyMap<string, readonly SymbolReference[]>;
  } {
    if (this.cachedSymbols === undefined) {
      const byKey = new Map<string, SymbolDeclaration>();
      const references = new Map<string, SymbolReference[]>();
      for (const declaration of this.analysis.symbols.declarations) {
        if (!byKey.has(declaration.key)) byKey.set(declaration.key, declaration);
      }
      for (const reference of this.analysis.symbols.references) {
        const list = references.get(reference.key);
        if (list === undefined) references.set(reference.key, [reference]);
        else list.push(reference);
      }
      this.cachedSymbols = { byKey, references };
    }
    return this.cachedSymbols;
  }

  /** The compiled scorer, or undefined when the file has errors (or compiling failed). */
  scorer(): CompiledFile | undefined {
    if (this.cachedScorer === undefined) {
      let scorer: CompiledFile | undefined;
      try {
        scorer = compileScorer(this.analysis);
      } catch {
        scorer = undefined;
      }
      this.cachedScorer = { scorer };
    }
    return this.cachedScorer.scorer;
  }

  /** The file's own `test` blocks, run. */
  testRun(): TestRun {
    if (this.cachedTests === undefined) {
      try {
        this.cachedTests = runFileTests(this.text, this.uri, this.analysis);
      } catch (error) {
        this.cachedTests = { results: [], error: describeError(error) };
      }
    }
    return this.cachedTests;
  }

  /**
   * `sample` scored by this version's scorer (undefined when the file does not compile). Cached
   * while the same sample object and `now` setting are passed.
   */
  sampleRun(sample: Sample, nowSetting: string | null, clock: () => Date = () => new Date()): SampleRun | undefined {
    const cached = this.cachedSampleRun;
    if (cached !== undefined && cached.sample === sample && cached.nowSetting === nowSetting) return cached.run;
    const scorer = this.scorer();
    if (scorer === undefined) return undefined;
    const model = this.analysis.model;
    const run = scoreSample(
      scorer,
      model.rules.length,
      model.stages.map((stage) => stage.name),
      sample,
      previewNow(nowSetting, sample, clock()),
    );
    this.cachedSampleRun = { sample, nowSetting, run };
    return run;
  }

  /** The accounts sample scored by the account scorer (see {@link runAccountSample}). */
  accountSampleRun(sample: AccountSample, nowSetting: string | null, clock: () => Date = () => new Date()): AccountSampleRun | undefined {
    const cached = this.cachedAccountSampleRun;
    if (cached !== undefined && cached.sample === sample && cached.nowSetting === nowSetting) return cached.run;
    const run = runAccountSample(this, sample, nowSetting, clock());
    if (run !== undefined) this.cachedAccountSampleRun = { sample, nowSetting, run };
    return run;
  }
}

/**
 * Issue 17: `sample` (accounts with their contacts) scored by this version's account scorer
 * (undefined when the file does not compile or has no `account` block). Cached like
 * {@link DocumentState.sampleRun}.
 */
function runAccountSample(state: DocumentState, sample: AccountSample, nowSetting: string | null, clock: Date): AccountSampleRun | undefined {
  const accounts = state.scorer()?.accounts ?? null;
  const account = state.analysis.model.account;
  if (accounts === null || account === null) return undefined;
  const now = previewNow(nowSetting, { latestEventAt: sample.latestEventAt }, clock);
  const model = state.analysis.model;
  return scoreAccountSample(
    accounts,
    {
      accountRules: account.scoring.rules.length,
      accountStages: account.scoring.stages.map((stage) => stage.name),
      contactRules: model.rules.length,
      contactStages: model.stages.map((stage) => stage.name),
    },
    sample,
    now,
  );
}

/** The open documents' states, one per URI, replaced on every new version. */
export class DocumentStore {
  private readonly states = new Map<string, DocumentState>();

  /** Records a new version of a document and returns its (not yet analysed) state. */
  update(uri: string, version: number, text: string): DocumentState {
    const current = this.states.get(uri);
    if (current !== undefined && current.version === version && current.text === text) return current;
    const state = new DocumentState(uri, version, text, current);
    this.states.set(uri, state);
    return state;
  }

  get(uri: string): DocumentState | undefined {
    return this.states.get(uri);
  }

  delete(uri: string): void {
    this.states.delete(uri);
  }

  uris(): string[] {
    return [...this.states.keys()];
  }
}
