/**
 * The data dialect: the file's `data` block read into {@link DataDialect}, and each field's and
 * property's `from "COLUMN"` and `missing [..]` read into {@link FieldInfo}. Word lists are
 * folded with the runtime's `fold`, as every other literal, so the readers compare folded text.
 */
import { fold } from '../runtime/fold.js';
import type { DataDecl, DataSetting, FieldDecl, ListLiteral, RubricFile, Value } from '../syntax/ast.js';
import { PLAIN_DIALECT, type DataDialect, type DateOrder, type NumberFormat } from './model.js';

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
