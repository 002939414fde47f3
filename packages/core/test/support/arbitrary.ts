/**
 * fast-check arbitraries for Rubric: valid rule files (as a {@link FileSpec} and its text) that
 * cover every construct of the language, and leads with events that exercise them — values of
 * the right type and of the wrong type, null, absent, blank, cased and accented variants, dotted
 * versus nested keys, inherited properties, events inside, on and outside windows and after now.
 *
 * Everything shrinks: a failing property prints a small file and a small lead.
 *
 * ```ts
 * fc.assert(fc.property(arbitraryRuleFile(), ({ spec, text }) => ...));
 * fc.assert(fc.property(arbitraryFileWithLeads({ leads: 8 }), ({ text, leads }) => ...));
 * ```
 */
import fc from 'fast-check';
import { HOSTILE_NAMES, HOSTILE_STRINGS } from './hostile.js';
import {
  durationSeconds,
  isBareWord,
  renderRuleFile,
  type CondSpec,
  type CountCheck,
  type DateLit,
  type DecaySpec,
  type DurationSpec,
  type LimitSpec,
  type PeriodSpec,
  type EachRuleSpec,
  type EventSpec,
  type ExpectSpec,
  type FieldSpec,
  type FieldTypeSpec,
  type FileSpec,
  type GroupSpec,
  type LayoutSpec,
  type LetRef,
  type LetSpec,
  type ListLit,
  type NumberLit,
  type NumOperand,
  type RelativeLit,
  type RuleSpec,
  type SegmentSpec,
  type StageSpec,
  type SubjectSpec,
  type TestEventSpec,
  type TestSpec,
  type TestValue,
  type TextLit,
  type TierSpec,
  type WhenRuleSpec,
} from './rule-spec.js';

export * from './rule-spec.js';
export { HOSTILE_NAMES, HOSTILE_STRINGS } from './hostile.js';

/** What the generators may produce. */
export interface GeneratorOptions {
  /** Hostile strings as literals, labels and lead values (default true). */
  readonly hostile?: boolean;
  /** Hostile names as fields: `__proto__`, `constructor`, backticked keywords and spaces (default true). */
  readonly hostileNames?: boolean;
  /**
   * Lead values whose reading the spec leaves open (default false): the numbers 1/0 for a bool,
   * a list holding a blank string. Off in the compiled-vs-interpreted property so it only fails
   * on real disagreements with the spec.
   */
  readonly ambiguous?: boolean;
  /** In-file `test` blocks with random expectations (default true). */
  readonly tests?: boolean;
}

export type Options = Required<GeneratorOptions>;

export function withDefaults(options: GeneratorOptions = {}): Options {
  return { hostile: true, hostileNames: true, ambiguous: false, tests: true, ...options };
}

// ---------------------------------------------------------------------------------------------
// Pools. Each kind of name has its own pool, so names never collide across kinds.

const FIELD_POOL: readonly string[] = [
  'job',
  'email',
  'phone',
  'country',
  'revenue',
  'student',
  'budget_validated',
  'decision_date',
  'signup',
  'tags',
  'interests',
  'source',
  'rating',
  'région',
  'company.size',
  'company.industry',
  'company.founded',
  'company.listed',
  'company.hq.country',
  'contact.role',
  'données.clés',
];
const HOSTILE_FIELD_POOL: readonly string[] = [
  'Lead Source',
  'stage',
  'count',
  '__proto__',
  'constructor',
  'toString',
  "it's",
  'say "hi"',
  '${1+1}',
  "'); drop table leads; --",
  '*/ throw 1; /*',
  '🚀 rocket',
];

const EVENT_POOL: readonly string[] = [
  'email_open',
  'email_click',
  'page_view',
  'download',
  'webinar',
  'form_submit',
  'demo_request',
  'unsubscribe',
];
const PROPERTY_POOL: readonly string[] = ['url', 'asset', 'seconds', 'paid', 'scheduled', 'plan', 'topics', 'channel'];
const LET_POOL: readonly string[] = [
  'decision_makers',
  'personal_domains',
  'target_countries',
  'vip_tag',
  'big_company',
  'min_revenue',
  'launch_date',
  'pricing_prefix',
];
const SEGMENT_POOL: readonly string[] = ['ideal_company', 'decision_maker', 'engaged', 'risky', 'european'];
const GROUP_POOL: readonly string[] = ['fit', 'engagement', 'intent', 'negative', 'firmographics'];
const STAGE_POOL: readonly string[] = ['discovery', 'evaluation', 'purchase', 'sales_ready', 'mql'];
const TIER_POOL: readonly string[] = ['A1', 'A2', 'B1', 'B2', 'C3'];

/** Bare-word text values (never a name of anything in the file). */
const WORD_POOL: readonly string[] = [
  'CEO',
  'CTO',
  'CFO',
  'services',
  'retail',
  'santé',
  'vip',
  'partner',
  'Manager',
  'Fondateur',
  'gmail',
  'guide',
  'FR',
  'BE',
  'Ünïcödé',
];
const STRING_POOL: readonly string[] = [
  'VP Sales',
  'Directeur Général',
  'Directeur achats',
  '@gmail.com',
  '@yahoo.com',
  '@hotmail.fr',
  '/pricing',
  'process-guide',
  'Head of IT',
  "l'équipe",
  'Sérvices',
  'CEO',
];
const ONE_OF_POOL: readonly TextLit[] = [
  { kind: 'text', value: 'services', quote: 'word' },
  { kind: 'text', value: 'retail', quote: 'word' },
  { kind: 'text', value: 'industrie', quote: 'word' },
  { kind: 'text', value: 'Santé publique', quote: '"' },
  { kind: 'text', value: 'finance', quote: "'" },
  { kind: 'text', value: 'éducation', quote: 'word' },
];
const NUMBER_POOL: readonly number[] = [-5, 0, 1, 3, 10, 42, 50, 99.5, 100, 250, 1000, 12.345, 1_000_000];
const DATE_POOL: readonly string[] = [
  '2025-12-01',
  '2026-01-15',
  '2026-02-28',
  '2026-03-01',
  '2026-03-01T09:30:00Z',
  '2026-02-28T23:59:59Z',
  '2024-02-29',
];
/** Instants leads are scored at. */
export const NOW_POOL: readonly string[] = [
  '2026-03-01T00:00:00Z',
  '2026-03-01T12:34:56Z',
  '2026-01-31T23:59:59Z',
  '2026-06-15T08:00:00Z',
  '2025-12-31T00:00:00Z',
];
const LABEL_POOL: readonly string[] = ['Ideal company profile', 'Personal address', 'Décideur', 'Visited pricing'];

// ---------------------------------------------------------------------------------------------
// Literals

function arbTextLit(options: Options): fc.Arbitrary<TextLit> {
  const quote = fc.constantFrom<'"' | "'">('"', "'");
  const word = fc
    .tuple(fc.constantFrom(...WORD_POOL), fc.constantFrom<'word' | '"' | "'">('word', 'word', '"', "'"))
    .map(([value, q]): TextLit => ({ kind: 'text', value, quote: isBareWord(value) ? q : '"' }));
  const string = fc.tuple(fc.constantFrom(...STRING_POOL), quote).map(([value, q]): TextLit => ({ kind: 'text', value, quote: q }));
  const arbs: Array<fc.WeightedArbitrary<TextLit>> = [
    { arbitrary: word, weight: 5 },
    { arbitrary: string, weight: 3 },
  ];
  if (options.hostile) {
    const hostile = fc
      .tuple(fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.trim() !== '')), quote)
      .map(([value, q]): TextLit => ({ kind: 'text', value, quote: q }));
    arbs.push({ arbitrary: hostile, weight: 1 });
  }
  return fc.oneof(...arbs);
}

const arbNumberLit: fc.Arbitrary<NumberLit> = fc
  .tuple(fc.constantFrom(...NUMBER_POOL), fc.boolean())
  .map(([value, underscores]) => ({
    kind: 'number',
    value,
    raw: underscores && Number.isInteger(value) && Math.abs(value) >= 1000 ? String(value).replace(/\B(?=(\d{3})+$)/g, '_') : String(value),
  }));

const arbDateLit: fc.Arbitrary<DateLit> = fc.constantFrom(...DATE_POOL).map((raw) => ({ kind: 'date', raw }));

const arbRelativeLit: fc.Arbitrary<RelativeLit> = fc.record({
  kind: fc.constant('relative' as const),
  days: fc.constantFrom(1, 7, 14, 30, 90, 365),
  direction: fc.constantFrom<'ago' | 'from now'>('ago', 'ago', 'from now'),
});

