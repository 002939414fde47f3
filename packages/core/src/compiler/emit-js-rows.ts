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
 * Events may come as table rows too (`eventPlan` + `validateEventRow`, and `scoreRowAndValidate`'s
 * fourth argument): the EC<id> functions are emit-js.ts's E<id> with `at` and each property read
 * from a cell by column index, so `rubric score --events` builds no object per event row.
 *
 * Kept apart from emit-js.ts (which calls {@link rowEntryLines} from `emitScorerBody`) so the
 * object entries' code is unchanged by it.
 */
import type { ScorerIR, ValueSlot } from './ir.js';
import { jsData, jsString } from './js-syntax.js';

/** The names the row entry adds to the object the generated body returns. */
export const ROW_ENTRY_NAMES = ['rowPlan', 'scoreRowAndValidate', 'eventPlan', 'validateEventRow'] as const;

/** The names the row entry adds with the account scorer's entries (see {@link givenRowLines}). */
export const GIVEN_ROW_ENTRY_NAMES = ['scoreRowWith', 'givenSlots'] as const;

/**
 * Statements setting `v` to event property `slot`'s raw value in the event given as cells `e`
 * (the generated EC<id> functions, emit-js.ts): the cell at the plan's column for it (-1: none),
 * an empty cell or a throwing element getter being missing.
 */
