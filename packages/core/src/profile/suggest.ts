/**
 * From a profile's evidence to what the user could declare: a `data { ... }` block (the current
 * settings kept, suspected placeholders, a number format, a date order and bool words added)
 * and `from` / `missing` lines for lead fields. Only clear evidence becomes a setting; anything
 * ambiguous (a date that reads both ways, numbers pointing both ways) becomes a note for the user
 * to decide: a wrong dialect silently changes scores, a missing one is reported.
 */
import type { DataDialect, Model } from '../checker/model.js';
import { fold } from '../runtime/fold.js';
import type { DataProfile, FieldProfile, FromSuggestion, ProfileSuggestions } from './types.js';

/**
 * The built-in bool words: never suggested as `missing` values (the checker allows them, but a
 * placeholder `no` or `0` would make that text missing in every bool field), nor as true/false words.
 */
const BUILT_IN_BOOL_WORDS = new Set(['true', 'yes', '1', 'false', 'no', '0']);

/**
 * A value as a Rubric string literal (double quotes; `\\`, `\"`, `\n`, `\t`, `\u{..}` escapes for
 * control characters, line and paragraph separators and lone surrogates): any text, read back as
 * itself. The profile's suggestions use it, and so do the tests that write hostile text into rules.
 */
export function rubricString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0x2028 || code === 0x2029 || (code >= 0xd800 && code <= 0xdfff)) {
      out += `\\u{${code.toString(16)}}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** A column or field name reduced to its letters and digits, folded: `Company Size` and `company.size` meet. */
export function looseName(name: string): string {
  return fold(name).replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The profile without its suggestions and findings (what they are computed from). */
export type ProfileEvidence = Omit<DataProfile, 'suggestions' | 'findings'>;

/**
 * Another file's evidence read against the same rule file (issue 17: the accounts file beside
 * the contacts), with the model its fields belong to (`model.account.scoring` for accounts).
 */
export interface SharedEvidence {
  readonly profile: ProfileEvidence;
  readonly model: Model;
}

/**
 * What to declare, from the evidence of `profile`. `model` gives the current dialect, the
 * declarations (types and `missing` lists as written) and the `one of` sets; `columns` the
 * data's columns in order. `shared`: the other files read against the same rule file; their
 * values count for the file-wide settings (the `data` block's `missing`, `numbers`, `dates`,
 * `true`, `false`, and the notes about them), never for this file's `from` lines and
 * declarations. Without `shared`, exactly the suggestions of `profile` alone.
 */
export function suggestDialect(profile: ProfileEvidence, model: Model, columns: readonly string[], shared: readonly SharedEvidence[] = []): ProfileSuggestions {
  const dialect = model.dialect;
  const notes: string[] = [];
  // The fields of every file, this one's first (its values lead the lists and the examples).
  const allFields = [...profile.fields, ...shared.flatMap((other) => other.profile.fields)];
  const own = new Set(profile.fields);

  // Bool words first: a placeholder may not also be one.
  const trueWords = new Map<string, string>();
  const falseWords = new Map<string, string>();
  for (const field of allFields) {
    for (const word of field.boolWords ?? []) {
      const folded = fold(word.value);
      if (dialect.trueWords.includes(folded) || dialect.falseWords.includes(folded)) continue;
      // Word lists are folded anyway: the folded spelling reads best (`non`, not `NON`).
      (word.means ? trueWords : falseWords).set(folded, folded);
    }
  }
  const isBoolWord = (folded: string): boolean =>
    BUILT_IN_BOOL_WORDS.has(folded) ||
    trueWords.has(folded) ||
    falseWords.has(folded) ||
    dialect.trueWords.includes(folded) ||
    dialect.falseWords.includes(folded);

  // Placeholders: words and symbols for the whole file, zeros for their field only; a value that
  // is in some field's `one of` set stays with the fields it was met in (R044 otherwise).
  const oneOfValues = new Set<string>();
  for (const fields of [model.fields, ...shared.map((other) => other.model.fields)]) {
    for (const info of fields.values()) if (info.type.kind === 'one-of') for (const value of info.type.values) oneOfValues.add(value);
  }
  const global = new Map<string, { value: string; count: number }>();
  const perField = new Map<string, string[]>();
  for (const field of allFields) {
    for (const placeholder of field.placeholders) {
      const folded = fold(placeholder.value);
      if (isBoolWord(folded)) continue;
      if (placeholder.kind === 'zeros' || oneOfValues.has(folded)) {
        // Another file's field placeholders are its own declarations (its own report says them).
        if (!own.has(field)) continue;
        if (field.source !== 'lead') {
          notes.push(`\`${field.name}\` has ${placeholder.count} × \`${placeholder.value}\`: if that means no value, add \`missing [${rubricString(placeholder.value)}]\` to the property`);
          continue;
        }
        const list = perField.get(field.name) ?? [];
        if (!list.some((value) => fold(value) === folded)) list.push(placeholder.value);
        perField.set(field.name, list);
        continue;
      }
      const entry = global.get(folded);
      if (entry !== undefined) entry.count += placeholder.count;
      else global.set(folded, { value: placeholder.value, count: placeholder.count });
    }
  }
  const missing = [...global.values()].sort((a, b) => b.count - a.count).map((entry) => entry.value);

  const numbers = suggestNumbers(allFields, dialect, notes);
  const dates = suggestDates(allFields, dialect, notes);
  const from = suggestFrom(profile, model, columns);

  const fieldMissing = [...perField].map(([field, values]) => ({ field, values }));
  const declarations = fieldDeclarations(profile, model, from, perField);
  const block = dataBlock(model, {
    missing,
    numbers,
    dates,
    trueWords: [...trueWords.values()],
    falseWords: [...falseWords.values()],
  });
  return {
    missing,
    fieldMissing,
    ...(numbers !== undefined ? { numbers } : {}),
    ...(dates !== undefined ? { dates } : {}),
    trueWords: [...trueWords.values()],
    falseWords: [...falseWords.values()],
    from,
    declarations,
    notes,
    block,
  };
}