function relativeOffsetDays(lit: RelativeLit): number {
  return lit.direction === 'ago' ? -lit.days : lit.days;
}

const arbWithin: fc.Arbitrary<DurationSpec> = fc.oneof(
  fc.record({ amount: fc.constantFrom(1, 12, 24, 48), unit: fc.constant('hour' as const) }),
  fc.record({ amount: fc.constantFrom(1, 7, 30, 90), unit: fc.constant('day' as const) }),
  fc.record({ amount: fc.constantFrom(1, 2), unit: fc.constant('week' as const) }),
  fc.record({ amount: fc.constantFrom(1, 3), unit: fc.constant('month' as const) }),
  fc.record({ amount: fc.constant(1), unit: fc.constant('year' as const) }),
);

const arbHalfLife: fc.Arbitrary<DurationSpec> = fc.oneof(
  fc.record({ amount: fc.constantFrom(1, 7, 14, 30), unit: fc.constant('day' as const) }),
  fc.record({ amount: fc.constantFrom(12, 36), unit: fc.constant('hour' as const) }),
  fc.record({ amount: fc.constant(1), unit: fc.constant('week' as const) }),
);

const arbPeriod: fc.Arbitrary<PeriodSpec> = fc.oneof(
  fc.constantFrom<PeriodSpec>(
    { amount: 1, unit: 'day', bare: true },
    { amount: 1, unit: 'hour', bare: true },
    { amount: 1, unit: 'week', bare: true },
    { amount: 1, unit: 'month', bare: true },
  ),
  fc.record({ amount: fc.constantFrom(2, 3, 12), unit: fc.constantFrom<'hour' | 'day'>('hour', 'day') }),
);

/** Linear decays: whole and decimal percentages, 100% (gone after one period) included. */
const arbLinearDecay: fc.Arbitrary<DecaySpec> = fc.record({
  kind: fc.constant('linear' as const),
  percentHundredths: fc.oneof(fc.constantFrom(2500, 5000, 10000, 1000), fc.integer({ min: 1, max: 10000 })),
  period: arbPeriod,
});

const arbDecay: fc.Arbitrary<DecaySpec> = fc.oneof(
  arbHalfLife.map((duration): DecaySpec => ({ kind: 'half-life', duration })),
  arbLinearDecay,
);

const arbLimit: fc.Arbitrary<LimitSpec> = fc.record({
  count: fc.oneof(fc.constant<'once'>('once'), fc.integer({ min: 1, max: 3 })),
  period: arbPeriod,
});

/** `any` tests of a condition's top-level `and` (through parentheses), as the checker counts. */
function topLevelAnys(cond: CondSpec): number {
  if (cond.kind === 'and') return cond.operands.reduce((n, c) => n + topLevelAnys(c), 0);
  if (cond.kind === 'paren') return topLevelAnys(cond.inner);
  return cond.kind === 'exists' && cond.quantifier === 'any' ? 1 : 0;
}

/** Positive points in hundredths: whole points mostly, some with decimals. */
const arbPoints: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 30 }).map((n) => n * 100), weight: 4 },
  { arbitrary: fc.integer({ min: 1, max: 2500 }), weight: 2 },
  { arbitrary: fc.constantFrom(1, 5, 50, 115, 250, 1005), weight: 1 },
);
const arbSmallPoints: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 1, max: 10 }).map((n) => n * 100),
  fc.integer({ min: 1, max: 999 }),
  fc.constantFrom(1, 115, 250),
);

// ---------------------------------------------------------------------------------------------
// Schema: lead fields, events, lets

export interface Schema {
  readonly fields: readonly FieldSpec[];
  readonly events: readonly EventSpec[];
  readonly lets: readonly LetSpec[];
}

const arbOneOf: fc.Arbitrary<FieldTypeSpec> = fc
  .subarray([...ONE_OF_POOL], { minLength: 2, maxLength: 4 })
  .map((values) => ({ kind: 'one-of', values }));

export const arbFieldType: fc.Arbitrary<FieldTypeSpec> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'text' as const }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'number' as const }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'bool' as const }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'date' as const }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'list' as const }), weight: 2 },
  { arbitrary: arbOneOf, weight: 2 },
);

function arbSchema(options: Options): fc.Arbitrary<Schema> {
  const pool = options.hostileNames ? [...FIELD_POOL, ...HOSTILE_FIELD_POOL] : FIELD_POOL;
  const fields = fc.uniqueArray(fc.record({ path: fc.constantFrom(...pool), type: arbFieldType }), {
    minLength: 1,
    maxLength: 7,
    selector: (f) => f.path,
  });
  const events = fc.uniqueArray(
    fc.record({
      name: fc.constantFrom(...EVENT_POOL),
      properties: fc.uniqueArray(fc.record({ path: fc.constantFrom(...PROPERTY_POOL), type: arbFieldType }), {
        maxLength: 3,
        selector: (p) => p.path,
      }),
    }),
    { maxLength: 4, selector: (e) => e.name },
  );
  const letValue = fc.oneof(
    fc.array(arbTextLit(options), { minLength: 1, maxLength: 4 }).map((items): ListLit => ({ kind: 'list', items })),
    arbTextLit(options),
    arbNumberLit,
    arbDateLit,
  );
  const lets = fc.uniqueArray(fc.record({ name: fc.constantFrom(...LET_POOL), value: letValue }), {
    maxLength: 4,
    selector: (l) => l.name,
  });
  return fc.record({ fields, events, lets });
}

// ---------------------------------------------------------------------------------------------
// Conditions

export interface CondContext {
  readonly schema: Schema;
  readonly segments: readonly string[];
  readonly groups: readonly string[];
  readonly score: boolean;
  readonly options: Options;
}

function letsOf(schema: Schema, kind: LetSpec['value']['kind']): LetRef[] {
  return schema.lets.filter((l) => l.value.kind === kind).map((l) => ({ kind: 'let', name: l.name }));
}

function withLets<T>(base: fc.Arbitrary<T>, lets: readonly LetRef[]): fc.Arbitrary<T | LetRef> {
  return lets.length === 0 ? base : fc.oneof({ arbitrary: base, weight: 3 }, { arbitrary: fc.constantFrom(...lets), weight: 1 });
}

/** A literal list whose items may be text lets or (spliced) list lets. */
function arbListLit(ctx: CondContext): fc.Arbitrary<ListLit> {
  const letItems = [...letsOf(ctx.schema, 'text'), ...letsOf(ctx.schema, 'list')];
  const item = withLets(arbTextLit(ctx.options), letItems);
  return fc.array(item, { minLength: 1, maxLength: 4 }).map((items) => ({ kind: 'list', items }));
}

const arbCompareOp = fc.constantFrom<'=' | '!=' | '<' | '<=' | '>' | '>='>('=', '!=', '<', '<=', '>', '>=');

function textConditions(subject: SubjectSpec, ctx: CondContext): fc.Arbitrary<CondSpec> {
  const textValue = withLets(arbTextLit(ctx.options), letsOf(ctx.schema, 'text'));
  const listValue = withLets(arbListLit(ctx), letsOf(ctx.schema, 'list'));
  return fc.oneof(
    fc.record({ kind: fc.constant('equals' as const), subject: fc.constant(subject), op: fc.constantFrom<'=' | '!='>('=', '!='), value: textValue }),
    fc.record({ kind: fc.constant('in' as const), subject: fc.constant(subject), negated: fc.boolean(), list: listValue }),
    fc.record({
      kind: fc.constant('match' as const),
      subject: fc.constant(subject),
      op: fc.constantFrom<'starts' | 'ends' | 'contains'>('starts', 'ends', 'contains'),
      any: fc.constant(false),
      values: textValue,
    }),
    fc.record({
      kind: fc.constant('match' as const),
      subject: fc.constant(subject),
      op: fc.constantFrom<'starts' | 'ends' | 'contains'>('starts', 'ends', 'contains'),
      any: fc.constant(true),
      values: listValue,
    }),
    presenceConditions(subject),
  );
}

function presenceConditions(subject: SubjectSpec): fc.Arbitrary<CondSpec> {
  return fc.record({ kind: fc.constant('is' as const), subject: fc.constant(subject), test: fc.constantFrom<'set' | 'missing'>('set', 'missing') });
}

/** A value of a `one of` set as a rule may write it: as declared, upper-cased or padded (all fold to it). */
function arbOneOfLiteral(values: readonly TextLit[]): fc.Arbitrary<TextLit> {
  return fc.tuple(fc.constantFrom(...values), fc.constantFrom('same', 'same', 'upper', 'padded')).map(([lit, how]): TextLit => {
    if (how === 'same') return lit;
    const value = how === 'upper' ? lit.value.toUpperCase() : ` ${lit.value} `;
    return { kind: 'text', value, quote: lit.quote === 'word' && isBareWord(value) ? 'word' : '"' };
  });
}

