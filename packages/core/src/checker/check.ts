/**
 * The checker: from a parsed {@link RubricFile} to the checked {@link Model}, every diagnostic
 * of the checks in LANGUAGE.md ("What is checked before anything runs"), and the symbol table.
 *
 * The steps, each in its own file: declarations (names, duplicates, schema rules), types and
 * values (`let`s, field types, literals), conditions (names, operators, values -> `Cond`),
 * rules and groups, stages and tiers, tests, dependencies (cycles, group order), reachability
 * (score bounds, stage checks), conditions that never hold, duplicate rules and group caps, and
 * unused declarations.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Condition, Identifier, Range, RubricFile, StageDecl } from '../syntax/ast.js';
import { ConditionIds } from './cond-utils.js';
import { checkConditionSizes, ConditionSizes, NeverFiresGuard, type SizedCondition } from './condition-sizes.js';
import { CheckContext } from './context.js';
import { checkDependencies } from './cycles.js';
import { collectDeclarations, describeKind } from './declarations.js';
import { collectTables } from './tables.js';
import { addLeadBlockFix } from './fixes.js';
import { buildDialect, checkDataDialect, fieldReading } from './data-dialect.js';
import { type EventInfo, type FieldInfo, type GroupInfo, type Model, type SegmentInfo, type StageInfo, type StagePart, type Cond, type SymbolTable, type TierInfo } from './model.js';
import { checkNeverFires, type Knowledge, type NeverFiresTarget } from './never-fires.js';
import { checkNumbers } from './number-range.js';
import { checkStages, computeReach, type StageDraft } from './reachability.js';
import { ConditionResolver } from './resolve-condition.js';
import { buildRules, checkDuplicateRules, checkGroupCaps } from './rules.js';
import { checkTests } from './tests.js';
import { checkDates, ValueResolver } from './types-and-values.js';
import { checkUnused } from './unused.js';
import { namesInBrokenStatements } from './broken-statements.js';
import { reportUnknownField } from './unknown-names.js';
import { formatName } from './source-text.js';
import { startAccounts } from './accounts.js';

/** What {@link check} returns. */
export interface CheckResult {
  /** The checked model (best effort when there are errors: unresolved parts are false). */
  readonly model: Model;
  /** Checker diagnostics only (not the parser's), sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
  readonly symbols: SymbolTable;
}

/** What the checker may know beyond the tree. */
export interface CheckOptions {
  /**
   * The ranges of the parser's errors. A statement that did not parse is not in the tree, so the
   * names its text mentions are not reported as unused (R026): the use is there, unread.
   */
  readonly syntaxErrors?: readonly Range[];
}

/**
 * Checks a parsed file against its own declarations. Never throws, whatever the tree (a
 * recovered parse may lack optional parts). Errors stop compilation; warnings never do.
 */
export function check(ast: RubricFile, options: CheckOptions = {}): CheckResult {
  return checkLevel(ast, options, undefined);
}

/**
 * Issue 17: what the check of a `score accounts` block (a model of its own, see
 * {@link AccountModel.scoring}) adds to a plain check, called by accounts.ts.
 */
export interface LevelHooks {
  /** After the schema is resolved, before any condition: the synthetic fields, the level's hints. */
  prepare(ctx: CheckContext, values: ValueResolver): void;
}

/** {@link check}, or with `level` the check of an account scoring (accounts.ts). */
export function checkLevel(ast: RubricFile, options: CheckOptions, level: LevelHooks | undefined): CheckResult {
  const ctx = new CheckContext(ast);
  collectDeclarations(ctx, ast);
  collectTables(ctx, ast);

  const values = new ValueResolver(ctx);
  values.resolveAllLets();
  for (const [name, decl] of ctx.fieldDecls) {
    const type = values.fieldType(decl.type);
    if (type !== undefined) ctx.fields.set(name, { name, type, decl, ...fieldReading(decl) });
  }
  for (const [name, decl] of ctx.eventDecls) {
    const properties = new Map<string, FieldInfo>();
    for (const [propertyName, propertyDecl] of ctx.propertyDecls.get(name) ?? []) {
      const type = values.fieldType(propertyDecl.type);
      if (type !== undefined) properties.set(propertyName, { name: propertyName, type, decl: propertyDecl, ...fieldReading(propertyDecl) });
    }
    const info: EventInfo = { name, properties, decl };
    ctx.events.set(name, info);
  }
  // Issue 17: the account side (synthetic `account.*` fields first, the rest after the contact rules).
  const accounts = level === undefined ? startAccounts(ctx, values, ast) : undefined;
  level?.prepare(ctx, values);

  const resolver = new ConditionResolver(ctx, values);
  const statements = (ast.statements ?? []).filter((s) => s !== undefined && s !== null);

  const segments = new Map<string, SegmentInfo>();
  const neverTargets: NeverFiresTarget[] = [];
  for (const statement of statements) {
    if (statement.kind !== 'SegmentDecl' || statement.name === undefined) continue;
    const resolved = resolver.resolve(statement.condition, { owner: 'segment' }, statement.range);
    if (ctx.segmentDecls.get(statement.name.name) !== statement) continue;
    segments.set(statement.name.name, { name: statement.name.name, condition: resolved.value, decl: statement });
    if (resolved.complete) {
      neverTargets.push({
        cond: resolved.value,
        range: statement.condition?.range ?? statement.range,
        subject: `segment \`${statement.name.name}\` can never hold`,
        help: 'fix the bounds or values so the tests can hold together',
      });
    }
  }

  const built = buildRules(ctx, resolver, ast);
  // Indexed loops over the rules (here and below): a `for...of` in code that runs once per check
  // (never optimized) made an iterator result per rule.
  for (let i = 0; i < built.rules.length; i++) {
    const draft = built.rules[i];
    if (!draft.complete) continue;
    const info = draft.info;
    if (info.kind === 'when') {
      neverTargets.push({ cond: info.condition, range: info.decl.condition?.range ?? info.range, subject: 'this rule can never fire', help: 'fix the condition so it can hold, or remove the rule' });
    } else if (info.query.where !== undefined) {
      neverTargets.push({
        cond: info.query.where,
        range: info.decl.where?.range ?? info.range,
        subject: `this rule can never fire: no \`${info.query.event}\` can match its \`where\``,
        help: 'fix the `where` so it can hold, or remove the rule',
      });
    }
  }

  const stages: StageDraft[] = [];
  const tiers: TierInfo[] = [];
  for (const statement of statements) {
    if (statement.kind === 'StageDecl' && statement.name !== undefined) {
      const draft = buildStage(ctx, resolver, statement);
      if (ctx.stageDecls.get(statement.name.name) === statement) stages.push(draft);
    } else if (statement.kind === 'TierDecl' && statement.name !== undefined) {
      const resolved = resolver.resolve(statement.condition, { owner: 'tier' }, statement.range);
      if (ctx.tierDecls.get(statement.name.name) !== statement) continue;
      tiers.push({ name: statement.name.name, condition: resolved.value, decl: statement });
      if (resolved.complete) {
        neverTargets.push({
          cond: resolved.value,
          range: statement.condition?.range ?? statement.range,
          subject: `tier \`${statement.name.name}\` can never be chosen`,
          help: 'fix its condition so it can hold, or remove the tier',
        });
      }
    }
  }

  checkTests(ctx, values, built.rules.map((draft) => draft.info));
  checkDates(ctx, statements);
  checkNumbers(ctx, statements);

  const dependencies = checkDependencies(ctx, segments, built.groups);
  const groups: GroupInfo[] = built.groups.map((g) => ({
    name: g.name,
    min: g.min,
    max: g.max,
    ...(g.decay !== undefined ? { decay: g.decay } : {}),
    rules: g.rules,
    // Worked out when read (by hover): for every group at once it can be quadratic.
    get dependsOn(): readonly string[] {
      return dependencies.dependsOn(g.name);
    },
    decl: g.decl,
  }));
  const rangeDecl = ctx.scoreRangeDecl;
  const scoreRange =
    rangeDecl !== undefined && Number.isFinite(rangeDecl.min?.value) && Number.isFinite(rangeDecl.max?.value)
      ? { min: rangeDecl.min.value, max: rangeDecl.max.value }
      : null;
  const rules = built.rules.map((d) => d.info);
  const reach = computeReach(rules, built.groups, scoreRange);

  // Sizes with segments written out, from per-segment sizes: too large is R039, and nothing
  // after this expands a condition without asking the guard.
  const sizes = new ConditionSizes(segments, dependencies.segmentsInCycles);
  const sized: SizedCondition[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    const cond = rule.kind === 'when' ? rule.condition : rule.query.where;
    const range = rule.kind === 'when' ? rule.decl.condition?.range : rule.decl.where?.range;
    if (cond !== undefined) sized.push({ cond, range: range ?? rule.range, what: 'this condition' });
  }
  for (const stage of stages) {
    if (stage.info.when !== undefined) sized.push({ cond: stage.info.when, range: stage.info.decl.when?.range ?? stage.info.decl.range, what: 'this condition' });
    for (const part of stage.info.conditions) sized.push({ cond: part.cond, range: part.cond.range, what: 'this condition' });
  }
  for (const tier of tiers) sized.push({ cond: tier.condition, range: tier.decl.condition?.range ?? tier.decl.range, what: 'this condition' });
  checkConditionSizes(ctx, sizes, segments, sized);
  let writtenNodes = 0;
  for (let i = 0; i < sized.length; i++) writtenNodes += ConditionSizes.written(sized[i].cond);
  for (const segment of segments.values()) writtenNodes += ConditionSizes.written(segment.condition);
  const guard = new NeverFiresGuard(sizes, writtenNodes);
  const knowledge: Knowledge = { source: ctx.source, segments, groups: reach.groups, score: reach.score, queries: new ConditionIds(), guard };

  checkNeverFires((range, message, help) => ctx.report('R020', range, message, { help }), neverTargets, knowledge);
  checkStages(ctx, stages, reach, built.groups, scoreRange, knowledge);
  checkDuplicateRules(ctx, built.rules);
  checkGroupCaps(ctx, built.groups);
  // Before R026: what the account rules read counts as used.
  const account = accounts?.finish({ resolver, values, options, segments, stages: stages.map((s) => s.info), tiers }) ?? null;
  checkUnused(ctx, namesInBrokenStatements(ast, options.syntaxErrors ?? []));

  if (ctx.leads.length === 0) {
    const missing = [...ctx.missingFields.values()];
    const names = missing.map((f) => `\`${f.name}\``);
    ctx.report('R027', ctx.source.rangeAt(0, 0), 'the file has no `lead` block; declare the fields of a lead in one', {
      help: names.length === 0 ? 'add `lead { name: type ... }` at the top of the file' : `the rules read ${names.join(', ')}: declare them in a \`lead\` block at the top of the file`,
      fixes: [addLeadBlockFix(ctx, missing)],
    });
  }

  const dialect = buildDialect(ast);
  checkDataDialect(ctx, ast, dialect, { rules, segments, stages: stages.map((s) => s.info), tiers });

  const model: Model = {
    file: ast,
    fields: ctx.fields,
    events: ctx.events,
    lets: ctx.lets,
    segments,
    groups,
    groupOrder: dependencies.groupOrder,
    rules,
    scoreRange,
    stages: stages.map((s) => s.info),
    tiers,
    tests: ctx.testDecls,
    dialect,
    tables: ctx.tables,
    account,
  };
  const diagnostics = [...ctx.diagnostics].sort(
    (a, b) => a.range.start.offset - b.range.start.offset || a.range.end.offset - b.range.end.offset || a.code.localeCompare(b.code),
  );
  const references = [...ctx.references].sort((a, b) => a.range.start.offset - b.range.start.offset || a.range.end.offset - b.range.end.offset);
  return { model, diagnostics, symbols: { declarations: ctx.declarations, references } };
}

function buildStage(ctx: CheckContext, resolver: ConditionResolver, decl: StageDecl): StageDraft {
  const requires: string[] = [];
  const conditions: StagePart[] = [];
  let complete = true;
  // A tree built by hand (or an older one) may have only the bare names.
  const items: readonly Condition[] =
    decl.requirements ?? (decl.requires ?? []).filter((id) => id !== undefined).map((id): Condition => ({ kind: 'Ref', ref: { kind: 'NameRef', name: id, range: id.range }, range: id.range }));
  // What each item means (a field, or a condition's tree without positions), to spot repeats.
  const seen = new Set<string>();
  const repeated = (key: string, index: number): void => {
    if (!seen.has(key)) {
      seen.add(key);
      return;
    }
    const item = items[index];
    const text = ctx.source.collapsed(item.range);
    ctx.report('R061', item.range, `\`requires\` lists \`${text}\` twice`, {
      help: 'the stage needs it once: remove the repeated item',
      // From the end of the item before it, so its comma goes too.
      fixes: [{ title: `remove the second \`${text}\``, edits: [{ range: ctx.source.rangeAt(items[index - 1]?.range?.end.offset ?? item.range.start.offset, item.range.end.offset), newText: '' }] }],
    });
  };
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    if (item === undefined) continue;
    if (item.kind === 'Ref' && item.ref?.name !== undefined) {
      const id = item.ref.name;
      const name = id.name;
      const field = ctx.fields.get(name);
      if (field !== undefined) {
        ctx.reference('field', name, id.range);
        repeated(`field:${name}`, index);
        if (!requires.includes(name)) requires.push(name);
        if (field.type.kind === 'bool') reportBareBool(ctx, id);
        continue;
      }
      if (ctx.fieldDecls.has(name)) continue;
      const kind = ctx.conditionNameKind(name);
      if (kind === 'group' || kind === 'let') {
        ctx.reference(kind, name, id.range);
        ctx.report('R010', id.range, `\`requires\` takes lead fields and conditions, but \`${name}\` is ${describeKind(kind)}`, {
          help: kind === 'group' ? `to require a group's value, write \`requires ${formatName(name)} >= N\`` : 'list the lead fields that must be set or the conditions that must hold, e.g. `requires email, phone`',
        });
        continue;
      }
      if (kind === undefined) {
        reportUnknownField(ctx, id, 'text');
        continue;
      }
      // A segment: a condition like any other.
    }
    const resolved = resolver.resolve(bareFieldsSet(ctx, item), { owner: 'stage' }, decl.range);
    complete &&= resolved.complete;
    if (resolved.complete) repeated(`cond:${meaningKey(resolved.value)}`, index);
    conditions.push(stagePart(ctx, resolved.value));
  }
  const threshold = decl.threshold !== undefined && Number.isFinite(decl.threshold.value) ? decl.threshold.value : Number.NaN;
  let info: StageInfo = { name: decl.name.name, threshold, requires, conditions, whenParts: [], decl };
  if (decl.when !== undefined) {
    const resolved = resolver.resolve(decl.when, { owner: 'stage' }, decl.range);
    complete &&= resolved.complete;
    const whenParts: StagePart[] = [];
    for (const conjunct of flatten(resolved.value, 'and')) whenParts.push(stagePart(ctx, conjunct));
    info = { ...info, when: resolved.value, whenParts };
  }
  return { info, complete };
}