/**
 * The lead field declarations to paste in place of the current ones: a suggested `from`, a
 * suggested `missing` (merged with the field's own list), the rest as written.
 */
function fieldDeclarations(
  profile: ProfileEvidence,
  model: Model,
  from: readonly FromSuggestion[],
  perField: ReadonlyMap<string, readonly string[]>,
): string[] {
  const text = model.file.text;
  const fromByField = new Map(from.map((suggestion) => [suggestion.field, suggestion.column]));
  const lines: string[] = [];
  for (const field of profile.fields) {
    if (field.source !== 'lead') continue;
    const column = fromByField.get(field.name);
    const extra = perField.get(field.name) ?? [];
    if (column === undefined && extra.length === 0) continue;
    const decl = model.fields.get(field.name)?.decl;
    const written = decl?.missing !== undefined ? text.slice(decl.missing.range.start.offset, decl.missing.range.end.offset) : undefined;
    let missing = '';
    if (extra.length > 0) {
      const current = model.fields.get(field.name)?.missing ?? [];
      const values = [...current.map(rubricString), ...extra.filter((value) => !current.includes(fold(value))).map(rubricString)];
      missing = ` missing [${values.join(', ')}]`;
    } else if (written !== undefined) {
      missing = ` missing ${written}`;
    }
    const fromColumn = column ?? (decl?.from !== undefined ? field.column : undefined);
    lines.push(`${writtenName(model, field.name)}: ${field.type}${fromColumn !== undefined ? ` from ${rubricString(fromColumn)}` : ''}${missing}`);
  }
  return lines;
}

