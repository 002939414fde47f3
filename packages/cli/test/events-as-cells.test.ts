/**
 * Issue 13, events as cells: `rubric score --events` keeps each CSV event row as its cells
 * (the scorer's `eventPlan` / `validateEventRow` / `scoreRowAndValidate(…, eventRows)`) instead
 * of building an object per row. Differential: on seeded hostile events (wrong types,
 * placeholders, day-first and other loose dates, `__proto__` / `constructor` columns, events
 * after now, blank and undeclared types, rows without a lead id) and hostile headers (two `type`
 * columns, a property read from `at`), the cell path gives exactly the object path's problems
 * (line, field, value, message), notices, statistics and, lead by lead, results and invalid values.
 */
import { describe, expect, it } from 'vitest';
import { compile, seededRandom, type CompiledScorer, type LeadEvent } from '@rubric/core';
import { readCsvBatches } from '../src/input/csv.js';
import { EventsJoin, type EventsJoinOptions } from '../src/input/events-join.js';
import { schemaOf } from '../src/input/leads.js';
import { eventCellsHandling, eventsProblemHandling, ProblemReporter } from '../src/output/problems.js';
import { chunked } from './support/items.js';

const EVENT_RULES = `lead {
  id: text
  size: number
}
event page_view { url: text from "Page URL" missing ["(not set)"]
  seconds: number
  paid: bool }
event download { asset: one of [guide, sheet]
  size: number from "constructor" }
event ping
event proto { x: text from "__proto__" }
when size > 10 add 1 "Big company"
when any page_view where url starts "/pricing" within 30 days add 5 "Pricing"
when any page_view where seconds > 30 add 3 "Long view"
when any page_view where paid add 2 "Paid"
each download where asset = guide add 4 up to 8 "Guides"
when any download where size > 10 add 1 "Big download"
when any proto where x is set add 1 "Proto"
each page_view within 90 days add 1 up to 5 "Views"
stage hot at 6
`;

const DIALECTS = ['', 'data {\n  dates: day first\n  numbers: decimal comma\n  true: [oui]\n  missing: ["N/A", "-"]\n}\n'];

const HEADERS: readonly (readonly string[])[] = [
  ['lead_id', 'type', 'at', 'Page URL', 'seconds', 'paid', 'asset', 'constructor', '__proto__', 'note'],
  // The object path's own reading decides here (two `type` columns): the join keeps objects.
  ['lead_id', 'type', 'at', 'Page URL', 'type', 'seconds', 'constructor'],
  ['type', 'constructor', 'at', '__proto__', 'paid', 'lead_id', 'asset'],
];