function oneOfConditions(subject: SubjectSpec, values: readonly TextLit[]): fc.Arbitrary<CondSpec> {
  return fc.oneof(
    fc.record({ kind: fc.constant('equals' as const), subject: fc.constant(subject), op: fc.constantFrom<'=' | '!='>('=', '!='), value: arbOneOfLiteral(values) }),
    fc.record({
      kind: fc.constant('in' as const),
      subject: fc.constant(subject),
      negated: fc.boolean(),
      list: fc.array(arbOneOfLiteral(values), { minLength: 1, maxLength: 3 }).map((items): ListLit => ({ kind: 'list', items })),
    }),
    presenceConditions(subject),
  );
}

function numberConditions(subject: SubjectSpec, ctx: CondContext): fc.Arbitrary<CondSpec> {
  const value = withLets<NumOperand>(arbNumberLit, letsOf(ctx.schema, 'number'));
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('compare' as const), subject: fc.constant(subject), op: arbCompareOp, value }), weight: 3 },
    {
      arbitrary: fc.tuple(arbNumberLit, arbNumberLit).map(([a, b]): CondSpec => {
        const [low, high] = a.value <= b.value ? [a, b] : [b, a];
        return { kind: 'between', subject, low, high };
      }),
      weight: 1,
    },
    { arbitrary: presenceConditions(subject), weight: 1 },
  );
}

function dateMillis(raw: string): number {
  return Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw);
}

function dateConditions(subject: SubjectSpec, ctx: CondContext): fc.Arbitrary<CondSpec> {
  const value = withLets<NumOperand>(fc.oneof(arbDateLit, arbRelativeLit), letsOf(ctx.schema, 'date'));
  const betweenDates = fc.tuple(arbDateLit, arbDateLit).map(([a, b]): CondSpec => {
    const [low, high] = dateMillis(a.raw) <= dateMillis(b.raw) ? [a, b] : [b, a];
    return { kind: 'between', subject, low, high };
  });
  const betweenRelative = fc.tuple(arbRelativeLit, arbRelativeLit).map(([a, b]): CondSpec => {
    const [low, high] = relativeOffsetDays(a) <= relativeOffsetDays(b) ? [a, b] : [b, a];
    return { kind: 'between', subject, low, high };
  });
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('compare' as const), subject: fc.constant(subject), op: arbCompareOp, value }), weight: 4 },
    { arbitrary: betweenDates, weight: 1 },
    { arbitrary: betweenRelative, weight: 1 },
    { arbitrary: presenceConditions(subject), weight: 1 },
  );
}

function boolConditions(subject: SubjectSpec): fc.Arbitrary<CondSpec> {
  return fc.oneof(
    fc.constant<CondSpec>({ kind: 'bare', subject }),
    fc.record({
      kind: fc.constant('is' as const),
      subject: fc.constant(subject),
      test: fc.constantFrom<'set' | 'missing' | 'true' | 'false'>('true', 'false', 'true', 'false', 'set', 'missing'),
    }),
  );
}

function listConditions(subject: SubjectSpec, ctx: CondContext): fc.Arbitrary<CondSpec> {
  const textValue = withLets(arbTextLit(ctx.options), letsOf(ctx.schema, 'text'));
  const listValue = withLets(arbListLit(ctx), letsOf(ctx.schema, 'list'));
  return fc.oneof(
    fc.record({ kind: fc.constant('has' as const), subject: fc.constant(subject), any: fc.constant(false), values: textValue }),
    fc.record({ kind: fc.constant('has' as const), subject: fc.constant(subject), any: fc.constant(true), values: listValue }),
    presenceConditions(subject),
  );
}

function typedConditions(subject: SubjectSpec, type: FieldTypeSpec, ctx: CondContext): fc.Arbitrary<CondSpec> {
  switch (type.kind) {
    case 'text':
      return textConditions(subject, ctx);
    case 'one-of':
      return oneOfConditions(subject, type.values);
    case 'number':
      return numberConditions(subject, ctx);
    case 'date':
      return dateConditions(subject, ctx);
    case 'bool':
      return boolConditions(subject);
    case 'list':
      return listConditions(subject, ctx);
  }
}

/** A condition over one event's properties (and lets), for `where`. */
function arbWhere(event: EventSpec, ctx: CondContext): fc.Arbitrary<CondSpec> {
  const atomic = fc
    .constantFrom(...event.properties)
    .chain((p) => typedConditions({ kind: 'property', event: event.name, name: p.path }, p.type, ctx));
  return fc.oneof(
    { arbitrary: atomic, weight: 4 },
    { arbitrary: fc.tuple(fc.constantFrom<'and' | 'or'>('and', 'or'), atomic, atomic).map(([kind, a, b]): CondSpec => ({ kind, operands: [a, b] })), weight: 1 },
    { arbitrary: atomic.map((operand): CondSpec => ({ kind: 'not', operand })), weight: 1 },
  );
}

function arbCountCheck(values: readonly number[]): fc.Arbitrary<CountCheck> {
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('compare' as const), op: arbCompareOp, value: fc.constantFrom(...values) }), weight: 3 },
    {
      arbitrary: fc.tuple(fc.constantFrom(...values), fc.constantFrom(...values)).map(([a, b]): CountCheck => ({
        kind: 'between',
        low: Math.min(a, b),
        high: Math.max(a, b),
      })),
      weight: 1,
    },
  );
}

function arbEventCondition(ctx: CondContext): fc.Arbitrary<CondSpec> {
  return fc.constantFrom(...ctx.schema.events).chain((event) => {
    const where = event.properties.length > 0 ? fc.option(arbWhere(event, ctx), { nil: undefined, freq: 2 }) : fc.constant(undefined);
    const within = fc.option(arbWithin, { nil: undefined, freq: 2 });
    return fc.oneof(
      fc.record({ quantifier: fc.constantFrom<'any' | 'no'>('any', 'no'), where, within }).map(
        ({ quantifier, where: w, within: d }): CondSpec => ({ kind: 'exists', quantifier, event: event.name, ...optional({ where: w, within: d }) }),
      ),
      fc.record({ where, within, check: arbCountCheck([0, 1, 2, 3, 5]) }).map(
        ({ where: w, within: d, check }): CondSpec => ({ kind: 'count', event: event.name, check, ...optional({ where: w, within: d }) }),
      ),
      fc.record({ where, check: arbCountCheck([0, 1, 2, 7, 30, 90]) }).map(
        ({ where: w, check }): CondSpec => ({ kind: 'days-since', event: event.name, check, ...optional({ where: w }) }),
      ),
      ...distinctCounts(event, where, within),
    );
  });
}

/** `count distinct EVENT.PROPERTY ...` over the event's single-valued properties (none: no alternative). */
function distinctCounts(
  event: EventSpec,
  where: fc.Arbitrary<CondSpec | undefined>,
  within: fc.Arbitrary<DurationSpec | undefined>,
): Array<fc.Arbitrary<CondSpec>> {
  const properties = event.properties.filter((p) => p.type.kind !== 'list').map((p) => p.path);
  if (properties.length === 0) return [];
  return [
    fc.record({ distinct: fc.constantFrom(...properties), where, within, check: arbCountCheck([0, 1, 2, 3]) }).map(
      ({ distinct, where: w, within: d, check }): CondSpec => ({ kind: 'count', event: event.name, distinct, check, ...optional({ where: w, within: d }) }),
    ),
  ];
}

/** Drops `undefined` members, so specs print and compare cleanly. */
function optional<T extends Record<string, unknown>>(record: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(record) as Array<keyof T>) if (record[key] !== undefined) out[key] = record[key];
  return out;
}

const arbNumberThreshold: fc.Arbitrary<NumberLit> = fc
  .constantFrom(-10, 0, 5, 10, 12.5, 20, 40, 60)
  .map((value) => ({ kind: 'number', value, raw: String(value) }));

function arbNumericOnName(subject: SubjectSpec): fc.Arbitrary<CondSpec> {
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('compare' as const), subject: fc.constant(subject), op: arbCompareOp, value: arbNumberThreshold }), weight: 3 },
    {
      arbitrary: fc.tuple(arbNumberThreshold, arbNumberThreshold).map(([a, b]): CondSpec => {
        const [low, high] = a.value <= b.value ? [a, b] : [b, a];
        return { kind: 'between', subject, low, high };
      }),
      weight: 1,
    },
  );
}

