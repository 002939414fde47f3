import { DATA_SETTING_DOCS, DATA_SETTINGS, DATA_VALUE_DOCS, DATE_ORDERS, LIST_SETTINGS, NUMBER_FORMATS, rubricString, type ConstValue, type FieldType, type Model } from '@rubric/core';
import {
  CompletionItemKind,
  InsertTextFormat,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
  type Range,
} from 'vscode-languageserver';
import type { DocumentState } from '../document-state.js';
import { writeNamePart } from './rename.js';
import { accountCompletion, accountStatementItems, accountView } from './completion-accounts.js';
import { cursorContext, type CursorContext, type ScanToken } from './completion-context.js';

/** What the client can do with completion items. */
export interface CompletionOptions {
  /** The client accepts snippets (`${1:name}` placeholders). */
  readonly snippetSupport: boolean;
  /** Today's date (`2026-03-01`), used as the default `now` of a new test. */
  readonly today: string;
}

type Scope = 'rule' | 'stage' | 'segment';

export const COMPARE = ['=', '!=', '<', '<=', '>', '>='];
const STATEMENT_KEYWORDS = ['lead', 'event', 'data', 'table', 'let', 'segment', 'group', 'when', 'each', 'stage', 'tier', 'test', 'score range'];
const GROUP_KEYWORDS = ['when', 'each'];
const TEST_KEYWORDS = ['now', 'lead', 'events', 'expect'];
/** Words after which a `requires` item is not complete yet (no `,` or `when` offered there). */
const REQUIREMENT_GOES_ON: ReadonlySet<string> = new Set([
  ...['=', '!=', '<', '<=', '>', '>='],
  ...['not', 'in', 'any', 'no', 'is', 'between', 'and', 'or', 'starts', 'ends', 'contains', 'has', '(', '[', 'where', 'within', 'count', 'days', 'since', 'last'],
]);
const DURATION_UNITS = ['hours', 'days', 'weeks', 'months', 'years'];

export function writeName(name: string): string {
  return name.split('.').map(writeNamePart).join('.');
}

function writeValue(value: string): string {
  return /^[\p{L}_][\p{L}\p{N}_]*$/u.test(value) ? value : JSON.stringify(value);
}

function fieldTypeText(type: FieldType): string {
  switch (type.kind) {
    case 'list':
      return 'list of text';
    case 'one-of':
      return `one of [${type.written.join(', ')}]`;
    default:
      return type.kind;
  }
}

export class Items {
  readonly items: CompletionItem[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly range: Range,
    private readonly options: CompletionOptions,
  ) {}

  /** Takes back the keyword `label` where a shared path offered it but it does not fit. */
  drop(label: string): void {
    const at = this.items.findIndex((item) => item.label === label && item.kind === CompletionItemKind.Keyword);
    if (at >= 0) this.items.splice(at, 1);
    this.seen.delete(`keyword:${label}`);
  }

  /** Adds an item unless one of that label (and kind, or keyword/snippet) is there; returns the item added. */
  add(label: string, kind: CompletionItemKind, detail?: string, insert?: string, documentation?: string): CompletionItem | undefined {
    // A keyword and the snippet that writes its statement are one entry (the first added: the
    // snippet, see statementItems), so a label never shows twice.
    const key = kind === CompletionItemKind.Keyword || kind === CompletionItemKind.Snippet ? `keyword:${label}` : `${kind}:${label}`;
    if (this.seen.has(key)) return undefined;
    this.seen.add(key);
    const item: CompletionItem = { label, kind, textEdit: { range: this.range, newText: insert ?? label } };
    if (detail !== undefined) item.detail = detail;
    if (documentation !== undefined) item.documentation = documentation;
    // Declared names sort before keywords; a statement snippet sorts with the keywords it stands for.
    item.sortText = `${kind === CompletionItemKind.Keyword || kind === CompletionItemKind.Snippet ? '2' : '1'}${label}`;
    this.items.push(item);
    return item;
  }

  keywords(words: readonly string[]): void {
    for (const word of words) this.add(word, CompletionItemKind.Keyword);
  }

  snippet(label: string, body: string, detail: string, fallback: string): void {
    if (!this.options.snippetSupport) {
      this.add(label, CompletionItemKind.Keyword, undefined, fallback);
      return;
    }
    const item = this.add(label, CompletionItemKind.Snippet, detail, body);
    if (item !== undefined) item.insertTextFormat = InsertTextFormat.Snippet;
  }

  /** The whole-file template (snippet clients only: it has no keyword to fall back to). */
  fileSnippet(today: string): void {
    const item = this.add('rubric-file', CompletionItemKind.Snippet, 'a new rule file: lead, event, groups, stages, test', FILE_SNIPPET.replace('${6:TODAY}', `\${6:${today}}`));
    if (item !== undefined) item.insertTextFormat = InsertTextFormat.Snippet;
  }
}

/**
 * A whole new rule file (lead schema, an event, two groups, stages and a test), offered in a blank
 * document only: the template the editor extension used to contribute for every position.
 */
