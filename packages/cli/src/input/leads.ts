/**
 * From input records to the leads and events the scorer takes, driven by the rule file's
 * declared schema.
 *
 * CSV cells go to the scorer as the raw strings they are (design14, rule 4: "JSON and CSV coerce
 * identically"): the scorer's readers, which know the rule file's `data` dialect (placeholders,
 * decimal comma, day-first dates, bool words, lists split on `;` or `|`), are the only coercion,
 * so a cell and the same text as a JSON string are read alike. Only:
 * - an empty cell is left out (missing: the scorer takes `''` as missing too);
 * - a cell of digits only (`120`, `-7`) of a `number` field whose placeholders hold no such text
 *   is handed over as that number: the same value the scorer reads from the text under every
 *   dialect (plain, decimal comma, decimal point), so the result cannot change, and it spares
 *   the scorer a parse per cell. Anything else (`12.5`, `1 200`, `+3`) is left to the scorer;
 * - an `events` column holds the lead's events as a JSON array; one that is not valid JSON counts as
 *   missing, one nested too deep or with an unpaired surrogate escape rejects the row (as the same
 *   lead in JSON Lines would be: the cell's array is level 2, inside the lead).
 * Anything that does not fit its type is reported by the scorer's `validate` and counts as missing.
 * JSON values are typed already and are passed as they are.
 */
import type { FieldType, LeadEvent, Model } from '@rubric/core';
import { jsonValueProblem } from './json.js';
import { listNames } from '../render/names.js';
import { blankColumnsNotice, isBlankColumn, type BlankColumnsOutput } from './blank-columns.js';

/**
 * The declared lead and event schema of a rule file, with the column each field and property is
 * read from: its `from "COLUMN"` when it has one, else its name. The scorer reads a lead's (an
 * event's) value at that column, as one literal key (`ValueSlot.key`), so the readers key the
 * records they build by column.
 */
export interface Schema {
  /** By field name: its type. */
  readonly fields: ReadonlyMap<string, FieldType>;
  /** By field name: the column (CSV header, JSON key) it is read from. */
  readonly columnOf: ReadonlyMap<string, string>;
  /** By column: the field read from it (no two fields read one column: R045). */
  readonly fieldOfColumn: ReadonlyMap<string, string>;
  /**
   * Every proper prefix of a dotted field read by its name (`company` for `company.size`): a
   * JSON lead may nest it (`{"company": {"size": 50}}`). A field with `from` is one literal key.
   */
  readonly parents: ReadonlySet<string>;
  /** By event type, by property name: its type. */
  readonly events: ReadonlyMap<string, ReadonlyMap<string, FieldType>>;
  /** By event type, by property name: the column (events file header, JSON key) it is read from. */
  readonly eventColumns: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** By event type, by column: the type of the property read from it (what the row readers need). */
  readonly eventsByColumn: ReadonlyMap<string, ReadonlyMap<string, FieldType>>;
  /**
   * The `number` fields whose cells of digits only may be handed to the scorer as numbers (see
   * the module comment): those with no placeholder (their own `missing` and the `data` block's)
   * made of digits, which the number would hide from the scorer's placeholder test. Optional:
   * without it, every cell goes as its text.
   */
  readonly digitCells?: ReadonlySet<string>;
  /**
   * The fields with `from "COLUMN"`: read at that one literal key, never at a nested path (a
   * field named `company.size` with no `from` is also read at `{"company": {"size": ...}}`).
   * Optional: without it, no field is taken to have a `from`.
   */
  readonly fromFields?: ReadonlySet<string>;
}

