/**
 * Decay and run limits (issue 15) in SQL, on DuckDB and a real PostgreSQL: every language case
 * of packages/core/test/cases/decay-and-limits.json (expected values worked by hand) scored by
 * the SQL target must give the case's score and groups, and each rule the points the JavaScript
 * scorer explains (after decay; kept occurrences only under `at most`). Also: the linear decay's
 * integer arithmetic stays exact for the largest points Rubric accepts (no BIGINT overflow).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../packages/core/src/compiler/compile.js';
import { emitSql } from '../../packages/core/src/compiler/sql/index.js';
import type { LeadEvent } from '../../packages/core/src/runtime/types.js';
import { loadLanguageCases } from '../../packages/core/test/support/language-cases.js';
import { buildBatch, chooseFormats } from './support/cases.js';
import { openDuckdb, postgresEngine, type TestEngine } from './support/engines.js';
import { postgresForTests, type PostgresServer } from './support/postgres.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cases = loadLanguageCases(path.join(here, '../../packages/core/test/cases')).filter((c) => c.id.startsWith('decay-and-limits.json'));

let server: PostgresServer | null = null;
const engines: TestEngine[] = [];

beforeAll(async () => {
  engines.push(await openDuckdb());
  server = await postgresForTests();
  if (server !== null) engines.push(postgresEngine(server.client));
}, 60_000);

afterAll(async () => {
  for (const engine of engines) await engine.close();
  await server?.stop();
}, 30_000);

async function scoreInSql(rules: string, lead: Record<string, unknown>, events: readonly unknown[], now: string, seed: number) {
  const { scorer } = compile(rules);
  if (scorer === null) throw new Error(`does not compile:\n${rules}`);
  const ir = scorer.ir;
  const out: Array<{ engine: string; row: Record<string, unknown>; js: ReturnType<typeof scorer.explain> }> = [];
  for (const engine of engines) {
    const batch = buildBatch(ir, [{ now, lead, events }], chooseFormats(ir, seed), engine.name, seed);
    for (const table of batch.tables) await engine.load(table);
    const sql = emitSql(ir, { dialect: engine.name, mapping: batch.mapping, select: true, explain: true, now });
    const rows = await engine.query(sql);
    expect(rows).toHaveLength(1);
    const stored = batch.leads[0];
    out.push({ engine: engine.name, row: rows[0], js: scorer.explain(stored.lead, { now, events: stored.events as LeadEvent[] }) });
  }
  return { out, rules: ir.rules.length, groups: ir.groups.map((g) => g.name) };
}

describe('decay and run limits in SQL (DuckDB, PostgreSQL)', () => {
  it('has the cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const { out, rules, groups } = await scoreInSql(c.rules, c.lead, c.events ?? [], c.now, 1000 + i);
    for (const { engine, row, js } of out) {
      expect(Number(row.score), `${engine} score`).toBe(c.expected.score);
      for (const g of groups) expect(Number(row[g]), `${engine} group ${g}`).toBe(c.expected.groups[g]);
      for (let r = 0; r < rules; r++) {
        const hit = js.hits.find((h) => h.rule === r);
        expect(Number(row[`r${r}`]), `${engine} rule ${r}`).toBe(hit?.points ?? 0);
      }
    }
  });

  it('linear decay of the largest points is exact (no overflow)', async () => {
    const rules = ['lead {', '  job: text', '}', 'event e', 'each e add 9999999999999.99 decay 33.33% per day', 'when any e sub 9999999999999.99 decay 0.01% per hour'].join('\n');
    // 1 day and 2 hours old: k = 1 (66.67% left) and k = 26 (99.74% left).
    const { out } = await scoreInSql(rules, {}, [{ type: 'e', at: '2026-02-27T22:00:00Z' }], '2026-03-01T00:00:00Z', 7);
    // 999999999999999 * 6667 / 10000 = 666699999999999.3333 -> 666699999999999 hundredths;
    // 999999999999999 * 9974 / 10000 = 997399999999999.0026 -> 997399999999999 hundredths.
    for (const { engine, row, js } of out) {
      expect(js.hits.map((h) => h.points), 'JavaScript').toEqual([6666999999999.99, -9973999999999.99]);
      expect([Number(row.r0), Number(row.r1)], engine).toEqual([6666999999999.99, -9973999999999.99]);
    }
  });
});
