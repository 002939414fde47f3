/**
 * Review 16b: decay, run limits and synonym tables at their edges on DuckDB and PostgreSQL:
 * events exactly on period boundaries, at `now`, ties in `at`, `sub` with decay rounding away
 * from zero under a cap, 0.01% per hour over 10,000 hours, and table patterns and values that
 * are hostile in JS or SQL (`__proto__`, quotes, `${}`, `'); drop table`, `%`, `_`, backslash,
 * U+2028). Expected scores were worked out by hand from docs/language.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadCase } from '../../packages/core/test/support/arbitrary.js';
import { agreeOnEngines } from './support/agree.js';
import { openDuckdb, postgresEngine, type TestEngine } from './support/engines.js';
import { postgresForTests, type PostgresServer } from './support/postgres.js';

const NOW = '2026-03-01T12:00:00Z';
let server: PostgresServer | null = null;
const engines: TestEngine[] = [];
const counted = { duckdb: 0, postgres: 0 };

beforeAll(async () => {
  engines.push(await openDuckdb());
  server = await postgresForTests();
  if (server !== null) engines.push(postgresEngine(server.client));
}, 60_000);

afterAll(async () => {
  for (const engine of engines) await engine.close();
  await server?.stop();
  process.stderr.write(`review 16b SQL: ${counted.duckdb} leads on DuckDB, ${counted.postgres} on PostgreSQL${server === null ? ' (NOT RUN)' : ''}\n`);
}, 30_000);

/** Every engine agrees with JavaScript on `leads` (see agreeOnEngines); the JavaScript scores. */
const agree = (text: string, leads: readonly LeadCase[], seeds?: readonly number[]): Promise<number[]> => agreeOnEngines(engines, text, leads, { now: NOW, counted, seeds });

const EDGE = "lead {\n  job: text\n}\nevent click\nevent visit\n\ngroup neg min -7 decay 33.33% per 3 days {\n  each click sub 0.05 up to 0.07 \"tiny\"\n  each visit sub 2.5 at most 2 per 2 days \"visits\"\n}\neach click add 0.05 decay 50% per day \"half\"\neach click sub 0.05 decay 50% per day \"neg half\"\neach visit add 1 decay 0.01% per hour \"slow\"\nwhen any visit add 7 half-life 1 hour \"hl\"\n";

const HOSTILE = "lead {\n  job: text\n}\nevent click { label: text }\n\n# rubric: allow R056\ntable t {\n  \"__proto__\" -> \"__proto__\"\n  \"constructor*\" -> \"x'); drop table leads; --\"\n  \"*${x}*\" -> \"${x}\"\n  \"100%\" -> pct\n  \"a_b\" -> under\n  \"c:\\\\dir\\\\*\" -> back\n  \"*'*\" -> quote\n  \"*\\\"*\" -> dquote\n  \"toString\" -> \"hasOwnProperty\"\n  \"vp\\u{2028}*\" -> ls\n}\n\nwhen t(job) = \"__proto__\" add 1 \"__proto__\"\nwhen t(job) = \"x'); drop table leads; --\" add 2 \"'); drop\"\nwhen t(job) = \"${x}\" add 4 \"${x}\"\nwhen t(job) = pct add 8 \"100%\"\nwhen t(job) = under add 16 \"_\"\nwhen t(job) = back add 32 \"\\\\\"\nwhen t(job) = quote add 64 \"'\"\nwhen t(job) = dquote add 128 \"\\\"\"\nwhen t(job) = \"hasOwnProperty\" add 256\nwhen t(job) = ls add 512\neach click where t(label) = pct add 1000 at most once per day decay 100% per day \"clicks %\"\n";

