import { DiagnosticSeverity } from 'vscode-languageserver';
import { describe, expect, it } from 'vitest';
import { DATA_HINT_CODE, dataHints, MAX_DATA_HINTS, MAX_HINTS_PER_FIELD, sampleProfile } from '../src/features/data-hints.js';
import { parseSample } from '../src/sample-leads.js';
import { stateOf } from './helpers.js';

const RULES = `lead {
  job: text
  phone: text
  company.size: number
  newsletter: bool
  created_at: date
}
event page_view { url: text }
when job = "CEO" add 10
when phone is set add 5
when company.size > 10 add 5
when newsletter add 1
when created_at >= 30 days ago add 1
when any page_view where url starts "/pricing" add 5
`;

const SAMPLE = [
  { job: 'CEO', phone: 'N/A', 'company.size': '1 200', newsletter: 'oui', created_at: '20/02/2026', events: [{ type: 'page_view', at: '2026-02-01', url: '(not set)' }] },
  { job: 'CTO', phone: 'N/A', 'company.size': '45', newsletter: 'non', created_at: '2026-02-01' },
  { job: 'CEO', phone: '06 12 34 56 78', 'company.size': 12, newsletter: true, created_at: '2026-02-02' },
]
  .map((lead) => JSON.stringify(lead))
  .join('\n');

function hintsOf(rules: string, sampleText: string) {
  const state = stateOf(rules);
  const sample = parseSample(sampleText, '/work/acme.sample.jsonl');
  return { state, sample, hints: dataHints(state, { sample, nowSetting: null }) };
}

/** The hints whose range starts on the line of `needle`. */
function on(rules: string, hints: ReturnType<typeof hintsOf>['hints'], needle: string): string[] {
  const line = rules.slice(0, rules.indexOf(needle)).split('\n').length - 1;
  return hints.filter((hint) => hint.range.start.line === line).map((hint) => hint.message);
}

describe('data hints', () => {
  it('shows what the sample shows as hints on the field declarations', () => {
    const { hints } = hintsOf(RULES, SAMPLE);
    expect(hints.every((hint) => hint.severity === DiagnosticSeverity.Hint && hint.code === DATA_HINT_CODE && hint.source === 'rubric')).toBe(true);
    expect(on(RULES, hints, 'phone: text')).toEqual([
      'sample: 2 of 3 `phone` values are `N/A`, read as a real value today; if that means no phone, add `missing: ["N/A"]` to a `data` block',
    ]);
    expect(on(RULES, hints, 'company.size: number')).toEqual([
      'sample: 1 of 3 `company.size` values are written like `1 200` (thousands separated by spaces or dots, or a decimal comma); add `numbers: decimal comma` to a `data` block',
    ]);
    expect(on(RULES, hints, 'newsletter: bool')[0]).toContain('add `true: ["oui"]` and `false: ["non"]`');
    expect(on(RULES, hints, 'created_at: date')[0]).toContain('add `dates: day first`');
    // Event properties too, on their own declaration.
    expect(on(RULES, hints, 'url: text')[0]).toContain('`(not set)`');
    expect(on(RULES, hints, 'job: text')).toEqual([]);
  });

  it('goes away once the file declares how the data is written', () => {
    const declared = RULES.replace('  phone: text\n', '  phone: text missing ["N/A"]\n').replace(
      'event page_view',
      'data {\n  missing: ["(not set)"]\n  numbers: decimal comma\n  dates: day first\n  true: [oui]\n  false: [non]\n}\nevent page_view',
    );
    const { hints } = hintsOf(declared, SAMPLE);
    expect(hints).toEqual([]);
  });

  it('is recomputed for a new sample, and reused for the same one', () => {
    const { state, sample, hints } = hintsOf(RULES, SAMPLE);
    expect(dataHints(state, { sample, nowSetting: null })).toBe(hints);
    const clean = parseSample(JSON.stringify({ job: 'CEO', phone: '06', 'company.size': 3, newsletter: true, created_at: '2026-01-01' }), '/work/acme.sample.jsonl');
    expect(dataHints(state, { sample: clean, nowSetting: null })).toEqual([]);
  });

  it('shows nothing without a sample, or while the file has errors', () => {
    const state = stateOf(RULES);
    expect(dataHints(state, { nowSetting: null })).toEqual([]);
    expect(dataHints(state, { nowSetting: null, error: 'cannot read' })).toEqual([]);
    expect(hintsOf(`${RULES}\nwhen nope = 1 add 1\n`, SAMPLE).hints).toEqual([]);
  });

  it('is bounded: a few per field, a few dozen in all', () => {
    const fields = Array.from({ length: 30 }, (_, i) => `  f${i}: number`).join('\n');
    const rules = `lead {\n${fields}\n}\n${Array.from({ length: 30 }, (_, i) => `when f${i} > 1 add 1`).join('\n')}\n`;
    const lead: Record<string, string> = {};
    for (let i = 0; i < 30; i++) lead[`f${i}`] = ['N/A', '-', '?', 'inconnu', '1 200', 'abc'][i % 6];
    const leads = ['N/A', '-', '?', 'inconnu', 'n/c', 'abc'].map((value) => JSON.stringify(Object.fromEntries(Object.keys(lead).map((key) => [key, value]))));
    const { hints } = hintsOf(rules, leads.join('\n'));
    expect(hints).toHaveLength(MAX_DATA_HINTS);
    const perLine = new Map<number, number>();
    for (const hint of hints) perLine.set(hint.range.start.line, (perLine.get(hint.range.start.line) ?? 0) + 1);
    expect(Math.max(...perLine.values())).toBe(MAX_HINTS_PER_FIELD);
  });

  it('never throws on hostile sample values', () => {
    const hostile = [
      '{"__proto__": {"job": "x"}, "job": {"toString": 1}, "phone": ["N/A"], "company.size": {"valueOf": 3}}',
      '{"job": "\\u202eevil", "phone": "\\u0000", "newsletter": [true], "created_at": {"a": {"b": {"c": 1}}}}',
    ].join('\n');
    const { hints } = hintsOf(RULES, hostile);
    expect(Array.isArray(hints)).toBe(true);
  });
});

describe('data hints across edits', () => {
  it('reuse the sample\'s profile while the declarations are unchanged, and follow them when they change', () => {
    const sample = parseSample(SAMPLE, '/work/acme.sample.jsonl');
    const first = stateOf(RULES);
    const before = sampleProfile(first, sample);
    // A rule edited, the declarations untouched: the same profile, hints on the same fields.
    const edited = stateOf(RULES.replace('add 10', 'add 12'));
    expect(sampleProfile(edited, sample)).toBe(before);
    expect(dataHints(edited, { sample, nowSetting: null }).map((hint) => hint.message)).toEqual(dataHints(first, { sample, nowSetting: null }).map((hint) => hint.message));
    // A line inserted above the lead block: the hints move with the declarations.
    const moved = stateOf(`# a comment\n${RULES}`);
    expect(dataHints(moved, { sample, nowSetting: null })[0].range.start.line).toBe(dataHints(first, { sample, nowSetting: null })[0].range.start.line + 1);
    // A declaration changed: profiled again.
    const declared = stateOf(RULES.replace('  phone: text\n', '  phone: text missing ["N/A"]\n'));
    expect(sampleProfile(declared, sample)).not.toBe(before);
    expect(on(RULES, dataHints(declared, { sample, nowSetting: null }), 'phone: text')).toEqual([]);
  });
});
