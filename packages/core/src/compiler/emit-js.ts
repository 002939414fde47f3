/**
 * IR -> JavaScript. The generated code is straight-line: one statement per rule, conditions as
 * plain boolean expressions over numbered slots in a reused typed-array state, rules chunked
 * into functions of {@link RULES_PER_FUNCTION} (V8 stops optimising huge functions), one pass
 * over the events. `score` allocates nothing but its result; `explain` and `validate` use the
 * same evaluation and read its state afterwards.
 *
 * Safety: identifiers are never taken from user text (slots are numbers, names are data), every
 * string goes through {@link jsString}, object keys through {@link jsKey}.
 */
import type { Model } from '../checker/model.js';
import { TABLE_FOLD_SOURCE, RUNTIME_SOURCE } from '../runtime/runtime-source.js';
import { foldTableString, runtimeHelpers } from '../runtime/runtime.js';
import type { DecayIR, EachRuleIR, Expr, NumConst, NumOperand, ReadDialectIR, ScorerIR, StagePartIR, Step, ValueSlot } from './ir.js';
import { jsData, jsKey, jsNumber, jsString } from './js-syntax.js';
import { expectedDateText, lowerModel } from './lower.js';
import { derivedStatements, tableFunctions } from './emit-js-tables.js';
import { eventCellRead, GIVEN_ROW_ENTRY_NAMES, probedEvaluation, ROW_ENTRY_NAMES, rowEntryLines } from './emit-js-rows.js';
import { ACCOUNTS_SOURCE, accountSpec, accountSpecCode } from './emit-js-accounts.js';

/**
 * Rules per generated function. Smaller functions reach optimised code sooner, which is what a
 * large file's first pass over the leads costs; 50 lowered the first-pass CPU time of a
 * 2,000-rule file by ~10% against 100 (25: ~15%, but 5% slower once warm on 200 rules).
 */
export const RULES_PER_FUNCTION = 50;

/** Lists longer than this are tested with a `Set` (or a loop helper) instead of a `===` chain. */
const INLINE_LIST_LIMIT = 8;

const RUNTIME_NAMES = [
  'hasOwn',
  'isArray',
  'getPrototypeOf',
  'fold',
  'isBlank',
  'toNumber',
  'toBool',
  'toNumberAs',
  'toBoolAs',
  'toEpochMillis',
  'toInstant',
  'parseIsoDate',
  'looseDate',
  'listValue',
  'report',
  'reportUnlessAbsent',
  'reportUnlessMissing',
  'reportUnlessNullish',
  'createTextMemo',
  'memoFold',
  'listHasAny',
  'textMatchAny',
  'decayedHundredths',
  'linearDecayedHundredths',
  'keepLatestPerPeriod',
  'resolveNow',
  'eventsOf',
  'eventTimesOf',
  'eventType',
  'eventCount',
  'eventAt',
  'buildExplanation',
  'NO_INVALID',
] as const;

type Storage = { readonly array: 'n' | 't' | 'l'; readonly index: number };

/**
 * A text slot tested with `=`/`in` also gets an integer code per lead: its position among the
 * values those tests name (0: any other value or missing), found with one `Map` lookup when the
 * slot is read. Rules then compare small integers instead of strings (a folded lead value is a
 * fresh string, so `===` with a literal would compare characters every time).
 */
interface TextCode {
  /** Where the code lives in `n`. */
  readonly index: number;
  readonly codes: ReadonlyMap<string, number>;
}

/** Where every value lives in the evaluation state. */
interface Layout {
  readonly slot: ReadonlyArray<Storage | null>;
  readonly textCode: ReadonlyArray<TextCode | null>;
  /** Text slots read through a fold memo (see `memoFold`): those with codes and `one of`s. */
  readonly memo: readonly boolean[];
  /**
   * Text slots only tested with `is set`/`is missing`/`requires`: they hold the raw string when
   * it is not blank (folding it would only tell the same), `""` otherwise.
   */
  readonly setOnly: readonly boolean[];
  readonly segment: readonly number[];
  readonly queryCount: readonly number[];
  readonly queryLatest: ReadonlyArray<number | null>;
  readonly queryDays: ReadonlyArray<number | null>;
  /** By {@link DistinctCountIR} id: the number slot of its value (its Set is `st.ds[id]`). */
  readonly distinctCount: readonly number[];
  readonly weightedSum: readonly number[];
  /** A run-limited query's instants, gathered in `l` then kept by `keepLatestPerPeriod`. */
  readonly queryAts: ReadonlyArray<number | null>;
  readonly ruleValue: ReadonlyArray<number | null>;
  readonly ruleCapped: ReadonlyArray<number | null>;
  readonly groupRaw: readonly number[];
  readonly groupValue: readonly number[];
  readonly ungrouped: number;
  readonly rawScore: number;
  readonly score: number;
  readonly numbers: number;
  readonly texts: number;
  readonly lists: number;
}

function layoutOf(ir: ScorerIR): Layout {
  let numbers = 0;
  let texts = 0;
  let lists = 0;
  const slot = ir.slots.map((s): Storage | null => {
    if (!s.used) return null;
    if (s.type === 'text' || s.type === 'one-of') return { array: 't', index: texts++ };
    if (s.type === 'list') return { array: 'l', index: lists++ };
    return { array: 'n', index: numbers++ };
  });
  const uses = textUses(ir);
  const textCode = ir.slots.map((s): TextCode | null => {
    const values = uses.equals.get(s.id);
    // A table's value is computed, not read: no code is kept for it (its tests compare text).
    if (values === undefined || slot[s.id] === null || s.derived !== undefined) return null;
    return { index: numbers++, codes: new Map([...values].map((value, i) => [value, i + 1])) };
  });
  const setOnly = ir.slots.map((s) => slot[s.id] !== null && s.type === 'text' && !uses.equals.has(s.id) && !uses.matched.has(s.id));
  // Fields compared with `=`/`in` and `one of`s hold categories whose spellings repeat; so do
  // event text properties (a site's pages, its assets), folded once per event otherwise: about
  // 7% of the bench's event-heavy scorer (issue 13). memoFold stops memoising text that does not
  // repeat, so distinct values (URLs with query strings) cost little more than folding them.
  const memo = ir.slots.map(
    (s) =>
      slot[s.id] !== null &&
      s.derived === undefined &&
      (textCode[s.id] !== null || s.type === 'one-of' || (s.event !== null && s.type === 'text' && !setOnly[s.id])),
  );
  const segment = ir.segments.map(() => numbers++);
  const queryCount = ir.queries.map(() => numbers++);
  const queryLatest = ir.queries.map((q) => (q.needsLatest ? numbers++ : null));
  const queryDays = ir.queries.map((q) => (q.needsLatest ? numbers++ : null));
  const weightedSum = ir.weightedSums.map(() => numbers++);
  const distinctCount = ir.distinctCounts.map(() => numbers++);
  const queryAts = ir.queries.map((q) => (q.limit !== null ? lists++ : null));
  // A decaying `when` rule keeps its decayed points for explanations, like an `each` rule.
  const ruleValue = ir.rules.map((r) => (r.kind === 'each' || r.decay !== null ? numbers++ : null));
  const ruleCapped = ir.rules.map((r) => (r.kind === 'each' ? numbers++ : null));
  const groupRaw = ir.groups.map(() => numbers++);
  const groupValue = ir.groups.map(() => numbers++);
  const ungrouped = numbers++;
  const rawScore = numbers++;
  const score = numbers++;
  return {
    slot,
    textCode,
    memo,
    setOnly,
    segment,
    queryCount,
    queryLatest,
    queryDays,
    distinctCount,
    weightedSum,
    queryAts,
    ruleValue,
    ruleCapped,
    groupRaw,
    groupValue,
    ungrouped,
    rawScore,
    score,
    numbers,
    texts,
    lists,
  };
}

/** Emits the module-level constants (sets, value lists) the code refers to, deduplicated. */
class Constants {
  readonly lines: string[] = [];
  private readonly byText = new Map<string, string>();

  add(expression: string): string {
    let name = this.byText.get(expression);
    if (name === undefined) {
      name = `K${this.byText.size}`;
      this.byText.set(expression, name);
      this.lines.push(`const ${name} = ${expression};`);
    }
    return name;
  }

  set(values: readonly string[]): string {
    return this.add(`new Set(${jsData(values)})`);
  }

  list(values: readonly string[]): string {
    return this.add(`Object.freeze(${jsData(values)})`);
  }
}

const TEXT_OPERATORS = { starts: 0, ends: 1, contains: 2 } as const;
const METHODS = { starts: 'startsWith', ends: 'endsWith', contains: 'includes' } as const;

class ExpressionEmitter {
  /**
   * Set while emitting the probe function (issue 17), where the contact's stage and tier indexes
   * are the variables `stg` and `tir`: `result-in` / `result-set` are valid only there.
   */
  inProbe = false;

  constructor(
    private readonly ir: ScorerIR,
    private readonly layout: Layout,
    private readonly constants: Constants,
  ) {}

  private storage(slot: number): Storage {
    const storage = this.layout.slot[slot];
    if (storage === null) throw new Error(`internal: slot ${slot} read but not marked used`);
    return storage;
  }

  slotRef(slot: number): string {
    const s = this.storage(slot);
    return `${s.array}[${s.index}]`;
  }

  isSet(slot: number): string {
    const ref = this.slotRef(slot);
    switch (this.ir.slots[slot].type) {
      case 'text':
      case 'one-of':
        return `${ref} !== ""`;
      case 'list':
        return `${ref}.length !== 0`;
      default:
        return `${ref} === ${ref}`;
    }
  }

  private operand(operand: NumOperand): { code: string; mayBeMissing: boolean } {
    switch (operand.kind) {
      case 'slot':
        return { code: this.slotRef(operand.slot), mayBeMissing: true };
      case 'group':
        return { code: `n[${this.layout.groupValue[operand.group]}]`, mayBeMissing: false };
      case 'score':
        return { code: `n[${this.layout.score}]`, mayBeMissing: false };
      case 'count':
        return { code: `n[${this.layout.queryCount[operand.query]}]`, mayBeMissing: false };
      case 'count-distinct':
        return { code: `n[${this.layout.distinctCount[operand.distinct]}]`, mayBeMissing: false };
      case 'days-since': {
        const days = this.layout.queryDays[operand.query];
        if (days === null) throw new Error(`internal: query ${operand.query} has no days-since slot`);
        return { code: `n[${days}]`, mayBeMissing: true };
      }
    }
  }

