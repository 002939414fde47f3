/**
 * Loading `rubric score` inputs into DuckDB for `--engine duckdb`: the leads file (CSV, JSON
 * Lines, JSON array or Parquet) and the events (an `--events` file, or each lead's own `events`)
 * become relations with the columns the SQL target's mapping names, read the way the JavaScript
 * path reads them:
 *
 * - records: exactly those the JavaScript engine reads, and the rejected ones exactly those it
 *   rejects, with the same lines, columns and messages (see {@link loadFile}): a CSV file whose
 *   bytes are plain (`csv-prescan.ts`), read as UTF-8 and starting with no byte order mark, is
 *   read by DuckDB's own reader; any other CSV file (`--encoding windows-1252`, a UTF-16 file, a
 *   file with a mark...), and every JSON file, by the JavaScript engine's reader (which decodes
 *   it), its good records appended to DuckDB;
 * - CSV: every cell is text in the `csv` format, read as the scorer reads the raw cell the
 *   JavaScript engine hands it (`coerceCell`: in the rule file's data dialect); the header is read by the
 *   CLI's own CSV reader (BOM, delimiter detection), rows whose cells are all blank are skipped,
 *   an `events` column holds the lead's events as a JSON array;
 * - JSON: each record is one JSON value; a field is the JSON value at its dotted key, else at
 *   its nested path (JSON pointers), read in the `json` format (exactly as the parsed object);
 * - Parquet: typed columns, read by type (text, number, bool, timestamp, list, JSON).
 *
 * Lead ids (`--id`, `--events-key`) are compared as trimmed text, as the JavaScript join does.
 */
import { stat } from 'node:fs/promises';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { MAX_VALUE_DEPTH, type SqlColumnFormat, type SqlMapping } from '@rubric/core';
import { CliError, type CommandContext } from '../context.js';
import { readItemBatches } from '../input/data-file.js';
import { readCsv } from '../input/csv.js';
import { idText } from '../input/events-join.js';
import { columnOfField, type Schema } from '../input/leads.js';
import { refuseDuplicateColumns } from '../input/blank-columns.js';
import { openInput, writesByteOrderMark, type ReadOptions } from '../input/source.js';
import { prescanCsv } from './csv-prescan.js';

/** The formats `--engine duckdb` reads. */
export type EngineInputFormat = 'csv' | 'jsonl' | 'json' | 'parquet';

/** A DuckDB string literal (quotes doubled; NUL cannot occur in paths or header names we pass). */
export function sqlText(value: string): string {
  if (value.includes('\u0000')) throw new CliError(`the name ${JSON.stringify(value)} holds a NUL character`);
  return `'${value.replace(/'/g, "''")}'`;
}

