import { describe, expect, it } from 'vitest';
import { codeLenses } from '../src/features/code-lens.js';
import { histogramBins, preview } from '../src/features/preview.js';
import { runTests } from '../src/features/run-tests.js';
import { parseSample, previewNow } from '../src/sample-leads.js';
import { readSettings } from '../src/settings.js';
import { fixture, stateOf } from './helpers.js';

const acme = stateOf(fixture('acme.rubric'));
const sample = parseSample(fixture('acme.sample.jsonl'), '/work/acme.sample.jsonl');
const params = { textDocument: { uri: acme.uri } };

describe('sample leads', () => {
  it('reads JSON lines, reports bad lines and finds the latest event', () => {
    expect(sample.leads.map((l) => l.line)).toEqual([1, 2, 3, 4, 6]);
    expect(sample.problems).toEqual([{ line: 5, message: expect.stringMatching(/^invalid JSON/) }]);
    expect(sample.latestEventAt).toBe('2026-03-01T08:00:00.000Z');
  });

  it('reads a JSON array and refuses non-objects', () => {
    const parsed = parseSample('[{"a": 1}, 3, null]', 'x.json');
    expect(parsed.leads).toHaveLength(1);
    expect(parsed.problems.map((p) => p.line)).toEqual([2, 3]);
  });

  it('scores at the setting, else the latest event, else the clock', () => {
    const clock = new Date('2030-01-01T00:00:00Z');
    expect(previewNow('2026-01-15', sample, clock)).toEqual({ now: '2026-01-15T00:00:00.000Z', source: 'setting' });
    expect(previewNow(null, sample, clock)).toEqual({ now: '2026-03-01T08:00:00.000Z', source: 'sample' });
    expect(previewNow('not a date', parseSample('{}', 'x'), clock)).toEqual({ now: clock.toISOString(), source: 'clock' });
    // ISO 8601 only (the setting's documented form): a French 01/03/2026 (1 March) is not
    // guessed as the JavaScript engine would (3 January), nor is any other non-ISO text.
    for (const text of ['01/03/2026', 'March 1, 2026', '2026', 'Sun Mar 01 2026', '2026-03-01 extra']) {
      expect(previewNow(text, parseSample('{}', 'x'), clock), text).toEqual({ now: clock.toISOString(), source: 'clock' });
    }
    for (const [text, now] of [['2026-03-01T09:30', '2026-03-01T09:30:00.000Z'], ['2026-03-01T09:30:00+01:00', '2026-03-01T08:30:00.000Z'], ['2026-03-01T09:30:00.5Z', '2026-03-01T09:30:00.500Z']]) {
      expect(previewNow(text, sample, clock)).toEqual({ now, source: 'setting' });
    }
  });

  it('reads settings from either shape and ignores wrong types', () => {
    expect(readSettings({ rubric: { sampleLeads: 'a.jsonl', previewNow: '', diagnosticsDelay: 'x' } })).toMatchObject({
      sampleLeads: 'a.jsonl',
      previewNow: null,
      diagnosticsDelay: 150,
    });
    expect(readSettings({ diagnosticsDelay: 0 }).diagnosticsDelay).toBe(0);
    expect(readSettings(null).sampleLeads).toBeNull();
  });
});

describe('stage explanations in the editor (issue 15)', () => {
  const text = [
    'lead {',
    '  email: text',
    '  country: text',
    '}',
    'let personal_domains = ["gmail.com"]',
    'when email is set add 50',
    'stage mql at 50 requires email not ends any personal_domains when country in [FR, BE] and email contains "."',
    '',
  ].join('\n');
  const state = stateOf(text);
  const leads = parseSample(
    ['{"email": "a@gmail.com", "country": "FR"}', '{"email": "b@gmail.com", "country": "DE"}', '{"email": "c@acme.fr", "country": "DE"}', '{"email": "d@acme.fr", "country": "FR"}'].join('\n'),
    '/work/acme.sample.jsonl',
  );

  it('the stage lens says which requirement or part of `when` holds most leads back', () => {
    const titles = codeLenses(state, params, { sample: leads, nowSetting: null }).map((l) => l.command?.title ?? '');
    expect(titles).toContain('reached by 1 of 4 sample leads (25%) · 1 end here · held back most by `email not ends any personal_domains` does not hold (2 leads)');
    const run = state.sampleRun(leads, null);
    expect([...(run?.stageCounts.get('mql')?.heldBack ?? [])]).toEqual([
      ['`email not ends any personal_domains` does not hold', 2],
      ['its `when` fails at `country in [FR, BE]`', 2],
    ]);
  });

  it('the stage hover lists the requires conditions', async () => {
    const { hover } = await import('../src/features/hover.js');
    const offset = text.indexOf('mql');
    const position = { line: 6, character: offset - text.lastIndexOf('\n', offset) - 1 };
    const result = hover(state, { textDocument: { uri: state.uri }, position });
    const value = result !== null && typeof result.contents === 'object' && 'value' in result.contents ? result.contents.value : '';
    expect(value).toContain('reached when the score is at least **50**, `email not ends any personal_domains` holds and `country in [FR, BE] and email contains "."` holds.');
  });
});