  private constant(value: NumConst): string {
    if (value.kind === 'const') return jsNumber(value.value);
    if (value.milliseconds === 0) return 'now';
    return value.milliseconds > 0 ? `(now + ${jsNumber(value.milliseconds)})` : `(now - ${jsNumber(-value.milliseconds)})`;
  }

  /**
   * Whether the code in `ref` is one of `values`' codes: a `===` chain for short lists, a range
   * test when the codes are consecutive (a `let` list used in order), else a lookup table.
   */
  private codeTest(ref: string, values: readonly string[], code: TextCode): string {
    const codes = [...new Set(values.map((value) => code.codes.get(value) ?? -1))].sort((a, b) => a - b);
    if (codes.length <= INLINE_LIST_LIMIT) return codes.map((c) => `${ref} === ${c}`).join(' || ');
    const low = codes[0];
    const high = codes[codes.length - 1];
    if (high - low === codes.length - 1) return `${ref} >= ${low} && ${ref} <= ${high}`;
    const table = new Array<number>(code.codes.size + 1).fill(0);
    for (const c of codes) table[c] = 1;
    return `${this.constants.add(`new Uint8Array(${jsData(table)})`)}[${ref}] === 1`;
  }

  emit(expr: Expr): string {
    switch (expr.kind) {
      case 'result-in':
      case 'result-set': {
        if (!this.inProbe) throw new Error(`internal: ${expr.kind} outside a probe`);
        const ref = expr.which === 'stage' ? 'stg' : 'tir';
        if (expr.kind === 'result-set') return expr.set ? `(${ref} >= 0)` : `(${ref} < 0)`;
        if (expr.values.length === 0) return 'false';
        const test = expr.values.map((v) => `${ref} === ${jsNumber(v)}`).join(' || ');
        return expr.negated ? `(${ref} >= 0 && !(${test}))` : `(${test})`;
      }
      case 'const':
        return expr.value ? 'true' : 'false';
      case 'and':
      case 'or': {
        if (expr.operands.length === 0) return expr.kind === 'and' ? 'true' : 'false';
        const joiner = expr.kind === 'and' ? ' && ' : ' || ';
        return `(${expr.operands.map((operand) => this.emit(operand)).join(joiner)})`;
      }
      case 'not':
        return `!${this.emit(expr.operand)}`;
      case 'segment':
        return `(n[${this.layout.segment[expr.segment]}] === 1)`;
      case 'compare': {
        const { code, mayBeMissing } = this.operand(expr.operand);
        const value = this.constant(expr.value);
        switch (expr.operator) {
          case '=':
            return `(${code} === ${value})`;
          case '!=':
            return mayBeMissing ? `(${code} === ${code} && ${code} !== ${value})` : `(${code} !== ${value})`;
          default:
            return `(${code} ${expr.operator} ${value})`;
        }
      }
      case 'between': {
        const { code } = this.operand(expr.operand);
        return `(${code} >= ${this.constant(expr.low)} && ${code} <= ${this.constant(expr.high)})`;
      }
      case 'text-in': {
        const ref = this.slotRef(expr.slot);
        const code = this.layout.textCode[expr.slot];
        let test: string;
        if (expr.values.length === 0) test = 'false';
        else if (code !== null && !expr.values.includes('')) test = this.codeTest(`n[${code.index}]`, expr.values, code);
        else if (expr.values.length <= INLINE_LIST_LIMIT) {
          test = expr.values.map((value) => `${ref} === ${jsString(value)}`).join(' || ');
        } else test = `${this.constants.set(expr.values)}.has(${ref})`;
        if (expr.negated) return `(${ref} !== "" && !(${test}))`;
        return expr.values.includes('') ? `(${ref} !== "" && (${test}))` : `(${test})`;
      }
      case 'text-match': {
        const ref = this.slotRef(expr.slot);
        if (expr.values.length === 0) return 'false';
        let test: string;
        if (expr.values.length <= INLINE_LIST_LIMIT) {
          const method = METHODS[expr.operator];
          test = expr.values.map((value) => `${ref}.${method}(${jsString(value)})`).join(' || ');
        } else {
          test = `textMatchAny(${ref}, ${TEXT_OPERATORS[expr.operator]}, ${this.constants.list(expr.values)})`;
        }
        return `(${ref} !== "" && (${test}))`;
      }
      case 'list-has': {
        const ref = this.slotRef(expr.slot);
        if (expr.values.length === 0) return 'false';
        if (expr.values.length <= INLINE_LIST_LIMIT) {
          return `(${expr.values.map((value) => `${ref}.includes(${jsString(value)})`).join(' || ')})`;
        }
        return `listHasAny(${ref}, ${this.constants.set(expr.values)})`;
      }
      case 'is-set':
        return `(${this.isSet(expr.slot)})`;
      case 'is-missing':
        return `!(${this.isSet(expr.slot)})`;
      case 'bool-is':
        return `(${this.slotRef(expr.slot)} === ${expr.value ? 1 : 0})`;
      case 'event-exists': {
        const count = `n[${this.layout.queryCount[expr.query]}]`;
        return expr.negated ? `(${count} === 0)` : `(${count} > 0)`;
      }
    }
  }
}

/**
 * How conditions use text slots: every non-blank value each one is compared with by `=`/`in`
 * (for {@link TextCode}), and the slots tested with `starts`/`ends`/`contains`. A text slot in
 * neither is only tested for being set, which needs no folding.
 */
function textUses(ir: ScorerIR): { equals: Map<number, Set<string>>; matched: Set<number> } {
  const equals = new Map<number, Set<string>>();
  const matched = new Set<number>();
  const visit = (expr: Expr): void => {
    switch (expr.kind) {
      case 'and':
      case 'or':
        expr.operands.forEach(visit);
        return;
      case 'not':
        visit(expr.operand);
        return;
      case 'text-in': {
        let values = equals.get(expr.slot);
        if (values === undefined) equals.set(expr.slot, (values = new Set()));
        for (const value of expr.values) if (value !== '') values.add(value);
        return;
      }
      case 'text-match':
        matched.add(expr.slot);
        return;
      default:
        return;
    }
  };
  for (const rule of ir.rules) if (rule.kind === 'when') visit(rule.condition);
  for (const segment of ir.segments) visit(segment.condition);
  for (const query of ir.queries) if (query.where !== null) visit(query.where);
  for (const stage of ir.stages) {
    for (const part of stage.conditions) visit(part.expr);
    if (stage.when !== null) visit(stage.when);
  }
  for (const tier of ir.tiers) visit(tier.condition);
  for (const probe of ir.probes) visit(probe.condition);
  // A `count distinct` compares folded values: its text slots must hold them (not `setOnly`).
  for (const distinct of ir.distinctCounts) matched.add(distinct.slot);
  // So does a synonym table's input.
  for (const slot of ir.slots) if (slot.derived !== undefined) matched.add(slot.derived.input);
  return { equals, matched };
}

/**
 * Adds an occurrence's value of a `count distinct` property to its Set (`ds[id]`), unless
 * missing: text slots hold the folded value (`""` = missing), number/date/bool slots a number
 * (NaN = missing; a Set keeps `0` and `-0` as one value, as the contract says).
 */
function distinctAdd(ir: ScorerIR, layout: Layout, id: number): string {
  const slot = ir.distinctCounts[id].slot;
  const storage = layout.slot[slot];
  if (storage === null) throw new Error(`internal: distinct count ${id} reads unstored slot ${slot}`);
  const ref = `${storage.array}[${storage.index}]`;
  const type = ir.slots[slot].type;
  const set = type === 'text' || type === 'one-of' ? `${ref} !== ""` : `${ref} === ${ref}`;
  return `if (${set}) ds[${id}].add(${ref});`;
}

/** `obj[key]` when `key` is an own property of `obj` (an expression; may throw). */
function ownRead(obj: string, key: string): string {
  const k = jsString(key);
  return `(hasOwn.call(${obj}, ${k}) ? ${obj}[${k}] : undefined)`;
}

/**
 * Statements setting `v` to the raw value of `slot` in `source`, an object known not to be an
 * array (LANGUAGE.md, "Values in lead and event data"): the literal key as an own property
 * (whatever its value), else the nested path, own properties of non-array objects only. Keys
 * are string literals, so each read is a monomorphic named load instead of the generic keyed
 * loads of `readRaw`; `hasOwn` first keeps inherited values (prototype pollution, class
 * instances, Object.prototype names) and proxy traps exactly as `readRaw` sees them. A getter or
 * trap that throws makes the value missing and unreported, as `readRaw`'s callers do.
 */
function rawReadStatements(slot: ValueSlot, source: string, scanned: LeadScan | null = null): string[] {
  const { key, path } = slot;
  const keyAt = scanned?.index.get(key);
  if (path.length < 2) {
    const read = `try { v = ${ownRead(source, key)}; } catch (x) { v = undefined; }`;
    if (keyAt === undefined) return [read];
    return [`v = R[${keyAt}];`, 'if (v === UNREAD) {', `  ${read}`, '} else if (v === THREW) v = undefined;'];
  }
  const firstAt = scanned?.index.get(path[0]);
  const first = ownRead(source, path[0]);
  const walk =
    firstAt === undefined
      ? [`v = ${first};`]
      : // The parent read once for all its dotted fields: THREW first, so a throw is remembered.
        [`v = R[${firstAt}];`, `if (v === UNREAD) {`, `  R[${firstAt}] = THREW;`, `  v = R[${firstAt}] = ${first};`, '} else if (v === THREW) throw THREW;'];
  for (const part of path.slice(1)) {
    walk.push(`v = typeof v === "object" && v !== null && !isArray(v) ? ${ownRead('v', part)} : undefined;`);
  }
  const k = jsString(key);
  const read = [`try {`, `  if (hasOwn.call(${source}, ${k})) v = ${source}[${k}];`, '  else {', ...indent(walk, 2), '  }', '} catch (x) {', '  v = undefined;', '}'];
  if (keyAt === undefined) return read;
  return [`v = R[${keyAt}];`, 'if (v === UNREAD) {', ...indent(read), '} else if (v === THREW) v = undefined;'];
}

