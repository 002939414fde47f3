/**
 * Conditions that can never hold: the tests and-ed together on one subject are intersected
 * (numeric and date intervals, text sets, presence, booleans, event counts), and a group's value
 * or the score is known to stay within its reachable bounds. The analysis is conservative: it
 * only says "never" when that is certain, and it says which tests conflict.
 */
import type { Range } from '../syntax/ast.js';
import type { SourceText } from './source-text.js';
import type { ConditionIds } from './cond-utils.js';
import type { NeverFiresGuard } from './condition-sizes.js';
import type { AtomicTest, Cond, EventQuery, FieldType, NumValue, SegmentInfo } from './model.js';
import { listValues, oneOfSet } from './types-and-values.js';

/** An inclusive range of values. */
export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

/** What the analysis knows beyond the condition itself. */
export interface Knowledge {
  readonly source: SourceText;
  readonly segments: ReadonlyMap<string, SegmentInfo>;
  /** Each group's reachable values. */
  readonly groups: ReadonlyMap<string, Interval>;
  /** The reachable total score. */
  readonly score: Interval;
  /** Ids of event queries: atoms on the same query test the same count. */
  readonly queries: ConditionIds;
  /** Which segments are expanded (not those in a cycle), and the budget of the analysis. */
  readonly guard: NeverFiresGuard;
}

type Domain = 'real' | 'group' | 'score' | 'count' | 'days';

/** One and-ed test on one subject. */
export interface Atom {
  /** Atoms with the same key test the same value. */
  readonly key: string;
  readonly domain: Domain;
  /** For `group`/`score`: the name shown in messages. */
  readonly subjectName: string;
  readonly type?: FieldType;
  readonly test: AtomicTest;
  /** How the test is quoted in messages (computed only for a message: most atoms never need it). */
  readonly label: () => string;
  /** For event atoms: the query, and whether the test needs at least one occurrence. */
  readonly query?: EventQuery;
  readonly needsOccurrence?: boolean;
  readonly isNo?: boolean;
}

function quoted(source: SourceText, range: Range): string {
  return `\`${source.collapsed(range)}\``;
}

function subjectKey(cond: Cond & { kind: 'test' }): { key: string; domain: Domain; name: string } {
  const subject = cond.subject;
  switch (subject.kind) {
    case 'field':
      return { key: `field:${subject.name}`, domain: 'real', name: subject.name };
    case 'property':
      return { key: `property:${subject.event}.${subject.name}`, domain: 'real', name: subject.name };
    case 'group':
      return { key: `group:${subject.name}`, domain: 'group', name: subject.name };
    case 'score':
      return { key: 'score', domain: 'score', name: 'score' };
    case 'stage':
    case 'tier':
      return { key: subject.kind, domain: 'real', name: subject.kind };
    case 'table': {
      // A lookup is a text value of its own (one per table and input): `seniority(job) = a and
      // seniority(job) = b` can never hold, like two values of one field.
      const input = subject.input.kind === 'field' ? subject.input.name : `${subject.input.event}.${subject.input.name}`;
      return { key: `table:${subject.table}(${input})`, domain: 'real', name: `${subject.table}(${subject.input.name})` };
    }
  }
}

/** A numeric check admits `value`? (for counts, with value 0). */
function admitsZero(test: AtomicTest): boolean {
  const value = (v: NumValue): number | undefined => (v.kind === 'const' ? v.value : undefined);
  if (test.kind === 'compare') {
    const v = value(test.value);
    if (v === undefined) return true;
    switch (test.operator) {
      case '=':
        return v === 0;
      case '!=':
        return v !== 0;
      case '<':
        return 0 < v;
      case '<=':
        return 0 <= v;
      case '>':
        return 0 > v;
      case '>=':
        return 0 >= v;
    }
  }
  if (test.kind === 'between') {
    const low = value(test.low);
    const high = value(test.high);
    return (low === undefined || low <= 0) && (high === undefined || high >= 0);
  }
  return true;
}