const TYPES = ['page_view', ' page_view ', 'download', 'ping', 'proto', 'webinar', '', ' ', 'PAGE_VIEW', '__proto__', 'constructor'];
const CELLS = ['', ' ', '12', '45', '12,5', '31.5', 'abc', 'N/A', '-', '(not set)', '/pricing', '/pricing/x', 'guide', 'sheet', 'Guide ', 'true', 'oui', 'no', 'maybe', 'x'];
const DATES = ['2026-02-20', '2026-02-27T10:00:00Z', '20/02/2026', '02/20/2026', '2026-02-20 10:00', '2026-04-01', '2027-01-01T00:00:00Z', 'yesterday', 'n/a', '', ' 2026-02-25 ', '2026-13-45', '1/2/2026'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** A sorted events file of `leads` leads (ids 1…), with rows the generator makes hostile. */
function eventsFile(header: readonly string[], random: () => number, leads: number): string {
  const lines = [header.join(',')];
  for (let lead = 1; lead <= leads; lead++) {
    const count = Math.floor(random() * 5);
    for (let i = 0; i < count; i++) {
      const row = header.map((column) => {
        if (column === 'lead_id') return random() < 0.03 ? '' : String(lead);
        if (column === 'type') return pick(random, TYPES);
        if (column === 'at') return pick(random, DATES);
        return pick(random, CELLS);
      });
      lines.push(row.join(','));
    }
  }
  return lines.join('\n');
}

interface Run {
  readonly log: string[];
  readonly leads: unknown[];
  readonly cells: boolean;
}

async function run(scorer: CompiledScorer, text: string, withCells: boolean, leads: number): Promise<Run> {
  const schema = schemaOf(scorer.model);
  const log: string[] = [];
  // Only its checkEvent is used (problems are logged here), so no reporter is reached.
  const handling = eventsProblemHandling('events.csv', scorer, {} as ProblemReporter);
  const options: EventsJoinOptions = {
    path: 'events.csv',
    key: 'lead_id',
    schema,
    onProblem: async (problem) => {
      log.push(JSON.stringify(problem));
    },
    checkEvent: handling.checkEvent,
    onNotice: (message) => log.push(`notice ${message}`),
    ...(withCells ? { cells: () => eventCellsHandling(scorer) } : {}),
  };
  const join = new EventsJoin(readCsvBatches(chunked(text, 97)), options);
  const plan = scorer.rowPlan(['id', 'size']);
  const now = '2026-03-01T00:00:00Z';
  const results: unknown[] = [];
  for (let lead = 1; lead <= leads; lead++) {
    const id = String(lead);
    const events = await join.eventsFor(id);
    const cells = [id, String(lead % 20)];
    const eventRows = join.lastEventRows;
    const times = join.lastTimes;
    const scored = scorer.scoreRowAndValidate(cells, plan, { now, events, ...(times !== undefined ? { eventTimes: times } : {}) }, eventRows);
    results.push(scored);
    if (!withCells) {
      // The object path agrees with scoring the objects from scratch (no instants handed on).
      const plain = scorer.scoreAndValidate({ id, size: String(lead % 20) }, { now, events: events as readonly LeadEvent[] });
      expect(plain.result).toEqual(scored.result);
    }
  }
  const stats = await join.finish();
  log.push(JSON.stringify(stats));
  return { log, leads: results, cells: join.readsCells };
}

describe('events as cells give what events as objects give', () => {
  for (const [d, dialect] of DIALECTS.entries()) {
    for (const [h, header] of HEADERS.entries()) {
      it(`dialect ${d}, header ${h}`, async () => {
        const compiled = compile(`${dialect}${EVENT_RULES}`, { rows: true });
        if (compiled.scorer === null) throw new Error(compiled.diagnostics.map((x) => x.message).join('\n'));
        const scorer = compiled.scorer;
        const random = seededRandom(1313 + 10 * d + h);
        const leads = 300;
        const text = eventsFile(header, random, leads);
        const objects = await run(scorer, text, false, leads);
        const cells = await run(scorer, text, true, leads);
        expect(objects.cells).toBe(false);
        // Two `type` columns: cells would read them otherwise than the object does, so objects.
        expect(cells.cells).toBe(h !== 1);
        expect(cells.log).toEqual(objects.log);
        expect(cells.leads).toEqual(objects.leads);
        // The data is hostile enough to mean something: problems, notices and scores all occur.
        expect(objects.log.some((line) => line.includes('"field":"page_view.seconds"') || line.includes('"field":"page_view.at"'))).toBe(true);
        expect(objects.log.some((line) => line.startsWith('notice'))).toBe(true);
        expect(objects.leads.some((scored) => (scored as { result: { score: number } }).result.score > 3)).toBe(true);
      });
    }
  }

  it('validateEventRow equals validateEvent on the same event; plans refuse what is not theirs', () => {
    const compiled = compile(EVENT_RULES, { rows: true });
    if (compiled.scorer === null) throw new Error('compiles');
    const scorer = compiled.scorer;
    const columns = ['at', 'Page URL', 'seconds', 'paid', 'constructor', '__proto__', 'asset'];
    const plan = scorer.eventPlan(columns);
    const cells = ['20/02/2026', '(not set)', 'abc', 'maybe', '5', 'x', 'Guide '];
    for (const type of ['page_view', 'download', 'proto', 'ping']) {
      const event: Record<string, unknown> = { type };
      columns.forEach((column, i) => Object.defineProperty(event, column, { value: cells[i], enumerable: true, writable: true, configurable: true }));
      const a = { at: 0 };
      const b = { at: 0 };
      expect(scorer.validateEventRow(cells, type, plan, a)).toEqual(scorer.validateEvent(event as unknown as LeadEvent, b));
      expect(a.at).toEqual(b.at);
    }
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(() => scorer.eventPlan(['at', 'at'])).toThrow(RangeError);
    expect(() => scorer.validateEventRow(cells, 'page_view', scorer.rowPlan(columns) as never)).toThrow(TypeError);
    // The lazily built row entry (compile without `rows`) gives the same answer.
    const lazy = compile(EVENT_RULES).scorer;
    if (lazy === null) throw new Error('compiles');
    expect(lazy.validateEventRow(cells, 'page_view', lazy.eventPlan(columns))).toEqual(scorer.validateEventRow(cells, 'page_view', plan));
  });
});