export function schemaOf(model: Model): Schema {
  const fields = new Map<string, FieldType>();
  const columnOf = new Map<string, string>();
  const fieldOfColumn = new Map<string, string>();
  const parents = new Set<string>();
  const digitCells = new Set<string>();
  const fromFields = new Set<string>();
  const digitPlaceholder = (values: readonly string[] | undefined) => values?.some((value) => DIGITS.test(value)) === true;
  const dialectDigits = digitPlaceholder(model.dialect.missing);
  for (const [name, info] of model.fields) {
    // Issue 17: `account.NAME`, `account.stage`... are the account's values, never columns of the data.
    if (info.synthetic !== undefined) continue;
    fields.set(name, info.type);
    const column = info.column ?? name;
    columnOf.set(name, column);
    fieldOfColumn.set(column, name);
    if (info.type.kind === 'number' && !dialectDigits && !digitPlaceholder(info.missing)) digitCells.add(name);
    if (info.column !== undefined) {
      fromFields.add(name);
      continue;
    }
    const parts = name.split('.');
    for (let i = 1; i < parts.length; i++) parents.add(parts.slice(0, i).join('.'));
  }
  const events = new Map<string, ReadonlyMap<string, FieldType>>();
  const eventColumns = new Map<string, ReadonlyMap<string, string>>();
  const eventsByColumn = new Map<string, ReadonlyMap<string, FieldType>>();
  for (const [name, info] of model.events) {
    const properties = [...info.properties];
    events.set(name, new Map(properties.map(([property, field]) => [property, field.type])));
    eventColumns.set(name, new Map(properties.map(([property, field]) => [property, field.column ?? property])));
    eventsByColumn.set(name, new Map(properties.map(([property, field]) => [field.column ?? property, field.type])));
  }
  return { fields, columnOf, fieldOfColumn, parents, events, eventColumns, eventsByColumn, digitCells, fromFields };
}

/**
 * A placeholder that a digits-only cell may fold to (folded values: `0000`, `-1`, `+0`): it makes
 * the number shortcut unsafe for its field (the scorer must see the text to test it).
 */
const DIGITS = /^[+-]?\d+$/;

/** The column of lead field `field` (its name when the schema does not know it). */
export function columnOfField(schema: Schema, field: string): string {
  return schema.columnOf.get(field) ?? field;
}

/** A plain object with no prototype, so keys like `__proto__` are ordinary own properties. */
export function emptyRecord(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/**
 * Sets an own property of a record made with `{}`: `__proto__` as an own data property (as on
 * an {@link emptyRecord}), never the prototype. Leads and events are built this way rather than
 * with no prototype because V8 keeps objects without one in its slow dictionary mode, and the
 * scorer reads every field of every lead (a quarter of its time on the simple ruleset).
 */
export function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
}

/**
 * What `rubric score` hands the scorer for a CSV cell: the raw text, or `undefined` for an empty
 * cell (missing). The scorer's readers do every coercion (see the module comment).
 * `digitsAsNumber`: the field may take a cell of digits only as its number ({@link isDigits}).
 */
export function coerceCell(raw: string, digitsAsNumber = false): string | number | undefined {
  if (raw === '') return undefined;
  return digitsAsNumber && isDigits(raw) ? Number(raw) : raw;
}

/**
 * What each CSV column is for: a lead field's (read from it: its name or its `from`; `digits`:
 * its cells of digits only may go as numbers, see `Schema.digitCells`), the lead's events, or nothing.
 */
export type ColumnRole =
  | { readonly kind: 'field'; readonly field: string; readonly type: FieldType; readonly digits: boolean }
  | { readonly kind: 'events' }
  | { readonly kind: 'other' };

export function columnRoles(columns: readonly string[], schema: Schema): ColumnRole[] {
  return columns.map((column) => {
    // A column with no name is no field, whatever the schema (see blank-columns.ts).
    if (isBlankColumn(column)) return { kind: 'other' };
    const field = schema.fieldOfColumn.get(column);
    const type = field === undefined ? undefined : schema.fields.get(field);
    if (field !== undefined && type !== undefined) return { kind: 'field', field, type, digits: schema.digitCells?.has(field) === true };
    if (column === 'events') return { kind: 'events' };
    return { kind: 'other' };
  });
}

/**
 * Lead fields as messages name them: `job`, or `job` (column `Job Title`) for a field read from
 * a column of another name; at most `max`, as {@link listNames} does.
 */
export function listFields(fields: readonly string[], schema: Schema, max = 8): string {
  const shown = fields.slice(0, max).map((field) => {
    const column = columnOfField(schema, field);
    return column === field ? `\`${field}\`` : `\`${field}\` (column \`${column}\`)`;
  });
  return fields.length > max ? `${shown.join(', ')} and ${fields.length - max} more` : shown.join(', ');
}

/** The warning that input columns are replaced by computed ones (none when `replaced` is empty). */
export function replacedColumnsNotice(replaced: readonly string[]): string | undefined {
  if (replaced.length === 0) return undefined;
  const one = replaced.length === 1;
  return `input ${one ? 'column' : 'columns'} ${listNames(replaced)} ${one ? 'is' : 'are'} replaced by the computed ${one ? 'value' : 'values'}`;
}

