/**
 * Tests inside the file: every field, event, property, stage, group and tier a test names must
 * exist, every value must have its field's type, and a test with events or dates needs `now`.
 */
import type { Fix } from '../diagnostics/diagnostic.js';
import type { Expectation, Identifier, ListLiteral, StringLiteral, TestDecl, TestField, Value } from '../syntax/ast.js';
import type { CheckContext } from './context.js';
import type { FieldType, RuleInfo } from './model.js';
import { quoteText } from './source-text.js';
import { checkOneOf, describeConst, describeType, quoteFix, type InferredType, type ValueResolver } from './types-and-values.js';
import { listNames, reportUnknownEvent, reportUnknownField, reportUnknownName, reportUnknownProperty } from './unknown-names.js';

function inferFromTestValue(value: Value | ListLiteral | undefined): InferredType {
  switch (value?.kind) {
    case 'NumberLiteral':
      return 'number';
    case 'BooleanLiteral':
      return 'bool';
    case 'DateLiteral':
      return 'date';
    case 'ListLiteral':
      return 'list of text';
    default:
      return 'text';
  }
}

function hasDate(fields: readonly TestField[]): boolean {
  return fields.some((f) => f.value?.kind === 'DateLiteral' || (f.value?.kind === 'ListLiteral' && f.value.items.some((i) => i.kind === 'DateLiteral')));
}

export function checkTests(ctx: CheckContext, values: ValueResolver, rules: readonly RuleInfo[] = []): void {
  let labels: ReadonlyMap<string, readonly RuleInfo[]> | undefined;
  // Built on the first `expect rule`: most files have none.
  const rulesByLabel = (): ReadonlyMap<string, readonly RuleInfo[]> => (labels ??= groupByLabel(rules));
  // Account tests (issue 17) are checked against the account's model (accounts.ts).
  for (const test of ctx.testDecls) if (test.account === undefined) checkTest(ctx, values, test, rulesByLabel);
}

/** The labelled rules by label (a rule without a label cannot be named by `expect rule`). */
export function groupByLabel(rules: readonly RuleInfo[]): ReadonlyMap<string, readonly RuleInfo[]> {
  const byLabel = new Map<string, RuleInfo[]>();
  for (const rule of rules) {
    if (!rule.hasLabel) continue;
    const same = byLabel.get(rule.label);
    if (same === undefined) byLabel.set(rule.label, [rule]);
    else same.push(rule);
  }
  return byLabel;
}

