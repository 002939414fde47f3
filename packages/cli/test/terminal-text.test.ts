/**
 * Text from rule files, data and file names reaches the terminal with its control characters
 * escaped, in every text output: check, test, score (problem lines, warnings, summary), explain,
 * diff, backtest, fmt and the `error:` lines; JSON keeps the exact text.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { terminalData, terminalText } from '../src/render/terminal-text.js';
import { HISTORY_RULES, historyCsv } from './backtest-fixtures.js';
import { Workspace } from './support/cli.js';
import { ACME_RULES } from './support/fixtures.js';

/** What must never reach the terminal from the data (the renderer's own `\n` aside). */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** The renderer's own colours (SGR), the only escapes allowed with colour on. */
const SGR = /\u001b\[[0-9;]*m/g;

/** Title, bell, clear screen, carriage return, DEL, a C1 CSI and a right-to-left override. */
const HOSTILE = '\u001b]0;pwned\u0007\u001b[2J\r0 failed\u007f\u009b31m\u202e';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
});
afterEach(() => ws.remove());

describe('terminalText', () => {
  it('escapes C0, DEL, C1 and bidi overrides the way JavaScript writes them', () => {
    expect(terminalText(HOSTILE)).toBe('\\x1b]0;pwned\\x07\\x1b[2J\\r0 failed\\x7f\\x9b31m\\u202e');
    expect(terminalText('a\tb\nc\u0000\u2066\u2069')).toBe('a\\tb\\nc\\x00\\u2066\\u2069');
  });

  it('leaves every other character as it is', () => {
    const text = 'Directeur Général · 日本語 🚀 C:\\path "quoted" \u00a0\u200d';
    expect(terminalText(text)).toBe(text);
  });

  it('escapes every string of plain data (keys too), keeps numbers, Dates and unchanged objects', () => {
    const date = new Date(0);
    const clean = { a: ['x', 1] };
    const data = { label: 'a\u001bb', n: 3, when: date, list: ['\r', null], map: new Map([['k\u0007', 'v\u009b']]), clean };
    const escaped = terminalData(data);
    expect(escaped).toEqual({ label: 'a\\x1bb', n: 3, when: date, list: ['\\r', null], map: new Map([['k\\x07', 'v\\x9b']]), clean });
    expect(escaped.when).toBe(date);
    expect(escaped.clean).toBe(clean);
    expect(terminalData({ '\u001b': 1 })).toEqual({ '\\x1b': 1 });
    expect(terminalData(clean)).toBe(clean);
  });
});

describe('hostile text in every text output', () => {
  it('check: a file name and a source line with control characters', async () => {
    const name = `bad${HOSTILE}.rubric`;
    ws.write(name, `lead { job: text }\nwhen jbo = "${HOSTILE.replace('\r', '')}" add 1\n`);
    const result = await ws.run(['check', name]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('bad\\x1b]0;pwned\\x07\\x1b[2J\\r0 failed\\x7f\\x9b31m\\u202e.rubric:2:6: error');
    expect(result.stdout).toContain('2 | when jbo = "\\x1b]0;pwned\\x07\\x1b[2J0 failed\\x7f\\x9b31m\\u202e" add 1');
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    const json = await ws.run(['check', name, '--format', 'json']);
    expect(json.stdout).toContain(JSON.stringify(name));
  });

  it('error lines: a missing file with control characters in its name', async () => {
    const result = await ws.run(['check', `gone${HOSTILE}.rubric`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('gone\\x1b]0;pwned');
    expect(result.stderr).not.toMatch(RAW_CONTROL);
    const test = await ws.run(['test', `gone${HOSTILE}.rubric`]);
    expect(test.stderr).toContain('gone\\x1b]0;pwned');
    expect(test.stderr).not.toMatch(RAW_CONTROL);
  });

  it('score: problem lines, warnings and the summary, with colour on only the renderer’s own colours', async () => {
    ws.write('acme.rubric', ACME_RULES.replace('stage discovery at 0', 'stage discovery at 0 when job != "x"'));
    const leads = [
      JSON.stringify({ id: `id${HOSTILE}`, job: 'CEO', 'company.size': `big${HOSTILE}`, [`col${HOSTILE}`]: 1 }),
      `{"id": "broken${HOSTILE.replace('\r', '').replace('\u0007', '')}`,
      '',
    ].join('\n');
    ws.write('leads.jsonl', leads);
    for (const env of [{}, { FORCE_COLOR: '1' }]) {
      const result = await ws.run(['score', 'acme.rubric', 'leads.jsonl', '--now', '2026-03-01', '--out', 'out.csv'], { env });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('big\\u001b]0;pwned\\u0007\\u001b[2J\\r0 failed\\x7f\\x9b31m\\u202e');
      expect(result.stderr).toContain('broken\\u001b]0;pwned');
      expect(result.stderr.replace(SGR, '')).not.toMatch(RAW_CONTROL);
    }
  });

  it('diff: labels and values of both versions', async () => {
    ws.write('old.rubric', 'lead { job: text }\nwhen job = CEO add 10 "Decision maker"\n');
    ws.write('new.rubric', `lead { job: text }\nwhen job = "CEO\\u{1b}[2J" add 10 "Decision maker\\u{1b}]0;pwned\\u{7}\\u{d}\\u{9b}2J\\u{202e}"\n`);
    const result = await ws.run(['diff', 'old.rubric', 'new.rubric']);
    expect(result.stdout).toContain('label: "Decision maker" → "Decision maker\\u001b]0;pwned\\u0007\\r\\x9b2J\\u202e"');
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    const json = await ws.run(['diff', 'old.rubric', 'new.rubric', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ changes: [{ label: { new: 'Decision maker\u001b]0;pwned\u0007\r\u009b2J\u202e' } }] });
  });

  it('backtest: rule labels in the text report', async () => {
    ws.write('rules.rubric', HISTORY_RULES.replace('"Decision maker"', '"Decision maker\\u{1b}]0;pwned\\u{7}\\u{202e}"'));
    ws.write('history.csv', historyCsv());
    const result = await ws.run(['backtest', 'rules.rubric', 'history.csv', '--outcome', 'won']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Decision maker\\x1b]0;pwned\\x07\\u202e');
    expect(result.stdout).not.toMatch(RAW_CONTROL);
  });

  it('fmt: file names in its messages', async () => {
    const name = `unformatted${HOSTILE}.rubric`;
    ws.write(name, 'lead {   job: text }\n');
    const result = await ws.run(['fmt', '--check', name]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('unformatted\\x1b]0;pwned');
    expect(result.stdout + result.stderr).not.toMatch(RAW_CONTROL);
  });
});