/**
 * The lead's own enumerable properties are read in one `for...in` pass when the lead has a
 * prototype (a plain object): V8 walks its cached key list and loads each value by position,
 * which for leads of many different shapes (fields absent here and there) is several times
 * cheaper than one `hasOwn` plus one megamorphic load per declared field. Each key the rules
 * use gets an index into the reused array `R` (declared field keys and the first part of
 * dotted paths); fields the pass did not find (absent, non-enumerable own, or the pass was cut
 * short) are read one by one as before, so the values are exactly `readRaw`'s. Null-prototype
 * leads (dictionary objects, where `for...in` is slow) and leads with many more keys than the
 * rules use skip or cut the pass.
 */
interface LeadScan {
  /** Index into `R` of every key the pass captures. */
  readonly index: ReadonlyMap<string, number>;
}

function leadScanOf(ir: ScorerIR, layout: Layout): LeadScan {
  const index = new Map<string, number>();
  for (const slot of ir.slots) {
    // `account.*` (issue 17) are read from the `given` object of the account scorer, not this pass.
    if (slot.source !== 'lead' || layout.slot[slot.id] === null || slot.derived !== undefined || slot.synthetic === true) continue;
    if (!index.has(slot.key)) index.set(slot.key, index.size);
    if (slot.path.length >= 2 && !index.has(slot.path[0])) index.set(slot.path[0], index.size);
  }
  return { index };
}

function leadScanStatements(scan: LeadScan): string[] {
  if (scan.index.size === 0) return [];
  const lines = [...scan.index.values()].map((i) => `R[${i}] = UNREAD;`);
  const cases = [...scan.index].map(
    ([key, i]) => `    case ${jsString(key)}: cur = ${i}; if (hasOwn.call(o, k)) R[${i}] = o[k]; cur = -1; break;`,
  );
  lines.push(
    'let scan = false, cur = -1;',
    'try { scan = o !== NO_FIELDS && getPrototypeOf(o) !== null; } catch (x) {}',
    'if (scan) {',
    '  try {',
    '    let keys = 0;',
    '    for (const k in o) {',
    // Far more keys than the rules read: the remaining fields are read one by one.
    `      if (++keys > ${4 * scan.index.size + 16}) break;`,
    '      switch (k) {',
    ...indent(cases, 2),
    '      }',
    '    }',
    '  } catch (x) {',
    // A getter or trap threw: that value is missing (not read again); the rest one by one.
    '    if (cur >= 0) R[cur] = THREW;',
    '  }',
    '}',
  );
  return lines;
}

/** Whether a file's `data` block changes nothing: then no dialect code is generated at all. */
export function isPlainDialect(dialect: ReadDialectIR): boolean {
  return dialect.numbers === 'plain' && dialect.dates === 'iso' && dialect.trueWords.length === 0 && dialect.falseWords.length === 0;
}

const NUMBER_FORMAT_CODES = { plain: 0, 'decimal-comma': 1, 'decimal-point': 2 } as const;
const DATE_ORDER_CODES = { iso: 0, 'day-first': 1, 'month-first': 2 } as const;

/**
 * The expression coercing the raw value `v` of a number, bool or date slot with the file's
 * dialect: the plain helpers without a `data` block (no dialect code generated), the dialect's
 * otherwise (its bool words are the module constants TRUE_WORDS and FALSE_WORDS).
 */
function coerceExpression(type: 'number' | 'bool' | 'date', dialect: ReadDialectIR): string {
  switch (type) {
    case 'number':
      return dialect.numbers === 'plain' ? 'toNumber(v)' : `toNumberAs(v, ${NUMBER_FORMAT_CODES[dialect.numbers]})`;
    case 'bool':
      return dialect.trueWords.length === 0 && dialect.falseWords.length === 0 ? 'toBool(v)' : 'toBoolAs(v, TRUE_WORDS, FALSE_WORDS)';
    case 'date':
      return `toInstant(v, ${DATE_ORDER_CODES[dialect.dates]})`;
  }
}

/**
 * Whether some placeholder of a number, bool or date slot would otherwise be read as a value.
 * Only then must a value that coerced be tested against the placeholders; otherwise the test
 * is needed only for values that did not coerce (to keep them unreported), so the common path
 * of a slot with placeholders costs nothing more. Sound because a raw string that coerces
 * folds to a placeholder `w` only if `w` (number, bool) or `w` upper-cased (dates: the `T` and
 * `Z` of ISO text are the only letters a date may hold) coerces too: folding only trims and
 * lowercases/unaccents letters.
 */
function placeholderMayCoerce(slot: ValueSlot, dialect: ReadDialectIR): boolean {
  if (slot.type !== 'number' && slot.type !== 'bool' && slot.type !== 'date') return false;
  // Slots sharing the data block's list ask once per type, not once per slot.
  let byList = mayCoerceAnswers.get(dialect);
  if (byList === undefined) mayCoerceAnswers.set(dialect, (byList = new Map()));
  let byType = byList.get(slot.missing);
  if (byType === undefined) byList.set(slot.missing, (byType = new Map()));
  let answer = byType.get(slot.type);
  if (answer === undefined) byType.set(slot.type, (answer = someCoerces(slot, dialect)));
  return answer;
}

/** placeholderMayCoerce's answers, by dialect, list of placeholders and type. */
const mayCoerceAnswers = new WeakMap<ReadDialectIR, Map<readonly string[], Map<ValueSlot['type'], boolean>>>();

/** Whether one of the slot's placeholders (or it upper-cased) is read as a value of its type. */
function someCoerces(slot: ValueSlot, dialect: ReadDialectIR): boolean {
  const rt = runtimeHelpers();
  const trueWords = new Set(dialect.trueWords);
  const falseWords = new Set(dialect.falseWords);
  const coerces = (word: string): boolean => {
    const value =
      slot.type === 'number'
        ? rt.toNumberAs(word, NUMBER_FORMAT_CODES[dialect.numbers])
        : slot.type === 'bool'
          ? rt.toBoolAs(word, trueWords, falseWords)
          : rt.toInstant(word, DATE_ORDER_CODES[dialect.dates]);
    return value === value;
  };
  return slot.missing.some((word) => coerces(word) || coerces(word.toUpperCase()));
}

/** A boolean expression: whether the folded text in variable `f` is one of the slot's placeholders. */
function placeholderTest(slot: ValueSlot, f: string): string {
  if (slot.missing.length > INLINE_LIST_LIMIT) return `P${slot.id}.has(${f})`;
  return `(${slot.missing.map((word) => `${f} === ${jsString(word)}`).join(' || ')})`;
}

/**
 * The statements reading slot `slot` from `source` (the lead or an event, a non-array object)
 * into its storage, coercing it as the runtime's `read*` helpers do (with the file's dialect and
 * the slot's placeholders) and reporting to `inv`. Unused slots are only read when reporting.
 */
function readStatements(
  slot: ValueSlot,
  layout: Layout,
  source: string,
  dialect: ReadDialectIR,
  scanned: LeadScan | null = null,
  raw: readonly string[] | null = null,
): string[] {
  const storage = layout.slot[slot.id];
  const d = `D${slot.id}`;
  // `raw`: the row entry's read of a cell (emit-js-rows.ts) instead of the read from `source`.
  const lines = raw !== null ? [...raw] : rawReadStatements(slot, source, storage === null ? null : scanned);
  const placeholders = slot.missing.length > 0;
  // A number, bool or date that did not coerce: reported unless absent (or a placeholder).
  const reportFailed = placeholders ? `reportUnlessMissing(inv, ${d}, v)` : `reportUnlessAbsent(inv, ${d}, v)`;
  const coerce = (type: 'number' | 'bool' | 'date'): string[] => {
    const out = [`r = ${coerceExpression(type, dialect)};`];
    if (placeholders && placeholderMayCoerce(slot, dialect)) {
      out.push(`if (r === r && typeof v === "string") {`, `  f = fold(v);`, `  if (${placeholderTest(slot, 'f')}) r = NaN;`, '}');
    }
    return out;
  };
  if (storage === null) {
    switch (slot.type) {
      case 'number':
      case 'bool':
      case 'date':
        lines.push(...coerce(slot.type), `if (r !== r) ${reportFailed};`);
        break;
      case 'text':
        lines.push(`if (typeof v !== "string") reportUnlessNullish(inv, ${d}, v);`);
        break;
      case 'one-of': {
        const valid = `f === "" || ${d}.set.has(f)${placeholders ? ` || ${placeholderTest(slot, 'f')}` : ''}`;
        lines.push(`if (typeof v !== "string") reportUnlessNullish(inv, ${d}, v);`, `else {`, `  f = fold(v);`, `  if (!(${valid})) report(inv, ${d}, v);`, '}');
        break;
      }
      case 'list':
        lines.push(`listValue(v, ${d}, inv, []);`);
        break;
    }
    return ['if (inv !== null) {', ...indent(lines), '}'];
  }
  const ref = `${storage.array}[${storage.index}]`;
  const code = layout.textCode[slot.id];
  const memo = layout.memo[slot.id] ? `M${slot.id}` : null;
  const codeRef = code === null ? null : `n[${code.index}]`;
  switch (slot.type) {
    case 'number':
    case 'bool':
    case 'date': {
      lines.push(...coerce(slot.type), `${ref} = r;`, `if (r !== r && inv !== null) ${reportFailed};`);
      break;
    }
    case 'text':
    case 'one-of': {
      const folded = memo === null ? 'fold(v)' : `memoFold(${memo}, v)`;
      const onString: string[] = [];
      if (layout.setOnly[slot.id]) {
        if (placeholders) onString.push(`if (isBlank(v)) ${ref} = "";`, 'else {', '  f = fold(v);', `  ${ref} = ${placeholderTest(slot, 'f')} ? "" : v;`, '}');
        else onString.push(`${ref} = isBlank(v) ? "" : v;`);
      } else if (slot.type === 'text') {
        onString.push(`${ref} = ${folded};`);
        if (codeRef !== null) onString.push(`${codeRef} = ${memo === null ? `V${slot.id}.get(${ref}) ?? 0` : `${memo}.code`};`);
        if (placeholders) {
          // A placeholder is missing (and not reported): cleared after folding.
          onString.push(`if (${placeholderTest(slot, ref)}) {`, `  ${ref} = "";`);
          if (codeRef !== null) onString.push(`  ${codeRef} = 0;`);
          onString.push('}');
        }
      } else {
        // `one of`: a folded value outside the set is the wrong type (missing, reported); a
        // placeholder is missing and not reported.
        onString.push(`f = ${folded};`);
        if (placeholders) onString.push(`if (${placeholderTest(slot, 'f')}) f = "";`);
        onString.push(`if (f === "") {`, `  ${ref} = "";`);
        if (codeRef !== null) onString.push(`  ${codeRef} = 0;`);
        onString.push(`} else if (${d}.set.has(f)) {`, `  ${ref} = f;`);
        if (codeRef !== null) onString.push(`  ${codeRef} = ${memo === null ? `V${slot.id}.get(f) ?? 0` : `${memo}.code`};`);
        onString.push('} else {', `  ${ref} = "";`);
        if (codeRef !== null) onString.push(`  ${codeRef} = 0;`);
        onString.push(`  if (inv !== null) report(inv, ${d}, v);`, '}');
      }
      const otherwise = [`${ref} = "";`];
      if (codeRef !== null) otherwise.push(`${codeRef} = 0;`);
      otherwise.push(`if (inv !== null) reportUnlessNullish(inv, ${d}, v);`);
      lines.push('if (typeof v === "string") {', ...indent(onString), '} else {', ...indent(otherwise), '}');
      break;
    }
    case 'list':
      lines.push(`listValue(v, ${d}, inv, ${ref});`);
      break;
  }
  return lines;
}

