/**
 * A small structured description of a Rubric rule file ({@link FileSpec}) and its rendering to
 * text ({@link renderRuleFile}). Generators build specs (see `arbitrary.ts`), tests render them;
 * other test suites (formatter, SQL differential) reuse both. A spec the generators produce is
 * always a valid file: every name resolves, every operator fits its type, no cycles.
 */

export const KEYWORDS: ReadonlySet<string> = new Set(
  (
    'lead event let segment group max min score range to when each where within half-life up add sub stage at ' +
    'requires tier test now expect and or not in is set missing true false any no count days since last ' +
    'between starts ends contains has of one list text number bool date from ago hours day days week weeks ' +
    'month months year years hour'
  ).split(' '),
);

const PLAIN_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/** Whether `word` can be written bare (a plain name that is not a keyword). */
export function isBareWord(word: string): boolean {
  return PLAIN_NAME.test(word) && !KEYWORDS.has(word);
}

/** A dotted path as written: each part bare when it can be, else in backticks. */
export function renderName(path: string): string {
  return path
    .split('.')
    .map((part) => (isBareWord(part) ? part : '`' + part + '`'))
    .join('.');
}

// ---------------------------------------------------------------------------------------------
// The spec

export type DurationUnit = 'hour' | 'day' | 'week' | 'month' | 'year';

export const UNIT_SECONDS: Readonly<Record<DurationUnit, number>> = {
  hour: 3600,
  day: 86_400,
  week: 7 * 86_400,
  month: 30 * 86_400,
  year: 365 * 86_400,
};

export interface DurationSpec {
  readonly amount: number;
  readonly unit: DurationUnit;
}

/** A period of a decay or run limit: `bare` renders the unit alone (`per day`; amount 1). */
export interface PeriodSpec extends DurationSpec {
  readonly bare?: boolean;
}

/** `half-life D` or `decay P% per PERIOD` (P in hundredths of a percent, 1..10000). */
export type DecaySpec =
  | { readonly kind: 'half-life'; readonly duration: DurationSpec }
  | { readonly kind: 'linear'; readonly percentHundredths: number; readonly period: PeriodSpec };

/** `at most K per PERIOD` (`once`: K = 1 written as `once`). */
export interface LimitSpec {
  readonly count: number | 'once';
  readonly period: PeriodSpec;
}

export function durationSeconds(duration: DurationSpec): number {
  return duration.amount * UNIT_SECONDS[duration.unit];
}

/** A text value: a bare word (only when {@link isBareWord}), or a quoted string. */
export interface TextLit {
  readonly kind: 'text';
  readonly value: string;
  readonly quote: 'word' | '"' | "'";
}

export interface NumberLit {
  readonly kind: 'number';
  readonly value: number;
  /** As written (`1_000`, `-5`, `0.5`). */
  readonly raw: string;
}

/** `2026-03-01` or `2026-03-01T09:30:00Z`, as written. */
export interface DateLit {
  readonly kind: 'date';
  readonly raw: string;
}

/** `N days ago` / `N days from now`. */
export interface RelativeLit {
  readonly kind: 'relative';
  readonly days: number;
  readonly direction: 'ago' | 'from now';
}

/** A `let` used by name. */
export interface LetRef {
  readonly kind: 'let';
  readonly name: string;
}

/** A literal list; a text `let` in it is one item, a list `let` is spliced in. */
export interface ListLit {
  readonly kind: 'list';
  readonly items: readonly (TextLit | LetRef)[];
}

export type FieldTypeSpec =
  | { readonly kind: 'text' | 'number' | 'bool' | 'date' | 'list' }
  | { readonly kind: 'one-of'; readonly values: readonly TextLit[] };

/** A lead field (`path` is the dotted data key) or an event property (no dots). */
export interface FieldSpec {
  readonly path: string;
  readonly type: FieldTypeSpec;
}

export interface EventSpec {
  readonly name: string;
  readonly properties: readonly FieldSpec[];
}

export type LetValueSpec = ListLit | TextLit | NumberLit | DateLit;

export interface LetSpec {
  readonly name: string;
  readonly value: LetValueSpec;
}

export type SubjectSpec =
  | { readonly kind: 'field'; readonly path: string }
  | { readonly kind: 'property'; readonly event: string; readonly name: string }
  | { readonly kind: 'group'; readonly name: string }
  | { readonly kind: 'score' };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type NumOperand = NumberLit | DateLit | RelativeLit | LetRef;

/** The numeric test of `count` and `days since last`. */
export type CountCheck =
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly value: number }
  | { readonly kind: 'between'; readonly low: number; readonly high: number };

