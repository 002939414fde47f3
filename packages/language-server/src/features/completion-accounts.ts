/**
 * Completion for account scoring (issue 17): the `account` block, `score accounts { }` (the
 * account's fields, segments, groups, stages and tiers; the tests over contacts `count contacts`,
 * `best|sum|average score|GROUP of [top N] contacts [where C]`), the contact scope inside an
 * aggregate's `where` (lead fields, contact segments and groups, `score`, `stage`, `tier` and the
 * contact stage and tier names), and the `account { }` / `contact { }` blocks of a test.
 * `account.NAME` in contact rules comes with the file's fields (the checker adds them).
 */
import type { Model } from '@rubric/core';
import { CompletionItemKind } from 'vscode-languageserver';
import type { CursorContext, ScanToken } from './completion-context.js';
import {
  addGroups,
  COMPARE,
  conditionItems,
  Items,
  testFieldItems,
  typeItems,
  writeName,
} from './completion.js';

const AGGREGATES: ReadonlySet<string> = new Set(['best', 'sum', 'average']);

/** What {@link accountCompletion} did: completed, or the model the ordinary completion should use. */
export type AccountCompletion = { readonly done: true } | { readonly done: false; readonly model: Model };

/**
 * The account's side as a model of its own, for completing inside `score accounts` and after
 * `expect account`: its fields are the declared account fields (not the synthetic `contacts#N`
 * values), with the file's lets, tables and events.
 */
export function accountView(model: Model): Model {
  const account = model.account;
  if (account === null) return model;
  const scoring = account.scoring;
  return { ...scoring, fields: account.fields, lets: model.lets, tables: model.tables, events: model.events, account: null };
}

/** The contact scope of an aggregate's `where` and of a test's `contact { }`: no `account.*`. */
export function contactView(model: Model): Model {
  if (model.account === null) return model;
  return { ...model, fields: new Map([...model.fields].filter(([, info]) => info.synthetic === undefined)) };
}

/** `account` and `score accounts` at the top level (each only while the file lacks one). */
export function accountStatementItems(items: Items, model: Model): void {
  if (model.account === null) {
    items.snippet('account', 'account ${1:id} = ${2:company.id} {\n\t${1:id}: text\n\t${3:industry}: text\n\t$0\n}', 'account KEY = LEAD_FIELD { fields }', 'account ');
  } else if (model.account.scoringDecl === null) {
    items.snippet('score accounts', 'score accounts {\n\twhen ${1:count contacts} >= ${2:1} add ${3:10}\n\t$0\n}', 'score accounts { account rules }', 'score accounts ');
  }
}

/** Statements a `score accounts` block (or a group in it) holds. */
function scoringStatementItems(items: Items, inGroup: boolean): void {
  items.snippet('when', 'when ${1:condition} add ${2:10} "${3:label}"', 'when CONDITION add N "label"', 'when ');
  items.snippet('each', 'each ${1:event} add ${2:1} up to ${3:10}', 'each EVENT add N up to CAP', 'each ');
  if (inGroup) return;
  items.snippet('segment', 'segment ${1:name} = ${2:condition}', 'segment NAME = CONDITION', 'segment ');
  items.snippet('group', 'group ${1:name} max ${2:50} {\n\twhen ${3:condition} add ${4:10}\n}', 'group NAME max N { rules }', 'group ');
  items.snippet('stage', 'stage ${1:name} at ${2:40}', 'stage NAME at N', 'stage ');
  items.snippet('tier', 'tier ${1:A} when ${2:condition}', 'tier NAME when CONDITION', 'tier ');
  items.snippet('score range', 'score range ${1:0} to ${2:100}', 'score range LOW to HIGH', 'score range ');
}

/** Whether a new condition starts after `tokens` (as the ordinary completion decides it). */
function atConditionStart(tokens: readonly ScanToken[]): boolean {
  const last = tokens[tokens.length - 1];
  if (last === undefined) return true;
  if (['where', '(', 'or', 'not'].includes(last.text)) return true;
  return last.text === 'and' && !tokens.slice(-4, -1).some((t) => t.text === 'between');
}