const FILE_SNIPPET = [
  '# ${1:Company} — lead scoring',
  'lead {',
  '\tjob: text',
  '\temail: text',
  '\tcompany.size: number',
  '\tcountry: text',
  '}',
  '',
  'event ${2:page_view} { url: text }',
  '',
  'group fit max ${3:60} {',
  '\twhen job in [CEO, CTO] add 10 "Decision maker"',
  "\twhen email ends any ['@gmail.com', '@yahoo.com'] sub 5 \"Personal address\"",
  '}',
  '',
  'group engagement max ${4:80} {',
  '\twhen any ${2:page_view} where url starts "/pricing" within 30 days add 25',
  '}',
  '',
  'stage discovery at 0',
  'stage evaluation at 20',
  'stage purchase at 40',
  '',
  'test "${5:a decision maker who saw pricing}" {',
  '\tnow ${6:TODAY}',
  '\tlead { job: CEO, email: "ana@acme.fr" }',
  '\tevents {',
  '\t\t${2:page_view} { url: "/pricing" } 2 days ago',
  '\t}',
  '\texpect score 35',
  '\texpect stage evaluation',
  '}',
  '$0',
].join('\n');

function snippetChoice(values: readonly string[], fallback: string, index: number): string {
  const clean = values.map((v) => v.replace(/[,|\\$}]/g, '')).filter((v) => v !== '');
  return clean.length === 0 ? `\${${index}:${fallback}}` : `\${${index}|${clean.join(',')}|}`;
}

/**
 * The statements that may start here, one entry each: with snippet support a statement that has
 * a template is offered as that snippet only (its detail shows the shape), since typing over its
 * first placeholder writes what the bare keyword would; the other keywords (and every keyword for
 * a client without snippets) are plain keywords. Called only at the start of a statement.
 */
function statementItems(items: Items, model: Model, options: CompletionOptions, inGroup: boolean): void {
  const events = [...model.events.keys()].map(writeName);
  items.snippet('when', 'when ${1:condition} add ${2:10} "${3:label}"', 'when CONDITION add N "label"', 'when ');
  items.snippet('each', `each ${snippetChoice(events, 'event', 1)} add \${2:2} up to \${3:10}`, 'each EVENT add N up to CAP', 'each ');
  if (inGroup) {
    items.keywords(GROUP_KEYWORDS);
    return;
  }
  items.snippet('lead', 'lead {\n\t${1:field}: ${2|text,number,bool,date,list of text|}\n\t$0\n}', 'lead { field: type }', 'lead ');
  items.snippet('event', 'event ${1:name} { ${2:property}: ${3|text,number,bool,date|} }', 'event NAME { property: type }', 'event ');
  items.snippet('let', 'let ${1:name} = [${2:value}]', 'let NAME = [values]', 'let ');
  items.snippet('segment', 'segment ${1:name} = ${2:condition}', 'segment NAME = CONDITION', 'segment ');
  items.snippet('group', 'group ${1:name} max ${2:50} {\n\twhen ${3:condition} add ${4:10}\n}', 'group NAME max N { rules }', 'group ');
  items.snippet('stage', 'stage ${1:name} at ${2:40}', 'stage NAME at N', 'stage ');
  items.snippet('tier', 'tier ${1:A} when ${2:condition}', 'tier NAME when CONDITION', 'tier ');
  items.snippet(
    'test',
    `test "\${1:description}" {\n\tnow \${2:${options.today}}\n\tlead { \${3:field}: \${4:value} }\n\texpect score \${5:0}\n}`,
    'test "name" { now, lead, expect }',
    'test ',
  );
  items.snippet('score range', 'score range ${1:0} to ${2:100}', 'score range LOW to HIGH', 'score range ');
  accountStatementItems(items, model);
  items.keywords(STATEMENT_KEYWORDS);
}

function addFields(items: Items, model: Model, suffix = ''): void {
  for (const field of model.fields.values()) {
    // Issue 17: `account.NAME` (the contact's account's field) and the account's results.
    const doc = field.synthetic === 'account-field' ? 'field of the contact\'s account' : field.synthetic === 'account-result' ? 'the contact\'s account\'s result (known after the account is scored)' : 'lead field';
    items.add(field.name, CompletionItemKind.Field, fieldTypeText(field.type), writeName(field.name) + suffix, doc);
  }
}

function addProperties(items: Items, model: Model, event: string | undefined, suffix = ''): void {
  const info = event === undefined ? undefined : model.events.get(event);
  if (info === undefined) return;
  for (const property of info.properties.values()) {
    items.add(property.name, CompletionItemKind.Property, fieldTypeText(property.type), writeName(property.name) + suffix, `property of \`${event}\``);
  }
}

/** `count distinct |`: each event's single-valued properties as `event.property`. */
function addDistinctTargets(items: Items, model: Model): void {
  for (const event of model.events.values()) {
    for (const property of event.properties.values()) {
      if (property.type.kind === 'list') continue;
      const name = `${event.name}.${property.name}`;
      items.add(name, CompletionItemKind.Property, fieldTypeText(property.type), `${writeName(event.name)}.${writeName(property.name)}`, `distinct values of \`${property.name}\` over \`${event.name}\``);
    }
  }
}

/** Whether `tokens[i]` is the word `distinct` of `count distinct EVENT.PROPERTY`. */
function isDistinctWord(tokens: readonly ScanToken[], i: number): boolean {
  return tokens[i]?.kind === 'word' && tokens[i].text === 'distinct' && tokens[i - 1]?.kind === 'word' && tokens[i - 1].text === 'count';
}