describe('code lenses', () => {
  it('shows each test passing or failing with expected vs actual', () => {
    const failing = stateOf(fixture('failing.rubric'));
    const titles = codeLenses(failing, params, { nowSetting: null }).map((l) => l.command?.title);
    expect(titles).toEqual([
      '✗ failed: score 35: expected 35, got 30',
      '✗ expected 35, actual 30',
      '✓ passed (1 expectation)',
    ]);
    const lens = codeLenses(failing, params, { nowSetting: null })[0];
    expect(lens.command).toMatchObject({ command: 'rubric.runTests', arguments: [failing.uri, 'a CEO of a large firm'] });
  });

  it('counts sample leads per rule and per stage', () => {
    const lenses = codeLenses(acme, params, { sample, nowSetting: null });
    const titles = lenses.map((l) => l.command?.title ?? '');
    expect(titles[2]).toBe('Sample acme.sample.jsonl: 5 leads scored at 2026-03-01T08:00:00Z · open preview');
    const line = (needle: string): number => acme.text.split('\n').findIndex((l) => l.includes(needle));
    const at = (needle: string): string[] => lenses.filter((l) => l.range.start.line === line(needle)).map((l) => l.command?.title ?? '');
    expect(at('when student sub 100')).toEqual(['fires for 1 of 5 sample leads (20%)']);
    expect(at('when job in decision_makers')).toEqual(['fires for 2 of 5 sample leads (40%)']);
    expect(at('stage discovery')[0]).toMatch(/^reached by \d of 5 sample leads \(\d+%\) · \d end here$/);
    expect(at('stage sales_ready')).toEqual(['reached by 1 of 5 sample leads (20%) · 1 end here · held back most by `phone` is missing (1 lead)']);
  });

  it('says why there is no preview', () => {
    const broken = stateOf(fixture('broken.rubric'));
    expect(codeLenses(broken, params, { sample, nowSetting: null }).map((l) => l.command?.title)).toEqual([
      'Sample acme.sample.jsonl: 5 leads; fix the errors to preview scores',
    ]);
    expect(codeLenses(broken, params, { nowSetting: null, error: 'cannot read x: no such file' })[0].command?.title).toBe(
      'Sample leads: cannot read x: no such file',
    );
  });
});

describe('preview', () => {
  it('returns the scored table and a histogram per stage', () => {
    const result = preview(acme, { ...params, rows: 3 }, { sample, nowSetting: null });
    expect(result.status).toBe('ok');
    expect(result.totalRows).toBe(5);
    expect(result.rows.map((r) => r.label)).toEqual(['ana', 'bob', 'carla']);
    expect(result.rows[0]).toMatchObject({ line: 1, score: 60, stage: 'purchase', groups: { fit: 15, engagement: 45 } });
    expect(result.groups).toEqual(['fit', 'engagement']);
    expect(result.histograms.map((h) => h.stage)).toEqual(['discovery', 'evaluation', 'purchase', 'sales_ready', null]);
    const counted = result.histograms.reduce((sum, h) => sum + h.count, 0);
    expect(counted).toBe(5);
    for (const h of result.histograms) expect(h.counts.reduce((a, b) => a + b, 0)).toBe(h.count);
    expect(result.sample?.problems).toHaveLength(1);
    expect(result.now).toBe('2026-03-01T08:00:00.000Z');
  });

  it('keeps hostile lead values as plain data', () => {
    const result = preview(acme, params, { sample, nowSetting: null });
    expect(result.rows[4].label).toBe('<script>alert(1)</script>');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('explains a missing sample or a broken file', () => {
    expect(preview(acme, params, { nowSetting: null }).status).toBe('no-sample');
    expect(preview(stateOf(fixture('broken.rubric')), params, { sample, nowSetting: null }).status).toBe('file-errors');
  });

  it('bins scores with round edges', () => {
    expect(histogramBins([3, 47])).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45].map((from) => ({ from, to: from + 5 })));
    expect(histogramBins([-105, 60])[0].from).toBeLessThanOrEqual(-105);
    expect(histogramBins([7, 7])).toEqual([{ from: 7, to: 8 }]);
    expect(histogramBins([])).toEqual([]);
  });
});

describe('rubric/runTests', () => {
  it('reports each test and the failing expectations', () => {
    const result = runTests(stateOf(fixture('failing.rubric')), params);
    expect(result).toMatchObject({ passed: 1, failed: 1 });
    expect(result.tests[0].expectations.find((e) => !e.passed)).toMatchObject({ expected: '35', actual: '30' });
    expect(result.tests[0].firedRules).toEqual(['Decision maker', 'when company.size >= 50 add 15']);
  });

  it('says the tests did not run when the file has errors', () => {
    const result = runTests(stateOf(fixture('broken.rubric') + '\ntest "t" {\n  lead { email: "a" }\n  expect score 0\n}\n'), params);
    expect(result.error).toMatch(/errors/);
  });
});