/** The atoms of one condition that is a test or an event test; undefined for others. */
function atomsOf(cond: Cond, knowledge: Knowledge): Atom[] | undefined {
  const label = (): string => quoted(knowledge.source, cond.range);
  switch (cond.kind) {
    case 'test': {
      const { key, domain, name } = subjectKey(cond);
      const type = cond.subject.kind === 'field' || cond.subject.kind === 'property' || cond.subject.kind === 'table' ? cond.subject.type : undefined;
      // Two literals rather than a spread of a small object (same fields, same order).
      return type === undefined ? [{ key, domain, subjectName: name, test: cond.test, label }] : [{ key, domain, subjectName: name, type, test: cond.test, label }];
    }
    case 'event-exists': {
      const key = `count:${knowledge.queries.idOf(cond.query)}`;
      const test: AtomicTest =
        cond.quantifier === 'any'
          ? { kind: 'compare', operator: '>=', value: { kind: 'const', value: 1 } }
          : { kind: 'compare', operator: '=', value: { kind: 'const', value: 0 } };
      return [{ key, domain: 'count', subjectName: cond.query.event, test, label, query: cond.query, needsOccurrence: cond.quantifier === 'any', isNo: cond.quantifier === 'no' }];
    }
    case 'event-count': {
      if (cond.distinct !== undefined) {
        // Distinct values are their own number: at most the count, and 0 with occurrences whose
        // property is missing, so it neither means `no` nor bounds the count from above.
        const key = `distinct:${knowledge.queries.idOf(cond.query)}:${cond.distinct}`;
        return [{ key, domain: 'count', subjectName: `${cond.query.event}.${cond.distinct}`, test: cond.check, label, query: cond.query, needsOccurrence: !admitsZero(cond.check), isNo: false }];
      }
      const key = `count:${knowledge.queries.idOf(cond.query)}`;
      const isNo = cond.check.kind === 'compare' && cond.check.operator === '=' && cond.check.value.kind === 'const' && cond.check.value.value === 0;
      return [{ key, domain: 'count', subjectName: cond.query.event, test: cond.check, label, query: cond.query, needsOccurrence: !admitsZero(cond.check), isNo }];
    }
    case 'days-since': {
      const queryKey = knowledge.queries.idOf(cond.query);
      return [
        { key: `days:${queryKey}`, domain: 'days', subjectName: cond.query.event, test: cond.check, label, query: cond.query, needsOccurrence: true },
        {
          key: `count:${queryKey}`,
          domain: 'count',
          subjectName: cond.query.event,
          test: { kind: 'compare', operator: '>=', value: { kind: 'const', value: 1 } },
          label,
          query: cond.query,
          needsOccurrence: true,
        },
      ];
    }
    default:
      return undefined;
  }
}

// ------------------------------------------------------------------------------- intervals

interface Bounds {
  lo: number;
  loStrict: boolean;
  hi: number;
  hiStrict: boolean;
  notEqual: Set<number> | undefined;
}

function domainBounds(domain: Domain, atom: Atom, knowledge: Knowledge): Bounds {
  const bounds: Bounds = { lo: -Infinity, loStrict: false, hi: Infinity, hiStrict: false, notEqual: undefined };
  if (domain === 'count' || domain === 'days') bounds.lo = 0;
  if (domain === 'group') {
    const group = knowledge.groups.get(atom.subjectName);
    if (group !== undefined) {
      bounds.lo = group.lo;
      bounds.hi = group.hi;
    }
  }
  if (domain === 'score') {
    bounds.lo = knowledge.score.lo;
    bounds.hi = knowledge.score.hi;
  }
  return bounds;
}

function raiseLow(b: Bounds, value: number, strict: boolean): void {
  if (value > b.lo || (value === b.lo && strict)) {
    b.lo = value;
    b.loStrict = strict;
  }
}

function lowerHigh(b: Bounds, value: number, strict: boolean): void {
  if (value < b.hi || (value === b.hi && strict)) {
    b.hi = value;
    b.hiStrict = strict;
  }
}

