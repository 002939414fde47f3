/**
 * The semantic diff of the account side (issue 17): the `account` block (key and fields) and the
 * `score accounts` block, read from `Model.account`. Every change found here carries
 * `level: 'account'` and comes after the file's own changes.
 *
 * An account rule reads a value over contacts through a synthetic field (`contacts#1`, ...), whose
 * number depends on source order: conditions are compared with each such field replaced by what
 * it computes (kind, `of`, `top`, `where`), so `count contacts where job = CEO >= 1` and
 * `count contacts where job = CFO >= 1` differ even when both read `contacts#1`, and renumbering
 * alone (an aggregate added above) changes nothing.
 */
import type { AccountModel, Cond, EventQuery, FieldInfo, Model, RuleInfo } from '../checker/model.js';
import type { Range } from '../syntax/ast.js';
import { emptyModel } from '../checker/empty-model.js';
import { diffFields, diffReadings, diffScoring, type CondKeyOf } from './diff-models.js';
import type { SemanticChange } from './types.js';

/** Appends the account-level changes from `a` to `b` to `out`. */
export function diffAccounts(a: Model, b: Model, out: SemanticChange[]): void {
  const before = a.account;
  const after = b.account;
  if (before === null && after === null) return;
  const found: SemanticChange[] = [];
  if (before === null && after !== null) {
    found.push({ kind: 'account-added', key: keyText(after), fields: [...after.fields.keys()] });
  } else if (before !== null && after === null) {
    found.push({ kind: 'account-removed', key: keyText(before) });
  } else if (before !== null && after !== null && keyText(before) !== keyText(after)) {
    found.push({ kind: 'account-key-changed', key: { old: keyText(before), new: keyText(after) } });
  }
  // Fields are listed by `account-added`; a removed account's rules are listed one by one.
  const oldFields = before?.fields ?? new Map<string, FieldInfo>();
  const newFields = after?.fields ?? new Map<string, FieldInfo>();
  if (before !== null && after !== null) {
    diffFields(
      oldFields,
      newFields,
      (name, type) => ({ kind: 'field-added', name, type }),
      (name, type) => ({ kind: 'field-removed', name, type }),
      (name, type) => ({ kind: 'field-retyped', name, type }),
      found,
    );
    diffReadings(oldFields, newFields, undefined, found);
  }
  const oldScoring = before === null ? emptyModel(a.file) : asWritten(before);
  const newScoring = after === null ? emptyModel(b.file) : asWritten(after);
  const key = aggregateKey(before, after);
  diffScoring(oldScoring, newScoring, key, found);
  for (const change of found) out.push({ ...change, level: 'account' });
}

/** `id = company.id`: the account field holding the key, then the lead field holding it. */
function keyText(account: AccountModel): string {
  return `${account.key.accountField} = ${account.key.leadField}`;
}

/**
 * A condition key in which each aggregate field (`contacts#N`) stands for what it computes. The
 * two versions name their aggregates independently, so both maps are consulted (a field name is
 * looked up in the version the condition comes from: conditions are compared old with new, and an
 * aggregate field of one version only resolves through its own model).
 */
function aggregateKey(before: AccountModel | null, after: AccountModel | null): CondKeyOf {
  const oldMap = aggregateMap(before);
  const newMap = aggregateMap(after);
  const keyFor = (map: ReadonlyMap<string, unknown>) => (cond: Cond | EventQuery | undefined): string =>
    JSON.stringify(cond ?? null, (k, value: unknown) => {
      if (k === 'range' || k === 'type') return undefined;
      if (isFieldSubject(value)) {
        const aggregate = map.get(value.name);
        if (aggregate !== undefined) return { kind: 'aggregate', aggregate };
      }
      return value;
    });
  const oldKey = keyFor(oldMap);
  const newKey = keyFor(newMap);
  // Which version a condition belongs to is not passed in; a condition object is from one model
  // only, so it is looked up by identity among the conditions of the old version.
  const oldConds = collectConds(before);
  return (cond) => (cond !== undefined && oldConds.has(cond) ? oldKey(cond) : newKey(cond));
}

function aggregateMap(account: AccountModel | null): ReadonlyMap<string, unknown> {
  const map = new Map<string, unknown>();
  for (const a of account?.aggregates ?? []) map.set(a.field, { kind: a.kind, of: a.of, top: a.top, where: a.where });
  return map;
}

function isFieldSubject(value: unknown): value is { readonly kind: 'field'; readonly name: string } {
  if (value === null || typeof value !== 'object') return false;
  const record = value as { readonly kind?: unknown; readonly name?: unknown };
  return record.kind === 'field' && typeof record.name === 'string';
}

/** Every condition object of an account's scoring model (rules, segments, stages, tiers). */
function collectConds(account: AccountModel | null): ReadonlySet<Cond | EventQuery> {
  const set = new Set<Cond | EventQuery>();
  if (account === null) return set;
  const m = account.scoring;
  for (const rule of m.rules) set.add(rule.kind === 'when' ? rule.condition : rule.query);
  for (const segment of m.segments.values()) set.add(segment.condition);
  for (const stage of m.stages) {
    if (stage.when !== undefined) set.add(stage.when);
    for (const part of stage.conditions ?? []) set.add(part.cond);
  }
  for (const tier of m.tiers) set.add(tier.condition);
  return set;
}

/**
 * The account's scoring model with the declarations as the user wrote them: the checker checks
 * `score accounts` with each test over contacts replaced by a test of its `contacts#N` field, so
 * the scoring model's declarations print `contacts#1 >= 1`; the diff shows
 * `count contacts where job = CEO >= 1`. Declarations are matched by kind and start offset (the
 * replacement keeps ranges); a requirement's text has each field replaced by the test's text.
 */
function asWritten(account: AccountModel): Model {
  const scoring = account.scoring;
  const decl = account.scoringDecl;
  if (decl === null) return scoring;
  const written = new Map<string, unknown>();
  const keyOf = (node: { readonly kind: string; readonly range: Range }): string => `${node.kind}@${node.range.start.offset}`;
  for (const statement of decl.statements) {
    written.set(keyOf(statement), statement);
    if (statement.kind === 'GroupDecl') for (const rule of statement.rules) written.set(keyOf(rule), rule);
  }
  const find = <T extends { readonly kind: string; readonly range: Range }>(node: T): T => (written.get(keyOf(node)) as T | undefined) ?? node;
  const texts = new Map(account.aggregates.map((a) => [a.field, a.text.replace(/\s+/g, ' ').trim()]));
  const substitute = (text: string): string => text.replace(/contacts#\d+/g, (field) => texts.get(field) ?? field);
  const rules = scoring.rules.map((rule): RuleInfo => (rule.kind === 'when' ? { ...rule, decl: find(rule.decl) } : { ...rule, decl: find(rule.decl) }));
  return {
    ...scoring,
    rules,
    segments: new Map([...scoring.segments].map(([name, info]) => [name, { ...info, decl: find(info.decl) }])),
    stages: scoring.stages.map((stage) => ({
      ...stage,
      decl: find(stage.decl),
      ...(stage.conditions === undefined ? {} : { conditions: stage.conditions.map((part) => ({ ...part, text: substitute(part.text) })) }),
    })),
    tiers: scoring.tiers.map((tier) => ({ ...tier, decl: find(tier.decl) })),
  };
}
