/**
 * The events join reads a batch of the events file at a time but hands out what it read in
 * file order: a lead's events, the problems and notices of the rows before them, and the error
 * that stops the run, where reading row by row puts them. Most leads get their events without
 * a promise (`eventsReady`), and each event's instant comes along as `validateEvent` gave it.
 */
import { describe, expect, it } from 'vitest';
import { compile, type LeadEvent } from '@rubric/core';
import { readCsvBatches } from '../src/input/csv.js';
import { EventsJoin, type EventsJoinOptions } from '../src/input/events-join.js';
import { schemaOf } from '../src/input/leads.js';
import { eventsProblemHandling, ProblemReporter } from '../src/output/problems.js';
import { ACME_RULES } from './support/fixtures.js';
import { chunked } from './support/items.js';

const compiled = compile(ACME_RULES).scorer;
if (compiled === null) throw new Error('ACME_RULES must compile');
const scorer = compiled;
const schema = schemaOf(compiled.model);

/** A join over `text` (fed in chunks of `chunk` characters) that logs everything it passes on. */
function joinOf(text: string, chunk: number, log: string[]): EventsJoin {
  const options: EventsJoinOptions = {
    path: 'events.csv',
    key: 'lead_id',
    schema,
    onProblem: async (problem) => {
      log.push(`problem@${problem.line} ${problem.field ?? ''} ${problem.message}`);
    },
    checkEvent: (event, out) => {
      const invalid = scorer.validateEvent(event as unknown as LeadEvent, out);
      return invalid.map((value) => ({ field: value.field, message: `expected ${value.expected}` }));
    },
    onNotice: (message) => log.push(`notice ${message}`),
  };
  return new EventsJoin(readCsvBatches(chunked(text, chunk)), options);
}

const EVENTS = [
  'lead_id,type,at,asset,url',
  '1,email_open,2026-02-01,,', // line 2
  '1,email_open,not a date,,', // 3: a problem of lead 1
  '2,download,2026-02-20,guide,', // 4
  ',email_open,2026-02-01,,', // 5: no lead id
  '2,webinar,2026-02-02,,', // 6: undeclared type (a notice)
  '4,email_open,yesterday,,', // 7: a problem of lead 4's first row
  '4,page_view,2026-02-27T10:00:00Z,,/pricing', // 8
  '9,email_open,2026-02-01,,', // 9: no such lead in the data
].join('\n');

describe('EventsJoin', () => {
  it('passes problems and notices on in file order, whatever the batch size', async () => {
    const runs: string[][] = [];
    for (const chunk of [3, 17, 64, 100_000]) {
      const log: string[] = [];
      const join = joinOf(EVENTS, chunk, log);
      for (const id of ['1', '2', '3', '4']) {
        const events = await join.eventsFor(id);
        log.push(`lead ${id}: ${events.length} events`);
      }
      const stats = await join.finish();
      log.push(`read ${stats.eventsRead}, rejected ${stats.eventsRejected}, used ${stats.eventsUsed}, unmatched ${stats.unmatchedEvents}`);
      runs.push(log);
    }
    // As reading row by row: a lead's events are handed out when the next lead's first row is
    // read (after that row's own problems: line 7's come before lead 2's events), and a row
    // without a lead id is reported where it is met (line 5, after lead 1's events).
    expect(runs[0]).toEqual([
      'problem@3 email_open.at expected date (ISO 8601 text or Date)',
      'lead 1: 2 events',
      'problem@5 lead_id no lead id in `lead_id`',
      'notice `events.csv`: event type `webinar` (first on line 6) is not declared in the rules; its events are ignored',
      'problem@7 email_open.at expected date (ISO 8601 text or Date)',
      'lead 2: 2 events',
      'lead 3: 0 events',
      'lead 4: 2 events',
      'read 8, rejected 1, used 6, unmatched 1',
    ]);
    for (const run of runs.slice(1)) expect(run).toEqual(runs[0]);
  });

  it('gives most leads their events without a promise, with their instants from validateEvent', async () => {
    const lines = ['lead_id,type,at,asset,url'];
    for (let lead = 1; lead <= 500; lead++) {
      for (let day = 1; day <= 3; day++) lines.push(`${lead},email_open,2026-02-0${day}T10:00:00Z,,`);
    }
    const join = joinOf(lines.join('\n'), 64 * 1024, []);
    let waited = 0;
    for (let lead = 1; lead <= 500; lead++) {
      let events = join.eventsReady(String(lead));
      if (events === undefined) {
        waited += 1;
        events = await join.eventsFor(String(lead));
      }
      expect(events).toHaveLength(3);
      const out = { at: Number.NaN };
      const expected = events.map((event) => {
        scorer.validateEvent(event, out);
        return out.at;
      });
      expect(join.lastTimes).toEqual(expected);
      expect(expected[0]).toBe(Date.UTC(2026, 1, 1, 10));
    }
    // Two waits: reading the file's batch for the first lead, and its end for the last lead
    // (whose events are complete only then).
    expect(waited).toBe(2);
    expect(join.eventsReady('501')).toHaveLength(0);
    expect(join.lastTimes).toBeUndefined();
  });

  it('stops the run at an events file out of order only when reading reaches it', async () => {
    const log: string[] = [];
    const join = joinOf('lead_id,type,at\n1,email_open,nope\n3,email_open,2026-02-01\n2,email_open,2026-02-01\n', 100_000, log);
    expect((await join.eventsFor('1')).length).toBe(1);
    await expect(join.eventsFor('3')).rejects.toThrow('is not sorted like the data: lead `2` on line 4 comes after lead `3` (line 3)');
    expect(log).toEqual(['problem@2 email_open.at expected date (ISO 8601 text or Date)']);
  });

  it('is what the CLI reports with: eventsProblemHandling hands the instant on', async () => {
    const handling = eventsProblemHandling('events.csv', scorer, await ProblemReporter.open(fakeContext(), undefined));
    const out = { at: Number.NaN };
    expect(handling.checkEvent({ type: 'email_open', at: '2026-02-01' }, out)).toEqual([]);
    expect(out.at).toBe(Date.UTC(2026, 1, 1));
    expect(handling.checkEvent({ type: 'email_open', at: 'soon' }, out)).toHaveLength(1);
    expect(out.at).toBeNaN();
  });
});

/** The least of a command context the reporter needs without an `--errors` file. */
function fakeContext(): Parameters<typeof ProblemReporter.open>[0] {
  return {} as Parameters<typeof ProblemReporter.open>[0];
}