/** A lead field's name as its declaration writes it (backticks kept: `` `job title` ``), for lines to paste. */
function writtenName(model: Model, name: string): string {
  const range = model.fields.get(name)?.decl?.name?.range;
  return range === undefined ? name : model.file.text.slice(range.start.offset, range.end.offset);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function examples(list: readonly string[]): string {
  return list.map((value) => `\`${value}\``).join(', ');
}

function suggestNumbers(fields: readonly FieldProfile[], dialect: DataDialect, notes: string[]): 'decimal-comma' | 'decimal-point' | undefined {
  let comma = 0;
  let point = 0;
  let ambiguous = 0;
  const commaExamples: string[] = [];
  const pointExamples: string[] = [];
  const ambiguousExamples: string[] = [];
  for (const field of fields) {
    const evidence = field.numberFormats;
    if (evidence === undefined) continue;
    comma += evidence.decimalComma.count;
    point += evidence.decimalPoint.count;
    ambiguous += evidence.ambiguous.count;
    commaExamples.push(...evidence.decimalComma.examples);
    pointExamples.push(...evidence.decimalPoint.examples);
    ambiguousExamples.push(...evidence.ambiguous.examples);
  }
  const current = dialect.numbers === 'plain' ? undefined : dialect.numbers;
  if (comma > 0 && point > 0) {
    notes.push(
      `numbers are written both ways: ${plural(comma, 'value')} with a decimal comma (${examples(commaExamples.slice(0, 3))}) and ${point} with a decimal point (${examples(pointExamples.slice(0, 3))}); one \`numbers\` setting cannot read both: fix the data or pick the majority`,
    );
    return current;
  }
  if (comma > 0) return 'decimal-comma';
  if (point > 0) return 'decimal-point';
  if (ambiguous > 0 && current === undefined) {
    notes.push(
      `${plural(ambiguous, 'number')} like ${examples(ambiguousExamples.slice(0, 3))} read as thousands with \`numbers: decimal point\` and as decimals with \`numbers: decimal comma\`: say which`,
    );
  }
  return current;
}

function suggestDates(fields: readonly FieldProfile[], dialect: DataDialect, notes: string[]): 'day-first' | 'month-first' | undefined {
  let dayFirst = 0;
  let monthFirst = 0;
  let ambiguous = 0;
  let twoDigit = 0;
  const ambiguousExamples: string[] = [];
  const twoDigitExamples: string[] = [];
  const dayExamples: string[] = [];
  const monthExamples: string[] = [];
  for (const field of fields) {
    const evidence = field.dateOrders;
    if (evidence === undefined) continue;
    dayFirst += evidence.dayFirst.count;
    monthFirst += evidence.monthFirst.count;
    ambiguous += evidence.ambiguous.count;
    twoDigit += evidence.twoDigitYear.count;
    dayExamples.push(...evidence.dayFirst.examples);
    monthExamples.push(...evidence.monthFirst.examples);
    ambiguousExamples.push(...evidence.ambiguous.examples);
    twoDigitExamples.push(...evidence.twoDigitYear.examples);
  }
  const current = dialect.dates === 'iso' ? undefined : dialect.dates;
  if (twoDigit > 0) {
    notes.push(`${plural(twoDigit, 'date')} like ${examples(twoDigitExamples.slice(0, 3))} have a two-digit year: Rubric never reads those; export four-digit years`);
  }
  if (dayFirst > 0 && monthFirst > 0) {
    notes.push(
      `dates are written both ways: ${dayFirst} day first (${examples(dayExamples.slice(0, 3))}) and ${monthFirst} month first (${examples(monthExamples.slice(0, 3))}); one \`dates\` setting cannot read both`,
    );
    return current;
  }
  if (dayFirst > 0) return 'day-first';
  if (monthFirst > 0) return 'month-first';
  if (ambiguous > 0 && current === undefined) {
    notes.push(
      `${plural(ambiguous, 'date')} like ${examples(ambiguousExamples.slice(0, 3))} read either way (day or month first) and none settles it: Rubric never guesses; add \`dates: day first\` or \`dates: month first\``,
    );
  }
  return current;
}

/** `from` lines for lead fields with no column whose name clearly is one unused column's. */
function suggestFrom(profile: ProfileEvidence, model: Model, columns: readonly string[]): FromSuggestion[] {
  const unused = new Set(profile.unusedColumns);
  const byLoose = new Map<string, string[]>();
  for (const column of columns) {
    // A column whose name did not decode (U+FFFD) is the wrong encoding, not a name to copy.
    if (!unused.has(column) || column.includes('\uFFFD')) continue;
    const key = looseName(column);
    if (key === '') continue;
    byLoose.set(key, [...(byLoose.get(key) ?? []), column]);
  }
  const fieldsByLoose = new Map<string, string[]>();
  const lonely = profile.fields.filter((field) => field.source === 'lead' && !field.hasColumn);
  for (const field of lonely) {
    for (const key of new Set([looseName(field.name), looseName(field.column)])) {
      fieldsByLoose.set(key, [...(fieldsByLoose.get(key) ?? []), field.name]);
    }
  }
  const text = model.file.text;
  const suggestions: FromSuggestion[] = [];
  for (const field of lonely) {
    const keys = new Set([looseName(field.name), looseName(field.column)]);
    const matches = new Set<string>();
    for (const key of keys) for (const column of byLoose.get(key) ?? []) matches.add(column);
    // Clear only when one column matches this field and that column matches no other field.
    if (matches.size !== 1) continue;
    const column = [...matches][0];
    const rivals = new Set<string>(fieldsByLoose.get(looseName(column)) ?? []);
    if (rivals.size !== 1) continue;
    const decl = model.fields.get(field.name)?.decl;
    const missingText = decl?.missing !== undefined ? ` missing ${text.slice(decl.missing.range.start.offset, decl.missing.range.end.offset)}` : '';
    suggestions.push({ field: field.name, column, line: `${writtenName(model, field.name)}: ${field.type} from ${rubricString(column)}${missingText}` });
  }
  return suggestions;
}

const NUMBER_WORDS = { 'decimal-comma': 'decimal comma', 'decimal-point': 'decimal point' } as const;
const DATE_WORDS = { 'day-first': 'day first', 'month-first': 'month first' } as const;

/** The items of the file's own `data` list settings as written (`"N/A"`, `inconnu`), by setting name. */
function writtenLists(model: Model): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  const text = model.file.text;
  for (const statement of model.file.statements) {
    if (statement.kind !== 'DataDecl') continue;
    for (const setting of statement.settings) {
      if (setting.value.kind !== 'ListLiteral') continue;
      lists.set(
        setting.name.text,
        setting.value.items.map((item) => text.slice(item.range.start.offset, item.range.end.offset)),
      );
    }
  }
  return lists;
}

