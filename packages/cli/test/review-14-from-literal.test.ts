import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from './support/cli.js';

/**
 * Review of issue 14: a field read `from "a.b"` reads the one literal key `a.b` of a JSON lead,
 * never the nested path `{"a": {"b": ...}}` (design14: `ValueSlot.key`/`path` = `[column]` when
 * `from` is given), in both engines. DuckDB's view read the nested path when the column was the
 * field's own dotted name.
 */
const RULES = `lead {
  company.size: number from "company.size"
  company.revenue: number
}
group fit {
  when company.size > 2 add 1 "Big"
  when company.size is missing add 10 "Size missing"
  when company.revenue > 2 add 100 "Revenue"
}
`;

const LEADS = [
  '{"id":1,"company":{"size":5,"revenue":5}}',
  '{"id":2,"company.size":5,"company.revenue":5}',
  '',
].join('\n');

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('r.rubric', RULES);
  ws.write('leads.jsonl', LEADS);
});
afterEach(() => ws.remove());

describe('from a dotted column', () => {
  it.each(['js', 'duckdb'])('reads the literal key only, not a nested object (--engine %s)', async (engine) => {
    const result = await ws.run(['score', 'r.rubric', 'leads.jsonl', '--now', '2026-03-01', '--engine', engine]);
    expect(result.code).toBe(0);
    const scores = result.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { score: number }).score);
    // Lead 1: `company.size` is not read from {"company": {"size": 5}} (missing: +10); a field with
    // no `from` still is (`company.revenue`: +100). Lead 2: both literal keys (+1, +100).
    expect(scores).toEqual([110, 101]);
  });
});