/** A DuckDB identifier. */
export function sqlName(name: string): string {
  if (name.includes('\u0000')) throw new CliError(`the name ${JSON.stringify(name)} holds a NUL character`);
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * JavaScript's `trim()` white space, as DuckDB expressions: all of it, and its ASCII part. Found
 * by testing every BMP code point, so built on first use: every `rubric` start loads this module.
 */
let trimSets: readonly [all: string, ascii: string] | undefined;
function jsTrimSets(): readonly [all: string, ascii: string] {
  if (trimSets === undefined) {
    const codes: number[] = [];
    for (let cp = 0; cp <= 0xffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (String.fromCharCode(cp).trim() === '') codes.push(cp);
    }
    const set = (list: number[]) => list.map((cp) => `chr(${cp})`).join(' || ');
    trimSets = [set(codes), set(codes.filter((cp) => cp < 0x80))];
  }
  return trimSets;
}

/**
 * `text.trim()` as a DuckDB expression: ASCII text that neither starts nor ends with white space
 * is left as is (a cheap test: trimming with a set of characters is slow), other ASCII text is
 * trimmed with the short ASCII set, the rest with the whole set.
 */
export function jsTrim(expression: string): string {
  const ends = [9, 10, 11, 12, 13, 32].map((code) => `suffix(${expression}, chr(${code}))`).join(' OR ');
  const plain = `strlen(${expression}) = length(${expression}) AND (${expression} COLLATE c) >= '!' AND NOT (${ends})`;
  const [all, ascii] = jsTrimSets();
  return `CASE WHEN ${plain} THEN ${expression} WHEN strlen(${expression}) = length(${expression}) THEN trim(${expression}, ${ascii}) ELSE trim(${expression}, ${all}) END`;
}

/** `idText` of the JavaScript path: text trimmed (blank: none), numbers as text. */
function idFromText(expression: string): string {
  return `NULLIF(${jsTrim(`CAST(${expression} AS VARCHAR)`)}, '')`;
}

function idFromJson(json: string): string {
  return `CASE WHEN json_type(${json}) = 'VARCHAR' THEN NULLIF(${jsTrim(`json_extract_string(${json}, '$')`)}, '') WHEN json_type(${json}) IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE') THEN CAST(${json} AS VARCHAR) END`;
}

/** A JSON pointer to a key (`~` and `/` escaped). */
function pointer(parts: readonly string[]): string {
  return `/${parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/**
 * The value a dotted field has in a JSON object: the literal dotted key first, then the nested
 * path. `literal`: the key only (a field read `from` a column is one literal key, never a path).
 */
export function jsonField(json: string, name: string, literal = false): string {
  const direct = sqlText(pointer([name]));
  const parts = name.split('.');
  if (literal || parts.length < 2) return `json_extract(${json}, ${direct})`;
  return `CASE WHEN json_exists(${json}, ${direct}) THEN json_extract(${json}, ${direct}) ELSE json_extract(${json}, ${sqlText(pointer(parts))}) END`;
}

/** The format a Parquet column of DuckDB type `type` is read in. */
function formatOfType(type: string, isList: boolean): SqlColumnFormat {
  const upper = type.toUpperCase();
  if (upper === 'JSON') return 'json';
  if (upper.endsWith('[]')) return 'list';
  if (upper === 'BOOLEAN') return 'bool';
  if (upper.startsWith('TIMESTAMP') || upper === 'DATE') return 'timestamp';
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL)/.test(upper)) return 'number';
  return isList ? 'csv' : 'text';
}

/**
 * A file path as DuckDB must be given it to open exactly that file: DuckDB reads a path as a
 * glob pattern, so `*`, `?`, `[` and `]` are each put in brackets (`leads[*].csv` matches only
 * the file named `leads*.csv`). Quotes need nothing here ({@link sqlText} doubles them).
 */
export function duckdbFilePath(absolute: string): string {
  return absolute.replace(/[*?[\]]/g, (ch) => `[${ch}]`);
}

/**
 * A CSV file's header as the JavaScript path reads it: its columns, delimiter, line and line
 * break, and whether the file starts with a byte order mark.
 */
async function csvHeader(
  context: CommandContext,
  userPath: string,
  delimiter: string | undefined,
  readOptions: ReadOptions,
): Promise<{ columns: readonly string[]; delimiter: string; line: number; lineBreak: '\n' | '\r\n' | '\r'; bom: boolean } | undefined> {
  const input = await openInput(context, userPath, readOptions);
  try {
    for await (const item of readCsv(input.chunks(), delimiter === undefined ? {} : { delimiter })) {
      if (item.kind === 'header') return { columns: item.columns, delimiter: item.delimiter, line: item.line, lineBreak: item.lineBreak, bom: input.bom !== undefined };
      if (item.kind === 'bad') return undefined;
    }
    return undefined;
  } finally {
    await input.close();
  }
}

/** A rejected record, for the problem report. */
export interface RejectedRecord {
  readonly line: number;
  readonly column?: number;
  /** The field the problem is in, when one is (a row check's rejection). */
  readonly field?: string;
  /** The lead's id, when known. */
  readonly lead?: string;
  readonly message: string;
  /** The record's text (shortened), or the value at fault; none when the problem is a missing value. */
  readonly text?: string;
}

/**
 * A check the JavaScript engine makes on each record after reading it, which rejects some (an
 * `events` cell nested too deep in a leads row, an event without a lead id): the DuckDB engine
 * rejects the same records with the same report.
 */
export interface RecordCheck {
  /**
   * A DuckDB condition over the CSV columns `c0, c1, ...` that holds for every row
   * {@link RecordCheck.rejectRow} may reject, or undefined when it rejects none: DuckDB's own
   * reader has no line numbers, so the fast path asks DuckDB for those rows, checks them, and
   * leaves a file with a rejected row to the JavaScript reader.
   */
  suspectRows(columns: readonly string[]): string | undefined;
  /** Why the JavaScript engine rejects a CSV row, or undefined. */
  rejectRow(columns: readonly string[], fields: readonly string[]): Omit<RejectedRecord, 'line'> | undefined;
  /** Why it rejects a JSON record, or undefined. */
  rejectObject(value: Readonly<Record<string, unknown>>): Omit<RejectedRecord, 'line'> | undefined;
}

/**
 * A DuckDB condition that holds for every text `cell` holding JSON that `jsonValueProblem`
 * refuses (nested more than {@link MAX_VALUE_DEPTH} levels, or an unpaired surrogate escape): it
 * has a `\\u` escape or at least {@link MAX_VALUE_DEPTH} - 1 brackets.
 */
export function mayHoldRefusedJson(cell: string): string {
  return `(contains(${cell}, '\\u') OR strlen(${cell}) - strlen(replace(replace(${cell}, '[', ''), '{', '')) >= ${MAX_VALUE_DEPTH - 1})`;
}

/**
 * A cheap DuckDB condition over a text cell that holds for every cell JavaScript's `trim()` makes
 * blank (and for some others): NULL, or not starting with a printable ASCII character (white
 * space is a control character, a space, or not ASCII). Trimming every cell of a large file
 * costs more than the few cells this lets through, which are then checked exactly.
 */
function blankTextSuspect(cell: string): string {
  return `(${cell} IS NULL OR NOT ((${cell} COLLATE c) >= '!' AND (${cell} COLLATE c) < chr(127)))`;
}

/**
 * The JavaScript engine's check of an events file's records (`EventsJoin`): an event without a
 * lead id in `key` (blank after trimming, or not text or a number) is skipped and reported.
 */
export function eventKeyCheck(key: string): RecordCheck {
  const rejection = { field: key, message: `no lead id in \`${key}\`` };
  return {
    suspectRows: (columns) => (columns.includes(key) ? blankTextSuspect(`c${columns.indexOf(key)}`) : undefined),
    rejectRow: (columns, fields) => (columns.includes(key) && idText(fields[columns.indexOf(key)]) === undefined ? rejection : undefined),
    rejectObject: (value) => (idText(value[key]) === undefined ? rejection : undefined),
  };
}

