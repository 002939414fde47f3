/**
 * The data dialect: the file's `data` block read into {@link DataDialect}, and each field's and
 * property's `from "COLUMN"` and `missing [..]` read into {@link FieldInfo}. Word lists are
 * folded with the runtime's `fold`, as every other literal, so the readers compare folded text.
 */
import type { Fix } from '../diagnostics/diagnostic.js';
import { fold } from '../runtime/fold.js';
import type { DataDecl, DataSetting, FieldDecl, ListLiteral, Range, RubricFile, Value } from '../syntax/ast.js';
import { unholdableInName, visibleText } from '../syntax/well-formed.js';
import type { CheckContext } from './context.js';
import {
  PLAIN_DIALECT,
  type Cond,
  type DataDialect,
  type DateOrder,
  type FieldInfo,
  type NumberFormat,
  type RuleInfo,
  type SegmentInfo,
  type StageInfo,
  type Subject,
  type TierInfo,
} from './model.js';

/** The settings of a `data` block, in the order the formatter and completion show them. */
export const DATA_SETTINGS = ['missing', 'numbers', 'dates', 'true', 'false'] as const;

export type DataSettingName = (typeof DATA_SETTINGS)[number];

/** Settings whose value is a list (the others take words). */
export const LIST_SETTINGS: ReadonlySet<string> = new Set<DataSettingName>(['missing', 'true', 'false']);

/** The words of `numbers:` as written, with the model's value. */
export const NUMBER_FORMATS: ReadonlyMap<string, NumberFormat> = new Map([
  ['plain', 'plain'],
  ['decimal comma', 'decimal-comma'],
  ['decimal point', 'decimal-point'],
]);

/** The words of `dates:` as written, with the model's value. */
export const DATE_ORDERS: ReadonlyMap<string, DateOrder> = new Map([
  ['iso', 'iso'],
  ['day first', 'day-first'],
  ['month first', 'month-first'],
]);

/** What each setting means, for hover and completion. */
export const DATA_SETTING_DOCS: Readonly<Record<DataSettingName, string>> = {
  missing: 'Values that mean missing in every lead field and event property, e.g. `missing: ["N/A", "-", "?"]`. Compared folded (case, accents and surrounding spaces do not count); a placeholder is missing, not an invalid value.',
  numbers:
    'How numbers written as text separate decimals and thousands: `plain` (the default: `1200.5`), `decimal comma` (`1 200,5`, `1.200,5`) or `decimal point` (`1,200.5`).',
  dates: 'How dates written as text order day and month, beyond ISO 8601 (always read): `iso` (the default), `day first` (`20/02/2026`) or `month first` (`02/20/2026`). Two-digit years are never read.',
  true: 'Extra words read as true in `bool` fields, beyond `true`, `yes` and `1`, e.g. `true: [oui, vrai, o]`.',
  false: 'Extra words read as false in `bool` fields, beyond `false`, `no` and `0`, e.g. `false: [non, faux, n]`.',
};

/** What each value of a word setting means, for hover and completion. */
export const DATA_VALUE_DOCS: Readonly<Record<string, string>> = {
  plain: 'Numbers as `1200.5`: digits, an optional `.` and decimals (the default).',
  'decimal comma': 'Numbers as `1 200,5` or `1.200,5`: `,` separates the decimals; spaces or `.` group thousands by three.',
  'decimal point': 'Numbers as `1,200.5`: `.` separates the decimals; `,` or spaces group thousands by three.',
  iso: 'Dates in ISO 8601 only (`2026-02-20`, `2026-02-20 09:30`): the default.',
  'day first': 'Dates as `20/02/2026`, `20-02-2026` or `20.02.2026` (optionally with ` 09:30`), besides ISO 8601.',
  'month first': 'Dates as `02/20/2026`, `02-20-2026` or `02.20.2026` (optionally with ` 09:30`), besides ISO 8601.',
};

/** The text of one item of a `data` list as written: strings decoded, words and numbers as written. */
export function dataItemText(item: Value): string {
  switch (item.kind) {
    case 'StringLiteral':
      return item.value;
    case 'NumberLiteral':
      return item.raw;
    case 'DateLiteral':
      return item.raw;
    case 'BooleanLiteral':
      return item.value ? 'true' : 'false';
    case 'WordValue':
      return item.name.name;
  }
}

