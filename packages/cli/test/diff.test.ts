/**
 * `rubric diff`: for each kind of change (the OLD/NEW pairs of packages/core/test/diff/cases),
 * the text and the markdown output are golden files under golden/diff/ (CASE.txt, CASE.md);
 * the impact on leads, the git versions and the errors are transcripts (golden/diff-*.txt).
 * `UPDATE_GOLDEN=1` rewrites them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectGolden, Workspace } from './support/cli.js';

// TEMPORARY, until packages/core/src/index.ts exports the semantic diff (`diffModels`,
// `diffImpact` and their types; the lines are in the fmt/diff report to the lead): add the
// formatter and the diff to `@rubric/core` here. Harmless once they are exported (same functions).
vi.mock('@rubric/core', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  ...(await import('../../core/src/format/index.js')),
  ...(await import('../../core/src/diff/index.js')),
}));

const here = path.dirname(fileURLToPath(import.meta.url));
const casesDir = path.resolve(here, '../../core/test/diff/cases');
const goldenDir = path.join(here, 'golden', 'diff');
const update = process.env.UPDATE_GOLDEN === '1';

function expectGoldenFile(name: string, actual: string): void {
  const file = path.join(goldenDir, name);
  if (update) {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(file, actual);
  }
  expect(existsSync(file), `missing golden/diff/${name}: run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
});
afterEach(() => ws.remove());

describe('rubric diff: each kind of change, as text and markdown', () => {
  const base = readFileSync(path.join(casesDir, 'base.rubric'), 'utf8');
  const cases = readdirSync(casesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

  it('has the pairs', () => {
    expect(cases.length).toBeGreaterThan(15);
  });

  for (const name of cases) {
    it(name, async () => {
      const own = path.join(casesDir, name, 'old.rubric');
      ws.write('old.rubric', existsSync(own) ? readFileSync(own, 'utf8') : base);
      ws.write('new.rubric', readFileSync(path.join(casesDir, name, 'new.rubric'), 'utf8'));
      const text = await ws.run(['diff', 'old.rubric', 'new.rubric']);
      expect(text.stderr).toBe('');
      expect(text.code).toBe(0);
      expectGoldenFile(`${name}.txt`, text.stdout);
      const markdown = await ws.run(['diff', 'old.rubric', 'new.rubric', '--format', 'markdown']);
      expect(markdown.code).toBe(0);
      expectGoldenFile(`${name}.md`, markdown.stdout);
      const json = await ws.run(['diff', 'old.rubric', 'new.rubric', '--format', 'json', '--exit-code']);
      const report = JSON.parse(json.stdout) as { changes: unknown[] };
      expect(json.code).toBe(report.changes.length > 0 ? 1 : 0);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Impact on leads

const OLD_RULES = readFileSync(path.join(casesDir, 'base.rubric'), 'utf8');
const NEW_RULES = OLD_RULES.replace('add 10 "Decision maker"', 'add 15 "Decision maker"')
  .replace('url starts "/pricing" within 30 days', 'url starts "/pricing" within 14 days')
  .replace('stage purchase at 40', 'stage purchase at 35')
  .replace('  when country not in [FR, BE] sub 10\n', '  when country not in [FR, BE] sub 10\n  when student sub 100 "Student"\n');

const LEADS_CSV = `id,job,email,phone,company.size,country,student
L1,CEO,ana@acme.fr,+33 1 42 68 53 00,50,FR,false
L2,CTO,bob@gmail.com,,300,BE,false
L3,VP Sales,carla@example.de,+49 30 1234567,100,DE,false
L4,Student,dan@yahoo.com,,5,FR,true
L5,intern,,,,,
L6,"CEO,2
`;

const EVENTS_CSV = `lead_id,type,at,url,asset
L1,page_view,2026-02-10,/pricing/pro,
L2,download,2026-02-01,,guide
L3,page_view,2026-02-25,/pricing,
L2,download,2026-02-05,,case-study
L2,download,2026-02-20,,pricing
`;

describe('rubric diff --leads: the impact on leads', () => {
  beforeEach(() => {
    ws.write('old.rubric', OLD_RULES);
    ws.write('new.rubric', NEW_RULES);
    ws.write('leads.csv', LEADS_CSV);
    ws.write('events.csv', EVENTS_CSV);
  });

  it('shows stage moves, mean and median, the leads that move most and the leads per changed rule', async () => {
    const args = ['diff', 'old.rubric', 'new.rubric', '--leads', 'leads.csv', '--events', 'events.csv', '--now', '2026-03-01'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGolden('diff-impact-text', args, result, ws);
  });

  it('as markdown for a pull request comment', async () => {
    const args = ['diff', 'old.rubric', 'new.rubric', '--leads', 'leads.csv', '--events', 'events.csv', '--now', '2026-03-01', '--format', 'markdown'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGoldenFile('impact.md', result.stdout);
  });

  it('as JSON, with every row accounted for', async () => {
    const args = ['diff', 'old.rubric', 'new.rubric', '--leads', 'leads.csv', '--events', 'events.csv', '--now', '2026-03-01', '--format', 'json'];
    const result = await ws.run(args);
    const report = JSON.parse(result.stdout) as { impact: { leads: number; skippedRows: number; leadsChangingStage: number } };
    expect(report.impact.leads + report.impact.skippedRows).toBe(6);
    expect(report.impact.skippedRows).toBe(1);
    expect(report.impact.leadsChangingStage).toBe(2);
  });

  it('skips a row whose events cell nests too deep, counted and reported, and diffs the rest', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    ws.write('deep.csv', `id,job,events\nD1,CEO,"${deep}"\nD2,CEO,\n`);
    const result = await ws.run(['diff', 'old.rubric', 'new.rubric', '--leads', 'deep.csv', '--now', '2026-03-01', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { impact: { leads: number; skippedRows: number } };
    expect(report.impact).toMatchObject({ leads: 1, skippedRows: 1 });
    expect(result.stderr).toContain('line 2: value nests deeper than 64 levels');
  });

  it('reads JSON Lines leads with their own events, named by --id', async () => {
    ws.write(
      'leads.jsonl',
      [
        { email: 'ana@acme.fr', job: 'CEO', phone: '+33 1', company: { size: 50 }, country: 'FR', events: [{ type: 'page_view', at: '2026-02-10', url: '/pricing' }] },
        { email: 'carla@example.de', job: 'VP Sales', phone: '+49 30', company: { size: 100 }, country: 'DE' },
      ]
        .map((lead, i) => JSON.stringify({ ref: `R${i + 1}`, ...lead }))
        .join('\n') + '\n',
    );
    const result = await ws.run(['diff', 'old.rubric', 'new.rubric', '--leads', 'leads.jsonl', '--id', 'ref', '--now', '2026-03-01', '--format', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { impact: { leads: number; movers: { id: string; oldScore: number; newScore: number }[] } };
    expect(report.impact.leads).toBe(2);
    expect(report.impact.movers).toEqual([
      expect.objectContaining({ id: 'R1', oldScore: 45, newScore: 30 }),
      expect.objectContaining({ id: 'R2', oldScore: 15, newScore: 20 }),
    ]);
  });

  it('prints the instant it scored at when --now is not given', async () => {
    const result = await ws.run(['diff', 'old.rubric', 'new.rubric', '--leads', 'leads.csv']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: scoring at 2026-03-01T12:00:00.000Z (the current time; pass --now to fix it)');
  });

  it('needs --leads for --events', async () => {
    const result = await ws.run(['diff', 'old.rubric', 'new.rubric', '--events', 'events.csv']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: --events needs --leads');
  });
});

// ---------------------------------------------------------------------------------------------
// Versions from git

function git(ws: Workspace, ...args: string[]): void {
  execFileSync('git', args, { cwd: ws.dir, stdio: 'ignore', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: ws.dir } });
}

function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.runIf(hasGit())('rubric diff --git', () => {
  beforeEach(() => {
    git(ws, 'init', '-q', '-b', 'main');
    git(ws, 'config', 'user.email', 'test@example.com');
    git(ws, 'config', 'user.name', 'Test');
    ws.write('rules/acme.rubric', OLD_RULES);
    git(ws, 'add', '.');
    git(ws, 'commit', '-q', '-m', 'rules');
    ws.write('rules/acme.rubric', NEW_RULES);
  });

  it('compares the working copy with its version at REF', async () => {
    const args = ['diff', '--git', 'main', 'rules/acme.rubric'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGolden('diff-git', args, result, ws);
  });

  it('takes OLD as REF:path', async () => {
    const viaSpec = await ws.run(['diff', 'HEAD:rules/acme.rubric', 'rules/acme.rubric']);
    const viaOption = await ws.run(['diff', '--git', 'HEAD', 'rules/acme.rubric']);
    expect(viaSpec.code).toBe(0);
    expect(viaSpec.stdout.replace(/HEAD:/g, 'REF:')).toBe(viaOption.stdout.replace(/HEAD:/g, 'REF:'));
    expect(viaSpec.stdout).toContain('old: HEAD:rules/acme.rubric');
  });

  it('compares a file that is new since REF with an empty file', async () => {
    ws.write('rules/new.rubric', 'lead { job: text }\nwhen job = CEO add 10 "CEO"\nstage hot at 10\n');
    const result = await ws.run(['diff', '--git', 'main', 'rules/new.rubric']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: `main:rules/new.rubric` does not exist: comparing with an empty file');
    expect(result.stdout).toContain('added rule "CEO" outside any group');
    expect(result.stdout).toContain('added stage `hot at 10`');
  });

  it('reports an unknown ref with exit 2 and a hint', async () => {
    const args = ['diff', '--git', 'no-such-branch', 'rules/acme.rubric'];
    const result = await ws.run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: cannot read `no-such-branch:rules/acme.rubric` from git');
    expect(result.stderr).toContain('help: check the ref');
  });
});

// ---------------------------------------------------------------------------------------------
// Errors

describe('rubric diff: errors', () => {
  it('refuses a version with errors, showing them (exit 1)', async () => {
    ws.write('old.rubric', OLD_RULES);
    ws.write('new.rubric', OLD_RULES.replace('when job in decision_makers', 'when jbo in decision_makers'));
    const args = ['diff', 'old.rubric', 'new.rubric'];
    const result = await ws.run(args);
    expect(result.code).toBe(1);
    expectGolden('diff-errors', args, result, ws);
  });

  it('needs two versions, or --git', async () => {
    ws.write('new.rubric', OLD_RULES);
    const result = await ws.run(['diff', 'new.rubric']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: `rubric diff` needs the old and the new version');
  });

  it('reports a missing file (exit 2)', async () => {
    ws.write('new.rubric', OLD_RULES);
    const result = await ws.run(['diff', 'missing.rubric', 'new.rubric']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: cannot read `missing.rubric`: no such file or directory');
  });

  it('shows hostile labels and values inertly in markdown', async () => {
    const hostile = 'lead { job: text }\nwhen job = "x|y`z" add 1 "@admin <img src=x> [link](http://e.x) ``"\n';
    ws.write('old.rubric', 'lead { job: text }\n');
    ws.write('new.rubric', hostile);
    const result = await ws.run(['diff', 'old.rubric', 'new.rubric', '--format', 'markdown']);
    expect(result.code).toBe(0);
    // Every user text is inside a code span: no mention, HTML or link is live.
    expect(result.stdout).toContain('```"@admin <img src=x> [link](http://e.x) ``"```');
    const outsideCode = withoutCodeSpans(result.stdout);
    for (const live of ['@admin', '<img', '](http']) expect(outsideCode).not.toContain(live);
  });
});

/** The markdown with its code spans removed (a run of N backticks up to the next run of exactly N). */
function withoutCodeSpans(markdown: string): string {
  let out = '';
  let i = 0;
  while (i < markdown.length) {
    if (markdown[i] !== '`') {
      out += markdown[i++];
      continue;
    }
    let n = 0;
    while (markdown[i + n] === '`') n++;
    let j = i + n;
    let closed = -1;
    while (j < markdown.length) {
      if (markdown[j] !== '`') {
        j++;
        continue;
      }
      let m = 0;
      while (markdown[j + m] === '`') m++;
      if (m === n) {
        closed = j + m;
        break;
      }
      j += m;
    }
    if (closed === -1) {
      out += markdown.slice(i, i + n);
      i += n;
    } else {
      i = closed;
    }
  }
  return out;
}