/**
 * A synthetic slot's read (issue 17: `account.*`, given by the account scorer) in a block where
 * `inv` is null, so it is read like any field but never reported.
 */
function unreported(slot: ValueSlot, lines: string[]): string[] {
  if (slot.synthetic !== true) return lines;
  return ['{', '  const inv = null;', ...indent(lines), '}'];
}

function indent(lines: readonly string[], depth = 1): string[] {
  const pad = '  '.repeat(depth);
  return lines.map((line) => (line === '' ? line : pad + line));
}

/**
 * The generated scorer as the body of a function taking the runtime helpers as `rt` and
 * returning `{score, explain, validate, scoreAndValidate, validateEvent}`. Instantiated
 * in-process with `new Function('rt', body)`
 * and wrapped by {@link emitModule} for standalone use.
 */
export function emitScorerBody(
  ir: ScorerIR,
  options: {
    readonly rulesPerFunction?: number;
    readonly rows?: boolean;
    /** Issue 17: generate the account scorer's entries `scoreWith` / `explainWith` (also implied by synthetic slots or probes). */
    readonly accountEntries?: boolean;
  } = {},
): string {
  const rulesPerFunction = options.rulesPerFunction ?? RULES_PER_FUNCTION;
  const layout = layoutOf(ir);
  const constants = new Constants();
  const expressions = new ExpressionEmitter(ir, layout, constants);
  const out: string[] = [];

  out.push('"use strict";');
  out.push(`const { ${RUNTIME_NAMES.join(', ')} } = rt;`);
  out.push(...tableFunctions(ir));
  const slotStorage = (slot: number): string | null => {
    const storage = layout.slot[slot];
    return storage === null ? null : `${storage.array}[${storage.index}]`;
  };

  // The file's `data` dialect, only when it has one that changes a reading: the runtime's
  // form of it (RuntimeDialect) for the descriptors, and the bool words the readers test.
  const plain = isPlainDialect(ir.dialect);
  if (!plain) {
    out.push(`const TRUE_WORDS = new Set(${jsData(ir.dialect.trueWords)}), FALSE_WORDS = new Set(${jsData(ir.dialect.falseWords)});`);
    out.push(
      `const DIALECT = Object.freeze({ numbers: ${NUMBER_FORMAT_CODES[ir.dialect.numbers]}, dates: ${DATE_ORDER_CODES[ir.dialect.dates]}, trueWords: TRUE_WORDS, falseWords: FALSE_WORDS });`,
    );
  }
  // Descriptors of every slot (how to read it, what to report), and of each event's `at`; a
  // slot's placeholders are the Set P<slot> (missing, never reported).
  // One Set per distinct list (slots without a list of their own share the data block's).
  const placeholderSets = new Map<readonly string[], string>();
  for (const slot of ir.slots) {
    if (slot.missing.length > 0) {
      const shared = placeholderSets.get(slot.missing);
      if (shared === undefined) {
        placeholderSets.set(slot.missing, `P${slot.id}`);
        out.push(`const P${slot.id} = new Set(${jsData(slot.missing)});`);
      } else {
        out.push(`const P${slot.id} = ${shared};`);
      }
    }
    const set = slot.type === 'one-of' ? `, set: new Set(${jsData(slot.oneOf)})` : '';
    const missing = slot.missing.length > 0 ? `, missing: P${slot.id}` : '';
    const dialect = plain ? '' : ', dialect: DIALECT';
    out.push(
      `const D${slot.id} = { key: ${jsString(slot.key)}, parts: ${jsData(slot.path)}, name: ${jsString(slot.name)}, expected: ${jsString(slot.expected)}${set}${missing}${dialect} };`,
    );
  }
  for (const slot of ir.slots) {
    const code = layout.textCode[slot.id];
    if (code !== null) out.push(`const V${slot.id} = new Map(${jsData([...code.codes])});`);
    if (layout.memo[slot.id]) out.push(`const M${slot.id} = createTextMemo(${code === null ? 'null' : `V${slot.id}`});`);
  }
  // What a lead that is not a plain object reads as: no own property at all.
  out.push('const NO_FIELDS = Object.freeze(Object.create(null));');
  // Markers in R (see leadScanOf): a key the pass did not find; a value whose getter threw.
  out.push('const UNREAD = Object.freeze({}), THREW = Object.freeze({});');
  if (ir.groups.length === 0) out.push('const NO_GROUPS = Object.freeze({});');
  for (const event of ir.events) {
    out.push(
      `const A${event.id} = { key: "at", parts: ["at"], name: ${jsString(`${event.name}.at`)}, expected: ${jsString(expectedDateText(ir.dialect.dates))} };`,
    );
  }
  const constantsAt = out.length;

  out.push(`const STAGES = ${jsData(ir.stages.map((s) => s.name))};`);
  out.push(`const TIERS = ${jsData(ir.tiers.map((t) => t.name))};`);
  const meta = {
    rules: ir.rules.map((rule) => ({
      index: rule.index,
      label: rule.label,
      group: rule.group === null ? null : ir.groups[rule.group].name,
      line: rule.line,
      each: rule.kind === 'each',
      points: rule.points,
      value: layout.ruleValue[rule.index] ?? -1,
      count: rule.kind === 'each' ? layout.queryCount[rule.query] : -1,
      capped: layout.ruleCapped[rule.index] ?? -1,
    })),
    groups: ir.groups.map((group) => ({
      name: group.name,
      min: group.min === null ? null : group.min / 100,
      max: group.max === null ? null : group.max / 100,
      raw: layout.groupRaw[group.id],
      value: layout.groupValue[group.id],
    })),
    rawScore: layout.rawScore,
    score: layout.score,
  };
  // One JSON text in a string: V8 reads a string literal and JSON.parse much faster than the
  // same data as an object literal, and META is most of the code of a large file (10,000 rules:
  // 1.6 MB of 2.8 MB). JSON.parse makes a `__proto__` key an own property, like the literal.
  // jsData's text is ASCII with no `<`, `>`, backtick or `$`, so quoting it with JSON.stringify
  // (which only adds `"` and `\` escapes) keeps it so: no second jsString pass over it.
  out.push(`const META = JSON.parse(${JSON.stringify(jsData(meta))});`);
  out.push('');
  out.push('function newState() {');
  out.push(
    `  return { n: new Float64Array(${layout.numbers}), t: ${jsData(new Array<string>(layout.texts).fill(''))}, l: [${new Array<string>(layout.lists).fill('[]').join(', ')}], f: new Int32Array(${ir.rules.length}), fc: 0, ds: [${ir.distinctCounts.map(() => 'new Set()').join(', ')}], r: new Array(${leadScanOf(ir, layout).index.size}).fill(undefined), inv: [] };`,
  );
  out.push('}');
  out.push('const shared = newState();');
  out.push('let busy = false;');
  out.push('');

  // Reading the lead: every declared field in order; unused ones only when reporting.
  const scan = leadScanOf(ir, layout);
  // `given` (issue 17): the account scorer's object holding the `account.*` fields (or an
  // account's `contacts#N`); those synthetic fields are then read from it only, else from the lead.
  const synthetic = ir.slots.some((slot) => slot.synthetic === true && slot.source === 'lead');
  out.push(`function readLead(lead, n, t, l, inv, R${synthetic ? ', given' : ''}) {`);
  out.push('  let o = NO_FIELDS, v, r, f;');
  // `isArray` throws on a revoked proxy: then every field is missing, as readRaw's callers see it.
  out.push('  try { if (typeof lead === "object" && lead !== null && !isArray(lead)) o = lead; } catch (x) {}');
  if (synthetic) out.push('  const g = given === undefined || given === null ? o : given;');
  out.push(...indent(leadScanStatements(scan)));
  for (const slot of ir.slots) {
    if (slot.source !== 'lead' || slot.derived !== undefined) continue;
    out.push(...indent(slot.synthetic === true ? unreported(slot, readStatements(slot, layout, 'g', ir.dialect, null)) : readStatements(slot, layout, 'o', ir.dialect, scan)));
  }
  out.push(...indent(derivedStatements(ir.slots.filter((s) => s.source === 'lead'), slotStorage)));
  out.push('}');
  out.push('');

  // One function per declared event: read `at` and the properties, then feed its queries.
  // `e` is a non-array object with an own text `type` (eventType). Returns the event's instant
  // (NaN when `at` is not a date), which validateEvent hands back to callers that pass it to
  // score again as `eventTimes` (see scanEvents): then `at` is not read or parsed again.
  // `cells`: the variant EC<id> for an event given as a table row's cells (emit-js-rows.ts):
  // `at` and each property read by column index from the plan `P`, the rest the same statements.
  const eventFunction = (event: ScorerIR['events'][number], cells: boolean): string[] => {
    const body: string[] = [];
    const readAtCall = cells ? `readAtCell(e, P.atColumn, A${event.id}, inv);` : `readAt(e, A${event.id}, inv);`;
    if (event.queries.length === 0) body.push('if (inv === null) return NaN;');
    body.push(cells ? 'let v, r, f, k, at = NaN;' : 'let v, r, f, at = NaN;');
    body.push('if (known) {');
    body.push('  at = time;');
    // Only a value that was not a date is read again, to report it.
    body.push(`  if (at !== at && inv !== null) at = ${readAtCall}`);
    body.push('} else {');
    body.push(`  at = ${readAtCall}`);
    body.push('}');
    // Scoring ignores an event after `now` (or with no valid `at`) before reading its
    // properties; reporting reads them all first, in order.
    // Scoring also ignores an event older than every query of its type looks back (each has a
    // `within` window): none would count it, so its properties are not read (when reporting,
    // they still are). `at < now - W` implies `at < now - w` for every window w <= W.
    const windows = event.queries.map((q) => ir.queries[q].withinMilliseconds);
    const widest = windows.length > 0 && windows.every((w): w is number => w !== null) ? Math.max(...windows) : null;
    if (event.properties.length > 0) {
      body.push(widest === null ? 'if (inv === null && !(at <= now)) return at;' : `if (inv === null && !(at <= now && at >= now - ${jsNumber(widest)})) return at;`);
      for (const prop of event.properties) body.push(...readStatements(ir.slots[prop], layout, 'e', ir.dialect, null, cells ? eventCellRead(prop) : null));
      body.push(...derivedStatements(ir.slots.filter((s) => s.source === 'event' && s.event === event.id), slotStorage));
    }
    body.push('if (!(at <= now)) return at;');
    for (const q of event.queries) {
      const query = ir.queries[q];
      const tests: string[] = [];
      if (query.withinMilliseconds !== null) tests.push(`at >= now - ${jsNumber(query.withinMilliseconds)}`);
      if (query.where !== null) tests.push(expressions.emit(query.where));
      const update: string[] = [];
      const ats = layout.queryAts[q];
      if (ats !== null) {
        // Run-limited: the instants are kept after the pass (see evaluate), then aggregated. Such
        // a query is an `each` rule's own (the limit is part of its key): it has no distinct count.
        if (query.distinctCounts.length > 0) throw new Error(`query ${q}: a run limit with distinct counts`);
        update.push(`l[${ats}].push(at);`);
      } else {
        update.push(`n[${layout.queryCount[q]}] += 1;`);
        const latest = layout.queryLatest[q];
        if (latest !== null) update.push(`if (at > n[${latest}]) n[${latest}] = at;`);
        for (const id of query.distinctCounts) update.push(distinctAdd(ir, layout, id));
        for (const w of query.weightedSums) update.push(`n[${layout.weightedSum[w]}] += ${weightCode(ir.weightedSums[w].points, ir.weightedSums[w].decay, 'at')};`);
      }
      if (tests.length === 0) body.push(...update);
      else body.push(`if (${tests.join(' && ')}) {`, ...indent(update), '}');
    }
    body.push('return at;');
    // `ds`: the Sets of the distinct counts (the evaluation state's `st.ds`).
    return cells
      ? [`function EC${event.id}(e, P, known, time, now, n, t, l, inv, ds) {`, ...indent(body), '}', '']
      : [`function E${event.id}(e, known, time, now, n, t, l, inv, ds) {`, ...indent(body), '}', ''];
  };
  for (const event of ir.events) out.push(...eventFunction(event, false));

  // An event's `at` as epoch milliseconds, in the file's date order (readEventAt: a missing `at`
  // is reported too; a throwing getter is missing and unreported).
  out.push('function readAt(e, d, inv) {');
  out.push('  let v;');
  out.push(`  try { v = ${ownRead('e', 'at')}; } catch (x) { return NaN; }`);
  out.push('  let at = typeof v === "string" ? parseIsoDate(v) : toEpochMillis(v);');
  // Text ISO 8601 did not read: trimmed, a space for the T, the date order (runtime textDate).
  out.push(`  if (at !== at && typeof v === "string") at = looseDate(v, ${DATE_ORDER_CODES[ir.dialect.dates]});`);
  out.push('  if (at !== at && inv !== null) report(inv, d, v);');
  out.push('  return at;');
  out.push('}');
  out.push('');

  // `times`: the caller's instants of the events (ScoreOptions.eventTimes, from validateEvent),
  // or null. A number there is used as the event's instant instead of reading `at` again.
  out.push('function scanEvents(evs, times, now, n, t, l, inv, ds) {');
  out.push('  const count = eventCount(evs);');
  out.push('  for (let i = 0; i < count; i++) {');
  out.push('    const e = eventAt(evs, i);');
  if (ir.events.length > 0) {
    out.push('    let time = NaN, known = false;');
    out.push('    if (times !== null) {');
    out.push('      const k = times[i];');
    out.push('      if (typeof k === "number") {');
    out.push('        time = k;');
    out.push('        known = true;');
    out.push('      }');
    out.push('    }');
  }
  out.push('    const type = eventType(e);');
  out.push('    switch (type) {');
  for (const event of ir.events) {
    const call = `E${event.id}(e, known, time, now, n, t, l, inv, ds);`;
    out.push(`      case ${jsString(event.name)}: ${event.queries.length === 0 ? `if (inv !== null) ${call}` : call} break;`);
  }
  out.push('      default:');
  out.push(
    '        if (inv !== null && type === undefined) inv.push({ field: "events", value: e, expected: "an event: an object with a text `type` and an `at` date" });',
  );
  out.push('    }');
  out.push('  }');
  out.push('}');
  out.push('');

  // One event's problems without scoring it: \`now\` is -Infinity, so each E function returns
  // right after reading \`at\` and the properties (no query is fed). Returns the event's instant.
  out.push('function checkEvent(e, n, t, l, inv) {');
  out.push('  switch (eventType(e)) {');
  for (const event of ir.events) out.push(`    case ${jsString(event.name)}: return E${event.id}(e, false, NaN, -Infinity, n, t, l, inv);`);
  out.push('    default:');
  out.push(
    '      if (eventType(e) === undefined) inv.push({ field: "events", value: e, expected: "an event: an object with a text `type` and an `at` date" });',
  );
  out.push('      return NaN;');
  out.push('  }');
  out.push('}');
  out.push('');

  // The program, chunked.
  const chunks: Step[][] = [[]];
  let rulesInChunk = 0;
  for (const step of ir.program) {
    if (step.kind === 'rule') {
      if (rulesInChunk === rulesPerFunction) {
        chunks.push([]);
        rulesInChunk = 0;
      }
      rulesInChunk++;
    }
    chunks[chunks.length - 1].push(step);
  }
  const sumSlot = (group: number | null) => (group === null ? layout.ungrouped : layout.groupRaw[group]);
  chunks.forEach((steps, c) => {
    const body: string[] = [];
    for (const step of steps) {
      if (step.kind === 'segment') {
        const segment = ir.segments[step.segment];
        body.push(`n[${layout.segment[segment.id]}] = ${expressions.emit(segment.condition)} ? 1 : 0;`);
      } else if (step.kind === 'group') {
        const group = ir.groups[step.group];
        body.push(`{ // group ${group.id}`);
        body.push(`  let v = n[${layout.groupRaw[group.id]}];`);
        if (group.max !== null) body.push(`  if (v > ${jsNumber(group.max)}) v = ${jsNumber(group.max)};`);
        if (group.min !== null) body.push(`  if (v < ${jsNumber(group.min)}) v = ${jsNumber(group.min)};`);
        body.push(`  n[${layout.groupValue[group.id]}] = v;`);
        body.push('}');
      } else {
        const rule = ir.rules[step.rule];
        if (rule.kind === 'when') {
          body.push(`if (${expressions.emit(rule.condition)}) { // rule ${rule.index}`);
          if (rule.decay === null) {
            body.push(`  n[${sumSlot(rule.group)}] += ${jsNumber(rule.points)};`);
          } else {
            // The condition holds only when the decay query has an occurrence: `latest` is an instant.
            const latest = layout.queryLatest[rule.decay.query];
            if (latest === null) throw new Error(`query ${rule.decay.query} has no latest`);
            body.push(`  const v = ${weightCode(rule.points, rule.decay.decay, `n[${latest}]`)};`);
            body.push(`  n[${layout.ruleValue[rule.index]}] = v;`);
            body.push(`  n[${sumSlot(rule.group)}] += v;`);
          }
        } else {
          body.push(...emitEachRule(rule, layout, sumSlot(rule.group)));
        }
        body.push(`  f[fc++] = ${rule.index};`);
        body.push('}');
      }
    }
    out.push(`function C${c}(n, t, l, f, fc, now) {`, ...indent(body), '  return fc;', '}', '');
  });

  // Evaluation: read, aggregate events, run the program, total.
  const readLeadStatement = synthetic ? 'readLead(lead, n, t, l, inv, st.r, given);' : 'readLead(lead, n, t, l, inv, st.r);';
  const evaluate: string[] = ['const n = st.n, t = st.t, l = st.l;', readLeadStatement];
  for (const q of ir.queries) {
    evaluate.push(`n[${layout.queryCount[q.id]}] = 0;`);
    const latest = layout.queryLatest[q.id];
    if (latest !== null) evaluate.push(`n[${latest}] = -Infinity;`);
  }
  for (const w of ir.weightedSums) evaluate.push(`n[${layout.weightedSum[w.id]}] = 0;`);
  for (const q of ir.queries) {
    const ats = layout.queryAts[q.id];
    if (ats !== null) evaluate.push(`l[${ats}].length = 0;`);
  }
  for (const dc of ir.distinctCounts) evaluate.push(`st.ds[${dc.id}].clear();`);
  for (const g of ir.groups) evaluate.push(`n[${layout.groupRaw[g.id]}] = 0;`);
  evaluate.push(`n[${layout.ungrouped}] = 0;`);
  // With no declared event only reporting reads the events (entries that are not events).
  const scanStatement = ir.events.length === 0 ? 'if (inv !== null) scanEvents(evs, null, now, n, t, l, inv, st.ds);' : 'scanEvents(evs, times, now, n, t, l, inv, st.ds);';
  evaluate.push(scanStatement);
  // Run limits: of each limited query's instants, the latest K per period of age count.
  for (const q of ir.queries) {
    const ats = layout.queryAts[q.id];
    if (ats === null || q.limit === null) continue;
    const latest = layout.queryLatest[q.id];
    evaluate.push(`{ // query ${q.id}: at most ${q.limit.count} per ${q.limit.periodMilliseconds} ms`);
    evaluate.push(`  const kept = keepLatestPerPeriod(l[${ats}], now, ${jsNumber(q.limit.periodMilliseconds)}, ${jsNumber(q.limit.count)});`);
    evaluate.push(`  n[${layout.queryCount[q.id]}] = kept.length;`);
    if (latest !== null) evaluate.push(`  if (kept.length > 0) n[${latest}] = kept[0];`);
    if (q.weightedSums.length > 0) {
      evaluate.push('  for (let i = 0; i < kept.length; i++) {');
      evaluate.push('    const at = kept[i];');
      for (const w of q.weightedSums) evaluate.push(`    n[${layout.weightedSum[w]}] += ${weightCode(ir.weightedSums[w].points, ir.weightedSums[w].decay, 'at')};`);
      evaluate.push('  }');
    }
    evaluate.push('}');
  }
  for (const dc of ir.distinctCounts) evaluate.push(`n[${layout.distinctCount[dc.id]}] = st.ds[${dc.id}].size;`);
  for (const q of ir.queries) {
    const days = layout.queryDays[q.id];
    const latest = layout.queryLatest[q.id];
    if (days !== null && latest !== null) {
      evaluate.push(`n[${days}] = n[${layout.queryCount[q.id]}] > 0 ? Math.floor((now - n[${latest}]) / 86400000) : NaN;`);
    }
  }
  evaluate.push('let fc = 0;');
  chunks.forEach((_, c) => evaluate.push(`fc = C${c}(n, t, l, st.f, fc, now);`));
  evaluate.push('st.fc = fc;');
  const groupSum = ir.groups.map((g) => `n[${layout.groupValue[g.id]}]`);
  evaluate.push(`let total = ${[...groupSum, `n[${layout.ungrouped}]`].join(' + ')};`);
  evaluate.push(`n[${layout.rawScore}] = total;`);
  if (ir.scoreRange !== null) {
    evaluate.push(`if (total > ${jsNumber(ir.scoreRange.max)}) total = ${jsNumber(ir.scoreRange.max)};`);
    evaluate.push(`if (total < ${jsNumber(ir.scoreRange.min)}) total = ${jsNumber(ir.scoreRange.min)};`);
  }
  evaluate.push(`n[${layout.score}] = total;`);
  out.push(`function evaluate(st, lead, evs, times, now, inv${synthetic ? ', given' : ''}) {`, ...indent(evaluate), '}', '');

  // Stage and tier.
  const score = `n[${layout.score}]`;
  const stageTest = (i: number): { reached: string; requires: string[]; conditions: string[]; when: string } => {
    const stage = ir.stages[i];
    return {
      reached: `${score} >= ${jsNumber(stage.threshold)}`,
      requires: stage.requires.map((slot) => expressions.isSet(slot)),
      conditions: stage.conditions.map((part) => expressions.emit(part.expr)),
      when: stage.when === null ? 'true' : expressions.emit(stage.when),
    };
  };
  out.push('function stageOf(n, t, l, now) {');
  for (let i = ir.stages.length - 1; i >= 0; i--) {
    const test = stageTest(i);
    const parts = [test.reached, ...test.requires.map((r) => `(${r})`), ...test.conditions.map((c) => `(${c})`), ...(test.when === 'true' ? [] : [test.when])];
    out.push(`  if (${parts.join(' && ')}) return ${i};`);
  }
  out.push('  return -1;', '}', '');

  out.push('function tierOf(n, t, l, now) {');
  ir.tiers.forEach((tier, i) => out.push(`  if (${expressions.emit(tier.condition)}) return ${i};`));
  out.push('  return -1;', '}', '');

  out.push('function stageDetails(n, t, l, now, stage) {');
  out.push('  const out = [];');
  ir.stages.forEach((stage, i) => {
    const test = stageTest(i);
    out.push('  {');
    out.push('    const missing = [];');
    stage.requires.forEach((slot, k) => out.push(`    if (!(${test.requires[k]})) missing.push(${jsString(ir.slots[slot].name)});`));
    // Which parts failed, by source text: only here (explain), never when scoring.
    const failure = (part: StagePartIR): string => `{ text: ${jsString(part.text)}, alternatives: [${part.alternatives.map(jsString).join(', ')}] }`;
    out.push('    const failedRequirements = [];');
    stage.conditions.forEach((part, k) => out.push(`    if (!(${test.conditions[k]})) failedRequirements.push(${failure(part)});`));
    out.push(`    const scoreReached = ${test.reached};`);
    out.push(`    const conditionHolds = ${test.when};`);
    out.push('    const failedWhen = [];');
    if (stage.whenParts.length > 0) {
      out.push('    if (!conditionHolds) {');
      // One part is the whole `when`: it failed, no need to test it again.
      if (stage.whenParts.length === 1) out.push(`      failedWhen.push(${failure(stage.whenParts[0])});`);
      else stage.whenParts.forEach((part) => out.push(`      if (!(${expressions.emit(part.expr)})) failedWhen.push(${failure(part)});`));
      out.push('    }');
    }
    out.push(
      `    out.push({ name: ${jsString(stage.name)}, threshold: ${jsNumber(stage.threshold / 100)}, isStage: stage === ${i}, reached: scoreReached && missing.length === 0 && failedRequirements.length === 0 && conditionHolds, scoreReached, missing, failedRequirements, conditionHolds, failedWhen });`,
    );
    out.push('  }');
  });
  out.push('  return out;', '}', '');

  // A file without groups returns one shared frozen `groups` object: the result is then the
  // only allocation of a call.
  const groups =
    ir.groups.length === 0 ? 'NO_GROUPS' : `{ ${ir.groups.map((g) => `${jsKey(g.name)}: n[${layout.groupValue[g.id]}] / 100`).join(', ')} }`;
  const withGiven = synthetic || ir.probes.length > 0 || options.accountEntries === true;
  if (withGiven) out.push(...givenLines(ir, layout, expressions));
  if (withGiven) out.push(...foldLines(ir, layout, evaluate, scanStatement));
  out.push('function resultOf(n, stage, tier) {');
  out.push(`  return { score: ${score} / 100, stage: stage < 0 ? null : STAGES[stage], tier: tier < 0 ? null : TIERS[tier], groups: ${groups} };`);
  out.push('}', '');

  out.push(
    ...[
      'function score(lead, options) {',
      '  const now = resolveNow(options);',
      // Without declared events, scoring never looks at them (only reporting does).
      ir.events.length === 0 ? '  const evs = null, times = null;' : '  const evs = eventsOf(lead, options, null), times = eventTimesOf(options);',
      // A getter on the lead may call the scorer again while the shared state is in use.
      '  const outer = busy;',
      '  const st = outer ? newState() : shared;',
      '  busy = true;',
      '  try {',
      '    evaluate(st, lead, evs, times, now, null);',
      '    const n = st.n, t = st.t, l = st.l;',
      '    return resultOf(n, stageOf(n, t, l, now), tierOf(n, t, l, now));',
      '  } finally {',
      '    busy = outer;',
      '  }',
      '}',
      '',
      // `given`: only from explainWith (issue 17), never from callers of `explain`.
      `function explain(lead, options${withGiven ? ', given' : ''}) {`,
      '  const now = resolveNow(options);',
      '  const inv = [];',
      '  const evs = eventsOf(lead, options, inv);',
      '  const st = newState();',
      `  evaluate(st, lead, evs, eventTimesOf(options), now, inv${withGiven ? ', given' : ''});`,
      '  const n = st.n, t = st.t, l = st.l;',
      '  const stage = stageOf(n, t, l, now);',
      '  const base = resultOf(n, stage, tierOf(n, t, l, now));',
      '  return buildExplanation(META, st, now, base, stageDetails(n, t, l, now, stage), inv);',
      '}',
      '',
      // On the shared state like `score` (a new one only when re-entered): the account scorer
      // validates every account record (issue 17), and a state per call cost more than the call.
      'function validate(lead, options) {',
      '  const now = resolveNow(options);',
      '  const inv = [];',
      '  const evs = eventsOf(lead, options, inv);',
      '  const outer = busy;',
      '  const st = outer ? newState() : shared;',
      '  busy = true;',
      '  try {',
      '    evaluate(st, lead, evs, eventTimesOf(options), now, inv);',
      '  } finally {',
      '    busy = outer;',
      '  }',
      '  return inv;',
      '}',
      '',
      // `score` and `validate` in one evaluation, on the shared state like `score`.
      'function scoreAndValidate(lead, options) {',
      '  const now = resolveNow(options);',
      '  const outer = busy;',
      '  const st = outer ? newState() : shared;',
      // The state's report list is reused: a lead with nothing invalid allocates no list. It is
      // emptied only when it holds something: setting an array's length goes through V8's
      // length accessor (~20 ns even on an empty array), twice per lead and per event row.
      '  const inv = st.inv;',
      '  if (inv.length !== 0) inv.length = 0;',
      '  busy = true;',
      '  try {',
      '    const evs = eventsOf(lead, options, inv);',
      '    evaluate(st, lead, evs, eventTimesOf(options), now, inv);',
      '    const n = st.n, t = st.t, l = st.l;',
      '    const result = resultOf(n, stageOf(n, t, l, now), tierOf(n, t, l, now));',
      '    return { result, invalid: inv.length === 0 ? NO_INVALID : inv.slice() };',
      '  } finally {',
      '    if (inv.length !== 0) inv.length = 0;',
      '    busy = outer;',
      '  }',
      '}',
      '',
      // `out`, when given, receives the event's instant (`out.at`, NaN when `at` is not a date)
      // for ScoreOptions.eventTimes, so scoring does not parse `at` again.
      'function validateEvent(event, out) {',
      '  const outer = busy;',
      '  const st = outer ? newState() : shared;',
      '  const inv = st.inv;',
      '  if (inv.length !== 0) inv.length = 0;',
      '  busy = true;',
      '  let at = NaN, invalid = NO_INVALID;',
      '  try {',
      '    at = checkEvent(event, st.n, st.t, st.l, inv);',
      '    if (inv.length !== 0) invalid = inv.slice();',
      '  } finally {',
      '    if (inv.length !== 0) inv.length = 0;',
      '    busy = outer;',
      '  }',
      '  if (out !== undefined && out !== null) out.at = at;',
      '  return invalid;',
      '}',
      '',
    ],
  );
  // With `rows`: the row entry (emit-js-rows.ts), for callers that read tables (rubric score).
  if (options.rows === true) {
    const readSlot = (slot: ValueSlot, raw: readonly string[]): string[] => unreported(slot, readStatements(slot, layout, 'o', ir.dialect, null, raw));
    const derivedLead = derivedStatements(ir.slots.filter((s) => s.source === 'lead'), slotStorage);
    const eventFunctions = ir.events.flatMap((event) => eventFunction(event, true));
    // Issue 17: with the account entries, `scoreRowWith` reads `account.*` from `given` as readLead does.
    const readGivenSlot = withGiven ? (slot: ValueSlot): string[] => unreported(slot, readStatements(slot, layout, 'g', ir.dialect, null)) : undefined;
    const givenLocations = withGiven ? givenLocationsOf(ir, layout) : null;
    out.push(
      ...rowEntryLines({ ir, readSlot, evaluate, readLeadStatement, scanStatement, eventFunctions, dateOrder: DATE_ORDER_CODES[ir.dialect.dates], derivedLead, ...(readGivenSlot !== undefined ? { readGivenSlot, givenLocations } : {}) }),
    );
    if (withGiven) out.push(...foldRowLines(ir, layout));
  }
  const probeEntry = withGiven ? ', scoreWith, explainWith, newFold, foldEvents, scoreFolded, scoreWithChecked' : '';
  const rowNames = options.rows === true ? [...ROW_ENTRY_NAMES, ...(withGiven ? [...GIVEN_ROW_ENTRY_NAMES, 'foldEventRows'] : [])] : [];
  out.push(`return { score, explain, validate, scoreAndValidate, validateEvent${probeEntry}${rowNames.length > 0 ? `, ${rowNames.join(', ')}` : ''} };`);
  out.splice(constantsAt, 0, ...constants.lines);
  return out.join('\n') + '\n';
}

