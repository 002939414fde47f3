/**
 * Decay and run limits (issue 15): `half-life D` and `decay P% per PERIOD` on `each` rules,
 * `when` rules and groups, and `at most K per PERIOD` on `each` rules.
 *
 * - R052 (error): a decay on a `when` rule whose condition is not `any EVENT ...` or an `and`
 *   with exactly one `any EVENT ...` conjunct: there is no occurrence to take the age from.
 * - R053 (warning): a `when` rule of a decaying group with no such conjunct is not decayed.
 * - R054 (error): a run limit that is not a positive whole count per positive period, or a run
 *   limit on a `when` rule (it gives its points once).
 * - R055 (error): a linear decay whose percentage is not in (0, 100], whose period is not
 *   positive, or a group with two decays.
 *
 * A half-life of 0 or less stays R035 (as before), too many decimals R031, a period beyond the
 * longest duration R041 (number-range.ts).
 */
import type { Fix } from '../diagnostics/diagnostic.js';
import type { Duration, GroupDecl, LinearDecay, Range, RunLimit, WhenRule } from '../syntax/ast.js';
import type { CheckContext } from './context.js';
import type { Cond, DecayInfo, EventQuery, RuleInfo, RunLimitInfo } from './model.js';
import { hasMoreThanTwoDecimals, reportTooManyDecimals } from './number-range.js';

/** A fix deleting `range` and the blank before it (`add 5 half-life 3 days` -> `add 5`). */
function deleteFix(ctx: CheckContext, range: Range, title: string): Fix {
  const text = ctx.source.text;
  let start = range.start.offset;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  return { title, edits: [{ range: ctx.source.rangeAt(start, range.end.offset), newText: '' }] };
}

/** The decay written on a rule or group, checked; undefined when none or when it is invalid. */
export function decayOf(ctx: CheckContext, halfLife: Duration | undefined, linear: LinearDecay | undefined): DecayInfo | undefined {
  if (halfLife !== undefined && Number.isFinite(halfLife.seconds)) {
    if (halfLife.seconds <= 0) {
      ctx.report('R035', halfLife.range, `a half-life of \`${ctx.source.collapsed(halfLife.range)}\` is not a duration; it must be longer than 0`, {
        help: 'each occurrence weighs 0.5^(age / half-life): give a half-life such as `30 days`, or remove it',
      });
      return undefined;
    }
    return { kind: 'half-life', halfLifeSeconds: halfLife.seconds };
  }
  if (linear === undefined || linear.percent === undefined || linear.period === undefined) return undefined;
  const percent = linear.percent.value;
  const period = linear.period.seconds;
  if (!Number.isFinite(percent) || !Number.isFinite(period)) return undefined;
  let valid = true;
  if (percent <= 0 || percent > 100) {
    ctx.report('R055', linear.percent.range, `\`decay ${linear.percent.raw}%\` is not a share of the points; it must be more than 0 and at most 100`, {
      help: 'points lose P% of their value per whole period of age, down to nothing: write `decay 25% per month`, or remove the decay',
      fixes: [deleteFix(ctx, linear.range, 'remove the decay')],
    });
    valid = false;
  } else if (hasMoreThanTwoDecimals(linear.percent)) {
    reportTooManyDecimals(ctx, linear.percent, 'a decay percentage is exact to the hundredth');
    valid = false;
  }
  if (!(Math.round(period * 1000) >= 1)) {
    ctx.report('R055', linear.period.range, `\`per ${ctx.source.collapsed(linear.period.range)}\` is no period; it must be longer than 0`, {
      help: 'write a period such as `per month` or `per 2 weeks`',
    });
    valid = false;
  }
  return valid ? { kind: 'linear', percent, periodSeconds: period } : undefined;
}

/** The run limit of an `each` rule, checked; undefined when none or when it is invalid. */
export function limitOf(ctx: CheckContext, limit: RunLimit | undefined): RunLimitInfo | undefined {
  if (limit === undefined || limit.period === undefined) return undefined;
  const count = limit.count === undefined ? 1 : limit.count.value;
  const period = limit.period.seconds;
  if (!Number.isFinite(count) || !Number.isFinite(period)) return undefined;
  let valid = true;
  if (limit.count !== undefined && !(Number.isInteger(count) && count >= 1)) {
    const near = Math.max(1, Math.round(count));
    ctx.report('R054', limit.count.range, `\`at most ${limit.count.raw}\` is not a number of occurrences; it must be a whole number, 1 or more`, {
      help: `the rule counts at most K occurrences per period: write \`at most ${near} per ...\` (\`at most once per day\` is \`at most 1 per day\`)`,
      fixes: [{ title: `write \`${near}\``, edits: [{ range: limit.count.range, newText: String(near) }] }],
    });
    valid = false;
  }
  if (!(Math.round(period * 1000) >= 1)) {
    ctx.report('R054', limit.period.range, `\`per ${ctx.source.collapsed(limit.period.range)}\` is no period; it must be longer than 0`, {
      help: 'write a period such as `per day` or `per 2 weeks`',
    });
    valid = false;
  }
  return valid ? { count, periodSeconds: period } : undefined;
}

