/**
 * Numbers the compiler could not keep exactly are errors here, so that a file `check` accepts
 * always lowers (`lowerModel` never throws on it) and means what it says:
 *
 * - R031: more than 2 decimals where a number becomes integer hundredths: points and `up to`
 *   caps (rules.ts), group `min`/`max`, `score range`, stage thresholds, `expect score` and
 *   `expect group`, and values compared with a group or `score` (literals and number `let`s).
 * - R041: a number beyond {@link MAX_NUMBER} anywhere (a 400-digit literal reads as Infinity and
 *   would silently turn its rule or comparison into nothing), and a duration (`within`,
 *   `half-life`, `N days ago`) beyond {@link MAX_DURATION_SECONDS}.
 *
 * Decimals are counted on the literal as written, never on its double, so `2.50` has 1 decimal
 * and `0.1` has 1 whatever its binary value.
 */
import type { Fix } from '../diagnostics/diagnostic.js';
import { MAX_DURATION_SECONDS, MAX_NUMBER } from '../limits.js';
import type { Condition, Duration, Expectation, LetDecl, NumberLiteral, Operand, Statement } from '../syntax/ast.js';
import { matchesIn, walkNodesOverlapping, type TextMatches } from './ast-walk.js';
import type { CheckContext } from './context.js';

/**
 * A non-negative number with at most two decimals as `toLocaleString('en-US')` writes it
 * (`9,999,999,999,999.99`), without it: its first call loads the locale data, a noticeable part of
 * every start of `rubric` when made while the module loads.
 */
