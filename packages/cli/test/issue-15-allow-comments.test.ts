/**
 * Issue 15: `# rubric: allow CODE` accepts a warning on purpose. `rubric check` leaves it out of
 * the text and SARIF outputs and of every count (so `--strict` passes), `--format json` reports it
 * with `"allowed": true`, and commands that produce scores do not list it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from './support/cli.js';

/** R026 allowed at the end of its line, R033 allowed by a comment before the stage; nothing else. */
const ALLOWED = `lead {
  company.size: number
  budget_validated: bool
  legacy_id: text # rubric: allow R026 -- kept for the export
}
when company.size > 50 add 40
stage purchase at 40
# rubric: allow R033
stage qualified at 30 when budget_validated
`;

interface CheckJson {
  readonly files: readonly { readonly diagnostics: readonly { readonly code: string; readonly allowed?: boolean; readonly severity: string }[] }[];
  readonly summary: { readonly errors: number; readonly warnings: number };
}

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('allowed.rubric', ALLOWED);
});
afterEach(() => ws.remove());

describe('rubric check and `# rubric: allow`', () => {
  it('text output shows no allowed warning and counts none; --strict passes', async () => {
    const text = await ws.run(['check', 'allowed.rubric']);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(/R026|R033/);
    expect(text.stdout).toMatch(/no problems in 1 file/);
    const strict = await ws.run(['check', 'allowed.rubric', '--strict']);
    expect(strict.code).toBe(0);
  });

  it('--format json reports the allowed warnings with "allowed": true, outside the summary counts', async () => {
    const result = await ws.run(['check', 'allowed.rubric', '--format', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as CheckJson;
    const diagnostics = report.files[0].diagnostics;
    expect(diagnostics.map((d) => [d.code, d.severity, d.allowed])).toEqual([
      ['R026', 'warning', true],
      ['R033', 'warning', true],
    ]);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('SARIF leaves allowed warnings out', async () => {
    const result = await ws.run(['check', 'allowed.rubric', '--format', 'sarif']);
    expect(result.code).toBe(0);
    const sarif = JSON.parse(result.stdout) as { runs: { results: unknown[] }[] };
    expect(sarif.runs[0].results).toEqual([]);
  });

  it('a warning that is not allowed is still shown, with a stale allow (R051) beside it', async () => {
    ws.write('stale.rubric', ALLOWED.replace('# rubric: allow R033', '# rubric: allow R025'));
    const text = await ws.run(['check', 'stale.rubric', '--strict']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/warning R033: stage `qualified`/);
    expect(text.stdout).toMatch(/warning R051: nothing to allow here: no `R025` warning in the statement below/);
    expect(text.stdout).not.toMatch(/R026/);
    expect(text.stdout).toMatch(/2 warnings in 1 file/);
  });

  it('rubric score does not list allowed warnings', async () => {
    ws.write('leads.csv', 'company.size,budget_validated,legacy_id\n100,true,x\n');
    const result = await ws.run(['score', 'allowed.rubric', 'leads.csv', '--now', '2026-03-01']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/warning|R026|R033/);
  });
});
