/**
 * Rules and groups: each rule becomes a {@link RuleInfo} (signed points, label, resolved
 * condition or event query), each group a draft of its {@link GroupInfo}; points, caps and
 * bounds are checked, and so are duplicate rules and groups capped below one of their rules.
 */
import type { EachRule, GroupDecl, NumberLiteral, Range, RubricFile, Rule, WhenRule } from '../syntax/ast.js';
import type { CheckContext } from './context.js';
import { ConditionIds } from './cond-utils.js';
import { decayOf, groupDecayOf, limitOf, reportWhenLimit, whenDecayEvent } from './decay.js';
import { removeFix } from './fixes.js';
import { reportTooManyDecimals } from './number-range.js';
import type { DecayInfo, EachRuleInfo, RuleInfo, WhenRuleInfo } from './model.js';
import { unresolvedCond, type ConditionResolver } from './resolve-condition.js';
import { formatName } from './source-text.js';

/** A rule with what the later checks need to know about it. */
export interface RuleDraft {
  readonly info: RuleInfo;
  /** Every name in its condition or query resolved. */
  readonly complete: boolean;
  /** `when CONDITION` or `each EVENT ... within D`: the part that says when it fires. */
  readonly headRange: Range;
}

export interface GroupDraft {
  readonly name: string;
  readonly decl: GroupDecl;
  readonly min: number | null;
  readonly max: number | null;
  /** `half-life D` / `decay P% per PERIOD` on the group (decay.ts). */
  readonly decay?: DecayInfo;
  readonly rules: readonly RuleInfo[];
}

export interface RulesResult {
  readonly rules: readonly RuleDraft[];
  readonly groups: readonly GroupDraft[];
}

/** Checks the points of a rule and returns them signed (`sub 5` is -5). */
function checkPoints(ctx: CheckContext, rule: Rule): number {
  const literal = rule.points;
  if (literal === undefined || !Number.isFinite(literal.value)) return 0;
  const value = literal.value;
  if (value === 0) {
    ctx.report('R022', literal.range, `\`${rule.sign} ${literal.raw}\` gives no points; give the rule points or remove it`, {
      help: 'a rule of 0 points never changes a score',
      fixes: [removeFix(ctx, rule.range, 'remove the rule')],
    });
  } else {
    // Counted on the literal as written; a number out of range is R041 (number-range.ts).
    reportTooManyDecimals(ctx, literal, 'points are exact to the hundredth');
  }
  if (value < 0) {
    const other = rule.sign === 'add' ? 'sub' : 'add';
    const signStart = ctx.source.text.lastIndexOf(rule.sign, literal.range.start.offset);
    const range = signStart === -1 ? literal.range : ctx.source.rangeAt(signStart, literal.range.end.offset);
    const replacement = `${other} ${literal.raw.replace(/^-/, '')}`;
    ctx.report('R038', range, `\`${rule.sign} ${literal.raw}\` ${rule.sign === 'add' ? 'takes points away' : 'gives points'}; write \`${replacement}\``, {
      help: '`add` gives points and `sub` takes them away; write points without a sign',
      fixes: [{ title: `write \`${replacement}\``, edits: [{ range, newText: replacement }] }],
    });
  }
  return rule.sign === 'sub' ? -value : value;
}

function literalValue(literal: NumberLiteral | undefined): number | null {
  return literal === undefined || !Number.isFinite(literal.value) ? null : literal.value;
}