function applyCompare(b: Bounds, operator: string, v: number): void {
  switch (operator) {
    case '=':
      raiseLow(b, v, false);
      lowerHigh(b, v, false);
      return;
    case '!=':
      (b.notEqual ??= new Set()).add(v);
      return;
    case '<':
      lowerHigh(b, v, true);
      return;
    case '<=':
      lowerHigh(b, v, false);
      return;
    case '>':
      raiseLow(b, v, true);
      return;
    case '>=':
      raiseLow(b, v, false);
      return;
  }
}

function isEmpty(b: Bounds, integer: boolean): boolean {
  let { lo, hi } = b;
  let loStrict = b.loStrict;
  let hiStrict = b.hiStrict;
  if (integer) {
    lo = Number.isFinite(lo) ? (loStrict ? Math.floor(lo) + 1 : Math.ceil(lo)) : lo;
    hi = Number.isFinite(hi) ? (hiStrict ? Math.ceil(hi) - 1 : Math.floor(hi)) : hi;
    loStrict = false;
    hiStrict = false;
  }
  if (lo > hi) return true;
  if (lo === hi) return loStrict || hiStrict || b.notEqual?.has(lo) === true;
  return false;
}

/** Whether the numeric atoms among `atoms` (constants and relative times apart) leave some value. */
function numericConsistent(atoms: readonly Atom[], knowledge: Knowledge): boolean {
  if (atoms.length === 0) return true;
  const domain = atoms[0].domain;
  const integer = domain === 'count' || domain === 'days';
  const constant = domainBounds(domain, atoms[0], knowledge);
  let relative: Bounds | undefined;
  // Runs for every rule of a large file: no closures or arrays per atom.
  for (const atom of atoms) {
    const test = atom.test;
    if (test.kind === 'compare') {
      const v = test.value;
      if (v.kind === 'const') applyCompare(constant, test.operator, v.value);
      else applyCompare((relative ??= unbounded()), test.operator, v.offsetSeconds);
    } else if (test.kind === 'between') {
      if (test.low.kind === 'const') raiseLow(constant, test.low.value, false);
      else raiseLow((relative ??= unbounded()), test.low.offsetSeconds, false);
      if (test.high.kind === 'const') lowerHigh(constant, test.high.value, false);
      else lowerHigh((relative ??= unbounded()), test.high.offsetSeconds, false);
    }
  }
  if (isEmpty(constant, integer)) return false;
  return !(relative !== undefined && isEmpty(relative, integer));
}

function unbounded(): Bounds {
  return { lo: -Infinity, loStrict: false, hi: Infinity, hiStrict: false, notEqual: undefined };
}

function matches(operator: 'starts' | 'ends' | 'contains', text: string, value: string): boolean {
  if (operator === 'starts') return text.startsWith(value);
  if (operator === 'ends') return text.endsWith(value);
  return text.includes(value);
}

/** At most this many value-against-pattern matches to tell whether text tests leave a value. */
const TEXT_MATCH_WORK = 1_000_000;

/** Whether the text tests of one subject leave some text. */
function textConsistent(atoms: readonly Atom[]): boolean {
  if (atoms.length === 1 && atoms[0].type?.kind !== 'one-of') {
    // One test on text that is not a closed set (most conditions): only `in` no values leaves
    // nothing. What the general case below finds, without its sets.
    const test = atoms[0].test;
    return test.kind !== 'text-in' || test.negated || test.values.length > 0;
  }
  const type = atoms.find((a) => a.type !== undefined)?.type;
  let allowed: ReadonlySet<string> | undefined = type?.kind === 'one-of' ? oneOfSet(type) : undefined;
  const excluded = new Set<string>();
  const matchTests: { operator: 'starts' | 'ends' | 'contains'; values: readonly string[] }[] = [];
  // A segment used many times repeats the same tests: each is applied once.
  const seen = new Set<AtomicTest>();
  for (const atom of atoms) {
    const test = atom.test;
    if (seen.has(test)) continue;
    seen.add(test);
    if (test.kind === 'text-in') {
      if (test.negated) for (const v of test.values) excluded.add(v);
      else allowed = new Set([...test.values].filter((v) => allowed === undefined || allowed.has(v)));
    } else if (test.kind === 'text-match') {
      matchTests.push(test);
    }
  }
  if (allowed !== undefined) {
    // Each value left against each `starts`/`ends`/`contains` value: past a bound on that work,
    // say it may hold (the analysis is allowed not to know).
    let work = 0;
    for (const test of matchTests) work += test.values.length;
    if (work * allowed.size > TEXT_MATCH_WORK) return true;
    for (const v of allowed) {
      if (!excluded.has(v) && matchTests.every((t) => t.values.some((x) => matches(t.operator, v, x)))) return true;
    }
    return false;
  }
  // Without a closed set: two single prefixes (or suffixes) where neither extends the other.
  // They all fit together exactly when each is a prefix (suffix) of the longest: linear.
  for (const operator of ['starts', 'ends'] as const) {
    const singles = matchTests.filter((t) => t.operator === operator && t.values.length === 1).map((t) => t.values[0]);
    let longest = '';
    for (const single of singles) if (single.length > longest.length) longest = single;
    for (const single of singles) if (!(operator === 'starts' ? longest.startsWith(single) : longest.endsWith(single))) return false;
  }
  return true;
}

