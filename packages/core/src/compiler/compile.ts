/**
 * `compile`: text or checked model -> a scorer running in-process. The generated JavaScript is
 * instantiated once with `new Function` and the shared runtime helpers; build once, call per lead.
 */
import { analyze } from '../analyze.js';
import type { Model } from '../checker/model.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { runtimeHelpers } from '../runtime/runtime.js';
import type { AccountScorer, Scorer } from '../runtime/types.js';
import type { AccountRowScorer, RowScorer } from '../runtime/row-types.js';
import { emitScorerBody } from './emit-js.js';
import type { ScorerIR } from './ir.js';
import { lowerModel } from './lower.js';
import { accountSpec, instantiateAccountScorer } from './emit-js-accounts.js';

/** A scorer compiled from a rule file, with what it was compiled from. */
export interface CompiledScorer extends Scorer, RowScorer {
  readonly model: Model;
  /** The lowered IR (what the SQL targets emit from). */
  readonly ir: ScorerIR;
  /** The generated code: the body of a function of the runtime helpers `rt`. */
  readonly javascript: string;
  /**
   * Issue 17: the account scorer of a file with an `account` block (see `AccountModel` for the
   * order of scoring), null without one.
   */
  readonly accounts: AccountScorer | null;
  /**
   * Issue 17: {@link accounts} with its row entry (contacts and events as table rows), when
   * compiled with `rows`; null otherwise or without an account block.
   */
  readonly accountRows: AccountRowScorer | null;
  /** Issue 17: the IR of `model.account.scoring` (what the SQL targets emit the account view from), null without an account block. */
  readonly accountIR: ScorerIR | null;
}

export interface CompileResult {
  /** Null when the file has errors. */
  readonly scorer: CompiledScorer | null;
  /** Every parse and check diagnostic (empty for a model input). */
  readonly diagnostics: readonly Diagnostic[];
}

export interface CompileOptions {
  /** Document URI for diagnostics (text input). */
  readonly uri?: string;
  /**
   * Generate the row entry (`rowPlan`, `scoreRowAndValidate`) with the scorer, for a caller that
   * reads tables (`rubric score`). Without it the scorer's code is only what the object entries
   * need, and the first `rowPlan` call compiles the row entry then (a second instance of the same
   * generated code, so the results are the same).
   */
  readonly rows?: boolean;
}

/** Instantiates generated scorer code in-process. */
export function instantiateScorer(javascript: string): Scorer {
  // The code is generated from the IR with every user string escaped (see js-syntax.ts).
  const factory = new Function('rt', javascript) as (rt: unknown) => Scorer;
  return factory(runtimeHelpers());
}

/**
 * Compiles a rule file (text, parsed and checked here) or an already checked model. A text with
 * errors gives `scorer: null` and its diagnostics; warnings never stop compilation. A model is
 * trusted to come from a check without errors (a model that does not lower throws a
 * `LoweringError`).
 */
export function compile(input: string | Model, options: CompileOptions = {}): CompileResult {
  let model: Model;
  let diagnostics: readonly Diagnostic[] = [];
  if (typeof input === 'string') {
    const analysis = analyze(input, options.uri);
    diagnostics = analysis.diagnostics;
    if (hasErrors(diagnostics)) return { scorer: null, diagnostics };
    model = analysis.model;
  } else {
    model = input;
  }
  const ir = lowerModel(model);
  const rows = options.rows === true;
  const javascript = emitScorerBody(ir, { rows, accountEntries: (model.account ?? null) !== null });
  const generated = instantiateScorer(javascript) as Scorer & Partial<RowScorer>;
  let withRows: RowScorer | undefined = rows ? (generated as Scorer & RowScorer) : undefined;
  const rowScorer = (): RowScorer => (withRows ??= instantiateScorer(emitScorerBody(ir, { rows: true })) as Scorer & RowScorer);
  let accounts: AccountScorer | null = null;
  let accountIR: ScorerIR | null = null;
  // `?? null`: a model built by hand before issue 17 has no `account` at all.
  const account = model.account ?? null;
  if (account !== null) {
    accountIR = lowerModel(account.scoring);
    // With `rows`, the account scorer's own row entry too (its event plan, foldEventRows).
    const accountScorer = instantiateScorer(emitScorerBody(accountIR, { accountEntries: true, rows }));
    accounts = instantiateAccountScorer(runtimeHelpers(), generated, accountScorer, accountSpec(model, ir, accountIR));
  }
  const scorer: CompiledScorer = {
    model,
    ir,
    javascript,
    accounts,
    accountRows: rows && accounts !== null ? (accounts as AccountRowScorer) : null,
    accountIR,
    score: generated.score,
    explain: generated.explain,
    validate: generated.validate,
    scoreAndValidate: generated.scoreAndValidate,
    validateEvent: generated.validateEvent,
    rowPlan: rows ? (generated as RowScorer).rowPlan : (columns) => rowScorer().rowPlan(columns),
    scoreRowAndValidate: rows
      ? (generated as RowScorer).scoreRowAndValidate
      : (cells, plan, scoreOptions, eventRows) => rowScorer().scoreRowAndValidate(cells, plan, scoreOptions, eventRows),
    eventPlan: rows ? (generated as RowScorer).eventPlan : (columns) => rowScorer().eventPlan(columns),
    validateEventRow: rows ? (generated as RowScorer).validateEventRow : (cells, type, plan, out) => rowScorer().validateEventRow(cells, type, plan, out),
  };
  return { scorer, diagnostics };
}
