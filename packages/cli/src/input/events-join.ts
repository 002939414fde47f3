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
import type { EventPlan, EventRows, LeadEvent } from '@rubric/core';
import { CliError } from '../context.js';
import { EventRowReader, emptyRecord, type Schema } from './leads.js';
import type { InputItem } from './source.js';

const INTEGER = /^-?\d+$/;
/** Types whose declared-ness is found by a `===` search (see EventRowReader). */
const RECENT_TYPES = 12;

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
  /**
   * Counts an invalid event value without a report when nothing more would be shown or written
   * (returns true), else returns false and the problem goes to {@link onProblem} in its turn:
   * a run with many problems then needs no report object and no wait per problem.
   */
  readonly countProblem?: () => boolean;
  /**
   * Checks one event; returns its invalid values as problems (without the line). May set
   * `out.at` to the event's instant as `Scorer.validateEvent` gives it (then {@link EventsJoin.lastTimes}
   * hands them on as `ScoreOptions.eventTimes`, so `at` is parsed once).
   */
  readonly checkEvent: (event: Record<string, unknown>, out: { at: number }) => readonly Omit<EventProblem, 'line' | 'skipped'>[];
  readonly onNotice: (message: string) => void;
  /**
   * Events as cells (issue 13: no object per event row). Asked once, at the events file's CSV
   * header: when it gives a reading (the caller then scores with {@link EventsJoin.lastEventRows})
   * and the header reads alike as cells and as objects ({@link cellsApply}), the join keeps each
   * event's cells instead of an object. `checkEvent` checks one event like the option's.
   */
  readonly cells?: () => CellReading | undefined;
}

/** How events kept as cells are planned and checked (see {@link EventsJoinOptions.cells}). */
export interface CellReading {
  readonly plan: (columns: readonly string[]) => EventPlan;
  readonly checkEvent: (cells: readonly string[], type: string, plan: EventPlan, out: { at: number }) => readonly Omit<EventProblem, 'line' | 'skipped'>[];
}

/**
 * Whether events read as cells give exactly the objects' values (`EventRowReader`): no two
 * columns of one name, the key column not `type` or `at`, and no declared property read from
 * `type`, `at` or the key column (the object has the trimmed type, `at` as written, no key there).
 */
export function cellsApply(columns: readonly string[], key: string, schema: Schema): boolean {
  if (new Set(columns).size !== columns.length) return false;
  if (key === 'type' || key === 'at') return false;
  for (const properties of schema.eventsByColumn.values()) {
    for (const column of properties.keys()) if (column === 'type' || column === 'at' || column === key) return false;
  }
  return true;
}

interface EventGroup {
  readonly key: string;
  readonly line: number;
  /** The events as objects (empty when read as cells). */
  readonly events: LeadEvent[];
  /** With events as cells: each event's cells and type (null when read as objects). */
  readonly rows: (readonly string[])[] | null;
  readonly types: string[] | null;
  /** Each event's instant from `checkEvent` (NaN when it gave none), at the same index. */
  readonly times: number[];
}

/**
 * What reading the events file gave, in file order: a lead's events once the next lead's first
 * row is read, a problem or notice to pass on, or the error that stops the run. Handed out in
 * this order, so reports come exactly where reading row by row would put them.
 */
type JoinStep =
  | { readonly kind: 'group'; readonly group: EventGroup }
  | { readonly kind: 'problem'; readonly problem: EventProblem }
  | { readonly kind: 'notice'; readonly message: string }
  | { readonly kind: 'error'; readonly error: unknown };

