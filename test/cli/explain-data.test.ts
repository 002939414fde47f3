/**
 * `rubric explain RULES DATA --id ID | --row N` with the built command (issue 14): the lead is
 * read exactly as `rubric score` reads it, so explaining a row of the messy French example
 * (Windows-1252, `;`, CRLF, CRM column names, the `data` block, an events file with a BOM) gives
 * the score, stage and groups `score` writes for that row; and the data is streamed: `--row`
 * stops reading at its row, `--id` prints the lead as soon as it is read.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, requireBuiltCli, runRubric, startRubric, TempDir } from './support.js';

let tmp: TempDir;
beforeAll(() => {
  requireBuiltCli();
  tmp = new TempDir();
  tmp.write(
    'acme.rubric',
    'lead {\n  job: text\n  company.size: number\n}\ngroup fit {\n  when job = ceo add 10 "Decision maker"\n  when company.size > 10 add 5 "Not tiny"\n}\nstage known at 0\n',
  );
});
afterAll(() => tmp.remove());

const EXAMPLE = path.join(REPO_ROOT, 'examples/french-crm-export');
const NOW = ['--now', '2026-03-01T00:00:00Z'];

interface ExplainJson {
  readonly score: number;
  readonly stage: string | null;
  readonly groups: Record<string, number>;
  readonly data: { file: string; line: number; row: number; id?: string };
}

describe('rubric explain DATA on the French CRM export', () => {
  it('explains rows and ids with the score, stage and groups `rubric score` writes for them', async () => {
    const rules = path.join(EXAMPLE, 'french-crm-export.rubric');
    const data = path.join(EXAMPLE, 'export-crm.csv');
    const events = path.join(EXAMPLE, 'evenements.csv');
    const read = ['--encoding', 'windows-1252', '--events', events, ...NOW];
    const scored = await runRubric(['score', rules, data, ...read, '--format', 'jsonl', '--no-progress'], tmp.dir);
    expect(scored.code).toBe(0);
    const rows = scored.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.length).toBeGreaterThan(100);

    for (const index of [0, 1, 41, rows.length - 1]) {
      const row = rows[index];
      const byRow = await runRubric(['explain', rules, data, '--row', String(index + 1), ...read, '--format', 'json'], tmp.dir);
      // Only what `score` says too: the export's columns that no field reads, the events of an undeclared type.
      expect(byRow.stderr.split('\n').filter((line) => line !== '')).toEqual([
        expect.stringMatching(/^warning: columns `Prénom`, `Nom`, `Société`, `Origine` of `[^`]+` are not lead fields in `[^`]+`: not scored$/),
        expect.stringMatching(/^warning: `[^`]+evenements\.csv`: event type `email_open` \(first on line \d+\) is not declared in the rules; its events are ignored$/),
      ]);
      expect(scored.stderr).toContain('event type `email_open`');
      expect(byRow.code).toBe(0);
      const explained = JSON.parse(byRow.stdout) as ExplainJson;
      expect(explained.data).toMatchObject({ row: index + 1, line: index + 2, id: row.id });
      expect({ score: explained.score, stage: explained.stage, fit: explained.groups.fit, engagement: explained.groups.engagement }).toEqual({
        score: Number(row.score),
        stage: row.stage === '' ? null : row.stage,
        fit: Number(row.fit),
        engagement: Number(row.engagement),
      });
      const byId = await runRubric(['explain', rules, data, '--id', String(row.id), ...read, '--format', 'json'], tmp.dir);
      expect(byId.code).toBe(0);
      expect(JSON.parse(byId.stdout)).toEqual(explained);
    }
  });

  it('says when the file is not Windows-1252-decoded, and when no lead has the id', async () => {
    const rules = path.join(EXAMPLE, 'french-crm-export.rubric');
    const data = path.join(EXAMPLE, 'export-crm.csv');
    const missing = await runRubric(['explain', rules, data, '--id', 'crm-9999', '--encoding', 'windows-1252', ...NOW], tmp.dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/error: no lead with id `crm-9999` in `.*export-crm\.csv` \(\d+ rows read; ids look like `crm-0001`, `crm-0002`, `crm-0003`\)/);
    const utf8 = await runRubric(['explain', rules, data, '--row', '1', ...NOW], tmp.dir);
    expect(utf8.stderr).toContain('--encoding windows-1252');
  });
});

/** Waits for a child to exit, or gives up after `ms` (the child is then still running). */
function exited(child: ReturnType<typeof startRubric>, ms: number): Promise<number | null | 'running'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('running'), ms);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('rubric explain DATA streams the data', () => {
  it('--row N stops reading at row N: it finishes while stdin is still open', async () => {
    const child = startRubric(['explain', 'acme.rubric', '-', '--input-format', 'csv', '--row', '2', ...NOW], tmp.dir);
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stdin.write('id,job,company.size\n1,CTO,3\n2,CEO,50\n3,');
    const code = await exited(child, 20_000);
    child.stdin.destroy();
    if (code === 'running') child.kill();
    expect(code).toBe(0);
    expect(stdout).toContain('score 15');
    expect(stdout).toContain('lead 2: stdin line 3 (row 2)');
  });

  it('--id prints the lead once read, then reads on to warn about a second lead with its id', async () => {
    const child = startRubric(['explain', 'acme.rubric', '-', '--input-format', 'jsonl', '--id', 'b', ...NOW], tmp.dir);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.write('{"id": "a", "job": "CTO"}\n{"id": "b", "job": "CEO"}\n');
    const deadline = Date.now() + 20_000;
    while (!stdout.includes('stage') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stdout).toContain('lead b: stdin line 2 (row 2)');
    child.stdin.end('{"id": "c"}\n{"id": "b", "job": "intern"}\n');
    expect(await exited(child, 20_000)).toBe(0);
    expect(stderr).toBe('warning: `stdin` has 2 leads with id `b` (line 2, line 4): the first is explained\n');
  });
});