/**
 * The generated text of an account-scorer entry `NAME(lead, options, given, out, inv)`: the lead
 * scored with `given` (its account's fields), its probes written to `out` when given, its invalid
 * values to `inv` when given. `events` declares `evs` and `times`; `evaluation` evaluates into `st`.
 */
function givenEntry(name: string, events: string, evaluation: string): string[] {
  return [
    `function ${name}(lead, options, given, out, inv) {`,
    '  const now = resolveNow(options);',
    '  if (inv === undefined) inv = null;',
    `  ${events}`,
    ...probedEvaluation(evaluation),
    '}',
  ];
}

/**
 * Issue 17: the entries of the account scorer (runtime/accounts-source.ts), generated for an IR
 * with `account.*` (or `contacts#N`) fields or probes:
 * - `scoreWith(lead, options, given, out, inv)`: scores the lead as `score` does, its synthetic
 *   fields read from `given` only; with `out`, writes each probe's condition (evaluated after
 *   the stage and tier) into `out[i]` (1 or 0, in {@link ScorerIR.probes} order); with `inv`
 *   (an array), pushes the lead's invalid values into it as `validate(lead, options)` gives
 *   them (synthetic fields are never invalid), in the same evaluation. Segments only
 *   probes read are evaluated here (after the program, in dependency order), so `score`
 *   evaluates nothing more for a file with an account side.
 * - `explainWith(lead, options, given)`: `explain` with the synthetic fields read from `given`.
 */
