import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataHints } from '../src/features/data-hints.js';
import { detectDelimiter, parseCsvSample } from '../src/sample-csv.js';
import { SampleFiles } from '../src/sample-files.js';
import { DEFAULT_SETTINGS } from '../src/settings.js';
import { stateOf } from './helpers.js';

describe('CSV samples', () => {
  it('reads rows as rubric score hands them over: raw cells by column, empty cells left out', () => {
    const sample = parseCsvSample('\ufeffjob;phone;Effectif\r\nCEO;N/A; 1 200 \r\n\r\n"Directeur ""DG""";;45\r\n', '/w/crm.sample.csv');
    expect(sample.problems).toEqual([]);
    expect(sample.leads).toEqual([
      { line: 2, lead: { job: 'CEO', phone: 'N/A', Effectif: ' 1 200 ' } },
      { line: 4, lead: { job: 'Directeur "DG"', Effectif: '45' } },
    ]);
  });

  it('detects the delimiter from the header as the CLI does', () => {
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('"x;y",b')).toBe(',');
    expect(detectDelimiter('a')).toBe(',');
  });

  it('keeps line ends inside quotes, numbers lines, and reports unreadable rows without losing the next', () => {
    const text = 'job,note\n"CEO","two\nlines"\nCTO,"a"b\nVP,x,extra\nCFO,ok\n"open,quote\n';
    const sample = parseCsvSample(text, '/w/x.sample.csv');
    expect(sample.leads).toEqual([
      { line: 2, lead: { job: 'CEO', note: 'two\nlines' } },
      { line: 6, lead: { job: 'CFO', note: 'ok' } },
    ]);
    expect(sample.problems).toEqual([
      { line: 4, message: 'unreadable row: a character after a closing quote (`b`)' },
      { line: 5, message: '3 fields, but the header has 2' },
      { line: 7, message: 'unreadable row: a quote that never closes' },
    ]);
  });

  it('parses an events column and finds the latest event; a __proto__ column is plain data', () => {
    const text = ['id,__proto__,events', `1,x,"${JSON.stringify([{ type: 'page_view', at: '2026-02-27' }]).replace(/"/g, '""')}"`, '2,y,not json'].join('\n');
    const sample = parseCsvSample(text, '/w/x.sample.csv');
    expect(sample.latestEventAt).toBe('2026-02-27T00:00:00.000Z');
    expect(Object.getPrototypeOf(sample.leads[0].lead)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(sample.leads[0].lead, '__proto__')).toBe(true);
    expect(sample.problems).toEqual([{ line: 3, message: 'the `events` cell is not valid JSON; its events are left out' }]);
  });

  it('says which rows held bytes that were not UTF-8, and leaves out a row cut short', () => {
    const sample = parseCsvSample('job\nG\ufffdn\ufffdral\nCEO\nCT', '/w/x.sample.csv', { partialBytes: 20 });
    expect(sample.leads.map((lead) => lead.lead)).toEqual([{ job: 'CEO' }]);
    expect(sample.problems[0].message).toContain('not valid UTF-8');
  });
});

describe('a CSV sample beside the rule file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rubric-csv-sample-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const RULES = 'lead {\n  phone: text from "Téléphone"\n}\nwhen phone is set add 5\n';

  it('is found when there is no JSON Lines sample, and gives the same data hints', () => {
    writeFileSync(join(dir, 'crm.rubric'), RULES);
    writeFileSync(join(dir, 'crm.sample.csv'), 'id;Téléphone\n1;N/A\n2;N/A\n3;06 12\n');
    const uri = pathToFileURL(join(dir, 'crm.rubric')).toString();
    const files = new SampleFiles();
    const context = files.contextFor(uri, DEFAULT_SETTINGS, []);
    expect(context.sample?.path).toBe(join(dir, 'crm.sample.csv'));
    const hints = dataHints(stateOf(RULES, uri), context);
    expect(hints.map((hint) => hint.message)).toEqual([
      'sample: 2 of 3 `phone` values are `N/A`, read as a real value today; if that means no phone, add `missing: ["N/A"]` to a `data` block',
    ]);
    // A JSON Lines sample, when there is one, is the sample.
    writeFileSync(join(dir, 'crm.sample.jsonl'), '{"Téléphone": "06"}\n');
    files.clear();
    expect(files.contextFor(uri, DEFAULT_SETTINGS, []).sample?.path).toBe(join(dir, 'crm.sample.jsonl'));
  });
});
