import { describe, expect, it } from 'vitest';
import { readCsv } from '../src/input/csv.js';
import { compareIds } from '../src/input/events-join.js';
import { readJsonArray, readJsonLines } from '../src/input/json.js';
import { coerceCell } from '../src/input/leads.js';
import type { InputItem } from '../src/input/source.js';
import { chunked, collect } from './support/items.js';

/** Items in a compact, readable form. */
function show(items: readonly InputItem[]): string[] {
  return items.map((item) => {
    switch (item.kind) {
      case 'header':
        return `header@${item.line} ${JSON.stringify(item.columns)} ${JSON.stringify(item.delimiter)}`;
      case 'row':
        return `row@${item.line} ${JSON.stringify(item.fields)}`;
      case 'object':
        return `object@${item.line} ${JSON.stringify(item.value)}`;
      case 'bad':
        return `bad@${item.line}${item.column !== undefined ? `:${item.column}` : ''} ${item.message}`;
      case 'notice':
        return `notice ${item.message}`;
    }
  });
}

const CSV_CASES: { name: string; input: string; expected: string[] }[] = [
  {
    name: 'quoted fields, escaped quotes, CRLF and a field spanning lines',
    input: 'a,b\r\n"x, y","say ""hi"""\r\n"multi\nline",2\r\n3,4',
    expected: ['header@1 ["a","b"] ","', 'row@2 ["x, y","say \\"hi\\""]', 'row@3 ["multi\\nline","2"]', 'row@5 ["3","4"]'],
  },
  {
    name: 'blank lines and all-empty rows are skipped; line numbers stay right',
    input: '\na,b\n\n1,2\n,\n3,4\n',
    expected: ['header@2 ["a","b"] ","', 'row@4 ["1","2"]', 'row@6 ["3","4"]'],
  },
  {
    name: 'a character after a closing quote rejects only that row',
    input: 'a,b\n"x"y,1\n2,3\n',
    expected: ['header@1 ["a","b"] ","', 'bad@2:4 unexpected `y` after a closing quote', 'row@3 ["2","3"]'],
  },
  {
    name: 'an unclosed quote rejects its row and reading resumes on the next line',
    input: 'a,b\n1,"open\n2,3\n4,5\n',
    expected: ['header@1 ["a","b"] ","', 'bad@2:3 quote not closed', 'row@3 ["2","3"]', 'row@4 ["4","5"]'],
  },
  {
    name: 'a stray quote that swallows lines: the wrong field count rejects it and the swallowed rows are read',
    input: 'a,b\n1,"x\n2,3\n4,"y\n5,6\n',
    expected: [
      'header@1 ["a","b"] ","',
      'bad@2 unexpected `y` after a closing quote on line 4: is a quote on line 2 not closed?',
      'row@3 ["2","3"]',
      'bad@4:3 quote not closed',
      'row@5 ["5","6"]',
    ],
  },
  {
    name: 'a record over several lines with the wrong field count: its other lines are read again',
    input: 'a,b\n1,"x\ny",3\n4,5\n',
    expected: ['header@1 ["a","b"] ","', 'bad@2 3 fields, but the header has 2', 'row@3 ["y\\"","3"]', 'row@4 ["4","5"]'],
  },
  {
    name: 'wrong field counts',
    input: 'a,b,c\n1,2\n1,2,3,4\n1,2,3\n',
    expected: ['header@1 ["a","b","c"] ","', 'bad@2 2 fields, but the header has 3', 'bad@3 4 fields, but the header has 3', 'row@4 ["1","2","3"]'],
  },
  {
    name: 'a quote inside an unquoted field is kept',
    input: 'a,b\n5" screen,x\n',
    expected: ['header@1 ["a","b"] ","', 'row@2 ["5\\" screen","x"]'],
  },
  {
    name: 'the delimiter is detected from the header (; and tab)',
    input: 'a;b;"c,d"\n1;2,5;3\n',
    expected: ['header@1 ["a","b","c,d"] ";"', 'row@2 ["1","2,5","3"]'],
  },
  {
    name: 'tab-separated',
    input: 'a\tb\n1\t2\n',
    expected: ['header@1 ["a","b"] "\\t"', 'row@2 ["1","2"]'],
  },
  {
    name: 'no newline at the end, empty last field',
    input: 'a,b\n1,',
    expected: ['header@1 ["a","b"] ","', 'row@2 ["1",""]'],
  },
  { name: 'empty input', input: '', expected: [] },
];