function addEvents(items: Items, model: Model): void {
  for (const event of model.events.values()) {
    const props = [...event.properties.keys()];
    items.add(event.name, CompletionItemKind.Event, props.length ? `event { ${props.join(', ')} }` : 'event', writeName(event.name));
  }
}

/**
 * What a value written at the cursor must be for the condition to type-check, as the checker
 * reads it (resolve-condition.ts, tests.ts):
 * - `scalar`: one value compared with the subject (`=`, `<`, `between`, a test's `field: value`);
 * - `text`: one text (`starts`, `has`); `list`: a list (`in`, `starts any`, `has any`);
 * - `item`: an item of a list literal, where text `let`s are items and list `let`s are spliced.
 */
type ValueSlot = 'scalar' | 'text' | 'list' | 'item';

/** The subject's type, `numeric` for a group, the score or an event count; undefined when unknown. */
type SubjectType = FieldType | 'numeric' | undefined;

/**
 * Whether a `let` of value `value` type-checks in `slot` against a subject of type `type`.
 * A `one of` subject takes only text that is one of its values (anything else is R015); an
 * unknown subject (a field not declared yet) takes any `let`.
 */
function letFits(value: ConstValue, slot: ValueSlot, type: SubjectType): boolean {
  if (type === undefined) return true;
  const kind = type === 'numeric' ? 'number' : type.kind;
  const oneOf = type !== 'numeric' && type.kind === 'one-of' ? new Set(type.values) : undefined;
  const texts = value.kind === 'text' ? [value.folded] : value.kind === 'list' ? value.folded : undefined;
  const inSet = texts !== undefined && (oneOf === undefined || texts.every((text) => oneOf.has(text)));
  switch (slot) {
    case 'scalar':
      if (kind === 'text' || kind === 'one-of') return value.kind === 'text' && inSet;
      // A list field compares with nothing (`has`, `has any` instead).
      return kind !== 'list' && value.kind === kind;
    case 'text':
      return value.kind === 'text' && inSet;
    case 'list':
      return value.kind === 'list' && inSet;
    case 'item':
      return inSet;
  }
}

/** The declared `let`s whose value type-checks in `slot` against `type`. */
function addLets(items: Items, model: Model, slot: ValueSlot | 'any', type: SubjectType = undefined): void {
  for (const info of model.lets.values()) {
    if (slot !== 'any' && !letFits(info.value, slot, type)) continue;
    const detail = info.value.kind === 'list' ? `[${info.value.values.join(', ')}]` : info.value.kind;
    items.add(info.name, CompletionItemKind.Constant, detail, writeName(info.name), 'let');
  }
}

function addSegments(items: Items, model: Model): void {
  for (const info of model.segments.values()) items.add(info.name, CompletionItemKind.Function, 'segment', writeName(info.name));
}

export function addGroups(items: Items, model: Model): void {
  for (const group of model.groups) {
    const bounds = [group.max !== null ? `max ${group.max}` : '', group.min !== null ? `min ${group.min}` : ''].filter(Boolean).join(' ');
    items.add(group.name, CompletionItemKind.Module, `group${bounds ? ` ${bounds}` : ''} (its value)`, writeName(group.name));
  }
}

/** The type of whatever `token` names: a field, a property of `event`, a group, `score`. */
/** `seniority(job)` ending at `tokens[index]` (the `)`): the table's values, as a `one of`. */
function lookupType(model: Model, tokens: readonly ScanToken[], index: number): FieldType | undefined {
  if (tokens[index]?.text !== ')' || tokens[index - 2]?.text !== '(' || tokens[index - 1]?.kind !== 'word' || tokens[index - 3]?.kind !== 'word') return undefined;
  const table = model.tables?.get(tokens[index - 3].text);
  return table === undefined ? undefined : { kind: 'one-of', values: table.folded, written: table.outputs };
}

/** The synonym tables, at the start of a condition: `seniority(` (the field goes next). */
function addTables(items: Items, model: Model): void {
  for (const table of model.tables?.values() ?? []) {
    items.add(table.name, CompletionItemKind.Function, `table: ${table.outputs.join(', ')}`, `${writeName(table.name)}(`, 'synonym table: `NAME(FIELD)` is its value for the field');
  }
}

/** The fields a table can read at `TABLE(|`: text and `one of` ones (properties inside `where`). */
function addTableInputs(items: Items, model: Model, event: string | undefined): void {
  const fields = event === undefined ? model.fields.values() : (model.events.get(event)?.properties.values() ?? []);
  for (const field of fields) {
    if (field.type.kind !== 'text' && field.type.kind !== 'one-of') continue;
    items.add(field.name, CompletionItemKind.Field, fieldTypeText(field.type), writeName(field.name), event === undefined ? 'lead field' : `property of \`${event}\``);
  }
}

function subjectType(model: Model, token: ScanToken | undefined, event: string | undefined): FieldType | 'numeric' | undefined {
  if (token === undefined || token.kind !== 'word') return undefined;
  if (event !== undefined) {
    const property = model.events.get(event)?.properties.get(token.text);
    if (property !== undefined) return property.type;
  }
  const field = model.fields.get(token.text);
  if (field !== undefined) return field.type;
  if (token.text === 'score' || model.groups.some((g) => g.name === token.text)) return 'numeric';
  return undefined;
}

