/**
 * Lowering: checked {@link Model} -> {@link ScorerIR}. Resolves names to numbered slots,
 * queries and groups, converts points to hundredths, deduplicates event queries and orders the
 * evaluation (segments right before their first reader, groups after the groups they read).
 */
import type {
  Cond,
  DataDialect,
  DecayInfo,
  RunLimitInfo,
  EventQuery,
  FieldInfo,
  FieldType,
  Model,
  NumericCheck,
  NumValue,
  RuleInfo,
  StagePart,
  Subject,
} from '../checker/model.js';
import type {
  DecayIR,
  RunLimitIR,
  WhenRuleIR,
  DistinctCountIR,
  TableIR,
  EventIR,
  EventQueryIR,
  Expr,
  GroupIR,
  NumConst,
  NumOperand,
  RuleIR,
  ScorerIR,
  SegmentIR,
  StageIR,
  StagePartIR,
  Step,
  TierIR,
  ValueSlot,
  ValueType,
  WeightedSumIR,
} from './ir.js';
import { MAX_NUMBER } from '../limits.js';
import { effectiveDecay } from '../checker/decay.js';
import { lowerProbes, lowerResultTest } from './lower-accounts.js';

/** Thrown when a model is not one the checker accepts without errors (a bug upstream). */
export class LoweringError extends Error {
  override readonly name = 'LoweringError';
}

/**
 * Points, bounds and thresholds as exact integer hundredths. The checker guarantees at most 2
 * decimals (R031) and at most `MAX_NUMBER` (R041), where `Math.round(value * 100)` is exact.
 */
export function toHundredths(value: number, what: string): number {
  const scaled = value * 100;
  const rounded = Math.round(scaled);
  if (!Number.isFinite(value) || Math.abs(scaled - rounded) > 1e-6 || !(Math.abs(value) <= MAX_NUMBER)) {
    throw new LoweringError(`${what} must be a number with at most 2 decimals and at most ${MAX_NUMBER} in absolute value, got ${value}`);
  }
  return rounded === 0 ? 0 : rounded;
}

/** A constant compared with a hundredths value: exact when it has at most 2 decimals. */
function scaleToHundredths(value: number): number {
  const scaled = value * 100;
  const rounded = Math.round(scaled);
  return Math.abs(scaled - rounded) <= 1e-6 ? rounded : scaled;
}

/**
 * What a value of a date slot (or an event's `at`) must look like, in reports: the file's date
 * order is named, since `20/02/2026` is valid under `dates: day first` and invalid without it.
 */
export function expectedDateText(dates: DataDialect['dates']): string {
  switch (dates) {
    case 'iso':
      return 'date (ISO 8601 text or Date)';
    case 'day-first':
      return 'date (ISO 8601 or day first like 20/02/2026, text, or Date)';
    case 'month-first':
      return 'date (ISO 8601 or month first like 02/20/2026, text, or Date)';
  }
}

/** The expected type as reports word it, in the file's data dialect. */
function expectedText(type: FieldType, dialect: DataDialect): string {
  switch (type.kind) {
    case 'text':
      return 'text';
    case 'number':
      return dialect.numbers === 'decimal-comma'
        ? 'number (written like 1 200,5)'
        : dialect.numbers === 'decimal-point'
          ? 'number (written like 1,200.5)'
          : 'number';
    case 'bool': {
      const words = ['true', 'false', 'yes', 'no', '1', '0', ...dialect.trueWords, ...dialect.falseWords];
      return `bool (true or false, or the text ${words.join('/')})`;
    }
    case 'date':
      return expectedDateText(dialect.dates);
    case 'list':
      return 'list of text';
    case 'one-of':
      return `one of [${type.written.join(', ')}]`;
  }
}

function valueType(type: FieldType): ValueType {
  return type.kind;
}

