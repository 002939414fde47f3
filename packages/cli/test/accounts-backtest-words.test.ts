/**
 * Issue 17: with --accounts the units of `rubric backtest` and `rubric report` are accounts, and
 * every sentence, column and chart says so ("accounts", never "leads"; events are joined to the
 * contacts). A back-test of leads keeps its words (its outputs are byte-identical to before).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from './support/cli.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ABM = path.resolve(here, '../../../examples/abm');
const NOW = '2026-03-01T00:00:00Z';
const BACKTEST = ['backtest', 'abm.rubric', 'contacts.csv', '--accounts', 'accounts.csv', '--outcome', 'won', '--events', 'events.csv', '--now', NOW];

/** The visible text of an HTML page: tags, styles and attribute values left out. */
function visibleText(html: string): string {
  return html.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<[^>]*>/g, ' ');
}

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  for (const file of ['abm.rubric', 'accounts.csv', 'contacts.csv', 'events.csv']) ws.write(file, readFileSync(path.join(ABM, file), 'utf8'));
});
afterEach(() => ws.remove());

describe('backtest and report --accounts speak of accounts', () => {
  it('text: the header, the note, the tables and the advice say accounts', async () => {
    const result = await ws.run(BACKTEST);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/\bleads?\b/);
    expect(result.stdout).toContain('events: 379 read, 379 joined to contacts');
    expect(result.stdout).toMatch(/note: only \d+ won and \d+ lost accounts;/);
    expect(result.stdout).toMatch(/^ {2}stage +at +accounts +won/m);
    expect(result.stdout).toMatch(/of \d+ accounts? won/);
    expect(result.stdout).toContain('the chance a won account outscores a lost one');
    expect(result.stdout).toMatch(/^ {4}score +accounts +won/m);
    expect(result.stdout).toContain('the lowest threshold whose passing accounts');
  });

  it('HTML (backtest --format html and report): no sentence, label or tooltip says leads', async () => {
    const backtest = await ws.run([...BACKTEST, '--format', 'html']);
    expect(backtest.code, backtest.stderr).toBe(0);
    const report = await ws.run(['report', 'abm.rubric', 'contacts.csv', '--accounts', 'accounts.csv', '--events', 'events.csv', '--now', NOW, '--out', 'report.html']);
    expect(report.code, report.stderr).toBe(0);
    for (const html of [backtest.stdout, ws.read('report.html')]) {
      const text = visibleText(html);
      expect(text.match(/[^\n]{0,60}\bleads?\b[^\n]{0,40}/g) ?? []).toEqual([]);
      expect(text).toContain('How many accounts got each score');
      expect(text).toContain('share of accounts');
    }
    const text = visibleText(backtest.stdout);
    expect(text).toContain('Does a higher score mean a better account?');
    expect(text).toContain('accounts with an outcome');
    expect(text).toContain('the chance that a won account scores higher than a lost one');
    expect(text).toMatch(/\d+ accounts reached no stage; no accounts won/);
  });

  it('a back-test of leads still says leads', async () => {
    const result = await ws.run(['backtest', 'abm.rubric', 'contacts.csv', '--outcome', 'email', '--now', NOW]);
    // `email` is no outcome column: the message speaks of leads, as before.
    expect(result.stderr).toMatch(/lead/);
    ws.write('leads.csv', 'id,email,job,won\n1,a@b.fr,CEO,yes\n2,c@d.fr,CFO,no\n3,e@f.fr,stagiaire,no\n');
    const leads = await ws.run(['backtest', 'abm.rubric', 'leads.csv', '--outcome', 'won', '--now', NOW]);
    expect(leads.code, leads.stderr).toBe(0);
    expect(leads.stdout).toMatch(/^ {2}stage +at +leads +won/m);
    expect(leads.stdout).not.toMatch(/\baccounts?\b/);
  });
});