export function checkTest(ctx: CheckContext, values: ValueResolver, test: TestDecl, rulesByLabel: () => ReadonlyMap<string, readonly RuleInfo[]>): void {
  const name = test.name?.value ?? '';
  checkFields(ctx, values, test.lead ?? [], 'the lead', (field) => {
    const info = ctx.fields.get(field.name.name);
    if (info === undefined) {
      if (!ctx.fieldDecls.has(field.name.name)) reportUnknownField(ctx, field.name, inferFromTestValue(field.value));
      return undefined;
    }
    ctx.reference('field', info.name, field.name.range);
    return info.type;
  });

  let latestDate: string | undefined;
  let latestSeconds = -Infinity;
  const noteDate = (raw: string, seconds: number): void => {
    if (Number.isFinite(seconds) && seconds > latestSeconds) {
      latestSeconds = seconds;
      latestDate = raw.slice(0, 10);
    }
  };
  for (const event of test.events ?? []) {
    if (event.at?.kind === 'DateLiteral') noteDate(event.at.raw, event.at.epochSeconds);
    const id = event.event;
    if (id === undefined) continue;
    const info = ctx.events.get(id.name);
    if (info === undefined) {
      reportUnknownEvent(ctx, id);
      continue;
    }
    ctx.reference('event', info.name, id.range);
    checkFields(ctx, values, event.properties ?? [], `this \`${info.name}\``, (field) => {
      const property = info.properties.get(field.name.name);
      if (property === undefined) {
        reportUnknownProperty(ctx, info.name, field.name, inferFromTestValue(field.value));
        return undefined;
      }
      ctx.reference('property', property.name, field.name.range, info.name);
      return property.type;
    });
  }
  for (const field of test.lead ?? []) if (field.value?.kind === 'DateLiteral') noteDate(field.value.raw, field.value.epochSeconds);

  const hasEvents = (test.events ?? []).length > 0;
  const hasDates = hasDate(test.lead ?? []) || (test.events ?? []).some((e) => hasDate(e.properties ?? []));
  if (test.now === undefined && (hasEvents || hasDates) && test.name !== undefined) {
    const what = hasEvents ? 'events' : 'date values';
    const fixes: Fix[] = [];
    const open = ctx.source.text.indexOf('{', test.name.range.end.offset);
    if (latestDate !== undefined && open !== -1 && open < test.range.end.offset) {
      const nextLine = ctx.source.lineEnd(open) + 1;
      const multiLine = ctx.source.text.slice(open + 1, ctx.source.lineEnd(open)).trim() === '';
      const indent = multiLine ? ctx.source.indentAt(Math.min(nextLine, ctx.source.text.length)) : '';
      const newText = multiLine ? `\n${indent}now ${latestDate}` : ` now ${latestDate};`;
      fixes.push({ title: `add \`now ${latestDate}\``, edits: [{ range: ctx.source.rangeAt(open + 1, open + 1), newText }] });
    }
    ctx.report('R036', test.name.range, `test ${quoteText(name)} has ${what} but no \`now\`; add \`now\` so it scores at a fixed time`, {
      help: `write \`now YYYY-MM-DD\` at the top of the test${latestDate === undefined ? '' : `, e.g. \`now ${latestDate}\``}`,
      fixes,
    });
  }

  checkExpectations(ctx, test.expectations ?? [], rulesByLabel);
}

/** The fields of a test's lead or of one of its events: names known, values of the right type. */
export function checkFields(ctx: CheckContext, values: ValueResolver, fields: readonly TestField[], owner: string, typeOf: (field: TestField) => FieldType | undefined): void {
  const seen = new Map<string, TestField>();
  for (const field of fields) {
    if (field.name === undefined) continue;
    const first = seen.get(field.name.name);
    if (first !== undefined) {
      ctx.report('R017', field.name.range, `\`${field.name.name}\` is given twice in ${owner}; keep one value`, {
        help: `the first value is on line ${first.range.start.line}`,
        related: [{ message: `\`${field.name.name}\` is first given here`, range: first.name.range }],
      });
      continue;
    }
    seen.set(field.name.name, field);
    const type = typeOf(field);
    if (type !== undefined && field.value !== undefined) checkTestValue(ctx, values, field.name, type, field.value);
  }
}

function checkTestValue(ctx: CheckContext, values: ValueResolver, name: Identifier, type: FieldType, value: Value | ListLiteral): void {
  const label = `\`${name.name}\``;
  const written = ctx.source.collapsed(value.range);
  const wrong = (what: string, help: string, fixes: Fix[] = []): void => {
    ctx.report('R032', value.range, `${label} is ${describeType(type)}, but \`${written}\` is ${what}`, { help, fixes });
  };
  if (type.kind === 'list') {
    if (value.kind === 'ListLiteral') {
      values.listItems(value);
      return;
    }
    wrong(value.kind === 'StringLiteral' || value.kind === 'WordValue' ? 'one value' : describeValue(value), `write a list: \`[${written}]\``, [
      { title: `write \`[${written}]\``, edits: [{ range: value.range, newText: `[${written}]` }] },
    ]);
    return;
  }
  if (value.kind === 'ListLiteral') {
    wrong('a list', `give one value`);
    return;
  }
  const resolved = values.scalar(value);
  if (resolved === undefined) return;
  switch (type.kind) {
    case 'text':
    case 'one-of': {
      if (resolved.kind === 'text') {
        const viaLet = value.kind === 'WordValue' && ctx.letDecls.has(value.name.name) ? value.name.name : undefined;
        checkOneOf(ctx, label, type, [{ text: resolved.value, folded: resolved.folded, range: value.range, ...(viaLet !== undefined ? { viaLet } : {}) }]);
        return;
      }
      const literal = value.kind !== 'WordValue';
      wrong(describeConst(resolved), literal ? `quote it: \`${quoteText(written)}\`` : 'give text', literal ? [quoteFix(ctx, value)] : []);
      return;
    }
    case 'number':
    case 'bool':
    case 'date': {
      if (resolved.kind === type.kind) return;
      const fixes: Fix[] = [];
      if (value.kind === 'StringLiteral') {
        const inner = value.value.trim();
        const fits = type.kind === 'number' ? /^-?\d+(\.\d+)?$/.test(inner) : type.kind === 'bool' ? inner === 'true' || inner === 'false' : /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/.test(inner);
        if (fits) fixes.push({ title: `remove the quotes: ${inner}`, edits: [{ range: value.range, newText: inner }] });
      }
      const example = type.kind === 'number' ? '`50`' : type.kind === 'bool' ? '`true` or `false`' : '`2026-03-01`';
      wrong(describeConst(resolved), `give ${describeType(type)}, e.g. ${example}`, fixes);
      return;
    }
  }
}

