/**
 * Where the SQL target finds its data: the leads table, the events table, and which column (in
 * which format) holds each lead field and event property. A mapping is plain data, written in
 * code or loaded from a small JSON file with {@link parseSqlMapping}.
 *
 * Defaults (every part is optional): leads in `leads`, the lead id in `id`, each field in the
 * column the rule file names with `from "COLUMN"`, else the column of its full name
 * (`company.size` in the column `"company.size"`, as the CLI's CSV headers name it); events in
 * `events` with `lead_id`, `type`, `at` and one column per property, named by its `from` or
 * after the property. Columns hold text read exactly as the JavaScript scorer reads a string
 * (format `text`), in the rule file's `data` dialect; a mapping entry overrides all of it.
 */
import type { ValueType } from '../ir.js';
import { SqlEmitError } from './dialect.js';

/**
 * How a column holds its values:
 * - `text`: text, read as the JavaScript scorer reads a string, in the rule file's `data` dialect
 *   (placeholders missing; numbers trimmed, with a `+` and the dialect's separators; bools
 *   true/false/yes/no/1/0 and the dialect's words, folded; ISO 8601 dates, with a space for the
 *   `T`, and `D/M/YYYY` in the dialect's date order; folded text; lists split on `;` or `|`);
 * - `csv`: the same as `text` (`rubric score` passes CSV cells to the scorer as they are);
 * - `number`: a numeric column (integer, decimal, double); NaN and infinities are missing;
 * - `bool`: a boolean column;
 * - `timestamp`: a timestamp, timestamp with time zone or date column (to the millisecond, floor);
 * - `list`: an array of text (`VARCHAR[]`, `text[]`); an array holding NULL is missing;
 * - `json`: a JSON value (DuckDB `JSON`, PostgreSQL `jsonb`, or text holding JSON), read as the
 *   JavaScript scorer reads a parsed JSON value.
 */
export type SqlColumnFormat = 'text' | 'csv' | 'number' | 'bool' | 'timestamp' | 'list' | 'json';

export const SQL_COLUMN_FORMATS: readonly SqlColumnFormat[] = ['text', 'csv', 'number', 'bool', 'timestamp', 'list', 'json'];

/** A column and the format of its values. */
export interface SqlColumn {
  readonly column: string;
  readonly format?: SqlColumnFormat;
}

/** A column name (in the table's default format) or a column with its format. */
export type SqlColumnSpec = string | SqlColumn;

/** A table name, or its qualified parts (`["crm", "leads"]` is `"crm"."leads"`). */
export type SqlTableName = string | readonly string[];

export interface SqlLeadsMapping {
  /** Default `leads`. */
  readonly table?: SqlTableName;
  /** The lead id column, copied to the output. Default `id`. */
  readonly id?: string;
  /** The column matched with the events' lead id. Default: the `id` column. */
  readonly eventKey?: string;
  /** Format of the field columns not given one. Default `text`. */
  readonly format?: SqlColumnFormat;
  /**
   * Column of each lead field, by its full dotted name. Default: the column the rule file names
   * (`job: text from "Job Title"`), else the field's name.
   */
  readonly fields?: Readonly<Record<string, SqlColumnSpec>>;
}

export interface SqlEventsMapping {
  /** Default `events`. */
  readonly table?: SqlTableName;
  /** The column holding the lead's id. Default `lead_id`. */
  readonly leadId?: string;
  /** The event type column (`text` or `csv`). Default `type`. */
  readonly type?: SqlColumnSpec;
  /** The instant column (`text`, `csv`, `timestamp` or `json`). Default `at`. */
  readonly at?: SqlColumnSpec;
  /** Format of the property columns not given one. Default `text`. */
  readonly format?: SqlColumnFormat;
  /**
   * Column of each property, by `event.property` or by `property`. Default: the column the rule
   * file names (`url: text from "Page URL"`), else the property's name.
   */
  readonly properties?: Readonly<Record<string, SqlColumnSpec>>;
}

/**
 * Issue 17: the accounts of a file with an `account` block (one row per account). Defaults:
 * table `accounts`, each account field in the column its `from` names, else its name; the id
 * copied to the account output is the key field's column.
 */
