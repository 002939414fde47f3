/**
 * Which rows of a DuckDB relation may hold a value of the wrong type: a value present in the
 * data that the SQL target's value reading (values.ts, the very plans the scoring query uses)
 * turns into NULL. `rubric score --engine duckdb` runs this once to find the leads and events
 * whose values the JavaScript scorer would report as "treated as missing"; only those rows are
 * then checked one by one (a clean file costs this one query, which returns no rows).
 *
 * The test is a superset of what the JavaScript runtime reports, never a subset: "present" here
 * is "not NULL" (and, in `text` and `csv` columns, not blank; in `json` columns, not JSON
 * `null`) and not a placeholder of the rule file's `data` block, which holds for every value the
 * runtime does not call absent; and a value the runtime reads is one the SQL reads too (values.ts
 * reads exactly as runtime-source.ts does, in the same dialect), so an unreadable one is NULL in
 * both. An event's `at` is reported when missing too, so it is suspect whenever its value is
 * NULL.
 *
 * Cost: reading a value fully (folding text, parsing dates) costs about as much as scoring, so a
 * quick test comes first: a value that is absent, or has the plain form of its type (`12`,
 * `2026-03-01`, `yes`, an ASCII member of a `one of` list), is fine, and only the rows with some
 * other value are read fully. The quick tests only ever accept values the full reading accepts.
 */
import type { ReadDialectIR, ValueType } from '../ir.js';
import { sqlDialect, SqlEmitError } from './dialect.js';
import type { SqlColumnFormat } from './mapping.js';
import { constantColumns, PLAIN_READ_DIALECT, ValueReader, type ReadPlan, type StepColumn } from './values.js';

/** One value to test in each row. */
export interface SqlSuspectValue {
  /** The relation's column holding it. */
  readonly column: string;
  readonly format: SqlColumnFormat;
  readonly type: ValueType;
  /** `one of`: the folded allowed values. */
  readonly oneOf?: readonly string[];
  /** The slot's folded placeholders (`ValueSlot.missing`): such text is absent, never suspect. */
  readonly missing?: readonly string[];
  /** An event's `at`: missing counts too, and placeholders do not apply (read as any date, in the dialect's order). */
  readonly eventAt?: boolean;
  /**
   * A condition (SQL over the relation's columns, written `p.column`) under which the value is
   * read at all, e.g. the event's type; none: always.
   */
  readonly when?: string;
}

export interface SqlSuspectOptions {
  /** The relation (a table or view name, already quoted, or a parenthesised subquery with an alias-free body). */
  readonly from: string;
  /** Columns of the relation to return for each suspect row (plain ASCII names). */
  readonly keep: readonly string[];
  readonly values: readonly SqlSuspectValue[];
  /** Another condition (SQL over `p.column`) that makes a row suspect, e.g. an event with no text `type`. */
  readonly also?: string;
  /**
   * How the rule file's data writes numbers, bools and dates (`ScorerIR.dialect`). Required for a
   * rule file with a `data` block: read plainly, `12.5` is a number, which under `numbers:
   * decimal comma` the runtime reports.
   */
  readonly dialect?: ReadDialectIR;
}

// Plain forms, each read by the runtime without a report (so never suspect); at most 300
// digits before the decimal separator, so never an overflow (groups of thousands: at most 99).
const QUICK_NUMBER: Readonly<Record<ReadDialectIR['numbers'], string>> = {
  plain: '[+-]?[0-9]{1,300}([.][0-9]+)?',
  'decimal-comma': '[+-]?([0-9]{1,3}([ .][0-9]{3}){1,99}|[0-9]{1,300})(,[0-9]+)?',
  'decimal-point': '[+-]?([0-9]{1,3}([ ,][0-9]{3}){1,99}|[0-9]{1,300})([.][0-9]+)?',
};
// Days 01-28 exist in every month; times and zones in range.
const QUICK_TIME = '([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,9})?)?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?';
const QUICK_DAY = '[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])';
const QUICK_DATE = `${QUICK_DAY}(T${QUICK_TIME})?`;
// The runtime reads `2026-03-01 09:30` as `2026-03-01T09:30`.
const QUICK_SPACED_DATE = `${QUICK_DAY}([T ]${QUICK_TIME})?`;

/**
 * A cheap DuckDB test (over the raw column `raw`) that holds only for values the full reading
 * accepts or calls absent: the plain form of the type, or nothing at all.
 */