function describeValue(value: Value): string {
  switch (value.kind) {
    case 'NumberLiteral':
      return 'a number';
    case 'DateLiteral':
      return 'a date';
    case 'BooleanLiteral':
      return 'a bool';
    default:
      return 'text';
  }
}

/**
 * The expectations of a test against the names of `ctx` (issue 17: an account test's
 * `expect account ...` lines, with `ctx` the account scoring's check).
 */
export function checkExpectations(ctx: CheckContext, expectations: readonly Expectation[], rulesByLabel: () => ReadonlyMap<string, readonly RuleInfo[]>, accountLines = false): void {
  let stageExpectation: Expectation | undefined;
  let tierExpectation: Expectation | undefined;
  const repeated = (first: Expectation, what: string, at: Expectation): void => {
    ctx.report('R036', at.range, `this test already expects a ${what} (line ${first.range.start.line}); a lead has one ${what}`, {
      help: `keep one \`expect ${what}\``,
      related: [{ message: `the first \`expect ${what}\``, range: first.range }],
    });
  };
  for (const expectation of expectations) {
    // `expect account ...` outside an account test is R068 (accounts.ts).
    if ((expectation.account !== undefined) !== accountLines) continue;
    switch (expectation.kind) {
      case 'ExpectStage':
        if (stageExpectation !== undefined) repeated(stageExpectation, 'stage', expectation);
        else stageExpectation = expectation;
        if (expectation.stage !== undefined) {
          if (ctx.stageDecls.has(expectation.stage.name)) ctx.reference('stage', expectation.stage.name, expectation.stage.range);
          else reportUnknownName(ctx, 'stage', expectation.stage, 'stages', () => ctx.stageDecls.keys(), declaredList('stages', [...ctx.stageDecls.keys()]));
        }
        break;
      case 'ExpectTier':
        if (tierExpectation !== undefined) repeated(tierExpectation, 'tier', expectation);
        else tierExpectation = expectation;
        if (expectation.tier !== undefined) {
          if (ctx.tierDecls.has(expectation.tier.name)) ctx.reference('tier', expectation.tier.name, expectation.tier.range);
          else reportUnknownName(ctx, 'tier', expectation.tier, 'tiers', () => ctx.tierDecls.keys(), declaredList('tiers', [...ctx.tierDecls.keys()]));
        }
        break;
      case 'ExpectGroup':
        if (expectation.group === undefined) break;
        if (ctx.groupDecls.has(expectation.group.name)) ctx.reference('group', expectation.group.name, expectation.group.range);
        else reportUnknownName(ctx, 'group', expectation.group, 'groups', () => ctx.groupDecls.keys(), declaredList('groups', [...ctx.groupDecls.keys()]));
        break;
      case 'ExpectRule':
        checkRuleLabel(ctx, expectation.label, rulesByLabel());
        break;
      default:
        break;
    }
  }
}

/** `expect rule "LABEL"` names exactly one rule, by its label. */
function checkRuleLabel(ctx: CheckContext, label: StringLiteral, byLabel: ReadonlyMap<string, readonly RuleInfo[]>): void {
  const rules = byLabel.get(label.value);
  if (rules === undefined) {
    const candidate = ctx.suggest('rule labels', label.value, () => byLabel.keys());
    const help =
      byLabel.size === 0
        ? 'no rule of the file has a label; write one after the points (`add 10 "Decision maker"`) to name the rule here'
        : `the labels are ${listNames([...byLabel.keys()])}`;
    ctx.report('R013', label.range, `no rule has the label ${quoteText(label.value)}${candidate === undefined ? '' : `; did you mean ${quoteText(candidate)}?`}`, {
      help,
      ...(candidate === undefined ? {} : { fixes: [{ title: `replace with ${quoteText(candidate)}`, edits: [{ range: label.range, newText: quoteText(candidate) }] }] }),
    });
    return;
  }
  if (rules.length > 1) {
    ctx.report('R036', label.range, `${rules.length} rules have the label ${quoteText(label.value)} (lines ${rules.map((rule) => rule.line).join(', ')}); a test cannot tell which one it means`, {
      help: 'make the labels unique, then name the one rule this test expects',
      related: rules.map((rule) => ({ message: `a rule labelled ${quoteText(label.value)}`, range: rule.range })),
    });
  }
}

function declaredList(what: string, names: readonly string[]): string {
  if (names.length === 0) return `the file declares no ${what}`;
  return `the ${what} are ${listNames(names)}`;
}