export function withThousands(value: number): string {
  const [whole, fraction] = String(Math.round(value * 100) / 100).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** `9,999,999,999,999.99`: {@link MAX_NUMBER} as messages write it. */
export const MAX_NUMBER_TEXT = withThousands(MAX_NUMBER);

/** `100,000,000 days`: {@link MAX_DURATION_SECONDS} as messages write it. */
const MAX_DURATION_DAYS_TEXT = `${withThousands(MAX_DURATION_SECONDS / 86_400)} days`;

const UNIT_NAMES: Readonly<Record<string, readonly [seconds: number, plural: string]>> = {
  hour: [3600, 'hours'],
  day: [86_400, 'days'],
  week: [7 * 86_400, 'weeks'],
  month: [30 * 86_400, 'months'],
  year: [365 * 86_400, 'years'],
};

/** The digits after the point, trailing zeros dropped (`2.50` -> `5`, `3` -> ``). */
function fractionDigits(raw: string): string {
  const point = raw.indexOf('.');
  return point === -1 ? '' : raw.slice(point + 1).replace(/0+$/, '');
}

/** Whether a literal, as written, has more than 2 decimals (`2.505`; not `2.500`). */
export function hasMoreThanTwoDecimals(literal: NumberLiteral): boolean {
  return fractionDigits(literal.raw).length > 2;
}

/** Whether a literal's magnitude is beyond {@link MAX_NUMBER} (Infinity and NaN are). */
export function isOutOfRange(literal: NumberLiteral): boolean {
  return !(Math.abs(literal.value) <= MAX_NUMBER);
}

/**
 * The literal rounded to 2 decimals, half away from zero, computed on its digits (exact for any
 * length): `2.505` -> `2.51`, `-0.125` -> `-0.13`, `0.001` -> `0`.
 */
export function roundedToHundredths(raw: string): string {
  const negative = raw.startsWith('-');
  const unsigned = (negative ? raw.slice(1) : raw).replace(/_/g, '');
  const point = unsigned.indexOf('.');
  const whole = point === -1 ? unsigned : unsigned.slice(0, point);
  const fraction = point === -1 ? '' : unsigned.slice(point + 1);
  let hundredths = BigInt(`${whole}${fraction.slice(0, 2).padEnd(2, '0')}`);
  if (fraction.length > 2 && fraction.charCodeAt(2) >= 53 /* '5' */) hundredths += 1n;
  const digits = hundredths.toString().padStart(3, '0');
  const text = `${digits.slice(0, -2)}.${digits.slice(-2)}`.replace(/\.?0+$/, '');
  return negative && hundredths !== 0n ? `-${text}` : text;
}

/** A literal as a message shows it: long digit runs shortened (`1000…0` (400 digits)). */
export function shownNumber(raw: string): string {
  if (raw.length <= 24) return `\`${raw}\``;
  const digits = raw.replace(/[^0-9]/g, '').length;
  return `\`${raw.slice(0, 4)}…${raw.slice(-1)}\` (${digits} digits)`;
}

/**
 * Reports R031 for a literal that becomes hundredths: `what` names the place for the message
 * (`points are exact to the hundredth`). Returns whether it was reported. `fix`: offer rounding
 * (not for comparisons, where rounding would change which values match).
 */
export function reportTooManyDecimals(ctx: CheckContext, literal: NumberLiteral, what: string, fix = true): boolean {
  if (!hasMoreThanTwoDecimals(literal) || isOutOfRange(literal)) return false;
  const rounded = roundedToHundredths(literal.raw);
  const fixes: Fix[] = fix ? [{ title: `round to ${rounded}`, edits: [{ range: literal.range, newText: rounded }] }] : [];
  ctx.report('R031', literal.range, `${shownNumber(literal.raw)} has more than 2 decimals; ${what}`, {
    help: fix ? `write \`${rounded}\`` : 'group values and `score` are whole hundredths: write at most 2 decimals (`> 2.505` holds exactly when `>= 2.51` does)',
    fixes,
  });
  return true;
}

/** The whole file's number checks (R031 outside rules, R041 everywhere); after `let`s resolve. */
export function checkNumbers(ctx: CheckContext, statements: readonly Statement[]): void {
  checkHundredths(ctx, statements);
  checkNumberRanges(ctx, statements);
}

/** R031 for the numbers that become hundredths outside rules (rules.ts checks points and caps). */
function checkHundredths(ctx: CheckContext, statements: readonly Statement[]): void {
  for (const statement of statements) {
    switch (statement.kind) {
      case 'GroupDecl':
        if (statement.min !== undefined) reportTooManyDecimals(ctx, statement.min, 'group bounds are exact to the hundredth');
        if (statement.max !== undefined) reportTooManyDecimals(ctx, statement.max, 'group bounds are exact to the hundredth');
        break;
      case 'ScoreRangeDecl':
        if (statement.min !== undefined) reportTooManyDecimals(ctx, statement.min, 'the score range is exact to the hundredth');
        if (statement.max !== undefined) reportTooManyDecimals(ctx, statement.max, 'the score range is exact to the hundredth');
        break;
      case 'StageDecl':
        if (statement.threshold !== undefined) reportTooManyDecimals(ctx, statement.threshold, 'scores are exact to the hundredth');
        break;
      case 'TestDecl':
        for (const expectation of statement.expectations ?? []) checkExpectation(ctx, expectation);
        break;
      default:
        break;
    }
  }
  // Only a literal with 3 or more decimals (in a condition or in a `let`) can be reported below.
  if (!/\.\d{3}/.test(ctx.source.text)) return;
  for (const statement of statements) {
    switch (statement.kind) {
      case 'SegmentDecl':
      case 'TierDecl':
      case 'WhenRule':
        visitCondition(ctx, statement.condition);
        break;
      case 'GroupDecl':
        for (const rule of statement.rules ?? []) if (rule?.kind === 'WhenRule') visitCondition(ctx, rule.condition);
        break;
      case 'StageDecl':
        for (const item of statement.requirements ?? []) visitCondition(ctx, item);
        visitCondition(ctx, statement.when);
        break;
      default:
        break;
    }
  }
}

function checkExpectation(ctx: CheckContext, expectation: Expectation): void {
  if (expectation.kind !== 'ExpectScore' && expectation.kind !== 'ExpectGroup') return;
  if (expectation.value === undefined) return;
  const what = expectation.kind === 'ExpectScore' ? 'scores are exact to the hundredth' : 'group values are exact to the hundredth';
  reportTooManyDecimals(ctx, expectation.value, what);
}

/**
 * Comparisons of a group or `score` with a value of more than 2 decimals, outside `where` (a
 * group read inside `where` is already an error, R019).
 */
function visitCondition(ctx: CheckContext, condition: Condition | undefined): void {
  if (condition === undefined || condition === null) return;
  switch (condition.kind) {
    case 'And':
    case 'Or':
      for (const operand of condition.operands ?? []) visitCondition(ctx, operand);
      return;
    case 'Not':
      visitCondition(ctx, condition.operand);
      return;
    case 'Paren':
      visitCondition(ctx, condition.inner);
      return;
    case 'Compare': {
      const subject = numberSubject(ctx, condition.left) ?? numberSubject(ctx, condition.right);
      if (subject === undefined) return;
      const value = numberSubject(ctx, condition.left) === undefined ? condition.left : condition.right;
      checkComparedValue(ctx, value, subject);
      return;
    }
    case 'Between': {
      const subject = numberSubject(ctx, condition.subject);
      if (subject === undefined) return;
      checkComparedValue(ctx, condition.low, subject);
      checkComparedValue(ctx, condition.high, subject);
      return;
    }
    default:
      return;
  }
}

/** `` group `fit` `` or `` `score` `` when the operand reads one (values in hundredths). */
function numberSubject(ctx: CheckContext, operand: Operand | undefined): string | undefined {
  if (operand === undefined || operand === null) return undefined;
  if (operand.kind === 'ScoreRef') return '`score`';
  if (operand.kind === 'NameRef' && operand.name !== undefined && !ctx.fieldDecls.has(operand.name.name) && ctx.groupDecls.has(operand.name.name)) {
    return `group \`${operand.name.name}\``;
  }
  return undefined;
}

/** A literal compared with a hundredths subject, or a number `let` used as one. */
function checkComparedValue(ctx: CheckContext, value: Operand | undefined, subject: string): void {
  if (value === undefined || value === null) return;
  const what = `${subject} is exact to the hundredth, so compare it with at most 2 decimals`;
  if (value.kind === 'NumberLiteral') {
    reportTooManyDecimals(ctx, value, what, false);
    return;
  }
  if (value.kind !== 'NameRef' && value.kind !== 'WordValue') return;
  const name = value.name?.name;
  if (name === undefined || ctx.fieldDecls.has(name)) return;
  // Through `let a = b` chains to the number literal (a cycle is R018 and has no value).
  const letInfo = ctx.lets.get(name);
  if (letInfo?.value.kind !== 'number') return;
  let literal: LetDecl['value'] | undefined = letInfo.decl.value;
  const seen = new Set<string>([name]);
  while (literal?.kind === 'WordValue' && !seen.has(literal.name?.name ?? '')) {
    seen.add(literal.name?.name ?? '');
    literal = ctx.lets.get(literal.name?.name ?? '')?.decl.value;
  }
  if (literal?.kind !== 'NumberLiteral' || !hasMoreThanTwoDecimals(literal) || isOutOfRange(literal)) return;
  ctx.report('R031', value.range, `\`${name}\` is ${shownNumber(literal.raw)}, which has more than 2 decimals; ${what}`, {
    help: `give \`let ${name}\` at most 2 decimals, or compare with a number written here`,
    related: [{ message: `\`${name}\` is declared here`, range: letInfo.decl.range }],
  });
}

/** Runs of 6 or more digits: only nodes whose text overlaps one can hold a number or duration out of range. */
function longDigitRuns(ctx: CheckContext): TextMatches {
  return matchesIn(ctx.source.text, /\d(?:_?\d){5,}/g);
}

/**
 * R041 for every number beyond {@link MAX_NUMBER} and every duration beyond
 * {@link MAX_DURATION_SECONDS}, wherever they are written (rules, conditions, `let`s, tests).
 */
function checkNumberRanges(ctx: CheckContext, statements: readonly Statement[]): void {
  // The smallest number out of range has 14 digits, the smallest duration 6 (`273973 years`):
  // only nodes whose text overlaps a run of 6 digits are walked.
  const runs = longDigitRuns(ctx);
  walkNodesOverlapping(statements, runs, (record) => {
    if (record.kind === 'NumberLiteral') {
      const literal = record as unknown as NumberLiteral;
      if (literal.range !== undefined && typeof literal.raw === 'string' && isOutOfRange(literal)) reportNumber(ctx, literal);
      return true;
    }
    // A decay's or run limit's period has a duration's fields (its amount may be absent).
    if (record.kind === 'Duration' || record.kind === 'Period') {
      const duration = record as unknown as Duration;
      if (duration.amount !== undefined && isOutOfRange(duration.amount)) reportNumber(ctx, duration.amount);
      else if (duration.range !== undefined && !(Math.abs(duration.seconds) <= MAX_DURATION_SECONDS)) reportDuration(ctx, duration);
      return true;
    }
    return record.kind === 'Identifier' || record.kind === 'StringLiteral' || record.kind === 'DateLiteral';
  });
}

function reportNumber(ctx: CheckContext, literal: NumberLiteral): void {
  ctx.report('R041', literal.range, `${shownNumber(literal.raw)} is too large: numbers in Rubric are at most ${MAX_NUMBER_TEXT} (in absolute value)`, {
    help: 'a number keeps 15 significant digits exactly (13 before the point, 2 after); write a smaller number',
  });
}

function reportDuration(ctx: CheckContext, duration: Duration): void {
  const [unitSeconds, plural] = UNIT_NAMES[duration.unit] ?? [86_400, 'days'];
  const most = Math.floor(MAX_DURATION_SECONDS / unitSeconds);
  const inUnit = plural === 'days' ? '' : ` (${most.toLocaleString('en-US')} ${plural})`;
  const written = `${duration.amount?.raw ?? '?'} ${duration.unitRaw ?? plural}`;
  ctx.report('R041', duration.range, `\`${written}\` is too long: durations in Rubric are at most ${MAX_DURATION_DAYS_TEXT}${inUnit}`, {
    help: 'a longer one would reach past the dates Rubric can represent (about 273,000 years either side of 1970); write a shorter duration (a `within` can also be left out, to count every occurrence)',
  });
}