function quickFine(value: SqlSuspectValue, raw: string, dialect: ReadDialectIR): string {
  const d = sqlDialect('duckdb');
  const reader = new ValueReader(d, { dialect });
  const text = d.castText(raw);
  const json = value.format === 'json';
  const isText = value.format === 'csv' || value.format === 'text';
  // A placeholder in its folded form (ASCII text folds to its lowercase) is absent too.
  const placeholders = (value.missing ?? []).filter((placeholder) => /^[\x20-\x7e]+$/.test(placeholder));
  const placeholder = isText && placeholders.length > 0 ? ` OR (${d.isAscii(text)} AND ${reader.isPlaceholder(d.asciiLower(text), placeholders)})` : '';
  const absent = json ? `${raw} IS NULL OR json_type(${raw}) = 'NULL'` : isText ? `${raw} IS NULL OR ${text} = ''${placeholder}` : `${raw} IS NULL`;
  // The test on the value's text: the cell, the text column, or a JSON string.
  const onText = (test: (t: string) => string): string =>
    json ? `(json_type(${raw}) = 'VARCHAR' AND ${test(`json_extract_string(${raw}, '$')`)})` : isText ? test(text) : 'false';
  let plain: string;
  switch (value.type) {
    case 'number':
      // A canonical integer first (cheap), then the regular expression.
      plain = onText((t) => `(${reader.fastNumber(t)} IS NOT NULL OR ${d.fullMatch(t, QUICK_NUMBER[dialect.numbers])})`);
      if (json) plain = `${plain} OR json_type(${raw}) IN ('BIGINT', 'UBIGINT') OR (json_type(${raw}) = 'DOUBLE' AND isfinite(TRY_CAST(${raw} AS DOUBLE)))`;
      break;
    case 'bool': {
      // ASCII words only: lower() is folding there.
      const words = ['true', 'false', 'yes', 'no', '1', '0', ...dialect.trueWords, ...dialect.falseWords].filter((word) => /^[\x20-\x7e]+$/.test(word));
      plain = onText((t) => `(${d.isAscii(t)} AND lower(${t}) IN (${[...new Set(words)].map((word) => d.text(word)).join(', ')}))`);
      if (json) plain = `${plain} OR json_type(${raw}) = 'BOOLEAN'`;
      break;
    }
    case 'date': {
      // The fast reading's shapes first (cheap; in the dialect's day/month order too), then the
      // regular expression.
      const shapes = (t: string): string[] => [
        `${reader.fastDate(t)} IS NOT NULL`,
        ...(dialect.dates === 'iso' ? [] : [`${reader.fastOrderedDate(t)} IS NOT NULL`]),
        d.fullMatch(t, QUICK_SPACED_DATE),
      ];
      plain = onText((t) => `(${shapes(t).join(' OR ')})`);
      break;
    }
    case 'text':
      plain = json ? `json_type(${raw}) = 'VARCHAR'` : isText ? 'true' : 'false';
      break;
    case 'one-of': {
      const members = (value.oneOf ?? []).filter((member) => /^[\x20-\x7e]+$/.test(member)).map((member) => d.text(member));
      plain = members.length === 0 ? 'false' : onText((t) => `(${d.isAscii(t)} AND lower(${t}) IN (${members.join(', ')}))`);
      break;
    }
    case 'list':
      // Text is always a list of texts (or none); a JSON value needs the full reading.
      plain = isText ? 'true' : 'false';
      break;
  }
  // A missing `at` is reported: only its plain form is fine.
  const fine = value.eventAt === true ? plain : `${absent} OR ${plain}`;
  return value.when === undefined ? `coalesce(${fine}, false)` : `(NOT coalesce(${value.when}, false) OR coalesce(${fine}, false))`;
}

/**
 * Whether a value can never be suspect: text (and a list of texts) read from a text or CSV column.
 * Any such text is read (a blank one is absent, a placeholder missing), so its reading is NULL only
 * when it is absent, as {@link quickFine} says of it too.
 */
export function neverSuspect(value: Pick<SqlSuspectValue, 'type' | 'format'>): boolean {
  return (value.type === 'text' || value.type === 'list') && (value.format === 'csv' || value.format === 'text');
}

/**
 * Whether one value is suspect, as DuckDB SQL: `raw` is the value as the relation holds it and
 * `read` its reading by the value plan (values.ts), NULL when absent or unreadable. An event's
 * `at` is suspect whenever its reading is NULL; any other value when it is present (not NULL, not
 * blank text, not JSON `null`) and not one of the slot's placeholders, and yet read as NULL.
 * Also used inside the scoring pass (emit-sql.ts, `eventSuspects`), where the reading is already
 * there: the presence and placeholder tests run only on the rows whose reading is NULL.
 */
