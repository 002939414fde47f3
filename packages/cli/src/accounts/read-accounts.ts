/**
 * Reading an accounts file and a contacts file for account scoring (issue 17), as `rubric score`
 * reads a leads file: the same readers (CSV, JSON Lines, JSON array), delimiter detection,
 * encodings, byte order marks, `from` columns and rejected records (`readLeadRecords`).
 *
 * Accounts are held in memory, and contacts too unless a `stream` hook takes each as it is read
 * (`rubric score --accounts`, see score-accounts.ts): an account is scored from ALL its contacts,
 * and the contacts file is sorted by lead id (the events join needs it), not by account. The cost is
 * about the size of the records as read (each contact's cells and lead object, each account's
 * record; events of the contacts joined from --events), roughly 1 KB per contact with a dozen
 * columns and its events. `maxRecords` bounds it: past it the run stops with a message saying so
 * (see {@link TooManyRecords}).
 */
import { fold, readNumberInFormat, type EventRows, type FieldType, type LeadEvent, type Model } from '@rubric/core';
import { CliError, type CommandContext } from '../context.js';
import { readItemBatches, readLeadRecordBatches, type LeadRecord } from '../input/data-file.js';
import { columnOfField, columnRoles, leadFromRow, LeadRowReader, schemaOf, type CellProblem, type ColumnRole, type Schema } from '../input/leads.js';
import { idText } from '../input/events-join.js';
import { openInput, type InputEncoding, type InputFormat, type InputSource } from '../input/source.js';
import type { RowProblem } from '../output/problems.js';
import { listNames } from '../render/names.js';
import { KeyCellTable } from './key-cells.js';

/** The default of `--max-contacts`: contacts (and accounts) held in memory at most. */
export const DEFAULT_MAX_CONTACTS = 1_000_000;

/** The account side of a checked file, as the CLI needs it. */
export interface AccountSide {
  /** The accounts file's schema: the declared account fields (no aggregate, no event). */
  readonly schema: Schema;
  /** The account field holding the key, its column in the accounts file, and its type. */
  readonly accountKey: { readonly field: string; readonly column: string; readonly type: FieldType; readonly reading: KeyReading };
  /** The lead field holding the account key on each contact, and its column in the contacts file. */
  readonly contactKey: { readonly field: string; readonly column: string; readonly reading: KeyReading };
  /** The account groups (`score accounts`), in file order. */
  readonly groups: readonly string[];
  /** The account stages, in file order. */
  readonly stages: readonly string[];
}

function keyReading(model: Model, own: readonly string[] | undefined): KeyReading {
  return { numbers: model.dialect.numbers, missing: new Set([...model.dialect.missing, ...(own ?? [])]) };
}

/** The account side of `model`, or null for a file without an `account` block. */
export function accountSideOf(model: Model): AccountSide | null {
  const account = model.account;
  if (account === null) return null;
  const scoring = account.scoring;
  const schema = schemaOf({ ...scoring, fields: account.fields, events: new Map() });
  const contactSchema = contactSchemaOf(model);
  const keyInfo = account.fields.get(account.key.accountField);
  const keyType: FieldType = keyInfo?.type ?? { kind: 'text' };
  return {
    schema,
    accountKey: { field: account.key.accountField, column: columnOfField(schema, account.key.accountField), type: keyType, reading: keyReading(model, keyInfo?.missing) },
    contactKey: { field: account.key.leadField, column: columnOfField(contactSchema, account.key.leadField), reading: keyReading(model, model.fields.get(account.key.leadField)?.missing) },
    groups: scoring.groups.map((group) => group.name),
    stages: scoring.stages.map((stage) => stage.name),
  };
}

/**
 * The contacts' schema: the file's lead fields without the synthetic `account.*` ones (the
 * account's values, never columns of the contacts file; `schemaOf` leaves them out).
 */
export function contactSchemaOf(model: Model): Schema {
  return schemaOf(model);
}