export interface SqlAccountsMapping {
  /** Default `accounts`. */
  readonly table?: SqlTableName;
  /** The account id column, copied to the account output. Default: the key field's column. */
  readonly id?: string;
  /**
   * When several rows have the same key, the one with the least value of this column is the
   * account (`rubric score --engine duckdb`: the row number, the file's first). Default: the id.
   */
  readonly order?: string;
  /** Format of the field columns not given one. Default `text`. */
  readonly format?: SqlColumnFormat;
  /** Column of each account field, by its name. */
  readonly fields?: Readonly<Record<string, SqlColumnSpec>>;
}

/** Where the data lives. Every part is optional (see the module comment for the defaults). */
export interface SqlMapping {
  readonly leads?: SqlLeadsMapping;
  readonly events?: SqlEventsMapping;
  /** Only for a rule file with an `account` block. */
  readonly accounts?: SqlAccountsMapping;
}

/** Formats a column of each value type may have. */
export const FORMATS_BY_TYPE: Readonly<Record<ValueType | 'at' | 'type', readonly SqlColumnFormat[]>> = {
  number: ['text', 'csv', 'number', 'json'],
  bool: ['text', 'csv', 'bool', 'json'],
  date: ['text', 'csv', 'timestamp', 'json'],
  text: ['text', 'csv', 'json'],
  'one-of': ['text', 'csv', 'json'],
  list: ['list', 'text', 'csv', 'json'],
  at: ['text', 'csv', 'timestamp', 'json'],
  type: ['text', 'csv'],
};

/** The declared name closest to a misspelt one (at most a third of its letters off), if any. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const a = name.toLowerCase();
    const b = candidate.toLowerCase();
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++) row.push(Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
      previous = row;
    }
    if (previous[b.length] < bestDistance) {
      bestDistance = previous[b.length];
      best = candidate;
    }
  }
  return best;
}

function hasOwn(record: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && hasOwn(record, key) ? record[key] : undefined;
}

/** A resolved column: where it is and how to read it. */
export interface ResolvedColumn {
  readonly column: string;
  readonly format: SqlColumnFormat;
}

/** A mapping with every default filled in, checked against the rule file. */
export interface ResolvedMapping {
  readonly leadsTable: readonly string[];
  readonly leadId: string;
  readonly leadEventKey: string;
  readonly eventsTable: readonly string[];
  readonly eventLeadId: string;
  readonly eventType: ResolvedColumn;
  readonly eventAt: ResolvedColumn;
  /** By lead field name; `column`: the column the rule file names (`from`), else the name. */
  field(name: string, column: string, type: ValueType): ResolvedColumn;
  /** By event and property name; `column`: the column the rule file names, else the name. */
  property(event: string, name: string, column: string, type: ValueType): ResolvedColumn;
}

/** The table's default format for `type`/`at` when it fits them, else `text`. */
function fitting(format: SqlColumnFormat | undefined, what: 'type' | 'at'): SqlColumnFormat | undefined {
  return format !== undefined && FORMATS_BY_TYPE[what].includes(format) ? format : undefined;
}

export function tableParts(table: SqlTableName | undefined, fallback: string, what: string): readonly string[] {
  if (table === undefined) return [fallback];
  const parts = typeof table === 'string' ? [table] : [...table];
  if (parts.length === 0 || parts.some((part) => typeof part !== 'string' || part === '')) {
    throw new SqlEmitError(`the ${what} table name is empty`, 'give a name, or its parts as a list: ["crm", "leads"]');
  }
  return parts;
}