/** Whether a set of atoms on one subject can all hold at once. */
function consistent(atoms: readonly Atom[], knowledge: Knowledge): boolean {
  let missing = false;
  let other = false;
  let isTrue = false;
  let isFalse = false;
  let numeric = false;
  let text = false;
  for (const atom of atoms) {
    const kind = atom.test.kind;
    if (kind === 'is-missing') missing = true;
    else other = true;
    if (kind === 'is-true') isTrue = true;
    else if (kind === 'is-false') isFalse = true;
    else if (kind === 'compare' || kind === 'between') numeric = true;
    else if (kind === 'text-in' || kind === 'text-match') text = true;
  }
  if (missing && other) return false;
  if (isTrue && isFalse) return false;
  if (numeric && !numericConsistent(atoms, knowledge)) return false;
  return !text || textConsistent(atoms);
}

/** `no Q1` and a test needing an occurrence of a query `Q2` that `Q1` includes. */
function excludesOccurrence(no: Atom, other: Atom, knowledge: Knowledge): boolean {
  if (no.isNo !== true || other.needsOccurrence !== true || no.query === undefined || other.query === undefined) return false;
  const q1 = no.query;
  const q2 = other.query;
  if (q1.event !== q2.event) return false;
  if (q1.where !== undefined && (q2.where === undefined || knowledge.queries.idOf(q1.where) !== knowledge.queries.idOf(q2.where))) return false;
  if (q1.withinSeconds !== undefined && (q2.withinSeconds === undefined || q2.withinSeconds > q1.withinSeconds)) return false;
  return true;
}

function describeDomain(atom: Atom, knowledge: Knowledge): string {
  switch (atom.domain) {
    case 'count':
      return 'a count is a whole number of at least 0';
    case 'days':
      return 'days since an event is a whole number of at least 0';
    case 'group': {
      const bounds = knowledge.groups.get(atom.subjectName);
      return bounds === undefined ? '' : `\`${atom.subjectName}\` is always between ${bounds.lo} and ${bounds.hi}`;
    }
    case 'score':
      return `the score is always between ${knowledge.score.lo} and ${knowledge.score.hi}`;
    default:
      return atom.type?.kind === 'one-of' ? `\`${atom.subjectName}\` is one of [${listValues(atom.type.written)}]` : '';
  }
}

function singleReason(atom: Atom, knowledge: Knowledge): string {
  const test = atom.test;
  if (test.kind === 'between' && test.low.kind === test.high.kind) {
    const low = test.low.kind === 'const' ? test.low.value : test.low.offsetSeconds;
    const high = test.high.kind === 'const' ? test.high.value : test.high.offsetSeconds;
    if (low > high) return `${atom.label()} has its low bound above its high bound`;
  }
  const why = describeDomain(atom, knowledge);
  return why === '' ? `${atom.label()} cannot hold` : `${atom.label()} cannot hold: ${why}`;
}