/**
 * The warnings `rubric score` gives about a data file's columns, in order, whatever the engine:
 * input columns the output replaces with computed values, columns that are not lead fields (kept,
 * not scored; the id column is not mentioned), and lead fields with no column. Columns with no
 * name get one warning of their own (`blank`: what becomes of their cells, see blank-columns.ts). A field with
 * `from "COLUMN"` is read from that column: the column is a lead field's, and the field has no
 * column when that one is absent (a column named like the field is then just another column).
 */
export function inputColumnNotices(
  columns: readonly string[],
  schema: Schema,
  computedColumns: readonly string[],
  idColumn: string,
  paths: { readonly input: string; readonly rules: string },
  blank: BlankColumnsOutput = 'kept',
): string[] {
  const notices: string[] = [];
  const computed = new Set(computedColumns);
  const replaced = replacedColumnsNotice(columns.filter((column) => computed.has(column)));
  if (replaced !== undefined) notices.push(replaced);
  const unnamed = blankColumnsNotice(columns, paths.input, blank);
  if (unnamed !== undefined) notices.push(unnamed);
  const roles = columnRoles(columns, schema);
  const unknown = columns.filter((column, index) => roles[index].kind === 'other' && column !== idColumn && !isBlankColumn(column));
  if (unknown.length > 0) {
    const one = unknown.length === 1;
    notices.push(
      `${one ? 'column' : 'columns'} ${listNames(unknown)} of \`${paths.input}\` ${one ? 'is not a lead field' : 'are not lead fields'} in \`${paths.rules}\`: kept in the output, not scored`,
    );
  }
  const present = new Set(columns);
  const absent = [...schema.fields.keys()].filter((field) => !present.has(columnOfField(schema, field)));
  if (absent.length > 0) {
    const one = absent.length === 1;
    notices.push(`lead ${one ? 'field' : 'fields'} ${listFields(absent, schema)} of \`${paths.rules}\` ${one ? 'has' : 'have'} no column in \`${paths.input}\`: always missing`);
  }
  return notices;
}

/** A problem with one value of a row, found while building the lead. */
export interface CellProblem {
  readonly column: number;
  readonly field: string;
  readonly value: string;
  readonly message: string;
}

/** Builds the lead of a CSV row: only the schema's field columns (keyed by column, cells as `coerceCell` gives them) and `events` are read. */
export function leadFromRow(
  columns: readonly string[],
  roles: readonly ColumnRole[],
  fields: readonly string[],
): {
  lead: Record<string, unknown>;
  events?: LeadEvent[];
  problems: CellProblem[];
  /** Set when the row cannot be scored at all (a value too deep): skip it, and report this. */
  rejected?: CellProblem;
} {
  const lead: Record<string, unknown> = {};
  const problems: CellProblem[] = [];
  let events: LeadEvent[] | undefined;
  let rejected: CellProblem | undefined;
  for (let i = 0; i < columns.length; i++) {
    const role = roles[i];
    if (role.kind === 'field') {
      const value = coerceCell(fields[i], role.digits);
      if (value !== undefined) setOwn(lead, columns[i], value);
    } else if (role.kind === 'events') {
      const text = fields[i].trim();
      if (text === '') continue;
      const parsed = parseEventsCell(text);
      if (parsed === undefined) {
        problems.push({ column: i + 1, field: 'events', value: text, message: 'expected a JSON array of events' });
      } else if (typeof parsed === 'string') {
        rejected ??= { column: i + 1, field: 'events', value: text, message: parsed };
      } else {
        events = parsed;
      }
    }
  }
  return { lead, ...(events !== undefined && rejected === undefined ? { events } : {}), problems, ...(rejected !== undefined ? { rejected } : {}) };
}

/** How {@link LeadRowReader} reads one field column. */
interface FieldStep {
  readonly index: number;
  readonly key: string;
  /** `__proto__`: set as an own data property (see setOwn). */
  readonly special: boolean;
  /** Whether a cell of digits only goes as its number (`ColumnRole.digits`). */
  readonly digits: boolean;
}

