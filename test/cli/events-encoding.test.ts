/**
 * Real CRM exports: the events file's own encoding, `--events-encoding`. A Windows-1252 activity
 * export (Excel) beside a UTF-8 leads export with no byte order mark: `--encoding` cannot read
 * both, `--events-encoding windows-1252` does, on both engines and in every command that takes
 * `--events` (score with and without --accounts, explain, diff --leads, backtest, report, profile).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runRubric, TempDir } from './support.js';

const RULES = `lead {
  job: text
  company.name: text from "Company"
}
event page_view { url: text }
event download { asset: text }

when any download where asset = "Livre blanc Santé" add 20 "Livre blanc"
when any page_view where url = "/tarifs-équipe" add 15 "Tarifs"
when job = "Directeur Général" add 10 "Direction"
stage mql at 30
`;

const ACCOUNT_BLOCK = `
account name = company.name {
  name: text from "Name"
}

score accounts {
  when count contacts where stage >= mql >= 1 add 30 "Un décideur"
  stage engaged at 30
}
`;

const LEADS = 'id,job,Company,won\n1,Directeur Général,Clinique Santé Plus,yes\n2,Acheteur,Société Générale,no\n';
const EVENTS = 'lead_id,type,at,url,asset\n1,download,2026-02-20,,Livre blanc Santé\n1,page_view,2026-02-21,/tarifs-équipe,\n2,page_view,2026-02-22,/blog,\n';
const ACCOUNTS = 'Name\nClinique Santé Plus\nSociété Générale\n';
/** Lead 1: 20 (the download) + 15 (the page) + 10 (the job) = 45, so mql. */
const SCORED = 'id,job,Company,won,score,stage,tier\n1,Directeur Général,Clinique Santé Plus,yes,45,mql,\n2,Acheteur,Société Générale,no,0,,\n';
const HINT = 'try --events-encoding windows-1252';
const NOW = ['--now', '2026-03-01T00:00:00Z'];

let tmp: TempDir;
beforeAll(() => {
  requireBuiltCli();
  tmp = new TempDir();
  tmp.write('r.rubric', RULES);
  tmp.write('abm.rubric', RULES + ACCOUNT_BLOCK);
  writeBytes('leads.csv', Buffer.from(LEADS, 'utf8'));
  writeBytes('events.csv', Buffer.from(EVENTS, 'latin1'));
  writeBytes('accounts.csv', Buffer.from(ACCOUNTS, 'utf8'));
});
afterAll(() => tmp.remove());

function writeBytes(name: string, bytes: Buffer): void {
  writeFileSync(path.join(tmp.dir, name), bytes);
}

function bytes(name: string): Buffer {
  return readFileSync(path.join(tmp.dir, name));
}

