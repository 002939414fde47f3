/**
 * Every invariant the fuzzer checks on one input text, stage by stage, in-process. Returns the
 * failures found (never throws) and the time each stage took.
 *
 * On every text:
 * - `analyze` (parse and check), `format`, `compile` (of the checked model) and the in-file
 *   tests never throw (`compile(text)` and `runTests(text)` are `analyze` plus these);
 * - every diagnostic (and its related ranges and fix edits) has a range inside the text whose
 *   line and column agree with its offset, a code of {@link DIAGNOSTIC_CODES}, a message and a help;
 * - each call of a stage takes less than `stageLimitMs` (inputs under 100 KB);
 * - the language server's edit path (a document re-analysed after an edit, reusing the previous
 *   tree) gives exactly the analysis of the whole text, and its features that run on every edit
 *   (diagnostics, semantic tokens, document symbols, code lenses, folding ranges) do not throw
 *   and give ranges inside the document;
 * - without syntax errors, `format` is idempotent, keeps the tree (`astShape`, the formatter's own
 *   notion of meaning), every comment and the checker's diagnostics (codes and severities).
 *
 * On a text without error diagnostics, also: `compile` gives a scorer (a `LoweringError` there
 * means the checker accepted what the compiler rejects), `emitSql` (both dialects) and
 * `emitModule` (and its `.d.ts`) do not throw and give well-formed text (the module ASCII-only, as documented),
 * the in-file tests run (none "could not run"), and the compiled scorer agrees with the reference
 * interpreter on a few random leads. On a text with errors, lowering its best-effort model may
 * only throw the documented `LoweringError`.
 */
import { analyze, type Analysis } from '../../packages/core/src/analyze.js';
import { compile, type CompiledScorer } from '../../packages/core/src/compiler/compile.js';
import { emitModule } from '../../packages/core/src/compiler/emit-js.js';
import { emitTypeDeclarations } from '../../packages/core/src/compiler/emit-types.js';
import { lowerModel, LoweringError } from '../../packages/core/src/compiler/lower.js';
import { emitSql } from '../../packages/core/src/compiler/sql/index.js';
import { DIAGNOSTIC_CODES, hasErrors, type Diagnostic } from '../../packages/core/src/diagnostics/diagnostic.js';
import { format } from '../../packages/core/src/format/format.js';
import { astShape } from '../../packages/core/src/format/shape.js';
import type { Hit, ScoreResult } from '../../packages/core/src/runtime/types.js';
import type { Range, RubricFile } from '../../packages/core/src/syntax/ast.js';
import { runCompiledTests } from '../../packages/core/src/testing/run-tests.js';
import { DocumentStore, type DocumentState } from '../../packages/language-server/src/document-state.js';
import { codeLenses } from '../../packages/language-server/src/features/code-lens.js';
import { computeDiagnostics } from '../../packages/language-server/src/features/diagnostics.js';
import { documentSymbols } from '../../packages/language-server/src/features/document-symbols.js';
import { foldingRanges } from '../../packages/language-server/src/features/folding-ranges.js';
import { semanticTokens } from '../../packages/language-server/src/features/semantic-tokens.js';
import { LineIndex } from '../../packages/language-server/src/text.js';
import { interpret } from '../../packages/core/test/oracle/interpret.js';
import { FUZZ_NOW, leadsFor } from './leads.js';
import { randomEdit } from './mutate.js';
import { hashText, Random } from './random.js';

/** The stages, in the order they run. */
export const STAGES = [
  'analyze',
  'format',
  'compile',
  'run-tests',
  'lower-with-errors',
  'emit-sql-duckdb',
  'emit-sql-postgres',
  'emit-module',
  'oracle',
  'ls-edit',
  'ls-features',
] as const;
export type Stage = (typeof STAGES)[number];

/** What went wrong, in one word (with the stage, it names a class of failure). */
export type FailureKind =
  | 'throws'
  | 'bad-diagnostic'
  | 'slow'
  | 'format-internal-error'
  | 'format-not-idempotent'
  | 'format-changes-meaning'
  | 'compile-rejects-checked-file'
  | 'no-scorer'
  | 'bad-output'
  | 'test-could-not-run'
  | 'oracle-disagrees'
  | 'incremental-differs'
  | 'bad-range'
  /** The worker process stopped answering (supervisor.ts). */
  | 'hang'
  /** The worker process died: out of memory, or worse (supervisor.ts). */
  | 'crash';