function operatorsFor(items: Items, type: FieldType | 'numeric'): void {
  if (type === 'numeric') {
    items.keywords([...COMPARE, 'between']);
    return;
  }
  switch (type.kind) {
    case 'number':
    case 'date':
      items.keywords([...COMPARE, 'between', 'is set', 'is missing']);
      return;
    case 'text':
      items.keywords(['=', '!=', 'in', 'not in', 'starts', 'ends', 'contains', 'starts any', 'ends any', 'contains any', 'not starts', 'not ends', 'not contains', 'is set', 'is missing']);
      return;
    case 'one-of':
      items.keywords(['=', '!=', 'in', 'not in', 'is set', 'is missing']);
      return;
    case 'bool':
      items.keywords(['is true', 'is false', 'is set', 'is missing']);
      return;
    case 'list':
      items.keywords(['has', 'has any', 'not has', 'is set', 'is missing']);
  }
}

/** The values that type-check in `slot` against a subject of type `type`: its `one of` values, `true`/`false`, the fitting `let`s. */
function valuesFor(items: Items, model: Model, type: SubjectType, slot: ValueSlot = 'scalar'): void {
  if (type !== undefined && type !== 'numeric') {
    if (type.kind === 'one-of' && (slot === 'scalar' || slot === 'item')) {
      for (const value of type.written) items.add(value, CompletionItemKind.EnumMember, 'one of', writeValue(value));
    } else if (type.kind === 'bool' && slot === 'scalar') {
      items.keywords(['true', 'false']);
    }
  }
  addLets(items, model, slot, type);
}

const EVENT_QUANTIFIERS = new Set(['any', 'no', 'count', 'last', 'each']);
const TEXT_OPERATORS = new Set(['starts', 'ends', 'contains', 'has']);

/** The subject type `starts`/`ends`/`contains` match against: a `one of` matches any text (no R015 there). */
function matchedType(type: SubjectType): SubjectType {
  return type !== undefined && type !== 'numeric' && type.kind === 'one-of' ? { kind: 'text' } : type;
}

/**
 * The type a value compared with `condition[index]` (the token before `=`, `>=`, `between`) must
 * match: that token's type, or a number after `count EVENT ...` and `days since last EVENT ...`
 * (`count page_view within 30 days >= |`), whose subject is no name.
 */
function comparedType(model: Model, condition: readonly ScanToken[], index: number, whereEvent: string | undefined): SubjectType {
  const type = lookupType(model, condition, index) ?? subjectType(model, condition[index], whereEvent);
  if (type !== undefined || whereEvent !== undefined) return type;
  return condition.some((t) => t.kind === 'word' && (t.text === 'count' || t.text === 'last')) ? 'numeric' : undefined;
}

/** The event a `where` at `index` filters (the word after `any`/`no`/`count`/`last`/`each` before it). */
function eventBefore(tokens: readonly ScanToken[], index: number): string | undefined {
  for (let i = index - 1; i > 0; i--) {
    // `count distinct EVENT.PROPERTY where`: the event is the name's first part.
    if (isDistinctWord(tokens, i - 1) && tokens[i].kind === 'word') return tokens[i].text.split('.')[0];
    if (tokens[i - 1].kind === 'word' && EVENT_QUANTIFIERS.has(tokens[i - 1].text) && tokens[i].kind === 'word' && !isDistinctWord(tokens, i)) return tokens[i].text;
  }
  return undefined;
}

/** Whether the cursor is still inside the `where` at `whereIndex` (one comparison, or parentheses). */
function insideWhere(tokens: readonly ScanToken[], whereIndex: number): boolean {
  let depth = 0;
  let brackets = 0;
  for (let i = whereIndex + 1; i < tokens.length; i++) {
    const t = tokens[i].text;
    if (t === '[') brackets++;
    else if (t === ']') brackets--;
    else if (t === '(') depth++;
    else if (t === ')') {
      depth--;
      if (depth <= 0 && tokens[whereIndex + 1]?.text === '(') return false;
    } else if (depth === 0 && brackets <= 0 && ['and', 'or', 'within', 'add', 'sub', 'when', 'requires', ','].includes(t)) {
      // A `,` outside a list ends a `requires` item, and the `where` in it.
      // `between A and B` keeps its `and`.
      if (t === 'and' && tokens.slice(whereIndex + 1, i).some((x) => x.text === 'between') && !tokens.slice(whereIndex + 1, i).some((x) => x.text === 'and')) continue;
      return false;
    }
  }
  return true;
}

/** The subject of an open `[` list: the token before `in`/`not in`/`any`/`has` before the bracket. */
function openListSubject(tokens: readonly ScanToken[]): ScanToken | undefined | null {
  let depth = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i].text;
    if (t === ']') depth++;
    else if (t === '[') {
      if (depth === 0) {
        let j = i - 1;
        while (j >= 0 && ['in', 'not', 'any', 'has', 'starts', 'ends', 'contains'].includes(tokens[j].text)) j--;
        return j >= 0 ? tokens[j] : undefined;
      }
      depth--;
    }
  }
  return null;
}

/** Units after `per` (a bare unit is one of it) and after `per N`. */
const PERIOD_UNITS = ['day', 'hour', 'week', 'month', 'year'];

/**
 * `half-life D` / `decay P% per PERIOD` after the tokens of a rule's tail or a group's header
 * (`tail`: the tokens after the points or after the group's name); true when it completed.
 */