function checkFormat(format: SqlColumnFormat, allowed: readonly SqlColumnFormat[], what: string): SqlColumnFormat {
  if (!allowed.includes(format)) {
    throw new SqlEmitError(
      `${what} cannot be read from a \`${format}\` column`,
      `use one of the formats ${allowed.map((f) => `\`${f}\``).join(', ')}`,
    );
  }
  return format;
}

export function resolveColumn(
  spec: SqlColumnSpec | undefined,
  fallbackColumn: string,
  tableFormat: SqlColumnFormat | undefined,
  allowed: readonly SqlColumnFormat[],
  what: string,
): ResolvedColumn {
  const column = spec === undefined ? fallbackColumn : typeof spec === 'string' ? spec : spec.column;
  if (typeof column !== 'string' || column === '') throw new SqlEmitError(`the column of ${what} is empty`);
  const explicit = typeof spec === 'object' ? spec.format : undefined;
  if (explicit !== undefined) return { column, format: checkFormat(explicit, allowed, what) };
  // The table's default must fit too (a text column of a list is read as separated values).
  return { column, format: checkFormat(tableFormat ?? 'text', allowed, what) };
}

/**
 * Fills in the defaults of `mapping` and checks it against the file's declarations: a mapped
 * field or property must exist, and each column's format must be able to hold its type.
 */
export function resolveMapping(
  mapping: SqlMapping | undefined,
  declared: {
    readonly fields: ReadonlyMap<string, ValueType>;
    readonly events: ReadonlyMap<string, ReadonlyMap<string, ValueType>>;
  },
): ResolvedMapping {
  const leads = mapping?.leads ?? {};
  const events = mapping?.events ?? {};
  const fields = leads.fields ?? {};
  for (const name of Object.keys(fields)) {
    if (!declared.fields.has(name)) {
      const suggestion = closest(name, declared.fields.keys());
      throw new SqlEmitError(
        `the mapping names the lead field \`${name}\`, which the rule file does not declare`,
        suggestion !== undefined ? `did you mean \`${suggestion}\`?` : 'remove it from `leads.fields`, or declare the field',
      );
    }
  }
  const properties = events.properties ?? {};
  for (const key of Object.keys(properties)) {
    const dot = key.indexOf('.');
    const known =
      [...declared.events.values()].some((props) => props.has(key)) ||
      (dot > 0 && declared.events.get(key.slice(0, dot))?.has(key.slice(dot + 1)) === true);
    if (!known) {
      const names = [...declared.events].flatMap(([event, props]) => [...props.keys()].flatMap((prop) => [prop, `${event}.${prop}`]));
      const suggestion = closest(key, names);
      throw new SqlEmitError(
        `the mapping names the event property \`${key}\`, which the rule file does not declare`,
        suggestion !== undefined ? `did you mean \`${suggestion}\`?` : 'name it `event.property` or `property`, as declared in the rule file',
      );
    }
  }
  const leadId = leads.id ?? 'id';
  return {
    leadsTable: tableParts(leads.table, 'leads', 'leads'),
    leadId,
    leadEventKey: leads.eventKey ?? leadId,
    eventsTable: tableParts(events.table, 'events', 'events'),
    eventLeadId: events.leadId ?? 'lead_id',
    eventType: resolveColumn(events.type, 'type', fitting(events.format, 'type'), FORMATS_BY_TYPE.type, 'the event type'),
    eventAt: resolveColumn(events.at, 'at', fitting(events.format, 'at'), FORMATS_BY_TYPE.at, 'the event time `at`'),
    field: (name, column, type) => resolveColumn(own(fields, name), column, leads.format, FORMATS_BY_TYPE[type], `the ${type} field \`${name}\``),
    property: (event, name, column, type) =>
      resolveColumn(
        own(properties, `${event}.${name}`) ?? own(properties, name),
        column,
        events.format,
        FORMATS_BY_TYPE[type],
        `the ${type} property \`${event}.${name}\``,
      ),
  };
}