function arbAtomic(ctx: CondContext): fc.Arbitrary<CondSpec> {
  const choices: Array<fc.WeightedArbitrary<CondSpec>> = [
    {
      arbitrary: fc.constantFrom(...ctx.schema.fields).chain((f) => typedConditions({ kind: 'field', path: f.path }, f.type, ctx)),
      weight: 8,
    },
  ];
  if (ctx.schema.events.length > 0) choices.push({ arbitrary: arbEventCondition(ctx), weight: 4 });
  if (ctx.segments.length > 0) {
    choices.push({ arbitrary: fc.constantFrom(...ctx.segments).map((name): CondSpec => ({ kind: 'segment', name })), weight: 2 });
  }
  if (ctx.groups.length > 0) {
    choices.push({ arbitrary: fc.constantFrom(...ctx.groups).chain((name) => arbNumericOnName({ kind: 'group', name })), weight: 2 });
  }
  if (ctx.score) choices.push({ arbitrary: arbNumericOnName({ kind: 'score' }), weight: 3 });
  return fc.oneof(...choices);
}

/** A condition of nesting depth at most `depth`: atoms, `and`, `or`, `not`, parentheses. */
export function arbCondition(ctx: CondContext, depth: number): fc.Arbitrary<CondSpec> {
  const atomic = arbAtomic(ctx);
  if (depth <= 0) return atomic;
  const inner = arbCondition(ctx, depth - 1);
  return fc.oneof(
    { arbitrary: atomic, weight: 6 },
    { arbitrary: fc.array(inner, { minLength: 2, maxLength: 3 }).map((operands): CondSpec => ({ kind: 'and', operands })), weight: 2 },
    { arbitrary: fc.array(inner, { minLength: 2, maxLength: 3 }).map((operands): CondSpec => ({ kind: 'or', operands })), weight: 2 },
    {
      arbitrary: inner.map((operand): CondSpec => (operand.kind === 'not' ? operand : { kind: 'not', operand })),
      weight: 1,
    },
    { arbitrary: inner.map((c): CondSpec => (c.kind === 'paren' ? c : { kind: 'paren', inner: c })), weight: 1 },
  );
}

// ---------------------------------------------------------------------------------------------
// Rules and the file

function arbLabel(options: Options): fc.Arbitrary<string | undefined> {
  const labels = options.hostile ? [...LABEL_POOL, ...HOSTILE_STRINGS] : LABEL_POOL;
  return fc.option(fc.constantFrom(...labels), { nil: undefined, freq: 3 });
}

const arbSign = fc.constantFrom<'add' | 'sub'>('add', 'add', 'sub');

function arbWhenRule(ctx: CondContext): fc.Arbitrary<WhenRuleSpec> {
  const events = ctx.schema.events;
  // A decaying `when` rule: its condition gets one `any EVENT` test when it has none.
  const anyTest: fc.Arbitrary<CondSpec | undefined> =
    events.length === 0
      ? fc.constant(undefined)
      : fc.option(
          fc.record({ event: fc.constantFrom(...events.map((e) => e.name)), within: fc.option(arbWithin, { nil: undefined, freq: 2 }) }).map(
            ({ event, within }): CondSpec => ({ kind: 'exists', quantifier: 'any', event, ...optional({ within }) }),
          ),
          { nil: undefined, freq: 2 },
        );
  return fc
    .record({
      condition: arbCondition(ctx, 2),
      sign: arbSign,
      hundredths: arbPoints,
      label: arbLabel(ctx.options),
      decay: fc.option(arbDecay, { nil: undefined, freq: 3 }),
      anyTest,
    })
    .map(({ condition, sign, hundredths, label, decay, anyTest: test }): WhenRuleSpec => {
      let cond = condition;
      if (decay !== undefined && test !== undefined && topLevelAnys(cond) === 0) cond = { kind: 'and', operands: [test, { kind: 'paren', inner: cond }] };
      const decayed = decay !== undefined && topLevelAnys(cond) === 1 ? decay : undefined;
      return { kind: 'when', condition: cond, sign, hundredths, ...optional({ decay: decayed, label }) };
    });
}

function arbEachRule(ctx: CondContext): fc.Arbitrary<EachRuleSpec> {
  return fc.constantFrom(...ctx.schema.events).chain((event) =>
    fc
      .record({
        where: event.properties.length > 0 ? fc.option(arbWhere(event, ctx), { nil: undefined, freq: 3 }) : fc.constant(undefined),
        within: fc.option(arbWithin, { nil: undefined, freq: 2 }),
        sign: arbSign,
        hundredths: arbSmallPoints,
        upTo: fc.option(fc.oneof(fc.integer({ min: 1, max: 30 }).map((n) => n * 100), fc.integer({ min: 1, max: 999 })), { nil: undefined, freq: 2 }),
        halfLife: fc.option(arbHalfLife, { nil: undefined, freq: 2 }),
        limit: fc.option(arbLimit, { nil: undefined, freq: 3 }),
        linearDecay: fc.option(arbLinearDecay, { nil: undefined, freq: 3 }),
        label: arbLabel(ctx.options),
      })
      .map(({ sign, hundredths, halfLife, linearDecay, ...rest }): EachRuleSpec => ({
        kind: 'each',
        event: event.name,
        sign,
        hundredths,
        ...optional({ ...rest, halfLife, linearDecay: halfLife === undefined ? linearDecay : undefined }),
      })),
  );
}

export function arbRule(ctx: CondContext): fc.Arbitrary<RuleSpec> {
  if (ctx.schema.events.length === 0) return arbWhenRule(ctx);
  return fc.oneof({ arbitrary: arbWhenRule(ctx), weight: 3 }, { arbitrary: arbEachRule(ctx), weight: 2 });
}

/** Clamp bounds in hundredths: `max`, `min`, both (min <= max) or neither. */
const arbBounds: fc.Arbitrary<{ max?: number; min?: number }> = fc
  .record({
    max: fc.option(fc.oneof(fc.integer({ min: 0, max: 60 }).map((n) => n * 100), fc.integer({ min: 1, max: 4000 })), { nil: undefined }),
    min: fc.option(fc.integer({ min: -30, max: 10 }).map((n) => n * 100), { nil: undefined }),
  })
  .map(({ max, min }) => (max !== undefined && min !== undefined && min > max ? { max: min, min: max } : optional({ max, min })));

/** The names and dependency ranks chosen before any condition is generated. */
interface Skeleton {
  readonly schema: Schema;
  readonly groups: readonly string[];
  /** `ranks[i]`: group `groups[i]` may read only groups of lower rank (no cycle). */
  readonly ranks: readonly number[];
  readonly segments: readonly string[];
  /** Segment `segments[i]` may read groups of rank below `segmentBounds[i]`. */
  readonly segmentBounds: readonly number[];
  readonly stages: readonly string[];
  readonly tiers: readonly string[];
}

function arbSkeleton(options: Options): fc.Arbitrary<Skeleton> {
  return arbSchema(options).chain((schema) =>
    fc.integer({ min: 0, max: 3 }).chain((groupCount) =>
      fc.record({
        schema: fc.constant(schema),
        groups: fc.shuffledSubarray([...GROUP_POOL], { minLength: groupCount, maxLength: groupCount }),
        ranks: fc.shuffledSubarray(
          Array.from({ length: groupCount }, (_, i) => i),
          { minLength: groupCount, maxLength: groupCount },
        ),
        segments: fc.shuffledSubarray([...SEGMENT_POOL], { maxLength: 3 }),
        segmentBounds: fc.array(fc.integer({ min: 0, max: groupCount }), { minLength: 3, maxLength: 3 }),
        stages: fc.shuffledSubarray([...STAGE_POOL], { maxLength: 4 }),
        tiers: fc.shuffledSubarray([...TIER_POOL], { maxLength: 3 }),
      }),
    ),
  );
}

const arbLayout: fc.Arbitrary<LayoutSpec> = fc.record({
  semicolons: fc.boolean(),
  split: fc.constantFrom<'none' | 'after' | 'before'>('none', 'none', 'after', 'before'),
  comments: fc.boolean(),
});