describe('review 16b: decay and limits at their edges', () => {
  it('agrees with the hand-worked scores on every engine', async () => {
    const leads: LeadCase[] = [{"id": 1, "events": [{"type": "click", "at": "2026-02-28T12:00:00Z"}]}, {"id": 2, "events": [{"type": "click", "at": "2026-02-26T12:00:00Z"}, {"type": "click", "at": "2026-02-26T12:00:00.001000Z"}]}, {"id": 3, "events": [{"type": "visit", "at": "2026-02-27T12:00:00Z"}, {"type": "visit", "at": "2026-02-27T12:00:00Z"}, {"type": "visit", "at": "2026-02-27T12:00:00Z"}, {"type": "visit", "at": "2026-02-27T12:00:00Z"}, {"type": "visit", "at": "2026-02-27T12:00:00Z"}, {"type": "visit", "at": "2026-02-25T12:00:00Z"}]}, {"id": 4, "events": [{"type": "visit", "at": "2025-01-25T12:00:00Z"}]}, {"id": 5, "events": [{"type": "visit", "at": "2025-01-08T20:00:00Z"}, {"type": "visit", "at": "2025-01-08T20:01:00Z"}]}, {"id": 6, "events": [{"type": "visit", "at": "2026-02-20T12:00:00Z"}, {"type": "visit", "at": "2026-02-20T12:00:00Z"}, {"type": "visit", "at": "2026-02-20T12:00:00Z"}, {"type": "click", "at": "2026-02-20T12:00:00Z"}, {"type": "click", "at": "2026-02-20T12:00:00Z"}, {"type": "click", "at": "2026-02-20T12:00:00Z"}]}, {"id": 7, "events": [{"type": "visit", "at": "2026-02-23T12:00:00Z"}, {"type": "visit", "at": "2026-03-01T12:00:00.000001Z"}, {"type": "visit", "at": "2026-03-01T11:59:59.9999Z"}]}].map((c) => ({ now: NOW, lead: { id: c.id }, events: c.events }));
    expect(await agree(EDGE, leads)).toEqual([-0.05, -0.07, -0.68, 0.04, 0, 2.94, 4.16]);
  }, 120_000);
});

describe('review 16b: hostile table patterns and values', () => {
  it('agrees with the hand-worked scores on every engine', async () => {
    const leads: LeadCase[] = [{"id": 0, "job": "__proto__", "events": [{"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-02-28T12:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100x"}]}, {"id": 1, "job": "constructor", "events": [{"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-02-28T12:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100x"}]}, {"id": 2, "job": "constructorX", "events": [{"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-02-28T12:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100x"}]}, {"id": 3, "job": "a${x}b", "events": [{"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-02-28T12:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100x"}]}, {"id": 4, "job": "100%", "events": [{"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-02-28T12:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100x"}]}, {"id": 5, "job": "100x", "events": [{"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-02-28T12:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100x"}]}, {"id": 6, "job": "a_b", "events": [{"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-02-28T12:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100x"}]}, {"id": 7, "job": "axb", "events": [{"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-02-28T12:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100x"}]}, {"id": 8, "job": "c:\\dir\\foo", "events": [{"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-02-28T12:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100x"}]}, {"id": 9, "job": "it's", "events": [{"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-02-28T12:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100x"}]}, {"id": 10, "job": "a\"b", "events": [{"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-02-28T12:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100x"}]}, {"id": 11, "job": "toString", "events": [{"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-02-28T12:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100x"}]}, {"id": 12, "job": "hasOwnProperty", "events": [{"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-02-28T12:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100x"}]}, {"id": 13, "job": "vp sales", "events": [{"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-02-28T12:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100x"}]}, {"id": 14, "job": "VP  Sales", "events": [{"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-02-28T12:00:00Z", "label": "100%"}, {"type": "click", "at": "2026-03-01T00:00:00Z", "label": "100x"}]}].map((c) => ({ now: NOW, lead: { job: c.job }, events: c.events }));
    expect(await agree(HOSTILE, leads)).toEqual([1001, 1002, 1002, 1004, 1008, 1000, 1016, 1000, 1032, 1064, 1128, 1256, 1000, 1512, 1512]);
  }, 120_000);
});