/** The condition being written in an account statement (after `when`, `=`, `requires`, `,`), or undefined. */
function conditionOf(statement: readonly ScanToken[]): readonly ScanToken[] | undefined {
  const first = statement[0]?.text;
  const words = statement.map((t) => t.text);
  if (first === 'when') return statement.slice(1);
  if (first === 'segment') {
    const eq = words.indexOf('=');
    return eq < 0 ? undefined : statement.slice(eq + 1);
  }
  if (first === 'stage' || first === 'tier') {
    const when = words.indexOf('when');
    if (when >= 0) return statement.slice(when + 1);
    const requires = words.indexOf('requires');
    if (requires < 0) return undefined;
    const comma = words.lastIndexOf(',');
    return statement.slice(Math.max(requires, comma) + 1);
  }
  return undefined;
}

/** The index of the `where` of the last aggregate over contacts in `tokens` (-1 without one). */
function aggregateWhere(tokens: readonly ScanToken[]): number {
  for (let i = tokens.length - 1; i >= 2; i--) {
    if (tokens[i].text !== 'where' || tokens[i - 1].text !== 'contacts') continue;
    const before = tokens[i - 2];
    if (before.text === 'count' || before.text === 'of' || (before.kind === 'number' && tokens[i - 3]?.text === 'top')) return i;
  }
  return -1;
}

/**
 * Whether the value being written compares with the contact's `stage` or `tier` (inside an
 * aggregate's `where`): after `stage OP`, `stage in`, `tier not in`, or inside the `[` list after them.
 */
function stageOrTierSubject(tokens: readonly ScanToken[]): 'stage' | 'tier' | undefined {
  // Inside an open list: the operator is the token before its `[`.
  let operatorAt = tokens.length - 1;
  let depth = 0;
  for (let j = tokens.length - 1; j >= 0; j--) {
    const t = tokens[j].text;
    if (t === ']') depth++;
    else if (t === '[') {
      if (depth === 0) {
        operatorAt = j - 1;
        break;
      }
      depth--;
    }
  }
  const operator = tokens[operatorAt]?.text;
  let subject: ScanToken | undefined;
  if (operator !== undefined && COMPARE.includes(operator)) subject = tokens[operatorAt - 1];
  else if (operator === 'in') subject = tokens[operatorAt - 1]?.text === 'not' ? tokens[operatorAt - 2] : tokens[operatorAt - 1];
  const text = subject?.text;
  return text === 'stage' || text === 'tier' ? text : undefined;
}

/** Inside `count contacts where |`: the contact's scope, with `score`, `stage`, `tier`. */
function contactWhereItems(items: Items, model: Model, inner: readonly ScanToken[]): void {
  const contacts = contactView(model);
  const last = inner[inner.length - 1];
  if (last?.text === 'stage') {
    items.keywords([...COMPARE, 'in', 'not in', 'is set', 'is missing']);
    return;
  }
  if (last?.text === 'tier') {
    items.keywords(['=', '!=', 'in', 'not in', 'is set', 'is missing']);
    return;
  }
  const which = stageOrTierSubject(inner);
  if (which === 'stage') {
    model.stages.forEach((stage, i) => items.add(stage.name, CompletionItemKind.EnumMember, `contact stage at ${stage.threshold}${i > 0 ? '' : ' (the first)'}`, writeName(stage.name)));
    return;
  }
  if (which === 'tier') {
    for (const tier of model.tiers) items.add(tier.name, CompletionItemKind.EnumMember, 'contact tier', writeName(tier.name));
    return;
  }
  // The contact's stage and tier, not inside an event's `where` (its properties go there).
  if (atConditionStart(inner) && inner[inner.length - 1]?.text !== 'where') items.keywords(['stage', 'tier']);
  conditionItems(items, contacts, inner, 'stage');
}

/**
 * The tests over contacts at the end of `condition` (an account rule's); true when completed.
 * `best |` takes `score` or a contact group, then `of`, `top N`, `contacts`, `where`, the test.
 */
