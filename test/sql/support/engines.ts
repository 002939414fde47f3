/**
 * Loading test tables into DuckDB and PostgreSQL and running the SQL target's queries. Rows go
 * in as ONE JSON parameter per table (no value is ever spliced into SQL text here), converted
 * per column by the engine, so thousands of rows cost one statement.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type pg from 'pg';

/** How a test column is stored. `csv` columns are text. */
export type ColumnKind = 'text' | 'number' | 'bool' | 'timestamp' | 'list' | 'json';

/** A timestamp cell: microseconds since the epoch, or an infinite timestamp. */
export type TimestampCell = { readonly micros: bigint } | 'infinity' | '-infinity';

export type Cell = string | number | boolean | TimestampCell | ReadonlyArray<string | null> | null;

export interface TestColumn {
  readonly name: string;
  readonly kind: ColumnKind;
}

export interface TestTable {
  readonly name: string;
  readonly columns: readonly TestColumn[];
  /** Cells by column position. */
  readonly rows: ReadonlyArray<readonly Cell[]>;
}

/** The test's own identifier quoting (deliberately not the emitter's). */
export function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function microsText(micros: bigint): string {
  const millis = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const rest = micros - millis * 1000n;
  const iso = new Date(Number(millis)).toISOString(); // 2026-03-01T00:00:00.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${rest.toString().padStart(3, '0')}`;
}

/** A row as a JSON object `{c0: ..., c1: ...}` of texts the engines convert. */
function encodeRow(columns: readonly TestColumn[], row: readonly Cell[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    const cell = row[i];
    if (cell === null || cell === undefined) return;
    switch (column.kind) {
      case 'number':
        out[`c${i}`] = String(cell); // NaN, Infinity and -Infinity read back in both engines
        break;
      case 'timestamp':
        out[`c${i}`] = typeof cell === 'string' ? cell : microsText((cell as { micros: bigint }).micros);
        break;
      default:
        out[`c${i}`] = cell;
    }
  });
  return out;
}

function duckdbType(kind: ColumnKind): string {
  return { text: 'VARCHAR', number: 'DOUBLE', bool: 'BOOLEAN', timestamp: 'TIMESTAMP', list: 'VARCHAR[]', json: 'JSON' }[kind];
}

function postgresType(kind: ColumnKind): string {
  return { text: 'text', number: 'double precision', bool: 'boolean', timestamp: 'timestamp', list: 'text[]', json: 'jsonb' }[kind];
}

/** A test engine: load tables, run a query, get plain rows back. */
export interface TestEngine {
  readonly name: 'duckdb' | 'postgres';
  load(table: TestTable): Promise<void>;
  /** Runs `sql` (with `$1`... bound to `params`), rows as plain objects (integers as numbers). */
  query(sql: string, params?: readonly unknown[]): Promise<Array<Record<string, unknown>>>;
  /** Runs statements, no result. */
  run(sql: string): Promise<void>;
  close(): Promise<void>;
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  return value;
}

export async function openDuckdb(): Promise<TestEngine> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection: DuckDBConnection = await instance.connect();
  return {
    name: 'duckdb',
    async load(table) {
      const name = quoteName(table.name);
      const definitions = table.columns.map((column) => `${quoteName(column.name)} ${duckdbType(column.kind)}`).join(', ');
      await connection.run(`DROP TABLE IF EXISTS ${name}; CREATE TABLE ${name} (${definitions})`);
      if (table.rows.length === 0) return;
      const values = table.columns.map((column, i) => {
        const key = `'$.c${i}'`;
        switch (column.kind) {
          case 'text':
            return `json_extract_string(j, ${key})`;
          case 'number':
            return `CAST(json_extract_string(j, ${key}) AS DOUBLE)`;
          case 'bool':
            return `CAST(json_extract(j, ${key}) AS BOOLEAN)`;
          case 'timestamp':
            return `CAST(json_extract_string(j, ${key}) AS TIMESTAMP)`;
          case 'list':
            return `CAST(json_extract(j, ${key}) AS VARCHAR[])`;
          case 'json':
            return `CAST(json_extract_string(j, ${key}) AS JSON)`;
        }
      });
      const json = JSON.stringify(table.rows.map((row) => encodeRow(table.columns, row)));
      await connection.run(`INSERT INTO ${name} SELECT ${values.join(', ')} FROM (SELECT unnest(json_extract(CAST($1 AS JSON), '$[*]')) AS j)`, [json]);
    },
    async query(sql, params) {
      const reader = params === undefined ? await connection.runAndReadAll(sql) : await connection.runAndReadAll(sql, params as never);
      return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
    },
    async run(sql) {
      await connection.run(sql);
    },
    async close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

export function postgresEngine(client: pg.Client): TestEngine {
  return {
    name: 'postgres',
    async load(table) {
      const name = quoteName(table.name);
      const definitions = table.columns.map((column) => `${quoteName(column.name)} ${postgresType(column.kind)}`).join(', ');
      await client.query(`DROP TABLE IF EXISTS ${name}; CREATE TEMP TABLE ${name} (${definitions})`);
      if (table.rows.length === 0) return;
      const values = table.columns.map((column, i) => {
        const key = `'c${i}'`;
        switch (column.kind) {
          case 'text':
            return `j->>${key}`;
          case 'number':
            return `CAST(j->>${key} AS double precision)`;
          case 'bool':
            return `CAST(j->>${key} AS boolean)`;
          case 'timestamp':
            return `CAST(j->>${key} AS timestamp)`;
          case 'list':
            return `CASE WHEN jsonb_typeof(j->${key}) = 'array' THEN ARRAY(SELECT e FROM jsonb_array_elements_text(j->${key}) WITH ORDINALITY AS u(e, i) ORDER BY i) END`;
          case 'json':
            return `CAST(j->>${key} AS jsonb)`;
        }
      });
      const json = JSON.stringify(table.rows.map((row) => encodeRow(table.columns, row)));
      await client.query(`INSERT INTO ${name} SELECT ${values.join(', ')} FROM jsonb_array_elements(CAST($1 AS jsonb)) AS j`, [json]);
    },
    async query(sql, params) {
      const result = await client.query(sql, params === undefined ? undefined : [...params]);
      return (result.rows as Array<Record<string, unknown>>).map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && result.fields.find((f) => f.name === k)?.dataTypeID === 20 ? Number(v) : v])),
      );
    },
    async run(sql) {
      await client.query(sql);
    },
    async close() {
      // The server belongs to the test file.
    },
  };
}
