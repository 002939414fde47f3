/**
 * Issue 17, the DuckDB engine's side of `rubric score --accounts`: the accounts file loaded next
 * to the contacts (and events), and both scored in SQL by the SQL target's account and contact
 * queries (emit-sql-accounts.ts), with the JavaScript account scorer's results (the differential
 * tests in test/sql prove the queries equal it; test/sql/accounts-duckdb-engine.test.ts proves
 * this function does on files).
 *
 * {@link scoreAccountFilesInDuckdb} loads the files exactly as `rubric score --engine duckdb`
 * loads a leads file and an events file (the same readers, so the same records), then returns
 * each contact's and each account's result by its record number in its file. Accounts are
 * matched as `rubric score --accounts` matches them: a text key trimmed, a number key by value,
 * a record without a key left out, and of records sharing a key the file's first. What it does
 * not do (the caller's part, as for the contact engine): reporting rejected records and wrong
 * values, and writing the outputs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { emitSql, emitSqlAccounts, SqlEmitError, type Model, type SqlAccountsMapping, type SqlColumnFormat, type SqlMapping } from '@rubric/core';
import { CliError, type CommandContext } from '../context.js';
import type { ReadOptions } from '../input/source.js';
import { schemaOf } from '../input/leads.js';
import { ENGINE_ALLOCATOR_SETTINGS, eventKeyCheck, eventsFileView, jsonField, leadsView, loadFile, ownEventsView, type EngineInputFormat, type LoadedInput } from './duckdb-input.js';

/** A file to read and its format. */
export interface EngineFile {
  readonly path: string;
  readonly format: EngineInputFormat;
}

export interface AccountFilesOptions {
  readonly contacts: EngineFile;
  readonly accounts: EngineFile;
  /** The events file and the column naming each event's contact (default: the contacts' own events). */
  readonly events?: EngineFile & { readonly key: string };
  /** The contacts' id column (`--id`), joined with the events' key. */
  readonly idColumn: string;
  readonly now: Date;
  readonly delimiter?: string;
  readonly readOptions?: ReadOptions;
  /** How the accounts file is read (`--accounts-encoding`); `readOptions` when absent. */
  readonly accountsReadOptions?: ReadOptions;
  /** How the events file is read (`--events-encoding`); `readOptions` when absent. */
  readonly eventsReadOptions?: ReadOptions;
}

/** One result, by the record's number in its file (from 0, as `rubric_row`). */
export interface EngineResult {
  readonly row: number;
  readonly score: number;
  readonly stage: string | null;
  readonly tier: string | null;
  readonly groups: Readonly<Record<string, number>>;
}

export interface AccountFilesResult {
  /** Every contact read, in file order. */
  readonly contacts: readonly EngineResult[];
  /** Every account scored (records with a key, first of each key), in file order. */
  readonly accounts: readonly EngineResult[];
  readonly loaded: { readonly contacts: LoadedInput; readonly accounts: LoadedInput; readonly events?: LoadedInput };
}

/** The model of the contacts' own columns: the `account.*` fields are the account's, not columns. */
function contactColumnsModel(model: Model): Model {
  return { ...model, fields: new Map([...model.fields].filter(([, info]) => info.synthetic === undefined)) };
}

/**
 * Creates the view `rubric_accounts` over an accounts file loaded into `table` (`rubric_row`, one
 * column per account field: its `from` column, else its name; absent: missing) and returns the
 * accounts part of the SQL mapping (id and order: the record number, so the file's first record of
 * a key is the account).
 */
export async function accountsView(connection: DuckDBConnection, table: string, format: EngineInputFormat, loaded: LoadedInput, model: Model): Promise<SqlAccountsMapping> {
  const account = model.account;
  if (account === null) throw new Error('internal: no account block');
  if (format === 'parquet') {
    throw new CliError('--engine duckdb reads the accounts file as CSV, JSON Lines or JSON, not Parquet', { help: 'convert the accounts file, or use --engine js' });
  }
  const select = ['rubric_row'];
  const fields: Record<string, { column: string; format: SqlColumnFormat }> = Object.create(null) as Record<string, { column: string; format: SqlColumnFormat }>;
  let k = 0;
  for (const [name, info] of account.fields) {
    const column = info.column ?? name;
    const alias = `a${k++}`;
    if (format === 'csv') {
      const index = loaded.columns.indexOf(column);
      select.push(`${index === -1 ? 'CAST(NULL AS VARCHAR)' : `c${index}`} AS ${alias}`);
      fields[name] = { column: alias, format: 'csv' };
    } else {
      select.push(`${jsonField('rubric_json', column, info.column !== undefined)} AS ${alias}`);
      fields[name] = { column: alias, format: 'json' };
    }
  }
  await connection.run(`CREATE VIEW rubric_accounts AS SELECT ${select.join(', ')} FROM ${table}_rows`);
  return { table: 'rubric_accounts', id: 'rubric_row', order: 'rubric_row', fields };
}

/**
 * How a `rubric_row` of a loaded file maps to the record number the JavaScript readers give it
 * (from 0, counting the records they reject and skipping blank rows): `rubric_row` is DuckDB's
 * row id, which counts blank rows of a plain CSV file and leaves out the records the JavaScript
 * reader rejected, so without this a result lands on the next record. Identity when the file has
 * neither.
 */
