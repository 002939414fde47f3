/**
 * Builds small checked models by hand, for compiler tests that must not depend on the parser and
 * checker (and for names and values the checker would refuse, to test the emitter's escaping).
 * Only what the compiler reads is filled in; AST `decl` nodes are minimal stand-ins.
 */
import type {
  AtomicTest,
  Cond,
  EventInfo,
  EventQuery,
  FieldInfo,
  FieldType,
  GroupInfo,
  Model,
  NumericCheck,
  NumValue,
  RuleInfo,
  SegmentInfo,
  StageInfo,
  Subject,
  TierInfo,
} from '../../src/checker/model.js';
import { PLAIN_DIALECT } from '../../src/checker/model.js';
import type { CompareOperator, Range } from '../../src/syntax/ast.js';

const POSITION = { offset: 0, line: 1, column: 1 };
export const RANGE: Range = { start: POSITION, end: POSITION };

/** A stand-in for an AST node the compiler never reads (only `name.parts` of fields). */
function stub<T>(fields: Record<string, unknown> = {}): T {
  return { range: RANGE, ...fields } as unknown as T;
}

export type TypeName = 'text' | 'number' | 'bool' | 'date' | 'list' | readonly string[];

export function fieldType(type: TypeName): FieldType {
  if (typeof type === 'string') return { kind: type } as FieldType;
  return { kind: 'one-of', values: type.map((v) => v.toLowerCase()), written: [...type] };
}

function fieldInfo(name: string, type: TypeName): FieldInfo {
  const parts = name.split('.').map((text) => ({ text, quoted: false, range: RANGE }));
  return { name, type: fieldType(type), decl: stub({ kind: 'FieldDecl', name: { kind: 'Identifier', name, parts, range: RANGE } }) };
}

// Conditions ---------------------------------------------------------------------------------

export const field = (name: string): Subject => ({ kind: 'field', name, type: { kind: 'text' } });
export const prop = (event: string, name: string): Subject => ({ kind: 'property', event, name, type: { kind: 'text' } });
export const group = (name: string): Subject => ({ kind: 'group', name });
export const score: Subject = { kind: 'score' };

const num = (value: number | NumValue): NumValue => (typeof value === 'number' ? { kind: 'const', value } : value);
export const daysAgo = (days: number): NumValue => ({ kind: 'relative', offsetSeconds: -days * 86400 });
export const daysFromNow = (days: number): NumValue => ({ kind: 'relative', offsetSeconds: days * 86400 });
/** A date constant (epoch seconds, as the model holds it). */
export const date = (iso: string): NumValue => ({ kind: 'const', value: Date.parse(iso) / 1000 });

export const cmp = (operator: CompareOperator, value: number | NumValue): NumericCheck => ({
  kind: 'compare',
  operator,
  value: num(value),
});
export const between = (low: number | NumValue, high: number | NumValue): NumericCheck => ({
  kind: 'between',
  low: num(low),
  high: num(high),
});

const testCond = (subject: Subject, test: AtomicTest): Cond => ({ kind: 'test', subject, test, range: RANGE });

export const when = {
  check: (subject: Subject, check: NumericCheck): Cond => testCond(subject, check),
  compare: (subject: Subject, operator: CompareOperator, value: number | NumValue): Cond => testCond(subject, cmp(operator, value)),
  between: (subject: Subject, low: number | NumValue, high: number | NumValue): Cond => testCond(subject, between(low, high)),
  in: (subject: Subject, values: readonly string[]): Cond => testCond(subject, { kind: 'text-in', values, negated: false }),
  notIn: (subject: Subject, values: readonly string[]): Cond => testCond(subject, { kind: 'text-in', values, negated: true }),
  starts: (subject: Subject, ...values: string[]): Cond => testCond(subject, { kind: 'text-match', operator: 'starts', values }),
  ends: (subject: Subject, ...values: string[]): Cond => testCond(subject, { kind: 'text-match', operator: 'ends', values }),
  contains: (subject: Subject, ...values: string[]): Cond => testCond(subject, { kind: 'text-match', operator: 'contains', values }),
  has: (subject: Subject, ...values: string[]): Cond => testCond(subject, { kind: 'has', values }),
  isSet: (subject: Subject): Cond => testCond(subject, { kind: 'is-set' }),
  isMissing: (subject: Subject): Cond => testCond(subject, { kind: 'is-missing' }),
  isTrue: (subject: Subject): Cond => testCond(subject, { kind: 'is-true' }),
  isFalse: (subject: Subject): Cond => testCond(subject, { kind: 'is-false' }),
  and: (...operands: Cond[]): Cond => ({ kind: 'and', operands, range: RANGE }),
  or: (...operands: Cond[]): Cond => ({ kind: 'or', operands, range: RANGE }),
  not: (operand: Cond): Cond => ({ kind: 'not', operand, range: RANGE }),
  segment: (name: string): Cond => ({ kind: 'segment', name, range: RANGE }),
  any: (query: EventQuery): Cond => ({ kind: 'event-exists', quantifier: 'any', query, range: RANGE }),
  no: (query: EventQuery): Cond => ({ kind: 'event-exists', quantifier: 'no', query, range: RANGE }),
  count: (query: EventQuery, check: NumericCheck): Cond => ({ kind: 'event-count', query, check, range: RANGE }),
  daysSince: (query: EventQuery, check: NumericCheck): Cond => ({ kind: 'days-since', query, check, range: RANGE }),
};