/** The events of a lead the events file has none for (shared, never changed). */
const NO_EVENTS: readonly LeadEvent[] = Object.freeze([]);

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
  private readonly source: AsyncIterator<InputItem | readonly InputItem[]>;
  /** The steps read from the source's last batch, and the next one to hand out. */
  private readonly steps: JoinStep[] = [];
  private stepAt = 0;
  private sourceDone = false;
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
  // The reading state, carried from one batch to the next.
  private keyIndex = -1;
  private rows: EventRowReader | undefined;
  private current: EventGroup | undefined;
  /** Where `checkEvent` puts an event's instant (one object for the whole file). */
  private readonly checked = { at: Number.NaN };
  private returnedTimes: readonly number[] | undefined;
  private returnedGroup: EventGroup | undefined;
  /** With events as cells: how they are checked, with the header's plan. */
  private cellReading: (CellReading & { readonly eventPlan: EventPlan }) | undefined;
  /** With events as cells: the view of a lead's events handed to the scorer (one for the file). */
  private eventRows: { plan: EventPlan; rows: readonly (readonly string[])[]; types: readonly string[]; times: readonly number[] } | undefined;
  private typeIndex = -1;
  // Recent types and whether the rules declare them (a `===` search before the Map: see EventRowReader).
  private readonly recentTypes: string[] = [];
  private readonly recentDeclared: boolean[] = [];

  /** `items`: the events file's items, one at a time or in batches (see `readCsvBatches`). */
  constructor(
    items: AsyncIterable<InputItem | readonly InputItem[]>,
    private readonly options: EventsJoinOptions,
  ) {
    this.source = items[Symbol.asyncIterator]();
  }

  /**
   * The instants (epoch milliseconds, NaN for none) of the events {@link eventsFor} or
   * {@link eventsReady} returned last, index by index, as `checkEvent` gave them: for
   * `ScoreOptions.eventTimes`. Undefined when that lead has no events.
   */
  get lastTimes(): readonly number[] | undefined {
    return this.returnedTimes;
  }

  /** Whether the events are read as cells ({@link lastEventRows}); known once the header is read. */
  get readsCells(): boolean {
    return this.cellReading !== undefined;
  }

  /**
   * With events as cells: the events {@link eventsFor} or {@link eventsReady} returned last, for
   * `scoreRowAndValidate`'s `eventRows` (one object, changed by the next call); undefined when
   * that lead has none or the events are objects (then the returned array has them).
   */
  get lastEventRows(): EventRows | undefined {
    const group = this.returnedGroup;
    const view = this.eventRows;
    if (group === undefined || group.rows === null || group.types === null || view === undefined) return undefined;
    view.rows = group.rows;
    view.types = group.types;
    view.times = group.times;
    return view;
  }

  /** The events of lead `id` (empty when the events file has none). Call with ids in data order. */
  async eventsFor(id: string): Promise<readonly LeadEvent[]> {
    for (;;) {
      const events = this.eventsReady(id);
      if (events !== undefined) return events;
      await this.waitForStep();
    }
  }

  /**
   * {@link eventsFor} when the answer needs no waiting (the lead's events are read and nothing
   * before them is left to report); `undefined` when `eventsFor` must be awaited instead. Most
   * leads get their events this way: one await per batch of the events file, not per lead.
   */
  eventsReady(id: string): readonly LeadEvent[] | undefined {
    if (this.last !== undefined && this.last.key === id) {
      this.returnedTimes = this.last.times;
      this.returnedGroup = this.last;
      return this.last.events;
    }
    for (;;) {
      if (this.pending === undefined) {
        if (this.done) return this.none();
        const group = this.nextGroupReady();
        if (group === undefined) return this.done ? this.none() : undefined;
        this.pending = group;
      }
      const order = compareIds(this.pending.key, id);
      if (order < 0) {
        this.countUnmatched(this.pending);
        this.pending = undefined;
        continue;
      }
      if (order > 0) return this.none();
      this.last = this.pending;
      this.pending = undefined;
      this.eventsUsed += this.last.times.length;
      this.returnedTimes = this.last.times;
      this.returnedGroup = this.last;
      return this.last.events;
    }
  }

  private none(): readonly LeadEvent[] {
    this.returnedTimes = undefined;
    this.returnedGroup = undefined;
    return NO_EVENTS;
  }

  /** Reads the rest of the events file (checking its order) and returns the join's statistics. */
  async finish(): Promise<EventsJoinStats> {
    if (this.pending !== undefined) this.countUnmatched(this.pending);
    this.pending = undefined;
    while (!this.done) {
      const group = this.nextGroupReady();
      if (group !== undefined) this.countUnmatched(group);
      else if (!this.done) await this.waitForStep();
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

  /**
   * The next lead's events when no wait comes before them (notices on the way are passed on);
   * undefined when a problem must be reported first or more must be read (or, with `done` set,
   * when there are no more).
   */
  private nextGroupReady(): EventGroup | undefined {
    for (;;) {
      if (this.stepAt >= this.steps.length) {
        if (this.sourceDone) this.done = true;
        return undefined;
      }
      const step = this.steps[this.stepAt];
      switch (step.kind) {
        case 'group':
          this.stepAt += 1;
          return step.group;
        case 'notice':
          this.stepAt += 1;
          this.options.onNotice(step.message);
          continue;
        case 'error':
          // Left in place: the run stops here, as reading row by row would have.
          throw step.error;
        case 'problem':
          return undefined;
      }
    }
  }

  /** Does what {@link nextGroupReady} stopped at: reports the problem next, or reads the next batch. */
  private async waitForStep(): Promise<void> {
    if (this.stepAt < this.steps.length) {
      const step = this.steps[this.stepAt];
      if (step.kind === 'problem') {
        this.stepAt += 1;
        await this.options.onProblem(step.problem);
      }
      return;
    }
    this.steps.length = 0;
    this.stepAt = 0;
    const next = await this.source.next();
    if (next.done === true) {
      if (this.current !== undefined) this.steps.push({ kind: 'group', group: this.current });
      this.current = undefined;
      this.sourceDone = true;
      return;
    }
    const entry = next.value;
    try {
      if (isBatch(entry)) for (let i = 0; i < entry.length; i++) this.read(entry[i]);
      else this.read(entry);
    } catch (error) {
      // Nothing after it is read: the run stops when this step is reached.
      this.steps.push({ kind: 'error', error });
      this.sourceDone = true;
      this.current = undefined;
      void this.source.return?.();
    }
  }

  private countUnmatched(group: EventGroup): void {
    this.unmatchedEvents += group.times.length;
    this.unmatchedLeads += 1;
    this.firstUnmatched ??= { key: group.key, line: group.line };
  }

  /** The notice for an event type the rules do not declare: once per type, at most 100 types. */
  private noticeUndeclared(type: string, line: number): void {
    if (this.unknownTypes.has(type) || this.unknownTypes.size >= 100) return;
    this.unknownTypes.add(type);
    const { path } = this.options;
    this.steps.push({
      kind: 'notice',
      message:
        type === ''
          ? `\`${path}\` line ${line}: an event without a \`type\` is ignored`
          : `\`${path}\`: event type \`${type}\` (first on line ${line}) is not declared in the rules; its events are ignored`,
    });
  }

  /** Turns one item of the events file into steps; throws what stops the run. */
  private read(item: InputItem): void {
    const { path, key, schema } = this.options;
    const steps = this.steps;
    if (item.kind === 'notice') {
      steps.push({ kind: 'notice', message: item.message });
      return;
    }
    if (item.kind === 'header') {
      const columns = item.columns;
      this.keyIndex = columns.indexOf(key);
      const missing = [key, 'type', 'at'].filter((name) => !columns.includes(name));
      if (missing.length > 0) {
        throw new CliError(`\`${path}\` has no ${missing.map((name) => `\`${name}\``).join(', ')} column`, {
          help:
            key === 'lead_id' && missing.includes(key)
              ? 'an events file needs `lead_id`, `type` and `at` columns (name the id column with --events-key)'
              : 'an events file needs a lead id column, `type` and `at`',
        });
      }
      this.typeIndex = columns.indexOf('type');
      const cells = this.options.cells?.();
      if (cells !== undefined && cellsApply(columns, key, schema)) {
        const eventPlan = cells.plan(columns);
        this.cellReading = { ...cells, eventPlan };
        this.eventRows = { plan: eventPlan, rows: [], types: [], times: [] };
      }
      else this.rows = new EventRowReader(columns, schema, new Set([this.keyIndex]));
      return;
    }
    this.eventsRead += 1;
    if (item.kind === 'bad') {
      this.eventsRejected += 1;
      steps.push({
        kind: 'problem',
        problem: {
          line: item.line,
          skipped: true,
          ...(item.column !== undefined ? { column: item.column } : {}),
          value: item.text,
          message: item.message,
        },
      });
      return;
    }
    const cellReading = this.cellReading;
    if (item.kind === 'row' && cellReading !== undefined) {
      this.readCells(item.line, item.fields, cellReading);
      return;
    }
    let id: string | undefined;
    let event: Record<string, unknown>;
    // Whether the rules declare `lookedUp`: the row reader knows it for the type it read.
    let lookedUp: string | undefined;
    let declared = false;
    if (item.kind === 'row') {
      id = idText(item.fields[this.keyIndex]);
      this.rows ??= new EventRowReader([], schema, new Set([this.keyIndex]));
      event = this.rows.read(item.fields);
      lookedUp = this.rows.lastType;
      declared = this.rows.lastDeclared;
    } else {
      id = idText(item.value[key]);
      event = emptyRecord();
      for (const name of Object.keys(item.value)) if (name !== key) event[name] = item.value[name];
    }
    if (id === undefined) {
      this.eventsRejected += 1;
      steps.push({ kind: 'problem', problem: { line: item.line, skipped: true, field: key, message: `no lead id in \`${key}\`` } });
      return;
    }
    const type = typeof event.type === 'string' ? event.type : '';
    let at = Number.NaN;
    if (!(lookedUp === type ? declared : schema.events.has(type))) {
      this.noticeUndeclared(type, item.line);
    } else {
      const checked = this.checked;
      checked.at = Number.NaN;
      const problems = this.options.checkEvent(event, checked);
      at = checked.at;
      for (let i = 0; i < problems.length; i++) {
        if (this.options.countProblem?.() !== true) steps.push({ kind: 'problem', problem: { ...problems[i], line: item.line, skipped: false } });
      }
    }
    const current = this.current;
    if (current !== undefined && current.key === id) {
      current.events.push(event as unknown as LeadEvent);
      current.times.push(at);
      return;
    }
    this.startGroup(id, item.line);
    this.current = { key: id, line: item.line, events: [event as unknown as LeadEvent], rows: null, types: null, times: [at] };
  }

  /** Ends the current lead's group before lead `id`'s first event (on `line`); throws when out of order. */
  private startGroup(id: string, line: number): void {
    const current = this.current;
    if (current === undefined) return;
    if (compareIds(id, current.key) < 0) {
      throw new CliError(
        `\`${this.options.path}\` is not sorted like the data: lead \`${id}\` on line ${line} comes after lead \`${current.key}\` (line ${current.line})`,
        { help: OUT_OF_ORDER_HELP },
      );
    }
    this.steps.push({ kind: 'group', group: current });
  }

  /**
   * {@link read} for an events row kept as its cells: the same steps (problems, notices, group
   * ends) in the same order as reading it as an object, without the object.
   */
  private readCells(line: number, fields: readonly string[], reading: CellReading & { readonly eventPlan: EventPlan }): void {
    const { path, key, schema } = this.options;
    const steps = this.steps;
    const id = idText(fields[this.keyIndex]);
    if (id === undefined) {
      this.eventsRejected += 1;
      steps.push({ kind: 'problem', problem: { line, skipped: true, field: key, message: `no lead id in \`${key}\`` } });
      return;
    }
    const type = this.typeIndex === -1 ? '' : fields[this.typeIndex].trim();
    let declared: boolean | undefined;
    const recent = this.recentTypes;
    for (let i = 0; i < recent.length; i++) {
      if (recent[i] === type) {
        declared = this.recentDeclared[i];
        break;
      }
    }
    if (declared === undefined) {
      declared = schema.events.has(type);
      if (recent.length < RECENT_TYPES) {
        recent.push(type);
        this.recentDeclared.push(declared);
      }
    }
    let at = Number.NaN;
    if (!declared) {
      this.noticeUndeclared(type, line);
    } else {
      const checked = this.checked;
      checked.at = Number.NaN;
      const problems = reading.checkEvent(fields, type, reading.eventPlan, checked);
      at = checked.at;
      for (let i = 0; i < problems.length; i++) {
        if (this.options.countProblem?.() !== true) steps.push({ kind: 'problem', problem: { ...problems[i], line, skipped: false } });
      }
    }
    const current = this.current;
    if (current !== undefined && current.key === id && current.rows !== null && current.types !== null) {
      current.rows.push(fields);
      current.types.push(type);
      current.times.push(at);
      return;
    }
    this.startGroup(id, line);
    this.current = { key: id, line, events: [], rows: [fields], types: [type], times: [at] };
  }
}

function isBatch(entry: InputItem | readonly InputItem[]): entry is readonly InputItem[] {
  return Array.isArray(entry);
}

/** What to do when either file is out of order. */
export const OUT_OF_ORDER_HELP =
  'with --events, sort the data and the events file by lead id in the same order (whole-number ids by value, ' +
  'other ids character by character, e.g. `LC_ALL=C sort` or `ORDER BY id`): they are read together in one pass';
