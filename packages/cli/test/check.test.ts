import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectGolden, Workspace } from './support/cli.js';
import { ACME_RULES, BROKEN_RULES } from './support/fixtures.js';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('acme.rubric', ACME_RULES);
  ws.write('broken.rubric', BROKEN_RULES);
});
afterEach(() => ws.remove());

describe('rubric check', () => {
  it('reports a clean file with a summary and exit 0', async () => {
    const args = ['check', 'acme.rubric'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGolden('check-clean', args, result, ws);
  });

  it('shows every diagnostic with a code frame, help and fixes; exit 1 on errors', async () => {
    const args = ['check', 'broken.rubric', 'acme.rubric'];
    const result = await ws.run(args);
    expect(result.code).toBe(1);
    expectGolden('check-errors', args, result, ws);
  });

  it('exits 2 for a missing file, and still checks the others', async () => {
    const args = ['check', 'acme.rubric', 'missing.rubric'];
    const result = await ws.run(args);
    expect(result.code).toBe(2);
    expectGolden('check-missing-file', args, result, ws);
  });

  it('does not fail on warnings unless --strict', async () => {
    ws.write('warn.rubric', 'lead {\n  job: text\n  unused: number\n}\nwhen job = CEO add 10\n');
    expect((await ws.run(['check', 'warn.rubric'])).code).toBe(0);
    const strict = await ws.run(['check', 'warn.rubric', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('warning R026');
    expect(strict.stdout).toContain('1 warning in 1 file');
  });

  it('checks every .rubric file under a folder', async () => {
    ws.write('rules/a/one.rubric', ACME_RULES);
    ws.write('rules/two.rubric', BROKEN_RULES);
    ws.write('rules/notes.txt', 'not a rule file');
    const result = await ws.run(['check', 'rules']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('rules/two.rubric:6:6: error R010');
    expect(result.stdout).toContain('in 2 files');
  });

  it('writes JSON with exact ranges, codes, help and fixes', async () => {
    const args = ['check', 'broken.rubric', '--format', 'json'];
    const result = await ws.run(args);
    expect(result.code).toBe(1);
    expectGolden('check-json', args, result, ws);
    const document = JSON.parse(result.stdout) as {
      files: { path: string; diagnostics: { code: string; range: { start: { line: number; column: number } }; fixes?: unknown[] }[] }[];
      summary: { errors: number; warnings: number };
    };
    const unknownField = document.files[0].diagnostics.find((d) => d.code === 'R010');
    expect(unknownField?.range.start).toMatchObject({ line: 6, column: 6 });
    expect(unknownField?.fixes?.length).toBeGreaterThan(0);
    expect(document.summary.errors).toBe(3);
  });

  it('writes SARIF 2.1.0 that code scanning can place inline', async () => {
    const args = ['check', 'broken.rubric', 'acme.rubric', '--format', 'sarif'];
    const result = await ws.run(args);
    expect(result.code).toBe(1);
    // The golden shows one rule definition; the others have the same shape.
    const shown = JSON.parse(result.stdout) as { runs: { tool: { driver: { rules: unknown[] } } }[] };
    const rules = shown.runs[0].tool.driver.rules;
    shown.runs[0].tool.driver.rules = [rules[0], `... ${rules.length - 1} more rules, one per diagnostic code`];
    expectGolden('check-sarif', args, { ...result, stdout: JSON.stringify(shown, null, 2) }, ws);
    interface SarifResult {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Record<string, number> } }[];
    }
    const sarif = JSON.parse(result.stdout) as {
      version: string;
      runs: { tool: { driver: { name: string; rules: { id: string; defaultConfiguration: { level: string } }[] } }; results: SarifResult[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const [runEntry] = sarif.runs;
    expect(runEntry.tool.driver.name).toBe('rubric');
    for (const entry of runEntry.results) {
      expect(runEntry.tool.driver.rules[entry.ruleIndex].id).toBe(entry.ruleId);
      expect(['error', 'warning', 'note']).toContain(entry.level);
      const location = entry.locations[0].physicalLocation;
      expect(location.artifactLocation).toEqual({ uri: 'broken.rubric', uriBaseId: '%SRCROOT%' });
      expect(location.region.startLine).toBeGreaterThan(0);
      expect(location.region.endColumn).toBeGreaterThanOrEqual(location.region.startColumn);
    }
    const unknownField = runEntry.results.find((r) => r.ruleId === 'R010');
    expect(unknownField?.locations[0].physicalLocation.region).toMatchObject({ startLine: 6, startColumn: 6, endLine: 6, endColumn: 18 });
    expect(unknownField?.message.text).toContain('help:');
  });

  it('keeps machine output parseable when a file cannot be read', async () => {
    const result = await ws.run(['check', 'nope.rubric', '--format', 'sarif']);
    expect(result.code).toBe(2);
    const sarif = JSON.parse(result.stdout) as { runs: { invocations: { executionSuccessful: boolean }[] }[] };
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(result.stderr).toContain('cannot read `nope.rubric`');
  });

  it('rejects an unknown format with exit 2 and no stack trace', async () => {
    const result = await ws.run(['check', 'acme.rubric', '--format', 'xml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("argument 'xml' is invalid");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