/**
 * A `requires` item with the bare lead-field names among its `or` alternatives read as
 * `FIELD is set` (`requires phone or email`), as a bare field alone is; parentheses change
 * nothing (`requires (phone or mobile), email`, `requires (email)`). `and` and `not` are not
 * entered: there a bare text field is the usual error.
 */
function bareFieldsSet(ctx: CheckContext, item: Condition): Condition {
  if (item?.kind === 'Paren') return item.inner === undefined ? item : { ...item, inner: bareFieldSet(ctx, item.inner) };
  if (item?.kind !== 'Or') return item;
  return { ...item, operands: item.operands.map((operand) => bareFieldSet(ctx, operand)) };
}

/** {@link bareFieldsSet} for an alternative or a parenthesised item: a bare field is `FIELD is set`. */
function bareFieldSet(ctx: CheckContext, operand: Condition): Condition {
  if (operand?.kind === 'Ref' && operand.ref?.name !== undefined && ctx.fieldDecls.has(operand.ref.name.name)) {
    if (ctx.fields.get(operand.ref.name.name)?.type.kind === 'bool') reportBareBool(ctx, operand.ref.name);
    return { kind: 'Is', subject: operand.ref, test: 'set', range: operand.range };
  }
  return bareFieldsSet(ctx, operand);
}

