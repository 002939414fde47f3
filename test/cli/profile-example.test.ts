/**
 * `rubric profile` (the built command) on the messy French export of examples/french-crm-export:
 * before any declaration it points at each problem the issue names (Windows-1252, `N/A`,
 * `1 200`, `oui`, `20/02/2026`), its invalid counts are exactly the values `rubric score`
 * reports, and with the example's own declarations there is nothing left to declare.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, requireBuiltCli, runRubric, TempDir } from './support.js';

const FOLDER = path.join(REPO_ROOT, 'examples/french-crm-export');
const EXPORT = path.join(FOLDER, 'export-crm.csv');
const EVENTS = path.join(FOLDER, 'evenements.csv');

/** The example's rule file as first written: its columns named, nothing else declared. */
function undeclared(): string {
  return readFileSync(path.join(FOLDER, 'french-crm-export.rubric'), 'utf8')
    .replace(/\ndata \{[^}]*\}\n/, '\n')
    .replace(/ missing \[[^\]]*\]/g, '')
    .replace(/\ntest [\s\S]*$/, '\n');
}

interface ProfileJson {
  rows: number;
  fields: { name: string; invalid: number; filled: number; missing: number }[];
  suggestions: { block: string; declarations: string[] };
}

let temp: TempDir;
beforeAll(() => {
  requireBuiltCli();
  temp = new TempDir();
  temp.write('crm.rubric', undeclared());
});
afterAll(() => temp?.remove());

describe.skipIf(!existsSync(FOLDER))('rubric profile on examples/french-crm-export', () => {
  it('says the export is not UTF-8 before anything else', async () => {
    const result = await runRubric(['profile', 'crm.rubric', EXPORT], temp.dir);
    expect(result.code).toBe(0);
    const first = result.stdout.split('\n').slice(0, 3).join('\n');
    expect(first).toContain('not valid UTF-8');
    expect(first).toContain('try --encoding windows-1252');
  });

  it('points at N/A, 1 200, oui and 20/02/2026 before any declaration', async () => {
    const result = await runRubric(['profile', 'crm.rubric', EXPORT, '--encoding', 'windows-1252', '--events', EVENTS], temp.dir);
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/`phone` values are `N\/A`, read as a real value today; if that means no phone, add `missing: \["N\/A"\]`/);
    expect(out).toMatch(/`company\.size` values are written like [^\n]*`1 200`[^\n]*add `numbers: decimal comma`/);
    expect(out).toMatch(/`oui` \(\d+\)[^\n]*in `newsletter` are not read as bools today/);
    expect(out).toMatch(/`created_at` values are written day first[^\n]*add `dates: day first`/);
    const block = out.slice(out.indexOf('SUGGESTED data block'));
    for (const line of ['numbers: decimal comma', 'dates: day first', 'true: ["oui", "o"]', 'false: ["non", "n"]']) expect(block).toContain(line);
    expect(block).toMatch(/missing: \[[^\]]*"N\/A"/);
  });

  it('counts as invalid exactly the values rubric score reports', async () => {
    const profile = await runRubric(['profile', 'crm.rubric', EXPORT, '--encoding', 'windows-1252', '--events', EVENTS, '--format', 'json'], temp.dir);
    expect(profile.code).toBe(0);
    const json = JSON.parse(profile.stdout) as ProfileJson;
    const score = await runRubric(
      ['score', 'crm.rubric', EXPORT, '--encoding', 'windows-1252', '--events', EVENTS, '--now', '2026-03-01T00:00:00Z', '--errors', 'errors.jsonl', '--out', 'scored.csv'],
      temp.dir,
    );
    expect(score.code).toBe(0);
    const reported = new Map<string, number>();
    for (const line of temp.read('errors.jsonl').split('\n')) {
      if (line.trim() === '') continue;
      const field = (JSON.parse(line) as { field: string }).field;
      reported.set(field, (reported.get(field) ?? 0) + 1);
    }
    const profiled = new Map(json.fields.filter((field) => field.invalid > 0).map((field) => [field.name, field.invalid]));
    expect(profiled).toEqual(reported);
    expect(profiled.size).toBeGreaterThan(4);
  });

  it('has nothing left to declare with the example\'s own declarations', async () => {
    const result = await runRubric(['profile', path.join(FOLDER, 'french-crm-export.rubric'), EXPORT, '--encoding', 'windows-1252', '--events', EVENTS], temp.dir);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/reported as invalid today|read as a real value today|reported, and read as missing/);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('Nothing to declare: the data reads as the rule file says.');
  });
});
