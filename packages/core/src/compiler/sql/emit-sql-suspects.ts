/**
 * Which rows of a DuckDB relation may hold a value of the wrong type: a value present in the
 * data that the SQL target's value reading (values.ts, the very plans the scoring query uses)
 * turns into NULL. `rubric score --engine duckdb` runs this once to find the leads and events
 * whose values the JavaScript scorer would report as "treated as missing"; only those rows are
 * then checked one by one (a clean file costs this one query, which returns no rows).
 *
 * The test is a superset of what the JavaScript runtime reports, never a subset: "present" here
 * is "not NULL" (and, in `csv` columns, not blank; in `json` columns, not JSON `null`), which
 * holds for every value the runtime does not call absent; and a value the runtime reads is one
 * the SQL reads too (values.ts reads exactly as runtime-source.ts does), so an unreadable one is
 * NULL in both. An event's `at` is reported when missing too, so it is suspect whenever its
 * value is NULL.
 *
 * Cost: reading a value fully (folding text, parsing dates) costs about as much as scoring, so a
 * quick test comes first: a value that is absent, or has the plain form of its type (`12`,
 * `2026-03-01`, `yes`, an ASCII member of a `one of` list), is fine, and only the rows with some
 * other value are read fully. The quick tests only ever accept values the full reading accepts.
 */
import type { ValueType } from '../ir.js';
import { sqlDialect, SqlEmitError } from './dialect.js';
import type { SqlColumnFormat } from './mapping.js';
import { constantColumns, ValueReader, type ReadPlan, type StepColumn } from './values.js';

/** One value to test in each row. */
export interface SqlSuspectValue {
  /** The relation's column holding it. */
  readonly column: string;
  readonly format: SqlColumnFormat;
  readonly type: ValueType;
  /** `one of`: the folded allowed values. */
  readonly oneOf?: readonly string[];
  /** An event's `at`: missing counts too (and in `csv` it is only trimmed). */
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
}

// Plain forms, each read by the runtime without a report (so never suspect).
const QUICK_NUMBER = '-?[0-9]{1,300}([.][0-9]+)?';
const QUICK_CSV_NUMBER = '[+-]?[0-9]{1,300}([.][0-9]+)?';
// Days 01-28 exist in every month; times and zones in range.
const QUICK_TIME = '([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,9})?)?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?';
const QUICK_DAY = '[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])';
const QUICK_DATE = `${QUICK_DAY}(T${QUICK_TIME})?`;
// `rubric score` reads `2026-03-01 09:30` in a CSV lead field as `2026-03-01T09:30`.
const QUICK_CSV_DATE = `${QUICK_DAY}([T ]${QUICK_TIME})?`;

/**
 * A cheap DuckDB test (over the raw column `raw`) that holds only for values the full reading
 * accepts or calls absent: the plain form of the type, or nothing at all.
 */
function quickFine(value: SqlSuspectValue, raw: string): string {
  const d = sqlDialect('duckdb');
  const reader = new ValueReader(d);
  const text = d.castText(raw);
  const json = value.format === 'json';
  const absent = json ? `${raw} IS NULL OR json_type(${raw}) = 'NULL'` : value.format === 'csv' ? `${raw} IS NULL OR ${text} = ''` : `${raw} IS NULL`;
  // The test on the value's text: the cell, the text column, or a JSON string.
  const onText = (test: (t: string) => string): string =>
    json ? `(json_type(${raw}) = 'VARCHAR' AND ${test(`json_extract_string(${raw}, '$')`)})` : value.format === 'csv' || value.format === 'text' ? test(text) : 'false';
  const csv = value.format === 'csv';
  let plain: string;
  switch (value.type) {
    case 'number':
      // A canonical integer first (cheap), then the regular expression.
      plain = onText((t) => `(${reader.fastNumber(t)} IS NOT NULL OR ${d.fullMatch(t, csv ? QUICK_CSV_NUMBER : QUICK_NUMBER)})`);
      if (json) plain = `${plain} OR json_type(${raw}) IN ('BIGINT', 'UBIGINT') OR (json_type(${raw}) = 'DOUBLE' AND isfinite(TRY_CAST(${raw} AS DOUBLE)))`;
      break;
    case 'bool':
      plain = onText((t) => `lower(${t}) IN ('true', 'false', 'yes', 'no', '1', '0')`);
      if (json) plain = `${plain} OR json_type(${raw}) = 'BOOLEAN'`;
      break;
    case 'date':
      // An event's `at` in an events file is only trimmed: no space for the `T` there.
      // The fast reading's shapes first (cheap), then the regular expression.
      plain = onText((t) => `(${reader.fastDate(t)} IS NOT NULL OR ${d.fullMatch(t, csv && value.eventAt !== true ? QUICK_CSV_DATE : QUICK_DATE)})`);
      break;
    case 'text':
      plain = json ? `json_type(${raw}) = 'VARCHAR'` : csv || value.format === 'text' ? 'true' : 'false';
      break;
    case 'one-of': {
      const members = (value.oneOf ?? []).filter((member) => /^[\x20-\x7e]+$/.test(member)).map((member) => d.text(member));
      plain = members.length === 0 ? 'false' : onText((t) => `(${d.isAscii(t)} AND lower(${t}) IN (${members.join(', ')}))`);
      break;
    }
    case 'list':
      // A CSV cell is always a list of texts; a JSON value needs the full reading.
      plain = csv ? 'true' : 'false';
      break;
  }
  // A missing `at` is reported: only its plain form is fine.
  const fine = value.eventAt === true ? plain : `${absent} OR ${plain}`;
  return value.when === undefined ? `coalesce(${fine}, false)` : `(NOT coalesce(${value.when}, false) OR coalesce(${fine}, false))`;
}

/**
 * A DuckDB `SELECT` of the `keep` columns of the rows of `from` in which some value of `values`
 * is present but unreadable (or `also` holds); undefined when there is nothing to test.
 */
export function emitDuckdbSuspects(options: SqlSuspectOptions): string | undefined {
  if (options.values.length === 0 && options.also === undefined) return undefined;
  const d = sqlDialect('duckdb');
  const reader = new ValueReader(d);
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
    plans.push(reader.plan(id, value.type, value.format, `p.${raw}`, value.oneOf ?? [], value.eventAt === true));
    const read = `p.v${id}`;
    let test: string;
    if (value.eventAt === true) {
      test = `${read} IS NULL`;
    } else {
      const text = d.castText(`p.${raw}`);
      const present =
        value.format === 'csv'
          ? `${reader.jsTrim(text)} <> ''`
          : value.format === 'json'
            ? `p.${raw} IS NOT NULL AND json_type(${d.castJson(`p.${raw}`)}) IS DISTINCT FROM 'NULL'`
            : `p.${raw} IS NOT NULL`;
      test = `(${present} AND ${read} IS NULL)`;
    }
    tests.push(value.when === undefined ? test : `(coalesce(${value.when}, false) AND ${test})`);
  });
  if (options.also !== undefined) tests.push(`coalesce(${options.also}, false)`);

  // The rows whose every value passes its quick test are left out before the full reading.
  // (The relation is `p` there too, so `when` and `also` read its columns as everywhere else.)
  const quick = options.values.map((value) => quickFine(value, `p.${d.identifier(value.column)}`));
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
