/**
 * The examples are part of the product: every rule file under examples/ must check cleanly, pass
 * its own in-file tests, and score every lead of its sample at the documented `now` with a
 * non-trivial stage distribution. The samples must also be exactly what the seeded generator
 * writes, so they can be regenerated and reviewed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze, compile, format, runTests, type Lead } from '@rubric/core';

const EXAMPLES = fileURLToPath(new URL('../examples/', import.meta.url));
/** The built CLI (`npm run build`), as the README runs it. */
const CLI = fileURLToPath(new URL('../packages/cli/bin/rubric.js', import.meta.url));
/** The instant the samples are generated relative to (examples/generate-samples.mjs). */
const NOW = '2026-03-01T00:00:00Z';

const examples = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) =>
    readdirSync(join(EXAMPLES, entry.name))
      .filter((file) => file.endsWith('.rubric'))
      .map((file) => ({ dir: entry.name, name: file.slice(0, -'.rubric'.length), path: join(EXAMPLES, entry.name, file) })),
  );

function readJsonLines(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('examples', () => {
  it('has the three documented examples', () => {
    expect(examples.map((e) => `${e.dir}/${e.name}`).sort()).toEqual(
      expect.arrayContaining([
        'score-vs-qualification/score-vs-qualification',
        'smb-software/smb-software',
        'three-stage-mql/three-stage-mql',
        'abm/abm',
      ]),
    );
  });

  describe.each(examples)('$dir/$name.rubric', ({ name, dir, path }) => {
    const text = readFileSync(path, 'utf8');

    it('checks with no error and no warning', () => {
      const { diagnostics } = analyze(text, path);
      // A warning allowed on purpose (`# rubric: allow R056`) is no problem, as `check --strict` says.
      const shown = diagnostics.filter((d) => d.allowed !== true).map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message}`);
      expect(shown).toEqual([]);
    });

    it('is in the canonical layout (`rubric fmt` leaves it unchanged)', () => {
      const formatted = format(text, { uri: path });
      expect(formatted.diagnostics).toEqual([]);
      expect(formatted.internalError).toBeUndefined();
      expect(formatted.text).toBe(text);
    });

    it('passes every in-file test', () => {
      const run = runTests(text, path);
      const failures = run.results
        .filter((r) => !r.passed)
        .map((r) => ({
          test: r.name,
          error: r.error,
          failed: r.expectations.filter((e) => !e.passed).map((e) => `${e.description}: got ${e.actual}`),
        }));
      expect(failures).toEqual([]);
      expect(run.results.length).toBeGreaterThanOrEqual(5);
      expect(run.failed).toBe(0);
    });

    it(`scores every lead of ${name}.sample.jsonl at ${NOW}, reaching several stages`, () => {
      const { scorer, diagnostics } = compile(text, { uri: path });
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      if (scorer === null) throw new Error('the example did not compile');
      const leads = readJsonLines(join(EXAMPLES, dir, `${name}.sample.jsonl`));
      // The CRM export is a 200-lead file, as the issue that asked for it had; the others are 500+.
      expect(leads.length).toBeGreaterThanOrEqual(200);
      const stages = new Map<string, number>();
      const ids = new Set<unknown>();
      for (const lead of leads) {
        ids.add(lead.id);
        const result = scorer.score(lead as Lead, { now: NOW });
        expect(Number.isFinite(result.score)).toBe(true);
        const stage = result.stage ?? '(no stage)';
        stages.set(stage, (stages.get(stage) ?? 0) + 1);
      }
      expect(ids.size).toBe(leads.length);
      const reached = [...stages.keys()].filter((s) => s !== '(no stage)');
      expect(reached.length).toBeGreaterThanOrEqual(2);
      // No single stage swallows the sample: the distribution says something.
      expect(Math.max(...stages.values())).toBeLessThan(leads.length * 0.9);
    });
  });

  it('ranks the benchmarking CEO (score 85) below the qualified manager (score 45)', () => {
    const text = readFileSync(join(EXAMPLES, 'score-vs-qualification', 'score-vs-qualification.rubric'), 'utf8');
    const run = runTests(text);
    const stageOrder = analyze(text).model.stages.map((s) => s.name);
    const leadA = run.results.find((r) => r.name.startsWith('Lead A:'))?.result;
    const leadB = run.results.find((r) => r.name.startsWith('Lead B:'))?.result;
    expect(leadA?.score).toBe(85);
    expect(leadB?.score).toBe(45);
    expect(leadA?.stage).toBe('nurture');
    expect(leadB?.stage).toBe('qualified');
    expect(stageOrder.indexOf(leadA?.stage ?? '')).toBeLessThan(stageOrder.indexOf(leadB?.stage ?? ''));
  });

  it('explains which `requires` field kept a 60-point lead out of `sales`', () => {
    const text = readFileSync(join(EXAMPLES, 'smb-software', 'smb-software.rubric'), 'utf8');
    const blocked = runTests(text).results.find((r) => r.name.startsWith('60 points sans téléphone'))?.result;
    const sales = blocked?.stages.find((s) => s.name === 'sales');
    expect(sales).toMatchObject({ scoreReached: true, reached: false, missing: ['phone'] });
    expect(blocked?.stage).toBe('engaged');
  });

  describe('three-stage-mql CSV and events files', () => {
    const dir = join(EXAMPLES, 'three-stage-mql');
    const leads = readJsonLines(join(dir, 'three-stage-mql.sample.jsonl'));
    const events = readJsonLines(join(dir, 'three-stage-mql.events.jsonl'));
    const csv = readFileSync(join(dir, 'three-stage-mql.sample.csv'), 'utf8').split('\n').filter((l) => l.length > 0);

    it('has one CSV row per lead, with dotted headers', () => {
      expect(csv[0].split(',')).toEqual(expect.arrayContaining(['id', 'company.size', 'company.industry', 'Lead Source']));
      expect(csv.length - 1).toBe(leads.length);
      expect(csv.slice(1).map((row) => row.split(',')[0])).toEqual(leads.map((l) => l.id));
    });

    it('has the same events as the JSONL sample, sorted by lead id', () => {
      const ids = events.map((e) => String(e.lead_id));
      expect(ids).toEqual([...ids].sort());
      const inline = leads.flatMap((lead) => (lead.events as Array<Record<string, unknown>>).map((e) => ({ lead_id: lead.id, ...e })));
      expect(events).toEqual(inline);
    });
  });

  describe('french-crm-export README', () => {
    const dir = join(EXAMPLES, 'french-crm-export');
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const rubric = (args: string[]): { stdout: string; stderr: string } => {
      const result = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(result.status, result.stderr).toBe(0);
      return { stdout: result.stdout, stderr: result.stderr };
    };

    it("shows the first draft's profile exactly as `rubric profile` prints it", () => {
      const block = /<!-- profile:first-draft[^>]*-->\n```text\n([\s\S]*?)```\n<!-- \/profile:first-draft -->/.exec(readme);
      expect(block).not.toBeNull();
      const { stdout, stderr } = rubric(['profile', 'first-draft/rules.rubric', 'export-crm.csv', '--encoding', 'windows-1252', '--events', 'evenements.csv']);
      // The README shows what a terminal shows: warnings (stderr) where they appear, then the report.
      const printed = stdout + stderr;
      for (const line of block?.[1].split('\n').filter((l) => l !== '') ?? []) expect(printed).toContain(line);
      expect(printed.split('\n').filter((l) => l !== '').length).toBe(block?.[1].split('\n').filter((l) => l !== '').length);
    });

    it('scores the export with the stage counts it states, and the finished rules leave nothing to declare', () => {
      const { stderr } = rubric(['score', 'french-crm-export.rubric', 'export-crm.csv', '--encoding', 'windows-1252', '--events', 'evenements.csv', '--now', NOW, '--out', '/dev/null']);
      expect(stderr).toContain('stages: découverte 45, intérêt 115, mql 39, no stage 1');
      expect(readme).toContain('stages: découverte 45, intérêt 115, mql 39, no stage 1');
      const profile = rubric(['profile', 'french-crm-export.rubric', 'export-crm.csv', '--encoding', 'windows-1252']);
      expect(profile.stdout).toContain('Nothing to declare: the data reads as the rule file says.');
    });
  });

  describe('abm accounts', () => {
    const dir = join(EXAMPLES, 'abm');
    const text = readFileSync(join(dir, 'abm.rubric'), 'utf8');
    const accounts = readJsonLines(join(dir, 'abm.sample.accounts.jsonl'));

    it(`scores every account of abm.sample.accounts.jsonl at ${NOW}, some of them buying`, () => {
      const { scorer } = compile(text, { uri: 'abm.rubric' });
      const accountScorer = scorer?.accounts;
      if (accountScorer === null || accountScorer === undefined) throw new Error('the ABM example has no account scorer');
      expect(accounts.length).toBeGreaterThanOrEqual(50);
      const stages = new Map<string, number>();
      for (const { contacts, ...fields } of accounts) {
        expect(Array.isArray(contacts)).toBe(true);
        const result = accountScorer.scoreAccount(fields as Lead, contacts as Lead[], { now: NOW });
        expect(result.contacts).toHaveLength((contacts as unknown[]).length);
        const stage = result.stage ?? '(no stage)';
        stages.set(stage, (stages.get(stage) ?? 0) + 1);
      }
      expect(stages.get('buying') ?? 0).toBeGreaterThan(0);
      expect(stages.get('engaged') ?? 0).toBeGreaterThan(0);
      expect(Math.max(...stages.values())).toBeLessThan(accounts.length * 0.9);
    });

    it('has the contacts of the accounts sample in contacts.csv, sorted by id, and their events in events.csv', () => {
      const csvLines = (file: string) => readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => l.length > 0);
      const contacts = csvLines('contacts.csv');
      expect(contacts[0]).toBe('id,email,job,company.id');
      const ids = contacts.slice(1).map((row) => row.split(',')[0]);
      expect(ids).toEqual([...ids].sort());
      const inAccounts = accounts.flatMap((account) => (account.contacts as Array<Record<string, unknown>>).map((contact) => contact.id));
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of inAccounts) expect(ids).toContain(id);
      const events = csvLines('events.csv').slice(1).map((row) => row.split(',')[0]);
      expect(events).toEqual([...events].sort());
    });
  });

  it('samples are exactly what the seeded generator writes', () => {
    // Throws (exit code 1) when a sample differs from a fresh generation.
    execFileSync(process.execPath, [join(EXAMPLES, 'generate-samples.mjs'), '--check'], { stdio: 'pipe' });
    execFileSync(process.execPath, [join(EXAMPLES, 'french-crm-export', 'generate.mjs'), '--check'], { stdio: 'pipe' });
    execFileSync(process.execPath, [join(EXAMPLES, 'abm', 'generate.mjs'), '--check'], { stdio: 'pipe' });
  });
});