function decayItems(items: Items, tail: readonly ScanToken[]): boolean {
  const last = tail[tail.length - 1];
  const before = tail[tail.length - 2];
  if (last === undefined) return false;
  if (last.kind === 'number' && before?.text === 'half-life') items.keywords(DURATION_UNITS);
  else if (last.text === '%') items.keywords(['per']);
  else if (last.text === 'per') items.keywords(PERIOD_UNITS);
  else if (last.kind === 'number' && before?.text === 'per') items.keywords(DURATION_UNITS);
  else if (last.text === 'half-life' || last.text === 'decay' || (last.kind === 'number' && before?.text === 'decay')) return true;
  else return false;
  return true;
}

/** The rule's tail: `add N [up to CAP] [at most K per PERIOD] [half-life D | decay P% per PERIOD] ["label"]`. */
function ruleTailItems(items: Items, tailTokens: readonly ScanToken[], isEach: boolean): void {
  const tail = tailTokens.map((t) => t.text);
  const last = tailTokens[tailTokens.length - 1];
  const before = tailTokens[tailTokens.length - 2];
  if (last === undefined || last.kind === 'string') return;
  if (decayItems(items, tailTokens)) return;
  if (last.kind === 'number' && before?.text === 'within') items.keywords(DURATION_UNITS);
  else if (last.text === 'up') items.keywords(['to']);
  else if (last.text === 'at') items.keywords(['most']);
  else if (last.text === 'most') items.keywords(['once']);
  else if (last.text === 'once' || (last.kind === 'number' && before?.text === 'most')) items.keywords(['per']);
  else if (!['to'].includes(last.text)) {
    const rest: string[] = [];
    const decays = tail.includes('half-life') || tail.includes('decay');
    // The order the grammar takes them in: nothing offered before what is already written.
    if (isEach && !tail.includes('up') && !tail.includes('most') && !decays) rest.push('up to');
    if (isEach && !tail.includes('most') && !decays) rest.push('at most');
    if (!decays) rest.push('half-life', 'decay');
    items.keywords(rest);
  }
}

/** The words that may follow `not` after a subject of this type (`email not ends`, `tags not has`). */
function negatedOperators(type: FieldType | 'numeric' | undefined): string[] {
  if (type === undefined || type === 'numeric') return [];
  switch (type.kind) {
    case 'text':
      return ['in', 'starts', 'ends', 'contains', 'starts any', 'ends any', 'contains any'];
    case 'one-of':
      return ['in'];
    case 'list':
      return ['has', 'has any'];
    default:
      return [];
  }
}