/** R054 for `at most ...` on a `when` rule. */
export function reportWhenLimit(ctx: CheckContext, rule: WhenRule): void {
  if (rule.limit === undefined) return;
  ctx.report('R054', rule.limit.range, 'a `when` rule gives its points once; a limit applies to `each` rules', {
    help: 'to count an event at most K times per period, write `each EVENT add N at most K per PERIOD`; otherwise remove the limit',
    fixes: [deleteFix(ctx, rule.limit.range, 'remove the limit')],
  });
}

/**
 * The `any EVENT ...` tests of a condition's top-level `and` (flattened): the occurrences a
 * decaying `when` rule takes its age from when there is exactly one.
 */
export function anyConjuncts(condition: Cond): Extract<Cond, { kind: 'event-exists' }>[] {
  const out: Extract<Cond, { kind: 'event-exists' }>[] = [];
  const visit = (c: Cond): void => {
    if (c.kind === 'and') for (const operand of c.operands) visit(operand);
    else if (c.kind === 'event-exists' && c.quantifier === 'any') out.push(c);
  };
  visit(condition);
  return out;
}

/**
 * The event query a decaying `when` rule takes its age from, or undefined after reporting R052
 * (the rule's own decay) or R053 (its group's).
 */
export function whenDecayEvent(
  ctx: CheckContext,
  rule: WhenRule,
  condition: Cond,
  complete: boolean,
  own: boolean,
  group: string | null,
): EventQuery | undefined {
  const found = anyConjuncts(condition);
  if (found.length === 1) return found[0].query;
  if (!complete) return undefined;
  const tests = found.length === 0 ? 'it has no `any EVENT` test to take an age from' : `it tests ${found.length} events (${found.map((f) => `\`any ${f.query.event}\``).join(', ')}) and the age could be either's`;
  const head = rule.condition?.range ?? rule.range;
  if (own) {
    const decay = rule.halfLife ?? rule.linearDecay;
    ctx.report('R052', decay?.range ?? head, `this \`when\` rule cannot decay: ${tests}`, {
      help: 'a decaying `when` rule takes its age from the latest occurrence of ONE `any EVENT` test: write `when any EVENT [where C] [within D] [and ...] add N half-life D`, or use `each EVENT ... half-life D` to decay every occurrence',
      fixes: decay === undefined ? [] : [deleteFix(ctx, decay.range, 'remove the decay')],
      related: [{ message: 'the condition', range: head }],
    });
  } else {
    ctx.report('R053', head, `this rule is not decayed: ${tests}; group \`${group ?? ''}\` decays its rules from the latest occurrence of their \`any EVENT\` test`, {
      help: 'move it out of the group, give it one `any EVENT` test, or accept it (`# rubric: allow R053`)',
    });
  }
  return undefined;
}

/** The group's decay, checked (R055 when it has two). */
export function groupDecayOf(ctx: CheckContext, group: GroupDecl): DecayInfo | undefined {
  if (group.halfLife !== undefined && group.linearDecay !== undefined) {
    const second = group.halfLife.range.start.offset > group.linearDecay.range.start.offset ? group.halfLife.range : group.linearDecay.range;
    ctx.report('R055', second, `group \`${group.name?.name ?? ''}\` has two decays; keep one`, {
      help: 'a group decays its rules one way: `half-life D` or `decay P% per PERIOD`',
    });
  }
  return decayOf(ctx, group.halfLife, group.linearDecay);
}

/**
 * The decay a rule's points follow: its own, else its group's; a `when` rule decays only with
 * the one `any EVENT` test it takes the age from. What the compiler and the oracle apply.
 */
export function effectiveDecay(rule: RuleInfo, groupDecay: DecayInfo | undefined): DecayInfo | undefined {
  if (rule.kind === 'when' && rule.decayEvent === undefined) return undefined;
  return rule.decay ?? groupDecay;
}

/** The decay as written (`half-life 30 days`, `decay 25% per month`), for messages and diffs. */
export function decayText(decay: DecayInfo | undefined): string | null {
  if (decay === undefined) return null;
  if (decay.kind === 'half-life') return `half-life ${secondsText(decay.halfLifeSeconds)}`;
  return `decay ${decay.percent}% per ${secondsText(decay.periodSeconds, true)}`;
}

/** The run limit as written (`at most once per day`). */
export function limitText(limit: RunLimitInfo | undefined): string | null {
  if (limit === undefined) return null;
  return `at most ${limit.count === 1 ? 'once' : limit.count} per ${secondsText(limit.periodSeconds, true)}`;
}

const UNITS: ReadonlyArray<readonly [number, string]> = [
  [365 * 86_400, 'year'],
  [7 * 86_400, 'week'],
  [86_400, 'day'],
  [3_600, 'hour'],
];

/** Seconds in the largest unit that divides them (`2592000` -> `30 days`; `bare`: `month`). */
export function secondsText(seconds: number, bare = false): string {
  for (const [size, unit] of UNITS) {
    if (seconds % size === 0) {
      const n = seconds / size;
      if (n === 1) return bare ? unit : `1 ${unit}`;
      return `${n} ${unit}s`;
    }
  }
  return `${seconds / 3600} hours`;
}