/** The folded items of a list, each once, in first-seen order. */
export function foldedItems(list: ListLiteral | undefined): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const item of list?.items ?? []) {
    if (item === undefined || item === null) continue;
    const folded = fold(dataItemText(item));
    if (seen.has(folded)) continue;
    seen.add(folded);
    out.push(folded);
  }
  return out;
}

/** The `data` blocks of a file, in order (a file has at most one; the checker reports others). */
export function dataBlocks(ast: RubricFile): DataDecl[] {
  const out: DataDecl[] = [];
  for (const statement of ast.statements ?? []) if (statement?.kind === 'DataDecl') out.push(statement);
  return out;
}

/** The first setting of each known name in `block` (later ones are reported, not read). */
export function firstSettings(block: DataDecl): Map<DataSettingName, DataSetting> {
  const out = new Map<DataSettingName, DataSetting>();
  for (const setting of block.settings ?? []) {
    const name = setting?.name?.text;
    if (name === undefined || !(DATA_SETTINGS as readonly string[]).includes(name)) continue;
    if (!out.has(name as DataSettingName)) out.set(name as DataSettingName, setting);
  }
  return out;
}

/**
 * The dialect of a file: its first `data` block's settings (the first of each name), each value
 * read when it is valid and left at the plain default otherwise ({@link PLAIN_DIALECT} without a
 * block). Never throws on a recovered tree.
 */
export function buildDialect(ast: RubricFile): DataDialect {
  const block = dataBlocks(ast)[0];
  if (block === undefined) return PLAIN_DIALECT;
  const settings = firstSettings(block);
  const listOf = (name: DataSettingName): readonly string[] => {
    const value = settings.get(name)?.value;
    return value?.kind === 'ListLiteral' ? Object.freeze(foldedItems(value)) : PLAIN_DIALECT.missing;
  };
  const wordsOf = (name: DataSettingName): string | undefined => {
    const value = settings.get(name)?.value;
    return value?.kind === 'DataWords' ? value.text : undefined;
  };
  const numbersWritten = wordsOf('numbers');
  const datesWritten = wordsOf('dates');
  return Object.freeze({
    missing: listOf('missing'),
    numbers: (numbersWritten === undefined ? undefined : NUMBER_FORMATS.get(numbersWritten)) ?? PLAIN_DIALECT.numbers,
    dates: (datesWritten === undefined ? undefined : DATE_ORDERS.get(datesWritten)) ?? PLAIN_DIALECT.dates,
    trueWords: listOf('true'),
    falseWords: listOf('false'),
  });
}

/**
 * A field's or property's `from` and `missing`, as {@link FieldInfo} holds them: the column as
 * written (left out when blank, which is reported), the folded placeholders each once.
 */