function fileFromSkeleton(sk: Skeleton, options: Options): fc.Arbitrary<FileSpec> {
  const context = (segments: readonly string[], groups: readonly string[], score: boolean): CondContext => ({
    schema: sk.schema,
    segments,
    groups,
    score,
    options,
  });
  const groupsBelow = (bound: number): string[] => sk.groups.filter((_, i) => sk.ranks[i] < bound);
  const segmentsWithin = (bound: number, before = sk.segments.length): string[] =>
    sk.segments.filter((_, i) => i < before && sk.segmentBounds[i] <= bound);

  const segments = fc.tuple(
    ...sk.segments.map((name, i) =>
      arbCondition(context(segmentsWithin(sk.segmentBounds[i], i), groupsBelow(sk.segmentBounds[i]), false), 2).map(
        (condition): SegmentSpec => ({ name, condition }),
      ),
    ),
  );
  const groups = fc.tuple(
    ...sk.groups.map((name, i) => {
      const ctx = context(segmentsWithin(sk.ranks[i]), groupsBelow(sk.ranks[i]), false);
      return fc
        .record({ bounds: arbBounds, rules: fc.array(arbRule(ctx), { minLength: 1, maxLength: 4 }), decay: fc.option(arbDecay, { nil: undefined, freq: 4 }) })
        .map(({ bounds, rules, decay }): GroupSpec => ({ kind: 'group', name, rules, ...bounds, ...optional({ decay }) }));
    }),
  );
  const everything = context(sk.segments, sk.groups, false);
  const ungrouped = fc.array(arbRule(everything), { maxLength: 2 });
  const withScore = context(sk.segments, sk.groups, true);
  const fieldPaths = sk.schema.fields.map((f) => f.path);
  const stages = fc.tuple(
    ...sk.stages.map((name) =>
      fc
        .record({
          threshold: fc.oneof(fc.integer({ min: -2, max: 16 }).map((n) => n * 500), fc.integer({ min: 0, max: 6000 })),
          requires: fc.subarray(fieldPaths, { maxLength: Math.min(2, fieldPaths.length) }),
          conditions: fc.array(arbCondition(withScore, 1), { maxLength: 2 }),
          when: fc.option(arbCondition(withScore, 1), { nil: undefined, freq: 2 }),
        })
        .map(({ threshold, requires, conditions, when }): StageSpec => ({ name, threshold, requires, ...(conditions.length > 0 ? { conditions } : {}), ...optional({ when }) })),
    ),
  );
  const tiers = fc.tuple(
    ...sk.tiers.map((name) => arbCondition(withScore, 1).map((condition): TierSpec => ({ name, condition }))),
  );
  const scoreRange = fc.option(
    fc
      .tuple(fc.integer({ min: -20, max: 10 }), fc.integer({ min: 1, max: 20 }))
      .map(([low, width]) => ({ min: low * 500, max: (low + width) * 500 })),
    { nil: undefined, freq: 3 },
  );
  return fc
    .record({ segments, groups, before: ungrouped, after: ungrouped, scoreRange, stages, tiers, layout: arbLayout })
    .map(
      (parts): FileSpec => ({
        fields: sk.schema.fields,
        events: sk.schema.events,
        lets: sk.schema.lets,
        segments: parts.segments,
        body: [...parts.before, ...parts.groups, ...parts.after],
        stages: parts.stages,
        tiers: parts.tiers,
        layout: parts.layout,
        ...optional({ scoreRange: parts.scoreRange }),
      }),
    );
}

/** A structured spec of a valid rule file covering every construct of the language. */
export function arbitraryFileSpec(options: GeneratorOptions = {}): fc.Arbitrary<FileSpec> {
  const opts = withDefaults(options);
  const files = arbSkeleton(opts).chain((sk) => fileFromSkeleton(sk, opts));
  if (!opts.tests) return files;
  return files.chain((spec) =>
    fc
      .uniqueArray(arbitraryTestFor(spec, opts), { maxLength: 2, selector: (t) => t.name })
      .map((tests): FileSpec => (tests.length === 0 ? spec : { ...spec, tests })),
  );
}

/** A valid rule file: its spec and its text. */
export function arbitraryRuleFile(options: GeneratorOptions = {}): fc.Arbitrary<{ spec: FileSpec; text: string }> {
  return arbitraryFileSpec(options).map((spec) => ({ spec, text: renderRuleFile(spec) }));
}

// ---------------------------------------------------------------------------------------------
// Leads and events

/** The literals a file compares one subject with: what makes its rules fire or just miss. */
interface SubjectLiterals {
  texts: string[];
  numbers: number[];
  dateMillis: number[];
  relativeDays: number[];
}

interface EventTiming {
  /** `within` windows, in seconds. */
  windows: number[];
  /** Day counts compared with by `days since last`. */
  days: number[];
  halfLives: number[];
}

interface FileLiterals {
  readonly subjects: Map<string, SubjectLiterals>;
  readonly events: Map<string, EventTiming>;
  readonly allTexts: string[];
}

function subjectKey(subject: SubjectSpec): string | undefined {
  if (subject.kind === 'field') return `field:${subject.path}`;
  if (subject.kind === 'property') return `property:${subject.event}.${subject.name}`;
  return undefined;
}

/** Every literal of a file, by the subject it is compared with (lets resolved). */
export function collectLiterals(spec: FileSpec): FileLiterals {
  const subjects = new Map<string, SubjectLiterals>();
  const events = new Map<string, EventTiming>();
  const allTexts: string[] = [];
  const lets = new Map(spec.lets.map((l) => [l.name, l.value] as const));
  const slot = (subject: SubjectSpec): SubjectLiterals | undefined => {
    const key = subjectKey(subject);
    if (key === undefined) return undefined;
    let found = subjects.get(key);
    if (found === undefined) subjects.set(key, (found = { texts: [], numbers: [], dateMillis: [], relativeDays: [] }));
    return found;
  };
  const timing = (event: string): EventTiming => {
    let found = events.get(event);
    if (found === undefined) events.set(event, (found = { windows: [], days: [], halfLives: [] }));
    return found;
  };
  const addValue = (into: SubjectLiterals | undefined, value: TextLit | LetRef | ListLit | NumOperand): void => {
    switch (value.kind) {
      case 'text':
        into?.texts.push(value.value);
        allTexts.push(value.value);
        return;
      case 'list':
        for (const item of value.items) addValue(into, item);
        return;
      case 'let': {
        const resolved = lets.get(value.name);
        if (resolved !== undefined) addValue(into, resolved);
        return;
      }
      case 'number':
        into?.numbers.push(value.value);
        return;
      case 'date':
        into?.dateMillis.push(dateMillis(value.raw));
        return;
      case 'relative':
        into?.relativeDays.push(relativeOffsetDays(value));
        return;
    }
  };
  const visit = (cond: CondSpec | undefined): void => {
    if (cond === undefined) return;
    switch (cond.kind) {
      case 'compare':
      case 'equals':
        addValue(slot(cond.subject), cond.value);
        return;
      case 'between':
        addValue(slot(cond.subject), cond.low);
        addValue(slot(cond.subject), cond.high);
        return;
      case 'in':
        addValue(slot(cond.subject), cond.list);
        return;
      case 'match':
      case 'has':
        addValue(slot(cond.subject), cond.values);
        return;
      case 'is':
      case 'bare':
      case 'segment':
        return;
      case 'and':
      case 'or':
        cond.operands.forEach(visit);
        return;
      case 'not':
        visit(cond.operand);
        return;
      case 'paren':
        visit(cond.inner);
        return;
      case 'exists':
      case 'count':
        visit(cond.where);
        if (cond.within !== undefined) timing(cond.event).windows.push(durationSeconds(cond.within));
        return;
      case 'days-since': {
        visit(cond.where);
        const t = timing(cond.event);
        if (cond.check.kind === 'compare') t.days.push(cond.check.value);
        else t.days.push(cond.check.low, cond.check.high);
        return;
      }
    }
  };
  const visitRule = (rule: RuleSpec): void => {
    if (rule.kind === 'when') return visit(rule.condition);
    visit(rule.where);
    if (rule.within !== undefined) timing(rule.event).windows.push(durationSeconds(rule.within));
    if (rule.halfLife !== undefined) timing(rule.event).halfLives.push(durationSeconds(rule.halfLife));
    // Periods of limits and linear decays: ages around their bucket boundaries.
    if (rule.limit !== undefined) timing(rule.event).windows.push(durationSeconds(rule.limit.period), 2 * durationSeconds(rule.limit.period));
    if (rule.linearDecay?.kind === 'linear') timing(rule.event).windows.push(durationSeconds(rule.linearDecay.period), 3 * durationSeconds(rule.linearDecay.period));
  };
  for (const field of spec.fields) {
    if (field.type.kind === 'one-of') for (const v of field.type.values) slot({ kind: 'field', path: field.path })?.texts.push(v.value);
  }
  for (const event of spec.events) {
    for (const p of event.properties) {
      if (p.type.kind === 'one-of') {
        for (const v of p.type.values) slot({ kind: 'property', event: event.name, name: p.path })?.texts.push(v.value);
      }
    }
  }
  for (const segment of spec.segments) visit(segment.condition);
  for (const item of spec.body) {
    if (item.kind === 'group') item.rules.forEach(visitRule);
    else visitRule(item);
  }
  for (const stage of spec.stages) {
    for (const condition of stage.conditions ?? []) visit(condition);
    visit(stage.when);
  }
  for (const tier of spec.tiers) visit(tier.condition);
  return { subjects, events, allTexts };
}