/** Builds every rule in file order (grouped or not) and a draft of every group. */
export function buildRules(ctx: CheckContext, resolver: ConditionResolver, ast: RubricFile): RulesResult {
  const drafts: RuleDraft[] = [];
  const groups: GroupDraft[] = [];
  const groupByName = new Map<string, GroupDraft>();

  const build = (rule: Rule, group: string | null, groupDecay?: DecayInfo): RuleInfo => {
    const points = checkPoints(ctx, rule);
    const base = {
      index: drafts.length,
      group,
      label: rule.label !== undefined ? rule.label.value : ctx.source.collapsed(rule.range),
      hasLabel: rule.label !== undefined,
      points,
      line: rule.range.start.line,
      range: rule.range,
    };
    if (rule.kind === 'WhenRule') return buildWhen(rule, base, groupDecay);
    return buildEach(rule, base);
  };

  const buildWhen = (rule: WhenRule, base: Omit<WhenRuleInfo, 'kind' | 'condition' | 'decl'>, groupDecay: DecayInfo | undefined): RuleInfo => {
    const resolved = resolver.resolve(rule.condition, { owner: 'rule' }, rule.range);
    reportWhenLimit(ctx, rule);
    const written = rule.halfLife !== undefined || rule.linearDecay !== undefined;
    const decay = decayOf(ctx, rule.halfLife, rule.linearDecay);
    const decayEvent = written || groupDecay !== undefined ? whenDecayEvent(ctx, rule, resolved.value, resolved.complete, written, base.group) : undefined;
    // Written out rather than spread from `base` (same fields, same order): one object per rule.
    const info: { -readonly [K in keyof WhenRuleInfo]: WhenRuleInfo[K] } = {
      kind: 'when',
      index: base.index,
      group: base.group,
      label: base.label,
      hasLabel: base.hasLabel,
      points: base.points,
      line: base.line,
      range: base.range,
      condition: resolved.value,
      decl: rule,
    };
    if (decay !== undefined) info.decay = decay;
    if (decayEvent !== undefined) info.decayEvent = decayEvent;
    const end = rule.condition?.range.end ?? rule.range.end;
    drafts.push({ info, complete: resolved.complete, headRange: { start: rule.range.start, end } });
    return info;
  };

  const buildEach = (rule: EachRule, base: Omit<EachRuleInfo, 'kind' | 'query' | 'decl'>): RuleInfo => {
    const resolved = resolver.resolveQuery(rule.event, rule.where, rule.within, { owner: 'rule' });
    let cap: number | undefined;
    if (rule.upTo !== undefined && Number.isFinite(rule.upTo.value)) {
      cap = rule.upTo.value;
      if (cap <= 0) {
        ctx.report('R035', rule.upTo.range, `\`up to ${rule.upTo.raw}\` caps the rule at nothing; a cap is a positive number of points`, {
          help: '`up to CAP` limits the total of the rule to CAP points; remove it or give a positive cap',
        });
      } else {
        reportTooManyDecimals(ctx, rule.upTo, 'points are exact to the hundredth');
      }
    }
    let halfLifeSeconds: number | undefined;
    if (rule.halfLife !== undefined && Number.isFinite(rule.halfLife.seconds)) halfLifeSeconds = rule.halfLife.seconds;
    const decay = decayOf(ctx, rule.halfLife, rule.linearDecay);
    const limit = limitOf(ctx, rule.limit);
    if (rule.within !== undefined && Number.isFinite(rule.within.seconds) && rule.within.seconds <= 0) {
      ctx.report('R035', rule.within.range, `\`within ${ctx.source.collapsed(rule.within.range)}\` keeps no occurrences; it must be longer than 0`, {
        help: 'give a window such as `within 30 days`, or remove it',
      });
    }
    const query = resolved.value ?? { event: rule.event?.name ?? '', where: unresolvedCond(rule.range) };
    // Filled in place rather than spread (same fields, same order: `decl` last).
    const info: { -readonly [K in keyof EachRuleInfo]: EachRuleInfo[K] } = {
      kind: 'each',
      index: base.index,
      group: base.group,
      label: base.label,
      hasLabel: base.hasLabel,
      points: base.points,
      line: base.line,
      range: base.range,
      query,
    } as EachRuleInfo;
    if (cap !== undefined) info.cap = cap;
    if (halfLifeSeconds !== undefined) info.halfLifeSeconds = halfLifeSeconds;
    if (decay !== undefined) info.decay = decay;
    if (limit !== undefined) info.limit = limit;
    info.decl = rule;
    const end = rule.within?.range.end ?? rule.where?.range.end ?? rule.event?.range.end ?? rule.range.end;
    drafts.push({ info, complete: resolved.complete, headRange: { start: rule.range.start, end } });
    return info;
  };

  for (const statement of ast.statements ?? []) {
    if (statement.kind === 'WhenRule' || statement.kind === 'EachRule') {
      build(statement, null);
    } else if (statement.kind === 'GroupDecl') {
      const name = statement.name?.name ?? '';
      // A duplicate group's rules still count (they are in the file), under the first's name.
      const groupDecay = groupDecayOf(ctx, statement);
      const rules = (statement.rules ?? []).filter((r) => r !== undefined).map((r) => build(r, name, groupDecay));
      const min = literalValue(statement.min);
      const max = literalValue(statement.max);
      if (min !== null && max !== null && min > max && statement.min !== undefined && statement.max !== undefined) {
        ctx.report('R035', { start: statement.min.range.start.offset < statement.max.range.start.offset ? statement.min.range.start : statement.max.range.start, end: statement.min.range.start.offset < statement.max.range.start.offset ? statement.max.range.end : statement.min.range.end }, `group \`${name}\` has \`min ${statement.min.raw}\` above \`max ${statement.max.raw}\``, {
          help: `swap them: \`min ${statement.max.raw} max ${statement.min.raw}\``,
          fixes: [{ title: 'swap `min` and `max`', edits: [{ range: statement.min.range, newText: statement.max.raw }, { range: statement.max.range, newText: statement.min.raw }] }],
        });
      }
      // A second group of the same name is an error (R017); its rules still count, in the first.
      // By name through a map: a search of the list per group was quadratic in 10,000 groups.
      const first = groupByName.get(name);
      if (first === undefined) {
        const draft: GroupDraft = groupDecay === undefined ? { name, decl: statement, min, max, rules } : { name, decl: statement, min, max, decay: groupDecay, rules };
        groups.push(draft);
        groupByName.set(name, draft);
      } else {
        for (const rule of rules) (first.rules as RuleInfo[]).push(rule);
      }
    }
  }

  const scoreRange = ctx.scoreRangeDecl;
  if (scoreRange !== undefined && scoreRange.min !== undefined && scoreRange.max !== undefined && scoreRange.min.value > scoreRange.max.value) {
    ctx.report('R035', scoreRange.range, `\`score range ${scoreRange.min.raw} to ${scoreRange.max.raw}\` has its minimum above its maximum`, {
      help: `write \`score range ${scoreRange.max.raw} to ${scoreRange.min.raw}\``,
      fixes: [{ title: 'swap the bounds', edits: [{ range: scoreRange.min.range, newText: scoreRange.max.raw }, { range: scoreRange.max.range, newText: scoreRange.min.raw }] }],
    });
  }
  return { rules: drafts, groups };
}

