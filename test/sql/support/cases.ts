/**
 * Adapter from the shared random generator (packages/core/test/support/arbitrary.ts: rule files
 * and JavaScript leads with events) to what the SQL target reads: a leads table and an events
 * table whose columns have random formats (text, csv, number, bool, timestamp, list, json).
 *
 * Each lead value is first read as the runtime reads it (own properties, dotted key first),
 * then stored in its column in a way that format can hold, and the JavaScript lead that the
 * SQL row stands for is rebuilt FROM the stored cell: what a driver returns for a typed column,
 * the text itself for a text or CSV cell (`rubric score` passes CSV cells to the scorer as they
 * are: design14.md), the parsed value of a JSON column. So the JavaScript scorer and the SQL query always see the same data, and both
 * are compared on it.
 */
import { runtimeHelpers } from '../../../packages/core/src/runtime/runtime.js';
import type { ScorerIR, ValueSlot, ValueType } from '../../../packages/core/src/compiler/ir.js';
import type { SqlColumnFormat, SqlMapping } from '../../../packages/core/src/compiler/sql/index.js';
import type { LeadEvent } from '../../../packages/core/src/runtime/types.js';
import type { LeadCase } from '../../../packages/core/test/support/arbitrary.js';
import type { Cell, ColumnKind, TestColumn, TestTable } from './engines.js';

const rt = runtimeHelpers();

/** Formats a column of each type may have (what the mapping accepts). */
export const FORMATS: Readonly<Record<ValueType, readonly SqlColumnFormat[]>> = {
  number: ['text', 'csv', 'number', 'json'],
  bool: ['text', 'csv', 'bool', 'json'],
  date: ['text', 'csv', 'timestamp', 'json'],
  text: ['text', 'csv', 'json'],
  'one-of': ['text', 'csv', 'json'],
  list: ['list', 'text', 'csv', 'json'],
};
export const AT_FORMATS: readonly SqlColumnFormat[] = ['text', 'csv', 'timestamp', 'json'];
export const TYPE_FORMATS: readonly SqlColumnFormat[] = ['text', 'csv'];

/** A small deterministic PRNG (mulberry32), so a fast-check seed decides every choice. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, values: readonly T[]): T {
  return values[Math.floor(next() * values.length)];
}

function kindOf(format: SqlColumnFormat): ColumnKind {
  return format === 'csv' ? 'text' : (format as ColumnKind);
}

/** Text the engine can store: no lone surrogate (UTF-8), no NUL in PostgreSQL. */
function storable(text: string, engine: 'duckdb' | 'postgres'): string {
  let out = text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  if (engine === 'postgres') out = out.replaceAll('\u0000', '\u2400');
  return out;
}

