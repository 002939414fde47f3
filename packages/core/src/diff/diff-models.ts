/**
 * The semantic diff: what a change to a rule file changes in meaning, read from the two checked
 * models (never from the text, so layout, comments and quote styles never show up).
 *
 * Two conditions are the same when their canonical texts are equal (a `let` whose value changed
 * is reported once, as a `let` change) or when they resolve to the same condition
 * (`[CEO]` and `[ceo]`, a `let` written out in place).
 */
import type {
  Cond,
  EachRuleInfo,
  EventQuery,
  FieldInfo,
  FieldType,
  LetInfo,
  Model,
  RuleInfo,
  StageInfo,
} from '../checker/model.js';
import { effectiveDecay } from '../checker/decay.js';
import type { Duration, LinearDecay } from '../syntax/ast.js';
import { conditionText, durationText, eachQueryText, statementText, valueText } from '../format/inline.js';
import { diffAccounts } from './accounts.js';
import { matchRules } from './match-rules.js';
import { diffTables } from './tables.js';
import type { RuleChanged, RuleSummary, SemanticChange, SemanticDiff, StageSummary, ValueChange } from './types.js';

/**
 * Compares two checked versions of a rule file. Rules are paired by label, else by condition
 * (and group), else by position in their group; see {@link matchRules}. Never throws; a model
 * built from a file with errors is compared on what it holds.
 */
export function diffModels(oldModel: Model, newModel: Model): SemanticDiff {
  const changes: SemanticChange[] = [];
  diffSchema(oldModel, newModel, changes);
  diffLets(oldModel, newModel, changes);
  diffTables(oldModel, newModel, changes);
  diffScoring(oldModel, newModel, condKey, changes);
  diffAccounts(oldModel, newModel, changes);
  return { changes };
}

/** How two resolved conditions are compared: equal keys mean the same condition. */
export type CondKeyOf = (cond: Cond | EventQuery | undefined) => string;

/**
 * The rules, segments, groups, score range, stages and tiers of two models, compared with `key`
 * (the parts a contact-level and an account-level model both have).
 */
export function diffScoring(a: Model, b: Model, key: CondKeyOf, out: SemanticChange[]): void {
  diffSegments(a, b, out, key);
  diffGroups(a, b, out);
  diffScoreRange(a, b, out);
  diffRules(a, b, out, key);
  diffStages(a, b, out, key);
  diffTiers(a, b, out, key);
}

// ---------------------------------------------------------------------------------------------
// Schema

/** A type as the diff shows it: `number`, `list of text`, `one of [a, b]`. */
export function typeText(type: FieldType): string {
  switch (type.kind) {
    case 'list':
      return 'list of text';
    case 'one-of':
      return type.written.length > 0 ? `one of [${type.written.join(', ')}]` : 'one of []';
    default:
      return type.kind;
  }
}

function sameType(a: FieldType, b: FieldType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'one-of' && b.kind === 'one-of') {
    const left = [...new Set(a.values)].sort();
    const right = [...new Set(b.values)].sort();
    return left.length === right.length && left.every((v, i) => v === right[i]);
  }
  return true;
}

/** Fields (or properties) added, removed or retyped from `oldFields` to `newFields`, as made by the three callbacks. */
export function diffFields(
  oldFields: ReadonlyMap<string, FieldInfo>,
  newFields: ReadonlyMap<string, FieldInfo>,
  added: (name: string, type: string) => SemanticChange,
  removed: (name: string, type: string) => SemanticChange,
  retyped: (name: string, type: ValueChange<string>) => SemanticChange,
  out: SemanticChange[],
): void {
  for (const [name, field] of newFields) {
    const before = oldFields.get(name);
    if (before === undefined) out.push(added(name, typeText(field.type)));
    else if (!sameType(before.type, field.type)) out.push(retyped(name, { old: typeText(before.type), new: typeText(field.type) }));
  }
  for (const [name, field] of oldFields) if (!newFields.has(name)) out.push(removed(name, typeText(field.type)));
}

/** Words in `after` and not in `before`, and the reverse, each sorted. */
function wordChanges(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const old = new Set(before);
  const now = new Set(after);
  return { added: [...now].filter((w) => !old.has(w)).sort(), removed: [...old].filter((w) => !now.has(w)).sort() };
}