function givenLines(ir: ScorerIR, layout: Layout, expressions: ExpressionEmitter): string[] {
  const placed = new Set<number>();
  for (const step of ir.program) if (step.kind === 'segment') placed.add(step.segment);
  const body: string[] = [];
  // Segments read by probes (through segments too) that no program step computes, readers last:
  // an explicit stack (segment chains can be long).
  const segmentsOf = (expr: Expr, into: number[]): void => {
    const stack: Expr[] = [expr];
    while (stack.length > 0) {
      const e = stack.pop() as Expr;
      if (e.kind === 'and' || e.kind === 'or') stack.push(...e.operands);
      else if (e.kind === 'not') stack.push(e.operand);
      else if (e.kind === 'segment') into.push(e.segment);
    }
  };
  const state = new Map<number, 'visiting' | 'done'>();
  const place = (root: number): void => {
    const work: { readonly s: number; readonly inner: number[] }[] = [];
    const enter = (s: number): void => {
      if (placed.has(s) || state.has(s)) return;
      state.set(s, 'visiting');
      const inner: number[] = [];
      segmentsOf(ir.segments[s].condition, inner);
      work.push({ s, inner });
    };
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const next = frame.inner.pop();
      if (next !== undefined) {
        enter(next);
        continue;
      }
      work.pop();
      state.set(frame.s, 'done');
      body.push(`n[${layout.segment[frame.s]}] = ${expressions.emit(ir.segments[frame.s].condition)} ? 1 : 0;`);
    }
  };
  for (const probe of ir.probes) {
    const read: number[] = [];
    segmentsOf(probe.condition, read);
    for (const s of read) place(s);
  }
  expressions.inProbe = true;
  ir.probes.forEach((probe, i) => body.push(`out[${i}] = ${expressions.emit(probe.condition)} ? 1 : 0;`));
  expressions.inProbe = false;
  return [
    'function probesOf(n, t, l, now, stg, tir, out) {',
    ...indent(body),
    '}',
    '',
    // `inv` (an array, or null/undefined): receives the lead's invalid values as `validate`
    // reports them, in the same evaluation (the account scorer's score-and-validate entry).
    ...givenEntry(
      'scoreWith',
      ir.events.length === 0 ? 'const evs = inv === null ? null : eventsOf(lead, options, inv), times = null;' : 'const evs = eventsOf(lead, options, inv), times = eventTimesOf(options);',
      `evaluate(st, lead, evs, times, now, inv${ir.slots.some((slot) => slot.synthetic === true && slot.source === 'lead') ? ', given' : ''});`,
    ),
    '',
    'function explainWith(lead, options, given) {',
    '  return explain(lead, options, given);',
    '}',
    '',
  ];
}