function storableDeep(value: unknown, engine: 'duckdb' | 'postgres'): unknown {
  if (typeof value === 'string') return storable(value, engine);
  if (Array.isArray(value)) return value.map((v) => storableDeep(v, engine));
  if (value instanceof Date) return value;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      Object.defineProperty(out, storable(key, engine), { value: storableDeep((value as Record<string, unknown>)[key], engine), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** White space around a cell: folding's trim set (read through) and others (kept). */
function pickPad(next: () => number): string {
  return pick(next, ['', ' ', '\t', '\u00a0', '\r\n', '\u2003']);
}

/** A value as text, the way an export would write it. */
function asText(raw: unknown, next: () => number, type: ValueType): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string') {
    // Spreadsheets write `2026-03-01 09:30`: the csv format must accept it.
    if (type === 'date' && /^\d{4}-\d{2}-\d{2}T/.test(raw) && next() < 0.3) return raw.replace('T', ' ');
    return raw;
  }
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? 'Invalid Date' : raw.toISOString();
  if (Array.isArray(raw)) return raw.map((item) => (typeof item === 'string' ? item : String(item))).join(next() < 0.5 ? ';' : ' | ');
  return JSON.stringify(raw) ?? null;
}

/** One value stored in a column of `format`: the cell, and the JavaScript value it stands for. */
export function store(
  raw: unknown,
  type: ValueType,
  format: SqlColumnFormat,
  engine: 'duckdb' | 'postgres',
  next: () => number,
): { cell: Cell; js: unknown } {
  const clean = storableDeep(raw, engine);
  switch (format) {
    case 'text':
    case 'csv': {
      // Padded now and then, as exports do: the scorer trims what it reads.
      const raw = asText(clean, next, type);
      const text = raw !== null && next() < 0.1 ? `${pickPad(next)}${raw}${pickPad(next)}` : raw;
      return { cell: text, js: text ?? undefined };
    }
    case 'number': {
      let value: number | null = null;
      if (typeof clean === 'number') value = clean;
      else if (typeof clean === 'string' && /^-?\d+(\.\d+)?$/.test(clean)) value = Number(clean);
      return { cell: value, js: value ?? undefined };
    }
    case 'bool': {
      const value = typeof clean === 'boolean' ? clean : clean === 'true' ? true : clean === 'false' ? false : null;
      return { cell: value, js: value ?? undefined };
    }
    case 'timestamp': {
      if (next() < 0.03) return { cell: next() < 0.5 ? 'infinity' : '-infinity', js: undefined };
      const millis = rt.toEpochMillis(clean);
      if (!Number.isFinite(millis)) return { cell: null, js: undefined };
      // Microseconds below the millisecond: the SQL target floors them, like a driver's Date.
      const extra = BigInt(Math.floor(next() * 1000));
      return { cell: { micros: BigInt(millis) * 1000n + extra }, js: new Date(millis) };
    }
    case 'list': {
      if (!Array.isArray(clean)) return { cell: null, js: undefined };
      const items = clean.map((item) => (typeof item === 'string' ? item : null));
      return { cell: items, js: [...items] };
    }
    case 'json': {
      if (clean === undefined) return { cell: null, js: undefined };
      const text = JSON.stringify(clean);
      if (text === undefined) return { cell: null, js: undefined };
      return { cell: text, js: JSON.parse(text) as unknown };
    }
  }
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The column formats of one batch: every lead field, the events' `type` and `at`, each property. */
export interface BatchFormats {
  readonly fields: ReadonlyMap<number, SqlColumnFormat>;
  readonly type: SqlColumnFormat;
  readonly at: SqlColumnFormat;
}

export function chooseFormats(ir: ScorerIR, seed: number): BatchFormats {
  const next = random(seed);
  const fields = new Map<number, SqlColumnFormat>();
  for (const slot of ir.slots) fields.set(slot.id, pick(next, FORMATS[slot.type]));
  return { fields, type: pick(next, TYPE_FORMATS), at: pick(next, AT_FORMATS) };
}

/** A batch of leads as SQL tables, with the JavaScript lead each row stands for. */
export interface Batch {
  readonly mapping: SqlMapping;
  readonly tables: readonly TestTable[];
  readonly leads: ReadonlyArray<{ readonly id: string; readonly lead: Record<string, unknown>; readonly events: LeadEvent[] }>;
}

function propertyColumn(ir: ScorerIR, slot: ValueSlot): string {
  return `p_${ir.events[slot.event as number].name}_${slot.key}`;
}

/**
 * Builds the tables of `cases` for `engine`. Lead columns are named after the fields (hostile
 * names included: the emitter must quote them); event property columns are one per property.
 */
export function buildBatch(ir: ScorerIR, cases: readonly LeadCase[], formats: BatchFormats, engine: 'duckdb' | 'postgres', seed: number): Batch {
  const next = random(seed ^ 0x5bd1e995);
  const leadSlots = ir.slots.filter((slot) => slot.source === 'lead' && slot.derived === undefined);
  const eventSlots = ir.slots.filter((slot) => slot.source === 'event' && slot.derived === undefined);
  const format = (slot: ValueSlot) => formats.fields.get(slot.id) as SqlColumnFormat;

  const leadColumns: TestColumn[] = [{ name: 'id', kind: 'text' }, ...leadSlots.map((slot) => ({ name: slot.name, kind: kindOf(format(slot)) }))];
  const eventColumns: TestColumn[] = [
    { name: 'lead_id', kind: 'text' },
    { name: 'type', kind: 'text' },
    { name: 'at', kind: kindOf(formats.at) },
    ...eventSlots.map((slot) => ({ name: propertyColumn(ir, slot), kind: kindOf(format(slot)) })),
  ];
  const leadRows: Cell[][] = [];
  const eventRows: Cell[][] = [];
  const leads: Array<{ id: string; lead: Record<string, unknown>; events: LeadEvent[] }> = [];

  cases.forEach((leadCase, index) => {
    const id = `L${index}`;
    const lead: Record<string, unknown> = {};
    const row: Cell[] = [id];
    for (const slot of leadSlots) {
      let raw: unknown;
      try {
        raw = rt.readRaw(leadCase.lead, { key: slot.key, parts: slot.path, name: slot.name, expected: slot.expected });
      } catch {
        raw = undefined;
      }
      const stored = store(raw, slot.type, format(slot), engine, next);
      row.push(stored.cell);
      if (stored.js !== undefined) setOwn(lead, slot.key, stored.js);
    }
    leadRows.push(row);

    const events: LeadEvent[] = [];
    const options = leadCase.events === undefined ? {} : { events: leadCase.events };
    const all = rt.eventsOf(leadCase.lead, options as never, null) as readonly unknown[];
    for (const event of all) {
      const type = rt.eventType(event);
      if (type === undefined) continue;
      const cleanType = storable(type, engine);
      const padded = formats.type === 'csv' && next() < 0.2 ? ` ${cleanType}\t` : cleanType;
      const jsEvent: Record<string, unknown> = {};
      setOwn(jsEvent, 'type', formats.type === 'csv' ? padded.trim() : padded);
      let rawAt: unknown;
      try {
        rawAt = rt.readRaw(event, { key: 'at', parts: ['at'], name: 'at', expected: 'date' });
      } catch {
        rawAt = undefined;
      }
      const at = store(rawAt, 'date', formats.at, engine, next);
      if (at.js !== undefined) setOwn(jsEvent, 'at', at.js);
      const eventRow: Cell[] = [id, padded, at.cell];
      const declared = ir.events.find((e) => e.name === type);
      for (const slot of eventSlots) {
        if (declared === undefined || slot.event !== declared.id) {
          eventRow.push(null);
          continue;
        }
        let raw: unknown;
        try {
          raw = rt.readRaw(event, { key: slot.key, parts: [slot.key], name: slot.name, expected: slot.expected });
        } catch {
          raw = undefined;
        }
        const stored = store(raw, slot.type, format(slot), engine, next);
        eventRow.push(stored.cell);
        if (stored.js !== undefined) setOwn(jsEvent, slot.key, stored.js);
      }
      eventRows.push(eventRow);
      events.push(jsEvent as unknown as LeadEvent);
    }
    leads.push({ id, lead, events });
  });

  const fields: Record<string, { column: string; format: SqlColumnFormat }> = {};
  for (const slot of leadSlots) setOwn(fields, slot.name, { column: slot.name, format: format(slot) });
  const properties: Record<string, { column: string; format: SqlColumnFormat }> = {};
  for (const slot of eventSlots) setOwn(properties, slot.name, { column: propertyColumn(ir, slot), format: format(slot) });
  const mapping: SqlMapping = {
    leads: { table: 'leads', id: 'id', fields },
    events: { table: 'events', leadId: 'lead_id', type: { column: 'type', format: formats.type }, at: { column: 'at', format: formats.at }, properties },
  };
  return {
    mapping,
    tables: [
      { name: 'leads', columns: leadColumns, rows: leadRows },
      { name: 'events', columns: eventColumns, rows: eventRows },
    ],
    leads,
  };
}