/** Fields kept in both versions whose column or own placeholders changed. */
export function diffReadings(
  oldFields: ReadonlyMap<string, FieldInfo>,
  newFields: ReadonlyMap<string, FieldInfo>,
  event: string | undefined,
  out: SemanticChange[],
): void {
  for (const [name, field] of newFields) {
    const before = oldFields.get(name);
    if (before === undefined) continue;
    const column = (before.column ?? null) === (field.column ?? null) ? undefined : { old: before.column ?? null, new: field.column ?? null };
    const words = wordChanges(before.missing ?? [], field.missing ?? []);
    const missing = words.added.length + words.removed.length > 0 ? words : undefined;
    if (column === undefined && missing === undefined) continue;
    out.push({
      kind: 'field-reading-changed',
      name,
      ...(event !== undefined ? { event } : {}),
      ...(column !== undefined ? { column } : {}),
      ...(missing !== undefined ? { missing } : {}),
    });
  }
}

const NUMBERS_TEXT = { plain: 'plain', 'decimal-comma': 'decimal comma', 'decimal-point': 'decimal point' } as const;
const DATES_TEXT = { iso: 'iso', 'day-first': 'day first', 'month-first': 'month first' } as const;

/** The `data` block: every reader of the data follows it, so each setting is a change in meaning. */
function diffDialect(a: Model, b: Model, out: SemanticChange[]): void {
  if (a.dialect.numbers !== b.dialect.numbers) {
    out.push({ kind: 'data-setting-changed', setting: 'numbers', value: { old: NUMBERS_TEXT[a.dialect.numbers], new: NUMBERS_TEXT[b.dialect.numbers] } });
  }
  if (a.dialect.dates !== b.dialect.dates) {
    out.push({ kind: 'data-setting-changed', setting: 'dates', value: { old: DATES_TEXT[a.dialect.dates], new: DATES_TEXT[b.dialect.dates] } });
  }
  const lists = [
    ['missing', a.dialect.missing, b.dialect.missing],
    ['true', a.dialect.trueWords, b.dialect.trueWords],
    ['false', a.dialect.falseWords, b.dialect.falseWords],
  ] as const;
  for (const [setting, before, after] of lists) {
    const { added, removed } = wordChanges(before, after);
    if (added.length + removed.length > 0) out.push({ kind: 'data-words-changed', setting, added, removed });
  }
}

/** Declared fields only: the synthetic `account.*` fields are reported as account fields. */
function declaredFields(model: Model): ReadonlyMap<string, FieldInfo> {
  return new Map([...model.fields].filter(([, info]) => info.synthetic === undefined));
}

function diffSchema(a: Model, b: Model, out: SemanticChange[]): void {
  const oldFields = declaredFields(a);
  const newFields = declaredFields(b);
  diffFields(
    oldFields,
    newFields,
    (name, type) => ({ kind: 'field-added', name, type }),
    (name, type) => ({ kind: 'field-removed', name, type }),
    (name, type) => ({ kind: 'field-retyped', name, type }),
    out,
  );
  for (const [name, event] of b.events) {
    const before = a.events.get(name);
    if (before === undefined) {
      out.push({ kind: 'event-added', name, properties: [...event.properties.values()].map((p) => `${p.name}: ${typeText(p.type)}`) });
      continue;
    }
    diffFields(
      before.properties,
      event.properties,
      (property, type) => ({ kind: 'property-added', event: name, name: property, type }),
      (property, type) => ({ kind: 'property-removed', event: name, name: property, type }),
      (property, type) => ({ kind: 'property-retyped', event: name, name: property, type }),
      out,
    );
  }
  for (const name of a.events.keys()) if (!b.events.has(name)) out.push({ kind: 'event-removed', name });
  diffReadings(oldFields, newFields, undefined, out);
  for (const [name, event] of b.events) {
    const before = a.events.get(name);
    if (before !== undefined) diffReadings(before.properties, event.properties, name, out);
  }
  diffDialect(a, b, out);
}

// ---------------------------------------------------------------------------------------------
// Lets and segments

function letText(info: LetInfo): string {
  return valueText(info.decl.value);
}

/** Text values count by their folded form: every text comparison folds. */
function letKey(info: LetInfo): string {
  const v = info.value;
  switch (v.kind) {
    case 'text':
      return `text:${v.folded}`;
    case 'list':
      return `list:${JSON.stringify(v.folded)}`;
    case 'date':
      return `date:${v.epochSeconds}`;
    default:
      return `${v.kind}:${String(v.value)}`;
  }
}

function diffLets(a: Model, b: Model, out: SemanticChange[]): void {
  for (const [name, info] of b.lets) {
    const before = a.lets.get(name);
    if (before === undefined) out.push({ kind: 'let-added', name, value: letText(info) });
    else if (letKey(before) !== letKey(info)) out.push({ kind: 'let-changed', name, value: { old: letText(before), new: letText(info) } });
  }
  for (const [name, info] of a.lets) if (!b.lets.has(name)) out.push({ kind: 'let-removed', name, value: letText(info) });
}