const ACCENTS: Readonly<Record<string, readonly string[]>> = {
  a: ['à', 'á', 'â', 'ä', 'å', 'ā', 'ą'],
  c: ['ç', 'ć', 'č'],
  e: ['é', 'è', 'ê', 'ë', 'ē', 'ę', 'ě'],
  i: ['í', 'î', 'ï', 'ī', 'į'],
  n: ['ñ', 'ń', 'ň'],
  o: ['ó', 'ô', 'ö', 'õ', 'ō', 'ő', 'ø'],
  s: ['ś', 'š', 'ş'],
  u: ['ú', 'ù', 'û', 'ü', 'ū', 'ů', 'ű'],
  y: ['ý', 'ÿ'],
};

/** Variants that fold back to the same text: cased, accented, padded with foldable white space. */
function arbFoldVariant(text: string): fc.Arbitrary<string> {
  return fc
    .record({
      casing: fc.constantFrom('same', 'same', 'upper', 'lower', 'title'),
      accentSeed: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined }),
      left: fc.constantFrom('', '', ' ', '  ', '\t', '\u00a0', '\r\n '),
      right: fc.constantFrom('', '', ' ', '\n', '\u00a0\t'),
    })
    .map(({ casing, accentSeed, left, right }) => {
      let out = text;
      if (accentSeed !== undefined) {
        out = [...out]
          .map((ch, i) => {
            const options = ACCENTS[ch.toLowerCase()];
            if (options === undefined || (accentSeed >> i % 16) % 3 !== 0) return ch;
            const accented = options[(accentSeed + i) % options.length];
            return ch === ch.toLowerCase() ? accented : accented.toUpperCase();
          })
          .join('');
      }
      if (casing === 'upper') out = out.toUpperCase();
      else if (casing === 'lower') out = out.toLowerCase();
      else if (casing === 'title') out = out.charAt(0).toUpperCase() + out.slice(1).toLowerCase();
      return left + out + right;
    });
}

const BLANKS: readonly string[] = ['', ' ', '   ', '\t', '\r\n', '\u00a0', ' \u00a0\t '];

function nonEmpty<T>(values: readonly T[], fallback: readonly T[]): readonly T[] {
  return values.length > 0 ? values : fallback;
}

function arbTextValue(literals: SubjectLiterals | undefined, all: readonly string[], options: Options): fc.Arbitrary<unknown> {
  const base = nonEmpty(literals?.texts ?? [], nonEmpty(all, ['CEO', 'services']));
  const other = options.hostile ? ['other', 'Something else', ...HOSTILE_STRINGS] : ['other', 'Something else'];
  return fc.oneof(
    { arbitrary: fc.constantFrom(...base).chain(arbFoldVariant), weight: 6 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...base), fc.constantFrom('ana', 'x-', 'Dr ', ''), fc.constantFrom('-guide', '2', ' Inc', ''))
        .map(([t, before, after]) => before + t + after),
      weight: 2,
    },
    { arbitrary: fc.constantFrom(...other), weight: 1 },
    { arbitrary: fc.constantFrom(...BLANKS), weight: 1 },
    { arbitrary: fc.constantFrom<unknown>(42, 0, true, false, ['CEO'], { value: 'CEO' }), weight: 1 },
  );
}

function isNumberText(text: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(text);
}

function arbNumberValue(literals: SubjectLiterals | undefined): fc.Arbitrary<unknown> {
  const base = nonEmpty(literals?.numbers ?? [], [0, 10, 100]);
  const near = fc
    .tuple(fc.constantFrom(...base), fc.constantFrom(0, 0, 0, 0.01, -0.01, 1, -1, 0.5))
    .map(([a, d]) => Math.round((a + d) * 1e6) / 1e6);
  return fc.oneof(
    { arbitrary: near, weight: 5 },
    { arbitrary: near.map((n) => String(n)).filter(isNumberText), weight: 2 },
    { arbitrary: fc.constantFrom('007', '-0', '12.50'), weight: 1 },
    { arbitrary: fc.integer({ min: -1000, max: 1000 }), weight: 1 },
    {
      arbitrary: fc.constantFrom<unknown>('12 ', ' 12', '1e3', 'abc', '', '+5', '5.', '.5', '1,5', '0x10', NaN, Infinity, -Infinity, true, [5]),
      weight: 2,
    },
  );
}

function arbBoolValue(options: Options): fc.Arbitrary<unknown> {
  const arbs: Array<fc.WeightedArbitrary<unknown>> = [
    { arbitrary: fc.boolean(), weight: 5 },
    { arbitrary: fc.constantFrom('yes', 'No', 'TRUE', ' false ', '1', '0', 'Yes\t', 'NO', 'true'), weight: 3 },
    { arbitrary: fc.constantFrom<unknown>('y', 'oui', '', 'truth', 'on', 2, {}, [], ' '), weight: 1 },
  ];
  if (options.ambiguous) arbs.push({ arbitrary: fc.constantFrom(1, 0), weight: 1 });
  return fc.oneof(...arbs);
}

const DAY_MS = 86_400_000;

/** An instant in one of the ISO 8601 forms the spec names, or as a Date. */
function arbInstantAs(millis: number): fc.Arbitrary<unknown> {
  const date = new Date(millis);
  const iso = date.toISOString();
  const forms: unknown[] = [date, iso, iso.slice(0, -1)];
  if (millis % 1000 === 0) forms.push(iso.replace('.000Z', 'Z'));
  if (millis % DAY_MS === 0) forms.push(iso.slice(0, 10));
  const shifted = new Date(millis + 2 * 3_600_000).toISOString();
  forms.push(shifted.slice(0, -1) + '+02:00');
  return fc.constantFrom(...forms);
}

function arbDateValue(literals: SubjectLiterals | undefined, nowMillis: number): fc.Arbitrary<unknown> {
  const anchors = [
    nowMillis,
    ...(literals?.dateMillis ?? []),
    ...(literals?.relativeDays ?? []).map((d) => nowMillis + d * DAY_MS),
  ];
  const instant = fc
    .tuple(fc.constantFrom(...anchors), fc.constantFrom(0, 0, 0, 1000, -1000, DAY_MS, -DAY_MS, 3_600_000, -40 * DAY_MS))
    .map(([a, d]) => a + d);
  return fc.oneof(
    { arbitrary: instant.chain(arbInstantAs), weight: 6 },
    {
      arbitrary: fc.constantFrom<unknown>('2026-02-30', '2026-13-01', 'yesterday', '', '2026-3-1', 20260301, true, new Date(NaN), '2026-03-01T25:00:00Z'),
      weight: 1,
    },
  );
}

function arbOneOfValue(values: readonly TextLit[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...values.map((v) => v.value)).chain(arbFoldVariant), weight: 6 },
    { arbitrary: fc.constantFrom('not in the set', 'servicess'), weight: 1 },
    { arbitrary: fc.constantFrom(...BLANKS), weight: 1 },
    { arbitrary: fc.constantFrom<unknown>(42, true), weight: 1 },
  );
}

function arbListValue(literals: SubjectLiterals | undefined, all: readonly string[], options: Options): fc.Arbitrary<unknown> {
  const base = nonEmpty(literals?.texts ?? [], nonEmpty(all, ['vip', 'partner']));
  const element = fc.oneof({ arbitrary: fc.constantFrom(...base).chain(arbFoldVariant), weight: 4 }, { arbitrary: fc.constantFrom('other', 'x'), weight: 1 });
  const arbs: Array<fc.WeightedArbitrary<unknown>> = [
    { arbitrary: fc.array(element, { minLength: 1, maxLength: 3 }), weight: 6 },
    { arbitrary: fc.constant([]), weight: 1 },
    { arbitrary: fc.constantFrom<unknown>('vip', [5], [null], ['vip', 5], { 0: 'vip' }), weight: 1 },
  ];
  if (options.ambiguous) arbs.push({ arbitrary: fc.constantFrom<unknown>([' '], ['']), weight: 1 });
  return fc.oneof(...arbs);
}