/** How a key is read in one file: the file's number format and the key field's placeholders (folded). */
export interface KeyReading {
  readonly numbers: 'plain' | 'decimal-comma' | 'decimal-point';
  readonly missing: ReadonlySet<string>;
}

/**
 * The text of an account key as both files are matched on (as the SQL targets match them):
 * trimmed text, undefined when blank or a placeholder of the `data` block or the key field; for a
 * `number` key, the number's text as the file's number format reads it (`12`, `12.0`, ` 12 `, and
 * `12,0` under `decimal comma`, are one account), undefined when it is not a number.
 */
export function keyText(value: unknown, type: FieldType, reading: KeyReading): string | undefined {
  const text = idText(value);
  if (text === undefined || (reading.missing.size > 0 && reading.missing.has(fold(text)))) return undefined;
  if (type.kind !== 'number') return text;
  const number = readNumberInFormat(value, reading.numbers);
  return Number.isFinite(number) ? String(number) : undefined;
}

/**
 * A record's value at `column`: the own key, else (`nested`, a field without `from`) the path
 * of its dotted parts in a JSON record (`{"company": {"id": 7}}` for `company.id`).
 */
export function valueAt(record: Readonly<Record<string, unknown>>, column: string, nested: boolean): unknown {
  if (Object.prototype.hasOwnProperty.call(record, column)) return record[column];
  if (!nested || !column.includes('.')) return undefined;
  let value: unknown = record;
  for (const part of column.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Thrown (as a usage error) when a file holds more records than `--max-contacts` allows. */
export class TooManyRecords extends CliError {
  constructor(what: 'accounts' | 'contacts', file: string, max: number) {
    super(`\`${file}\` holds more than ${max.toLocaleString('en-US')} ${what}: account scoring keeps every account in memory, and every contact too unless it is streamed (\`--out FILE\`; see \`rubric score --help\`)`, {
      help: `raise the limit with --max-contacts N if the machine has the memory, or split the files by account (each part scored on its own)`,
    });
  }
}

/** One account read: its record (by column, as `rubric score` reads a lead), key and line. */
export interface AccountRow {
  readonly key: string;
  readonly line: number;
  /** Its record number in the file, from 1 (rejected records count), as `rubric explain` shows it. */
  readonly row: number;
  readonly record: Readonly<Record<string, unknown>>;
  /**
   * A CSV row's cells as read, in column order (columns that are no account field, e.g. an
   * outcome), when read with `keepCells`; else undefined (and for JSON).
   */
  readonly fields: readonly string[] | undefined;
  /**
   * Its contacts, as indexes into {@link ContactsFile.contacts}, in file order: {@link NO_CONTACTS}
   * (shared, empty) until its first contact is held.
   */
  contacts: readonly number[];
  /**
   * Its number: its index in {@link AccountsFile.rows} (`rubric score --accounts` streams the
   * contacts to the accounts' tallies by number, `AccountScorer.beginAccounts`).
   */
  readonly index: number;
}

export interface AccountsFile {
  readonly path: string;
  /** Accounts in file order (rejected ones left out). */
  readonly rows: readonly AccountRow[];
  readonly byKey: ReadonlyMap<string, AccountRow>;
  /** The CSV header's columns (none for JSON). */
  readonly columns: readonly string[];
  /** The CSV delimiter (`,` for JSON): the accounts output keeps it. */
  readonly delimiter: string;
  readonly read: number;
  readonly rejected: number;
  /** The input as opened (its format's byte order mark, for the output). */
  readonly input: InputSource | undefined;
}

/** How a data file is read (as `rubric score` reads its data). */
export interface ReadSettings {
  readonly format: InputFormat;
  readonly delimiter?: string;
  readonly encoding?: InputEncoding;
}

/**
 * Reads the whole accounts file. A record without a key, or with a key an earlier record has,
 * is rejected and reported with its line (the first record of a key is the account); a bad
 * record is reported with its line and column. `report` receives every problem in file order.
 */
export async function readAccountsFile(
  context: CommandContext,
  userPath: string,
  side: AccountSide,
  settings: ReadSettings & {
    readonly maxAccounts: number;
    /** Keep each CSV row's cells (AccountRow.fields: an outcome column is read from them). */
    readonly keepCells?: boolean;
  },
  report: (problem: RowProblem) => Promise<void>,
  notice: (message: string) => void,
): Promise<AccountsFile> {
  const rows: AccountRow[] = [];
  const byKey = new Map<string, AccountRow>();
  let columns: readonly string[] = [];
  let delimiter = ',';
  let read = 0;
  let rejected = 0;
  let input: InputSource | undefined;
  let shown = context.displayPath(userPath);
  const { column: keyColumn, field: keyField, type: keyType } = side.accountKey;
  const nested = side.schema.fromFields?.has(keyField) !== true;
  let keyIndex = -1;
  // A batch of records at a time (a promise per record showed in `rubric score --accounts`).
  for await (const batch of readLeadRecordBatches(context, userPath, side.schema, { ...readOptions(settings), encodingOption: '--accounts-encoding', onOpen: (opened) => {
    input = opened;
    shown = opened.path;
  } })) {
    for (const record of batch) {
      switch (record.kind) {
        case 'header':
          columns = record.columns;
          delimiter = record.delimiter;
          keyIndex = columns.indexOf(keyColumn);
          if (keyIndex === -1) {
            throw new CliError(`\`${shown}\` has no \`${keyColumn}\` column: the account key (\`account ${keyField} = ...\`) is read from it`, {
              help: `name the column \`${keyColumn}\`, or read the key field from another column with \`${keyField}: ... from "COLUMN"\` in the account block`,
            });
          }
          break;
        case 'notice':
          notice(record.message);
          break;
        case 'rejected':
          read += 1;
          rejected += 1;
          await report(rejectedReport(shown, record, 'row skipped'));
          break;
        case 'lead': {
          read += 1;
          const keyValue = valueAt(record.lead, keyColumn, nested);
          const key = keyText(keyValue, keyType, side.accountKey.reading);
          const column = keyIndex;
          if (key === undefined) {
            rejected += 1;
            const written = idText(keyValue);
            const notNumber = written !== undefined && keyType.kind === 'number' && !side.accountKey.reading.missing.has(fold(written));
            const message = notNumber ? `no account key in \`${keyColumn}\`: \`${written}\` is not a number` : `no account key in \`${keyColumn}\``;
            await report({ file: shown, line: record.line, ...(column !== -1 ? { column: column + 1 } : {}), field: keyColumn, value: written ?? '', message, action: 'row skipped' });
            break;
          }
          const first = byKey.get(key);
          if (first !== undefined) {
            rejected += 1;
            await report({
              file: shown,
              line: record.line,
              ...(column !== -1 ? { column: column + 1 } : {}),
              field: keyColumn,
              value: key,
              message: `duplicate account key \`${key}\` (first on line ${first.line}, which is the account)`,
              action: 'row skipped',
            });
            break;
          }
          for (const problem of record.problems) {
            await report({ file: shown, line: record.line, column: problem.column, field: problem.field, value: problem.value, message: problem.message, action: 'treated as missing' });
          }
          if (rows.length >= settings.maxAccounts) throw new TooManyRecords('accounts', shown, settings.maxAccounts);
          // Kept cells are copied to an array of their own length (the reader's grows as it
          // reads, to twice the cells). Every account is held to the end: what it holds is what
          // the young-generation collections copy while the file is read.
          const fields = settings.keepCells === true && record.fields !== undefined ? record.fields.slice() : undefined;
          const row: AccountRow = { key, index: rows.length, line: record.line, row: record.row, record: record.lead, fields, contacts: NO_CONTACTS };
          rows.push(row);
          byKey.set(key, row);
          break;
        }
      }
    }
  }
  return { path: shown, rows, byKey, columns, delimiter, read, rejected, input };
}

/** One contact read: where it is, its lead, its cells (CSV) and the account key it names. */
export interface ContactRow {
  readonly line: number;
  /** Its record number in the file, from 0 (rejected records count): `rubric_row` of the DuckDB engine. */
  readonly row: number;
  /**
   * The lead as the scorer takes it: a JSON record (written out as read), or a CSV row's lead
   * when it has an `events` column. Undefined for a row the file's row reader reads: its lead is
   * built when it is scored ({@link ContactsFile.leadOf}), so the leads held in memory are only
   * cells, and the objects the scorer reads die young (cheap to collect).
   */
  readonly lead: Record<string, unknown> | undefined;
  /** CSV: the row's cells as read; JSON: undefined (the lead is the object). */
  readonly fields: readonly string[] | undefined;
  /** CSV: the row's text when it can be written back as it is (`InputItem.raw`, asked with `keepRaw`). */
  readonly raw: string | undefined;
  /** The lead id (`--id`), when it has one. */
  readonly id: string | undefined;
  /** Whether it had a problem already reported (a bad `events` cell, no id to join events). */
  hadProblem: boolean;
  /**
   * The events to score it with, when not the lead's own `events` (a CSV `events` cell, or the
   * rows of --events); set by the `withEvents` hook.
   */
  events: readonly LeadEvent[] | undefined;
  /** With `events` from --events: their instants as the join's check gave them (`ScoreOptions.eventTimes`). */
  eventTimes?: readonly number[] | undefined;
  /**
   * With --events read as cells (`EventsJoin.lastEventRows`, issue 13): the contact's events as
   * rows, `events` then being empty. The join's one view, valid until the next contact's events
   * are joined: read it when the contact is streamed, right after the join.
   */
  eventRows?: EventRows | undefined;
}

/**
 * Takes a contact as soon as it is read (and its events joined) instead of keeping it: see
 * `readContactsFile`'s `stream`. `account` is the number of the account it belongs to
 * ({@link AccountRow.index}; -1: none); `reader` reads the row's lead when one is needed
 * (`reader.read(contact.fields)`: a new object, its `events` not set). A promise only when it
 * has to wait.
 */
export type ContactStream = (contact: ContactRow, account: number, reader: LeadRowReader) => Promise<void> | undefined;

/** What the contacts file's header says, for the `header` hook. */
export interface ContactsHeader {
  readonly delimiter: string;
  readonly lineBreak: '\n' | '\r\n' | '\r';
  readonly input: InputSource;
  /** Whether its rows go to the `stream` hook (CSV rows the row reader reads), not kept. */
  readonly streams: boolean;
}

/** Why a contact is scored without an account. */
export interface Unmatched {
  readonly key: string;
  readonly line: number;
}

export interface ContactsFile {
  readonly path: string;
  readonly contacts: readonly ContactRow[];
  readonly columns: readonly string[];
  readonly delimiter: string;
  readonly lineBreak: '\n' | '\r\n' | '\r';
  readonly input: InputSource;
  readonly read: number;
  readonly rejected: number;
  /** Contacts in an account of the accounts file. */
  readonly matched: number;
  /** Contacts with no account key (blank or missing). */
  readonly withoutKey: number;
  /** Contacts whose key names no account, in file order. */
  readonly unknownKeys: readonly Unmatched[];
  /** A contact's lead (a new object each time for a row read by cells), its `events` not set. */
  readonly leadOf: (contact: ContactRow) => Record<string, unknown>;
  /** Contacts handed to the `stream` hook (not in {@link contacts}); 0 without it. */
  readonly streamed: number;
}

/**
 * Reads the whole contacts file, grouping the contacts under their account (`accounts.byKey`;
 * each account's `contacts` get their indexes). `withEvents` is called for each contact in file
 * order (joins its events, or reports that it cannot; a promise only when it has to wait);
 * `onRecord` after each batch of records (progress). Records are read as `rubric score` reads
 * them (`readLeadRecords` does the same per record), a batch at a time, with no promise per
 * record unless one has to wait.
 */
export async function readContactsFile(
  context: CommandContext,
  userPath: string,
  schema: Schema,
  accounts: Pick<AccountsFile, 'byKey' | 'rows'>,
  side: AccountSide,
  settings: ReadSettings & {
    readonly maxContacts: number;
    readonly idColumn: string;
    /** Keep only the contacts of an account of `accounts` (`rubric explain --account`); the others are counted. */
    readonly onlyMatched?: boolean;
    /** Keep each CSV row's text for CSV output (`readItemBatches`' `keepRaw`). */
    readonly keepRaw?: boolean;
    /**
     * The contacts come sorted by lead id (`--events`: the join refuses any other order), so a
     * contact listed twice follows its first row: only the last id is kept to find it, not every
     * id of the file. (In a file that is not sorted the run stops at the first id out of order.)
     */
    readonly sortedIds?: boolean;
  },
  hooks: {
    readonly report: (problem: RowProblem) => Promise<void>;
    readonly notice: (message: string) => void;
    readonly header: (columns: readonly string[], path: string, header: ContactsHeader) => void;
    readonly withEvents: (contact: ContactRow, ownEvents: readonly LeadEvent[] | undefined, path: string) => Promise<void> | undefined;
    readonly onRecord?: (input: InputSource, read: number) => void;
    /**
     * When given, every CSV row the row reader reads (a header without an `events` column) is
     * handed to it once its events are joined, in file order, and not kept (`contacts` stays
     * empty; `streamed` counts them): `rubric score --accounts` scores each contact as it is
     * read. The counts, checks, reports and `--max-contacts` are the same as when kept.
     */
    readonly stream?: ContactStream;
  },
): Promise<ContactsFile> {
  const contacts: ContactRow[] = [];
  let columns: readonly string[] = [];
  let roles: readonly ColumnRole[] = [];
  let reader: LeadRowReader | undefined;
  let delimiter = ',';
  let lineBreak: '\n' | '\r\n' | '\r' = '\n';
  let read = 0;
  let rejected = 0;
  let matched = 0;
  let withoutKey = 0;
  const unknownKeys: Unmatched[] = [];
  // Issue 17: each contact id's first line and account (a contact listed twice is reported).
  const firstById: FirstContactsIndex = settings.sortedIds === true ? new LastContact() : new FirstContacts();
  // Issue 17: each distinct key cell's account, so a CSV contact costs one probe (not a trim, a
  // fold and a Map probe); bounded (past it, keys are computed as before). The value: the
  // account's number (a streamed contact reaches nothing else of its account: no object of it,
  // one less place in memory per contact), else the key text naming no account, else null (no key).
  const accountOfCell = new KeyCellTable(MAX_KEY_CELLS);
  const rows = accounts.rows;
  let idIndex = -1;
  let keyIndex = -1;
  const input = await openInput(context, userPath, settings.encoding === undefined ? {} : { encoding: settings.encoding });
  const shown = input.path;
  const keyColumn = side.contactKey.column;
  const nested = schema.fromFields?.has(side.contactKey.field) !== true;
  const keyType = side.accountKey.type;
  let streamed = 0;
  let streamTo: ContactStream | undefined;

  /** Adds one contact read; a promise only when something has to wait (a report, events to read). */
  const add = (
    line: number,
    lead: Record<string, unknown> | undefined,
    fields: readonly string[] | undefined,
    raw: string | undefined,
    events: readonly LeadEvent[] | undefined,
    problems: readonly CellProblem[],
  ): Promise<void> | undefined => {
    if (contacts.length + streamed >= settings.maxContacts) throw new TooManyRecords('contacts', shown, settings.maxContacts);
    // A CSV row's lead holds only the lead fields' columns: the id is read from its cell; the key
    // from its cell too when the row has no lead object (an empty cell is missing, as the reader says).
    const id = idText(fields === undefined ? valueAt(lead ?? {}, settings.idColumn, true) : idIndex === -1 ? undefined : fields[idIndex]);
    const keyCell = lead === undefined ? (fields === undefined || keyIndex === -1 ? undefined : fields[keyIndex]) : valueAt(lead, keyColumn, nested);
    // The account's number (-1: none), and the key text when it names no account.
    let account = -1;
    let unknownKey: string | undefined;
    const known = typeof keyCell === 'string' ? accountOfCell.get(keyCell) : undefined;
    if (typeof known === 'number') account = known;
    else if (typeof known === 'string') unknownKey = known;
    else if (known === undefined) {
      const key = keyText(keyCell, keyType, side.contactKey.reading);
      const row = key === undefined ? undefined : accounts.byKey.get(key);
      if (row !== undefined) account = row.index;
      else unknownKey = key;
      if (typeof keyCell === 'string') accountOfCell.set(keyCell, row !== undefined ? row.index : (key ?? null));
    }
    if (account >= 0) matched += 1;
    else if (unknownKey !== undefined) unknownKeys.push({ key: unknownKey, line });
    else withoutKey += 1;
    if (settings.onlyMatched === true && account < 0) return undefined;
    // Every property set here (attach adds none): one shape for all contacts.
    const contact: ContactRow = { line, row: read - 1, lead, fields, raw, id, hadProblem: problems.length > 0, events, eventTimes: undefined, eventRows: undefined };
    const own = events ?? (fields === undefined && lead !== undefined && Array.isArray(lead.events) ? (lead.events as LeadEvent[]) : undefined);
    const twice = id === undefined ? undefined : repeatedContact(firstById, id, line, account, rows, settings.idColumn);
    const stream = lead === undefined && fields !== undefined && reader !== undefined ? streamTo : undefined;
    if (stream !== undefined && reader !== undefined && fields !== undefined) {
      // Handed on once its events are joined, and let go (a row read by cells has no cell
      // problems; a contact listed twice is reported first, as on the held path).
      streamed += 1;
      const twiceReport = twice === undefined ? undefined : { file: shown, line, ...twice, ...(id !== undefined ? { lead: id } : {}) };
      if (twiceReport !== undefined) return reportThenStream(hooks, twiceReport, contact, own, shown, stream, account, reader);
      const joined = hooks.withEvents(contact, own, shown);
      return joined === undefined ? stream(contact, account, reader) : streamWhenJoined(joined, stream, contact, account, reader);
    }
    if (account >= 0) {
      const row = rows[account];
      if (row.contacts === NO_CONTACTS) row.contacts = [contacts.length];
      else (row.contacts as number[]).push(contacts.length);
    }
    contacts.push(contact);
    if (problems.length === 0 && twice === undefined) return hooks.withEvents(contact, own, shown);
    return reportThenJoin(hooks, shown, line, id, twice, problems, contact, own);
  };

  try {
    for await (const batch of readItemBatches(input, settings.format, settings.delimiter, settings.keepRaw === true)) {
      for (let i = 0; i < batch.length; i++) {
        const item = batch[i];
        switch (item.kind) {
          case 'header':
            columns = item.columns;
            delimiter = item.delimiter;
            lineBreak = item.lineBreak;
            roles = columnRoles(columns, schema);
            reader = LeadRowReader.plan(columns, roles, true);
            idIndex = columns.indexOf(settings.idColumn);
            keyIndex = columns.indexOf(keyColumn);
            streamTo = reader !== undefined ? hooks.stream : undefined;
            hooks.header(columns, shown, { delimiter, lineBreak, input, streams: streamTo !== undefined });
            break;
          case 'notice':
            hooks.notice(item.message);
            break;
          case 'bad':
            read += 1;
            rejected += 1;
            await hooks.report({ file: shown, line: item.line, ...(item.column !== undefined ? { column: item.column } : {}), value: item.text, message: item.message, action: 'row skipped' });
            break;
          case 'object': {
            read += 1;
            const pending = add(item.line, item.value as Record<string, unknown>, undefined, undefined, undefined, NO_PROBLEMS);
            if (pending !== undefined) await pending;
            break;
          }
          case 'row': {
            read += 1;
            let pending: Promise<void> | undefined;
            if (reader !== undefined) pending = add(item.line, undefined, item.fields, item.raw, undefined, NO_PROBLEMS);
            else {
              const built = leadFromRow(columns, roles, item.fields);
              if (built.rejected !== undefined) {
                rejected += 1;
                const { column, field, message, value } = built.rejected;
                await hooks.report({ file: shown, line: item.line, column, field, value, message, action: 'row skipped' });
                break;
              }
              pending = add(item.line, built.lead, item.fields, item.raw, built.events, built.problems);
            }
            if (pending !== undefined) await pending;
            break;
          }
        }
      }
      hooks.onRecord?.(input, read);
    }
  } finally {
    await input.close();
  }
  const rowReader = reader;
  const leadOf = (contact: ContactRow): Record<string, unknown> => {
    if (contact.lead !== undefined) return contact.lead;
    if (rowReader === undefined || contact.fields === undefined) throw new Error('internal: a contact with neither a lead nor a row reader');
    return rowReader.read(contact.fields);
  };
  return { path: shown, contacts, columns, delimiter, lineBreak, input, read, rejected, matched, withoutKey, unknownKeys, leadOf, streamed };
}

const NO_PROBLEMS: readonly CellProblem[] = Object.freeze([]);

/** The contacts of an account that has none held (AccountRow.contacts). */
export const NO_CONTACTS: readonly number[] = Object.freeze([]);

// The rare paths of readContactsFile's `add` (a report to wait for, events still to read), as
// functions of their own: closures inside `add` made every call allocate a context for the
// variables they capture (measured on `rubric score --accounts`, bench/notes.md Accounts).

async function reportThenStream(
  hooks: { readonly report: (problem: RowProblem) => Promise<void>; readonly withEvents: (contact: ContactRow, own: readonly LeadEvent[] | undefined, path: string) => Promise<void> | undefined },
  report: RowProblem,
  contact: ContactRow,
  own: readonly LeadEvent[] | undefined,
  shown: string,
  stream: ContactStream,
  account: number,
  reader: LeadRowReader,
): Promise<void> {
  await hooks.report(report);
  await hooks.withEvents(contact, own, shown);
  await stream(contact, account, reader);
}

async function streamWhenJoined(joined: Promise<void>, stream: ContactStream, contact: ContactRow, account: number, reader: LeadRowReader): Promise<void> {
  await joined;
  await stream(contact, account, reader);
}

async function reportThenJoin(
  hooks: { readonly report: (problem: RowProblem) => Promise<void>; readonly withEvents: (contact: ContactRow, own: readonly LeadEvent[] | undefined, path: string) => Promise<void> | undefined },
  shown: string,
  line: number,
  id: string | undefined,
  twice: { message: string; action: 'counted twice' | 'scored in both accounts' } | undefined,
  problems: readonly CellProblem[],
  contact: ContactRow,
  own: readonly LeadEvent[] | undefined,
): Promise<void> {
  if (twice !== undefined) await hooks.report({ file: shown, line, ...twice, ...(id !== undefined ? { lead: id } : {}) });
  for (const problem of problems) {
    await hooks.report({ file: shown, line, column: problem.column, field: problem.field, value: problem.value, message: problem.message, action: 'treated as missing', ...(id !== undefined ? { lead: id } : {}) });
  }
  await hooks.withEvents(contact, own, shown);
}

/**
 * Distinct key cells remembered by `readContactsFile` (KeyCellTable: 48 bytes a slot, up to
 * twice as many slots as cells: about 25 MB at most, next to the 1 KB each account holds).
 */
const MAX_KEY_CELLS = 250_000;

/**
 * Issue 17, "one contact in two accounts (an error in the data, reported and counted)": the
 * report for a contact whose id an earlier contact has, when both are in an account (`account`:
 * the number of the one it is in, -1 for none); undefined for a first id (recorded), or when
 * either is outside any account (no account counts it twice). The rows are scored as written:
 * the report says what that does to the account.
 */
function repeatedContact(
  firstById: FirstContactsIndex,
  id: string,
  line: number,
  account: number,
  rows: readonly AccountRow[],
  idColumn: string,
): { message: string; action: 'counted twice' | 'scored in both accounts' } | undefined {
  const first = firstById.get(id);
  if (first === undefined) {
    firstById.add(id, line, account);
    return undefined;
  }
  if (first.account < 0 || account < 0) return undefined;
  const name = `${listNames([idColumn])} ${listNames([id])}`;
  const key = rows[account].key;
  if (first.account === account) {
    return { message: `the contact ${name} is also on line ${first.line}, in the same account ${listNames([key])}: the account counts it twice (remove one of the rows)`, action: 'counted twice' };
  }
  return { message: `the contact ${name} is in account ${listNames([rows[first.account].key])} on line ${first.line} and in account ${listNames([key])} here: one contact in two accounts (fix its account key on one of the rows)`, action: 'scored in both accounts' };
}

/** Where repeatedContact finds the first row of a contact id. */
interface FirstContactsIndex {
  /** `account`: the number of the account it is in, -1 for none. */
  get(id: string): { readonly line: number; readonly account: number } | undefined;
  add(id: string, line: number, account: number): void;
}

/**
 * Each contact id's first line and account number, for repeatedContact, when the contacts are
 * sorted by id (`sortedIds`): a repeated id follows its
 * first row, so only the last first row is kept.
 */
class LastContact implements FirstContactsIndex {
  private id: string | undefined;
  private line = 0;
  private account = -1;

  get(id: string): { readonly line: number; readonly account: number } | undefined {
    return id === this.id ? { line: this.line, account: this.account } : undefined;
  }

  add(id: string, line: number, account: number): void {
    this.id = id;
    this.line = line;
    this.account = account;
  }
}

/**
 * Each contact id's first line and account number, for repeatedContact. Held for every contact of the file: a slot in two arrays per id, not an
 * object per id (100,000 small objects kept to the end are what the young-generation
 * collections copied and promoted; measured in bench/notes.md, Accounts).
 */
class FirstContacts implements FirstContactsIndex {
  private readonly index = new Map<string, number>();
  private readonly lines: number[] = [];
  private readonly accounts: number[] = [];

  get(id: string): { readonly line: number; readonly account: number } | undefined {
    const at = this.index.get(id);
    return at === undefined ? undefined : { line: this.lines[at], account: this.accounts[at] };
  }

  add(id: string, line: number, account: number): void {
    this.index.set(id, this.lines.length);
    this.lines.push(line);
    this.accounts.push(account);
  }
}

/** The unknown keys as the summary lists them: the first few with their line, and how many more. */
export function describeUnknownKeys(unknown: readonly Unmatched[], max = 5): string {
  const distinct = new Map<string, number>();
  for (const { key, line } of unknown) if (!distinct.has(key)) distinct.set(key, line);
  const shown = [...distinct].slice(0, max).map(([key, line]) => `${listNames([key])} line ${line}`);
  const more = distinct.size - Math.min(distinct.size, max);
  return `${shown.join(', ')}${more > 0 ? ` and ${more} more ${more === 1 ? 'key' : 'keys'}` : ''}`;
}

function readOptions(settings: ReadSettings): { format: InputFormat; delimiter?: string; encoding?: InputEncoding } {
  return {
    format: settings.format,
    ...(settings.delimiter !== undefined ? { delimiter: settings.delimiter } : {}),
    ...(settings.encoding !== undefined ? { encoding: settings.encoding } : {}),
  };
}

function rejectedReport(file: string, record: Extract<LeadRecord, { kind: 'rejected' }>, action: 'row skipped'): RowProblem {
  return {
    file,
    line: record.line,
    ...(record.column !== undefined ? { column: record.column } : {}),
    ...(record.field !== undefined ? { field: record.field } : {}),
    value: record.text,
    message: record.message,
    action,
  };
}