// ---------------------------------------------------------------------------------------------
// The JSON file

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class MappingReader {
  expectObject(value: unknown, path: string): Record<string, unknown> {
    if (!isRecord(value)) throw new SqlEmitError(`\`${path}\` must be an object, not ${describe(value)}`);
    return value;
  }

  onlyKeys(value: Record<string, unknown>, path: string, keys: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) {
        throw new SqlEmitError(`unknown key \`${path === '' ? key : `${path}.${key}`}\` in the SQL mapping`, `expected one of ${keys.map((k) => `\`${k}\``).join(', ')}`);
      }
    }
  }

  string(value: unknown, path: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') throw new SqlEmitError(`\`${path}\` must be a non-empty text, not ${describe(value)}`);
    return value;
  }

  format(value: unknown, path: string): SqlColumnFormat | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !(SQL_COLUMN_FORMATS as readonly string[]).includes(value)) {
      throw new SqlEmitError(`\`${path}\` must be a column format, not ${describe(value)}`, `one of ${SQL_COLUMN_FORMATS.map((f) => `\`${f}\``).join(', ')}`);
    }
    return value as SqlColumnFormat;
  }

  table(value: unknown, path: string): SqlTableName | undefined {
    if (value === undefined || typeof value === 'string') return this.string(value, path);
    if (Array.isArray(value) && value.length > 0) return value.map((part, i) => this.string(part, `${path}[${i}]`) as string);
    throw new SqlEmitError(`\`${path}\` must be a table name or a list of its parts, not ${describe(value)}`);
  }

  column(value: unknown, path: string): SqlColumnSpec | undefined {
    if (value === undefined || typeof value === 'string') return this.string(value, path);
    const object = this.expectObject(value, path);
    this.onlyKeys(object, path, ['column', 'format']);
    const column = this.string(object.column, `${path}.column`);
    if (column === undefined) throw new SqlEmitError(`\`${path}.column\` is required`);
    const format = this.format(object.format, `${path}.format`);
    return format === undefined ? { column } : { column, format };
  }

  columns(value: unknown, path: string): Record<string, SqlColumnSpec> | undefined {
    if (value === undefined) return undefined;
    const object = this.expectObject(value, path);
    const out: Record<string, SqlColumnSpec> = Object.create(null) as Record<string, SqlColumnSpec>;
    for (const key of Object.keys(object)) {
      out[key] = this.column(object[key], `${path}["${key}"]`) as SqlColumnSpec;
    }
    return out;
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Reads a mapping from JSON text (the `--mapping FILE` of `rubric build --target sql`), e.g.
 * `{"leads": {"table": "crm_leads", "id": "lead_id", "fields": {"company.size": {"column":
 * "size", "format": "number"}}}, "events": {"table": "crm_events"}}`. Throws
 * {@link SqlEmitError} naming the offending key.
 */
export function parseSqlMapping(text: string): SqlMapping {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SqlEmitError(`the SQL mapping is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const read = new MappingReader();
  const root = read.expectObject(value, 'mapping');
  read.onlyKeys(root, '', ['leads', 'events', 'accounts', '$schema', 'comment']);
  const mapping: { leads?: SqlLeadsMapping; events?: SqlEventsMapping; accounts?: SqlAccountsMapping } = {};
  if (root.leads !== undefined) {
    const leads = read.expectObject(root.leads, 'leads');
    read.onlyKeys(leads, 'leads', ['table', 'id', 'eventKey', 'format', 'fields']);
    mapping.leads = withoutUndefined({
      table: read.table(leads.table, 'leads.table'),
      id: read.string(leads.id, 'leads.id'),
      eventKey: read.string(leads.eventKey, 'leads.eventKey'),
      format: read.format(leads.format, 'leads.format'),
      fields: read.columns(leads.fields, 'leads.fields'),
    });
  }
  if (root.events !== undefined) {
    const events = read.expectObject(root.events, 'events');
    read.onlyKeys(events, 'events', ['table', 'leadId', 'type', 'at', 'format', 'properties']);
    mapping.events = withoutUndefined({
      table: read.table(events.table, 'events.table'),
      leadId: read.string(events.leadId, 'events.leadId'),
      type: read.column(events.type, 'events.type'),
      at: read.column(events.at, 'events.at'),
      format: read.format(events.format, 'events.format'),
      properties: read.columns(events.properties, 'events.properties'),
    });
  }
  if (root.accounts !== undefined) {
    const accounts = read.expectObject(root.accounts, 'accounts');
    read.onlyKeys(accounts, 'accounts', ['table', 'id', 'order', 'format', 'fields']);
    mapping.accounts = withoutUndefined({
      table: read.table(accounts.table, 'accounts.table'),
      id: read.string(accounts.id, 'accounts.id'),
      order: read.string(accounts.order, 'accounts.order'),
      format: read.format(accounts.format, 'accounts.format'),
      fields: read.columns(accounts.fields, 'accounts.fields'),
    });
  }
  return mapping;
}