function diffSegments(a: Model, b: Model, out: SemanticChange[], key: CondKeyOf): void {
  for (const [name, info] of b.segments) {
    const before = a.segments.get(name);
    const text = conditionText(info.decl.condition);
    if (before === undefined) {
      out.push({ kind: 'segment-added', name, condition: text });
      continue;
    }
    const oldText = conditionText(before.decl.condition);
    if (!sameCondition(oldText, before.condition, text, info.condition, key)) {
      out.push({ kind: 'segment-changed', name, condition: { old: oldText, new: text } });
    }
  }
  for (const [name, info] of a.segments) {
    if (!b.segments.has(name)) out.push({ kind: 'segment-removed', name, condition: conditionText(info.decl.condition) });
  }
}

// ---------------------------------------------------------------------------------------------
// Conditions

/** A resolved condition without positions or field types (a retyped field is reported once). */
export function condKey(cond: Cond | EventQuery | undefined): string {
  return JSON.stringify(cond ?? null, (key, value: unknown) => (key === 'range' || key === 'type' ? undefined : value));
}

function sameCondition(
  oldText: string,
  oldCond: Cond | EventQuery | undefined,
  newText: string,
  newCond: Cond | EventQuery | undefined,
  key: CondKeyOf,
): boolean {
  return oldText === newText || key(oldCond) === key(newCond);
}

// ---------------------------------------------------------------------------------------------
// Groups and score range

function diffGroups(a: Model, b: Model, out: SemanticChange[]): void {
  const oldGroups = new Map(a.groups.map((g) => [g.name, g]));
  const newNames = new Set(b.groups.map((g) => g.name));
  for (const g of b.groups) {
    const before = oldGroups.get(g.name);
    if (before === undefined) {
      out.push({ kind: 'group-added', group: { name: g.name, min: g.min, max: g.max } });
      continue;
    }
    if (before.min !== g.min || before.max !== g.max) {
      out.push({
        kind: 'group-bounds-changed',
        name: g.name,
        ...(before.min !== g.min ? { min: { old: before.min, new: g.min } } : {}),
        ...(before.max !== g.max ? { max: { old: before.max, new: g.max } } : {}),
      });
    }
  }
  for (const g of a.groups) {
    if (!newNames.has(g.name)) out.push({ kind: 'group-removed', group: { name: g.name, min: g.min, max: g.max } });
  }
}