export type CondSpec =
  /** numbers, dates, groups, `score` */
  | { readonly kind: 'compare'; readonly subject: SubjectSpec; readonly op: CompareOp; readonly value: NumOperand }
  | { readonly kind: 'between'; readonly subject: SubjectSpec; readonly low: NumOperand; readonly high: NumOperand }
  /** text and `one of`: `=` / `!=` */
  | { readonly kind: 'equals'; readonly subject: SubjectSpec; readonly op: '=' | '!='; readonly value: TextLit | LetRef }
  | { readonly kind: 'in'; readonly subject: SubjectSpec; readonly negated: boolean; readonly list: ListLit | LetRef }
  /** `starts S` (any: false, a text or a text let) / `starts any [..]` (any: true, a list or a list let) */
  | {
      readonly kind: 'match';
      readonly subject: SubjectSpec;
      readonly op: 'starts' | 'ends' | 'contains';
      readonly any: boolean;
      readonly values: TextLit | LetRef | ListLit;
    }
  | { readonly kind: 'has'; readonly subject: SubjectSpec; readonly any: boolean; readonly values: TextLit | LetRef | ListLit }
  | { readonly kind: 'is'; readonly subject: SubjectSpec; readonly test: 'set' | 'missing' | 'true' | 'false' }
  /** a bool field or property alone */
  | { readonly kind: 'bare'; readonly subject: SubjectSpec }
  | { readonly kind: 'segment'; readonly name: string }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly CondSpec[] }
  | { readonly kind: 'not'; readonly operand: CondSpec }
  | { readonly kind: 'paren'; readonly inner: CondSpec }
  | {
      readonly kind: 'exists';
      readonly quantifier: 'any' | 'no';
      readonly event: string;
      readonly where?: CondSpec;
      readonly within?: DurationSpec;
    }
  | {
      readonly kind: 'count';
      readonly event: string;
      /** `count distinct EVENT.PROPERTY`: the property (never a list). */
      readonly distinct?: string;
      readonly where?: CondSpec;
      readonly within?: DurationSpec;
      readonly check: CountCheck;
    }
  | { readonly kind: 'days-since'; readonly event: string; readonly where?: CondSpec; readonly check: CountCheck };

export interface WhenRuleSpec {
  readonly kind: 'when';
  readonly condition: CondSpec;
  readonly sign: 'add' | 'sub';
  /** Points in hundredths (positive). */
  readonly hundredths: number;
  /** Only with exactly one `any EVENT` test in the condition's top-level `and`. */
  readonly decay?: DecaySpec;
  readonly label?: string;
}

export interface EachRuleSpec {
  readonly kind: 'each';
  readonly event: string;
  readonly where?: CondSpec;
  readonly within?: DurationSpec;
  readonly sign: 'add' | 'sub';
  readonly hundredths: number;
  /** `up to`, in hundredths. */
  readonly upTo?: number;
  readonly halfLife?: DurationSpec;
  readonly limit?: LimitSpec;
  /** A linear decay (only without `halfLife`). */
  readonly linearDecay?: DecaySpec;
  readonly label?: string;
}

export type RuleSpec = WhenRuleSpec | EachRuleSpec;

export interface GroupSpec {
  readonly kind: 'group';
  readonly name: string;
  /** In hundredths. */
  readonly max?: number;
  readonly min?: number;
  readonly decay?: DecaySpec;
  readonly rules: readonly RuleSpec[];
}

export interface SegmentSpec {
  readonly name: string;
  readonly condition: CondSpec;
}

export interface StageSpec {
  readonly name: string;
  /** In hundredths. */
  readonly threshold: number;
  readonly requires: readonly string[];
  /** `requires` items that are conditions (rendered in parentheses after the fields). */
  readonly conditions?: readonly CondSpec[];
  readonly when?: CondSpec;
}

export interface TierSpec {
  readonly name: string;
  readonly condition: CondSpec;
}

/** A literal value in a test's `lead { }` or an event's `{ }`. */
export type TestValue = TextLit | NumberLit | DateLit | { readonly kind: 'bool'; readonly value: boolean } | ListLit;

export interface TestEventSpec {
  readonly event: string;
  readonly properties: readonly { readonly name: string; readonly value: TestValue }[];
  /** `at 2026-02-20` or `3 days ago` / `5 hours ago` (relative to the test's `now`). */
  readonly at: DateLit | { readonly kind: 'ago'; readonly amount: number; readonly unit: 'day' | 'hour' };
}

