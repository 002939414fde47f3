/**
 * The check shared by the hand-written SQL tests: a rule file scored by the compiled JavaScript
 * scorer and by every engine (each column format a seed picks) must agree on the score, stage,
 * tier, every group and every rule's points.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { compile } from '../../../packages/core/src/compiler/compile.js';
import { emitSql } from '../../../packages/core/src/compiler/sql/index.js';
import type { LeadEvent } from '../../../packages/core/src/runtime/types.js';
import type { LeadCase } from '../../../packages/core/test/support/arbitrary.js';
import { buildBatch, chooseFormats } from './cases.js';
import { openDuckdb, postgresEngine, type TestEngine } from './engines.js';
import { postgresForTests, type PostgresServer } from './postgres.js';

/** Leads scored per engine, for the test file's closing line. */
export type EngineCounts = Record<TestEngine['name'], number>;

/**
 * Scores `leads` with `text` at `now` in JavaScript and on each of `engines`, once per seed,
 * expects every engine to agree with JavaScript, adds the leads scored to `counted`, and returns
 * the JavaScript scores in `leads` order.
 */
export async function agreeOnEngines(
  engines: readonly TestEngine[],
  text: string,
  leads: readonly LeadCase[],
  options: { readonly now: string; readonly counted: EngineCounts; readonly seeds?: readonly number[] },
): Promise<number[]> {
  const { now, counted, seeds = [1, 2, 3] } = options;
  const { scorer, diagnostics } = compile(text);
  if (scorer === null) throw new Error(diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  const ir = scorer.ir;
  const groups = ir.groups.map((g) => g.name);
  for (const seed of seeds) {
    const formats = chooseFormats(ir, seed);
    for (const engine of engines) {
      const batch = buildBatch(ir, leads, formats, engine.name, seed);
      for (const table of batch.tables) await engine.load(table);
      const sql = emitSql(ir, { dialect: engine.name, mapping: batch.mapping, select: true, explain: true, now });
      const rows = await engine.query(sql);
      const byId = new Map(rows.map((row) => [String(row.id), row]));
      for (const { id, lead, events } of batch.leads) {
        const js = scorer.explain(lead, { now, events });
        const expected: Record<string, unknown> = { score: js.score, stage: js.stage, tier: js.tier };
        for (const [name, value] of Object.entries(js.groups)) expected[`group ${name}`] = value;
        for (let i = 0; i < ir.rules.length; i++) expected[`r${i}`] = 0;
        for (const hit of js.hits) expected[`r${hit.rule}`] = hit.points;
        const row = byId.get(id) ?? {};
        const got: Record<string, unknown> = { score: row.score, stage: row.stage, tier: row.tier };
        for (const name of groups) got[`group ${name}`] = row[name];
        for (let i = 0; i < ir.rules.length; i++) got[`r${i}`] = row[`r${i}`];
        expect(got, `${engine.name}, lead ${id}, seed ${seed}`).toEqual(expected);
      }
      counted[engine.name] += batch.leads.length;
    }
  }
  return leads.map((c) => scorer.score(c.lead, { now, events: (c.events ?? []) as readonly LeadEvent[] }).score);
}

/**
 * Opens DuckDB and, when the machine has it, a real PostgreSQL for the calling test file
 * (registers its beforeAll/afterAll); the closing line says how many leads each engine scored,
 * under `label`, and says NOT RUN when PostgreSQL was missing.
 */
export function enginesForFile(label: string): { readonly engines: TestEngine[]; readonly counted: EngineCounts } {
  const engines: TestEngine[] = [];
  const counted: EngineCounts = { duckdb: 0, postgres: 0 };
  let server: PostgresServer | null = null;
  beforeAll(async () => {
    engines.push(await openDuckdb());
    server = await postgresForTests();
    if (server !== null) engines.push(postgresEngine(server.client));
  }, 60_000);
  afterAll(async () => {
    for (const engine of engines) await engine.close();
    await server?.stop();
    process.stderr.write(`${label}: ${counted.duckdb} leads on DuckDB, ${counted.postgres} on PostgreSQL${server === null ? ' (NOT RUN)' : ''}\n`);
  }, 30_000);
  return { engines, counted };
}