/** A checked decay in the IR's units (percent in hundredths, periods in milliseconds). */
function lowerDecay(decay: DecayInfo, line: number): DecayIR {
  if (decay.kind === 'half-life') {
    if (!(decay.halfLifeSeconds > 0)) throw new LoweringError(`half-life must be positive (line ${line})`);
    return { kind: 'half-life', halfLifeSeconds: decay.halfLifeSeconds };
  }
  // At most 2 decimals (R031): the rounding only removes the binary error of `percent * 100`.
  const percentHundredths = Math.round(decay.percent * 100);
  const periodMilliseconds = Math.round(decay.periodSeconds * 1000);
  if (!(percentHundredths >= 1 && percentHundredths <= 10000) || !(periodMilliseconds > 0) || !Number.isSafeInteger(periodMilliseconds)) {
    throw new LoweringError(`invalid decay (line ${line})`);
  }
  return { kind: 'linear', percentHundredths, periodMilliseconds };
}

function lowerLimit(limit: RunLimitInfo, line: number): RunLimitIR {
  const periodMilliseconds = Math.round(limit.periodSeconds * 1000);
  if (!(Number.isSafeInteger(limit.count) && limit.count >= 1) || !(periodMilliseconds > 0) || !Number.isSafeInteger(periodMilliseconds)) {
    throw new LoweringError(`invalid run limit (line ${line})`);
  }
  return { count: limit.count, periodMilliseconds };
}

interface MutableSlot extends Omit<ValueSlot, 'used' | 'key' | 'path' | 'synthetic'> {
  used: boolean;
  key: string;
  path: readonly string[];
  synthetic?: true;
}

interface MutableQuery extends Omit<EventQueryIR, 'needsLatest' | 'weightedSums' | 'distinctCounts'> {
  needsLatest: boolean;
  weightedSums: number[];
  distinctCounts: number[];
  readonly key: string;
}

/**
 * What an expression reads, for ordering. The sets are made on the first group or segment read:
 * most rules read neither, and two sets per rule were most of lowering's garbage.
 */
interface Reads {
  groups: Set<number> | null;
  segments: Set<number> | null;
  score: boolean;
}

const NOTHING_READ: ReadonlySet<number> = new Set();

function groupsRead(reads: Reads): ReadonlySet<number> {
  return reads.groups ?? NOTHING_READ;
}

function segmentsRead(reads: Reads): ReadonlySet<number> {
  return reads.segments ?? NOTHING_READ;
}

/**
 * Lowers a checked model. Throws {@link LoweringError} when the model has problems the checker
 * reports as errors (unknown names, cycles, `score` in a rule, more than 2 decimals, a number
 * out of range); a file `check` accepts always lowers (test/property/check-implies-build.test.ts).
 */