export type ExpectSpec =
  | { readonly kind: 'score'; readonly op: CompareOp; readonly hundredths: number }
  | { readonly kind: 'group'; readonly name: string; readonly op: CompareOp; readonly hundredths: number }
  /** `null`: `expect no stage`. */
  | { readonly kind: 'stage'; readonly name: string | null }
  | { readonly kind: 'tier'; readonly name: string | null };

/** `test "name" { now ...  lead {...}  events {...}  expect ... }`. */
export interface TestSpec {
  readonly name: string;
  /** A date literal as written. */
  readonly now: string;
  readonly lead: readonly { readonly path: string; readonly value: TestValue }[];
  readonly events: readonly TestEventSpec[];
  readonly expectations: readonly ExpectSpec[];
}

/** How the text is laid out (never changes the meaning). */
export interface LayoutSpec {
  /** Ungrouped rules on one line, separated by `;`. */
  readonly semicolons: boolean;
  /** Top-level `and`/`or` of rule conditions split over lines (after or before the operator). */
  readonly split: 'none' | 'after' | 'before';
  /** Comment lines and trailing comments. */
  readonly comments: boolean;
}

export interface FileSpec {
  readonly fields: readonly FieldSpec[];
  readonly events: readonly EventSpec[];
  readonly lets: readonly LetSpec[];
  readonly segments: readonly SegmentSpec[];
  /** Groups and ungrouped rules, in file order. */
  readonly body: readonly (GroupSpec | RuleSpec)[];
  /** In hundredths. */
  readonly scoreRange?: { readonly min: number; readonly max: number };
  readonly stages: readonly StageSpec[];
  readonly tiers: readonly TierSpec[];
  /** In-file tests (they never change scores). */
  readonly tests?: readonly TestSpec[];
  readonly layout: LayoutSpec;
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** A string literal with every character that needs it escaped. */
export function renderString(value: string, quote: '"' | "'" = '"'): string {
  let out = quote;
  for (const ch of value) {
    const cp = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + quote;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f || cp === 0x2028 || cp === 0x2029) out += `\\u{${cp.toString(16)}}`;
    else out += ch;
  }
  return out + quote;
}

export function renderText(lit: TextLit): string {
  return lit.quote === 'word' ? lit.value : renderString(lit.value, lit.quote);
}