export interface Failure {
  readonly stage: Stage;
  readonly kind: FailureKind;
  /** One line saying what was seen (an error's name, message and where it was thrown). */
  readonly message: string;
  /** What the instance showed beyond its class (the message of a diagnostic without a help text). */
  readonly detail?: string;
  /** For an `incremental-differs`: the edit that showed it (the previous text and the new one). */
  readonly edit?: { readonly before: string; readonly after: string };
}

export interface InputReport {
  readonly failures: readonly Failure[];
  /** Milliseconds per stage that ran. */
  readonly timings: Partial<Record<Stage, number>>;
  /** Whether the text has error diagnostics. */
  readonly hasErrors: boolean;
}

export interface CheckOptions {
  /** A stage slower than this (ms) on an input under 100 KB is a failure. Default 2000. */
  readonly stageLimitMs?: number;
  /** Leads scored by both engines on a file without errors. Default 3. */
  readonly oracleLeads?: number;
  /** Called as each stage starts (the worker reports it, so a hang is pinned on its stage). */
  readonly onStage?: (stage: Stage) => void;
}

const SLOW_CHECK_MAX_BYTES = 100 * 1024;

/** The one document name: the tree holds it, so the edit path and the whole analysis must agree on it. */
const URI = 'file:///fuzz.rubric';

/** An error as one line: name, first line of the message, and the first source frame. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `non-error thrown: ${String(error).slice(0, 200)}`;
  const firstLine = error.message.split('\n')[0].slice(0, 300);
  const frame = (error.stack ?? '')
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .find((line) => line.includes('/packages/') && !line.includes('/test/'));
  const where = frame === undefined ? '' : ` (${frame.replace(/^at /, '').replace(/\(?[^ ]*\/packages\//, 'packages/').replace(/:\d+\)?$/, '')})`;
  return `${error.name}: ${firstLine}${where}`;
}

/**
 * Offsets of line starts as the core counts lines: only `\n` (and so `\r\n`) ends one; a lone
 * `\r` is a character (an invalid one, R002). The language server's LSP ranges are checked
 * against LSP's own convention (`\r` ends a line too) in {@link checkFeatures}.
 */
class Lines {
  readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
  }
  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low] + 1 };
  }
}

function rangeProblem(range: Range | undefined, lines: Lines): string | undefined {
  if (range === undefined || range.start === undefined || range.end === undefined) return 'no range';
  const { start, end } = range;
  const length = lines.text.length;
  if (!Number.isInteger(start.offset) || !Number.isInteger(end.offset)) return `non-integer offsets ${start.offset}..${end.offset}`;
  if (start.offset < 0 || end.offset > length || start.offset > end.offset) return `offsets ${start.offset}..${end.offset} outside the text (length ${length}) or reversed`;
  for (const [which, p] of [['start', start], ['end', end]] as const) {
    const expected = lines.position(p.offset);
    if (expected.line !== p.line || expected.column !== p.column) {
      return `${which} ${p.line}:${p.column} does not match its offset ${p.offset} (${expected.line}:${expected.column})`;
    }
  }
  return undefined;
}

/** Why a diagnostic is malformed, or undefined when it is well-formed. */
function diagnosticProblem(d: Diagnostic, lines: Lines): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(DIAGNOSTIC_CODES, d.code)) return `unknown code ${String(d.code)}`;
  if (typeof d.message !== 'string' || d.message.trim() === '') return `${d.code} without a message`;
  if (d.severity !== 'error' && d.severity !== 'warning' && d.severity !== 'info') return `${d.code} with severity ${String(d.severity)}`;
  const own = rangeProblem(d.range, lines);
  if (own !== undefined) return `${d.code} range: ${own}`;
  for (const related of d.related ?? []) {
    const problem = rangeProblem(related.range, lines);
    if (problem !== undefined) return `${d.code} related range: ${problem}`;
  }
  for (const fix of d.fixes ?? []) {
    for (const edit of fix.edits) {
      const problem = rangeProblem(edit.range, lines);
      if (problem !== undefined) return `${d.code} fix edit range: ${problem}`;
    }
  }
  if (typeof d.help !== 'string' || d.help.trim() === '') return `${d.code} without a help text`;
  return undefined;
}