/**
 * {@link leadFromRow} for the rows of one header with no `events` column (so no row has a
 * problem or is rejected), planned once: only the field columns are visited. Gives the lead
 * `leadFromRow(columns, roles, fields).lead` gives, except that a missing field is an own
 * `undefined` instead of an absent key (the same to the scorer: its results, invalid values and
 * explanations are identical).
 */
export class LeadRowReader {
  private readonly steps: readonly FieldStep[];
  /**
   * Every field column's key, in column order, with the value `undefined`: each lead starts as
   * a copy, so all leads of a file share one object shape (the scorer's reads of them stay
   * monomorphic) and no store adds a property. A field left `undefined` reads as a missing one
   * (the scorer takes an own `undefined` as it takes an absent key).
   */
  private readonly template: Record<string, unknown>;

  private constructor(steps: readonly FieldStep[], eventsSlot: boolean) {
    this.steps = steps;
    const template: Record<string, unknown> = {};
    for (const step of steps) setOwn(template, step.key, undefined);
    // `rubric score --accounts` sets each lead's joined events later: a slot in the shape
    // avoids growing every lead's property store then.
    if (eventsSlot) template.events = undefined;
    this.template = template;
  }

  /**
   * A reader for rows of `columns`, or undefined when they have an `events` column. `eventsSlot`:
   * each lead has an own `events` (undefined until set; no column is named so).
   */
  static plan(columns: readonly string[], roles: readonly ColumnRole[], eventsSlot = false): LeadRowReader | undefined {
    const steps: FieldStep[] = [];
    for (let index = 0; index < columns.length; index++) {
      const role = roles[index];
      if (role.kind === 'events') return undefined;
      if (role.kind !== 'field') continue;
      steps.push({ index, key: columns[index], special: columns[index] === '__proto__', digits: role.digits });
    }
    return new LeadRowReader(steps, eventsSlot);
  }

  read(fields: readonly string[]): Record<string, unknown> {
    // Own data properties copied (an own `__proto__` too), the prototype Object.prototype's.
    const lead: Record<string, unknown> = { ...this.template };
    const steps = this.steps;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      const raw = fields[step.index];
      // coerceCell, inlined: an empty cell stays undefined, the rest goes as it is.
      if (raw === '') continue;
      const value = step.digits && isDigits(raw) ? Number(raw) : raw;
      // An own `__proto__` is already there: assigning sets it (not the prototype); setOwn says so.
      if (step.special) setOwn(lead, step.key, value);
      else lead[step.key] = value;
    }
    return lead;
  }
}

/**
 * Whether a cell is `[+-]?` and 1 to 15 ASCII digits, nothing else (no space): text every
 * dialect reads as `Number(text)` (plain, decimal comma and decimal point all take a run of
 * digits as it is), and whose number is exact and finite (15 digits: below 2^53). Without a
 * regular expression: it is tested on every number cell.
 */