/** Hundredths as a points literal: 250 -> `2.5`, 205 -> `2.05`, -1000 -> `-10`. */
export function renderHundredths(hundredths: number): string {
  const sign = hundredths < 0 ? '-' : '';
  const abs = Math.abs(hundredths);
  const whole = Math.floor(abs / 100);
  const cents = abs % 100;
  if (cents === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

export function renderDuration(duration: DurationSpec): string {
  return `${duration.amount} ${duration.unit}${duration.amount === 1 ? '' : 's'}`;
}

export function renderPeriod(period: PeriodSpec): string {
  return period.bare === true ? period.unit : renderDuration(period);
}

export function renderDecay(decay: DecaySpec | undefined): string {
  if (decay === undefined) return '';
  if (decay.kind === 'half-life') return ` half-life ${renderDuration(decay.duration)}`;
  return ` decay ${renderHundredths(decay.percentHundredths)}% per ${renderPeriod(decay.period)}`;
}

function renderValue(value: TextLit | LetRef | ListLit | NumOperand): string {
  switch (value.kind) {
    case 'text':
      return renderText(value);
    case 'let':
      return renderName(value.name);
    case 'list':
      return `[${value.items.map((item) => renderValue(item)).join(', ')}]`;
    case 'number':
      return value.raw;
    case 'date':
      return value.raw;
    case 'relative':
      return `${value.days} day${value.days === 1 ? '' : 's'} ${value.direction}`;
  }
}

function renderSubject(subject: SubjectSpec): string {
  switch (subject.kind) {
    case 'field':
      return renderName(subject.path);
    case 'property':
      return renderName(subject.name);
    case 'group':
      return renderName(subject.name);
    case 'score':
      return 'score';
  }
}

function renderCheck(check: CountCheck): string {
  return check.kind === 'compare' ? `${check.op} ${check.value}` : `between ${check.low} and ${check.high}`;
}

const PRECEDENCE: Readonly<Record<string, number>> = { or: 1, and: 2, not: 3 };

function precedence(cond: CondSpec): number {
  return PRECEDENCE[cond.kind] ?? 4;
}

/** `where` takes one comparison or a parenthesised condition. */
function renderWhere(cond: CondSpec): string {
  const single = ['compare', 'between', 'equals', 'in', 'match', 'has', 'is'].includes(cond.kind);
  return single || cond.kind === 'paren' ? renderCondition(cond) : `(${renderCondition(cond)})`;
}

function eventTail(where: CondSpec | undefined, within: DurationSpec | undefined): string {
  let out = '';
  if (where !== undefined) out += ` where ${renderWhere(where)}`;
  if (within !== undefined) out += ` within ${renderDuration(within)}`;
  return out;
}

/**
 * A condition as text, with the fewest parentheses the precedence needs (`not` over `and` over
 * `or`), plus the explicit `paren` nodes. `joiner` lays out the top-level operator.
 */
export function renderCondition(cond: CondSpec, joiner?: (op: 'and' | 'or') => string): string {
  switch (cond.kind) {
    case 'compare':
      return `${renderSubject(cond.subject)} ${cond.op} ${renderValue(cond.value)}`;
    case 'between':
      return `${renderSubject(cond.subject)} between ${renderValue(cond.low)} and ${renderValue(cond.high)}`;
    case 'equals':
      return `${renderSubject(cond.subject)} ${cond.op} ${renderValue(cond.value)}`;
    case 'in':
      return `${renderSubject(cond.subject)} ${cond.negated ? 'not in' : 'in'} ${renderValue(cond.list)}`;
    case 'match':
      return `${renderSubject(cond.subject)} ${cond.op}${cond.any ? ' any' : ''} ${renderValue(cond.values)}`;
    case 'has':
      return `${renderSubject(cond.subject)} has${cond.any ? ' any' : ''} ${renderValue(cond.values)}`;
    case 'is':
      return `${renderSubject(cond.subject)} is ${cond.test}`;
    case 'bare':
      return renderSubject(cond.subject);
    case 'segment':
      return renderName(cond.name);
    case 'and':
    case 'or': {
      const own = precedence(cond);
      const sep = joiner?.(cond.kind) ?? ` ${cond.kind} `;
      return cond.operands
        .map((operand) => {
          const text = renderCondition(operand);
          // `a and b` inside `and` needs no parentheses; anything weaker does.
          return precedence(operand) < own ? `(${text})` : text;
        })
        .join(sep);
    }
    case 'not': {
      const text = renderCondition(cond.operand);
      return precedence(cond.operand) < 3 ? `not (${text})` : `not ${text}`;
    }
    case 'paren':
      return `(${renderCondition(cond.inner)})`;
    case 'exists':
      return `${cond.quantifier} ${renderName(cond.event)}${eventTail(cond.where, cond.within)}`;
    case 'count':
      return `count ${cond.distinct === undefined ? renderName(cond.event) : `distinct ${renderName(cond.event)}.${renderName(cond.distinct)}`}${eventTail(cond.where, cond.within)} ${renderCheck(cond.check)}`;
    case 'days-since':
      return `days since last ${renderName(cond.event)}${eventTail(cond.where, undefined)} ${renderCheck(cond.check)}`;
  }
}

function renderType(type: FieldTypeSpec): string {
  switch (type.kind) {
    case 'list':
      return 'list of text';
    case 'one-of':
      return `one of [${type.values.map(renderText).join(', ')}]`;
    default:
      return type.kind;
  }
}

function renderLabel(label: string | undefined): string {
  return label === undefined ? '' : ` ${renderString(label)}`;
}

function splitJoiner(layout: LayoutSpec, indent: string): ((op: 'and' | 'or') => string) | undefined {
  if (layout.split === 'after') return (op) => ` ${op}\n${indent}    `;
  if (layout.split === 'before') return (op) => `\n${indent}    ${op} `;
  return undefined;
}

/** One rule on one line (or several when the layout splits its condition). */
export function renderRule(rule: RuleSpec, layout: LayoutSpec, indent = ''): string {
  const points = `${rule.sign} ${renderHundredths(rule.hundredths)}`;
  if (rule.kind === 'when') {
    return `when ${renderCondition(rule.condition, splitJoiner(layout, indent))} ${points}${renderDecay(rule.decay)}${renderLabel(rule.label)}`;
  }
  let out = `each ${renderName(rule.event)}${eventTail(rule.where, rule.within)} ${points}`;
  if (rule.upTo !== undefined) out += ` up to ${renderHundredths(rule.upTo)}`;
  if (rule.limit !== undefined) out += ` at most ${rule.limit.count} per ${renderPeriod(rule.limit.period)}`;
  if (rule.halfLife !== undefined) out += ` half-life ${renderDuration(rule.halfLife)}`;
  else out += renderDecay(rule.linearDecay);
  return out + renderLabel(rule.label);
}

export function renderFields(fields: readonly FieldSpec[], indent: string): string[] {
  return fields.map((field) => `${indent}${renderName(field.path)}: ${renderType(field.type)}`);
}

/** The rule file a spec describes. */
export function renderRuleFile(spec: FileSpec): string {
  const { layout } = spec;
  const lines: string[] = [];
  const comment = (text: string): void => {
    if (layout.comments) lines.push(`# ${text}`);
  };
  comment('generated rule file');
  lines.push('lead {', ...renderFields(spec.fields, '  '), '}');
  for (const event of spec.events) {
    if (event.properties.length === 0) lines.push(`event ${renderName(event.name)}`);
    else lines.push(`event ${renderName(event.name)} {`, ...renderFields(event.properties, '  '), '}');
  }
  for (const item of spec.lets) lines.push(`let ${renderName(item.name)} = ${renderValue(item.value)}`);
  if (spec.segments.length > 0) comment('segments');
  for (const segment of spec.segments) {
    lines.push(`segment ${renderName(segment.name)} = ${renderCondition(segment.condition)}`);
  }
  let pending: RuleSpec[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    if (layout.semicolons) lines.push(pending.map((rule) => renderRule(rule, { ...layout, split: 'none' })).join('; '));
    else for (const rule of pending) lines.push(renderRule(rule, layout));
    pending = [];
  };
  for (const item of spec.body) {
    if (item.kind !== 'group') {
      pending.push(item);
      continue;
    }
    flush();
    let head = `group ${renderName(item.name)}`;
    if (item.max !== undefined) head += ` max ${renderHundredths(item.max)}`;
    if (item.min !== undefined) head += ` min ${renderHundredths(item.min)}`;
    head += renderDecay(item.decay);
    lines.push(`${head} {${layout.comments ? ' # a group' : ''}`);
    for (const rule of item.rules) lines.push(`  ${renderRule(rule, layout, '  ')}`);
    lines.push('}');
  }
  flush();
  if (spec.scoreRange !== undefined) {
    lines.push(`score range ${renderHundredths(spec.scoreRange.min)} to ${renderHundredths(spec.scoreRange.max)}`);
  }
  if (spec.stages.length > 0) comment('stages');
  for (const stage of spec.stages) {
    let line = `stage ${renderName(stage.name)} at ${renderHundredths(stage.threshold)}`;
    const items = [...stage.requires.map(renderName), ...(stage.conditions ?? []).map((c) => `(${renderCondition(c)})`)];
    if (items.length > 0) line += ` requires ${items.join(', ')}`;
    if (stage.when !== undefined) line += ` when ${renderCondition(stage.when)}`;
    lines.push(line);
  }
  for (const tier of spec.tiers) lines.push(`tier ${renderName(tier.name)} when ${renderCondition(tier.condition)}`);
  for (const test of spec.tests ?? []) lines.push(...renderTest(test));
  return lines.join('\n') + '\n';
}

function renderTestValue(value: TestValue): string {
  return value.kind === 'bool' ? String(value.value) : renderValue(value);
}

function renderTestFields(fields: readonly { readonly name: string; readonly value: TestValue }[]): string {
  return `{ ${fields.map((f) => `${renderName(f.name)}: ${renderTestValue(f.value)}`).join(', ')} }`;
}

function renderExpectation(expect: ExpectSpec): string {
  switch (expect.kind) {
    case 'score':
      return `expect score ${expect.op === '=' ? '' : expect.op + ' '}${renderHundredths(expect.hundredths)}`;
    case 'group':
      return `expect group ${renderName(expect.name)} ${expect.op === '=' ? '' : expect.op + ' '}${renderHundredths(expect.hundredths)}`;
    case 'stage':
      return expect.name === null ? 'expect no stage' : `expect stage ${renderName(expect.name)}`;
    case 'tier':
      return expect.name === null ? 'expect no tier' : `expect tier ${renderName(expect.name)}`;
  }
}

/** A test block, one item per line. */
export function renderTest(test: TestSpec): string[] {
  const lines = [`test ${renderString(test.name)} {`, `  now ${test.now}`];
  lines.push(test.lead.length === 0 ? '  lead { }' : `  lead ${renderTestFields(test.lead.map((f) => ({ name: f.path, value: f.value })))}`);
  if (test.events.length > 0) {
    lines.push('  events {');
    for (const event of test.events) {
      const props = event.properties.length > 0 ? ` ${renderTestFields(event.properties)}` : '';
      const at =
        event.at.kind === 'date' ? `at ${event.at.raw}` : `${event.at.amount} ${event.at.unit}${event.at.amount === 1 ? '' : 's'} ago`;
      lines.push(`    ${renderName(event.event)}${props} ${at}`);
    }
    lines.push('  }');
  }
  for (const expect of test.expectations) lines.push(`  ${renderExpectation(expect)}`);
  lines.push('}');
  return lines;
}