/**
 * Issue 17: the account scorer's events folded a contact at a time (AccountScorer.beginAccount),
 * so an account's events are never held: generated with the `scoreWith` entries.
 * - `newFold()`: an empty fold: the values the event scan accumulates (each query's count and
 *   latest instant, each weighted sum: what `evaluate` resets before its scan), and its own lists
 *   (run-limited queries' instants; the rest scratch) and distinct-count Sets.
 * - `foldEvents(acc, evs, times, options)`: scans `evs` (with their instants `times`, or null) at
 *   `options.now` into `acc`, exactly as `evaluate`'s scan (without reports) would add them after
 *   the events already folded: the same statements (scanEvents), in the same order.
 * - `scoreWithChecked(lead, options, given, out, inv)`: `scoreWith` for events the caller checked
 *   one by one (validateEvent): they are scanned as `score` scans them, so `inv` gets only the
 *   lead's own invalid values (what `scoreWith`'s `inv` holds without its events' entries).
 * - `scoreFolded(lead, options, given, acc, inv)`: `scoreWith(lead, options-with-all-those-events,
 *   given, null)`: `evaluate` with its scan replaced by loading `acc` (loadFold); with `inv` (an
 *   array), the lead's own invalid values are pushed into it (no event is read, so none of theirs).
 */
function foldLines(ir: ScorerIR, layout: Layout, evaluate: readonly string[], scanStatement: string): string[] {
  const slots = foldSlots(ir, layout);
  const initial = foldSlotsInitial(ir, layout);
  const ats = ir.queries.map((q) => layout.queryAts[q.id]).filter((a): a is number => a !== null);
  let replaced = 0;
  const folded = evaluate.map((line) => {
    if (line !== scanStatement) return line;
    replaced++;
    return 'loadFold(st, acc);';
  });
  if (replaced !== 1) throw new Error('emit-js: evaluate() no longer has its scan statement');
  // The scan as `score` runs it (no reports): the events were checked one by one by the caller.
  const checked = evaluate.map((line) => (line === scanStatement ? (ir.events.length === 0 ? '' : 'scanEvents(evs, times, now, n, t, l, null, st.ds);') : line));
  const synthetic = ir.slots.some((slot) => slot.synthetic === true && slot.source === 'lead');
  return [
    'function newFold() {',
    `  return { n: [${initial.join(', ')}], o: 0, l: [${new Array<string>(layout.lists).fill('[]').join(', ')}], ds: [${ir.distinctCounts.map(() => 'new Set()').join(', ')}] };`,
    '}',
    '',
    'function foldEvents(acc, evs, times, options) {',
    ...foldBody(ir, slots, 'scanEvents(evs, times, now, n, st.t, acc.l, null, acc.ds);'),
    '}',
    '',
    'function loadFold(st, acc) {',
    '  const n = st.n, l = st.l;',
    ...(slots.length === 0 ? [] : ['  const an = acc.n, ao = acc.o;']),
    ...slots.map((slot, i) => `  n[${slot}] = an[ao + ${i}];`),
    ...ats.map((a) => `  { const from = acc.l[${a}]; for (let i = 0; i < from.length; i++) l[${a}].push(from[i]); }`),
    ...ir.distinctCounts.map((dc) => `  for (const v of acc.ds[${dc.id}]) st.ds[${dc.id}].add(v);`),
    '}',
    '',
    'function evaluateFolded(st, lead, evs, times, now, inv, given, acc) {',
    ...indent(folded.filter((line) => line !== '')),
    '}',
    '',
    'function evaluateChecked(st, lead, evs, times, now, inv, given) {',
    ...indent(checked.filter((line) => line !== '')),
    '}',
    '',
    // scoreWith(lead, options, given, out, inv) for events the caller checked with validateEvent:
    // they are scanned without reports, so `inv` gets the lead's own values only.
    ...givenEntry(
      'scoreWithChecked',
      ir.events.length === 0 ? 'const evs = null, times = null;' : 'const evs = eventsOf(lead, options, null), times = eventTimesOf(options);',
      `evaluateChecked(st, lead, evs, times, now, inv${synthetic ? ', given' : ', undefined'});`,
    ),
    '',
    'function scoreFolded(lead, options, given, acc, inv) {',
    '  const now = resolveNow(options);',
    '  if (inv === undefined) inv = null;',
    '  const outer = busy;',
    '  const st = outer ? newState() : shared;',
    '  busy = true;',
    '  try {',
    '    evaluateFolded(st, lead, null, null, now, inv, given, acc);',
    '    const n = st.n, t = st.t, l = st.l;',
    '    return resultOf(n, stageOf(n, t, l, now), tierOf(n, t, l, now));',
    '  } finally {',
    '    busy = outer;',
    '  }',
    '}',
    '',
  ].filter((line, i, all) => line !== '' || all[i - 1] !== '');
}