export function suspectTest(reader: ValueReader, value: Pick<SqlSuspectValue, 'format' | 'missing' | 'eventAt'>, raw: string, read: string): string {
  if (value.eventAt === true) return `${read} IS NULL`;
  const d = sqlDialect('duckdb');
  const missing = value.missing ?? [];
  const isText = value.format === 'csv' || value.format === 'text';
  // The value's string (a text cell, a JSON string), for the blank and placeholder tests.
  const string = isText ? d.castText(raw) : value.format === 'json' ? d.jsonString(d.castJson(raw)) : undefined;
  // Blank text is absent (blank as folding trims it, the runtime's test).
  const present = isText
    ? `${reader.foldTrim(string as string)} <> ''`
    : value.format === 'json'
      ? `${raw} IS NOT NULL AND json_type(${d.castJson(raw)}) IS DISTINCT FROM 'NULL'`
      : `${raw} IS NOT NULL`;
  const notPlaceholder = string === undefined || missing.length === 0 ? '' : ` AND NOT coalesce(${reader.trimmedIsPlaceholder(reader.foldTrim(string), missing)}, false)`;
  return `(${present} AND ${read} IS NULL${notPlaceholder})`;
}

/**
 * A DuckDB `SELECT` of the `keep` columns of the rows of `from` in which some value of `values`
 * is present but unreadable (or `also` holds); undefined when there is nothing to test.
 */
export function emitDuckdbSuspects(options: SqlSuspectOptions): string | undefined {
  if (options.values.length === 0 && options.also === undefined) return undefined;
  const d = sqlDialect('duckdb');
  const dialect = options.dialect ?? PLAIN_READ_DIALECT;
  const reader = new ValueReader(d, { dialect });
  for (const name of options.keep) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new SqlEmitError(`internal: the column name ${JSON.stringify(name)} is not a plain name`);
  }
  const plans: ReadPlan[] = [];
  const raws: StepColumn[] = [];
  const tests: string[] = [];
  options.values.forEach((value, i) => {
    const raw = `rubric_sq${i}`;
    raws.push({ name: raw, expression: `p.${d.identifier(value.column)}` });
    const id = `q${i}`;
    const missing = value.eventAt === true ? [] : (value.missing ?? []);
    plans.push(reader.plan(id, { type: value.type, format: value.format, oneOf: value.oneOf ?? [], missing }, `p.${raw}`));
    const test = suspectTest(reader, value, `p.${raw}`, `p.v${id}`);
    tests.push(value.when === undefined ? test : `(coalesce(${value.when}, false) AND ${test})`);
  });
  if (options.also !== undefined) tests.push(`coalesce(${options.also}, false)`);

  // The rows whose every value passes its quick test are left out before the full reading.
  // (The relation is `p` there too, so `when` and `also` read its columns as everywhere else.)
  const quick = options.values.map((value) => quickFine(value, `p.${d.identifier(value.column)}`, dialect));
  const doubtful = [...(quick.length === 0 ? [] : [`NOT (${quick.join(' AND ')})`]), ...(options.also === undefined ? [] : [`coalesce(${options.also}, false)`])].join(' OR ');
  const ctes: string[] = [];
  const constants = constantColumns(d, { fold: true, jsTrim: true, numbers: true }, 'CAST(0 AS BIGINT)');
  ctes.push(`rubric_constants AS (SELECT ${constants.map((c) => `${c.expression} AS ${c.name}`).join(', ')})`);
  ctes.push(`rubric_suspect_0 AS (SELECT p.*, rc.*${raws.map((c) => `, ${c.expression} AS ${c.name}`).join('')} FROM ${options.from} AS p CROSS JOIN rubric_constants AS rc WHERE ${doubtful})`);
  // Stage k of every value's plan together, each reading the stage before as `p`.
  const stages: StepColumn[][] = [];
  for (const plan of plans) plan.forEach((stage, k) => (stages[k] ??= []).push(...stage));
  let previous = 'rubric_suspect_0';
  stages.forEach((stage, k) => {
    const name = `rubric_suspect_${k + 1}`;
    ctes.push(`${name} AS (SELECT p.*, ${stage.map((c) => `${c.expression} AS ${c.name}`).join(', ')} FROM ${previous} AS p)`);
    previous = name;
  });
  const keep = options.keep.map((name) => `p.${name}`).join(', ');
  return `WITH ${ctes.join(',\n')}\nSELECT ${keep} FROM ${previous} AS p WHERE ${tests.join(' OR ')}`;
}