export function fieldReading(decl: FieldDecl): { column?: string; missing?: readonly string[] } {
  const out: { column?: string; missing?: readonly string[] } = {};
  const column = decl.from?.value;
  if (typeof column === 'string' && column.trim() !== '') out.column = column;
  if (decl.missing !== undefined) out.missing = Object.freeze(foldedItems(decl.missing));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Diagnostics: R042 (the block itself), R043 (conflicting words), R044 (placeholders a rule
// compares with or a `one of` set allows), R045 (columns).

/** The words Rubric reads as booleans without being told (folded). */
const BUILT_IN_TRUE: ReadonlySet<string> = new Set(['true', 'yes', '1']);
const BUILT_IN_FALSE: ReadonlySet<string> = new Set(['false', 'no', '0']);

const SETTINGS_TEXT = 'the settings are `missing`, `numbers`, `dates`, `true` and `false`';

/** What each word setting accepts, as a help text. */
const VALUES_TEXT: Readonly<Record<string, string>> = {
  numbers: '`numbers` is `plain`, `decimal comma` or `decimal point`',
  dates: '`dates` is `iso`, `day first` or `month first`',
};

/** The conditions of a checked file, for the placeholders a rule compares with (R044). */
export interface DialectUses {
  readonly rules: readonly RuleInfo[];
  readonly segments: ReadonlyMap<string, SegmentInfo>;
  readonly stages: readonly StageInfo[];
  readonly tiers: readonly TierInfo[];
}

/** One item of a word list, folded, where it is written. */
interface ListItem {
  readonly folded: string;
  readonly range: Range;
}

function itemsOf(list: ListLiteral | undefined): ListItem[] {
  const out: ListItem[] = [];
  for (const item of list?.items ?? []) {
    if (item === undefined || item === null || item.range === undefined) continue;
    out.push({ folded: fold(dataItemText(item)), range: item.range });
  }
  return out;
}

function didYouMean(candidate: string | undefined): string {
  return candidate === undefined ? '' : `; did you mean \`${candidate}\`?`;
}

function replaceFix(range: Range, text: string): Fix {
  return { title: `replace with \`${text}\``, edits: [{ range, newText: text }] };
}

/** `"N/A"` as a value is shown in a message: quoted when it is not a plain word. */
function shown(folded: string): string {
  return /^[\p{L}_][\p{L}\p{N}_]*$/u.test(folded) ? `\`${folded}\`` : `\`"${folded.replace(/["\\]/g, '\\$&')}"\``;
}

/**
 * Every diagnostic of the data dialect: the `data` blocks (R042, R043), the fields' and
 * properties' `from` (R045) and `missing` (R043, R044), and the tests that compare a field with
 * one of its placeholders (R044). Never throws on a recovered tree.
 */
export function checkDataDialect(ctx: CheckContext, ast: RubricFile, dialect: DataDialect, uses: DialectUses): void {
  const blocks = dataBlocks(ast);
  const first = blocks[0];
  for (let i = 1; i < blocks.length; i++) {
    const block = blocks[i];
    const start = block.range.start.offset;
    ctx.report('R042', ctx.source.rangeAt(start, start + 'data'.length), 'a second `data` block; a file has at most one', {
      help: `move these settings into the \`data\` block on line ${first.range.start.line}`,
      related: [{ message: 'the first `data` block', range: first.range }],
    });
  }
  const blockMissing = new Map<string, ListItem>();
  if (first !== undefined) checkBlock(ctx, first, blockMissing);
  checkColumns(ctx);
  checkFieldLists(ctx, dialect, blockMissing);
  checkComparisons(ctx, dialect, uses);
}

function checkBlock(ctx: CheckContext, block: DataDecl, blockMissing: Map<string, ListItem>): void {
  const seen = new Map<string, DataSetting>();
  for (const setting of block.settings ?? []) {
    const name = setting?.name?.text;
    if (name === undefined || setting.value === undefined) continue;
    if (!(DATA_SETTINGS as readonly string[]).includes(name)) {
      const candidate = ctx.suggest('data-settings', name, () => DATA_SETTINGS);
      ctx.report('R042', setting.name.range, `unknown setting \`${name}\` in the \`data\` block${didYouMean(candidate)}`, {
        help: candidate === undefined ? SETTINGS_TEXT : `replace it with \`${candidate}\`; ${SETTINGS_TEXT}`,
        ...(candidate !== undefined ? { fixes: [replaceFix(setting.name.range, candidate)] } : {}),
      });
      continue;
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      ctx.report('R042', setting.name.range, `\`${name}\` is set twice in the \`data\` block; only the first (line ${earlier.range.start.line}) is read`, {
        help: `keep one \`${name}:\` line: remove this one, or the first`,
        related: [{ message: `the first \`${name}\``, range: earlier.range }],
      });
      continue;
    }
    seen.set(name, setting);
    const value = setting.value;
    if (LIST_SETTINGS.has(name)) {
      if (value.kind === 'DataWords') {
        const list = `[${value.words.map((w) => w.text).join(', ')}]`;
        ctx.report('R042', value.range, `\`${name}\` takes a list, not words`, {
          help: `write the values in brackets: \`${name}: ${list}\`; values with spaces or symbols go in quotes`,
          fixes: [replaceFix(value.range, list)],
        });
      }
      continue;
    }
    const allowed = name === 'numbers' ? NUMBER_FORMATS : DATE_ORDERS;
    if (value.kind === 'ListLiteral') {
      const only = value.items.length === 1 ? fold(dataItemText(value.items[0])).replace(/\s+/g, ' ') : undefined;
      const fits = only !== undefined && allowed.has(only);
      ctx.report('R042', value.range, `\`${name}\` takes words, not a list`, {
        help: `write it without brackets or quotes, e.g. \`${name}: ${[...allowed.keys()][1]}\`; ${VALUES_TEXT[name]}`,
        ...(fits ? { fixes: [replaceFix(value.range, only)] } : {}),
      });
      continue;
    }
    if (!allowed.has(value.text)) {
      const candidate = ctx.suggest(`data-values:${name}`, value.text, () => allowed.keys());
      ctx.report('R042', value.range, `\`${value.text}\` is not a value of \`${name}\`${didYouMean(candidate)}`, {
        help: VALUES_TEXT[name],
        ...(candidate !== undefined ? { fixes: [replaceFix(value.range, candidate)] } : {}),
      });
    }
  }
  const listOf = (name: DataSettingName): ListItem[] => {
    const value = seen.get(name)?.value;
    return value?.kind === 'ListLiteral' ? itemsOf(value) : [];
  };
  const missing = uniqueItems(ctx, listOf('missing'), '`missing`', true);
  const trueWords = uniqueItems(ctx, listOf('true'), '`true`', false);
  const falseWords = uniqueItems(ctx, listOf('false'), '`false`', false);
  for (const item of missing.values()) blockMissing.set(item.folded, item);
  for (const item of trueWords.values()) {
    if (BUILT_IN_FALSE.has(item.folded)) {
      ctx.report('R043', item.range, `${shown(item.folded)} is always read as false; it cannot be a \`true\` word`, {
        help: 'remove it from `true`: `true`, `yes` and `1` are read as true and `false`, `no` and `0` as false without being listed',
      });
    }
  }
  for (const item of falseWords.values()) {
    if (BUILT_IN_TRUE.has(item.folded)) {
      ctx.report('R043', item.range, `${shown(item.folded)} is always read as true; it cannot be a \`false\` word`, {
        help: 'remove it from `false`: `true`, `yes` and `1` are read as true and `false`, `no` and `0` as false without being listed',
      });
    }
    const both = trueWords.get(item.folded);
    if (both !== undefined) reportLater(ctx, both, item, `${shown(item.folded)} is both a \`true\` and a \`false\` word; a value is read one way only`, 'remove it from one of the two lists', ['`true`', '`false`']);
  }
  for (const [words, list] of [
    [trueWords, '`true`'],
    [falseWords, '`false`'],
  ] as const) {
    for (const item of words.values()) {
      const placeholder = missing.get(item.folded);
      if (placeholder === undefined) continue;
      reportLater(
        ctx,
        placeholder,
        item,
        `${shown(item.folded)} is both a \`missing\` value and a ${list} word; a placeholder is never read as a boolean`,
        `remove it from \`missing\` or from ${list}`,
        ['`missing`', list],
      );
    }
  }
}

/** Reports R043 at whichever of `a` and `b` is written later, the other as related. */
function reportLater(ctx: CheckContext, a: ListItem, b: ListItem, message: string, help: string, lists: readonly [string, string]): void {
  const [later, earlier, earlierList] = a.range.start.offset > b.range.start.offset ? [a, b, lists[1]] : [b, a, lists[0]];
  ctx.report('R043', later.range, message, { help, related: [{ message: `in ${earlierList} here`, range: earlier.range }] });
}

/**
 * The items of a list each once (first kept), by folded text; the repeats are reported as R043
 * warnings (`what` names the list).
 */
function uniqueItems(ctx: CheckContext, items: readonly ListItem[], what: string, isMissing: boolean): Map<string, ListItem> {
  const out = new Map<string, ListItem>();
  for (const item of items) {
    const first = out.get(item.folded);
    if (first === undefined) {
      out.set(item.folded, item);
      continue;
    }
    ctx.report('R043', item.range, `${shown(item.folded)} is listed twice in ${what}${isMissing ? '' : ' (values are compared folded)'}`, {
      severity: 'warning',
      help: 'remove this one: case, accents and surrounding spaces do not count',
      related: [{ message: 'listed first here', range: first.range }],
    });
  }
  return out;
}

/** Every declared field (lead) and property (per event), with the column each reads. */
function checkColumns(ctx: CheckContext): void {
  // Synthetic fields (issue 17: `account.NAME`, `contacts#1`) read no column of the lead's.
  const fields = [...ctx.fieldDecls.entries()].filter(([name]) => ctx.fields.get(name)?.synthetic === undefined).map(([, decl]) => decl);
  checkSchemaColumns(ctx, fields, 'field', new Map([['events', "a lead's events"]]));
  for (const [event, properties] of ctx.propertyDecls) {
    checkSchemaColumns(
      ctx,
      [...properties.values()],
      `property of \`${event}\``,
      new Map([
        ['type', "the event's name"],
        ['at', "the event's timestamp"],
      ]),
    );
  }
}

/** What makes `name` impossible to write in a file or an SQL identifier, or undefined. */
function unholdableName(name: string): string | undefined {
  switch (unholdableInName(name)) {
    case 'lone surrogate':
      return 'is not valid Unicode text (it holds half of a surrogate pair), which no file, CSV header or SQL column can hold';
    case 'NUL':
      return 'holds a NUL character, which no SQL column can hold';
    default:
      return undefined;
  }
}

function checkSchemaColumns(ctx: CheckContext, decls: readonly FieldDecl[], what: string, reserved: ReadonlyMap<string, string>): void {
  const byColumn = new Map<string, FieldDecl>();
  for (const decl of decls) {
    const name = decl?.name?.name;
    if (name === undefined) continue;
    const from = decl.from;
    if (from !== undefined && typeof from.value === 'string' && from.value.trim() === '') {
      ctx.report('R045', from.range, `\`from\` of \`${name}\` names no column`, {
        help: `write the column's header as it is in the data, e.g. \`from "Job Title"\`, or remove \`from\` to read the column \`${name}\``,
      });
      continue;
    }
    const column = from?.value ?? name;
    const where = from?.range ?? decl.name.range;
    // A name in backticks with such a character is R002 (cst-to-ast.ts); a `from` is a string.
    const unreadable = from === undefined ? undefined : unholdableName(column);
    if (unreadable !== undefined) {
      ctx.report('R045', where, `the column \`${visibleText(column)}\` of \`${visibleText(name)}\` ${unreadable}`, {
        help: "retype the column's name as it is in the data",
      });
      continue;
    }
    const holds = from === undefined ? undefined : reserved.get(column);
    if (holds !== undefined) {
      ctx.report('R045', where, `\`${name}\` reads the column \`${column}\`, which holds ${holds}`, {
        help: `name the column \`${name}\` is in: \`from "..."\``,
      });
      continue;
    }
    const other = byColumn.get(column);
    if (other === undefined) {
      byColumn.set(column, decl);
      continue;
    }
    ctx.report('R045', where, `\`${name}\` and \`${other.name.name}\` both read the column \`${column}\``, {
      help: `a column is read by one ${what.startsWith('field') ? 'field' : 'property'}: fix the \`from\` of one of them, or remove the one that repeats the other`,
      related: [{ message: `\`${other.name.name}\` reads \`${column}\` here`, range: other.from?.range ?? other.name.range }],
    });
  }
}

/** The fields' and properties' own `missing` lists: repeats, bool words, `one of` values. */
function checkFieldLists(ctx: CheckContext, dialect: DataDialect, blockMissing: ReadonlyMap<string, ListItem>): void {
  const boolWords = new Set([...dialect.trueWords, ...dialect.falseWords]);
  // The block's placeholders once (not copied per field: F x P work on every check).
  const blockSet = new Set(dialect.missing);
  const visit = (info: FieldInfo): void => {
    const decl = info.decl;
    const own = uniqueItems(ctx, itemsOf(decl.missing), `the \`missing\` of \`${info.name}\``, true);
    for (const item of own.values()) {
      const inBlock = blockMissing.get(item.folded);
      if (inBlock !== undefined) {
        ctx.report('R043', item.range, `${shown(item.folded)} is already a \`missing\` value of the \`data\` block (line ${inBlock.range.start.line})`, {
          severity: 'warning',
          help: "remove it from this list: the `data` block's `missing` values hold in every field",
          related: [{ message: 'in the `data` block here', range: inBlock.range }],
        });
      }
      if (info.type.kind === 'bool' && boolWords.has(item.folded)) {
        ctx.report('R043', item.range, `${shown(item.folded)} is a \`missing\` value of \`${info.name}\` and a \`${dialect.trueWords.includes(item.folded) ? 'true' : 'false'}\` word of the \`data\` block`, {
          help: `a placeholder is never read as a boolean: remove it from this list, or from the \`data\` block's word list`,
        });
      }
    }
    if (info.type.kind !== 'one-of' || decl.type?.kind !== 'OneOfType') return;
    if (blockSet.size === 0 && own.size === 0) return;
    for (const item of itemsOf(decl.type.values)) {
      const fieldOwn = own.has(item.folded);
      const inBlock = blockSet.has(item.folded);
      if (!fieldOwn && !inBlock) continue;
      ctx.report('R044', item.range, `${shown(item.folded)} is a value of \`${info.name}\`'s \`one of\` set, but the data reads it as missing`, {
        help:
          fieldOwn && inBlock
            ? `remove it from the \`one of\` set, or from both the \`missing\` of \`${info.name}\` and the \`data\` block's \`missing\` values`
            : fieldOwn
              ? `remove it from the \`one of\` set, or from the \`missing\` of \`${info.name}\``
              : "remove it from the `one of` set, or from the `data` block's `missing` values",
      });
    }
  };
  // A synthetic field's list is its declaration's, checked where it is declared (issue 17).
  for (const info of ctx.fields.values()) if (info.synthetic === undefined) visit(info);
  for (const event of ctx.events.values()) for (const info of event.properties.values()) visit(info);
}

/** R044: a test that compares a field (or property) with one of its placeholders. */
function checkComparisons(ctx: CheckContext, dialect: DataDialect, uses: DialectUses): void {
  // The block's placeholders once; a subject's test looks in them and in its own list (a copy
  // of the block's per subject was F x P work on every check).
  const blockSet = new Set(dialect.missing);
  const placeholders = (subject: Subject): Pick<ReadonlySet<string>, 'has'> | undefined => {
    let own: readonly string[] | undefined;
    if (subject.kind === 'field') own = ctx.fields.get(subject.name)?.missing;
    else if (subject.kind === 'property') own = ctx.events.get(subject.event)?.properties.get(subject.name)?.missing;
    else return undefined;
    if (own === undefined || own.length === 0) return blockSet.size === 0 ? undefined : blockSet;
    const ownSet = new Set(own);
    return { has: (value) => blockSet.has(value) || ownSet.has(value) };
  };
  let declared = dialect.missing.length > 0;
  for (const field of ctx.fields.values()) declared ||= (field.missing?.length ?? 0) > 0;
  for (const event of ctx.events.values()) for (const p of event.properties.values()) declared ||= (p.missing?.length ?? 0) > 0;
  if (!declared) return;
  const cache = new Map<string, Pick<ReadonlySet<string>, 'has'> | undefined>();
  const visit = (cond: Cond | undefined): void => {
    if (cond === undefined || cond === null) return;
    switch (cond.kind) {
      case 'and':
      case 'or':
        for (const operand of cond.operands ?? []) visit(operand);
        return;
      case 'not':
        visit(cond.operand);
        return;
      case 'event-exists':
      case 'event-count':
      case 'days-since':
        visit(cond.query?.where);
        return;
      case 'segment':
        return;
      case 'test': {
        const test = cond.test;
        if (test.kind !== 'text-in' && test.kind !== 'has') return;
        const key = cond.subject.kind === 'property' ? `p:${cond.subject.event}.${cond.subject.name}` : `f:${cond.subject.kind === 'field' ? cond.subject.name : ''}`;
        if (!cache.has(key)) cache.set(key, placeholders(cond.subject));
        const set = cache.get(key);
        if (set === undefined) return;
        const hit = test.values.find((v) => set.has(v));
        if (hit === undefined) return;
        const name = cond.subject.kind === 'field' || cond.subject.kind === 'property' ? cond.subject.name : '';
        const message =
          test.kind === 'has'
            ? `\`${name}\` never has ${shown(hit)}: it is a \`missing\` value, dropped from lists as they are read`
            : test.values.some((v) => !set.has(v))
              ? `\`${name}\` is compared with ${shown(hit)}, a \`missing\` value: the data never holds it, so that value never matches`
              : test.negated
              ? `\`${name}\` is compared with ${shown(hit)}, a \`missing\` value: the data never holds it, so this test is only \`${name} is set\``
              : `\`${name}\` is compared with ${shown(hit)}, a \`missing\` value: the data never holds it, so this is never true`;
        ctx.report('R044', cond.range, message, {
          help: `to test for the placeholder, write \`${name} is missing\`; to read ${shown(hit)} as a value, remove it from the \`missing\` values`,
        });
        return;
      }
    }
  };
  for (const rule of uses.rules) visit(rule.kind === 'when' ? rule.condition : rule.query?.where);
  for (const segment of uses.segments.values()) visit(segment.condition);
  for (const stage of uses.stages) {
    for (const part of stage.conditions ?? []) visit(part.cond);
    visit(stage.when);
  }
  for (const tier of uses.tiers) visit(tier.condition);
}