/** The checker's verdict as a comparable list: code and severity of each diagnostic, sorted. */
function verdict(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code}/${d.severity}`).sort();
}

function commentTexts(ast: RubricFile): string[] {
  return ast.comments.map((c) => c.text.trimEnd()).sort();
}

/** A value in a failure message: JSON, but -0 written as such. */
function shown(value: unknown): string {
  if (Object.is(value, -0)) return '-0';
  return (JSON.stringify(value) ?? String(value)).slice(0, 80);
}

/** The first place two JSON-like values differ, as a path (built only when they differ: trees are big). */
function firstDifference(a: unknown, b: unknown): string | undefined {
  const path: string[] = [];
  const differs = (x: unknown, y: unknown): string | undefined => {
    if (Object.is(x, y)) return undefined;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) {
      return `${shown(x)} vs ${shown(y)}`;
    }
    if (Array.isArray(x) !== Array.isArray(y)) return 'array vs object';
    const xs = x as Record<string, unknown>;
    const ys = y as Record<string, unknown>;
    for (const key of Object.keys(xs)) {
      const found = differs(xs[key], ys[key]);
      if (found !== undefined) {
        path.push(key);
        return found;
      }
    }
    for (const key of Object.keys(ys)) {
      if (!Object.prototype.hasOwnProperty.call(xs, key) && ys[key] !== undefined) {
        path.push(key);
        return `undefined vs ${shown(ys[key])}`;
      }
    }
    return undefined;
  };
  const found = differs(a, b);
  return found === undefined ? undefined : `$${path.reverse().map((k) => `.${k}`).join('')}: ${found}`;
}

/** What the edit path must reproduce exactly: the tree and the diagnostics. */
function essentials(analysis: Analysis): unknown {
  return { ast: analysis.ast, diagnostics: analysis.diagnostics };
}

/**
 * Scores and groups in hundredths, as the property test compares them; `+ 0` makes -0 plain 0
 * (a bound written `-0` may give either; they are the same number to every output).
 */
function comparable(result: ScoreResult): unknown {
  const groups: Record<string, number> = {};
  for (const [name, value] of Object.entries(result.groups)) groups[name] = Math.round(value * 100) + 0;
  return { score: Math.round(result.score * 100) + 0, stage: result.stage, tier: result.tier, groups };
}

function hitsOf(hits: readonly Hit[]): string[] {
  return hits.map((h) => `r${h.rule} ${Math.round(h.points * 100)}${h.occurrences === undefined ? '' : ` x${h.occurrences}${h.capped === true ? ' capped' : ''}`}`);
}

/** Text that cannot be written as UTF-8 (a lone surrogate) or holds a NUL. */
function malformedText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'holds a NUL character';
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) return 'holds a lone surrogate';
  return undefined;
}

/**
 * Runs every stage on `text` and returns what failed. Never throws: a throw inside a stage is a
 * `throws` failure of that stage and the stages that need its result are skipped.
 */
export function checkInput(text: string, options: CheckOptions = {}): InputReport {
  const stageLimitMs = options.stageLimitMs ?? 2000;
  const oracleLeads = options.oracleLeads ?? 3;
  const failures: Failure[] = [];
  const timings: Partial<Record<Stage, number>> = {};
  const lines = new Lines(text);
  const seen = new Set<string>();
  const fail: Fail = (stage, kind, message, edit, detail) => {
    const key = `${stage} ${kind} ${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      failures.push({ stage, kind, message, ...(edit === undefined ? {} : { edit }), ...(detail === undefined ? {} : { detail }) });
    }
  };
  // Calls of the core's entry points per stage: a stage that formats twice and analyses once may
  // take three times the limit; a single call over it is what `slow` reports.
  const calls: Partial<Record<Stage, number>> = {};
  const run = <T>(stage: Stage, body: () => T, count = 1): T | undefined => {
    calls[stage] = (calls[stage] ?? 0) + count;
    options.onStage?.(stage);
    const started = performance.now();
    try {
      return body();
    } catch (error) {
      fail(stage, 'throws', describeError(error));
      return undefined;
    } finally {
      const elapsed = performance.now() - started;
      timings[stage] = (timings[stage] ?? 0) + elapsed;
    }
  };
  const checkDiagnostics = (stage: Stage, diagnostics: readonly Diagnostic[]): void => {
    for (const d of diagnostics) {
      const problem = diagnosticProblem(d, lines);
      if (problem !== undefined) fail(stage, 'bad-diagnostic', problem, undefined, `${d.code} ${d.message}`.slice(0, 200));
    }
  };

  // `analyze` is what the CLI and the server use (parse, check, and the rules about which
  // diagnostics to keep); the fuzzer never re-assembles it from `parse` and `check`.
  const analysis = run('analyze', () => analyze(text, URI));
  if (analysis !== undefined) checkDiagnostics('analyze', analysis.diagnostics);
  const errors = analysis === undefined || hasErrors(analysis.diagnostics);

  run('format', () => {
    const once = format(text);
    // With syntax errors `format` gives them and the text untouched.
    if (once.diagnostics.length > 0 || analysis === undefined) {
      if (once.text !== text) fail('format', 'format-changes-meaning', 'a text with syntax errors was changed');
      return;
    }
    if (once.internalError !== undefined) {
      fail('format', 'format-internal-error', once.internalError.split('\n')[0].slice(0, 300));
      return;
    }
    if (!once.changed) return;
    calls.format = (calls.format ?? 0) + 2;
    const twice = format(once.text);
    if (twice.text !== once.text) {
      fail('format', 'format-not-idempotent', `format(format(x)) != format(x) at ${firstDifference(twice.text.split('\n'), once.text.split('\n')) ?? '?'}`);
    }
    const after = analyze(once.text, URI);
    if (after.diagnostics.some((d) => d.severity === 'error' && /^R00/.test(d.code))) {
      fail('format', 'format-changes-meaning', `the formatted text has syntax errors: ${after.diagnostics[0].code} ${after.diagnostics[0].message}`);
      return;
    }
    const shape = firstDifference(astShape(after.ast), astShape(analysis.ast));
    if (shape !== undefined) fail('format', 'format-changes-meaning', `the tree changed: ${shape}`);
    if (firstDifference(commentTexts(after.ast), commentTexts(analysis.ast)) !== undefined) fail('format', 'format-changes-meaning', 'a comment was lost or changed');
    const before = verdict(analysis.diagnostics);
    const afterVerdict = verdict(after.diagnostics);
    if (firstDifference(before, afterVerdict) !== undefined) {
      fail('format', 'format-changes-meaning', `the diagnostics changed: ${before.join(' ')} -> ${afterVerdict.join(' ')}`);
    }
  });

  // `compile` and `runTests` of a text are `analyze` + these (compile.ts, run-tests.ts); a text
  // with errors stops at `hasErrors`, so only error-free texts go further.
  let scorer: CompiledScorer | null = null;
  if (!errors && analysis !== undefined) {
    const compiled = run('compile', () => compile(analysis.model));
    if (compiled !== undefined && compiled.scorer === null) fail('compile', 'no-scorer', 'no scorer for a text without errors');
    scorer = compiled?.scorer ?? null;
    // A LoweringError on a text the checker accepted is its own class: check and compile disagree.
    const rejected = failures.findIndex((f) => f.stage === 'compile' && f.kind === 'throws' && f.message.startsWith('LoweringError'));
    if (rejected >= 0) failures[rejected] = { ...failures[rejected], kind: 'compile-rejects-checked-file' };
  }
  if (scorer !== null) {
    const compiledScorer = scorer;
    run('run-tests', () => {
      for (const result of runCompiledTests(compiledScorer)) {
        if (result.error !== undefined) fail('run-tests', 'test-could-not-run', result.error.split('\n')[0].slice(0, 300));
      }
    });
  }

  if (errors && analysis !== undefined) {
    run('lower-with-errors', () => {
      try {
        lowerModel(analysis.model);
      } catch (error) {
        if (!(error instanceof LoweringError)) throw error;
      }
    });
  }

  if (scorer !== null) {
    const ir = scorer.ir;
    const model = scorer.model;
    for (const dialect of ['duckdb', 'postgres'] as const) {
      const stage = dialect === 'duckdb' ? 'emit-sql-duckdb' : 'emit-sql-postgres';
      run(stage, () => {
        const sql = emitSql(ir, { dialect, now: FUZZ_NOW, explain: true, source: URI });
        const problem = malformedText(sql);
        if (problem !== undefined) fail(stage, 'bad-output', `the SQL ${problem}`);
      });
    }
    run('emit-module', () => {
      emitTypeDeclarations(model);
      const module = emitModule(ir);
      const index = module.search(/[^\x00-\x7f]/);
      if (index >= 0) fail('emit-module', 'bad-output', `the module is not ASCII-only: ${JSON.stringify(module.slice(Math.max(0, index - 20), index + 5))}`);
    });
    const compiledScorer = scorer;
    run('oracle', () => {
      const random = new Random(hashText(text), 1);
      for (const { lead, events } of leadsFor(model, text, random, oracleLeads)) {
        const options = { now: FUZZ_NOW, events: events as never };
        const oracle = interpret(model, lead, { now: FUZZ_NOW, events });
        const explained = compiledScorer.explain(lead, options);
        const expected = { score: comparable(oracle), explain: comparable(oracle), hits: hitsOf(oracle.hits) };
        const got = { score: comparable(compiledScorer.score(lead, options)), explain: comparable(explained), hits: hitsOf(explained.hits) };
        const difference = firstDifference(got, expected);
        if (difference !== undefined) fail('oracle', 'oracle-disagrees', `compiled vs interpreter: ${difference}`);
      }
    });
  }

  if (analysis !== undefined) checkEditPath(text, analysis, run, fail);

  for (const [stage, ms] of Object.entries(timings) as [Stage, number][]) {
    const limit = stageLimitMs * (calls[stage] ?? 1);
    if (ms > limit && text.length < SLOW_CHECK_MAX_BYTES) fail(stage, 'slow', `over ${stageLimitMs} ms per call (${Math.round(ms)} ms for ${calls[stage] ?? 1})`);
  }
  return { failures, timings, hasErrors: errors };
}