function diffScoreRange(a: Model, b: Model, out: SemanticChange[]): void {
  const before = a.scoreRange;
  const after = b.scoreRange;
  if (before?.min === after?.min && before?.max === after?.max) return;
  out.push({
    kind: 'score-range-changed',
    range: {
      old: before === null ? null : { min: before.min, max: before.max },
      new: after === null ? null : { min: after.min, max: after.max },
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Rules

/** What the diff shows of a rule. */
export function summarizeRule(rule: RuleInfo): RuleSummary {
  return {
    index: rule.index,
    kind: rule.kind,
    group: rule.group,
    label: rule.hasLabel ? rule.label : null,
    points: rule.points,
    line: rule.line,
    source: statementText(rule.decl),
    condition: ruleConditionText(rule),
  };
}

export function ruleConditionText(rule: RuleInfo): string {
  return rule.kind === 'when' ? conditionText(rule.decl.condition) : eachQueryText(rule.decl);
}

function ruleConditionKey(rule: RuleInfo, key: CondKeyOf = condKey): string {
  return rule.kind === 'when' ? key(rule.condition) : key(rule.query);
}

function halfLifeText(rule: EachRuleInfo): string | null {
  return rule.decl.halfLife === undefined ? null : durationText(rule.decl.halfLife);
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };
type RuleDetails = Writable<Omit<RuleChanged, 'kind' | 'old' | 'new' | 'matchedBy'>>;

/** `half-life 30 days` / `decay 25% per month` as written (null: none). */
function writtenDecay(halfLife: Duration | undefined, linear: LinearDecay | undefined): string | null {
  if (halfLife !== undefined) return `half-life ${durationText(halfLife)}`;
  if (linear === undefined) return null;
  const period = linear.period.amount === undefined ? linear.period.unitRaw : `${linear.period.amount.raw} ${linear.period.unitRaw}`;
  return `decay ${linear.percent.raw}% per ${period}`;
}

/**
 * The decay a rule follows (its own, else its group's, as lowering resolves it), as written,
 * with its meaning for comparing: `half-life 30 days` and `half-life 1 month` are one decay.
 */
function ruleDecay(model: Model, rule: RuleInfo): { readonly text: string | null; readonly key: string } {
  const group = rule.group === null ? undefined : model.groups.find((g) => g.name === rule.group);
  const decay = effectiveDecay(rule, group?.decay);
  if (decay === undefined) return { text: null, key: '' };
  const own = rule.decay !== undefined;
  const text = own ? writtenDecay(rule.decl.halfLife, rule.decl.linearDecay) : group === undefined ? null : `${writtenDecay(group.decl.halfLife, group.decl.linearDecay) ?? ''} (group \`${group.name}\`)`;
  return { text, key: JSON.stringify(decay) };
}

function limitWritten(rule: RuleInfo): { readonly text: string | null; readonly key: string } {
  if (rule.kind !== 'each' || rule.limit === undefined || rule.decl.limit === undefined) return { text: null, key: '' };
  const l = rule.decl.limit;
  const period = l.period.amount === undefined ? l.period.unitRaw : `${l.period.amount.raw} ${l.period.unitRaw}`;
  return { text: `at most ${l.count === undefined ? 'once' : l.count.raw} per ${period}`, key: JSON.stringify(rule.limit) };
}

function compareRules(before: RuleInfo, after: RuleInfo, matchedBy: RuleChanged['matchedBy'], a: Model, b: Model, key: CondKeyOf): RuleChanged | null {
  const oldSummary = summarizeRule(before);
  const newSummary = summarizeRule(after);
  const details: RuleDetails = {};
  if (before.kind !== after.kind) details.ruleKind = { old: before.kind, new: after.kind };
  if (before.points !== after.points) details.points = { old: before.points, new: after.points };
  const conditionChanged =
    oldSummary.condition !== newSummary.condition &&
    (before.kind !== after.kind || ruleConditionKey(before, key) !== ruleConditionKey(after, key));
  if (conditionChanged) details.condition = { old: oldSummary.condition, new: newSummary.condition };
  if (before.group !== after.group) details.group = { old: before.group, new: after.group };
  if (oldSummary.label !== newSummary.label) details.label = { old: oldSummary.label, new: newSummary.label };
  const oldCap = before.kind === 'each' ? (before.cap ?? null) : null;
  const newCap = after.kind === 'each' ? (after.cap ?? null) : null;
  if (oldCap !== newCap) details.cap = { old: oldCap, new: newCap };
  const oldHalfLife = before.kind === 'each' ? (before.halfLifeSeconds ?? null) : null;
  const newHalfLife = after.kind === 'each' ? (after.halfLifeSeconds ?? null) : null;
  if (oldHalfLife !== newHalfLife) {
    details.halfLife = {
      old: before.kind === 'each' ? halfLifeText(before) : null,
      new: after.kind === 'each' ? halfLifeText(after) : null,
    };
  }
  // Decay (own or the group's) and run limits change what the rule gives: changes in meaning.
  const oldDecay = ruleDecay(a, before);
  const newDecay = ruleDecay(b, after);
  if (oldDecay.key !== newDecay.key) details.decay = { old: oldDecay.text, new: newDecay.text };
  const oldLimit = limitWritten(before);
  const newLimit = limitWritten(after);
  if (oldLimit.key !== newLimit.key) details.limit = { old: oldLimit.text, new: newLimit.text };
  if (Object.keys(details).length === 0) return null;
  return { kind: 'rule-changed', old: oldSummary, new: newSummary, matchedBy, ...details };
}

function diffRules(a: Model, b: Model, out: SemanticChange[], key: CondKeyOf): void {
  const { pairs, removed, added } = matchRules(a.rules, b.rules, {
    conditionKey: (rule) => ruleConditionKey(rule, key),
    conditionText: ruleConditionText,
  });
  // In the new file's order; a removed rule goes after the new rule that follows its old neighbour.
  type Placed = { readonly at: number; readonly tie: number; readonly change: SemanticChange };
  const placed: Placed[] = [];
  const newIndexOfOld = new Map<number, number>();
  for (const p of pairs) newIndexOfOld.set(p.old.index, p.new.index);
  for (const p of pairs) {
    const changed = compareRules(p.old, p.new, p.matchedBy, a, b, key);
    if (changed !== null) placed.push({ at: p.new.index, tie: 0, change: changed });
  }
  for (const rule of added) placed.push({ at: rule.index, tie: 0, change: { kind: 'rule-added', rule: summarizeRule(rule) } });
  for (const rule of removed) {
    let at = -1;
    for (let i = rule.index - 1; i >= 0; i--) {
      const mapped = newIndexOfOld.get(i);
      if (mapped !== undefined) {
        at = mapped;
        break;
      }
    }
    placed.push({ at: at + 0.5, tie: rule.index, change: { kind: 'rule-removed', rule: summarizeRule(rule) } });
  }
  placed.sort((x, y) => x.at - y.at || x.tie - y.tie);
  for (const p of placed) out.push(p.change);
}

// ---------------------------------------------------------------------------------------------
// Stages and tiers

/**
 * A stage's `requires` items, each with a key of its meaning (a field that must be set, or a
 * condition's tree without positions) and its text: the bare fields, then the conditions.
 */
function requirementItems(stage: StageInfo, key: CondKeyOf = condKey): { readonly key: string; readonly text: string }[] {
  return [
    ...stage.requires.map((field) => ({ key: `field:${field}`, text: field })),
    ...(stage.conditions ?? []).map((part) => ({ key: `cond:${key(part.cond)}`, text: part.text })),
  ];
}

function stageSummary(stage: StageInfo): StageSummary {
  return {
    name: stage.name,
    threshold: stage.threshold,
    requires: requirementItems(stage).map((item) => item.text),
    condition: stage.decl.when === undefined ? null : conditionText(stage.decl.when),
  };
}

/** Whether the names both lists hold come in a different order. */
function reordered(before: readonly string[], after: readonly string[]): boolean {
  const common = new Set(before.filter((n) => after.includes(n)));
  const x = before.filter((n) => common.has(n));
  const y = after.filter((n) => common.has(n));
  return x.some((n, i) => n !== y[i]);
}

function diffStages(a: Model, b: Model, out: SemanticChange[], key: CondKeyOf): void {
  const oldStages = new Map(a.stages.map((s) => [s.name, s]));
  const newNames = new Set(b.stages.map((s) => s.name));
  for (const stage of b.stages) {
    const before = oldStages.get(stage.name);
    if (before === undefined) {
      out.push({ kind: 'stage-added', stage: stageSummary(stage) });
      continue;
    }
    const details: Writable<Omit<Extract<SemanticChange, { kind: 'stage-changed' }>, 'kind' | 'name'>> = {};
    if (before.threshold !== stage.threshold) details.threshold = { old: before.threshold, new: stage.threshold };
    // Compared by meaning: `requires email not ends "x"` written again with other spacing is no change.
    const oldItems = requirementItems(before, key);
    const newItems = requirementItems(stage, key);
    const oldKeys = new Set(oldItems.map((item) => item.key));
    const newKeys = new Set(newItems.map((item) => item.key));
    const addedFields = newItems.filter((item) => !oldKeys.has(item.key)).map((item) => item.text);
    const removedFields = oldItems.filter((item) => !newKeys.has(item.key)).map((item) => item.text);
    if (addedFields.length > 0 || removedFields.length > 0) details.requires = { added: addedFields, removed: removedFields };
    const oldText = before.decl.when === undefined ? null : conditionText(before.decl.when);
    const newText = stage.decl.when === undefined ? null : conditionText(stage.decl.when);
    if (oldText !== newText && key(before.when) !== key(stage.when)) details.condition = { old: oldText, new: newText };
    if (Object.keys(details).length > 0) out.push({ kind: 'stage-changed', name: stage.name, ...details });
  }
  for (const stage of a.stages) if (!newNames.has(stage.name)) out.push({ kind: 'stage-removed', stage: stageSummary(stage) });
  const before = a.stages.map((s) => s.name);
  const after = b.stages.map((s) => s.name);
  if (reordered(before, after)) out.push({ kind: 'stages-reordered', order: { old: before, new: after } });
}

function diffTiers(a: Model, b: Model, out: SemanticChange[], key: CondKeyOf): void {
  const oldTiers = new Map(a.tiers.map((t) => [t.name, t]));
  const newNames = new Set(b.tiers.map((t) => t.name));
  for (const tier of b.tiers) {
    const before = oldTiers.get(tier.name);
    const text = conditionText(tier.decl.condition);
    if (before === undefined) {
      out.push({ kind: 'tier-added', name: tier.name, condition: text });
      continue;
    }
    const oldText = conditionText(before.decl.condition);
    if (!sameCondition(oldText, before.condition, text, tier.condition, key)) {
      out.push({ kind: 'tier-changed', name: tier.name, condition: { old: oldText, new: text } });
    }
  }
  for (const tier of a.tiers) {
    if (!newNames.has(tier.name)) out.push({ kind: 'tier-removed', name: tier.name, condition: conditionText(tier.decl.condition) });
  }
  const before = a.tiers.map((t) => t.name);
  const after = b.tiers.map((t) => t.name);
  if (reordered(before, after)) out.push({ kind: 'tiers-reordered', order: { old: before, new: after } });
}