/** What is loaded: relation names and the records the reader rejected. */
export interface LoadedInput {
  /** Input columns in order (CSV header, Parquet columns; empty for JSON). */
  readonly columns: readonly string[];
  readonly delimiter: string;
  /** A CSV file's header line break (`\n` when it has none, and for other formats). */
  readonly lineBreak: '\n' | '\r\n' | '\r';
  /** Whether CSV output starts with a byte order mark: the file had one, or was Windows-1252 (writesByteOrderMark). */
  readonly bom: boolean;
  /** Rejected records in file order, exactly as the JavaScript engine reports them. */
  readonly rejected: readonly RejectedRecord[];
  /** Things to tell the user that are not records (a truncated JSON array), as the JavaScript engine says them. */
  readonly notices: readonly string[];
  /** How the records were read: DuckDB's own reader on the file, or the JavaScript reader. */
  readonly reader: 'duckdb' | 'javascript';
  /**
   * Whether some loaded records may be blank (every cell empty or white space): DuckDB's reader
   * keeps them, the JavaScript reader skips them; the rows view leaves them out. False when the
   * pre-scan found none, so the view needs no per-row test.
   */
  readonly blankRows: boolean;
  /**
   * When set, the record at `rubric_row` r is on line r + `rowLineOffset` of the file: a plain
   * CSV file whose header is line 1, with no empty line and no record over several lines.
   */
  readonly rowLineOffset?: number;
  /**
   * By column, for a plain CSV file: what writing its cells as CSV must test for quotes (the
   * pre-scan's `columns`). `none`: no cell holds the delimiter, a quote, CR or LF, and none starts
   * or ends with a space; `spaces`: no cell holds the delimiter, a quote, CR or LF (a field quoted
   * in the file without them is written without quotes, as the JavaScript writer does), some may
   * start or end with a space; `all`: everything. Unset: `all`.
   */
  readonly cellQuoting?: ReadonlyArray<'none' | 'spaces' | 'all'>;
}

function duplicateColumn(context: CommandContext, userPath: string, columns: readonly string[]): void {
  refuseDuplicateColumns(context.displayPath(userPath), columns);
}

/**
 * Reads a CSV file with DuckDB's own reader when the pre-scan says it is plain (the fast path);
 * returns undefined (and leaves no table) when it is not, or when DuckDB reads another number of
 * records than the pre-scan counted.
 */
async function loadPlainCsv(
  context: CommandContext,
  connection: DuckDBConnection,
  table: string,
  userPath: string,
  delimiter: string | undefined,
  check: RecordCheck | undefined,
  readOptions: ReadOptions,
): Promise<LoadedInput | undefined> {
  // DuckDB reads UTF-8 only: another encoding is decoded by the JavaScript reader.
  if (readOptions.encoding !== undefined && readOptions.encoding !== 'utf-8') return undefined;
  const absolute = context.resolvePath(userPath);
  // A pipe or a device can be read once only: by the JavaScript reader.
  const info = await stat(absolute).catch(() => undefined);
  if (info === undefined || !info.isFile()) return undefined;
  const header = await csvHeader(context, userPath, delimiter, readOptions);
  // A file with a byte order mark (a UTF-16 one is decoded by the JavaScript reader alone) is
  // read by the JavaScript reader too: one reader decides what such a file holds.
  if (header === undefined || header.line !== 1 || header.bom) return undefined;
  duplicateColumn(context, userPath, header.columns);
  const columns = header.columns.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  // DuckDB reads the file while the pre-scan (JavaScript, one core) checks it: the table is
  // dropped when the file is not plain. A read that fails is not expected once the pre-scan
  // says plain (it is stricter than DuckDB); the JavaScript reader decides then too.
  const [scan, read] = await Promise.all([
    prescanCsv(absolute, header.delimiter),
    connection
      .run(
        `CREATE TABLE ${table} AS SELECT * FROM read_csv(${sqlText(duckdbFilePath(absolute))}, columns = {${columns}}, header = true, auto_detect = false, delim = ${sqlText(header.delimiter)}, quote = '"', escape = '"', strict_mode = true, null_padding = false)`,
      )
      .then(
        () => true,
        () => false,
      ),
  ]);
  if (!read || !scan.plain || scan.headerFields !== header.columns.length) {
    await connection.run(`DROP TABLE IF EXISTS ${table}`);
    return undefined;
  }
  const counted = await connection.runAndReadAll(`SELECT count(*) FROM ${table}`);
  const expected = scan.records + (scan.headerFields === 1 ? scan.emptyLines : 0);
  if (Number(counted.getRows()[0][0]) !== expected || (check !== undefined && (await rowCheckRejects(connection, table, header.columns, check)))) {
    // The JavaScript reader reads it (and reports the rejected rows with their lines).
    await connection.run(`DROP TABLE ${table}`);
    return undefined;
  }
  const oneLineEach = scan.emptyLines === 0 && !scan.multiLine;
  return {
    columns: header.columns,
    delimiter: header.delimiter,
    lineBreak: header.lineBreak,
    bom: false,
    rejected: [],
    notices: [],
    reader: 'duckdb',
    blankRows: scan.maybeBlank > 0,
    ...(oneLineEach ? { rowLineOffset: 2 } : {}),
    cellQuoting: scan.columns.map((column) => (column.quoted ? 'all' : column.spaced ? 'spaces' : 'none')),
  };
}

