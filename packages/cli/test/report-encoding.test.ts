/**
 * `rubric report` reads its leads as `rubric score` does, `--encoding` included: a Windows-1252
 * export (what French Excel saves) is reported on, not rejected row by row.
 */
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from './support/cli.js';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('rules.rubric', 'lead {\n  job: text from "Fonction"\n}\nwhen job = "Directeur Général" add 10 "Décideur"\nstage a at 0\nstage b at 10\n');
  // "Général" in Windows-1252: é is the single byte 0xE9 (invalid as UTF-8).
  writeFileSync(ws.path('export.csv'), Buffer.from('id;Fonction\r\n1;Directeur G\xe9n\xe9ral\r\n2;Stagiaire\r\n', 'latin1'));
});
afterEach(() => ws.remove());

describe('rubric report --encoding', () => {
  it('rejects the rows as UTF-8 and says which encoding to try', async () => {
    const result = await ws.run(['report', 'rules.rubric', 'export.csv', '--now', '2026-03-01', '--out', 'report.html']);
    expect(result.stderr).toContain('try --encoding windows-1252');
    expect(ws.read('report.html')).toContain('Décideur (+10)</th><td class="num">4</td><td class="num">+10</td><td class="num">0</td>');
  });

  it('reads every row with --encoding windows-1252, the decision maker scored', async () => {
    const result = await ws.run(['report', 'rules.rubric', 'export.csv', '--encoding', 'windows-1252', '--now', '2026-03-01', '--out', 'report.html']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('UTF-8');
    const html = ws.read('report.html');
    expect(html).toContain('Décideur');
    // The rule table: line 4, +10, fired for 1 lead of 2 (50.0%): it matched the decoded text.
    expect(html).toContain('Décideur (+10)</th><td class="num">4</td><td class="num">+10</td><td class="num">1</td><td class="num">50.0%</td>');
  });
});
