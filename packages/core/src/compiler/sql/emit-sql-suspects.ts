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
    raws.push({ name: raw, expression: `src.${d.identifier(value.column)}` });
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

  const ctes: string[] = [];
  const constants = constantColumns(d, { fold: true, jsTrim: true, numbers: true }, 'CAST(0 AS BIGINT)');
  ctes.push(`rubric_constants AS (SELECT ${constants.map((c) => `${c.expression} AS ${c.name}`).join(', ')})`);
  ctes.push(`rubric_suspect_0 AS (SELECT src.*, rc.*${raws.map((c) => `, ${c.expression} AS ${c.name}`).join('')} FROM ${options.from} AS src CROSS JOIN rubric_constants AS rc)`);
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