type Runner = <T>(stage: Stage, body: () => T, count?: number) => T | undefined;
type Fail = (stage: Stage, kind: FailureKind, message: string, edit?: Failure['edit'], detail?: string) => void;

function lspRangeProblem(range: { start: { line: number; character: number }; end: { line: number; character: number } }, index: LineIndex): string | undefined {
  for (const p of [range.start, range.end]) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) return `position ${p.line}:${p.character}`;
    if (p.line >= index.lineCount) return `line ${p.line} past the last line ${index.lineCount - 1}`;
    if (p.character > index.lineText(p.line).length) return `character ${p.character} past the end of line ${p.line}`;
  }
  if (range.start.line > range.end.line || (range.start.line === range.end.line && range.start.character > range.end.character)) return 'reversed range';
  return undefined;
}

function containsRange(
  outer: { start: { line: number; character: number }; end: { line: number; character: number } },
  inner: { start: { line: number; character: number }; end: { line: number; character: number } },
): boolean {
  const before = (a: { line: number; character: number }, b: { line: number; character: number }): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

/** The language server's features that run on every edit, as pure functions of a state. */
function checkFeatures(state: DocumentState, fail: Fail): void {
  if (state.analysisError !== undefined) fail('ls-features', 'throws', `the document state caught: ${state.analysisError.split('\n')[0]}`);
  const index = state.lines;
  for (const d of computeDiagnostics(state)) {
    const problem = lspRangeProblem(d.range, index);
    if (problem !== undefined) fail('ls-features', 'bad-range', `diagnostic ${String(d.code)}: ${problem}`);
  }
  const { data } = semanticTokens(state);
  if (data.length % 5 !== 0) fail('ls-features', 'bad-range', `semantic tokens: ${data.length} numbers, not a multiple of 5`);
  let line = 0;
  let character = 0;
  for (let i = 0; i + 4 < data.length; i += 5) {
    const [deltaLine, deltaStart, length] = [data[i], data[i + 1], data[i + 2]];
    if (deltaLine < 0 || deltaStart < 0 || length <= 0) {
      fail('ls-features', 'bad-range', `semantic token ${i / 5}: delta ${deltaLine}/${deltaStart}, length ${length}`);
      break;
    }
    line += deltaLine;
    character = deltaLine === 0 ? character + deltaStart : deltaStart;
    if (line >= index.lineCount || character + length > index.lineText(line).length) {
      fail('ls-features', 'bad-range', `semantic token ${i / 5} at ${line}:${character}+${length} outside its line`);
      break;
    }
  }
  const walk = (symbols: ReturnType<typeof documentSymbols>): void => {
    for (const symbol of symbols) {
      const problem = lspRangeProblem(symbol.range, index) ?? lspRangeProblem(symbol.selectionRange, index);
      if (problem !== undefined) fail('ls-features', 'bad-range', `document symbol: ${problem}`);
      else if (!containsRange(symbol.range, symbol.selectionRange)) fail('ls-features', 'bad-range', 'document symbol: selection range outside its range');
      walk(symbol.children ?? []);
    }
  };
  walk(documentSymbols(state));
  for (const lens of codeLenses(state, { textDocument: { uri: state.uri } }, { nowSetting: null })) {
    const problem = lspRangeProblem(lens.range, index);
    if (problem !== undefined) fail('ls-features', 'bad-range', `code lens: ${problem}`);
  }
  for (const range of foldingRanges(state)) {
    if (range.startLine < 0 || range.endLine >= index.lineCount || range.startLine > range.endLine) {
      fail('ls-features', 'bad-range', `folding range ${range.startLine}..${range.endLine}`);
    }
  }
}

/**
 * The editor's path, in one of two directions chosen by the text: either a nearby version (the
 * text with a random edit) then the text, or the text then a nearby version; the later version is
 * re-analysed from the earlier one as the server does and must equal the analysis of its whole
 * text. Half the first kind go on to a third version (a chain of re-parses). The edits are seeded
 * by the text, so a failure depends on the text alone (and shrinks); an edit-path failure also
 * carries its edit, which the shrinker keeps.
 */
function checkEditPath(text: string, whole: Analysis, run: Runner, fail: Fail): void {
  const random = new Random(hashText(text), 2);
  const other = randomEdit(text, random);
  const store = new DocumentStore();
  if (random.chance(0.5)) {
    // The text is the edit's result: typing into `other` gave it.
    const state = run('ls-edit', () => {
      void store.update(URI, 1, other).analysis;
      const current = store.update(URI, 2, text);
      const difference = firstDifference(essentials(current.analysis), essentials(whole));
      if (difference !== undefined) editDiffers(fail, difference, other, text);
      return current;
    }, 2);
    if (state === undefined) return;
    run('ls-features', () => checkFeatures(state, fail));
    if (random.chance(0.5)) {
      const after = randomEdit(text, random);
      run('ls-edit', () => {
        const next = store.update(URI, 3, after).analysis;
        const difference = firstDifference(essentials(next), essentials(analyze(after, URI)));
        if (difference !== undefined) editDiffers(fail, difference, text, after);
      }, 2);
    }
    return;
  }
  // The text is where typing starts.
  const state = run('ls-edit', () => {
    const opened = store.update(URI, 1, text);
    void opened.analysis;
    return opened;
  });
  if (state === undefined) return;
  run('ls-features', () => checkFeatures(state, fail));
  run('ls-edit', () => {
    const next = store.update(URI, 2, other).analysis;
    const difference = firstDifference(essentials(next), essentials(analyze(other, URI)));
    if (difference !== undefined) editDiffers(fail, difference, text, other);
  }, 2);
}

const EDIT_DIFFERS = 're-analysis after an edit differs from analysing the whole text at ';

/** Reports an edit-path difference: the path (numbers aside) names the class, the values are its detail. */
function editDiffers(fail: Fail, difference: string, before: string, after: string): void {
  const cut = difference.indexOf(': ');
  fail('ls-edit', 'incremental-differs', `${EDIT_DIFFERS}${difference.slice(0, cut)}`, { before, after }, difference.slice(cut + 2));
}

/**
 * The edit path for one given edit: `before` analysed whole, then `after` re-analysed from it as
 * the server does; the failure when that differs from analysing `after` whole. What the shrinker
 * of an `incremental-differs` failure checks (it keeps the edit while making both texts smaller).
 */
export function checkEditPair(before: string, after: string): Failure[] {
  try {
    const store = new DocumentStore();
    void store.update(URI, 1, before).analysis;
    const state = store.update(URI, 2, after);
    const difference = firstDifference(essentials(state.analysis), essentials(analyze(after, URI)));
    if (difference === undefined) return [];
    const failures: Failure[] = [];
    editDiffers((stage, kind, message, edit, detail) => failures.push({ stage, kind, message, ...(edit === undefined ? {} : { edit }), ...(detail === undefined ? {} : { detail }) }), difference, before, after);
    return failures;
  } catch (error) {
    return [{ stage: 'ls-edit', kind: 'throws', message: describeError(error) }];
  }
}
