/**
 * Hover for account scoring (issue 17): what a test over contacts computes (exactly, in one
 * line), the `account` and `score accounts` words, the rules and stages of `score accounts`, the
 * account's own segments, groups, stages and tiers, and `account.NAME` in contact rules.
 */
import type {
  AccountDecl,
  AccountScoringDecl,
  ContactAggregateCondition,
  ContactCountCondition,
  Model,
  NameRef,
  Range,
  StageRef,
  SymbolDeclaration,
} from '@rubric/core';
import type { DocumentState } from '../document-state.js';
import { containsOffset, sliceRange } from '../text.js';
import { code, groupSummary, oneLine, ruleHover, stageHover } from './hover.js';
import { inlineCode } from '../markdown.js';

type ContactTest = ContactCountCondition | ContactAggregateCondition;

/** The order every target scores accounts in (docs/language.md, "Accounts"). */
const ORDER =
  'Order: each contact is scored with its account\'s fields (`account.stage`, `.score`, `.tier` missing); then the tests over contacts are computed and the account is scored from its fields, those values and the events of all its contacts; then, if contact rules read `account.stage`, `.score` or `.tier`, the contacts are scored again with them.';

/** The innermost node of one of `kinds` containing `offset`, from the tree (walked with a stack); also used by go-to-definition. */
export function innermostAt<T extends { readonly range: Range }>(statements: readonly unknown[], offset: number, kinds: readonly string[]): T | undefined {
  let found: T | undefined;
  const stack: unknown[] = [...statements];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    const record = node as { readonly kind?: unknown; readonly range?: Range };
    if (record.range !== undefined && !containsOffset(record.range, offset)) continue;
    if (typeof record.kind === 'string' && kinds.includes(record.kind) && record.range !== undefined) {
      const hit = node as T;
      if (found === undefined || hit.range.end.offset - hit.range.start.offset < found.range.end.offset - found.range.start.offset) found = hit;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key !== 'range' && value !== null && typeof value === 'object') stack.push(value);
    }
  }
  return found;
}

/** One line saying exactly what a test over contacts computes, then what it compares. */
export function contactTestText(text: string, test: ContactTest): string {
  const where = test.where === undefined ? undefined : oneLine(sliceRange(text, test.where.range));
  const meeting = where === undefined ? "the account's contacts" : `the account's contacts meeting ${inlineCode(where)}`;
  // A tree recovered from a syntax error may lack the test (`count contacts where x` being typed).
  const numeric = (test.test as ContactTest['test'] | undefined) === undefined ? '(not written yet)' : oneLine(sliceRange(text, test.test.range));
  const head = oneLine(sliceRange(text, { start: test.range.start, end: (test.where ?? test.contacts).range.end }));
  if (test.kind === 'ContactCount') {
    return [
      code(head),
      `**count contacts**: how many of ${meeting}${where === undefined ? ' (all of them)' : ''}; never missing (0 for an account without contacts). The test is ${inlineCode(numeric)}.`,
    ].join('\n\n');
  }
  const of = test.value.kind === 'ScoreRef' ? "the contacts' scores (each one's clamped total)" : `the values of the contact group ${inlineCode(oneLine(sliceRange(text, test.value.range)))} (clamped)`;
  const top = test.top === undefined ? '' : `, keeping the ${test.top.raw} highest`;
  const what: Record<ContactAggregateCondition['aggregate'], string> = {
    best: `the highest of ${of} over ${meeting}${top}; missing (the test is false) when no contact meets it`,
    sum: `the total of ${of} over ${meeting}${top}; 0 when no contact meets it`,
    average: `the mean of ${of} over ${meeting}${top}, rounded half away from zero to the hundredth; missing (the test is false) when no contact meets it`,
  };
  return [code(head), `**${test.aggregate}**: ${what[test.aggregate]}. The test is ${inlineCode(numeric)}.`].join('\n\n');
}

/** `stage` / `tier` inside an aggregate's `where`: the contact's, and how it compares. */
function stageRefText(model: Model, ref: StageRef): string {
  const names = (ref.which === 'stage' ? model.stages : model.tiers).map((s) => `${inlineCode(s.name)}`);
  const list = names.length === 0 ? `no ${ref.which} is declared` : `one of ${names.join(', ')}`;
  if (ref.which === 'stage') {
    return `**the contact's stage**: ${list} (in file order), missing when it reaches none. \`stage >= NAME\` holds for \`NAME\` and every later stage, \`stage < NAME\` for the stages before it (not for a contact without a stage).`;
  }
  return `**the contact's tier**: ${list}, missing when none holds. Tiers have no order: \`=\`, \`!=\`, \`in\`, \`not in\`, \`is set\`, \`is missing\`.`;
}

/** `account.stage`, `account.score`, `account.tier` read by a contact rule. */
function accountResultText(name: string): string {
  const what = name.slice('account.'.length);
  return [
    code(name),
    `**the account's ${what}** as \`score accounts\` gives it, known once the account is scored (contacts reading it are scored again); missing for a contact without an account.`,
    ORDER,
  ].join('\n\n');
}

function keyHover(model: Model, decl: AccountDecl): string {
  const key = model.account?.key;
  const accountField = key?.accountField ?? decl.key.name;
  const leadField = key?.leadField ?? decl.leadKey.name;
  return [
    code(`account ${accountField} = ${leadField}`),
    `**account**: the account schema. A contact belongs to the account whose ${inlineCode(accountField)} equals its lead field ${inlineCode(leadField)}; a contact whose ${inlineCode(leadField)} is missing or names no account is scored alone (its \`account.*\` fields missing).`,
    `Contact rules read the account's fields as \`account.NAME\`; the rules of \`score accounts\` read them by their bare names.`,
  ].join('\n\n');
}