/**
 * A parsed JSON value as JSON text that DuckDB reads as the same value: `JSON.stringify`, except
 * that a number JavaScript read as infinite (`1e400`) is written `1e999`, which DuckDB reads as
 * an infinite DOUBLE too (`JSON.stringify` would write `null`, a missing value).
 */
export function jsonForDuckdb(value: unknown): string {
  return hasInfiniteNumber(value) ? writeJson(value) : JSON.stringify(value);
}

/** Whether a parsed JSON value holds a number JavaScript read as infinite (a quick walk, no text built). */
function hasInfiniteNumber(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'number') {
      if (!Number.isFinite(item)) return true;
    } else if (typeof item === 'object' && item !== null) {
      if (Array.isArray(item)) for (const child of item) stack.push(child);
      else for (const key in item) stack.push((item as Record<string, unknown>)[key]);
    }
  }
  return false;
}

function writeJson(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : value > 0 ? '1e999' : '-1e999';
  if (Array.isArray(value)) return `[${value.map(writeJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .map((key) => `${JSON.stringify(key)}:${writeJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Whether `check` rejects any row of a CSV file DuckDB has read into `table`. */
async function rowCheckRejects(connection: DuckDBConnection, table: string, columns: readonly string[], check: RecordCheck): Promise<boolean> {
  // A superset of the rows the check rejects, found by DuckDB; the check itself runs on those only.
  const suspect = check.suspectRows(columns);
  if (suspect === undefined) return false;
  const result = await connection.stream(`SELECT ${columns.map((_, i) => `c${i}`).join(', ')} FROM ${table} WHERE ${suspect}`);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) return false;
    for (const row of chunk.getRows()) {
      if (check.rejectRow(columns, row.map((cell) => (cell === null ? '' : String(cell)))) !== undefined) return true;
    }
  }
}

/** Rows appended per flush of the appender (bounds what waits in JavaScript memory). */
const APPEND_FLUSH_ROWS = 50_000;

/**
 * Reads a file with the JavaScript engine's own reader ({@link readItemBatches}: the same code,
 * so the same records are read and the same ones rejected with the same lines and messages) and
 * appends its records to `table`: CSV rows as text columns `c0, c1, ...`, JSON records as one
 * `rubric_json` column holding the parsed value written back as JSON ({@link jsonForDuckdb}: so
 * DuckDB sees what the JavaScript scorer sees, e.g. the last of duplicate keys, numbers as
 * JavaScript reads them).
 */
