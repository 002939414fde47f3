/**
 * The reference interpreter: the meaning of a checked Rubric file, written straight from the spec
 * as a plain tree walk over the model's `Cond` trees. It is the oracle the compiled scorer (and
 * later the SQL target) is tested against, so it favours being obviously right over being fast,
 * and it shares nothing with the compiler or the runtime except the folding table.
 *
 * Arithmetic is exact: every amount of points is an integer number of hundredths until the very
 * end. Times are epoch milliseconds.
 */
import type {
  AtomicTest,
  Cond,
  DecayInfo,
  EachRuleInfo,
  EventQuery,
  FieldInfo,
  Model,
  NumValue,
  NumericCheck,
  RuleInfo,
  Subject,
} from '../../src/checker/model.js';
import type { Hit, Lead, LeadEvent, ScoreResult } from '../../src/runtime/types.js';
import { fold } from '../../src/runtime/fold.js';
import { readDateMillis, readDeclared, readNowMillis, readTyped, type TypedValue } from './values.js';

const DAY_MS = 86_400_000;

/** How to interpret: the instant to score at and, optionally, the events (else `lead.events`). */
export interface InterpretOptions {
  readonly now: Date | string;
  readonly events?: readonly unknown[];
  /**
   * Issue 17: conditions in the lead's scope evaluated once the lead is scored (an aggregate's
   * `where`: they may read `score`, groups, and the lead's `stage` and `tier`); their values are
   * {@link OracleResult.conditions}.
   */
  readonly conditions?: readonly Cond[];
}

/** A rule that contributed, as the interpreter sees it (hundredths made exact numbers). */
export interface OracleHit extends Hit {
  /** Points in hundredths (exact). */
  readonly hundredths: number;
}

export interface OracleResult extends ScoreResult {
  /** Rules whose condition held (`when`) or that counted at least one occurrence (`each`), in file order. */
  readonly hits: readonly OracleHit[];
  /** Each group's sum before its clamp, in hundredths. */
  readonly rawGroups: Readonly<Record<string, number>>;
  /**
   * Per stage in file order, the source text of its `requires` conditions that do not hold and,
   * when its `when` does not hold, of the top-level conjuncts of the `when` that do not.
   */
  readonly stageFailures: readonly { readonly name: string; readonly failedRequirements: readonly string[]; readonly failedWhen: readonly string[] }[];
  /** Whether each of {@link InterpretOptions.conditions} holds (empty without). */
  readonly conditions: readonly boolean[];
}