/**
 * The `n` slots a fold carries (each query's count and latest instant, each weighted sum), in
 * the order of a fold's `acc.n`; {@link foldSlotsInitial} gives each one's empty value.
 */
function foldSlots(ir: ScorerIR, layout: Layout): number[] {
  const slots: number[] = [];
  for (const q of ir.queries) {
    slots.push(layout.queryCount[q.id]);
    const latest = layout.queryLatest[q.id];
    if (latest !== null) slots.push(latest);
  }
  for (const w of ir.weightedSums) slots.push(layout.weightedSum[w.id]);
  return slots;
}

function foldSlotsInitial(ir: ScorerIR, layout: Layout): string[] {
  const initial: string[] = [];
  for (const q of ir.queries) {
    initial.push('0');
    if (layout.queryLatest[q.id] !== null) initial.push('-Infinity');
  }
  for (let i = 0; i < ir.weightedSums.length; i++) initial.push('0');
  return initial;
}

/**
 * Where the synthetic (`account.*`) lead slots' values live in the state once read: each one's
 * storage and text code (emit-js-rows.ts `givenSlots`); null when one of them is a list, whose
 * array is filled in place.
 */
function givenLocationsOf(ir: ScorerIR, layout: Layout): string[] | null {
  const locations: string[] = [];
  for (const slot of ir.slots) {
    if (slot.source !== 'lead' || slot.synthetic !== true || slot.derived !== undefined) continue;
    const storage = layout.slot[slot.id];
    if (storage === null) continue;
    if (storage.array === 'l') return null;
    locations.push(`${storage.array}[${storage.index}]`);
    const code = layout.textCode[slot.id];
    if (code !== null) locations.push(`n[${code.index}]`);
  }
  return locations;
}

/**
 * The body of a fold entry (`foldEvents`, `foldEventRows`): the fold's values loaded into the
 * state's `n`, `scan` run (after `now` is resolved; none without declared events), and the
 * values stored back.
 */
function foldBody(ir: ScorerIR, slots: readonly number[], scan: string): string[] {
  return [
    '  const now = resolveNow(options);',
    '  const outer = busy;',
    '  const st = outer ? newState() : shared;',
    '  busy = true;',
    '  try {',
    '    const n = st.n;',
    ...(slots.length === 0 ? [] : ['    const an = acc.n, ao = acc.o;']),
    ...slots.map((slot, i) => `    n[${slot}] = an[ao + ${i}];`),
    ir.events.length === 0 ? '' : `    ${scan}`,
    ...slots.map((slot, i) => `    an[ao + ${i}] = n[${slot}];`),
    '  } finally {',
    '    busy = outer;',
    '  }',
  ];
}

/**
 * Issue 17, with the row entry: `foldEventRows(acc, eventRows, options)`, emit-js.ts's
 * `foldEvents(acc, evs, times, options)` for events given as table rows (`eventRows` as
 * `scoreRowAndValidate` takes them, its plan from this scorer's `eventPlan`): the same values
 * folded, in the same order, by the row scan (the EC<id> functions), so an account folds its
 * contacts' events from the cells the events file gave, with no object per event.
 */
function foldRowLines(ir: ScorerIR, layout: Layout): string[] {
  const slots = foldSlots(ir, layout);
  return [
    'function foldEventRows(acc, eventRows, options) {',
    '  if (eventRows === undefined || eventRows === null) return;',
    '  checkPlan(eventRows.plan, "foldEventRows");',
    '  const { rows, types, times } = eventRows;',
    '  if (!isArray(rows) || !isArray(types) || !isArray(times) || types.length < rows.length || times.length < rows.length) throw new TypeError("foldEventRows: eventRows needs arrays rows, types and times of one length");',
    ...foldBody(ir, slots, 'scanEventRows(rows, types, times, eventRows.plan, now, n, st.t, acc.l, acc.ds);'),
    '}',
    '',
  ].filter((line) => line !== '');
}

/** JavaScript for the decayed weight of `points` (hundredths) for an occurrence at `at`. */
function weightCode(points: number, decay: DecayIR, at: string): string {
  if (decay.kind === 'half-life') return `decayedHundredths(${jsNumber(points)}, (now - ${at}) / 1000, ${jsNumber(decay.halfLifeSeconds)})`;
  return `linearDecayedHundredths(${jsNumber(points)}, now - ${at}, ${jsNumber(decay.percentHundredths)}, ${jsNumber(decay.periodMilliseconds)})`;
}

function emitEachRule(rule: EachRuleIR, layout: Layout, sum: number): string[] {
  const count = `n[${layout.queryCount[rule.query]}]`;
  const total = rule.weightedSum === null ? `${count} * ${jsNumber(rule.points)}` : `n[${layout.weightedSum[rule.weightedSum]}]`;
  const lines = [`if (${count} > 0) { // rule ${rule.index}`, `  let v = ${total}, capped = 0;`];
  if (rule.cap !== null) {
    lines.push(`  if (v > ${jsNumber(rule.cap)}) { v = ${jsNumber(rule.cap)}; capped = 1; }`);
    lines.push(`  else if (v < ${jsNumber(-rule.cap)}) { v = ${jsNumber(-rule.cap)}; capped = 1; }`);
  }
  lines.push(`  n[${layout.ruleValue[rule.index]}] = v;`);
  lines.push(`  n[${layout.ruleCapped[rule.index]}] = capped;`);
  lines.push(`  n[${sum}] += v;`);
  return lines;
}

/** What `new Function('rt', body)(rt)` returns. */
export interface GeneratedScorer {
  readonly score: (lead: unknown, options?: unknown) => unknown;
  readonly explain: (lead: unknown, options?: unknown) => unknown;
  readonly validate: (lead: unknown, options?: unknown) => unknown;
  readonly scoreAndValidate: (lead: unknown, options?: unknown) => unknown;
  readonly validateEvent: (event: unknown) => unknown;
}

function isIR(input: Model | ScorerIR): input is ScorerIR {
  return 'program' in input;
}

export interface EmitModuleOptions {
  /** `esm` (default): `export` statements; `cjs`: `module.exports`. */
  readonly format?: 'esm' | 'cjs';
}

/**
 * A standalone JavaScript module (no dependency, runtime inlined, ASCII-only) exporting
 * `score`, `explain`, `validate`, `scoreAndValidate` and `validateEvent` (and a default export
 * with all of them). For a model with an `account` block (issue 17) it also exports `accounts`
 * (the {@link AccountScorer}, null without one) and `scoreAccount`, `explainAccount`,
 * `validateAccount`, `scoreContact` and `explainContact` (absent without one); an IR input has no account side. The text is what
 * `rubric build` bundles; {@link emitTypeDeclarations} writes its `.d.ts`.
 */
export function emitModule(input: Model | ScorerIR, options: EmitModuleOptions = {}): string {
  const ir = isIR(input) ? input : lowerModel(input);
  const model = isIR(input) ? null : input;
  const body = emitScorerBody(ir, { accountEntries: (model?.account ?? null) !== null });
  const lines = ['// Generated by Rubric: a compiled lead scorer. Do not edit; rebuild from the rule file.'];
  if (options.format === 'cjs') lines.push('"use strict";');
  const instance = (text: string, name: string): string => `const ${name} = (function (rt) {\n${indent(text.trimEnd().split('\n')).join('\n')}\n})(rt);`;
  lines.push(
    RUNTIME_SOURCE.trim(),
    '',
    TABLE_FOLD_SOURCE.trim(),
    '',
    `const rt = createRuntime(createTableFold(${jsString(foldTableString())}));`,
    instance(body, 'scorer'),
    '',
  );
  let accounts = 'null';
  const account = model?.account ?? null;
  if (model !== null && account !== null) {
    const accountIR = lowerModel(account.scoring);
    lines.push(
      ACCOUNTS_SOURCE.trim(),
      '',
      instance(emitScorerBody(accountIR, { accountEntries: true }), 'accountScorer'),
      `const accountScoring = createAccountScorer(rt, scorer, accountScorer, ${accountSpecCode(accountSpec(model, ir, accountIR))});`,
      '',
    );
    accounts = 'accountScoring';
  }
  // The module's own entries (scoreWith/explainWith stay internal to the account scorer).
  const entries = ['score', 'explain', 'validate', 'scoreAndValidate', 'validateEvent'];
  const accountEntries =
    accounts === 'null' ? [] : ['scoreAccount', 'explainAccount', 'validateAccount', 'scoreContact', 'explainContact', 'scoreAccountAndValidate', 'scoreContactAndValidate'];
  let defaultExport = 'scorer';
  if (accounts !== 'null') {
    lines.push(`const entries = { ${[...entries.map((e) => `${e}: scorer.${e}`), `accounts: ${accounts}`, ...accountEntries.map((e) => `${e}: ${accounts}.${e}`)].join(', ')} };`);
    defaultExport = 'entries';
  }
  if (options.format === 'cjs') {
    lines.push('Object.defineProperty(exports, "__esModule", { value: true });');
    for (const e of entries) lines.push(`exports.${e} = scorer.${e};`);
    lines.push(`exports.accounts = ${accounts};`);
    for (const e of accountEntries) lines.push(`exports.${e} = ${accounts}.${e};`);
    lines.push(`exports.default = ${defaultExport};`);
  } else {
    for (const e of entries) lines.push(`export const ${e} = scorer.${e};`);
    lines.push(`export const accounts = ${accounts};`);
    for (const e of accountEntries) lines.push(`export const ${e} = ${accounts}.${e};`);
    lines.push(`export default ${defaultExport};`);
  }
  return lines.join('\n') + '\n';
}