async function recordNumbers(connection: DuckDBConnection, table: string, loaded: LoadedInput): Promise<(row: number) => number> {
  if (loaded.rejected.length === 0 && !loaded.blankRows) return (row) => row;
  const withLine = loaded.reader === 'javascript';
  const rows = (await connection.runAndReadAll(`SELECT rubric_row${withLine ? ', rubric_line' : ''} FROM ${table}_rows ORDER BY rubric_row`)).getRows();
  const rejectedLines = loaded.rejected.map((r) => r.line).sort((a, b) => a - b);
  const numbers = new Map<number, number>();
  let rejectedBefore = 0;
  rows.forEach((cells, rank) => {
    const line = withLine ? Number(cells[1]) : 0;
    while (rejectedBefore < rejectedLines.length && rejectedLines[rejectedBefore] < line) rejectedBefore += 1;
    numbers.set(Number(cells[0]), rank + rejectedBefore);
  });
  return (row) => numbers.get(row) ?? -1;
}

function results(rows: ReadonlyArray<Record<string, unknown>>, groups: readonly string[], recordOf: (row: number) => number): EngineResult[] {
  return rows.map((row) => ({
    row: recordOf(Number(row.rubric_row)),
    score: Number(row.score),
    stage: row.stage === null ? null : String(row.stage),
    tier: row.tier === null ? null : String(row.tier),
    groups: Object.fromEntries(groups.map((g) => [g, Number(row[`rubric_group_${g}`])])),
  }));
}

/**
 * Scores the accounts and contacts of the files in an in-process DuckDB (see the module
 * comment). Throws {@link CliError} for what it cannot read.
 */
export async function scoreAccountFilesInDuckdb(context: CommandContext, model: Model, options: AccountFilesOptions): Promise<AccountFilesResult> {
  if (model.account === null) throw new CliError('--accounts needs a rule file with an `account` block');
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const spill = await mkdtemp(path.join(tmpdir(), 'rubric-duckdb-'));
  const instance = await DuckDBInstance.create(':memory:', { temp_directory: spill, ...ENGINE_ALLOCATOR_SETTINGS });
  try {
    const connection = await instance.connect();
    try {
      const readOptions = options.readOptions ?? {};
      const schema = schemaOf(contactColumnsModel(model));
      const contacts = await loadFile(context, connection, 'rubric_input', options.contacts.path, options.contacts.format, options.delimiter, undefined, readOptions);
      const leadPart = await leadsView(connection, 'rubric_input', options.contacts.format, contacts, schema, options.idColumn);
      // --delimiter is the contacts file's: the accounts file's is detected, as the default engine reads it.
      const accountsLoaded = await loadFile(context, connection, 'rubric_accounts_input', options.accounts.path, options.accounts.format, undefined, undefined, options.accountsReadOptions ?? readOptions);
      const accounts = await accountsView(connection, 'rubric_accounts_input', options.accounts.format, accountsLoaded, model);
      let leads = leadPart.mapping;
      let events: NonNullable<SqlMapping['events']>;
      let eventsLoaded: LoadedInput | undefined;
      if (options.events !== undefined) {
        eventsLoaded = await loadFile(context, connection, 'rubric_events_input', options.events.path, options.events.format, undefined, eventKeyCheck(options.events.key), options.eventsReadOptions ?? readOptions);
        events = await eventsFileView(connection, 'rubric_events_input', options.events.format, eventsLoaded, schema, options.events.key);
      } else {
        const own = leadPart.ownEvents ?? 'SELECT CAST(NULL AS BIGINT) AS rubric_lead, CAST(NULL AS JSON) AS rubric_event WHERE false';
        events = await ownEventsView(connection, own, schema);
        leads = { ...leads, eventKey: 'rubric_row' };
      }
      const sqlOptions = { dialect: 'duckdb' as const, mapping: { leads, events, accounts }, select: true, now: options.now, groupPrefix: 'rubric_group_' };
      let contactSql: string;
      let accountSql: string;
      try {
        contactSql = emitSql(model, sqlOptions);
        accountSql = emitSqlAccounts(model, sqlOptions);
      } catch (error) {
        if (error instanceof SqlEmitError) throw new CliError(`cannot score accounts in DuckDB: ${error.message}`, error.help === undefined ? {} : { help: error.help });
        throw error;
      }
      const read = async (sql: string) =>
        (await connection.runAndReadAll(`SELECT * FROM (${sql}) AS s ORDER BY s.rubric_row`)).getRowObjectsJS().map((row) =>
          Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : value])),
        );
      const contactGroups = model.groups.map((g) => g.name);
      const accountGroups = model.account.scoring.groups.map((g) => g.name);
      return {
        contacts: results(await read(contactSql), contactGroups, await recordNumbers(connection, 'rubric_input', contacts)),
        accounts: results(await read(accountSql), accountGroups, await recordNumbers(connection, 'rubric_accounts_input', accountsLoaded)),
        loaded: { contacts, accounts: accountsLoaded, ...(eventsLoaded === undefined ? {} : { events: eventsLoaded }) },
      };
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
    await rm(spill, { recursive: true, force: true });
  }
}