export function conditionItems(items: Items, model: Model, condition: readonly ScanToken[], scope: Scope): void {
  const last = condition[condition.length - 1];
  const before = condition[condition.length - 2];
  let whereEvent: string | undefined;
  for (let i = condition.length - 1; i >= 0; i--) {
    if (condition[i].text === 'where') {
      if (insideWhere(condition, i)) whereEvent = eventBefore(condition, i) ?? '';
      break;
    }
  }
  const inWhere = whereEvent !== undefined;

  const sign = condition.findIndex((t) => t.text === 'add' || t.text === 'sub');
  if (sign >= 0 && last !== undefined) {
    ruleTailItems(items, condition.slice(sign + 1), condition[0]?.text === 'each');
    return;
  }
  const listSubject = openListSubject(condition);
  if (listSubject !== null) {
    valuesFor(items, model, lookupType(model, condition, condition.lastIndexOf(listSubject as ScanToken)) ?? subjectType(model, listSubject, whereEvent), 'item');
    return;
  }
  if (last?.text === '(' && before?.kind === 'word' && model.tables?.has(before.text)) {
    addTableInputs(items, model, inWhere ? whereEvent : undefined);
    return;
  }
  // `email not |`: the negated tests (`not ends`, `not in`, `tags not has`), not a new condition.
  if (last?.text === 'not' && before !== undefined) {
    const negated = negatedOperators(subjectType(model, before, whereEvent));
    if (negated.length > 0) {
      items.keywords(negated);
      return;
    }
  }
  const startOfCondition =
    last === undefined ||
    last.text === 'where' ||
    last.text === '(' ||
    last.text === 'or' ||
    last.text === 'not' ||
    (last.text === 'and' && !condition.slice(-4, -1).some((t) => t.text === 'between'));
  if (startOfCondition) {
    if (inWhere) {
      addProperties(items, model, whereEvent);
      addTables(items, model);
      addLets(items, model, 'any');
      items.keywords(['not']);
      return;
    }
    addFields(items, model);
    addSegments(items, model);
    addGroups(items, model);
    addTables(items, model);
    items.keywords(['any', 'no', 'count', 'days since last', 'not']);
    if (scope === 'stage') items.keywords(['score']);
    return;
  }
  if (isDistinctWord(condition, condition.length - 1)) {
    addDistinctTargets(items, model);
    return;
  }
  if (last.kind === 'word' && EVENT_QUANTIFIERS.has(last.text) && !(last.text === 'any' && before !== undefined && TEXT_OPERATORS.has(before.text))) {
    addEvents(items, model);
    if (last.text === 'count') items.keywords(['distinct']);
    return;
  }
  if (last.text === 'days' && before?.kind !== 'number') {
    items.keywords(['since last']);
    return;
  }
  if (last.text === 'since') {
    items.keywords(['last']);
    return;
  }
  if (COMPARE.includes(last.text)) {
    valuesFor(items, model, comparedType(model, condition, condition.length - 2, whereEvent));
    return;
  }
  if (last.text === 'in' || (last.text === 'any' && before !== undefined && TEXT_OPERATORS.has(before.text))) {
    // `job in |`, `job not in |`, `email ends any |`, `tags has any |`.
    const subjectIndex = last.text === 'in' ? condition.length - (before?.text === 'not' ? 3 : 2) : condition.length - 3;
    const subject = condition[subjectIndex];
    const type = lookupType(model, condition, subjectIndex) ?? subjectType(model, subject, whereEvent);
    addLets(items, model, 'list', last.text === 'in' ? type : matchedType(type));
    return;
  }
  if (TEXT_OPERATORS.has(last.text)) {
    items.keywords(['any']);
    addLets(items, model, 'text', matchedType(subjectType(model, before, whereEvent)));
    return;
  }
  if (last.text === 'is') {
    const type = subjectType(model, before, whereEvent);
    items.keywords(type !== undefined && type !== 'numeric' && type.kind === 'bool' ? ['true', 'false', 'set', 'missing'] : ['set', 'missing']);
    return;
  }
  if (last.text === 'between') {
    valuesFor(items, model, comparedType(model, condition, condition.length - 2, whereEvent));
    return;
  }
  if (last.text === 'and' && condition[condition.length - 3]?.text === 'between') {
    // `x between 1 and |`: the high bound.
    valuesFor(items, model, comparedType(model, condition, condition.length - 4, whereEvent));
    return;
  }
  if (last.text === 'within' || last.text === 'half-life' || last.text === 'add' || last.text === 'sub' || last.text === 'to') {
    return;
  }
  if (last.kind === 'number' && (before?.text === 'within' || before?.text === 'half-life')) {
    items.keywords(DURATION_UNITS);
    return;
  }
  if (last.text === 'up') {
    items.keywords(['to']);
    return;
  }
  // After a subject: its operators.
  const type = lookupType(model, condition, condition.length - 1) ?? subjectType(model, last, whereEvent);
  if (type !== undefined && !(last.kind === 'word' && before?.kind === 'word' && EVENT_QUANTIFIERS.has(before.text))) {
    operatorsFor(items, type);
    if (type === 'numeric' || type.kind !== 'bool') return;
  }
  // After a whole condition.
  if (last.kind === 'number' && before !== undefined && (COMPARE.includes(before.text) || before.text === 'and')) {
    // `signup > 30` may go on with a unit (`30 days ago`); `count x >= 3` is done.
    if (!condition.some((t) => t.text === 'count' || t.text === 'last')) items.keywords(DURATION_UNITS);
  }
  if (last.kind === 'word' && ['days', 'day', 'hours', 'hour', 'weeks', 'week', 'months', 'month', 'years', 'year'].includes(last.text) && !condition.some((t) => t.text === 'within' && condition.indexOf(t) === condition.length - 3)) {
    items.keywords(['ago', 'from now']);
  }
  const eventNamed = last.kind === 'word' && before?.kind === 'word' && (EVENT_QUANTIFIERS.has(before.text) || isDistinctWord(condition, condition.length - 2));
  if (eventNamed) {
    const counted = before.text === 'count' || before.text === 'distinct';
    items.keywords(before.text === 'last' ? ['where', ...COMPARE, 'between'] : counted ? ['where', 'within', ...COMPARE, 'between'] : ['where', 'within']);
    if (before.text === 'each') items.keywords(['add', 'sub']);
    return;
  }
  items.keywords(['and', 'or']);
  if (scope === 'rule') items.keywords(['add', 'sub']);
  // `count contacts` (issue 17) counts no event: no `within` for it.
  const eventTest = condition.some((t, i) => t.kind === 'word' && EVENT_QUANTIFIERS.has(t.text) && !(t.text === 'count' && condition[i + 1]?.text === 'contacts'));
  if (scope === 'rule' && eventTest && !condition.some((t) => t.text === 'within')) {
    items.keywords(['within']);
  }
}

function expectItems(items: Items, model: Model, statement: readonly ScanToken[]): void {
  const words = statement.map((t) => t.text);
  // Issue 17: `expect account ...` checks the account's result: the same words, the account's names.
  if (words[1] === 'account' && model.account !== null) {
    expectItems(items, accountView(model), [statement[0], ...statement.slice(2)]);
    return;
  }
  if (words.length === 1) {
    items.keywords(['score', 'stage', 'no stage', 'group', 'tier', 'no tier', 'rule']);
    if (model.account !== null) items.keywords(['account']);
  } else if (words[1] === 'rule' && words.length === 2) {
    // `expect rule "LABEL" fired`: the labels of the file's rules, quoted.
    const seen = new Set<string>();
    for (const rule of model.rules) {
      if (!rule.hasLabel || seen.has(rule.label)) continue;
      seen.add(rule.label);
      items.add(rule.label, CompletionItemKind.Value, `rule on line ${rule.line}`, rubricString(rule.label));
    }
  } else if (words[1] === 'rule' && words.length === 3) {
    items.keywords(['fired', 'not fired']);
  } else if (words[1] === 'stage' && words.length === 2) {
    for (const stage of model.stages) items.add(stage.name, CompletionItemKind.EnumMember, `stage at ${stage.threshold}`, writeName(stage.name));
  } else if (words[1] === 'tier' && words.length === 2) {
    for (const tier of model.tiers) items.add(tier.name, CompletionItemKind.EnumMember, 'tier', writeName(tier.name));
  } else if (words[1] === 'group' && words.length === 2) {
    addGroups(items, model);
  } else if (words[1] === 'no' && words.length === 2) {
    items.keywords(['stage', 'tier']);
  } else if ((words[1] === 'score' && words.length === 2) || (words[1] === 'group' && words.length === 3)) {
    items.keywords(COMPARE.filter((op) => op !== '='));
  }
}