async function loadWithJavascriptReader(
  context: CommandContext,
  connection: DuckDBConnection,
  table: string,
  userPath: string,
  format: 'csv' | 'jsonl' | 'json',
  delimiter: string | undefined,
  check: RecordCheck | undefined,
  readOptions: ReadOptions,
): Promise<LoadedInput> {
  const input = await openInput(context, userPath, readOptions);
  const rejected: RejectedRecord[] = [];
  const notices: string[] = [];
  let columns: readonly string[] | undefined;
  let csvDelimiter = delimiter ?? ',';
  let lineBreak: LoadedInput['lineBreak'] = '\n';
  let appender: DuckDBAppender | undefined;
  let pending = 0;
  try {
    if (format !== 'csv') {
      await connection.run(`CREATE TABLE ${table} (rubric_json JSON, rubric_line INTEGER)`);
      appender = await connection.createAppender(table);
    }
    for await (const batch of readItemBatches(input, format, delimiter)) {
      for (const item of batch) {
        switch (item.kind) {
          case 'header': {
            duplicateColumn(context, userPath, item.columns);
            columns = item.columns;
            csvDelimiter = item.delimiter;
            lineBreak = item.lineBreak;
            // Each row's line is kept (`rubric_line`) for messages about it later.
            await connection.run(`CREATE TABLE ${table} (${[...item.columns.map((_, i) => `c${i} VARCHAR`), 'rubric_line INTEGER'].join(', ')})`);
            appender = await connection.createAppender(table);
            break;
          }
          case 'row': {
            if (appender === undefined || columns === undefined) throw new Error('a CSV row came before its header');
            const rejection = check?.rejectRow(columns, item.fields);
            if (rejection !== undefined) {
              rejected.push({ line: item.line, ...rejection });
              break;
            }
            for (const field of item.fields) appender.appendVarchar(field);
            appender.appendInteger(item.line);
            appender.endRow();
            pending += 1;
            break;
          }
          case 'object': {
            if (appender === undefined) throw new Error('no table for the JSON records');
            const rejection = check?.rejectObject(item.value);
            if (rejection !== undefined) {
              rejected.push({ line: item.line, ...rejection });
              break;
            }
            appender.appendVarchar(jsonForDuckdb(item.value));
            appender.appendInteger(item.line);
            appender.endRow();
            pending += 1;
            break;
          }
          case 'bad':
            rejected.push({ line: item.line, ...(item.column !== undefined ? { column: item.column } : {}), message: item.message, text: item.text });
            break;
          case 'notice':
            notices.push(item.message);
            break;
        }
        if (pending >= APPEND_FLUSH_ROWS) {
          appender?.flushSync();
          pending = 0;
        }
      }
    }
    appender?.closeSync();
    appender = undefined;
    if (format === 'csv' && columns === undefined) {
      // No header at all (an empty file): no input columns, no rows, as in the JavaScript engine.
      await connection.run(`CREATE TABLE ${table} (rubric_none VARCHAR)`);
    }
  } finally {
    appender?.closeSync();
    await input.close();
  }
  // The JavaScript reader skips blank records itself.
  return { columns: columns ?? [], delimiter: csvDelimiter, lineBreak, bom: writesByteOrderMark(input), rejected, notices, reader: 'javascript', blankRows: false };
}

/**
 * Loads a file into the table `table`, and creates the view `{table}_rows` of its records with
 * `rubric_row` (file order); records that `check` rejects are left out and reported. CSV columns are named `c0, c1, ...` (the header says which is
 * which); JSON records are one `rubric_json` column.
 *
 * The records are exactly those the JavaScript engine reads, and the rejected ones exactly those
 * it rejects (same lines, columns and messages): a CSV file that the pre-scan finds plain (and
 * that is read as UTF-8 with no byte order mark) is read by DuckDB directly (fast); any other
 * CSV file, and every JSON file, is read by the JavaScript engine's own reader (decoded as
 * `readOptions.encoding` says) and appended to DuckDB. Paths are passed so that DuckDB opens exactly the
 * named file (no glob expansion).
 */
export async function loadFile(
  context: CommandContext,
  connection: DuckDBConnection,
  table: string,
  userPath: string,
  format: EngineInputFormat,
  delimiter: string | undefined,
  check?: RecordCheck,
  readOptions: ReadOptions = {},
): Promise<LoadedInput> {
  try {
    if (format === 'csv') {
      const loaded =
        (await loadPlainCsv(context, connection, table, userPath, delimiter, check, readOptions)) ??
        (await loadWithJavascriptReader(context, connection, table, userPath, 'csv', delimiter, check, readOptions));
      // Rows whose every cell is blank are skipped by the JavaScript reader: the view of the
      // rows (file order in `rubric_row`) leaves them out of DuckDB's read too, when the
      // pre-scan says there may be some (one test per cell, stopping at the first non-blank one).
      const nonBlank = loaded.columns.map((_, i) => `${jsTrim(`coalesce(c${i}, '')`)} <> ''`).join(' OR ');
      const where = loaded.columns.length === 0 || !loaded.blankRows ? '' : ` WHERE ${nonBlank}`;
      await connection.run(`CREATE VIEW ${table}_rows AS SELECT rowid AS rubric_row, * FROM ${table}${where}`);
      return loaded;
    }
    if (format === 'parquet') {
      await connection.run(`CREATE TABLE ${table} AS SELECT * FROM read_parquet(${sqlText(duckdbFilePath(context.resolvePath(userPath)))})`);
      const described = await connection.runAndReadAll(`DESCRIBE ${table}`);
      const columns = described.getRowObjectsJS().map((row) => String(row.column_name));
      await connection.run(`CREATE VIEW ${table}_rows AS SELECT rowid AS rubric_row, * FROM ${table}`);
      return { columns, delimiter: ',', lineBreak: '\n', bom: false, rejected: [], notices: [], reader: 'duckdb', blankRows: false };
    }
    const loaded = await loadWithJavascriptReader(context, connection, table, userPath, format, delimiter, check, readOptions);
    await connection.run(`CREATE VIEW ${table}_rows AS SELECT rowid AS rubric_row, * FROM ${table}`);
    return loaded;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new CliError(`DuckDB cannot read \`${context.displayPath(userPath)}\`: ${detail}`, {
      help: 'check the file, or score it with the JavaScript engine (--engine js)',
    });
  }
}

