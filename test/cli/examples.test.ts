/**
 * The built CLI on the project's examples (examples/*): every rule file checks clean and passes
 * its tests, and every sample scores with each row accounted for. Skipped when examples/ is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, requireBuiltCli, runRubric } from './support.js';

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const folders = existsSync(EXAMPLES)
  ? readdirSync(EXAMPLES, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(path.join(EXAMPLES, entry.name, `${entry.name}.rubric`)))
      .map((entry) => entry.name)
  : [];
const NOW = ['--now', '2026-03-01T00:00:00Z'];

function rows(stderr: string): { read: number; written: number; rejected: number } {
  const match = /rows: (\d+) read = (\d+) written \+ (\d+) rejected/.exec(stderr);
  if (match === null) throw new Error(`no row summary in:\n${stderr}`);
  return { read: Number(match[1]), written: Number(match[2]), rejected: Number(match[3]) };
}

function lineCount(file: string): number {
  return readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').length;
}

describe.skipIf(folders.length === 0)('the CLI on examples/', () => {
  beforeAll(() => requireBuiltCli());

  it.each(folders)('%s: checks clean and passes its tests', async (name) => {
    const rules = `examples/${name}/${name}.rubric`;
    const check = await runRubric(['check', rules, '--strict'], REPO_ROOT);
    expect(check.stdout).toBe('no problems in 1 file\n');
    expect(check.code).toBe(0);
    const test = await runRubric(['test', rules], REPO_ROOT);
    expect(test.code).toBe(0);
    expect(test.stdout.trimEnd().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed$/);
  });

  it.each(folders)('%s: scores its samples, every row accounted for', async (name) => {
    const folder = path.join(EXAMPLES, name);
    const rules = `examples/${name}/${name}.rubric`;
    const jsonl = path.join(folder, `${name}.sample.jsonl`);
    if (existsSync(jsonl)) {
      const result = await runRubric(['score', rules, path.relative(REPO_ROOT, jsonl), ...NOW], REPO_ROOT);
      expect(result.code).toBe(0);
      const leads = lineCount(jsonl);
      expect(rows(result.stderr)).toEqual({ read: leads, written: leads, rejected: 0 });
      expect(result.stdout.trimEnd().split('\n')).toHaveLength(leads);
    }
    const csv = path.join(folder, `${name}.sample.csv`);
    const events = path.join(folder, `${name}.events.jsonl`);
    if (existsSync(csv) && existsSync(events)) {
      const result = await runRubric(
        ['score', rules, path.relative(REPO_ROOT, csv), '--events', path.relative(REPO_ROOT, events), ...NOW, '--explain'],
        REPO_ROOT,
      );
      expect(result.code).toBe(0);
      const leads = lineCount(csv) - 1;
      expect(rows(result.stderr)).toEqual({ read: leads, written: leads, rejected: 0 });
      const eventCount = lineCount(events);
      // Every event found its lead: the sample files follow the merge-join order.
      expect(result.stderr).toContain(`events: ${eventCount} read, ${eventCount} joined to leads`);
    }
  });
});
