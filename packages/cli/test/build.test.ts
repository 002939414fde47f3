import { existsSync, readdirSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectGolden, Workspace } from './support/cli.js';
import { ACME_RULES, BROKEN_RULES } from './support/fixtures.js';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('rules/acme.rubric', ACME_RULES);
});
afterEach(() => ws.remove());

describe('rubric build', () => {
  it('writes a standalone ES module and its declarations with a Lead type', async () => {
    const args = ['build', 'rules/acme.rubric', '--out', 'dist'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expect(readdirSync(ws.path('dist')).sort()).toEqual(['acme.d.mts', 'acme.mjs']);
    const moduleText = ws.read('dist/acme.mjs');
    expect(moduleText).not.toMatch(/\bimport\b|\brequire\(/);
    expect(moduleText).toContain('export const score');
    const declarations = ws.read('dist/acme.d.mts');
    expect(declarations).toMatch(/export (interface|type) Lead\b/);
    expect(declarations).toContain('"company"');
    // Sizes vary with the compiler; the golden shows the shape of the report.
    expectGolden('build', args, { ...result, stderr: result.stderr.replace(/\(\d+\.\d kB, \d+\.\d kB minified\)/, '(N kB, N kB minified)') }, ws);
  });

  it('writes CommonJS, minified, under another name', async () => {
    const result = await ws.run(['build', 'rules/acme.rubric', '--out', 'out/lib', '--format', 'cjs', '--minify', '--name', 'scorer']);
    expect(result.code).toBe(0);
    expect(readdirSync(ws.path('out/lib')).sort()).toEqual(['scorer.cjs', 'scorer.d.cts']);
    expect(ws.read('out/lib/scorer.cjs').split('\n').length).toBeLessThan(20);
  });

  it('refuses an unknown target with the list of targets (exit 2)', async () => {
    const args = ['build', 'rules/acme.rubric', '--out', 'dist', '--target', 'wasm'];
    const result = await ws.run(args);
    expect(result.code).toBe(2);
    expectGolden('build-unknown-target', args, result, ws);
    expect(existsSync(ws.path('dist'))).toBe(false);
  });

  it('builds nothing from a rule file with errors (exit 1)', async () => {
    ws.write('broken.rubric', BROKEN_RULES);
    const result = await ws.run(['build', 'broken.rubric', '--out', 'dist']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: `broken.rubric` has 3 errors; not building');
    expect(existsSync(ws.path('dist'))).toBe(false);
  });

  it('needs --out', async () => {
    const result = await ws.run(['build', 'rules/acme.rubric']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '--out <dir>' not specified");
  });

  it('refuses --target sql --now parameter without --select: a view cannot take $1 in either engine (exit 2)', async () => {
    const result = await ws.run(['build', 'rules/acme.rubric', '--target', 'sql', '--now', 'parameter', '--out', 'scores.sql']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: `--now parameter` needs `--select`: a view cannot take the bind parameter $1 (neither DuckDB nor PostgreSQL accepts one in CREATE VIEW)');
    expect(result.stderr).toContain('help: add `--select` to write a query that takes $1 when it runs');
    expect(existsSync(ws.path('scores.sql'))).toBe(false);
  });

  it('--target sql --now parameter --select writes a query that runs on DuckDB with $1 bound', async () => {
    ws.write('recent.rubric', 'lead { id: text\n  job: text }\nevent page_view\nwhen job = CEO add 10\nwhen any page_view within 7 days add 5\n');
    const result = await ws.run(['build', 'recent.rubric', '--target', 'sql', '--now', 'parameter', '--select', '--out', '-']);
    expect(result.code, result.stderr).toBe(0);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run(`CREATE TABLE leads AS SELECT '1' AS id, 'CEO' AS job`);
      await connection.run(`CREATE TABLE events AS SELECT '1' AS lead_id, 'page_view' AS type, '2026-02-27' AS "at"`);
      const scoreAt = async (iso: string): Promise<unknown> =>
        (await connection.runAndReadAll(result.stdout, [Date.parse(iso)])).getRowObjectsJS().map((row) => row.score);
      // The same query at two instants: $1 is what decides whether the page view is recent.
      expect(await scoreAt('2026-03-01T00:00:00Z')).toEqual([15]);
      expect(await scoreAt('2026-04-01T00:00:00Z')).toEqual([10]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