/**
 * The line of the record at `rubric_row` `row` of a file loaded into `table` (a Parquet file: its
 * 1-based row number). The JavaScript reader's rows carry their line; for a plain CSV file read by
 * DuckDB, the JavaScript reader counts its way to the row (only when a message needs a line).
 */
export async function recordLine(
  context: CommandContext,
  connection: DuckDBConnection,
  table: string,
  loaded: LoadedInput,
  userPath: string,
  format: EngineInputFormat,
  row: number,
): Promise<number> {
  if (loaded.reader === 'javascript') {
    const result = await connection.runAndReadAll(`SELECT rubric_line FROM ${table} WHERE rowid = ${row}`);
    return Number(result.getRows()[0][0]);
  }
  if (loaded.rowLineOffset !== undefined) return row + loaded.rowLineOffset;
  const before = await connection.runAndReadAll(`SELECT count(*) FROM ${table}_rows WHERE rubric_row < ${row}`);
  const rank = Number(before.getRows()[0][0]);
  if (format !== 'csv') return rank + 1;
  // A plain file has no rejected records: its rows are the reader's rows, in order.
  const input = await openInput(context, userPath);
  try {
    let seen = 0;
    for await (const batch of readItemBatches(input, 'csv', loaded.delimiter)) {
      for (const item of batch) if (item.kind === 'row' && seen++ === rank) return item.line;
    }
  } finally {
    await input.close();
  }
  throw new Error(`row ${row} of \`${context.displayPath(userPath)}\` was not found again`);
}

/** Column types of a loaded Parquet table. */
async function columnTypes(connection: DuckDBConnection, table: string): Promise<Map<string, string>> {
  const described = await connection.runAndReadAll(`DESCRIBE ${table}`);
  return new Map(described.getRowObjectsJS().map((row) => [String(row.column_name), String(row.column_type)]));
}

/**
 * A DuckDB condition that holds for every text `cell` DuckDB's JSON reader may read as an array
 * although `JSON.parse` refuses it: DuckDB takes a trailing comma, `NaN` and `Infinity`.
 */
export function mayBeLaxJson(cell: string): string {
  return `regexp_matches(${cell}, ',\\s*[\\]}]|NaN|Infinity')`;
}

/**
 * Finds the CSV `events` cells (column `cell` of `{table}_rows`) that DuckDB reads as a JSON
 * array but `JSON.parse` refuses (the JavaScript engine reports them and reads no events), and
 * keeps their rows in the table `rubric_refused_event_cells`; returns whether there are any.
 * Only the cells {@link mayBeLaxJson} finds are parsed in JavaScript: usually none.
 */
async function refusedEventCells(connection: DuckDBConnection, table: string, cell: string): Promise<boolean> {
  const result = await connection.runAndReadAll(`SELECT rubric_row, ${cell} FROM ${table}_rows WHERE json_type(TRY_CAST(${cell} AS JSON)) = 'ARRAY' AND ${mayBeLaxJson(cell)}`);
  const refused: number[] = [];
  for (const [row, text] of result.getRows()) {
    try {
      JSON.parse(String(text).trim());
    } catch {
      refused.push(Number(row));
    }
  }
  if (refused.length === 0) return false;
  // Not TEMP: the views reading it are scored on another connection.
  await connection.run('CREATE OR REPLACE TABLE rubric_refused_event_cells (rubric_row BIGINT)');
  const appender = await connection.createAppender('rubric_refused_event_cells');
  for (const row of refused) {
    appender.appendBigInt(BigInt(row));
    appender.endRow();
  }
  appender.closeSync();
  return true;
}

/**
 * Creates the view `rubric_leads` over the loaded leads (`rubric_row`, `rubric_id`, one column
 * per lead field) and returns the leads part of the mapping. Fields without a column are missing.
 */