export const query = (event: string, options: { where?: Cond; withinDays?: number } = {}): EventQuery => ({
  event,
  ...(options.where !== undefined ? { where: options.where } : {}),
  ...(options.withinDays !== undefined ? { withinSeconds: options.withinDays * 86400 } : {}),
});

// Rules and the model ----------------------------------------------------------------------------

export type RuleSpec =
  | { readonly when: Cond; readonly points: number; readonly group?: string; readonly label?: string }
  | {
      readonly each: EventQuery;
      readonly points: number;
      readonly group?: string;
      readonly label?: string;
      readonly cap?: number;
      readonly halfLifeDays?: number;
    };

export interface ModelSpec {
  readonly fields?: Readonly<Record<string, TypeName>>;
  readonly events?: Readonly<Record<string, Readonly<Record<string, TypeName>>>>;
  readonly segments?: Readonly<Record<string, Cond>>;
  readonly groups?: ReadonlyArray<{ readonly name: string; readonly min?: number; readonly max?: number }>;
  /** Group evaluation order; default: file order. */
  readonly groupOrder?: readonly string[];
  readonly rules?: readonly RuleSpec[];
  readonly scoreRange?: { readonly min: number; readonly max: number };
  readonly stages?: ReadonlyArray<{ readonly name: string; readonly at: number; readonly requires?: readonly string[]; readonly when?: Cond }>;
  readonly tiers?: ReadonlyArray<{ readonly name: string; readonly when: Cond }>;
}

export function buildModel(spec: ModelSpec): Model {
  const fields = new Map<string, FieldInfo>();
  for (const [name, type] of Object.entries(spec.fields ?? {})) fields.set(name, fieldInfo(name, type));
  const events = new Map<string, EventInfo>();
  for (const [name, props] of Object.entries(spec.events ?? {})) {
    const properties = new Map<string, FieldInfo>();
    for (const [p, type] of Object.entries(props)) properties.set(p, fieldInfo(p, type));
    events.set(name, { name, properties, decl: stub() });
  }
  const segments = new Map<string, SegmentInfo>();
  for (const [name, condition] of Object.entries(spec.segments ?? {})) segments.set(name, { name, condition, decl: stub() });

  const rules: RuleInfo[] = (spec.rules ?? []).map((rule, index): RuleInfo => {
    const base = {
      index,
      group: rule.group ?? null,
      label: rule.label ?? `rule ${index}`,
      hasLabel: rule.label !== undefined,
      points: rule.points,
      line: index + 10,
      range: RANGE,
    };
    if ('when' in rule) return { kind: 'when', ...base, condition: rule.when, decl: stub() };
    return {
      kind: 'each',
      ...base,
      query: rule.each,
      ...(rule.cap !== undefined ? { cap: rule.cap } : {}),
      ...(rule.halfLifeDays !== undefined
        ? { halfLifeSeconds: rule.halfLifeDays * 86400, decay: { kind: 'half-life' as const, halfLifeSeconds: rule.halfLifeDays * 86400 } }
        : {}),
      decl: stub(),
    };
  });
  const groups: GroupInfo[] = (spec.groups ?? []).map((g) => ({
    name: g.name,
    min: g.min ?? null,
    max: g.max ?? null,
    rules: rules.filter((r) => r.group === g.name),
    dependsOn: [],
    decl: stub(),
  }));
  const stages: StageInfo[] = (spec.stages ?? []).map((s) => ({
    name: s.name,
    threshold: s.at,
    requires: s.requires ?? [],
    conditions: [],
    ...(s.when !== undefined ? { when: s.when } : {}),
    whenParts: [],
    decl: stub(),
  }));
  const tiers: TierInfo[] = (spec.tiers ?? []).map((t) => ({ name: t.name, condition: t.when, decl: stub() }));
  return {
    file: stub({ kind: 'RubricFile', uri: 'test.rubric', text: '', statements: [], comments: [] }),
    fields,
    events,
    lets: new Map(),
    tables: new Map(),
    account: null,
    segments,
    groups,
    groupOrder: spec.groupOrder ?? groups.map((g) => g.name),
    rules,
    scoreRange: spec.scoreRange ?? null,
    stages,
    tiers,
    tests: [],
    dialect: PLAIN_DIALECT,
  };
}