export function eventCellRead(slot: number): string[] {
  return [`k = P.slots[${slot}];`, 'if (k < 0) v = undefined;', 'else {', '  try { v = e[k]; } catch (x) { v = undefined; }', '  if (v === "") v = undefined;', '}'];
}

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
  /** The EC<id> functions: emit-js.ts's E<id> for an event given as cells (see {@link eventCellRead}). */
  readonly eventFunctions: readonly string[];
  /** The file's date order as `looseDate` takes it (as readAt passes it). */
  readonly dateOrder: number;
  /** Statements computing the lead's synonym-table slots from the slots read (after them). */
  readonly derivedLead: readonly string[];
  /**
   * Issue 17, with the account scorer's entries: a synthetic slot's (`account.*`) read from the
   * object `g` (emit-js.ts readStatements with source `g`, unreported), for `scoreRowWith`.
   * Undefined: no account entries, so no `scoreRowWith`.
   */
  readonly readGivenSlot?: (slot: ValueSlot) => string[];
  /**
   * Where the synthetic slots' values live once read (`n[3]`, `t[2]`: their storage and text
   * codes), for `givenSlots`; null when one of them is a list (its array is filled in place, so
   * it cannot be kept apart from the state).
   */
  readonly givenLocations?: readonly string[] | null;
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
  // A column with no name (empty or whitespace only, as CRM exports write them) is no field and
  // no duplicate: skipped. A row with two columns of one name has no single lead: refused
  // (rubric score refuses it first).
  out.push('    if (name.trim() === "") continue;');
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

  // Events as cells: the plan (column of `at`, and of each declared property by its key), the
  // check of one event (validateEvent's problems and instant) and the scan scoring reads.
  out.push(`const EVENT_KEYS = ${jsData(ir.slots.map((slot) => (slot.source === 'event' ? slot.key : null)))};`);
  out.push('const EVENT_PLAN = Object.freeze({});');
  out.push('function eventPlan(columns) {');
  out.push('  if (!isArray(columns)) throw new TypeError("eventPlan: expected the array of column names");');
  out.push('  const index = new Map();');
  out.push('  for (let i = 0; i < columns.length; i++) {');
  out.push('    const name = columns[i];');
  out.push('    if (typeof name !== "string") throw new TypeError("eventPlan: column " + (i + 1) + " is not a string");');
  out.push('    if (name.trim() === "") continue;');
  out.push('    if (index.has(name)) throw new RangeError("eventPlan: two columns are named " + JSON.stringify(name));');
  out.push('    index.set(name, i);');
  out.push('  }');
  out.push('  const slots = new Int32Array(EVENT_KEYS.length).fill(-1);');
  out.push('  for (let s = 0; s < EVENT_KEYS.length; s++) {');
  out.push('    const key = EVENT_KEYS[s];');
  out.push('    if (key !== null && index.has(key)) slots[s] = index.get(key);');
  out.push('  }');
  out.push('  return Object.freeze({ owner: EVENT_PLAN, columns: columns.length, atColumn: index.has("at") ? index.get("at") : -1, slots });');
  out.push('}');
  out.push('');
  // readAt (emit-js.ts) for an event given as cells: the `at` column's cell (-1: none).
  out.push('function readAtCell(e, i, d, inv) {');
  out.push('  let v;');
  out.push('  if (i < 0) v = undefined;');
  out.push('  else try { v = e[i]; } catch (x) { return NaN; }');
  out.push('  let at = typeof v === "string" ? parseIsoDate(v) : toEpochMillis(v);');
  out.push(`  if (at !== at && typeof v === "string") at = looseDate(v, ${context.dateOrder});`);
  out.push('  if (at !== at && inv !== null) report(inv, d, v);');
  out.push('  return at;');
  out.push('}');
  out.push('');
  out.push(...context.eventFunctions);
  out.push('function checkPlan(plan, entry) {');
  out.push('  if (typeof plan !== "object" || plan === null || plan.owner !== EVENT_PLAN) throw new TypeError(entry + ": the events plan must come from this scorer\'s eventPlan(columns)");');
  out.push('}');
  out.push('');
  out.push('function validateEventRow(cells, type, plan, out) {');
  out.push('  checkPlan(plan, "validateEventRow");');
  out.push('  if (!isArray(cells)) throw new TypeError("validateEventRow: expected the event\'s cells as an array");');
  out.push('  const outer = busy;');
  out.push('  const st = outer ? newState() : shared;');
  out.push('  const inv = st.inv;');
  out.push('  if (inv.length !== 0) inv.length = 0;');
  out.push('  busy = true;');
  out.push('  let at = NaN, invalid = NO_INVALID;');
  out.push('  try {');
  out.push('    switch (type) {');
  for (const event of ir.events) out.push(`      case ${jsString(event.name)}: at = EC${event.id}(cells, plan, false, NaN, -Infinity, st.n, st.t, st.l, inv); break;`);
  out.push('    }');
  out.push('    if (inv.length !== 0) invalid = inv.slice();');
  out.push('  } finally {');
  out.push('    if (inv.length !== 0) inv.length = 0;');
  out.push('    busy = outer;');
  out.push('  }');
  out.push('  if (out !== undefined && out !== null) out.at = at;');
  out.push('  return invalid;');
  out.push('}');
  out.push('');
  out.push('function scanEventRows(rows, types, times, P, now, n, t, l, ds) {');
  out.push('  const count = rows.length;');
  out.push('  for (let i = 0; i < count; i++) {');
  out.push('    const k = times[i], known = typeof k === "number", time = known ? k : NaN;');
  out.push('    switch (types[i]) {');
  for (const event of ir.events) {
    if (event.queries.length > 0) out.push(`      case ${jsString(event.name)}: EC${event.id}(rows[i], P, known, time, now, n, t, l, null, ds); break;`);
  }
  out.push('    }');
  out.push('  }');
  out.push('}');
  out.push('');
  const evaluateRowCells = context.evaluate.map((line) => {
    if (line === context.readLeadStatement) return 'readRow(cells, C, n, t, l, inv);';
    if (line === context.scanStatement) return ir.events.length === 0 ? '' : 'scanEventRows(er.rows, er.types, er.times, er.plan, now, n, t, l, st.ds);';
    return line;
  });
  out.push('function evaluateRowCells(st, cells, C, er, now, inv) {', ...indent(evaluateRowCells.filter((line) => line !== '')), '}', '');

  out.push(
    ...[
      'function scoreRowAndValidate(cells, plan, options, eventRows) {',
      '  if (typeof plan !== "object" || plan === null || plan.owner !== ROW_PLAN) throw new TypeError("scoreRowAndValidate: the plan must come from this scorer\'s rowPlan(columns)");',
      '  if (!isArray(cells)) throw new TypeError("scoreRowAndValidate: expected the row\'s cells as an array");',
      '  const now = resolveNow(options);',
      '  const outer = busy;',
      '  const st = outer ? newState() : shared;',
      '  const inv = st.inv;',
      '  if (inv.length !== 0) inv.length = 0;',
      '  busy = true;',
      '  try {',
      '    if (eventRows !== undefined && eventRows !== null) {',
      '      checkPlan(eventRows.plan, "scoreRowAndValidate");',
      '      const { rows, types, times } = eventRows;',
      '      if (!isArray(rows) || !isArray(types) || !isArray(times) || types.length < rows.length || times.length < rows.length) throw new TypeError("scoreRowAndValidate: eventRows needs arrays rows, types and times of one length");',
      '      evaluateRowCells(st, cells, plan.at, eventRows, now, inv);',
      '    } else {',
      '      const evs = eventsOf(NO_FIELDS, options, null);',
      '      evaluateRow(st, cells, plan.at, evs, eventTimesOf(options), now, inv);',
      '    }',
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
  if (context.readGivenSlot !== undefined) out.push(...givenRowLines(context, context.readGivenSlot));
  return out;
}

/**
 * Issue 17: `scoreRowWith(cells, plan, options, given, out, inv, eventRows, givenAt)`, the row entry of the
 * account scorer (runtime/accounts-source.ts, `AccountTally.addContactRow`): emit-js.ts's
 * `scoreWithChecked(lead, options, given, out, inv)` for the row's lead (as
 * `scoreRowAndValidate` reads it), its events given only as `eventRows` (none when null) and
 * scanned without reports (each was checked with `validateEventRow` as it was read). The
 * synthetic `account.*` slots are read from `given` only, never from a cell; `inv` (an array, or
 * null) gets the lead's own invalid values; `out` the probes, as `scoreWith` writes them.
 * `given` may also be an array holding, from index `givenAt` (0 when undefined), what
 * `givenSlots(given)` returned for it (the synthetic slots' values as read, copied into the state
 * instead of read and coerced again for every contact of the account: the account scorer keeps
 * many accounts' values in one array); `givenSlots` returns null when that cannot be done (a
 * list-typed account field).
 */
function givenRowLines(context: RowEntryContext, readGivenSlot: (slot: ValueSlot) => string[]): string[] {
  const { ir } = context;
  const leadSlots = ir.slots.filter((slot) => slot.source === 'lead' && slot.derived === undefined);
  const out: string[] = [];
  out.push('function readRowGiven(cells, C, n, t, l, inv, given) {');
  out.push('  let v, r, f, c;');
  out.push('  const g = given === undefined || given === null ? NO_FIELDS : given;');
  for (const slot of leadSlots) {
    if (slot.synthetic === true) {
      out.push(...indent(readGivenSlot(slot)));
      continue;
    }
    const raw = [`c = C[${slot.id}];`, 'if (c < 0) v = undefined;', 'else {', '  try { v = cells[c]; } catch (x) { v = undefined; }', '  if (v === "") v = undefined;', '}'];
    out.push(...indent(context.readSlot(slot, raw)));
  }
  out.push(...indent(context.derivedLead));
  out.push('}');
  out.push('');
  // The account's values read once (givenSlots), then copied into the state for each contact:
  // `given` is then the array givenSlots returned (see scoreRowWith).
  const locations = context.givenLocations ?? null;
  const synthetic = leadSlots.filter((slot) => slot.synthetic === true);
  out.push('function givenSlots(given) {');
  if (locations === null) out.push('  return null;');
  else {
    out.push('  const outer = busy;', '  const st = outer ? newState() : shared;', '  busy = true;', '  try {');
    out.push('    const n = st.n, t = st.t, l = st.l;', '    let v, r, f;', '    const g = given === undefined || given === null ? NO_FIELDS : given;');
    for (const slot of synthetic) out.push(...indent(readGivenSlot(slot), 2));
    out.push(`    return Object.freeze([${locations.join(', ')}]);`);
    out.push('  } finally {', '    busy = outer;', '  }');
  }
  out.push('}', '');
  out.push('function readRowSlots(cells, C, n, t, l, inv, gs, go) {');
  out.push('  let v, r, f, c;');
  for (const slot of leadSlots) {
    if (slot.synthetic === true) continue;
    const raw = [`c = C[${slot.id}];`, 'if (c < 0) v = undefined;', 'else {', '  try { v = cells[c]; } catch (x) { v = undefined; }', '  if (v === "") v = undefined;', '}'];
    out.push(...indent(context.readSlot(slot, raw)));
  }
  (locations ?? []).forEach((location, i) => out.push(`  ${location} = gs[go + ${i}];`));
  out.push(...indent(context.derivedLead));
  out.push('}');
  out.push('');
  const evaluate = context.evaluate.map((line) => {
    if (line === context.readLeadStatement) return 'if (isArray(given)) readRowSlots(cells, C, n, t, l, inv, given, givenAt); else readRowGiven(cells, C, n, t, l, inv, given);';
    if (line === context.scanStatement) return ir.events.length === 0 ? '' : 'if (er !== null) scanEventRows(er.rows, er.types, er.times, er.plan, now, n, t, l, st.ds);';
    return line;
  });
  out.push('function evaluateRowGiven(st, cells, C, er, now, inv, given, givenAt) {', ...indent(evaluate.filter((line) => line !== '')), '}', '');
  out.push(
    'function scoreRowWith(cells, plan, options, given, out, inv, eventRows, givenAt) {',
    '  if (typeof plan !== "object" || plan === null || plan.owner !== ROW_PLAN) throw new TypeError("scoreRowWith: the plan must come from this scorer\'s rowPlan(columns)");',
    '  if (!isArray(cells)) throw new TypeError("scoreRowWith: expected the row\'s cells as an array");',
    '  const now = resolveNow(options);',
    '  if (inv === undefined) inv = null;',
    '  let er = null;',
    '  if (eventRows !== undefined && eventRows !== null) {',
    '    checkPlan(eventRows.plan, "scoreRowWith");',
    '    const { rows, types, times } = eventRows;',
    '    if (!isArray(rows) || !isArray(types) || !isArray(times) || types.length < rows.length || times.length < rows.length) throw new TypeError("scoreRowWith: eventRows needs arrays rows, types and times of one length");',
    '    er = eventRows;',
    '  }',
    '  if (givenAt === undefined) givenAt = 0;',
    ...probedEvaluation('evaluateRowGiven(st, cells, plan.at, er, now, inv, given, givenAt);'),
    '}',
    '',
  );
  return out;
}

/**
 * The body's end shared by the account scorer's entries (emit-js.ts `scoreWith`,
 * `scoreWithChecked`, and `scoreRowWith` here): `evaluation` (evaluating into `st`) on the shared
 * state (a fresh one when re-entered), then the stage, tier and probes (into `out` when given)
 * and the result.
 */
export function probedEvaluation(evaluation: string): string[] {
  return [
    '  const outer = busy;',
    '  const st = outer ? newState() : shared;',
    '  busy = true;',
    '  try {',
    `    ${evaluation}`,
    '    const n = st.n, t = st.t, l = st.l;',
    '    const stage = stageOf(n, t, l, now), tier = tierOf(n, t, l, now);',
    '    if (out !== null && out !== undefined) probesOf(n, t, l, now, stage, tier, out);',
    '    return resultOf(n, stage, tier);',
    '  } finally {',
    '    busy = outer;',
    '  }',
  ];
}
