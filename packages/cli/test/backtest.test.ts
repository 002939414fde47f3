/**
 * `rubric backtest` and `rubric report` in-process: golden text output on a small history, every
 * row accounted for, the JSON shape, --as-of keeping later events out, --fit-out writing a file
 * that `rubric diff` shows as point changes only, the HTML page escaping hostile labels, and the
 * user errors (exit 2) and findings (exit 1).
 */
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectGolden, TerminalStream, Workspace } from './support/cli.js';
import { HISTORY_RULES, historyCsv, historyEventsCsv, historyJsonl } from './backtest-fixtures.js';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('rules.rubric', HISTORY_RULES);
  ws.write('history.csv', historyCsv());
  ws.write('events.csv', historyEventsCsv());
  ws.write('history.jsonl', historyJsonl());
});
afterEach(() => ws.remove());

const BASE = ['backtest', 'rules.rubric', 'history.csv', '--events', 'events.csv', '--outcome', 'won'];

interface JsonReport {
  accounting: { read: number; scored: number; excluded: number; unreadable: number; missingOutcome: number; invalidOutcome: number; invalidAsOf: number };
  scoredAt: { kind: string };
  backtest: {
    outcomeColumn: string;
    report: {
      leads: number;
      positives: number;
      rules: { label: string; lift: number | null; fires: number; flags: string[] }[];
      stages: { stage: string | null; at: { leads: number } }[];
      mql: { stage: string; verdict: string } | null;
      auc: { auc: number } | null;
    };
  };
  fit: { weights: { rules: { label: string; change: string; suggestedPoints: number }[]; smallData: boolean; intervals: string }; proposed: { text: string } } | null;
}

