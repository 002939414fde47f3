import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from './support/cli.js';

/**
 * Review of issue 14: an event property read from the events file's lead id column (`from
 * "lead_id"`, or a property named like it) is missing in both engines. The JavaScript join gives
 * an event every column but the lead id; DuckDB's events view read the id column as the property.
 */
const RULES = `lead { job: text }
event visit { owner: text from "lead_id" }
when job is set add 1 "Job"
when any visit where owner is set add 10 "Owner set"
when any visit where owner is missing add 100 "Owner missing"
`;

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('r.rubric', RULES);
  ws.write('leads.csv', 'id,job\n1,a\n');
  ws.write('events.csv', 'lead_id,type,at\n1,visit,2026-02-01\n');
  ws.write('events.jsonl', '{"lead_id":"1","type":"visit","at":"2026-02-01"}\n');
});
afterEach(() => ws.remove());

describe('an event property read from the events key column', () => {
  it.each([
    ['js', 'events.csv'],
    ['duckdb', 'events.csv'],
    ['js', 'events.jsonl'],
    ['duckdb', 'events.jsonl'],
  ])('is missing (--engine %s, %s)', async (engine, events) => {
    const result = await ws.run(['score', 'r.rubric', 'leads.csv', '--events', events, '--now', '2026-03-01', '--engine', engine]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('id,job,score,stage,tier\n1,a,101,,\n');
  });
});