describe('CSV reader', () => {
  it.each(CSV_CASES)('$name', async ({ input, expected }) => {
    for (const size of [1, 2, 3, 7, 1000]) {
      expect(show(await collect(readCsv(chunked(input, size)))), `chunks of ${size}`).toEqual(expected);
    }
  });

  it('rejects a record longer than the limit without reading the file into memory', async () => {
    const huge = `a,b\n1,"${'x'.repeat(1_100_000)}\n2,3\n`;
    const items = show(await collect(readCsv(chunked(huge, 65_536), { maxRecordBytes: 1 << 20 })));
    expect(items[0]).toBe('header@1 ["a","b"] ","');
    expect(items[1]).toMatch(/^bad@2 record longer than 1 MiB \(1048576 bytes\)/);
    expect(items.at(-1)).toBe('row@3 ["2","3"]');
    expect(items).toHaveLength(3);
  });
});

describe('JSON readers', () => {
  it('JSON Lines: one object per line, bad lines reported with their line', async () => {
    const input = '{"a":1}\n\n{"a":\n[1]\n{"b":"x\\ny"}';
    for (const size of [1, 4, 1000]) {
      expect(show(await collect(readJsonLines(chunked(input, size), 'x.jsonl')))).toEqual([
        'object@1 {"a":1}',
        expect.stringMatching(/^bad@3 invalid JSON: /),
        'bad@4 expected a lead (a JSON object), found an array',
        'object@5 {"b":"x\\ny"}',
      ]);
    }
  });

  it('JSON array: element by element, strings with brackets, bad elements skipped', async () => {
    const input = ' [\n {"a": "]}[,"},\n {"b": [1, {"c": 2}]},\n 3,\n {"d": tru},\n {"e": 1}\n]\n';
    for (const size of [1, 5, 1000]) {
      expect(show(await collect(readJsonArray(chunked(input, size), 'x.json')))).toEqual([
        'object@2 {"a":"]}[,"}',
        'object@3 {"b":[1,{"c":2}]}',
        'bad@4 expected a lead (a JSON object), found a number',
        expect.stringMatching(/^bad@5 invalid JSON: /),
        'object@6 {"e":1}',
      ]);
    }
  });

  it('JSON array: a truncated file keeps its complete leads and says it is truncated', async () => {
    const items = show(await collect(readJsonArray(chunked('[{"a":1},{"b":2}', 3), 'x.json')));
    expect(items).toEqual(['object@1 {"a":1}', 'object@1 {"b":2}', 'notice `x.json` ends before the array\'s closing `]` (is the file truncated?)']);
  });

  it('JSON array: anything but an array is an error', async () => {
    await expect(collect(readJsonArray(chunked('{"a": 1}', 10), 'x.json'))).rejects.toThrow('`x.json` is not a JSON array');
    await expect(collect(readJsonArray(chunked('[] []', 10), 'x.json'))).rejects.toThrow("has text after the array's closing");
  });
});

describe('CSV cells go to the scorer as they are (issue 14: the scorer reads them in the dialect)', () => {
  it.each([
    [' 42 ', false, ' 42 '],
    ['-0.5', true, '-0.5'],
    ['+3', true, 3],
    ['120', true, 120],
    ['120', false, '120'],
    ['1,5', true, '1,5'],
    ['1.200', true, '1.200'],
    ['', true, undefined],
    ['   ', false, '   '],
    ['CEO;CTO | VP Sales;', false, 'CEO;CTO | VP Sales;'],
    ['2026-03-01 09:30', false, '2026-03-01 09:30'],
    ['  Directeur Général ', false, '  Directeur Général '],
    ['1234567890123456', true, '1234567890123456'],
  ] as const)('%j (digits as a number: %j)', (raw, digits, expected) => {
    expect(coerceCell(raw, digits)).toEqual(expected);
  });
});

describe('lead id order for joining events', () => {
  it('orders whole numbers by value before other ids, which compare by code unit', () => {
    const ids = ['b', '10', 'A', '2', '-1', 'a', '007', '7', '99999999999999999999'];
    expect([...ids].sort(compareIds)).toEqual(['-1', '2', '007', '7', '10', '99999999999999999999', 'A', 'a', 'b']);
  });
});