/** A value for a field or property of `type`: right type mostly, also wrong type and blanks. */
function arbValue(type: FieldTypeSpec, literals: SubjectLiterals | undefined, all: readonly string[], nowMillis: number, options: Options): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case 'text':
      return arbTextValue(literals, all, options);
    case 'number':
      return arbNumberValue(literals);
    case 'bool':
      return arbBoolValue(options);
    case 'date':
      return arbDateValue(literals, nowMillis);
    case 'one-of':
      return arbOneOfValue(type.values);
    case 'list':
      return arbListValue(literals, all, options);
  }
}

/** How a field is present in the data. */
type Presence = 'absent' | 'null' | 'undefined' | 'value';

/** How a dotted field is keyed: nested objects, a dotted key, both (the dotted key wins). */
type KeyStyle = 'nested' | 'dotted' | 'both' | 'dotted-null';

interface FieldValue {
  readonly path: string;
  readonly presence: Presence;
  readonly style: KeyStyle;
  readonly value: unknown;
  /** For `both`: the value under the nested path, which must lose. */
  readonly shadowed: unknown;
}

function arbPresence(): fc.Arbitrary<Presence> {
  return fc.oneof(
    { arbitrary: fc.constant<Presence>('value'), weight: 8 },
    { arbitrary: fc.constant<Presence>('absent'), weight: 2 },
    { arbitrary: fc.constant<Presence>('null'), weight: 1 },
    { arbitrary: fc.constant<Presence>('undefined'), weight: 1 },
  );
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function nestedParent(root: Record<string, unknown>, parts: readonly string[]): Record<string, unknown> {
  let current = root;
  for (const part of parts) {
    const next = Object.prototype.hasOwnProperty.call(current, part) ? current[part] : undefined;
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) current = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      setOwn(current, part, created);
      current = created;
    }
  }
  return current;
}

function presentValue(presence: Presence, value: unknown): unknown {
  return presence === 'null' ? null : presence === 'undefined' ? undefined : value;
}

function buildLead(values: readonly FieldValue[], inherited: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const lead: Record<string, unknown> = inherited === undefined ? {} : (Object.create(inherited) as Record<string, unknown>);
  for (const field of values) {
    if (field.presence === 'absent') continue;
    const value = presentValue(field.presence, field.value);
    const parts = field.path.split('.');
    if (parts.length === 1 || field.style === 'dotted') {
      setOwn(lead, field.path, value);
      continue;
    }
    if (field.style === 'dotted-null') setOwn(lead, field.path, null);
    else if (field.style === 'both') setOwn(lead, field.path, value);
    const nestedValue = field.style === 'nested' ? value : field.style === 'both' ? field.shadowed : field.value;
    setOwn(nestedParent(lead, parts.slice(0, -1)), parts[parts.length - 1], nestedValue);
  }
  return lead;
}

/** A lead and how to score it: `events` present means they are passed in the options. */
export interface LeadCase {
  readonly now: Date | string;
  readonly lead: Record<string, unknown>;
  readonly events?: readonly unknown[];
}

function arbAge(timing: EventTiming | undefined): fc.Arbitrary<number> {
  const ages = new Set<number>([0, 1, 3600, 86_399, 86_400, 86_401, 2 * 86_400, 7 * 86_400, 30 * 86_400, -1, -86_400]);
  for (const w of timing?.windows ?? []) [w - 1, w, w + 1].forEach((a) => ages.add(a));
  for (const d of timing?.days ?? []) [d * 86_400 - 1, d * 86_400, (d + 1) * 86_400 - 1, (d + 1) * 86_400].forEach((a) => ages.add(a));
  for (const h of timing?.halfLives ?? []) [h / 2, h, 2 * h, 3 * h].forEach((a) => ages.add(a));
  return fc.oneof(
    { arbitrary: fc.constantFrom(...[...ages].filter((a) => a >= -86_400)), weight: 4 },
    { arbitrary: fc.integer({ min: 0, max: 400 * 24 }).map((h) => h * 3600), weight: 2 },
  );
}

function arbOccurrence(event: EventSpec, literals: FileLiterals, nowMillis: number, options: Options): fc.Arbitrary<Record<string, unknown>> {
  const props = fc.tuple(
    ...event.properties.map((p) =>
      fc.record({
        presence: arbPresence(),
        value: arbValue(p.type, literals.subjects.get(`property:${event.name}.${p.path}`), literals.allTexts, nowMillis, options),
      }),
    ),
  );
  const at = fc.oneof(
    { arbitrary: arbAge(literals.events.get(event.name)).chain((age) => arbInstantAs(nowMillis - age * 1000)), weight: 12 },
    { arbitrary: fc.constantFrom<unknown>('garbage', '', 1_772_323_200, null, '2026-02-30T00:00:00Z'), weight: 1 },
  );
  return fc.record({ at, props }).map(({ at: when, props: values }) => {
    const occurrence: Record<string, unknown> = {};
    setOwn(occurrence, 'type', event.name);
    setOwn(occurrence, 'at', when);
    event.properties.forEach((p, i) => {
      const v = values[i];
      if (v.presence !== 'absent') setOwn(occurrence, p.path, presentValue(v.presence, v.value));
    });
    return occurrence;
  });
}

const JUNK_EVENTS: readonly unknown[] = [
  { type: 'mystery', at: '2026-02-01T00:00:00Z' },
  { at: '2026-02-01T00:00:00Z' },
  null,
  42,
  'email_open',
];

/** The events of one lead: occurrences of declared events, plus unknown and broken entries. */
export function arbitraryEventsFor(spec: FileSpec, nowMillis: number, options: GeneratorOptions = {}): fc.Arbitrary<unknown[]> {
  const opts = withDefaults(options);
  const literals = collectLiterals(spec);
  if (spec.events.length === 0) return fc.constant([]);
  const occurrences = fc.tuple(
    ...spec.events.map((event) => fc.array(arbOccurrence(event, literals, nowMillis, opts), { maxLength: 4 })),
  );
  const first = spec.events[0].name;
  const junk: unknown[] = [...JUNK_EVENTS, { type: first }, { type: first, at: 'garbage' }, { type: first, at: new Date(NaN) }];
  return fc
    .tuple(occurrences, fc.subarray(junk, { maxLength: 2 }))
    .chain(([byEvent, junk]) => fc.shuffledSubarray([...byEvent.flat(), ...junk], { minLength: byEvent.flat().length + junk.length }));
}

/**
 * A lead for `spec`, with its events and the instant to score at. Values are drawn from what the
 * file's rules compare with (so rules fire and just miss), in every way the data can carry them.
 */
export function arbitraryLeadFor(spec: FileSpec, options: GeneratorOptions = {}): fc.Arbitrary<LeadCase> {
  const opts = withDefaults(options);
  const literals = collectLiterals(spec);
  return fc.constantFrom(...NOW_POOL).chain((nowIso) => {
    const nowMillis = Date.parse(nowIso);
    const fields = fc.tuple(
      ...spec.fields.map((f) => {
        const value = arbValue(f.type, literals.subjects.get(`field:${f.path}`), literals.allTexts, nowMillis, opts);
        return fc.record({
          path: fc.constant(f.path),
          presence: arbPresence(),
          style: fc.constantFrom<KeyStyle>('nested', 'nested', 'dotted', 'both', 'dotted-null'),
          value,
          shadowed: value,
        });
      }),
    );
    // Right-typed values on the prototype must be ignored: only own properties count.
    const inherited = fc.option(
      fc.subarray([...spec.fields]).chain((chosen) =>
        fc.tuple(...chosen.map((f) => arbValue(f.type, literals.subjects.get(`field:${f.path}`), literals.allTexts, nowMillis, opts))).map((vals) => {
          const proto: Record<string, unknown> = {};
          chosen.forEach((f, i) => setOwn(proto, f.path, vals[i]));
          return proto;
        }),
      ),
      { nil: undefined, freq: 6 },
    );
    return fc
      .record({
        fields,
        inherited,
        events: arbitraryEventsFor(spec, nowMillis, opts),
        placement: fc.constantFrom<'options' | 'lead' | 'both' | 'lead-not-array'>('options', 'lead', 'lead', 'both', 'lead-not-array'),
        nowAs: fc.constantFrom<'date' | 'string' | 'no-zone' | 'offset'>('date', 'string', 'string', 'no-zone', 'offset'),
      })
      .map(({ fields: values, inherited: proto, events, placement, nowAs }): LeadCase => {
        const lead = buildLead(values, proto);
        // `now` as a Date or in the ISO 8601 forms the spec names (no zone = UTC).
        const iso = new Date(nowMillis).toISOString();
        const now =
          nowAs === 'date'
            ? new Date(nowMillis)
            : nowAs === 'no-zone'
              ? iso.slice(0, 19)
              : nowAs === 'offset'
                ? new Date(nowMillis - 5.5 * 3_600_000).toISOString().slice(0, 19) + '-05:30'
                : nowIso;
        if (placement === 'lead') setOwn(lead, 'events', events);
        if (placement === 'lead-not-array') setOwn(lead, 'events', { 0: events[0] });
        if (placement === 'both') {
          // Events passed in the options win: the ones in the lead must be ignored.
          setOwn(lead, 'events', events.slice(0, 1).concat([{ type: spec.events[0]?.name ?? 'x', at: nowIso }]));
          return { now, lead, events };
        }
        return placement === 'options' ? { now, lead, events } : { now, lead };
      });
  });
}

