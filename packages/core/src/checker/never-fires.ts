/**
 * Conditions that can never hold: the tests and-ed together on one subject are intersected
 * (numeric and date intervals, text sets, presence, booleans, event counts), and a group's value
 * or the score is known to stay within its reachable bounds. The analysis is conservative: it
 * only says "never" when that is certain, and it says which tests conflict.
 */
import type { Range } from '../syntax/ast.js';
import type { SourceText } from './source-text.js';
import type { ConditionIds } from './cond-utils.js';
import type { AtomicTest, Cond, EventQuery, FieldType, NumValue, SegmentInfo } from './model.js';
import { listValues } from './types-and-values.js';

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
      const type = cond.subject.kind === 'field' || cond.subject.kind === 'property' ? cond.subject.type : undefined;
      return [{ key, domain, subjectName: name, ...(type !== undefined ? { type } : {}), test: cond.test, label }];
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

// One set per declared `one of` type, not one per test of a field of that type.
const ONE_OF_VALUES = new WeakMap<FieldType, ReadonlySet<string>>();

function oneOfValues(type: FieldType & { kind: 'one-of' }): ReadonlySet<string> {
  let values = ONE_OF_VALUES.get(type);
  if (values === undefined) {
    values = new Set(type.values);
    ONE_OF_VALUES.set(type, values);
  }
  return values;
}

/** Whether the text tests of one subject leave some text. */
function textConsistent(atoms: readonly Atom[]): boolean {
  const type = atoms.find((a) => a.type !== undefined)?.type;
  let allowed: ReadonlySet<string> | undefined = type?.kind === 'one-of' ? oneOfValues(type) : undefined;
  const excluded = new Set<string>();
  const matchTests: { operator: 'starts' | 'ends' | 'contains'; values: readonly string[] }[] = [];
  for (const atom of atoms) {
    const test = atom.test;
    if (test.kind === 'text-in') {
      if (test.negated) for (const v of test.values) excluded.add(v);
      else allowed = new Set([...test.values].filter((v) => allowed === undefined || allowed.has(v)));
    } else if (test.kind === 'text-match') {
      matchTests.push(test);
    }
  }
  if (allowed !== undefined) {
    const left = [...allowed].filter((v) => !excluded.has(v) && matchTests.every((t) => t.values.some((x) => matches(t.operator, v, x))));
    return left.length > 0;
  }
  // Without a closed set: two single prefixes (or suffixes) where neither extends the other.
  for (const operator of ['starts', 'ends'] as const) {
    const singles = matchTests.filter((t) => t.operator === operator && t.values.length === 1).map((t) => t.values[0]);
    for (let i = 0; i < singles.length; i++) {
      for (let j = i + 1; j < singles.length; j++) {
        const [a, b] = [singles[i], singles[j]];
        const compatible = operator === 'starts' ? a.startsWith(b) || b.startsWith(a) : a.endsWith(b) || b.endsWith(a);
        if (!compatible) return false;
      }
    }
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

/** Why these and-ed atoms cannot all hold, or undefined when they can. */
function conflict(atoms: readonly Atom[], knowledge: Knowledge): string | undefined {
  // Most conditions are one test: nothing to group or pair.
  if (atoms.length === 1) return consistent(atoms, knowledge) ? undefined : singleReason(atoms[0], knowledge);
  const byKey = new Map<string, Atom[]>();
  for (const atom of atoms) {
    const list = byKey.get(atom.key) ?? [];
    list.push(atom);
    byKey.set(atom.key, list);
  }
  for (const group of byKey.values()) {
    if (consistent(group, knowledge)) continue;
    for (const atom of group) if (!consistent([atom], knowledge)) return singleReason(atom, knowledge);
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        if (!consistent([group[i], group[j]], knowledge)) return `${joinLabels([group[i].label(), group[j].label()])} cannot both hold`;
      }
    }
    return `${joinLabels([...new Set(group.map((a) => a.label()))])} cannot all hold`;
  }
  for (let i = 0; i < atoms.length; i++) {
    for (let j = 0; j < atoms.length; j++) {
      if (i === j || !excludesOccurrence(atoms[i], atoms[j], knowledge)) continue;
      const [first, second] = i < j ? [atoms[i], atoms[j]] : [atoms[j], atoms[i]];
      return `${joinLabels([first.label(), second.label()])} cannot both hold`;
    }
  }
  return undefined;
}

/**
 * Why `cond` can never hold (with `extra` and-ed to it), or undefined when it may hold or the
 * analysis cannot tell.
 */
const NOTHING_EXPANDED: ReadonlySet<string> = new Set();

export function neverHolds(cond: Cond, knowledge: Knowledge, extra: readonly Atom[] = [], expanding: ReadonlySet<string> = NOTHING_EXPANDED): string | undefined {
  if (cond.kind === 'or') {
    if (cond.operands.length === 0) return undefined;
    const reasons = cond.operands.map((o) => neverHolds(o, knowledge, extra, expanding));
    if (reasons.some((r) => r === undefined)) return undefined;
    return reasons.length === 1 ? reasons[0] : `none of its alternatives can hold (${reasons[0]})`;
  }
  // Segments are expanded in place; `seen` stops a segment cycle (reported elsewhere).
  const conjuncts: { readonly c: Cond; readonly seen: ReadonlySet<string> }[] = [];
  const flatten = (c: Cond, seen: ReadonlySet<string>): void => {
    if (c.kind === 'and') for (const o of c.operands) flatten(o, seen);
    else if (c.kind === 'segment') {
      const segment = knowledge.segments.get(c.name);
      if (segment === undefined || seen.has(c.name)) return;
      flatten(segment.condition, new Set([...seen, c.name]));
    } else conjuncts.push({ c, seen });
  };
  flatten(cond, expanding);
  const atoms: Atom[] = [...extra];
  for (const { c, seen } of conjuncts) {
    if (c.kind === 'or') {
      if (c.operands.length === 0) return undefined;
      const reason = neverHolds(c, knowledge, [], seen);
      if (reason !== undefined) return reason;
      continue;
    }
    const own = atomsOf(c, knowledge);
    if (own === undefined) continue;
    const query = own[0].query;
    if (query?.where !== undefined && own.some((a) => a.needsOccurrence === true)) {
      const whereReason = neverHolds(query.where, knowledge, [], seen);
      if (whereReason !== undefined) return `its \`where\` can never hold: ${whereReason}`;
    }
    atoms.push(...own);
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
  for (const target of targets) {
    const reason = neverHolds(target.cond, knowledge);
    if (reason !== undefined) report(target.range, `${target.subject}: ${reason}`, target.help);
  }
}