export function isDigits(text: string): boolean {
  const length = text.length;
  let i = 0;
  const first = text.charCodeAt(0);
  if (first === 43 || first === 45) i = 1;
  if (length - i < 1 || length - i > 15) return false;
  for (; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** The events of a cell; undefined when it is not a JSON array; why it is unusable (a message) when it is one. */
function parseEventsCell(text: string): LeadEvent[] | string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  const problem = jsonValueProblem(value, text, 1);
  return problem === undefined ? (value as LeadEvent[]) : `${problem.message} (at character ${problem.offset + 1} of the cell)`;
}

/**
 * The keys of a JSON lead that the schema does not know (dotted paths), looking inside nested
 * objects of parent names (`company: {size}`); the fields' columns (`Job Title` for `job: text
 * from "Job Title"`), `events` and `ignore` keys are known.
 */
export function unknownKeys(value: Readonly<Record<string, unknown>>, schema: Schema, ignore: ReadonlySet<string>): string[] {
  const unknown: string[] = [];
  const walk = (object: Readonly<Record<string, unknown>>, prefix: string): void => {
    for (const key of Object.keys(object)) {
      const name = prefix === '' ? key : `${prefix}.${key}`;
      if (schema.fieldOfColumn.has(name) || ignore.has(name) || (prefix === '' && key === 'events')) continue;
      const child = object[key];
      if (schema.parents.has(name) && typeof child === 'object' && child !== null && !Array.isArray(child)) {
        walk(child as Readonly<Record<string, unknown>>, name);
        continue;
      }
      unknown.push(name);
    }
  };
  walk(value, '');
  return unknown;
}

/** An event read from an events file row: `type` (trimmed), `at`, and the declared properties (cells as written). */
export function eventFromRow(
  columns: readonly string[],
  fields: readonly string[],
  schema: Schema,
  skip: ReadonlySet<number>,
): Record<string, unknown> {
  return new EventRowReader(columns, schema, skip).read(fields);
}

/** How one column of an events row is read, for one event type. */
interface EventColumnStep {
  readonly index: number;
  readonly column: string;
  /**
   * `type`: trimmed text (the type names a declared event); `at`: the cell as written, always set
   * (the scorer reads it as a date in the dialect, and reports it as written, as in JSON).
   * Otherwise the declared type, or undefined (kept as written).
   */
  readonly kind: 'type-or-at' | 'property';
  readonly type: FieldType | undefined;
}

/** Event types whose column plans are kept (a file with more distinct types plans the rest per row). */
const MAX_PLANNED_TYPES = 256;
/** Types whose plans are found by a `===` search (see EventRowReader). */
const RECENT_TYPES = 12;

/**
 * Reads the rows of an events file with one header, like {@link eventFromRow}, working out once
 * per event type which columns are read and how (an events file has millions of rows).
 */
export class EventRowReader {
  private readonly typeIndex: number;
  private readonly plans = new Map<string, readonly EventColumnStep[]>();
  // The first few types met, their plans and whether the rules declare them, searched with
  // `===` before the map: a row's type is a new string whose hash V8 would compute for every
  // Map lookup (two per row were ~5% of `rubric score --events`).
  private readonly recentTypes: string[] = [];
  private readonly recentPlans: (readonly EventColumnStep[])[] = [];
  private readonly recentDeclared: boolean[] = [];
  /** The (trimmed) type of the row {@link read} read last, and whether the rules declare it. */
  lastType = '';
  lastDeclared = false;

  constructor(
    private readonly columns: readonly string[],
    private readonly schema: Schema,
    private readonly skip: ReadonlySet<number>,
  ) {
    this.typeIndex = columns.indexOf('type');
  }

  read(fields: readonly string[]): Record<string, unknown> {
    const type = this.typeIndex === -1 ? '' : fields[this.typeIndex].trim();
    let plan: readonly EventColumnStep[] | undefined;
    this.lastType = type;
    const recent = this.recentTypes;
    for (let i = 0; i < recent.length; i++) {
      if (recent[i] === type) {
        plan = this.recentPlans[i];
        this.lastDeclared = this.recentDeclared[i];
        break;
      }
    }
    if (plan === undefined) {
      plan = this.plans.get(type);
      if (plan === undefined) {
        plan = this.planFor(type);
        if (this.plans.size < MAX_PLANNED_TYPES) this.plans.set(type, plan);
      }
      const declared = this.schema.events.has(type);
      this.lastDeclared = declared;
      if (recent.length < RECENT_TYPES) {
        recent.push(type);
        this.recentPlans.push(plan);
        this.recentDeclared.push(declared);
      }
    }
    // `{}` and the plan's order: the events of one type share one fast object shape (see setOwn).
    const event: Record<string, unknown> = {};
    for (let i = 0; i < plan.length; i++) {
      const step = plan[i];
      const raw = fields[step.index];
      if (step.kind === 'type-or-at') {
        // The type column was trimmed above already; `at` goes as written (see EventColumnStep).
        event[step.column] = step.index === this.typeIndex ? type : raw;
        continue;
      }
      // A declared property's cell goes as it is (the scorer reads it in the dialect); one the
      // rules do not declare is not read by the scorer: kept unless blank.
      const value = step.type === undefined ? (raw.trim() === '' ? undefined : raw) : coerceCell(raw);
      if (value !== undefined) setOwn(event, step.column, value);
    }
    return event;
  }

  private planFor(type: string): EventColumnStep[] {
    // By column: a property with `from "COLUMN"` is read from (and keyed by) that column.
    const properties = this.schema.eventsByColumn.get(type);
    const plan: EventColumnStep[] = [];
    this.columns.forEach((column, index) => {
      if (this.skip.has(index)) return;
      if (column === 'type' || column === 'at') plan.push({ index, column, kind: 'type-or-at', type: undefined });
      else plan.push({ index, column, kind: 'property', type: properties?.get(column) });
    });
    return plan;
  }
}