describe('--events-encoding', () => {
  it('reads a Windows-1252 events file beside UTF-8 leads, byte-identically on both engines', async () => {
    for (const engine of ['js', 'duckdb']) {
      const result = await runRubric(['score', 'r.rubric', 'leads.csv', '--events', 'events.csv', '--events-encoding', 'windows-1252', '--engine', engine, ...NOW, '--out', `s-${engine}.csv`], tmp.dir);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('events: 3 read, 3 joined to leads');
      expect(result.stderr).not.toContain('valid UTF-8');
    }
    expect(tmp.read('s-js.csv')).toBe(SCORED);
    expect(bytes('s-duckdb.csv').equals(bytes('s-js.csv'))).toBe(true);
  });

  it('without it, the accented events are rejected and the hint names --events-encoding', async () => {
    for (const engine of ['js', 'duckdb']) {
      const result = await runRubric(['score', 'r.rubric', 'leads.csv', '--events', 'events.csv', '--engine', engine, ...NOW, '--out', `n-${engine}.csv`], tmp.dir);
      expect(result.stderr).toContain('`events.csv` line 2: bytes that are not valid UTF-8 (at column 40); every record holding such bytes is rejected: if the file is Windows-1252 (as Excel saves it), try --events-encoding windows-1252');
      expect(result.stderr).toContain('events: 3 read, 1 joined to leads, 2 rejected');
      expect(tmp.read(`n-${engine}.csv`)).toContain('1,Directeur Général,Clinique Santé Plus,yes,10,,');
    }
  });

  it('--encoding alone still applies to the leads and the events (as before)', async () => {
    writeBytes('leads-1252.csv', Buffer.from(LEADS, 'latin1'));
    for (const engine of ['js', 'duckdb']) {
      const result = await runRubric(['score', 'r.rubric', 'leads-1252.csv', '--events', 'events.csv', '--encoding', 'windows-1252', '--engine', engine, ...NOW, '--out', `e-${engine}.csv`], tmp.dir);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('events: 3 read, 3 joined to leads');
      // A Windows-1252 input is written as UTF-8 with a byte order mark, as Excel reads it.
      expect(tmp.read(`e-${engine}.csv`)).toBe(`\ufeff${SCORED}`);
    }
    // And the other way round: Windows-1252 leads, UTF-8 events without a byte order mark.
    writeBytes('events-utf8.csv', Buffer.from(EVENTS, 'utf8'));
    for (const engine of ['js', 'duckdb']) {
      const mixed = await runRubric(['score', 'r.rubric', 'leads-1252.csv', '--events', 'events-utf8.csv', '--encoding', 'windows-1252', '--events-encoding', 'utf-8', '--engine', engine, ...NOW, '--out', `m-${engine}.csv`], tmp.dir);
      expect(mixed.code, mixed.stderr).toBe(0);
      expect(mixed.stderr).not.toContain('valid UTF-8');
      expect(tmp.read(`m-${engine}.csv`)).toBe(`\ufeff${SCORED}`);
    }
  });

  it('a byte order mark decides over --events-encoding; a UTF-8 file read as windows-1252 is noticed', async () => {
    writeBytes('events-bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(EVENTS, 'utf8')]));
    for (const engine of ['js', 'duckdb']) {
      const result = await runRubric(['score', 'r.rubric', 'leads.csv', '--events', 'events-bom.csv', '--events-encoding', 'windows-1252', '--engine', engine, ...NOW, '--out', `b-${engine}.csv`], tmp.dir);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toContain('--events-encoding');
      expect(tmp.read(`b-${engine}.csv`)).toBe(SCORED);
    }
    const wrong = await runRubric(['score', 'r.rubric', 'leads.csv', '--events', 'events-utf8.csv', '--events-encoding', 'windows-1252', ...NOW, '--out', 'w.csv'], tmp.dir);
    expect(wrong.stderr).toContain('`events-utf8.csv` is read as windows-1252 (--events-encoding), but its first bytes are valid UTF-8: if accented letters come out as `Ã©`, it is UTF-8: pass --events-encoding utf-8');
  });

  it('refuses an unknown encoding, naming the option', async () => {
    const result = await runRubric(['score', 'r.rubric', 'leads.csv', '--events', 'events.csv', '--events-encoding', 'ebcdic', ...NOW, '--out', 'x.csv'], tmp.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown --events-encoding `ebcdic`');
  });

  it('score --accounts reads the events in their own encoding on both engines', async () => {
    for (const engine of ['js', 'duckdb']) {
      const result = await runRubric(['score', 'abm.rubric', 'leads.csv', '--accounts', 'accounts.csv', '--events', 'events.csv', '--events-encoding', 'windows-1252', '--engine', engine, ...NOW, '--out', `c-${engine}.csv`, '--accounts-out', `a-${engine}.csv`], tmp.dir);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toContain('valid UTF-8');
    }
    expect(tmp.read('a-js.csv')).toContain('Clinique Santé Plus,30,engaged,');
    expect(bytes('a-duckdb.csv').equals(bytes('a-js.csv'))).toBe(true);
    expect(bytes('c-duckdb.csv').equals(bytes('c-js.csv'))).toBe(true);
    const missing = await runRubric(['score', 'abm.rubric', 'leads.csv', '--accounts', 'accounts.csv', '--events', 'events.csv', ...NOW, '--out', 'cn.csv', '--accounts-out', 'an.csv'], tmp.dir);
    expect(missing.stderr).toContain(HINT);
  });

  it('explain, diff --leads, backtest, report and profile take it too', async () => {
    const files = ['--events', 'events.csv', '--events-encoding', 'windows-1252'];
    const explain = await runRubric(['explain', 'r.rubric', 'leads.csv', '--id', '1', ...files, ...NOW], tmp.dir);
    expect(explain.code, explain.stderr).toBe(0);
    expect(explain.stdout).toMatch(/\+20 +Livre blanc/);
    expect(explain.stdout).toMatch(/\+15 +Tarifs/);
    tmp.write('r2.rubric', RULES.replace('add 20 "Livre blanc"', 'add 25 "Livre blanc"'));
    const diff = await runRubric(['diff', 'r.rubric', 'r2.rubric', '--leads', 'leads.csv', ...files, ...NOW], tmp.dir);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stderr).not.toContain('valid UTF-8');
    expect(diff.stdout).toMatch(/45 → 50/);
    const backtest = await runRubric(['backtest', 'r.rubric', 'leads.csv', '--outcome', 'won', ...files, ...NOW], tmp.dir);
    expect(backtest.code, backtest.stderr).toBe(0);
    expect(backtest.stdout).toContain('events: 3 read, 3 joined to leads');
    const report = await runRubric(['report', 'r.rubric', 'leads.csv', ...files, ...NOW, '--out', 'report.html'], tmp.dir);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).not.toContain('valid UTF-8');
    const profile = await runRubric(['profile', 'r.rubric', 'leads.csv', ...files], tmp.dir);
    expect(profile.code, profile.stderr).toBe(0);
    expect(profile.stdout).toContain('events: 3 events in `events.csv` (CSV, windows-1252, comma-separated)');
    expect(profile.stderr).not.toContain('valid UTF-8');
    // Without it, each of them names the option in its hint.
    for (const args of [
      ['explain', 'r.rubric', 'leads.csv', '--id', '1', '--events', 'events.csv', ...NOW],
      ['diff', 'r.rubric', 'r2.rubric', '--leads', 'leads.csv', '--events', 'events.csv', ...NOW],
      ['backtest', 'r.rubric', 'leads.csv', '--outcome', 'won', '--events', 'events.csv', ...NOW],
      ['report', 'r.rubric', 'leads.csv', '--events', 'events.csv', ...NOW, '--out', 'report-n.html'],
      ['profile', 'r.rubric', 'leads.csv', '--events', 'events.csv'],
    ]) {
      const result = await runRubric(args, tmp.dir);
      expect(`${result.stdout}${result.stderr}`, args[0]).toContain(HINT);
    }
  });
});
