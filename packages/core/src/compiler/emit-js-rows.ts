/**
 * The generated scorer's row entry (`rowPlan` + `scoreRowAndValidate`): a lead given as the
 * cells of a table row, read by column index, instead of as an object. `rubric score` reads
 * millions of CSV rows; building an object per row and then reading its keys back by name was
 * about a sixth of its time (issue 13).
 *
 * Meaning: `scoreRowAndValidate(cells, rowPlan(columns), options)` is
 * `scoreAndValidate(lead, options)` for the lead that has, for every column the rules read
 * (a field's `from "COLUMN"`, else its name, dotted as written), that column's cell as an own
 * property, an empty cell being missing, and nothing else: no nested values (a dotted field
 * with no column of its own name is missing) and no own `events` (events come only from
 * `options.events`). `invalid` lists the lead's values only: events are not validated here
 * (`validateEvent` does it once per event, as `rubric score --events` does), so their values
 * cost no second reading. Each slot is coerced by exactly the statements `readLead` uses
 * (emit-js.ts `readStatements`, given the cell instead of the object read), so the file's
 * `data` dialect (placeholders, number and date forms, bool words) applies alike.
 *
 * Kept apart from emit-js.ts (which calls {@link rowEntryLines} from `emitScorerBody`) so the
 * object entries' code is unchanged by it.
 */
import type { ScorerIR, ValueSlot } from './ir.js';
import { jsData } from './js-syntax.js';

/** The names the row entry adds to the object the generated body returns. */
export const ROW_ENTRY_NAMES = ['rowPlan', 'scoreRowAndValidate'] as const;

/** What the row entry needs from emitScorerBody. */
export interface RowEntryContext {
  readonly ir: ScorerIR;
  /**
   * `readStatements` of emit-js.ts for a lead slot, with `raw` (statements setting `v` to the
   * slot's raw value) in place of the read from the lead object; `o` is never referenced then.
   */
  readonly readSlot: (slot: ValueSlot, raw: readonly string[]) => string[];
  /** The body of the generated `evaluate(st, lead, evs, times, now, inv)` (see {@link rowEntryLines}). */
  readonly evaluate: readonly string[];
  /** The exact statement of `evaluate` that reads the lead. */
  readonly readLeadStatement: string;
  /** The statements of `evaluate` that scan the events with `inv` (the row entry scans without). */
  readonly scanStatement: string;
  /** Statements computing the lead's synonym-table slots from the slots read (after them). */
  readonly derivedLead: readonly string[];
}

function indent(lines: readonly string[], depth = 1): string[] {
  const pad = '  '.repeat(depth);
  return lines.map((line) => (line === '' ? line : pad + line));
}

/**
 * Generated functions `rowPlan`, `readRow`, `evaluateRow` and `scoreRowAndValidate`, to be placed
 * after `evaluate`, `stageOf`, `tierOf`, `resultOf` and the shared state in the generated body.
 */
export function rowEntryLines(context: RowEntryContext): string[] {
  const { ir } = context;
  // A synonym table's slot is computed from its input, not read from a column.
  const leadSlots = ir.slots.filter((slot) => slot.source === 'lead' && slot.derived === undefined);
  const out: string[] = [];

  // The plan: each lead slot's column index (-1: no column). The keys are data (jsData), never code.
  out.push(`const ROW_KEYS = ${jsData(ir.slots.map((slot) => (slot.source === 'lead' && slot.derived === undefined ? slot.key : null)))};`);
  out.push('const ROW_PLAN = Object.freeze({});');
  out.push('function rowPlan(columns) {');
  out.push('  if (!isArray(columns)) throw new TypeError("rowPlan: expected the array of column names");');
  out.push('  const index = new Map();');
  out.push('  for (let i = 0; i < columns.length; i++) {');
  out.push('    const name = columns[i];');
  out.push('    if (typeof name !== "string") throw new TypeError("rowPlan: column " + (i + 1) + " is not a string");');
  // A row with two columns of one name has no single lead: refused (rubric score refuses it first).
  out.push('    if (index.has(name)) throw new RangeError("rowPlan: two columns are named " + JSON.stringify(name));');
  out.push('    index.set(name, i);');
  out.push('  }');
  out.push('  const at = new Int32Array(ROW_KEYS.length).fill(-1);');
  out.push('  for (let s = 0; s < ROW_KEYS.length; s++) {');
  out.push('    const key = ROW_KEYS[s];');
  out.push('    if (key !== null && index.has(key)) at[s] = index.get(key);');
  out.push('  }');
  out.push('  return Object.freeze({ owner: ROW_PLAN, columns: columns.length, at });');
  out.push('}');
  out.push('');

  // Reading a row: the cell (a throwing element getter or a hole is missing, as a throwing
  // getter on a lead is), '' missing, then the slot's own coercion statements.
  out.push('function readRow(cells, C, n, t, l, inv) {');
  out.push('  let v, r, f, c;');
  for (const slot of leadSlots) {
    const raw = [`c = C[${slot.id}];`, 'if (c < 0) v = undefined;', 'else {', '  try { v = cells[c]; } catch (x) { v = undefined; }', '  if (v === "") v = undefined;', '}'];
    out.push(...indent(context.readSlot(slot, raw)));
  }
  out.push(...indent(context.derivedLead));
  out.push('}');
  out.push('');

  let readReplaced = 0;
  let scanReplaced = 0;
  const evaluateRow = context.evaluate.map((line) => {
    if (line === context.readLeadStatement) {
      readReplaced++;
      return 'readRow(cells, C, n, t, l, inv);';
    }
    if (line === context.scanStatement) {
      scanReplaced++;
      // Scoring reads the events as `score` does (events are validated one by one elsewhere).
      return ir.events.length === 0 ? '' : 'scanEvents(evs, times, now, n, t, l, null, st.ds);';
    }
    return line;
  });
  // The generator and this file must agree on those two statements: a change there fails here, at compile time.
  if (readReplaced !== 1 || scanReplaced !== 1) throw new Error('emit-js-rows: evaluate() no longer has its read and scan statements');
  out.push('function evaluateRow(st, cells, C, evs, times, now, inv) {', ...indent(evaluateRow.filter((line) => line !== '')), '}', '');

  out.push(
    ...[
      'function scoreRowAndValidate(cells, plan, options) {',
      '  if (typeof plan !== "object" || plan === null || plan.owner !== ROW_PLAN) throw new TypeError("scoreRowAndValidate: the plan must come from this scorer\'s rowPlan(columns)");',
      '  if (!isArray(cells)) throw new TypeError("scoreRowAndValidate: expected the row\'s cells as an array");',
      '  const now = resolveNow(options);',
      '  const outer = busy;',
      '  const st = outer ? newState() : shared;',
      '  const inv = st.inv;',
      '  if (inv.length !== 0) inv.length = 0;',
      '  busy = true;',
      '  try {',
      '    const evs = eventsOf(NO_FIELDS, options, null);',
      '    evaluateRow(st, cells, plan.at, evs, eventTimesOf(options), now, inv);',
      '    const n = st.n, t = st.t, l = st.l;',
      '    const result = resultOf(n, stageOf(n, t, l, now), tierOf(n, t, l, now));',
      '    return { result, invalid: inv.length === 0 ? NO_INVALID : inv.slice() };',
      '  } finally {',
      '    if (inv.length !== 0) inv.length = 0;',
      '    busy = outer;',
      '  }',
      '}',
      '',
    ],
  );
  return out;
}