/** A rule file and `count` leads for it: the unit of the compiled-vs-interpreted property. */
export function arbitraryFileWithLeads(
  options: GeneratorOptions & { readonly leads?: number } = {},
): fc.Arbitrary<{ spec: FileSpec; text: string; leads: LeadCase[] }> {
  const count = options.leads ?? 8;
  return arbitraryRuleFile(options).chain(({ spec, text }) =>
    fc.array(arbitraryLeadFor(spec, options), { minLength: count, maxLength: count }).map((leads) => ({ spec, text, leads })),
  );
}

// ---------------------------------------------------------------------------------------------
// In-file tests

const TEST_NOW_POOL: readonly string[] = ['2026-03-01', '2026-03-01T12:34:56Z', '2026-01-31T23:59:59Z'];

function textLitFor(value: string): TextLit {
  return { kind: 'text', value, quote: isBareWord(value) ? 'word' : '"' };
}

function arbTestValue(type: FieldTypeSpec, literals: SubjectLiterals | undefined, options: Options): fc.Arbitrary<TestValue> {
  const related = literals?.texts ?? [];
  const text: fc.Arbitrary<TextLit> =
    related.length > 0
      ? fc.oneof(fc.constantFrom(...related).map(textLitFor), arbTextLit(options))
      : arbTextLit(options);
  switch (type.kind) {
    case 'text':
      return text;
    case 'one-of':
      return fc.constantFrom(...type.values);
    case 'number': {
      const near = (literals?.numbers ?? []).map((value): NumberLit => ({ kind: 'number', value, raw: String(value) }));
      return near.length > 0 ? fc.oneof(fc.constantFrom(...near), arbNumberLit) : arbNumberLit;
    }
    case 'bool':
      return fc.boolean().map((value) => ({ kind: 'bool' as const, value }));
    case 'date':
      return arbDateLit;
    case 'list':
      return fc.array(text, { minLength: 1, maxLength: 3 }).map((items): ListLit => ({ kind: 'list', items }));
  }
}

function arbTestEvent(spec: FileSpec, literals: FileLiterals, options: Options): fc.Arbitrary<TestEventSpec> {
  return fc.constantFrom(...spec.events).chain((event) =>
    fc.record({
      event: fc.constant(event.name),
      properties: fc
        .subarray([...event.properties])
        .chain((chosen) =>
          fc.tuple(
            ...chosen.map((p) =>
              arbTestValue(p.type, literals.subjects.get(`property:${event.name}.${p.path}`), options).map((value) => ({ name: p.path, value })),
            ),
          ),
        ),
      at: fc.oneof(
        arbDateLit,
        fc.record({ kind: fc.constant('ago' as const), amount: fc.constantFrom(1, 2, 3, 7, 30, 31, 90), unit: fc.constant('day' as const) }),
        fc.record({ kind: fc.constant('ago' as const), amount: fc.constantFrom(1, 3, 25), unit: fc.constant('hour' as const) }),
      ),
    }),
  );
}

/** Expectations: any number on the score and groups, at most one on the stage and one on the tier. */
function arbExpectations(spec: FileSpec): fc.Arbitrary<ExpectSpec[]> {
  const groups = spec.body.filter((item): item is GroupSpec => item.kind === 'group').map((g) => g.name);
  const numeric: Array<fc.Arbitrary<ExpectSpec>> = [
    fc.record({ kind: fc.constant('score' as const), op: arbCompareOp, hundredths: fc.integer({ min: -5000, max: 10000 }) }),
  ];
  if (groups.length > 0) {
    numeric.push(
      fc.record({ kind: fc.constant('group' as const), name: fc.constantFrom(...groups), op: arbCompareOp, hundredths: fc.integer({ min: -3000, max: 6000 }) }),
    );
  }
  return fc
    .record({
      numbers: fc.array(fc.oneof(...numeric), { maxLength: 3 }),
      stage: fc.option(fc.constantFrom<string | null>(null, ...spec.stages.map((st) => st.name)), { nil: undefined }),
      tier: fc.option(fc.constantFrom<string | null>(null, ...spec.tiers.map((t) => t.name)), { nil: undefined }),
    })
    .map(({ numbers, stage, tier }) => {
      const out: ExpectSpec[] = [...numbers];
      if (stage !== undefined) out.push({ kind: 'stage', name: stage });
      if (tier !== undefined) out.push({ kind: 'tier', name: tier });
      return out.length > 0 ? out : [{ kind: 'stage', name: null }];
    });
}

/** A `test` block for `spec`: a lead of literal values, events, and random expectations. */
export function arbitraryTestFor(spec: FileSpec, options: GeneratorOptions = {}): fc.Arbitrary<TestSpec> {
  const opts = withDefaults(options);
  const literals = collectLiterals(spec);
  const lead = fc
    .subarray([...spec.fields])
    .chain((chosen) =>
      fc.tuple(...chosen.map((f) => arbTestValue(f.type, literals.subjects.get(`field:${f.path}`), opts).map((value) => ({ path: f.path, value })))),
    );
  const events = spec.events.length > 0 ? fc.array(arbTestEvent(spec, literals, opts), { maxLength: 4 }) : fc.constant([]);
  return fc.record({
    name: fc.constantFrom('SMB services firm', 'student with a gmail address', "l'équipe \"achats\"", 'hot lead'),
    now: fc.constantFrom(...TEST_NOW_POOL),
    lead,
    events,
    expectations: arbExpectations(spec),
  });
}

function testValueData(value: TestValue): unknown {
  switch (value.kind) {
    case 'text':
      return value.value;
    case 'number':
      return value.value;
    case 'bool':
      return value.value;
    case 'date':
      return value.raw;
    case 'list':
      return value.items.map((item) => (item.kind === 'text' ? item.value : item.name));
  }
}

/** The lead, events and `now` a test block describes, as data for a scorer or the interpreter. */
export function testLeadCase(test: TestSpec): LeadCase {
  const nowMillis = dateMillis(test.now);
  const lead: Record<string, unknown> = {};
  for (const field of test.lead) setOwn(lead, field.path, testValueData(field.value));
  const events = test.events.map((event) => {
    const occurrence: Record<string, unknown> = {};
    setOwn(occurrence, 'type', event.event);
    const at =
      event.at.kind === 'date'
        ? event.at.raw
        : new Date(nowMillis - event.at.amount * (event.at.unit === 'day' ? DAY_MS : 3_600_000)).toISOString();
    setOwn(occurrence, 'at', at);
    for (const p of event.properties) setOwn(occurrence, p.name, testValueData(p.value));
    return occurrence;
  });
  return { now: new Date(nowMillis).toISOString(), lead, events };
}

/** A readable dump of a lead case (Dates, undefined, NaN and inherited values shown), for failures. */
export function describeLeadCase(leadCase: LeadCase): string {
  const show = (value: unknown, depth = 0): string => {
    if (value === undefined) return 'undefined';
    if (typeof value === 'number') return Number.isNaN(value) || !Number.isFinite(value) ? String(value) : JSON.stringify(value);
    if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'Invalid' : value.toISOString()})`;
    if (Array.isArray(value)) return `[${value.map((v) => show(v, depth + 1)).join(', ')}]`;
    if (typeof value === 'object' && value !== null) {
      const own = Object.keys(value).map((k) => `${JSON.stringify(k)}: ${show((value as Record<string, unknown>)[k], depth + 1)}`);
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) own.push(`[[Prototype]]: ${show(proto, depth + 1)}`);
      return `{${own.join(', ')}}`;
    }
    return JSON.stringify(value);
  };
  const parts = [`now: ${show(leadCase.now)}`, `lead: ${show(leadCase.lead)}`];
  if (leadCase.events !== undefined) parts.push(`events (options): ${show(leadCase.events)}`);
  return parts.join('\n');
}