export function lowerModel(model: Model): ScorerIR {
  const slots: MutableSlot[] = [];
  const fieldSlots = new Map<string, number>();
  const propertySlots = new Map<string, number>();
  const eventIds = new Map<string, number>();

  function addSlot(info: FieldInfo, source: 'lead' | 'event', event: number | null, eventName: string): number {
    const id = slots.length;
    const parts = info.decl?.name?.parts?.map((part) => part.text);
    // A field (or event property) read from a named column is that one literal key, never a path.
    const column = info.column;
    const path =
      column !== undefined ? [column] : source === 'lead' ? (parts !== undefined && parts.length > 0 ? parts : info.name.split('.')) : [info.name];
    // Without a list of its own, a slot shares the data block's list (one array, not a copy per
    // slot: the generated scorer makes one Set of each distinct list).
    const own = info.missing ?? [];
    const missing = own.length === 0 ? model.dialect.missing : [...new Set([...model.dialect.missing, ...own])];
    slots.push({
      id,
      source,
      event,
      name: source === 'lead' ? info.name : `${eventName}.${info.name}`,
      key: column ?? info.name,
      path,
      type: valueType(info.type),
      oneOf: info.type.kind === 'one-of' ? info.type.values : [],
      expected: expectedText(info.type, model.dialect),
      used: false,
      missing,
    });
    return id;
  }

  for (const info of model.fields.values()) fieldSlots.set(info.name, addSlot(info, 'lead', null, ''));
  // Issue 17: `account.*` fields are given by the account scorer under their full name (never a
  // column, never reported); their nested path is the dotted name, like any dotted field.
  for (const info of model.fields.values()) {
    if (info.synthetic === undefined) continue;
    const slot = slots[fieldSlots.get(info.name) as number];
    slot.key = info.name;
    slot.path = info.name.split('.');
    slot.synthetic = true;
  }
  const eventProperties: number[][] = [];
  for (const event of model.events.values()) {
    const id = eventIds.size;
    eventIds.set(event.name, id);
    const props: number[] = [];
    for (const prop of event.properties.values()) {
      const slot = addSlot(prop, 'event', id, event.name);
      propertySlots.set(`${event.name}\u0000${prop.name}`, slot);
      props.push(slot);
    }
    eventProperties.push(props);
  }

  const groupIds = new Map<string, number>();
  model.groups.forEach((group, i) => groupIds.set(group.name, i));
  const segmentIds = new Map<string, number>();
  [...model.segments.values()].forEach((segment, i) => segmentIds.set(segment.name, i));

  const queries: MutableQuery[] = [];
  const queryByKey = new Map<string, MutableQuery>();
  const weightedSums: WeightedSumIR[] = [];
  const weightedSumByKey = new Map<string, number>();
  const distinctCounts: DistinctCountIR[] = [];
  const distinctCountByKey = new Map<string, number>();

  /** The distinct count of `property` over `query`, shared by every test that reads it. */
  function distinctCountOf(query: MutableQuery, eventName: string, property: string): number {
    const slot = propertySlots.get(`${eventName}\u0000${property}`);
    if (slot === undefined) throw new LoweringError(`unknown property \`${eventName}.${property}\``);
    if (slots[slot].type === 'list') throw new LoweringError(`\`count distinct\` on list property \`${eventName}.${property}\``);
    slots[slot].used = true;
    const key = `${query.id} ${slot}`;
    let id = distinctCountByKey.get(key);
    if (id === undefined) {
      id = distinctCounts.length;
      distinctCounts.push({ id, query: query.id, slot });
      distinctCountByKey.set(key, id);
      query.distinctCounts.push(id);
    }
    return id;
  }

  function fieldSlot(name: string): number {
    const slot = fieldSlots.get(name);
    if (slot === undefined) throw new LoweringError(`unknown field \`${name}\``);
    slots[slot].used = true;
    return slot;
  }

  const tables: TableIR[] = [];
  const tableIds = new Map<string, number>();
  const derivedSlots = new Map<string, number>();

  /** The slot holding `TABLE(INPUT)`: derived from the input's slot, one per table and input. */
  function tableSlot(subject: Extract<Subject, { kind: 'table' }>, scope: string | null): number {
    const input = slotOf(subject.input, scope);
    let table = tableIds.get(subject.table);
    if (table === undefined) {
      const info = model.tables.get(subject.table);
      if (info === undefined) throw new LoweringError(`unknown table \`${subject.table}\``);
      table = tables.length;
      tables.push({
        id: table,
        name: info.name,
        lines: info.lines.filter((line) => line.folded !== '').map((line) => ({ patterns: line.patterns.map((p) => p.folded), value: line.folded })),
      });
      tableIds.set(subject.table, table);
    }
    const key = `${table} ${input}`;
    const known = derivedSlots.get(key);
    if (known !== undefined) return known;
    const info = model.tables.get(subject.table) as NonNullable<ReturnType<typeof model.tables.get>>;
    const from = slots[input];
    const id = slots.length;
    slots.push({
      id,
      source: from.source,
      event: from.event,
      name: `${info.name}(${from.name})`,
      key: '',
      path: [],
      type: 'one-of',
      oneOf: info.folded,
      expected: `one of [${info.outputs.join(', ')}]`,
      used: true,
      missing: [],
      derived: { table, input },
    });
    derivedSlots.set(key, id);
    return id;
  }

  function slotOf(subject: Subject, scope: string | null): number {
    if (subject.kind === 'table') return tableSlot(subject, scope);
    if (subject.kind === 'field') {
      if (scope !== null) throw new LoweringError(`\`where\` reads lead field \`${subject.name}\``);
      return fieldSlot(subject.name);
    }
    if (subject.kind === 'property') {
      if (scope !== subject.event) throw new LoweringError(`property \`${subject.event}.${subject.name}\` read outside its event's \`where\``);
      const slot = propertySlots.get(`${subject.event}\u0000${subject.name}`);
      if (slot === undefined) throw new LoweringError(`unknown property \`${subject.event}.${subject.name}\``);
      slots[slot].used = true;
      return slot;
    }
    throw new LoweringError(`\`${subject.kind}\` is not a value slot`);
  }

  /** `unit`: plain numbers, hundredths (groups, score) or instants (dates, in milliseconds). */
  function numConst(value: NumValue, unit: 'plain' | 'hundredths' | 'instant'): NumConst {
    if (value.kind === 'relative') {
      if (unit !== 'instant') throw new LoweringError('a relative time compared with something that is not a date');
      return { kind: 'now-offset', milliseconds: value.offsetSeconds * 1000 };
    }
    if (!Number.isFinite(value.value)) throw new LoweringError(`invalid constant ${value.value}`);
    if (unit === 'hundredths') return { kind: 'const', value: scaleToHundredths(value.value) };
    return { kind: 'const', value: unit === 'instant' ? value.value * 1000 : value.value };
  }

  function numericExpr(operand: NumOperand, check: NumericCheck, unit: 'plain' | 'hundredths' | 'instant'): Expr {
    if (check.kind === 'compare') {
      return { kind: 'compare', operand, operator: check.operator, value: numConst(check.value, unit) };
    }
    return { kind: 'between', operand, low: numConst(check.low, unit), high: numConst(check.high, unit) };
  }

  function queryOf(query: EventQuery, reads: Reads | null, limit: RunLimitIR | null = null): MutableQuery {
    const event = eventIds.get(query.event);
    if (event === undefined) throw new LoweringError(`unknown event \`${query.event}\``);
    const where = query.where === undefined ? null : lowerCond(query.where, query.event, reads);
    const within = query.withinSeconds === undefined ? null : query.withinSeconds * 1000;
    // A run limit keeps other occurrences than the same query without it: another query.
    const key = limit === null ? JSON.stringify([event, within, where]) : JSON.stringify([event, within, where, limit.count, limit.periodMilliseconds]);
    let found = queryByKey.get(key);
    if (found === undefined) {
      found = { id: queries.length, event, where, withinMilliseconds: within, limit, needsLatest: false, weightedSums: [], distinctCounts: [], key };
      queries.push(found);
      queryByKey.set(key, found);
    }
    return found;
  }

  function lowerTest(cond: Extract<Cond, { kind: 'test' }>, scope: string | null, reads: Reads | null): Expr {
    const { subject, test } = cond;
    if (subject.kind === 'stage' || subject.kind === 'tier') {
      // Issue 17: only in a probe (an aggregate's `where`), read after the stage and tier.
      if (scope !== null) throw new LoweringError(`\`where\` of an event reads the ${subject.kind}`);
      return lowerResultTest(subject.kind, test, subject.kind === 'stage' ? model.stages.map((s) => s.name) : model.tiers.map((t) => t.name));
    }
    if (subject.kind === 'group' || subject.kind === 'score') {
      let operand: NumOperand;
      if (subject.kind === 'group') {
        const group = groupIds.get(subject.name);
        if (group === undefined) throw new LoweringError(`unknown group \`${subject.name}\``);
        if (scope !== null) throw new LoweringError(`\`where\` reads group \`${subject.name}\``);
        if (reads !== null) (reads.groups ??= new Set()).add(group);
        operand = { kind: 'group', group };
      } else {
        if (reads !== null) reads.score = true;
        operand = { kind: 'score' };
      }
      switch (test.kind) {
        case 'compare':
        case 'between':
          return numericExpr(operand, test, 'hundredths');
        case 'is-set':
          return { kind: 'const', value: true };
        case 'is-missing':
          return { kind: 'const', value: false };
        default:
          throw new LoweringError(`\`${test.kind}\` on a number`);
      }
    }
    const slot = slotOf(subject, scope);
    const type = slots[slot].type;
    switch (test.kind) {
      case 'compare':
      case 'between':
        if (type !== 'number' && type !== 'date' && type !== 'bool') {
          throw new LoweringError(`numeric comparison on \`${slots[slot].name}\` of type ${type}`);
        }
        return numericExpr({ kind: 'slot', slot }, test, type === 'date' ? 'instant' : 'plain');
      case 'text-in':
        if (type !== 'text' && type !== 'one-of') throw new LoweringError(`\`in\` on \`${slots[slot].name}\` of type ${type}`);
        return { kind: 'text-in', slot, values: test.values, negated: test.negated };
      case 'text-match':
        if (type !== 'text' && type !== 'one-of') {
          throw new LoweringError(`\`${test.operator}\` on \`${slots[slot].name}\` of type ${type}`);
        }
        return { kind: 'text-match', slot, operator: test.operator, values: test.values };
      case 'has':
        if (type !== 'list') throw new LoweringError(`\`has\` on \`${slots[slot].name}\` of type ${type}`);
        return { kind: 'list-has', slot, values: test.values };
      case 'is-set':
        return { kind: 'is-set', slot };
      case 'is-missing':
        return { kind: 'is-missing', slot };
      case 'is-true':
      case 'is-false':
        if (type !== 'bool') throw new LoweringError(`\`${test.kind}\` on \`${slots[slot].name}\` of type ${type}`);
        return { kind: 'bool-is', slot, value: test.kind === 'is-true' };
    }
  }

  /** `scope`: the event whose `where` this is (properties only), or null. */
  function lowerCond(cond: Cond, scope: string | null, reads: Reads | null): Expr {
    switch (cond.kind) {
      case 'and':
      case 'or':
        return { kind: cond.kind, operands: cond.operands.map((operand) => lowerCond(operand, scope, reads)) };
      case 'not':
        return { kind: 'not', operand: lowerCond(cond.operand, scope, reads) };
      case 'segment': {
        const segment = segmentIds.get(cond.name);
        if (segment === undefined) throw new LoweringError(`unknown segment \`${cond.name}\``);
        if (scope !== null) throw new LoweringError(`\`where\` uses segment \`${cond.name}\``);
        if (reads !== null) (reads.segments ??= new Set()).add(segment);
        return { kind: 'segment', segment };
      }
      case 'test':
        return lowerTest(cond, scope, reads);
      case 'event-exists':
      case 'event-count':
      case 'days-since': {
        if (scope !== null) throw new LoweringError('an event test inside `where`');
        const query = queryOf(cond.query, null);
        if (cond.kind === 'event-exists') return { kind: 'event-exists', query: query.id, negated: cond.quantifier === 'no' };
        if (cond.kind === 'event-count') {
          if (cond.distinct !== undefined) {
            return numericExpr({ kind: 'count-distinct', distinct: distinctCountOf(query, cond.query.event, cond.distinct) }, cond.check, 'plain');
          }
          return numericExpr({ kind: 'count', query: query.id }, cond.check, 'plain');
        }
        query.needsLatest = true;
        return numericExpr({ kind: 'days-since', query: query.id }, cond.check, 'plain');
      }
    }
  }

  const newReads = (): Reads => ({ groups: null, segments: null, score: false });

  // Segments.
  const segmentReads: Reads[] = [];
  const segments: SegmentIR[] = [...model.segments.values()].map((segment, id) => {
    const reads = newReads();
    segmentReads.push(reads);
    return { id, name: segment.name, condition: lowerCond(segment.condition, null, reads) };
  });

  /** Groups and `score` an expression reads, through segments too (not to be changed). */
  function closure(reads: Reads): { groups: ReadonlySet<number>; score: boolean } {
    // Without segments, what it reads itself (no copy: most rules).
    if (reads.segments === null) return { groups: groupsRead(reads), score: reads.score };
    const groups = new Set(groupsRead(reads));
    let score = reads.score;
    const seen = new Set<number>();
    const stack = [...reads.segments];
    while (stack.length > 0) {
      const s = stack.pop() as number;
      if (seen.has(s)) continue;
      seen.add(s);
      for (const g of groupsRead(segmentReads[s])) groups.add(g);
      if (segmentReads[s].score) score = true;
      stack.push(...segmentsRead(segmentReads[s]));
    }
    return { groups, score };
  }

  // Rules.
  const groupDecayByName = new Map<string, DecayInfo>();
  for (const g of model.groups) if (g.decay !== undefined) groupDecayByName.set(g.name, g.decay);
  const ruleReads: Reads[] = [];
  const rules: RuleIR[] = model.rules.map((rule: RuleInfo, index): RuleIR => {
    if (rule.index !== index) throw new LoweringError(`rule ${rule.index} is at position ${index}`);
    let group: number | null = null;
    if (rule.group !== null) {
      const id = groupIds.get(rule.group);
      if (id === undefined) throw new LoweringError(`unknown group \`${rule.group}\``);
      group = id;
    }
    const points = toHundredths(rule.points, `the points of rule ${index + 1} (line ${rule.line})`);
    const label = rule.label;
    const line = rule.line;
    const reads = newReads();
    ruleReads.push(reads);
    // Group decay resolved here: targets see each rule's own decay only.
    const decayInfo = effectiveDecay(rule, rule.group === null ? undefined : groupDecayByName.get(rule.group));
    const decay = decayInfo === undefined ? null : lowerDecay(decayInfo, rule.line);
    if (rule.kind === 'when') {
      const condition = lowerCond(rule.condition, null, reads);
      if (closure(reads).score) throw new LoweringError(`rule on line ${rule.line} reads \`score\``);
      let whenDecay: WhenRuleIR['decay'] = null;
      if (decay !== null && rule.decayEvent !== undefined) {
        const source = queryOf(rule.decayEvent, null);
        source.needsLatest = true;
        whenDecay = { query: source.id, decay };
      }
      // Written out rather than spread from a shared base: one object per rule, same field order.
      return { kind: 'when', index, group, points, label, line, condition, decay: whenDecay };
    }
    const limit: RunLimitIR | null = rule.limit === undefined ? null : lowerLimit(rule.limit, rule.line);
    const query = queryOf(rule.query, null, limit);
    let weightedSum: number | null = null;
    if (decay !== null) {
      // By key, not a search of every sum so far per rule (quadratic in decaying rules).
      const key = `${query.id} ${points} ${JSON.stringify(decay)}`;
      const found = weightedSumByKey.get(key);
      if (found !== undefined) {
        weightedSum = found;
      } else {
        weightedSum = weightedSums.length;
        weightedSums.push({ id: weightedSum, query: query.id, points, decay });
        weightedSumByKey.set(key, weightedSum);
        query.weightedSums.push(weightedSum);
      }
    }
    const cap = rule.cap === undefined ? null : Math.abs(toHundredths(rule.cap, `the cap of rule ${index + 1} (line ${rule.line})`));
    return { kind: 'each', index, group, points, label, line, query: query.id, weightedSum, cap };
  });

  // Rules by group in one pass (a filter of every rule per group was quadratic).
  const rulesOfGroup: number[][] = model.groups.map(() => []);
  for (const rule of rules) if (rule.group !== null) rulesOfGroup[rule.group].push(rule.index);
  const groups: GroupIR[] = model.groups.map((group, id) => ({
    id,
    name: group.name,
    min: group.min === null ? null : toHundredths(group.min, `the min of group \`${group.name}\``),
    max: group.max === null ? null : toHundredths(group.max, `the max of group \`${group.name}\``),
    rules: rulesOfGroup[id],
  }));

  // Group evaluation order: every group after the groups its rules read (through segments).
  const groupDeps = groups.map((group) => {
    const deps = new Set<number>();
    for (const r of group.rules) for (const g of closure(ruleReads[r]).groups) deps.add(g);
    return deps;
  });
  const preference = [...model.groupOrder.map((name) => groupIds.get(name)), ...groups.map((g) => g.id)].filter(
    (g): g is number => g !== undefined,
  );
  // At each step the first group in `preference` whose reads are all placed: Kahn's algorithm
  // with the ready groups in a heap by preference (a scan per step was quadratic).
  const rank: number[] = groups.map(() => Infinity);
  preference.forEach((g, i) => {
    if (rank[g] === Infinity) rank[g] = i;
  });
  const waiting = groupDeps.map((deps) => deps.size);
  const readers: number[][] = groups.map(() => []);
  groupDeps.forEach((deps, g) => {
    for (const d of deps) readers[d].push(g);
  });
  const ready: number[] = [];
  const pushReady = (g: number): void => {
    let i = ready.length;
    ready.push(g);
    while (i > 0 && rank[ready[(i - 1) >> 1]] > rank[g]) {
      ready[i] = ready[(i - 1) >> 1];
      i = (i - 1) >> 1;
    }
    ready[i] = g;
  };
  const popReady = (): number | undefined => {
    const top = ready[0];
    const last = ready.pop();
    if (last === undefined || ready.length === 0) return top ?? last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= ready.length) break;
      const child = left + 1 < ready.length && rank[ready[left + 1]] < rank[ready[left]] ? left + 1 : left;
      if (rank[ready[child]] >= rank[last]) break;
      ready[i] = ready[child];
      i = child;
    }
    ready[i] = last;
    return top;
  };
  groups.forEach((g) => {
    if (waiting[g.id] === 0) pushReady(g.id);
  });
  const order: number[] = [];
  const placed = new Set<number>();
  while (order.length < groups.length) {
    const next = popReady();
    if (next === undefined) {
      const stuck = groups.filter((g) => !placed.has(g.id)).map((g) => `\`${g.name}\``);
      throw new LoweringError(`groups ${stuck.join(', ')} read each other (a cycle)`);
    }
    order.push(next);
    placed.add(next);
    for (const reader of readers[next]) if (--waiting[reader] === 0) pushReady(reader);
  }

  // The program.
  const program: Step[] = [];
  const doneGroups = new Set<number>();
  const segmentState = new Map<number, 'visiting' | 'done'>();
  function requireGroups(groupsRead: Iterable<number>, what: string): void {
    for (const g of groupsRead) {
      if (!doneGroups.has(g)) throw new LoweringError(`${what} reads group \`${groups[g].name}\` inside its own cycle`);
    }
  }
  /** Places segment `s` after the segments it reads (an explicit stack: chains can be long). */
  function ensureSegment(root: number): void {
    const work: { readonly s: number; readonly inner: Iterator<number> }[] = [];
    const enter = (s: number): void => {
      const state = segmentState.get(s);
      if (state === 'done') return;
      if (state === 'visiting') throw new LoweringError(`segment \`${segments[s].name}\` refers to itself`);
      segmentState.set(s, 'visiting');
      work.push({ s, inner: segmentsRead(segmentReads[s]).values() });
    };
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const next = frame.inner.next();
      if (next.done !== true) {
        enter(next.value);
        continue;
      }
      work.pop();
      requireGroups(groupsRead(segmentReads[frame.s]), `segment \`${segments[frame.s].name}\``);
      program.push({ kind: 'segment', segment: frame.s });
      segmentState.set(frame.s, 'done');
    }
  }
  function ensureReads(reads: Reads, what: string): void {
    if (reads.segments !== null) for (const s of reads.segments) ensureSegment(s);
    if (reads.groups !== null) requireGroups(reads.groups, what);
  }
  /** Rule `r`'s segments placed and its groups checked (its message made only for an error). */
  function ensureRuleReads(r: number): void {
    const reads = ruleReads[r];
    if (reads.segments !== null) for (const s of reads.segments) ensureSegment(s);
    if (reads.groups !== null) {
      for (const g of reads.groups) if (!doneGroups.has(g)) requireGroups(reads.groups, `the rule on line ${rules[r].line}`);
    }
  }
  // Indexed loops: this runs once per compile (not optimized), and `for...of` made an iterator
  // result per rule.
  for (let i = 0; i < order.length; i++) {
    const g = order[i];
    const inGroup = groups[g].rules;
    for (let k = 0; k < inGroup.length; k++) {
      ensureRuleReads(inGroup[k]);
      program.push({ kind: 'rule', rule: inGroup[k] });
    }
    program.push({ kind: 'group', group: g });
    doneGroups.add(g);
  }
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule.group !== null) continue;
    ensureRuleReads(rule.index);
    program.push({ kind: 'rule', rule: rule.index });
  }

  const stages: StageIR[] = model.stages.map((stage) => {
    const reads = newReads();
    const lowerPart = (part: StagePart): StagePartIR => ({
      text: part.text,
      expr: lowerCond(part.cond, null, reads),
      alternatives: part.alternatives.map((alternative) => alternative.text),
    });
    // A model built by hand (compile takes one) may lack the parts: none then.
    const conditions = (stage.conditions ?? []).map(lowerPart);
    const when = stage.when === undefined ? null : lowerCond(stage.when, null, reads);
    const whenParts = (stage.whenParts ?? []).map(lowerPart);
    ensureReads(reads, `stage \`${stage.name}\``);
    return {
      name: stage.name,
      threshold: toHundredths(stage.threshold, `the threshold of stage \`${stage.name}\``),
      requires: stage.requires.map(fieldSlot),
      conditions,
      when,
      whenParts,
    };
  });
  const tiers: TierIR[] = model.tiers.map((tier) => {
    const reads = newReads();
    const condition = lowerCond(tier.condition, null, reads);
    ensureReads(reads, `tier \`${tier.name}\``);
    return { name: tier.name, condition };
  });

  // Issue 17: the `where` of each aggregate over contacts, read after the stage and tier (the
  // emitter evaluates them only in the probe entry; segments they read alone are placed there).
  // `?? null`: a model built by hand before issue 17 has no `account` at all.
  const account = model.account ?? null;
  const probes = account === null ? [] : lowerProbes(account, (cond) => lowerCond(cond, null, newReads()));

  const events: EventIR[] = [...model.events.values()].map((event, id) => ({
    id,
    name: event.name,
    properties: eventProperties[id],
    queries: queries.filter((q) => q.event === id).map((q) => q.id),
  }));

  return {
    probes,
    slots: slots.map((slot) => ({ ...slot })),
    tables,
    events,
    queries: queries.map(({ key: _key, ...query }) => query),
    weightedSums,
    distinctCounts,
    segments,
    groups,
    rules,
    program,
    scoreRange:
      model.scoreRange === null
        ? null
        : { min: toHundredths(model.scoreRange.min, 'the score range'), max: toHundredths(model.scoreRange.max, 'the score range') },
    stages,
    tiers,
    dialect: {
      numbers: model.dialect.numbers,
      dates: model.dialect.dates,
      trueWords: model.dialect.trueWords,
      falseWords: model.dialect.falseWords,
    },
  };
}