function aggregateItems(items: Items, model: Model, condition: readonly ScanToken[]): boolean {
  const n = condition.length;
  const last = condition[n - 1];
  const before = condition[n - 2];
  if (last === undefined) return false;
  if (last.kind === 'word' && AGGREGATES.has(last.text) && atConditionStart(condition.slice(0, -1))) {
    items.add('score', CompletionItemKind.Keyword, 'the contact\'s total score');
    addGroups(items, contactView(model));
    return true;
  }
  if (before !== undefined && AGGREGATES.has(before.text) && last.kind === 'word' && atConditionStart(condition.slice(0, -2))) {
    items.keywords(['of', 'of top']);
    return true;
  }
  if (last.text === 'of' && AGGREGATES.has(condition[n - 3]?.text ?? '')) {
    items.keywords(['contacts', 'top']);
    return true;
  }
  if (last.text === 'top' && before?.text === 'of') return true;
  if (last.kind === 'number' && before?.text === 'top') {
    items.keywords(['contacts']);
    return true;
  }
  const counted = before !== undefined && (before.text === 'count' || before.text === 'of' || (before.kind === 'number' && condition[n - 3]?.text === 'top'));
  if (last.text === 'contacts' && counted) {
    items.keywords(['where', ...COMPARE, 'between']);
    return true;
  }
  const where = aggregateWhere(condition);
  if (where >= 0) {
    const inner = condition.slice(where + 1);
    // Past the aggregate's test (`... >= 1 |`, `... >= 1 and |`, the rule's tail): the account's
    // condition goes on, for the ordinary completion.
    if (whereEnded(inner)) return false;
    contactWhereItems(items, model, inner);
    return true;
  }
  return false;
}

/**
 * Whether the tokens after an aggregate's `where` hold its numeric test: a comparison operator at
 * depth 0 followed by a number, then nothing or `and`/`or`/`add`/`sub` (the docs ask for
 * parentheses around a `where` that is itself a comparison, so the first such pair ends it).
 */
function whereEnded(inner: readonly ScanToken[]): boolean {
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    const t = inner[i].text;
    if (t === '(' || t === '[') depth++;
    else if (t === ')' || t === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (COMPARE.includes(t) || t === 'between') && inner[i + 1]?.kind === 'number') {
      const end = t === 'between' ? i + 4 : i + 2;
      const next = inner[end]?.text;
      if (next === undefined || ['and', 'or', 'add', 'sub'].includes(next)) return true;
    } else if (depth === 0 && (t === 'add' || t === 'sub')) {
      return true;
    }
  }
  return false;
}

/**
 * Completion in the account blocks; `{ done: false, model }` hands the rest to the ordinary
 * completion with `model` (the account's view inside `score accounts`, else the file's).
 */
export function accountCompletion(ctx: CursorContext, model: Model, items: Items): AccountCompletion {
  const block = ctx.block?.kind;
  const statement = ctx.statement;
  switch (block) {
    case 'account-schema':
      typeItems(items, statement);
      return { done: true };
    case 'test-account':
      testFieldItems(items, accountView(model), statement, undefined);
      return { done: true };
    case 'test-contact':
      testFieldItems(items, contactView(model), statement, undefined);
      return { done: true };
    default:
      break;
  }
  if (ctx.level !== 'account' || (block !== 'account-scoring' && block !== 'group')) return { done: false, model };
  const view = accountView(model);
  if (statement.length === 0) {
    scoringStatementItems(items, block === 'group');
    return { done: true };
  }
  const condition = conditionOf(statement);
  if (condition !== undefined) {
    if (aggregateItems(items, model, condition)) return { done: true };
    // After an event's `where`, its properties come (no test over contacts there).
    if (atConditionStart(condition) && condition[condition.length - 1]?.text !== 'where') {
      items.add('count contacts', CompletionItemKind.Keyword, 'count contacts [where C] OP N', 'count contacts', 'How many of the account\'s contacts meet `C` (all of them without `where`).');
      for (const word of AGGREGATES) {
        items.add(`${word} score of`, CompletionItemKind.Keyword, `${word} score of [top N] contacts [where C] OP N`, `${word} score of `, AGGREGATE_DOCS[word]);
        items.add(word, CompletionItemKind.Keyword, `${word} GROUP of [top N] contacts ...`, `${word} `, AGGREGATE_DOCS[word]);
      }
    } else if (condition[condition.length - 1]?.text === 'count' && atConditionStart(condition.slice(0, -1))) {
      items.add('contacts', CompletionItemKind.Keyword, 'count contacts [where C] OP N', 'contacts', 'How many of the account\'s contacts meet `C`.');
    }
  }
  return { done: false, model: view };
}

const AGGREGATE_DOCS: Readonly<Record<string, string>> = {
  best: 'The highest value among the contacts meeting `where` (the test is false when there is none).',
  sum: 'The total of the values of the contacts meeting `where` (0 when there is none).',
  average: 'The mean of the values of the contacts meeting `where`, rounded half away from zero to the hundredth (the test is false when there is none).',
};