export async function leadsView(
  connection: DuckDBConnection,
  table: string,
  format: EngineInputFormat,
  loaded: LoadedInput,
  schema: Schema,
  idColumn: string,
): Promise<{ mapping: NonNullable<SqlMapping['leads']>; ownEvents: string | undefined; absent: string[] }> {
  const select = ['rubric_row'];
  const fields: Record<string, { column: string; format: SqlColumnFormat }> = Object.create(null) as Record<string, { column: string; format: SqlColumnFormat }>;
  const absent: string[] = [];
  let ownEvents: string | undefined;
  let k = 0;
  const add = (name: string, expression: string, columnFormat: SqlColumnFormat) => {
    const column = `f${k++}`;
    select.push(`${expression} AS ${column}`);
    fields[name] = { column, format: columnFormat };
  };
  if (format === 'csv' || format === 'parquet') {
    const index = (column: string) => loaded.columns.indexOf(column);
    const ref = (column: string) => (format === 'csv' ? `c${index(column)}` : sqlName(column));
    const types = format === 'parquet' ? await columnTypes(connection, table) : new Map<string, string>();
    select.push(index(idColumn) === -1 ? 'CAST(NULL AS VARCHAR) AS rubric_id' : `${idFromText(ref(idColumn))} AS rubric_id`);
    for (const [name, type] of schema.fields) {
      // Read from its column: its `from "COLUMN"`, else its name.
      const column = columnOfField(schema, name);
      if (index(column) === -1) {
        absent.push(name);
        add(name, 'CAST(NULL AS VARCHAR)', type.kind === 'list' ? 'csv' : 'text');
        continue;
      }
      const columnFormat = format === 'csv' ? 'csv' : formatOfType(types.get(column) ?? 'VARCHAR', type.kind === 'list');
      add(name, ref(column), columnFormat);
    }
    if (index('events') !== -1) {
      // The JavaScript path parses the cell as JSON and uses it when it is an array; the cells
      // DuckDB reads as an array but JSON.parse refuses are left out.
      const refused = format === 'csv' ? await refusedEventCells(connection, table, ref('events')) : false;
      const keep = refused ? ' AND rubric_row NOT IN (SELECT rubric_row FROM rubric_refused_event_cells)' : '';
      ownEvents = `SELECT rubric_row AS rubric_lead, unnest(json_extract(TRY_CAST(${ref('events')} AS JSON), '$[*]')) AS rubric_event FROM ${table}_rows WHERE json_type(TRY_CAST(${ref('events')} AS JSON)) = 'ARRAY'${keep}`;
    }
  } else {
    select.push(`${idFromJson(jsonField('rubric_json', idColumn))} AS rubric_id`);
    for (const name of schema.fields.keys()) {
      const column = columnOfField(schema, name);
      // A field with `from` is one literal key, even `from "company.size"` on `company.size`.
      add(name, jsonField('rubric_json', column, column !== name || schema.fromFields?.has(name) === true), 'json');
    }
    const events = `json_extract(rubric_json, ${sqlText(pointer(['events']))})`;
    ownEvents = `SELECT rubric_row AS rubric_lead, unnest(json_extract(${events}, '$[*]')) AS rubric_event FROM ${table}_rows WHERE json_type(${events}) = 'ARRAY'`;
  }
  await connection.run(`CREATE VIEW rubric_leads AS SELECT ${select.join(', ')} FROM ${table}_rows`);
  return { mapping: { table: 'rubric_leads', id: 'rubric_row', eventKey: 'rubric_id', fields }, ownEvents, absent };
}

/**
 * Creates the view `rubric_events` from the leads' own JSON events (`ownEvents`: rows of
 * `rubric_lead`, `rubric_event`), joined on the lead's row; returns the events mapping.
 */
export async function ownEventsView(connection: DuckDBConnection, ownEvents: string, schema: Schema): Promise<NonNullable<SqlMapping['events']>> {
  const event = 'rubric_event';
  const select = [
    'rubric_lead',
    `CASE WHEN json_type(${event}) = 'OBJECT' AND json_type(${event}, '/type') = 'VARCHAR' THEN json_extract_string(${event}, '/type') END AS rubric_type`,
    `json_extract(${event}, '/at') AS rubric_at`,
  ];
  const properties: Record<string, { column: string; format: SqlColumnFormat }> = Object.create(null) as Record<string, { column: string; format: SqlColumnFormat }>;
  let k = 0;
  // One view column per key read (a property's `from` column, else its name), shared by the event
  // types that read it; the mapping names each property `event.property`.
  const seen = new Map<string, string>();
  for (const [eventName, columns] of schema.eventColumns) {
    for (const [name, key] of columns) {
      let column = seen.get(key);
      if (column === undefined) {
        column = `e${k++}`;
        seen.set(key, column);
        select.push(`json_extract(${event}, ${sqlText(pointer([key]))}) AS ${column}`);
      }
      properties[`${eventName}.${name}`] = { column, format: 'json' };
    }
  }
  await connection.run(`CREATE VIEW rubric_events AS SELECT ${select.join(', ')} FROM (${ownEvents})`);
  return { table: 'rubric_events', leadId: 'rubric_lead', type: { column: 'rubric_type', format: 'text' }, at: { column: 'rubric_at', format: 'json' }, properties };
}