/**
 * The `data` block with the current settings (as written) and the suggested ones; '' when the
 * suggestions add nothing to what the file declares.
 */
function dataBlock(
  model: Model,
  add: {
    missing: readonly string[];
    numbers: 'decimal-comma' | 'decimal-point' | undefined;
    dates: 'day-first' | 'month-first' | undefined;
    trueWords: readonly string[];
    falseWords: readonly string[];
  },
): string {
  const dialect = model.dialect;
  const written = writtenLists(model);
  let changed = false;
  /** The setting's list: what the file writes (or its folded values), then the new values. */
  const merge = (name: string, current: readonly string[], extra: readonly string[]): string[] => {
    const out = written.get(name) ?? current.map(rubricString);
    const known = new Set(current);
    for (const value of extra) {
      const folded = fold(value);
      if (known.has(folded)) continue;
      known.add(folded);
      out.push(rubricString(value));
      changed = true;
    }
    return out;
  };
  const lines: string[] = [];
  const missing = merge('missing', dialect.missing, add.missing);
  if (missing.length > 0) lines.push(`  missing: [${missing.join(', ')}]`);
  const numbers = add.numbers ?? (dialect.numbers === 'plain' ? undefined : dialect.numbers);
  if (numbers !== undefined) lines.push(`  numbers: ${NUMBER_WORDS[numbers]}`);
  if (numbers !== undefined && numbers !== dialect.numbers) changed = true;
  const dates = add.dates ?? (dialect.dates === 'iso' ? undefined : dialect.dates);
  if (dates !== undefined) lines.push(`  dates: ${DATE_WORDS[dates]}`);
  if (dates !== undefined && dates !== dialect.dates) changed = true;
  const trueWords = merge('true', dialect.trueWords, add.trueWords);
  if (trueWords.length > 0) lines.push(`  true: [${trueWords.join(', ')}]`);
  const falseWords = merge('false', dialect.falseWords, add.falseWords);
  if (falseWords.length > 0) lines.push(`  false: [${falseWords.join(', ')}]`);
  return changed ? `data {\n${lines.join('\n')}\n}` : '';
}
