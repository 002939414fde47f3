/**
 * The data dialect in the model (issue 14): the `data` block read into `Model.dialect`, and a
 * field's `from` / `missing` into `FieldInfo.column` / `FieldInfo.missing`, word lists folded.
 */
import { describe, expect, it } from 'vitest';
import { PLAIN_DIALECT } from '../../src/checker/model.js';
import { parse } from '../../src/syntax/parse.js';
import { runTests } from '../../src/testing/run-tests.js';
import { checkText } from './support.js';

const FILE = `lead {
  job: text from "Job Title"
  phone: text from "Téléphone" missing ["0000000000", "00 00 00 00 00"]
  industry: one of [data, software] missing [" N/A ", "n/a"] from 'Industry'
  company.size: number from "Company size"
  newsletter: bool
}
event page_view { url: text from "Page URL" missing ["(not set)"] }

data {
  missing: ["N/A", "n/c", "-", "?", Inconnu, "É"]
  numbers: decimal comma
  dates: day first
  true: [Oui, vrai, o]
  false: [non, faux, n, no]
}

when industry in [data, software] add 5
when newsletter add 1
each page_view add 1
`;

describe('data dialect in the model', () => {
  it('reads the data block into Model.dialect, lists folded', () => {
    const { model, diagnostics } = checkText(FILE);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(model.dialect).toEqual({
      missing: ['n/a', 'n/c', '-', '?', 'inconnu', 'e'],
      numbers: 'decimal-comma',
      dates: 'day-first',
      trueWords: ['oui', 'vrai', 'o'],
      falseWords: ['non', 'faux', 'n', 'no'],
    });
  });

  it('reads from and missing on fields and event properties, in any order', () => {
    const { model } = checkText(FILE);
    expect(model.fields.get('job')).toMatchObject({ column: 'Job Title' });
    expect(model.fields.get('job')?.missing).toBeUndefined();
    expect(model.fields.get('phone')).toMatchObject({ column: 'Téléphone', missing: ['0000000000', '00 00 00 00 00'] });
    // Folded and each once: " N/A " and "n/a" are one placeholder.
    expect(model.fields.get('industry')).toMatchObject({ column: 'Industry', missing: ['n/a'] });
    expect(model.fields.get('company.size')?.column).toBe('Company size');
    expect(model.fields.get('newsletter')?.column).toBeUndefined();
    expect(model.events.get('page_view')?.properties.get('url')).toMatchObject({ column: 'Page URL', missing: ['(not set)'] });
  });

  it('keeps `data` an ordinary word: a value in a list, a field name', () => {
    const { model, diagnostics } = checkText('lead {\n  data: text\n  industry: one of [data, software]\n}\nwhen industry in [data, software] add 5\nwhen data = data add 1\n');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(model.fields.has('data')).toBe(true);
    expect(model.dialect).toBe(PLAIN_DIALECT);
    expect(model.rules).toHaveLength(2);
  });

  it('is PLAIN_DIALECT without a data block, and the defaults for settings not given', () => {
    expect(checkText('lead { a: text }\nwhen a = x add 1\n').model.dialect).toBe(PLAIN_DIALECT);
    expect(checkText('lead { a: text }\ndata {\n  numbers: decimal point\n}\nwhen a = x add 1\n').model.dialect).toEqual({ ...PLAIN_DIALECT, numbers: 'decimal-point' });
    expect(checkText('lead { a: text }\ndata { dates: month first }\n').model.dialect.dates).toBe('month-first');
    expect(checkText('lead { a: text }\ndata {}\n').model.dialect).toEqual(PLAIN_DIALECT);
  });

  it('parses keywords as words in data lists and settings on one line with `,` or `;`', () => {
    const r = parse('data { true: [yes, set, "ok"], false: [no]; dates: iso }');
    expect(r.diagnostics).toEqual([]);
    const { model } = checkText('lead { a: bool }\ndata { true: [yes, set, "OK"], false: [no]; dates: iso }\nwhen a add 1\n');
    expect(model.dialect.trueWords).toEqual(['yes', 'set', 'ok']);
    expect(model.dialect.falseWords).toEqual(['no']);
  });

  it('reports a repeated `from` or `missing` on a field as a syntax error, keeping the first', () => {
    const r = parse('lead {\n  a: text from "x" missing [a] from "y"\n  b: text missing [a] missing [b]\n}\n');
    expect(r.diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.column} ${d.message}`)).toEqual([
      'R001 2:32 `from` is written twice on `a`; a field has at most one',
      'R001 3:23 `missing` is written twice on `b`; a field has at most one',
    ]);
    const lead = r.ast.statements[0];
    expect(lead.kind === 'LeadDecl' && lead.fields[0].from?.value).toBe('x');
  });

  it('recovers from syntax errors inside the data block without losing what follows', () => {
    for (const text of [
      'lead { a: text }\ndata {\n  missing: [a, b\n}\nwhen a = x add 1\n',
      'lead { a: text }\ndata {\n  numbers:\n  dates: day first\n}\nwhen a = x add 1\n',
      'lead { a: text }\ndata {\n  5: [x]\n}\nwhen a = x add 1\n',
      'lead { a: text }\ndata {\n  missing: ["a"]\nwhen a = x add 1\n',
      'lead { a: text }\ndata\nwhen a = x add 1\n',
      'lead { a: text }\ndata {\n  numbers decimal comma\n}\nwhen a = x add 1\n',
    ]) {
      const analysis = checkText(text);
      expect(analysis.diagnostics.some((d) => d.code === 'R001'), text).toBe(true);
      expect(analysis.model.rules, text).toHaveLength(1);
    }
  });

  it('runs in-file tests written with field names against fields read from columns', () => {
    const run = runTests(
      [
        'lead {\n  job: text from "Job Title" missing ["-"]\n  size: number from "Effectif"\n}',
        'event visit { url: text from "Page URL" }',
        'data {\n  numbers: decimal comma\n}',
        'when job = CTO add 5\nwhen size > 10 add 1\neach visit where url starts "/p" add 2',
        'test "by field name" {\n  now 2026-03-01\n  lead { job: CTO, size: 1200 }\n  events { visit { url: "/pricing" } at 2026-02-01 }\n  expect score 8\n}',
        'test "a placeholder is missing" {\n  lead { job: "-" }\n  expect score 0\n}',
      ].join('\n'),
    );
    expect(run.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(run.results.map((r) => [r.name, r.passed])).toEqual([
      ['by field name', true],
      ['a placeholder is missing', true],
    ]);
  });

  it('never throws on any prefix of a file with a data block, or with a line of it dropped', () => {
    for (let end = 0; end <= FILE.length; end++) expect(() => checkText(FILE.slice(0, end))).not.toThrow();
    const lines = FILE.split('\n');
    for (let i = 0; i < lines.length; i++) {
      expect(() => checkText([...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'))).not.toThrow();
    }
  });

  it('names at most three expected things, in words, for a bad setting name', () => {
    const r = parse('data {\n  5: [x]\n}\n');
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0].message).toBe('expected a setting such as `missing` or `numbers`, or `}`, found `5`');
  });
});