async function jsonRun(args: readonly string[]): Promise<JsonReport> {
  const result = await ws.run([...args, '--format', 'json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as JsonReport;
}

describe('rubric backtest: the text report', () => {
  it('reports stages, the MQL stage, AUC, calibration, rule lift and thresholds (golden)', async () => {
    const args = [...BASE, '--as-of', 'as_of'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGolden('backtest-text', args, result, ws);
  });

  it('fits points on a small history, with a warning and bootstrap intervals (golden)', async () => {
    const args = [...BASE, '--as-of', 'as_of', '--fit', '--fit-out', 'proposed.rubric'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGolden('backtest-fit', args, result, ws);
    expect(result.stdout).toContain('warning: with 30 won and 47 lost leads the fitted points are uncertain');
    expect(result.stdout).toContain('bootstrap resamples');
  });

  it('accounts for every row: read = back-tested + excluded, each excluded row reported with its line', async () => {
    const report = await jsonRun([...BASE, '--as-of', 'as_of']);
    const a = report.accounting;
    expect(a.read).toBe(81);
    expect(a.read).toBe(a.scored + a.excluded);
    expect(a).toMatchObject({ unreadable: 1, missingOutcome: 1, invalidOutcome: 1, invalidAsOf: 1, excluded: 4 });
    expect(report.backtest.report.leads).toBe(77);
    const result = await ws.run([...BASE, '--as-of', 'as_of']);
    expect(result.stderr).toContain('history.csv:14:6 (lead 13): no outcome in `won`; row skipped');
    expect(result.stderr).toContain('history.csv:28:6 (lead 27): `won` is not an outcome (expected won/lost, yes/no, 1/0 or true/false): "maybe"; row skipped');
    expect(result.stderr).toContain('history.csv:41:5 (lead 40): `as_of` is not a date (expected ISO 8601: 2025-06-01 or 2025-06-01T09:30:00Z): "2026-02-30"; row skipped');
    expect(result.stderr).toContain('history.csv:56 (lead 55): column 3 `company.size`: expected number, got "fifty"; treated as missing');
    expect(result.stderr).toMatch(/history\.csv:62:\d+: .*row skipped/);
  });

  it('skips a row whose events cell nests too deep as unreadable, and back-tests the rest', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const lines = historyCsv().split('\n');
    const columns = lines[0].split(',');
    const events = columns.indexOf('events');
    const cells = lines[1].split(',');
    if (events === -1) cells.push(`"${deep}"`);
    else cells[events] = `"${deep}"`;
    const header = events === -1 ? `${lines[0]},events` : lines[0];
    const rest = lines.slice(2).filter((line) => line !== '').map((line) => (events === -1 ? `${line},` : line));
    ws.write('deep.csv', [header, cells.join(','), ...rest, ''].join('\n'));
    const report = await jsonRun(['backtest', 'rules.rubric', 'deep.csv', '--outcome', 'won']);
    expect(report.accounting.read).toBe(report.accounting.scored + report.accounting.excluded);
    expect(report.accounting.unreadable).toBe(2);
    const result = await ws.run(['backtest', 'rules.rubric', 'deep.csv', '--outcome', 'won']);
    expect(result.stderr).toMatch(/deep\.csv:2:\d+.*value nests deeper than 64 levels.*row skipped/);
  });

  it('reads JSON Lines with nested objects and inline events the same way', async () => {
    const fromCsv = await jsonRun([...BASE, '--as-of', 'as_of']);
    const fromJsonl = await jsonRun(['backtest', 'rules.rubric', 'history.jsonl', '--outcome', 'won', '--as-of', 'as_of']);
    expect(fromJsonl.accounting).toMatchObject({ read: 80, scored: 77, unreadable: 0 });
    expect(fromJsonl.backtest.report.rules).toEqual(fromCsv.backtest.report.rules);
    expect(fromJsonl.backtest.report.auc).toEqual(fromCsv.backtest.report.auc);
  });

  it('with --as-of, events after each lead’s date do not leak into the score', async () => {
    const asOf = await jsonRun([...BASE, '--as-of', 'as_of']);
    const leaky = await jsonRun([...BASE, '--now', '2026-03-01']);
    expect(leaky.scoredAt.kind).toBe('now');
    const demo = (report: JsonReport) => report.backtest.report.rules.find((rule) => rule.label === 'Demo request');
    // Every won lead had a demo after its as-of date: scored "today" the demo rule looks magic.
    expect(demo(leaky)?.lift).toBeGreaterThan((demo(asOf)?.lift ?? 0) + 0.2);
    expect(leaky.backtest.report.auc?.auc).toBeGreaterThan(asOf.backtest.report.auc?.auc ?? 1);
  });

  it('judges the MQL stage and can be told which stage it is', async () => {
    const report = await jsonRun([...BASE, '--as-of', 'as_of', '--mql-stage', 'warm', '--target-rate', '45%']);
    expect(report.backtest.report.mql?.stage).toBe('warm');
    expect(['below', 'on-target', 'above', 'none']).toContain(report.backtest.report.mql?.verdict);
  });
});

describe('rubric backtest --fit-out and rubric diff', () => {
  it('writes a rule file whose only changes in meaning are points', async () => {
    const result = await ws.run([...BASE, '--as-of', 'as_of', '--fit-out', 'proposed.rubric', '--fit-l2', '0.5']);
    expect(result.code).toBe(0);
    expect(existsSync(ws.path('proposed.rubric'))).toBe(true);
    const proposed = ws.read('proposed.rubric');
    // Line for line the same file, except on rule lines.
    const before = HISTORY_RULES.split('\n');
    const after = proposed.split('\n').filter((line) => !line.trimStart().startsWith('# rubric backtest --fit'));
    expect(after).toHaveLength(before.length);
    after.forEach((line, i) => {
      if (line !== before[i]) expect(line.replace(/^(\s*)# /, '$1').replace(/(add|sub) [\d.]+/, 'POINTS')).toBe(before[i].replace(/(add|sub) [\d.]+/, 'POINTS'));
    });
    const diff = await ws.run(['diff', 'rules.rubric', 'proposed.rubric', '--format', 'json']);
    expect(diff.code).toBe(0);
    const changes = (JSON.parse(diff.stdout) as { changes: { kind: string; points?: unknown; condition?: unknown; label?: unknown }[] }).changes;
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) {
      expect(['rule-changed', 'rule-removed']).toContain(change.kind);
      if (change.kind === 'rule-changed') expect(Object.keys(change).filter((k) => !['kind', 'old', 'new', 'matchedBy'].includes(k))).toEqual(['points']);
    }
    const check = await ws.run(['check', 'proposed.rubric']);
    expect(check.code).toBe(0);
  });

  it('shows the fitted points in JSON with the proposed text', async () => {
    const report = await jsonRun([...BASE, '--as-of', 'as_of', '--fit']);
    expect(report.fit?.weights.smallData).toBe(true);
    expect(report.fit?.weights.intervals).toBe('bootstrap');
    expect(report.fit?.proposed.text).toContain('lead {');
    expect(report.fit?.weights.rules.map((r) => r.label)).toEqual(['Decision maker', 'Big company', 'Demo request', 'Pricing page', 'Personal address']);
  });
});

describe('rubric backtest --format html and rubric report', () => {
  const HOSTILE = HISTORY_RULES.replace('"Decision maker"', `"<script>alert('x')</script> & \${boss}"`)
    .replace('group fit max 30', 'group `<b>fit</b>` max 30')
    .replace('stage warm at 10', 'stage `<img src=x onerror=alert(1)>` at 10');

  it('writes one self-contained page with every label escaped', async () => {
    ws.write('hostile.rubric', HOSTILE);
    const result = await ws.run(['backtest', 'hostile.rubric', 'history.csv', '--events', 'events.csv', '--outcome', 'won', '--as-of', 'as_of', '--format', 'html', '--out', 'bt.html', '--fit']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('wrote bt.html');
    const html = ws.read('bt.html');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>fit');
    expect(html).toContain('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; ${boss}');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:|\/\/)/i);
    expect(html).toContain(`Content-Security-Policy" content="default-src 'none'`);
    for (const id of ['score-histogram', 'stage-funnel', 'rule-hit-rates', 'group-contributions', 'calibration', 'rule-lift', 'fitted-points']) {
      expect(html).toContain(`data-chart="${id}"`);
    }
  });

  it('`rubric report` without an outcome draws the score charts only', async () => {
    const result = await ws.run(['report', 'rules.rubric', 'history.csv', '--events', 'events.csv', '--now', '2026-03-01', '--out', 'report.html']);
    expect(result.code).toBe(0);
    const html = ws.read('report.html');
    expect(html).toContain('<title>Score report: rules.rubric</title>');
    for (const id of ['score-histogram', 'stage-funnel', 'rule-hit-rates', 'group-contributions']) expect(html).toContain(`data-chart="${id}"`);
    expect(html).not.toContain('data-chart="calibration"');
    expect(html).toContain('rows: 81 read = 80 scored + 1 excluded (1 unreadable)');
  });

  it('`rubric report --outcome` adds the calibration curve and the lift', async () => {
    const result = await ws.run(['report', 'rules.rubric', 'history.csv', '--events', 'events.csv', '--outcome', 'won', '--as-of', 'as_of', '--out', 'report.html']);
    expect(result.code).toBe(0);
    const html = ws.read('report.html');
    expect(html).toContain('data-chart="calibration"');
    expect(html).toContain('data-chart="rule-lift"');
  });

  it('does not print an HTML page on a terminal, and writes it to a redirected stdout', async () => {
    const terminal = await ws.run(['report', 'rules.rubric', 'history.csv', '--now', '2026-03-01'], { stdout: new TerminalStream(), stderr: new TerminalStream(), tty: true });
    expect(terminal.code).toBe(2);
    expect(terminal.stderr).toContain('the report is an HTML page: give --out FILE');
    const piped = await ws.run(['report', 'rules.rubric', 'history.csv', '--now', '2026-03-01']);
    expect(piped.code).toBe(0);
    expect(piped.stdout.startsWith('<!doctype html>')).toBe(true);
  });
});

describe('rubric backtest: errors and exit codes', () => {
  it('needs --outcome (exit 2)', async () => {
    const result = await ws.run(['backtest', 'rules.rubric', 'history.csv']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('`rubric backtest` needs --outcome COLUMN');
  });

  it('names the columns when the outcome column does not exist (exit 2)', async () => {
    const args = ['backtest', 'rules.rubric', 'history.csv', '--outcome', 'converted'];
    const result = await ws.run(args);
    expect(result.code).toBe(2);
    expectGolden('backtest-missing-column', args, result, ws);
  });

  it('says so when no JSON lead has the outcome key (exit 2)', async () => {
    const result = await ws.run(['backtest', 'rules.rubric', 'history.jsonl', '--outcome', 'converted']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: no lead of `history.jsonl` has a `converted` value (the first lead has `id`, `job`, `company`, `email`, `as_of`, `won`, `events`)');
  });

  it.each([
    [['--target-rate', '1.5'], 'invalid --target-rate `1.5`'],
    [['--target-rate', 'abc'], 'invalid --target-rate `abc`'],
    [['--mql-stage', 'sales'], '`rules.rubric` has no stage `sales`'],
    [['--fit', '--fit-l2', '-1'], 'invalid --fit-l2 `-1`'],
    [['--as-of', 'created'], '`history.csv` has no `created` column'],
  ])('refuses %j (exit 2)', async (extra, message) => {
    const result = await ws.run([...BASE, ...extra]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('stops on a rule file with errors (exit 1)', async () => {
    ws.write('broken.rubric', HISTORY_RULES.replace('company.size >= 50', 'compnay.size >= 50'));
    const result = await ws.run(['backtest', 'broken.rubric', 'history.csv', '--outcome', 'won']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown field `compnay.size`');
    expect(result.stdout).toBe('');
  });

  it('with --strict, any excluded row or bad value fails the run (exit 1)', async () => {
    const result = await ws.run([...BASE, '--as-of', 'as_of', '--strict']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--strict: 5 problems in the data');
  });

  it('reports a missing file (exit 2)', async () => {
    const result = await ws.run(['backtest', 'rules.rubric', 'nope.csv', '--outcome', 'won']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read `nope.csv`: no such file or directory');
  });

  it('has help with examples (golden)', async () => {
    const args = ['backtest', '--help'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGolden('backtest-help', args, result, ws);
  });
});