function joinLabels(labels: readonly string[]): string {
  return labels.length === 2 ? `${labels[0]} and ${labels[1]}` : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

/**
 * Up to this many and-ed atoms, conflicts are looked for pair by pair (the message then names
 * the two tests); past it, in linear time (a conjunction written out from segments can hold tens
 * of thousands of atoms, and pairs of them would take minutes).
 */
const PAIRWISE_ATOMS = 64;

/** Why these and-ed atoms cannot all hold, or undefined when they can. */
function conflict(atoms: readonly Atom[], knowledge: Knowledge): string | undefined {
  // Most conditions are one test: nothing to group or pair.
  if (atoms.length === 1) return consistent(atoms, knowledge) ? undefined : singleReason(atoms[0], knowledge);
  const byKey = new Map<string, Atom[]>();
  for (const atom of atoms) {
    const list = byKey.get(atom.key);
    if (list === undefined) byKey.set(atom.key, [atom]);
    else list.push(atom);
  }
  for (const group of byKey.values()) {
    if (consistent(group, knowledge)) continue;
    for (const atom of group) if (!consistent([atom], knowledge)) return singleReason(atom, knowledge);
    if (group.length <= PAIRWISE_ATOMS) {
      for (let i = 0; i < group.length; i++) {
        for (let j = i + 1; j < group.length; j++) {
          if (!consistent([group[i], group[j]], knowledge)) return `${joinLabels([group[i].label(), group[j].label()])} cannot both hold`;
        }
      }
    }
    const labels = [...new Set(group.map((a) => a.label()))];
    if (labels.length <= 12) return `${joinLabels(labels)} cannot all hold`;
    return `${labels.slice(0, 10).join(', ')} and ${labels.length - 10} more tests cannot all hold`;
  }
  if (atoms.length <= PAIRWISE_ATOMS) {
    for (let i = 0; i < atoms.length; i++) {
      for (let j = 0; j < atoms.length; j++) {
        if (i === j || !excludesOccurrence(atoms[i], atoms[j], knowledge)) continue;
        const [first, second] = i < j ? [atoms[i], atoms[j]] : [atoms[j], atoms[i]];
        return `${joinLabels([first.label(), second.label()])} cannot both hold`;
      }
    }
    return undefined;
  }
  return excludedOccurrence(atoms, knowledge);
}

/**
 * {@link excludesOccurrence} over many atoms in linear time: the `no` tests indexed by event (and
 * `where`), each test that needs an occurrence looked up there. Finds a conflicting pair when
 * there is one (not necessarily the first in order, as the pairwise search would).
 */
function excludedOccurrence(atoms: readonly Atom[], knowledge: Knowledge): string | undefined {
  // For each event: the widest window of a `no` without `where`, and per `where` id.
  interface Widest {
    readonly atom: Atom;
    readonly window: number;
  }
  const anyWhere = new Map<string, Widest>();
  const byWhere = new Map<string, Widest>();
  const widen = (map: Map<string, Widest>, key: string, atom: Atom): void => {
    const window = atom.query?.withinSeconds ?? Infinity;
    const known = map.get(key);
    if (known === undefined || window > known.window) map.set(key, { atom, window });
  };
  for (const atom of atoms) {
    if (atom.isNo !== true || atom.query === undefined) continue;
    if (atom.query.where === undefined) widen(anyWhere, atom.query.event, atom);
    else widen(byWhere, `${atom.query.event}\u0000${knowledge.queries.idOf(atom.query.where)}`, atom);
  }
  if (anyWhere.size === 0 && byWhere.size === 0) return undefined;
  for (const atom of atoms) {
    if (atom.needsOccurrence !== true || atom.query === undefined) continue;
    const candidates = [anyWhere.get(atom.query.event)];
    if (atom.query.where !== undefined) candidates.push(byWhere.get(`${atom.query.event}\u0000${knowledge.queries.idOf(atom.query.where)}`));
    for (const candidate of candidates) {
      if (candidate !== undefined && candidate.atom !== atom && excludesOccurrence(candidate.atom, atom, knowledge)) {
        return `${joinLabels([candidate.atom.label(), atom.label()])} cannot both hold`;
      }
    }
  }
  return undefined;
}

/**
 * Why `cond` can never hold (with `extra` and-ed to it), or undefined when it may hold or the
 * analysis cannot tell. Segments are expanded in place, except those in a cycle; callers admit
 * `cond` through `knowledge.guard` first, which bounds its expanded size and depth.
 */
export function neverHolds(cond: Cond, knowledge: Knowledge, extra: readonly Atom[] = []): string | undefined {
  if (cond.kind === 'or') {
    if (cond.operands.length === 0) return undefined;
    const reasons: string[] = [];
    for (const operand of cond.operands) {
      const reason = neverHolds(operand, knowledge, extra);
      if (reason === undefined) return undefined;
      reasons.push(reason);
    }
    return reasons.length === 1 ? reasons[0] : `none of its alternatives can hold (${reasons[0]})`;
  }
  if (extra.length === 0 && cond.kind !== 'and' && cond.kind !== 'segment') {
    // One test alone (most rules): what the general case below does with one conjunct, without
    // its lists.
    const own = atomsOf(cond, knowledge);
    if (own === undefined) return undefined;
    const query = own[0].query;
    if (query?.where !== undefined && own.some((a) => a.needsOccurrence === true)) {
      const whereReason = neverHolds(query.where, knowledge, []);
      if (whereReason !== undefined) return `its \`where\` can never hold: ${whereReason}`;
    }
    return conflict(own, knowledge);
  }
  // The and-ed parts in order, segments written out in place (an explicit stack: a segment
  // can use a segment that uses a segment ... far deeper than the call stack would allow).
  const conjuncts: Cond[] = [];
  const pending: Cond[] = [cond];
  while (pending.length > 0) {
    const c = pending.pop() as Cond;
    if (c.kind === 'and') {
      for (let i = c.operands.length - 1; i >= 0; i--) pending.push(c.operands[i]);
    } else if (c.kind === 'segment') {
      const segment = knowledge.segments.get(c.name);
      if (segment !== undefined && knowledge.guard.expands(c.name)) pending.push(segment.condition);
    } else conjuncts.push(c);
  }
  const atoms: Atom[] = [...extra];
  for (const c of conjuncts) {
    if (c.kind === 'or') {
      if (c.operands.length === 0) return undefined;
      const reason = neverHolds(c, knowledge, []);
      if (reason !== undefined) return reason;
      continue;
    }
    const own = atomsOf(c, knowledge);
    if (own === undefined) continue;
    const query = own[0].query;
    if (query?.where !== undefined && own.some((a) => a.needsOccurrence === true)) {
      const whereReason = neverHolds(query.where, knowledge, []);
      if (whereReason !== undefined) return `its \`where\` can never hold: ${whereReason}`;
    }
    for (const atom of own) atoms.push(atom);
  }
  return conflict(atoms, knowledge);
}

/** A synthetic atom: the score reaches a threshold (for stages). */
export function scoreAtLeast(threshold: number, label: string): Atom {
  return { key: 'score', domain: 'score', subjectName: 'score', test: { kind: 'compare', operator: '>=', value: { kind: 'const', value: threshold } }, label: () => label };
}

/** A synthetic atom: a field is set (for a stage's `requires`). */
export function fieldIsSet(name: string, type: FieldType, label: string): Atom {
  return { key: `field:${name}`, domain: 'real', subjectName: name, type, test: { kind: 'is-set' }, label: () => label };
}

/** A condition to analyse, and how to report it when it can never hold. */
export interface NeverFiresTarget {
  readonly cond: Cond;
  readonly range: Range;
  /** "this rule can never fire", "segment `x` can never hold". */
  readonly subject: string;
  readonly help: string;
}

/** Reports every target whose condition can never hold (R020, a warning). */
export function checkNeverFires(report: (range: Range, message: string, help: string) => void, targets: readonly NeverFiresTarget[], knowledge: Knowledge): void {
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i];
    if (!knowledge.guard.admit(target.cond)) continue;
    const reason = neverHolds(target.cond, knowledge);
    if (reason !== undefined) report(target.range, `${target.subject}: ${reason}`, target.help);
  }
}
