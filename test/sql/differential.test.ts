/**
 * The SQL target against the JavaScript scorer, on real engines: random valid rule files (the
 * shared generator, hostile names and strings included) with random leads and events, stored
 * in tables whose columns have random formats, scored by the compiled JavaScript scorer, by
 * DuckDB (in-process) and by a real PostgreSQL server. Score, stage, tier, every group and every
 * rule's points must agree EXACTLY.
 *
 * Each file's leads go into the engines as one batch (one insert per table, one query), so
 * thousands of cases take seconds. RUBRIC_SQL_RUNS sets the number of files (default 250, 24
 * leads each), RUBRIC_SQL_SEED replays a run. PostgreSQL is started by the test (see
 * support/postgres.ts): when it cannot start the PostgreSQL half is skipped loudly, except with
 * CI=true, where that fails the run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../packages/core/src/compiler/compile.js';
import { emitSql } from '../../packages/core/src/compiler/sql/index.js';
import type { Explanation } from '../../packages/core/src/runtime/types.js';
import { arbitraryFileWithLeads, describeLeadCase, type LeadCase } from '../../packages/core/test/support/arbitrary.js';
import { buildBatch, chooseFormats } from './support/cases.js';
import { openDuckdb, postgresEngine, type TestEngine } from './support/engines.js';
import { postgresForTests, type PostgresServer } from './support/postgres.js';

const RUNS = Number(process.env.RUBRIC_SQL_RUNS ?? 250);
const SEED = Number(process.env.RUBRIC_SQL_SEED ?? 20260301);
const LEADS_PER_FILE = 24;

let duckdb: TestEngine;
let server: PostgresServer | null = null;
const engines: TestEngine[] = [];
const cases = { duckdb: 0, postgres: 0, files: 0 };

beforeAll(async () => {
  duckdb = await openDuckdb();
  engines.push(duckdb);
  server = await postgresForTests();
  if (server !== null) engines.push(postgresEngine(server.client));
}, 60_000);

afterAll(async () => {
  await duckdb?.close();
  await server?.stop();
  process.stderr.write(
    `SQL differential: ${cases.files} rule files; ${cases.duckdb} lead cases on DuckDB, ${cases.postgres} on PostgreSQL${server === null ? ' (NOT RUN)' : ` ${server.version}`}\n`,
  );
}, 30_000);

function expectedRow(result: Explanation, rules: number): Record<string, unknown> {
  const row: Record<string, unknown> = { score: result.score, stage: result.stage, tier: result.tier };
  for (const [name, value] of Object.entries(result.groups)) row[`group ${name}`] = value;
  for (let i = 0; i < rules; i++) row[`r${i}`] = 0;
  for (const hit of result.hits) row[`r${hit.rule}`] = hit.points;
  return row;
}

function gotRow(row: Record<string, unknown>, groups: readonly string[], rules: number): Record<string, unknown> {
  const out: Record<string, unknown> = { score: row.score, stage: row.stage, tier: row.tier };
  for (const name of groups) out[`group ${name}`] = row[name];
  for (let i = 0; i < rules; i++) out[`r${i}`] = row[`r${i}`];
  return out;
}

let dumpDir: string | undefined;
function dump(name: string, text: string): string {
  dumpDir ??= mkdtempSync(path.join(tmpdir(), 'rubric-sql-diff-'));
  const file = path.join(dumpDir, name);
  writeFileSync(file, text);
  return file;
}

async function checkFile(text: string, leads: readonly LeadCase[], seed: number): Promise<void> {
  const { scorer, diagnostics } = compile(text);
  if (scorer === null) throw new Error(`the generated file does not compile: ${diagnostics.map((d) => d.message).join('; ')}`);
  const ir = scorer.ir;
  const formats = chooseFormats(ir, seed);
  const now = leads[0].now;
  const groups = ir.groups.map((g) => g.name);
  for (const engine of engines) {
    const batch = buildBatch(ir, leads, formats, engine.name, seed);
    for (const table of batch.tables) await engine.load(table);
    const sql = emitSql(ir, { dialect: engine.name, mapping: batch.mapping, select: true, explain: true, now });
    let rows: Array<Record<string, unknown>>;
    try {
      rows = await engine.query(sql);
    } catch (error) {
      const file = dump(`failed-${engine.name}.sql`, sql);
      throw new Error(`${engine.name} rejected the query (${file}): ${error instanceof Error ? error.message : String(error)}\n--- rule file ---\n${text}`);
    }
    const byId = new Map(rows.map((row) => [String(row.id), row]));
    expect(rows.length).toBe(batch.leads.length);
    batch.leads.forEach(({ id, lead, events }, i) => {
      const expected = expectedRow(scorer.explain(lead, { now, events }), ir.rules.length);
      const row = byId.get(id);
      const got = row === undefined ? { missing: true } : gotRow(row, groups, ir.rules.length);
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        const file = dump(`mismatch-${engine.name}.sql`, sql);
        throw new Error(
          [
            `${engine.name} disagrees with the JavaScript scorer on lead ${id} (query: ${file})`,
            `expected ${JSON.stringify(expected)}`,
            `got      ${JSON.stringify(got)}`,
            '--- rule file ---',
            text,
            '--- lead as stored (JavaScript view) ---',
            describeLeadCase({ now, lead, events }),
            '--- lead as generated ---',
            describeLeadCase(leads[i]),
            `--- formats: ${JSON.stringify({ fields: [...formats.fields], type: formats.type, at: formats.at })}`,
          ].join('\n'),
        );
      }
    });
    cases[engine.name] += batch.leads.length;
  }
  cases.files += 1;
}

describe('SQL target: differential against the JavaScript scorer', () => {
  it(`agrees exactly on ${RUNS} random files x ${LEADS_PER_FILE} leads, on DuckDB and PostgreSQL`, async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryFileWithLeads({ leads: LEADS_PER_FILE, tests: false }), fc.integer(), async ({ text, leads }, seed) => {
        await checkFile(text, leads, seed);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: false },
    );
    expect(cases.duckdb).toBeGreaterThanOrEqual(RUNS * LEADS_PER_FILE);
    if (server !== null) expect(cases.postgres).toBeGreaterThanOrEqual(RUNS * LEADS_PER_FILE);
  }, 180_000);
});