/** An event occurrence that passed the data checks: a known type, a valid `at` not after now. */
interface Occurrence {
  readonly type: string;
  readonly atMillis: number;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Whether `text` matches the `*`-glob `pattern` as a whole, by the textbook table: `m[i][j]` is
 * whether the first `i` code points of the pattern match the first `j` of the text (a star: empty,
 * or one more character). Quadratic and obviously right: the oracle's own, not the compiler's.
 */
export function wildcardMatch(text: string, pattern: string): boolean {
  const t = [...text];
  const p = [...pattern];
  let row: boolean[] = Array.from({ length: t.length + 1 }, (_, j) => j === 0);
  for (let i = 1; i <= p.length; i++) {
    const next: boolean[] = new Array<boolean>(t.length + 1).fill(false);
    for (let j = 0; j <= t.length; j++) {
      if (p[i - 1] === '*') next[j] = row[j] || (j > 0 && next[j - 1]);
      else next[j] = j > 0 && row[j - 1] && p[i - 1] === t[j - 1];
    }
    row = next;
  }
  return row[t.length];
}

/** Half away from zero, to an integer (the hundredths rounding of the spec). */
export function roundHalfAwayFromZero(x: number): number {
  return Math.sign(x) * Math.floor(Math.abs(x) + 0.5);
}

/** Points (at most 2 decimals) as integer hundredths. */
export function toHundredths(points: number): number {
  return Math.round(points * 100);
}

function instantMillis(now: Date | string): number {
  const millis = readNowMillis(now);
  if (millis === undefined) throw new Error(`interpret: invalid now ${String(now)}`);
  return millis;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Scores `lead` with `model` the way the spec says: each rule's points if its condition holds,
 * group sums clamped, the total clamped by `score range`, then the stage (the last in file order
 * that is reached) and the tier (the first that matches). Never throws on any lead value.
 */
export function interpret(model: Model, lead: Lead, options: InterpretOptions): OracleResult {
  const nowMillis = instantMillis(options.now);
  const leadData: Readonly<Record<string, unknown>> = isRecord(lead) ? lead : {};
  // The data block: how text reads as numbers, bools and dates; placeholders in every slot.
  const reading = model.dialect;

  /** A declared field or property, read from its column with the dialect and its placeholders. */
  function readInfo(data: unknown, info: FieldInfo): TypedValue | undefined {
    const missing = [...reading.missing, ...(info.missing ?? [])];
    return readTyped(readDeclared(data, info.name, info.column), info.type, reading, missing);
  }

  // Events: passed separately wins over `lead.events`; only own `events`; non-arrays are none.
  let rawEvents: readonly unknown[] = [];
  if (options.events !== undefined) rawEvents = options.events;
  else if (Object.prototype.hasOwnProperty.call(leadData, 'events') && Array.isArray(leadData.events)) {
    rawEvents = leadData.events as readonly unknown[];
  }
  const occurrences: Occurrence[] = [];
  for (const event of rawEvents) {
    if (!isRecord(event)) continue;
    const type = Object.prototype.hasOwnProperty.call(event, 'type') ? event.type : undefined;
    if (typeof type !== 'string' || !model.events.has(type)) continue;
    const at = Object.prototype.hasOwnProperty.call(event, 'at') ? readDateMillis(event.at, model.dialect.dates) : undefined;
    if (at === undefined || at > nowMillis) continue;
    occurrences.push({ type, atMillis: at, data: event });
  }

  const groupValues = new Map<string, number>();
  const groupRaw = new Map<string, number>();
  const groupHits = new Map<string, OracleHit[]>();
  const computing = new Set<string>();
  let totalHundredths: number | undefined;

  function numValue(value: NumValue, subjectIsDate: boolean): number {
    if (value.kind === 'const') return value.value;
    // Relative instants only make sense against dates; in seconds like every date constant.
    if (!subjectIsDate) throw new Error('interpret: relative value compared with a non-date');
    return nowMillis / 1000 + value.offsetSeconds;
  }

  function numericCheck(x: number, check: NumericCheck, isDate: boolean): boolean {
    if (check.kind === 'between') {
      return x >= numValue(check.low, isDate) && x <= numValue(check.high, isDate);
    }
    const y = numValue(check.value, isDate);
    switch (check.operator) {
      case '=':
        return x === y;
      case '!=':
        return x !== y;
      case '<':
        return x < y;
      case '<=':
        return x <= y;
      case '>':
        return x > y;
      case '>=':
        return x >= y;
    }
  }

  function readSubject(subject: Subject, event: Occurrence | undefined): TypedValue | undefined {
    switch (subject.kind) {
      case 'field': {
        const info = model.fields.get(subject.name);
        if (info === undefined) throw new Error(`interpret: unknown field ${subject.name}`);
        return readInfo(leadData, info);
      }
      case 'property': {
        if (event === undefined) throw new Error(`interpret: property ${subject.name} outside a where`);
        const info = model.events.get(subject.event)?.properties.get(subject.name);
        if (info === undefined) throw new Error(`interpret: unknown property ${subject.event}.${subject.name}`);
        return readInfo(event.data, info);
      }
      case 'table': {
        const input = readSubject(subject.input, event);
        if (input === undefined || input.kind !== 'text') return undefined;
        const value = lookUp(subject.table, input.folded);
        return value === undefined ? undefined : { kind: 'text', folded: value };
      }
      case 'group':
        return { kind: 'number', value: groupValue(subject.name) / 100 };
      case 'score':
        return { kind: 'number', value: total() / 100 };
      case 'stage':
      case 'tier': {
        // Issue 17: only in `conditions`, read after the stage and tier are known.
        const reached = subject.kind === 'stage' ? result.stage : result.tier;
        if (reached === undefined) throw new Error(`interpret: ${subject.kind} read before it is known`);
        return reached === null ? undefined : { kind: 'text', folded: fold(reached) };
      }
    }
  }
  const result: { stage?: string | null; tier?: string | null } = {};

  /** A synonym table's value for a folded text: the first line with a matching pattern. */
  function lookUp(tableName: string, text: string): string | undefined {
    const table = model.tables.get(tableName);
    if (table === undefined) throw new Error(`interpret: unknown table ${tableName}`);
    if (text === '') return undefined;
    for (const line of table.lines) {
      if (line.folded === '') continue;
      if (line.patterns.some((p) => wildcardMatch(text, fold(p.written)))) return line.folded;
    }
    return undefined;
  }

  function atomic(subject: Subject, test: AtomicTest, event: Occurrence | undefined): boolean {
    const value = readSubject(subject, event);
    if (test.kind === 'is-missing') return value === undefined;
    if (value === undefined) return false;
    switch (test.kind) {
      case 'is-set':
        return true;
      case 'is-true':
        return value.kind === 'bool' && value.value === true;
      case 'is-false':
        return value.kind === 'bool' && value.value === false;
      case 'compare':
      case 'between':
        if (value.kind === 'number') return numericCheck(value.value, test, false);
        // Dates compare as epoch seconds (a date-only literal is its 00:00Z instant).
        if (value.kind === 'date') return numericCheck(value.millis / 1000, test, true);
        throw new Error(`interpret: numeric test on ${value.kind}`);
      case 'text-in': {
        if (value.kind !== 'text') throw new Error(`interpret: text test on ${value.kind}`);
        const found = test.values.some((v) => fold(v) === value.folded);
        return test.negated ? !found : found;
      }
      case 'text-match': {
        if (value.kind !== 'text') throw new Error(`interpret: text test on ${value.kind}`);
        return test.values.some((v) => {
          const literal = fold(v);
          if (test.operator === 'starts') return value.folded.startsWith(literal);
          if (test.operator === 'ends') return value.folded.endsWith(literal);
          return value.folded.includes(literal);
        });
      }
      case 'has': {
        if (value.kind !== 'list') throw new Error(`interpret: has on ${value.kind}`);
        return test.values.some((v) => value.folded.includes(fold(v)));
      }
    }
  }

  function matching(query: EventQuery): Occurrence[] {
    return occurrences.filter(
      (o) =>
        o.type === query.event &&
        (query.withinSeconds === undefined || o.atMillis >= nowMillis - query.withinSeconds * 1000) &&
        (query.where === undefined || holds(query.where, o)),
    );
  }

  /**
   * `count distinct`: how many different values the property takes over `found`, missing ones
   * left out. Each value is written as a key naming its kind: text by its folded form, numbers
   * by value (`0` and `-0` one value), dates by instant, bools as true/false.
   */
  function distinctValues(found: readonly Occurrence[], event: string, property: string): number {
    const info = model.events.get(event)?.properties.get(property);
    if (info === undefined) throw new Error(`interpret: unknown property ${event}.${property}`);
    const keys = new Set<string>();
    for (const o of found) {
      const value = readInfo(o.data, info);
      if (value === undefined) continue;
      switch (value.kind) {
        case 'text':
          keys.add(`text:${value.folded}`);
          break;
        case 'number':
          keys.add(`number:${value.value === 0 ? 0 : value.value}`);
          break;
        case 'date':
          keys.add(`date:${value.millis}`);
          break;
        case 'bool':
          keys.add(`bool:${value.value}`);
          break;
        case 'list':
          throw new Error(`interpret: count distinct over the list ${event}.${property}`);
      }
    }
    return keys.size;
  }

  function holds(cond: Cond, event?: Occurrence): boolean {
    switch (cond.kind) {
      case 'and':
        return cond.operands.every((c) => holds(c, event));
      case 'or':
        return cond.operands.some((c) => holds(c, event));
      case 'not':
        return !holds(cond.operand, event);
      case 'segment': {
        const segment = model.segments.get(cond.name);
        if (segment === undefined) throw new Error(`interpret: unknown segment ${cond.name}`);
        return holds(segment.condition, event);
      }
      case 'test':
        return atomic(cond.subject, cond.test, event);
      case 'event-exists': {
        const found = matching(cond.query).length > 0;
        return cond.quantifier === 'any' ? found : !found;
      }
      case 'event-count': {
        const found = matching(cond.query);
        if (cond.distinct === undefined) return numericCheck(found.length, cond.check, false);
        return numericCheck(distinctValues(found, cond.query.event, cond.distinct), cond.check, false);
      }
      case 'days-since': {
        const found = matching(cond.query);
        if (found.length === 0) return false;
        const latest = Math.max(...found.map((o) => o.atMillis));
        return numericCheck(Math.floor((nowMillis - latest) / DAY_MS), cond.check, false);
      }
    }
  }

  /**
   * The decay a rule follows, from the spec: its own, else its group's; a `when` rule only when
   * its condition's top-level `and` has exactly one `any EVENT` test (its query is returned).
   */
  function decayOfRule(rule: RuleInfo): { decay: DecayInfo; source: EventQuery | undefined } | undefined {
    const group = rule.group === null ? undefined : model.groups.find((g) => g.name === rule.group);
    const decay = rule.decay ?? group?.decay;
    if (decay === undefined) return undefined;
    if (rule.kind === 'each') return { decay, source: undefined };
    const anys: EventQuery[] = [];
    const flatten = (c: Cond): void => {
      if (c.kind === 'and') c.operands.forEach(flatten);
      else if (c.kind === 'event-exists' && c.quantifier === 'any') anys.push(c.query);
    };
    flatten(rule.condition);
    return anys.length === 1 ? { decay, source: anys[0] } : undefined;
  }

  /** Points (hundredths) of one occurrence `ageMillis` old, decayed: exact, half away from zero. */
  function decayed(per: number, ageMillis: number, decay: DecayInfo): number {
    if (decay.kind === 'half-life') return roundHalfAwayFromZero(per * Math.pow(0.5, ageMillis / 1000 / decay.halfLifeSeconds));
    // points * max(0, 100 - P * k) / 100 as an exact fraction, in BigInt.
    const periods = BigInt(Math.floor(ageMillis / Math.round(decay.periodSeconds * 1000)));
    const percent = BigInt(Math.round(decay.percent * 100));
    let left = 10000n - percent * periods;
    if (left < 0n) left = 0n;
    const magnitude = (BigInt(Math.abs(per)) * left + 5000n) / 10000n;
    return Math.sign(per) * Number(magnitude);
  }

  /** `at most K per PERIOD`: by whole periods of age back from now, the K latest of each. */
  function limited(found: Occurrence[], rule: EachRuleInfo): Occurrence[] {
    if (rule.limit === undefined) return found;
    const period = Math.round(rule.limit.periodSeconds * 1000);
    const buckets = new Map<number, Occurrence[]>();
    for (const o of found) {
      const b = Math.floor((nowMillis - o.atMillis) / period);
      const list = buckets.get(b) ?? [];
      list.push(o);
      buckets.set(b, list);
    }
    const kept: Occurrence[] = [];
    for (const list of buckets.values()) kept.push(...[...list].sort((a, b) => b.atMillis - a.atMillis).slice(0, rule.limit.count));
    return kept;
  }

  function eachRuleHundredths(rule: EachRuleInfo): { hundredths: number; occurrences: number; capped: boolean } {
    const found = limited(matching(rule.query), rule);
    const per = toHundredths(rule.points);
    const decay = decayOfRule(rule)?.decay;
    let sum = 0;
    for (const o of found) sum += decay === undefined ? per : decayed(per, nowMillis - o.atMillis, decay);
    let capped = false;
    if (rule.cap !== undefined) {
      const cap = Math.abs(toHundredths(rule.cap));
      if (Math.abs(sum) > cap) {
        sum = Math.sign(sum) * cap;
        capped = true;
      }
    }
    return { hundredths: sum, occurrences: found.length, capped };
  }

  function ruleHit(rule: RuleInfo): OracleHit | undefined {
    const base = { rule: rule.index, label: rule.label, group: rule.group, line: rule.line };
    if (rule.kind === 'when') {
      if (!holds(rule.condition)) return undefined;
      let hundredths = toHundredths(rule.points);
      const decay = decayOfRule(rule);
      if (decay?.source !== undefined) {
        const latest = Math.max(...matching(decay.source).map((o) => o.atMillis));
        hundredths = decayed(hundredths, nowMillis - latest, decay.decay);
      }
      return { ...base, points: hundredths / 100, hundredths };
    }
    const { hundredths, occurrences, capped } = eachRuleHundredths(rule);
    if (occurrences === 0) return undefined;
    return { ...base, points: hundredths / 100, hundredths, occurrences, capped };
  }

  // Groups are computed on first use (memoised), which is evaluating them in dependency order;
  // the checker guarantees there is no cycle, and the guard turns a missed one into an error.
  function groupValue(name: string): number {
    const known = groupValues.get(name);
    if (known !== undefined) return known;
    const group = model.groups.find((g) => g.name === name);
    if (group === undefined) throw new Error(`interpret: unknown group ${name}`);
    if (computing.has(name)) throw new Error(`interpret: group cycle through ${name}`);
    computing.add(name);
    const hits: OracleHit[] = [];
    for (const rule of model.rules) {
      if (rule.group !== name) continue;
      const hit = ruleHit(rule);
      if (hit !== undefined) hits.push(hit);
    }
    const raw = hits.reduce((sum, h) => sum + h.hundredths, 0);
    let value = raw;
    if (group.max !== null) value = Math.min(value, toHundredths(group.max));
    if (group.min !== null) value = Math.max(value, toHundredths(group.min));
    computing.delete(name);
    groupValues.set(name, value);
    groupRaw.set(name, raw);
    groupHits.set(name, hits);
    return value;
  }

  let ungroupedHits: OracleHit[] = [];
  function total(): number {
    if (totalHundredths !== undefined) return totalHundredths;
    if (computing.has('\u0000score')) throw new Error('interpret: score read while computing the score');
    computing.add('\u0000score');
    let sum = 0;
    for (const group of model.groups) sum += groupValue(group.name);
    ungroupedHits = [];
    for (const rule of model.rules) {
      if (rule.group !== null) continue;
      const hit = ruleHit(rule);
      if (hit !== undefined) {
        ungroupedHits.push(hit);
        sum += hit.hundredths;
      }
    }
    if (model.scoreRange !== null) {
      sum = Math.max(toHundredths(model.scoreRange.min), Math.min(toHundredths(model.scoreRange.max), sum));
    }
    computing.delete('\u0000score');
    totalHundredths = sum;
    return sum;
  }

  const score = total();

  let stage: string | null = null;
  for (const s of model.stages) {
    const reached =
      // Decimal-exact: the nearest doubles of two decimals compare like the decimals.
      score / 100 >= s.threshold &&
      s.requires.every((field) => {
        const info = model.fields.get(field);
        if (info === undefined) throw new Error(`interpret: unknown required field ${field}`);
        return readInfo(leadData, info) !== undefined;
      }) &&
      s.conditions.every((part) => holds(part.cond)) &&
      (s.when === undefined || holds(s.when));
    if (reached) stage = s.name;
  }

  let tier: string | null = null;
  for (const t of model.tiers) {
    if (holds(t.condition)) {
      tier = t.name;
      break;
    }
  }

  result.stage = stage;
  result.tier = tier;
  const conditions = (options.conditions ?? []).map((cond) => holds(cond));
  const groups: Record<string, number> = {};
  const rawGroups: Record<string, number> = {};
  // Defined, not assigned: a group named `__proto__` is a key like any other.
  const put = (record: Record<string, number>, key: string, value: number): void => {
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  };
  for (const group of model.groups) {
    put(groups, group.name, groupValue(group.name) / 100);
    put(rawGroups, group.name, groupRaw.get(group.name) ?? 0);
  }
  const hits = [...ungroupedHits, ...model.groups.flatMap((g) => groupHits.get(g.name) ?? [])].sort(
    (a, b) => a.rule - b.rule,
  );
  const stageFailures = model.stages.map((s) => ({
    name: s.name,
    failedRequirements: s.conditions.filter((part) => !holds(part.cond)).map((part) => part.text),
    failedWhen: s.when === undefined || holds(s.when) ? [] : s.whenParts.filter((part) => !holds(part.cond)).map((part) => part.text),
  }));
  return { score: score / 100, stage, tier, groups, hits, rawGroups, stageFailures, conditions };
}

/** The events of a case as the runtime takes them (re-exported type for tests). */
export type { LeadEvent };