/** The same condition twice in one group (or twice outside groups) is almost always a slip. */
export function checkDuplicateRules(ctx: CheckContext, drafts: readonly RuleDraft[]): void {
  // The first rule of each condition, by group (rules outside groups under ''), kind and id: maps
  // rather than one string key per rule.
  const seen = new Map<string, { readonly when: Map<number | string, RuleDraft>; readonly each: Map<string, RuleDraft> }>();
  const ids = new ConditionIds();
  for (let i = 0; i < drafts.length; i++) {
    const draft = drafts[i];
    if (!draft.complete) continue;
    const info = draft.info;
    const group = info.group ?? '';
    let inGroup = seen.get(group);
    if (inGroup === undefined) {
      inGroup = { when: new Map(), each: new Map() };
      seen.set(group, inGroup);
    }
    let first: RuleDraft | undefined;
    if (info.kind === 'when') {
      // A different decay gives different points: not a duplicate (as for `each`).
      const id = info.decay === undefined ? ids.idOf(info.condition) : `${ids.idOf(info.condition)} ${JSON.stringify(info.decay)}`;
      first = inGroup.when.get(id);
      if (first === undefined) inGroup.when.set(id, draft);
    } else {
      // For `each`, a different decay counts occurrences differently: not a duplicate.
      const decl = info.decl;
      const decay = info.decay ?? (decl.halfLife !== undefined ? decl.halfLife.seconds : decl.linearDecay !== undefined ? ctx.source.collapsed(decl.linearDecay.range) : null);
      const limit = info.limit ?? (decl.limit !== undefined ? ctx.source.collapsed(decl.limit.range) : null);
      const key = `${ids.idOf(info.query)} ${JSON.stringify(decay)} ${JSON.stringify(limit)}`;
      first = inGroup.each.get(key);
      if (first === undefined) inGroup.each.set(key, draft);
    }
    if (first === undefined) continue;
    const where = info.group === null ? 'outside any group' : `in group \`${info.group}\``;
    ctx.report('R021', draft.headRange, `this rule repeats the condition of the rule on line ${first.info.line} ${where}`, {
      help: 'remove one of them, or merge their points into one rule',
      related: [{ message: 'the first rule with this condition', range: first.headRange }],
      fixes: [removeFix(ctx, info.range, 'remove this rule')],
    });
  }
}

/**
 * A rule that alone gives more than its group's `max` (or takes away more than its `min`)
 * can never count in full: the cap is probably a slip.
 */
export function checkGroupCaps(ctx: CheckContext, groups: readonly GroupDraft[]): void {
  for (const group of groups) {
    if (group.min !== null && group.max !== null && group.min > group.max) continue; // reported as R035
    for (let i = 0; i < group.rules.length; i++) {
      const rule = group.rules[i];
      const literal = rule.decl.points;
      if (literal === undefined) continue;
      const alone = rule.kind === 'each' && rule.cap !== undefined ? Math.sign(rule.points) * Math.max(Math.abs(rule.points), rule.cap) : rule.points;
      const capWord = rule.kind === 'each' && rule.cap !== undefined && rule.cap > Math.abs(rule.points) ? `up to ${rule.cap}` : `${rule.decl.sign} ${literal.raw}`;
      const range = rule.kind === 'each' && rule.cap !== undefined && rule.cap > Math.abs(rule.points) && rule.decl.kind === 'EachRule' && rule.decl.upTo !== undefined ? rule.decl.upTo.range : literal.range;
      if (alone > 0 && group.max !== null && alone > group.max && group.decl.max !== undefined) {
        ctx.report('R023', range, `\`${capWord}\` alone is more than group \`${group.name}\` can hold (\`max ${group.decl.max.raw}\`)`, {
          help: `lower the points to ${group.max} or less, or raise the \`max\` of \`${formatName(group.name)}\``,
          related: [{ message: `\`${group.name}\` is capped here`, range: group.decl.max.range }],
        });
      } else if (alone < 0 && group.min !== null && alone < group.min && group.decl.min !== undefined) {
        ctx.report('R023', range, `\`${capWord}\` alone takes more than group \`${group.name}\` can lose (\`min ${group.decl.min.raw}\`)`, {
          help: `the group never goes below ${group.min}; lower the \`min\` of \`${formatName(group.name)}\` or the points`,
          related: [{ message: `\`${group.name}\` is bounded here`, range: group.decl.min.range }],
        });
      }
    }
  }
}