/** How many tokens of `after` (what follows a field's `:`) make a complete type, or 0. */
function typeLength(after: readonly ScanToken[]): number {
  const first = after[0]?.text;
  if (first === 'text' || first === 'number' || first === 'bool' || first === 'date') return 1;
  if (first === 'list') return after[1]?.text === 'of' && after[2]?.text === 'text' ? 3 : 0;
  if (first !== 'one' || after[1]?.text !== 'of' || after[2]?.text !== '[') return 0;
  const close = after.findIndex((t, i) => i > 2 && t.text === ']');
  return close < 0 ? 0 : close + 1;
}

/**
 * After a complete type: `from` (then a column in quotes) and `missing` (then a list), each once.
 * Offered where the next word may go: right after the type, a `from "COLUMN"` or a closed
 * `missing [..]`.
 */
function modifierItems(items: Items, after: readonly ScanToken[], typeEnd: number): void {
  const rest = after.slice(typeEnd);
  const last = rest[rest.length - 1];
  const words = rest.map((t) => t.text);
  const ready =
    last === undefined ||
    (last.kind === 'string' && words[words.length - 2] === 'from') ||
    (last.text === ']' && words.includes('missing') && depthOf(rest) === 0);
  if (!ready) return;
  if (!words.includes('from')) items.add('from', CompletionItemKind.Keyword, 'from "COLUMN"', 'from ', 'The column (CSV header, JSON key, SQL column) the field is read from, when it is not its own name.');
  if (!words.includes('missing')) items.add('missing', CompletionItemKind.Keyword, 'missing [..]', 'missing ', 'Values that mean missing in this field only, e.g. `missing ["0000000000"]`.');
}

function depthOf(tokens: readonly ScanToken[]): number {
  let depth = 0;
  for (const t of tokens) {
    if (t.text === '[') depth++;
    else if (t.text === ']') depth = Math.max(0, depth - 1);
  }
  return depth;
}

/** In a `data` block: the setting names at the start of a line, their values after `:`. */
function dataItems(items: Items, statement: readonly ScanToken[]): void {
  if (statement.length === 0) {
    for (const name of DATA_SETTINGS) {
      items.add(name, CompletionItemKind.Property, LIST_SETTINGS.has(name) ? `${name}: [..]` : `${name}: ${name === 'numbers' ? 'plain|decimal comma|decimal point' : 'iso|day first|month first'}`, `${name}: `, DATA_SETTING_DOCS[name]);
    }
    return;
  }
  const name = statement[0].text;
  if (statement[1]?.text !== ':' || LIST_SETTINGS.has(name)) return;
  const values = name === 'numbers' ? NUMBER_FORMATS : name === 'dates' ? DATE_ORDERS : undefined;
  if (values === undefined) return;
  const written = statement.slice(2).map((t) => t.text).join(' ');
  for (const value of values.keys()) {
    // `decimal |` offers `comma` and `point`: the rest of the value after the words written.
    if (written !== '' && !value.startsWith(`${written} `)) continue;
    const rest = written === '' ? value : value.slice(written.length + 1);
    items.add(rest, CompletionItemKind.EnumMember, `${name}: ${value}`, rest, DATA_VALUE_DOCS[value]);
  }
}

export function typeItems(items: Items, statement: readonly ScanToken[]): void {
  const colon = statement.findIndex((t) => t.text === ':');
  if (colon < 0) return;
  const typeEnd = typeLength(statement.slice(colon + 1));
  if (typeEnd > 0) {
    modifierItems(items, statement.slice(colon + 1), typeEnd);
    return;
  }
  const after = statement.slice(colon + 1).map((t) => t.text);
  if (after.length === 0) {
    items.keywords(['text', 'number', 'bool', 'date', 'list of text', 'one of']);
  } else if (after.length === 1 && after[0] === 'list') {
    items.keywords(['of text']);
  } else if (after.length === 2 && after[0] === 'list' && after[1] === 'of') {
    items.keywords(['text']);
  } else if (after.length === 1 && after[0] === 'one') {
    items.keywords(['of']);
  }
}

export function testFieldItems(items: Items, model: Model, statement: readonly ScanToken[], event: string | undefined): void {
  const colon = statement.findIndex((t) => t.text === ':');
  if (colon < 0) {
    if (statement.length > 0) return;
    if (event === undefined) addFields(items, model, ': ');
    else addProperties(items, model, event, ': ');
    return;
  }
  if (colon === statement.length - 1) {
    const name = statement[colon - 1];
    const type = subjectType(model, name, event);
    // A list field takes a list literal (`tags: [..]`), never a `let` on its own.
    if (type === undefined || type === 'numeric' || type.kind !== 'list') valuesFor(items, model, type);
  }
}

/**
 * @param blank the document holds nothing but the word being typed: a whole new rule file may be
 * started there.
 */
