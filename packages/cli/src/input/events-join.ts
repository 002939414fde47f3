/**
 * Joins a separate events file to the leads in one pass (a merge join), so memory holds one
 * lead's events whatever the file sizes.
 *
 * The contract (documented in the README and `rubric score --help`): the data and the events
 * file are both sorted by lead id, in the same order. Ids that are whole numbers compare by value
 * (`2` before `10`) and come before other ids; other ids compare character by character (what
 * `LC_ALL=C sort` and `ORDER BY id COLLATE "C"` give). Each events row names its lead in the
 * `lead_id` column (or `--events-key`). Out-of-order rows in either file stop the run with the
 * two lines involved; events for leads that are not in the data are counted and reported.
 */
import type { LeadEvent } from '@rubric/core';
import { CliError } from '../context.js';
import { EventRowReader, emptyRecord, type Schema } from './leads.js';
import type { InputItem } from './source.js';

const INTEGER = /^-?\d+$/;

/** The order both files must follow: integers by value first, then other ids by code unit. */
export function compareIds(a: string, b: string): number {
  const aInteger = INTEGER.test(a);
  const bInteger = INTEGER.test(b);
  if (aInteger && bInteger) {
    const difference = a.length <= 15 && b.length <= 15 ? Number(a) - Number(b) : Number(BigInt(a) - BigInt(b));
    if (difference !== 0) return difference < 0 ? -1 : 1;
  } else if (aInteger !== bInteger) {
    return aInteger ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A lead id as text: strings trimmed, numbers as written; `undefined` when absent or blank. */
export function idText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return String(value);
  return undefined;
}

/** A problem with one events row. */
export interface EventProblem {
  readonly line: number;
  /** True when the whole event was skipped (unreadable row, no lead id). */
  readonly skipped: boolean;
  readonly column?: number;
  readonly field?: string;
  readonly value?: string;
  readonly message: string;
}

export interface EventsJoinOptions {
  /** The events file as shown in messages. */
  readonly path: string;
  /** Column (or JSON key) holding the lead id. */
  readonly key: string;
  readonly schema: Schema;
  /** Called for every unreadable events row (it is skipped) and invalid value (it counts as missing). */
  readonly onProblem: (problem: EventProblem) => Promise<void>;
  /** Checks one event; returns its invalid values as problems (without the line). */
  readonly checkEvent: (event: Record<string, unknown>) => readonly Omit<EventProblem, 'line' | 'skipped'>[];
  readonly onNotice: (message: string) => void;
}

interface EventGroup {
  readonly key: string;
  readonly line: number;
  readonly events: LeadEvent[];
}

/** Statistics of a finished join, for the summary. */
export interface EventsJoinStats {
  readonly eventsRead: number;
  readonly eventsRejected: number;
  readonly eventsUsed: number;
  /** Events whose lead is not in the data. */
  readonly unmatchedEvents: number;
  readonly unmatchedLeads: number;
  readonly firstUnmatched?: { readonly key: string; readonly line: number };
}

export class EventsJoin {
  private readonly groups: AsyncIterator<EventGroup>;
  private pending: EventGroup | undefined;
  private last: EventGroup | undefined;
  private done = false;
  private eventsRead = 0;
  private eventsRejected = 0;
  private eventsUsed = 0;
  private unmatchedEvents = 0;
  private unmatchedLeads = 0;
  private firstUnmatched: { key: string; line: number } | undefined;
  private readonly unknownTypes = new Set<string>();

  /** `items`: the events file's items, one at a time or in batches (see `readCsvBatches`). */
  constructor(
    items: AsyncIterable<InputItem | readonly InputItem[]>,
    private readonly options: EventsJoinOptions,
  ) {
    this.groups = this.readGroups(items)[Symbol.asyncIterator]();
  }

  /** The events of lead `id` (empty when the events file has none). Call with ids in data order. */
  async eventsFor(id: string): Promise<readonly LeadEvent[]> {
    if (this.last !== undefined && this.last.key === id) return this.last.events;
    for (;;) {
      if (this.pending === undefined) {
        if (this.done) return [];
        const next = await this.groups.next();
        if (next.done === true) {
          this.done = true;
          return [];
        }
        this.pending = next.value;
      }
      const order = compareIds(this.pending.key, id);
      if (order < 0) {
        this.countUnmatched(this.pending);
        this.pending = undefined;
        continue;
      }
      if (order > 0) return [];
      this.last = this.pending;
      this.pending = undefined;
      this.eventsUsed += this.last.events.length;
      return this.last.events;
    }
  }

  /** Reads the rest of the events file (checking its order) and returns the join's statistics. */
  async finish(): Promise<EventsJoinStats> {
    if (this.pending !== undefined) this.countUnmatched(this.pending);
    this.pending = undefined;
    while (!this.done) {
      const next = await this.groups.next();
      if (next.done === true) this.done = true;
      else this.countUnmatched(next.value);
    }
    return {
      eventsRead: this.eventsRead,
      eventsRejected: this.eventsRejected,
      eventsUsed: this.eventsUsed,
      unmatchedEvents: this.unmatchedEvents,
      unmatchedLeads: this.unmatchedLeads,
      ...(this.firstUnmatched !== undefined ? { firstUnmatched: this.firstUnmatched } : {}),
    };
  }

  private countUnmatched(group: EventGroup): void {
    this.unmatchedEvents += group.events.length;
    this.unmatchedLeads += 1;
    this.firstUnmatched ??= { key: group.key, line: group.line };
  }

  private async *readGroups(items: AsyncIterable<InputItem | readonly InputItem[]>): AsyncGenerator<EventGroup> {
    const { path, key, schema, onProblem } = this.options;
    let columns: readonly string[] | undefined;
    let keyIndex = -1;
    let rows: EventRowReader | undefined;
    let current: EventGroup | undefined;
    // Readers may hand over a chunk's rows at once: one await per chunk, not per row.
    for await (const entry of items) {
      for (const item of isBatch(entry) ? entry : [entry]) {
        if (item.kind === 'notice') {
          this.options.onNotice(item.message);
          continue;
        }
        if (item.kind === 'header') {
          columns = item.columns;
          keyIndex = columns.indexOf(key);
          const missing = [key, 'type', 'at'].filter((name) => !columns?.includes(name));
          if (missing.length > 0) {
            throw new CliError(`\`${path}\` has no ${missing.map((name) => `\`${name}\``).join(', ')} column`, {
              help:
                key === 'lead_id' && missing.includes(key)
                  ? 'an events file needs `lead_id`, `type` and `at` columns (name the id column with --events-key)'
                  : 'an events file needs a lead id column, `type` and `at`',
            });
          }
          rows = new EventRowReader(columns, schema, new Set([keyIndex]));
          continue;
        }
        this.eventsRead += 1;
        if (item.kind === 'bad') {
          this.eventsRejected += 1;
          await onProblem({
            line: item.line,
            skipped: true,
            ...(item.column !== undefined ? { column: item.column } : {}),
            value: item.text,
            message: item.message,
          });
          continue;
        }
        let id: string | undefined;
        let event: Record<string, unknown>;
        if (item.kind === 'row') {
          id = idText(item.fields[keyIndex]);
          rows ??= new EventRowReader([], schema, new Set([keyIndex]));
          event = rows.read(item.fields);
        } else {
          id = idText(item.value[key]);
          event = emptyRecord();
          for (const name of Object.keys(item.value)) if (name !== key) event[name] = item.value[name];
        }
        if (id === undefined) {
          this.eventsRejected += 1;
          await onProblem({ line: item.line, skipped: true, field: key, message: `no lead id in \`${key}\`` });
          continue;
        }
        const type = typeof event.type === 'string' ? event.type : '';
        if (!schema.events.has(type)) {
          if (!this.unknownTypes.has(type) && this.unknownTypes.size < 100) {
            this.unknownTypes.add(type);
            this.options.onNotice(
              type === ''
                ? `\`${path}\` line ${item.line}: an event without a \`type\` is ignored`
                : `\`${path}\`: event type \`${type}\` (first on line ${item.line}) is not declared in the rules; its events are ignored`,
            );
          }
        } else {
          for (const problem of this.options.checkEvent(event)) await onProblem({ ...problem, line: item.line, skipped: false });
        }
        if (current !== undefined && current.key === id) {
          current.events.push(event as unknown as LeadEvent);
          continue;
        }
        if (current !== undefined) {
          if (compareIds(id, current.key) < 0) {
            throw new CliError(
              `\`${path}\` is not sorted like the data: lead \`${id}\` on line ${item.line} comes after lead \`${current.key}\` (line ${current.line})`,
              { help: OUT_OF_ORDER_HELP },
            );
          }
          yield current;
        }
        current = { key: id, line: item.line, events: [event as unknown as LeadEvent] };
      }
    }
    if (current !== undefined) yield current;
  }
}

function isBatch(entry: InputItem | readonly InputItem[]): entry is readonly InputItem[] {
  return Array.isArray(entry);
}

/** What to do when either file is out of order. */
export const OUT_OF_ORDER_HELP =
  'with --events, sort the data and the events file by lead id in the same order (whole-number ids by value, ' +
  'other ids character by character, e.g. `LC_ALL=C sort` or `ORDER BY id`): they are read together in one pass';