function scoringHover(decl: AccountScoringDecl): string {
  return [code('score accounts { ... }'), `**score accounts**: the account's own rules (${decl.statements.length} statements): its fields, tests over its contacts (\`count contacts\`, \`best|sum|average ... of contacts\`) and the events of all its contacts.`, ORDER].join('\n\n');
}

/**
 * Hover off any name inside the account constructs: a test over contacts, the `account` and
 * `score accounts` words, an account rule or stage. Undefined elsewhere.
 */
export function accountHover(state: DocumentState, offset: number, line: number): { value: string; range: Range } | undefined {
  const model = state.analysis.model;
  const statements = state.analysis.ast.statements;
  for (const statement of statements) {
    if (statement.kind === 'AccountDecl' && containsOffset(statement.keyword.range, offset)) {
      return { value: keyHover(model, statement), range: statement.keyword.range };
    }
    if (statement.kind === 'AccountScoringDecl' && containsOffset(statement.keyword.range, offset)) {
      return { value: scoringHover(statement), range: statement.keyword.range };
    }
  }
  const scoringDecl = statements.find((s): s is AccountScoringDecl => s.kind === 'AccountScoringDecl' && containsOffset(s.range, offset));
  if (scoringDecl === undefined) {
    // `account.stage`, `account.score`, `account.tier` in a contact rule (no declaration to show).
    const ref = innermostAt<NameRef>(statements, offset, ['NameRef']);
    const info = ref === undefined ? undefined : model.fields.get(ref.name.name);
    if (ref === undefined || info?.synthetic !== 'account-result') return undefined;
    return { value: accountResultText(ref.name.name), range: ref.range };
  }
  const ref = innermostAt<StageRef>(scoringDecl.statements, offset, ['StageRef']);
  if (ref !== undefined) return { value: stageRefText(model, ref), range: ref.range };
  const test = innermostAt<ContactTest>(scoringDecl.statements, offset, ['ContactCount', 'ContactAggregate']);
  if (test !== undefined) return { value: contactTestText(state.text, test), range: test.range };
  const scoring = model.account?.scoring;
  if (scoring === undefined) return undefined;
  const rule = scoring.rules.find((r) => containsOffset(r.range, offset));
  if (rule !== undefined) {
    return { value: `**account rule** (in \`score accounts\`)\n\n${ruleHover(state, rule, scoring)}`, range: rule.range };
  }
  const stage = scoring.stages.find((s) => containsOffset(s.decl.range, offset));
  if (stage !== undefined) return { value: stageHover(state, stage, scoring), range: stage.decl.range };
  const group = scoring.groups.find((g) => containsOffset(g.decl.range, offset) && line === state.lines.lineAt(g.decl.range.start.offset));
  if (group !== undefined) {
    return { value: `**account group** ${inlineCode(group.name)}: ${groupSummary(group).join(' ')}`, range: group.decl.name.range };
  }
  return undefined;
}

/**
 * Hover on a name that belongs to the account side: `account.NAME` / `account.stage|score|tier`
 * read by contact rules, and the segments, groups, stages and tiers of `score accounts` (their
 * names differ from the contact ones, R064). Undefined for every other name.
 */
export function accountSymbolHover(state: DocumentState, declaration: SymbolDeclaration, used: string): string | undefined {
  const model = state.analysis.model;
  const account = model.account;
  if (account === null) return undefined;
  const scoring = account.scoring;
  const text = state.text;
  switch (declaration.kind) {
    case 'field': {
      const info = model.fields.get(declaration.name);
      if (info?.synthetic === 'account-field') {
        const name = declaration.name.slice('account.'.length);
        return [code(`account.${name}`), `**account field** ${inlineCode(name)} of the contact's account; missing for a contact without an account.`, used].join('\n\n');
      }
      if (info?.synthetic === 'account-result') return `${accountResultText(declaration.name)}\n\n${used}`;
      return undefined;
    }
    case 'segment': {
      if (model.segments.has(declaration.name)) return undefined;
      const info = scoring.segments.get(declaration.name);
      if (info === undefined) return undefined;
      return [code(oneLine(sliceRange(text, info.decl.range))), '**account segment**: a named condition over the account (its fields, tests over its contacts, the events of all its contacts).', used].join('\n\n');
    }
    case 'group': {
      if (model.groups.some((g) => g.name === declaration.name)) return undefined;
      const info = scoring.groups.find((g) => g.name === declaration.name);
      if (info === undefined) return undefined;
      const head = oneLine(sliceRange(text, { start: info.decl.range.start, end: info.decl.name.range.end }));
      return [code(head), `**account group**: ${groupSummary(info).join(' ')}`, used].join('\n\n');
    }
    case 'stage': {
      if (model.stages.some((s) => s.name === declaration.name)) return undefined;
      const info = scoring.stages.find((s) => s.name === declaration.name);
      return info === undefined ? undefined : `${stageHover(state, info, scoring)}\n\n${used}`;
    }
    case 'tier': {
      if (model.tiers.some((t) => t.name === declaration.name)) return undefined;
      const info = scoring.tiers.find((t) => t.name === declaration.name);
      if (info === undefined) return undefined;
      return [code(oneLine(sliceRange(text, info.decl.range))), "**account tier**: the first account tier whose condition holds is the account's.", used].join('\n\n');
    }
    default:
      return undefined;
  }
}