function complete(ctx: CursorContext, fileModel: Model, items: Items, options: CompletionOptions, blank: boolean): void {
  if (ctx.inCommentOrString) return;
  const block = ctx.block?.kind;
  const statement = ctx.statement;
  // Issue 17: the account blocks and the account's rules (completion-accounts.ts).
  const accounts = accountCompletion(ctx, fileModel, items);
  if (accounts.done) return;
  const model = accounts.model;
  switch (block) {
    case 'lead-schema':
    case 'event-schema':
      typeItems(items, statement);
      return;
    case 'data':
      dataItems(items, statement);
      return;
    case 'test-lead':
      testFieldItems(items, model, statement, undefined);
      return;
    case 'test-event-props':
      testFieldItems(items, model, statement, ctx.block?.event);
      return;
    case 'test-events':
      if (statement.length === 0) addEvents(items, model);
      else if (statement[statement.length - 1].kind !== 'number' && statement[statement.length - 1].text !== 'at') items.keywords(['at']);
      else if (statement[statement.length - 1].kind === 'number') items.keywords(['days ago', 'hours ago', 'weeks ago']);
      return;
    case 'test':
      if (statement.length === 0) items.keywords(model.account === null ? TEST_KEYWORDS : [...TEST_KEYWORDS, 'account', 'contact']);
      else if (statement[0].text === 'expect') expectItems(items, model, statement);
      return;
    case 'other':
      return;
    default:
      break;
  }
  if (statement.length === 0) {
    statementItems(items, model, options, block === 'group');
    if (options.snippetSupport && blank) items.fileSnippet(options.today);
    return;
  }
  const first = statement[0].text;
  const words = statement.map((t) => t.text);
  switch (first) {
    case 'when':
      conditionItems(items, model, statement.slice(1), 'rule');
      return;
    case 'each': {
      if (statement.length === 1) {
        addEvents(items, model);
        return;
      }
      conditionItems(items, model, statement, 'rule');
      return;
    }
    case 'segment': {
      const eq = words.indexOf('=');
      if (eq >= 0) conditionItems(items, model, statement.slice(eq + 1), 'segment');
      return;
    }
    case 'tier': {
      const when = words.indexOf('when');
      if (when >= 0) conditionItems(items, model, statement.slice(when + 1), 'stage');
      else if (statement.length === 2) items.keywords(['when']);
      return;
    }
    case 'stage': {
      const when = words.indexOf('when');
      if (when >= 0) {
        conditionItems(items, model, statement.slice(when + 1), 'stage');
        return;
      }
      const requires = words.indexOf('requires');
      if (requires >= 0) {
        // Each item is a field (it must be set) or a condition: complete the one being written.
        let start = requires;
        let depth = 0;
        for (let i = statement.length - 1; i > requires; i--) {
          const t = statement[i].text;
          if (t === ')' || t === ']') depth++;
          else if (t === '(' || t === '[') depth--;
          else if (t === ',' && depth === 0) {
            start = i;
            break;
          }
        }
        const item = statement.slice(start + 1);
        conditionItems(items, model, item, 'stage');
        // Outside parentheses an item holds no `and`: the commas are the `and`s.
        if (depth === 0) items.drop('and');
        const last = item[item.length - 1];
        if (last !== undefined && depth === 0 && !REQUIREMENT_GOES_ON.has(last.text)) items.keywords([',', 'when']);
        return;
      }
      if (statement.length === 2) items.keywords(['at']);
      else if (statement.length >= 4 && words[2] === 'at') items.keywords(['requires', 'when']);
      return;
    }
    case 'group':
      if (statement.length >= 2 && !words.includes('{}')) {
        if (decayItems(items, statement.slice(2))) return;
        const decays = words.includes('half-life') || words.includes('decay');
        items.keywords(decays ? ['max', 'min'] : ['max', 'min', 'half-life', 'decay']);
      }
      return;
    case 'score':
      if (statement.length === 1) items.keywords(block === undefined ? ['range', 'accounts'] : ['range']);
      else if (statement.length === 3) items.keywords(['to']);
      return;
    case 'let': {
      const eq = words.indexOf('=');
      // A `let` may name any other `let` (of any type).
      if (eq >= 0) addLets(items, model, 'any');
      return;
    }
    case 'lead':
    case 'event':
    case 'test':
      return;
    default:
      // Not a statement keyword: the user is typing one.
      if (statement.length === 0) items.keywords(block === 'group' ? GROUP_KEYWORDS : STATEMENT_KEYWORDS);
  }
}

/**
 * Completion at the cursor: statement keywords and snippets, lead fields (with types), events,
 * event properties inside `where`, `one of` values, declared lets, segments, groups, stages and
 * tiers where they fit. Works on the line being typed, whatever state the rest of the file is in.
 */
export function completion(state: DocumentState, params: CompletionParams, options: CompletionOptions): CompletionList {
  const offset = state.lines.offsetAt(params.position);
  const ctx = cursorContext(state.text, offset);
  const range = state.lines.rangeOf(ctx.prefixStart, offset);
  const items = new Items(range, options);
  const blank = (state.text.slice(0, ctx.prefixStart) + state.text.slice(offset)).trim() === '';
  complete(ctx, state.modelForCompletion, items, options, blank);
  return { isIncomplete: false, items: items.items };
}