/** R060: a bool field's bare name in `requires` (alone, in an `or` or in parentheses) asks only that it is set. */
function reportBareBool(ctx: CheckContext, id: Identifier): void {
  const name = id.name;
  ctx.report('R060', id.range, `\`requires ${formatName(name)}\` only asks that \`${name}\` is set (true or false), not that it is true`, {
    help: `to require true, write \`requires ${formatName(name)} is true\`; to require a value of either kind, write \`requires ${formatName(name)} is set\``,
    fixes: [
      { title: `write \`${formatName(name)} is true\``, edits: [{ range: id.range, newText: `${ctx.source.written(id)} is true` }] },
      { title: `write \`${formatName(name)} is set\``, edits: [{ range: id.range, newText: `${ctx.source.written(id)} is set` }] },
    ],
  });
}

/** A condition's tree without its positions: equal for two items that say the same thing. */
function meaningKey(cond: Cond): string {
  return JSON.stringify(cond, (key, value: unknown) => (key === 'range' ? undefined : value));
}

/** `cond` as a part of a stage, an `or` with its alternatives. */
function stagePart(ctx: CheckContext, cond: Cond): StagePart {
  const alternatives = cond.kind === 'or' ? flatten(cond, 'or').map((c) => stagePart(ctx, c)) : [];
  return { text: ctx.source.collapsed(cond.range), cond, alternatives };
}

/** The operands of nested `kind` nodes (`a and (b and c)` -> a, b, c), iteratively. */
function flatten(cond: Cond, kind: 'and' | 'or'): Cond[] {
  const out: Cond[] = [];
  const work: Cond[] = [cond];
  while (work.length > 0) {
    const next = work.pop() as Cond;
    if (next.kind === kind) {
      for (let i = next.operands.length - 1; i >= 0; i--) work.push(next.operands[i]);
    } else {
      out.push(next);
    }
  }
  return out;
}