/** Creates the view `rubric_events` over an `--events` file loaded into `table`. */
export async function eventsFileView(
  connection: DuckDBConnection,
  table: string,
  format: EngineInputFormat,
  loaded: LoadedInput,
  schema: Schema,
  keyColumn: string,
): Promise<NonNullable<SqlMapping['events']>> {
  const properties: Record<string, { column: string; format: SqlColumnFormat }> = Object.create(null) as Record<string, { column: string; format: SqlColumnFormat }>;
  const select: string[] = [];
  if (format === 'jsonl' || format === 'json') {
    select.push('rubric_row AS rubric_event_row', `${idFromJson(jsonField('rubric_json', keyColumn))} AS rubric_lead`);
    select.push(`CASE WHEN json_type(rubric_json, '/type') = 'VARCHAR' THEN json_extract_string(rubric_json, '/type') END AS rubric_type`);
    select.push(`json_extract(rubric_json, '/at') AS rubric_at`);
    let k = 0;
    const seen = new Map<string, string>();
    for (const [eventName, columns] of schema.eventColumns) {
      for (const [name, key] of columns) {
        let column = seen.get(key);
        if (column === undefined) {
          column = `e${k++}`;
          seen.set(key, column);
          // The lead id key is not the event's (the JavaScript join gives it every key but that one).
          select.push(`${key === keyColumn ? 'CAST(NULL AS JSON)' : `json_extract(rubric_json, ${sqlText(pointer([key]))})`} AS ${column}`);
        }
        properties[`${eventName}.${name}`] = { column, format: 'json' };
      }
    }
    await connection.run(`CREATE VIEW rubric_events AS SELECT ${select.join(', ')} FROM ${table}_rows`);
    return { table: 'rubric_events', leadId: 'rubric_lead', type: { column: 'rubric_type', format: 'text' }, at: { column: 'rubric_at', format: 'json' }, properties };
  }
  const index = (column: string) => loaded.columns.indexOf(column);
  const ref = (column: string) => (format === 'csv' ? `c${index(column)}` : sqlName(column));
  const types = format === 'parquet' ? await columnTypes(connection, table) : new Map<string, string>();
  const need = (column: string) => {
    if (index(column) === -1) throw new CliError(`the events file has no \`${column}\` column`, { help: column === keyColumn ? 'name the lead id column with --events-key COLUMN' : 'every event needs a `type` and an `at`' });
    return ref(column);
  };
  // A CSV type is trimmed here once, as the JavaScript join reads it (the view gives it as text).
  const typeColumn = format === 'csv' ? jsTrim(need('type')) : need('type');
  select.push('rubric_row AS rubric_event_row', `${idFromText(need(keyColumn))} AS rubric_lead`, `${typeColumn} AS rubric_type`, `${need('at')} AS rubric_at`);
  let k = 0;
  // One view column per file column read and format (a property's `from` column, else its name).
  const seen = new Map<string, string>();
  for (const [eventName, props] of schema.events) {
    const columns = schema.eventColumns.get(eventName);
    for (const [name, type] of props) {
      const key = columns?.get(name) ?? name;
      // The lead id column is not the event's (the JavaScript join gives it every column but that one).
      const present = index(key) !== -1 && key !== keyColumn;
      const columnFormat = format === 'csv' || !present ? (type.kind === 'list' || format === 'csv' ? 'csv' : 'text') : formatOfType(types.get(key) ?? 'VARCHAR', type.kind === 'list');
      const seenKey = `${columnFormat}\u0000${key}`;
      let column = seen.get(seenKey);
      if (column === undefined) {
        column = `e${k++}`;
        seen.set(seenKey, column);
        select.push(`${present ? ref(key) : 'CAST(NULL AS VARCHAR)'} AS ${column}`);
      }
      properties[`${eventName}.${name}`] = { column, format: columnFormat };
    }
  }
  await connection.run(`CREATE VIEW rubric_events AS SELECT ${select.join(', ')} FROM ${table}_rows`);
  const atFormat = format === 'csv' ? 'csv' : formatOfType(types.get('at') ?? 'VARCHAR', false);
  return {
    table: 'rubric_events',
    leadId: 'rubric_lead',
    type: { column: 'rubric_type', format: 'text' },
    at: { column: 'rubric_at', format: atFormat === 'number' || atFormat === 'bool' || atFormat === 'list' ? 'text' : atFormat },
    properties,
  };
}

/**
 * DuckDB's allocator settings for the engines (`rubric score --engine duckdb`, with or without
 * `--accounts`). Without jemalloc (the Node package has none), DuckDB
 * hands freed memory back to the system (`malloc_trim`) whenever more than 128 MB is free, and the
 * next statement faults it in again. Freed memory is kept for reuse instead (the peak RSS stayed
 * 1.8-1.9 GB). The engine's statements replayed in one process (1 M leads + 12.9 M events): the
 * output's COPY 2.3-3.1 s with 1.8-3.6 s of system time, 0.9-1.7 s with 0.2-1.0 s with these; end
 * to end the median wall time did not move on a quiet machine (docs/sql.md, "Performance").
 */
export const ENGINE_ALLOCATOR_SETTINGS = { allocator_flush_threshold: '16GB', allocator_bulk_deallocation_flush_threshold: '16GB' } as const;
