/**
 * Issue 12, items 4 and 5: hostile data for the readers. One record is one row whatever its
 * length; a record over MAX_RECORD_BYTES, holding bytes that are not UTF-8, nested deeper than
 * MAX_VALUE_DEPTH or holding an unpaired surrogate escape is ONE rejected row and the rest is
 * read; memory stays bounded on an endless line; results do not depend on chunk boundaries.
 */
import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES, seededRandom } from '@rubric/core';
import { readCsv } from '../src/input/csv.js';
import { jsonValueProblem, readJsonArray, readJsonLines } from '../src/input/json.js';
import { columnRoles, leadFromRow } from '../src/input/leads.js';
import { decodeChunks, type InputItem } from '../src/input/source.js';
import { decodeUtf8, utf8ByteLength } from '../src/input/utf8.js';
import { chunked, collect } from './support/items.js';

async function* byteChunks(bytes: Uint8Array, sizes: () => number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; ) {
    const size = Math.max(1, sizes());
    yield bytes.subarray(i, i + size);
    i += size;
  }
}

function show(items: readonly InputItem[]): string[] {
  return items.map((item) => {
    switch (item.kind) {
      case 'header':
        return `header@${item.line} ${JSON.stringify(item.columns)}`;
      case 'row':
        return `row@${item.line} ${JSON.stringify(item.fields.map((field) => (field.length > 40 ? `${field.slice(0, 10)}…(${field.length})` : field)))}`;
      case 'object':
        return `object@${item.line} ${JSON.stringify(item.value).slice(0, 60)}`;
      case 'bad':
        return `bad@${item.line}${item.column !== undefined ? `:${item.column}` : ''} ${item.message}`;
      case 'notice':
        return `notice ${item.message}`;
    }
  });
}

const bytesOf = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));

const deep = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('long records (item 4)', () => {
  it('a 3 MB line is one row, whatever the chunk size', async () => {
    const long = 'x'.repeat(3_000_000);
    const input = `id,job\na,CEO\nb,${long}\nc,CTO\n`;
    for (const size of [65_536, 1_000_003]) {
      expect(show(await collect(readCsv(chunked(input, size))))).toEqual([
        'header@1 ["id","job"]',
        'row@2 ["a","CEO"]',
        'row@3 ["b","xxxxxxxxxx…(3000000)"]',
        'row@4 ["c","CTO"]',
      ]);
    }
  });

  it('a line over MAX_RECORD_BYTES (counted in bytes) is one rejected row; reading resumes at the next record', async () => {
    // 3-byte characters: under the limit in UTF-16 units, over it in bytes of the file.
    const wide = '€'.repeat(Math.floor(MAX_RECORD_BYTES / 3) + 10);
    const input = `id,job\na,CEO\nb,"${wide}"\nc,CTO\n`;
    const items = show(await collect(readCsv(chunked(input, 65_536))));
    expect(items).toEqual([
      'header@1 ["id","job"]',
      'row@2 ["a","CEO"]',
      'bad@3 record longer than 8 MiB (8388608 bytes): is a quote not closed, or are line breaks missing?',
      'row@4 ["c","CTO"]',
    ]);
  });

  it('an endless line is skipped while scanning: memory stays bounded', async () => {
    const piece = 'y'.repeat(1 << 20);
    let peak = 0;
    async function* endless(): AsyncGenerator<string> {
      yield 'id,job\na,CEO\nb,';
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 64; i++) {
        yield piece;
        peak = Math.max(peak, process.memoryUsage().heapUsed - before);
      }
      yield '\nc,CTO\n';
    }
    const items = show(await collect(readCsv(endless())));
    expect(items).toEqual(['header@1 ["id","job"]', 'row@2 ["a","CEO"]', expect.stringMatching(/^bad@3 record longer than 8 MiB/), 'row@4 ["c","CTO"]']);
    // 64 MiB went through; what is held stays near the limit (8 MiB, as two-byte strings at worst).
    expect(peak).toBeLessThan(48 * (1 << 20));
  });

  it('records over a small limit: one rejected row each, resuming after the first line of the record', async () => {
    const options = { maxRecordBytes: 16 };
    const input = [
      'a,b',
      '1,0123456789abcdefghij', // one line, too long: rejected, next line read
      '2,ok',
      '3,"0123456789\nabcdefghij"', // a quoted field over two lines, too long: resumes at its 2nd line
      '4,ok',
      '5,"ab\ncd"', // under the limit: one row over two lines
      '6,ok',
    ].join('\n');
    const expected = [
      'header@1 ["a","b"]',
      'bad@2 record longer than 16 bytes: is a quote not closed, or are line breaks missing?',
      'row@3 ["2","ok"]',
      'bad@4 record longer than 16 bytes: is a quote not closed, or are line breaks missing?',
      'bad@5 1 field, but the header has 2',
      'row@6 ["4","ok"]',
      'row@7 ["5","ab\\ncd"]',
      'row@9 ["6","ok"]',
    ];
    for (const size of [1, 2, 5, 1000]) expect(show(await collect(readCsv(chunked(input, size), options))), `chunks of ${size}`).toEqual(expected);
  });

  it('an unclosed quote is one rejected row, and the lines after it are read again', async () => {
    const input = 'a,b\n1,"open\n2,3\n4,5\n';
    for (const size of [1, 3, 1000]) {
      expect(show(await collect(readCsv(chunked(input, size))))).toEqual(['header@1 ["a","b"]', 'bad@2:3 quote not closed', 'row@3 ["2","3"]', 'row@4 ["4","5"]']);
    }
  });

  it('a character after a closing quote on a line that is not read to its end yet: reported, the line skipped', async () => {
    const input = `a,b\n"x"y,${'z'.repeat(100_000)}\n2,3\n`;
    for (const size of [7, 4096, 1_000_000]) {
      const items = await collect(readCsv(chunked(input, size)));
      expect(show(items)).toEqual(['header@1 ["a","b"]', 'bad@2:4 unexpected `y` after a closing quote', 'row@3 ["2","3"]']);
      expect(items[1].kind === 'bad' && items[1].text).toBe(`"x"y,${'z'.repeat(114)}…`);
    }
  });

  it('a lone CR ends a line, for records and for line numbers', async () => {
    const input = 'a,b\r1,2\r3,"x\ry"\r4,5';
    for (const size of [1, 1000]) {
      expect(show(await collect(readCsv(chunked(input, size))))).toEqual(['header@1 ["a","b"]', 'row@2 ["1","2"]', 'row@3 ["3","x\\ry"]', 'row@5 ["4","5"]']);
    }
  });

  it('JSON Lines: a line over the limit is one rejected row; no error stops the file', async () => {
    const input = `{"a":1}\n{"a":"${'x'.repeat(40)}"}\n{"a":3}\n{"a":"${'y'.repeat(100)}`;
    for (const size of [1, 7, 1000]) {
      expect(show(await collect(readJsonLines(chunked(input, size), 'x.jsonl', { maxRecordBytes: 32 })))).toEqual([
        'object@1 {"a":1}',
        'bad@2 record longer than 32 bytes',
        'object@3 {"a":3}',
        'bad@4 record longer than 32 bytes',
      ]);
    }
  });

  it('JSON Lines: a line over 16 MiB no longer stops the run', async () => {
    const input = `{"a":1}\n{"a":"${'x'.repeat(17 << 20)}"}\n{"a":3}\n`;
    expect(show(await collect(readJsonLines(chunked(input, 1 << 20), 'x.jsonl')))).toEqual([
      'object@1 {"a":1}',
      'bad@2 record longer than 8 MiB (8388608 bytes)',
      'object@3 {"a":3}',
    ]);
  });

  it('JSON array: an element over the limit is one rejected row; the next is read', async () => {
    const input = `[{"a":1},\n {"a":"${'x'.repeat(40)}", "b": [1, {"c": "]"}]},\n {"a":3}]`;
    for (const size of [1, 7, 1000]) {
      expect(show(await collect(readJsonArray(chunked(input, size), 'x.json', { maxRecordBytes: 32 })))).toEqual([
        'object@1 {"a":1}',
        'bad@2:2 record longer than 32 bytes',
        'object@3 {"a":3}',
      ]);
    }
  });
});

describe('deep values (item 5)', () => {
  const deepLead = `{"id":"b","job":${deep(5000)}}`;

  it('JSON Lines: a lead nested 5,000 levels deep is one rejected row, with its column', async () => {
    const input = `{"id":"a"}\n${deepLead}\n{"id":"c"}\n`;
    expect(show(await collect(readJsonLines(chunked(input, 4096), 'x.jsonl')))).toEqual([
      'object@1 {"id":"a"}',
      'bad@2:80 value nests deeper than 64 levels',
      'object@3 {"id":"c"}',
    ]);
  });

  it('JSON array: the same', async () => {
    const input = `[{"id":"a"},\n  ${deepLead},\n{"id":"c"}]`;
    expect(show(await collect(readJsonArray(chunked(input, 4096), 'x.json')))).toEqual([
      'object@1 {"id":"a"}',
      'bad@2:82 value nests deeper than 64 levels',
      'object@3 {"id":"c"}',
    ]);
  });

  it('64 levels (the lead object is level 1) pass; 65 do not', () => {
    expect(jsonValueProblem(JSON.parse(`{"a":${deep(63)}}`), `{"a":${deep(63)}}`)).toBeUndefined();
    expect(jsonValueProblem(JSON.parse(`{"a":${deep(64)}}`), `{"a":${deep(64)}}`)).toEqual({ message: 'value nests deeper than 64 levels', offset: 68 });
  });

  it('a CSV events cell nested too deep rejects the row (the cell is level 2, as in a lead)', () => {
    const columns = ['id', 'events'];
    const roles = columnRoles(columns, { fields: new Map(), columnOf: new Map(), fieldOfColumn: new Map(), parents: new Set(), events: new Map(), eventColumns: new Map(), eventsByColumn: new Map() });
    const tooDeep = leadFromRow(columns, roles, ['b', deep(5000)]);
    expect(tooDeep.rejected).toEqual({ column: 2, field: 'events', value: deep(5000), message: 'value nests deeper than 64 levels (at character 64 of the cell)' });
    expect(tooDeep.events).toBeUndefined();
    expect(leadFromRow(columns, roles, ['a', `[${deep(62)}]`]).rejected).toBeUndefined();
  });
});

describe('bytes that are not UTF-8, and unpaired surrogates', () => {
  it('decodes valid UTF-8 split anywhere, and keeps each invalid byte as one lone surrogate', async () => {
    const bytes = bytesOf('aé€😀', [0xff], 'b', [0xe2, 0x82], 'c', [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98]);
    const expected = `aé€😀\udcffb\udce2\udc82c\udced\udca0\udc80\udcf0\udc9f\udc98`;
    expect(decodeUtf8(bytes, 0, bytes.length)).toBe(expected);
    for (let size = 1; size <= 5; size++) {
      let text = '';
      for await (const chunk of decodeChunks(byteChunks(bytes, () => size))) text += chunk;
      expect(text, `chunks of ${size}`).toBe(expected);
    }
    expect(utf8ByteLength(expected, 0, expected.length)).toBe(bytes.length);
  });

  it('drops a byte order mark at the very start only, even split over chunks', async () => {
    const bytes = bytesOf([0xef, 0xbb, 0xbf], 'a', [0xef, 0xbb, 0xbf], 'b');
    for (const size of [1, 2, 100]) {
      let text = '';
      for await (const chunk of decodeChunks(byteChunks(bytes, () => size))) text += chunk;
      expect(text).toBe('a\ufeffb');
    }
  });

  it('a CSV record with a Latin-1 byte is one rejected row, with line and column; the rest is read', async () => {
    const bytes = bytesOf('id,job\na,CEO\nb,Caf', [0xe9], '\nc,CTO\n');
    for (const size of [1, 3, 100]) {
      expect(show(await collect(readCsv(decodeChunks(byteChunks(bytes, () => size)))))).toEqual([
        'header@1 ["id","job"]',
        'row@2 ["a","CEO"]',
        // Said once, before the first record holding such bytes (issue 14).
        'notice line 3: bytes that are not valid UTF-8 (at column 6); every record holding such bytes is rejected: if the file is Windows-1252 (as Excel saves it), try --encoding windows-1252',
        'bad@3:6 bytes that are not valid UTF-8 (at column 6)',
        'row@4 ["c","CTO"]',
      ]);
    }
  });

  it('JSON Lines and JSON array: the same', async () => {
    const lines = bytesOf('{"a":1}\n{"a":"caf', [0xe9], '"}\n{"a":3}\n');
    expect(show(await collect(readJsonLines(decodeChunks(byteChunks(lines, () => 4)), 'x.jsonl')))).toEqual([
      'object@1 {"a":1}',
      'notice `x.jsonl` line 2: bytes that are not valid UTF-8 (at column 10); every record holding such bytes is rejected: if the file is Windows-1252 (as Excel saves it), try --encoding windows-1252',
      'bad@2:10 bytes that are not valid UTF-8 (at column 10)',
      'object@3 {"a":3}',
    ]);
    const array = bytesOf('[{"a":1},\n {"a":"caf', [0xe9], '"}, {"a":3}]');
    expect(show(await collect(readJsonArray(decodeChunks(byteChunks(array, () => 4)), 'x.json')))).toEqual([
      'object@1 {"a":1}',
      'notice `x.json` line 2: bytes that are not valid UTF-8 (at column 11); every record holding such bytes is rejected: if the file is Windows-1252 (as Excel saves it), try --encoding windows-1252',
      'bad@2:11 bytes that are not valid UTF-8 (at column 11)',
      'object@2 {"a":3}',
    ]);
  });

  it('a character after a closing quote is named whole and visibly (an invalid byte, a pair, a BOM)', async () => {
    const bytes = bytesOf('a,b\n"x"', [0xe9], ',1\n"y"😀,2\n"z"\ufeff,3\n4,5\n');
    expect(show(await collect(readCsv(decodeChunks(byteChunks(bytes, () => 3)))))).toEqual([
      'header@1 ["a","b"]',
      'bad@2:4 unexpected byte 0xE9 (not valid UTF-8) after a closing quote',
      'bad@3:4 unexpected `😀` after a closing quote',
      'bad@4:4 unexpected U+FEFF after a closing quote',
      'row@5 ["4","5"]',
    ]);
  });

  it('a header with an invalid byte is read (shown with U+FFFD), with a notice', async () => {
    const bytes = bytesOf('id,caf', [0xe9], '\na,b\n');
    expect(show(await collect(readCsv(decodeChunks(byteChunks(bytes, () => 2)))))).toEqual([
      'notice line 1: the header has bytes that are not valid UTF-8 (at column 7, shown as \ufffd); every record holding such bytes is rejected: if the file is Windows-1252 (as Excel saves it), try --encoding windows-1252',
      'header@1 ["id","caf\ufffd"]',
      'row@2 ["a","b"]',
    ]);
  });

  it('a JSON string with an unpaired surrogate escape is one rejected row; pairs are fine', async () => {
    const input = '{"a":"\\ud83d\\ude00"}\n{"a":"x\\\\ud800"}\n{"a":"\\ud800"}\n{"a":"\\uDC00x"}\n{"a":3}\n';
    expect(show(await collect(readJsonLines(chunked(input, 5), 'x.jsonl')))).toEqual([
      'object@1 {"a":"😀"}',
      'object@2 {"a":"x\\\\ud800"}',
      'bad@3:7 text with an unpaired surrogate `\\ud800`',
      'bad@4:7 text with an unpaired surrogate `\\uDC00`',
      'object@5 {"a":3}',
    ]);
  });
});

/** A seeded PRNG (the back-test's mulberry32): the same soups on every run. */
const random = seededRandom;

const PIECES: readonly (string | number[])[] = [
  '"', '"', '""', ',', ',', ';', '\t', '\r', '\n', '\n', '\r\n', 'a', 'bc', ' ', 'é', '€', '😀', '\\ud800',
  [0xff], [0xe9], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xef, 0xbb, 0xbf],
];

function soup(next: () => number, withQuotes: boolean): Uint8Array {
  const parts: (string | number[])[] = ['h1,h2,h3\n'];
  const pick = (): string | number[] | undefined => {
    if (next() < 0.04) return 'x'.repeat(Math.floor(next() * 200));
    const piece = PIECES[Math.floor(next() * PIECES.length)];
    return !withQuotes && typeof piece === 'string' && piece.includes('"') ? undefined : piece;
  };
  if (next() < 0.5) {
    // Pieces anywhere.
    const count = Math.floor(next() * 120);
    for (let i = 0; i < count; i++) {
      const piece = pick();
      if (piece !== undefined) parts.push(piece);
    }
  } else {
    // Mostly well-formed rows of three fields, with pieces inside fields (quoted or not).
    const rows = Math.floor(next() * 12);
    for (let row = 0; row < rows; row++) {
      for (let field = 0; field < 3; field++) {
        if (field > 0) parts.push(',');
        const quoted = withQuotes && next() < 0.4;
        if (quoted) parts.push('"');
        const count = Math.floor(next() * 4);
        for (let i = 0; i < count; i++) {
          const piece = next() < 0.6 ? 'w' : pick();
          if (piece !== undefined) parts.push(quoted && piece === '"' ? '""' : piece);
        }
        if (quoted) parts.push('"');
      }
      parts.push(['\n', '\r\n', '\r'][Math.floor(next() * 3)]);
    }
  }
  return bytesOf(...parts);
}

/** Items without the excerpt of a too-long record (it shows what was read when it was found too long). */
function comparable(items: readonly InputItem[]): unknown[] {
  return items.map((item) => (item.kind === 'bad' && item.message.startsWith('record longer') ? { ...item, text: '' } : item));
}

/** Lines of a text split as the reader splits them (CR, LF, CRLF), without quotes in the text. */
function linesOf(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

describe('the CSV reader on random byte soups (seeded fuzz)', () => {
  const MAX = 48;

  it('never throws, accounts for every record, and gives the same items whatever the chunk sizes', async () => {
    const next = random(12);
    for (let run = 0; run < 300; run++) {
      const withQuotes = run % 3 !== 0;
      const bytes = soup(next, withQuotes);
      const reference = await collect(readCsv(decodeChunks(byteChunks(bytes, () => bytes.length)), { maxRecordBytes: MAX }));
      for (const sizes of [() => 1, () => 1 + Math.floor(next() * 7), () => 1 + Math.floor(next() * 200)]) {
        const items = await collect(readCsv(decodeChunks(byteChunks(bytes, sizes)), { maxRecordBytes: MAX }));
        expect(comparable(items), `run ${run}: ${JSON.stringify(Buffer.from(bytes).toString('latin1'))}`).toEqual(comparable(reference));
      }
      // Every item is in order, and rows have the header's width.
      const header = reference.find((item) => item.kind === 'header');
      let lastLine = 0;
      for (const item of reference) {
        if (item.kind === 'notice') continue;
        expect(item.line).toBeGreaterThanOrEqual(lastLine);
        lastLine = item.line;
        if (item.kind === 'row' && header?.kind === 'header') expect(item.fields).toHaveLength(header.columns.length);
      }
      if (!withQuotes) {
        // Without quotes, a record is a line: every line that is not blank is the header, a
        // row or one rejected row (read = written + rejected, and read = the file's records).
        let text = '';
        for await (const chunk of decodeChunks(byteChunks(bytes, () => bytes.length))) text += chunk;
        const delimiter = header?.kind === 'header' ? header.delimiter : ',';
        const records = linesOf(text).filter(
          (line) => line.split(delimiter).some((field) => field.trim() !== '') || utf8ByteLength(line, 0, line.length) > MAX,
        ).length;
        const counted = reference.filter((item) => item.kind === 'header' || item.kind === 'row' || item.kind === 'bad').length;
        expect(counted, `run ${run}: ${JSON.stringify(text)}`).toBe(records);
      }
    }
  }, 60_000);

  it('JSON Lines on the same soups: never throws, one item per line that is not blank, same items for any chunks', async () => {
    const next = random(34);
    for (let run = 0; run < 150; run++) {
      const bytes = soup(next, true);
      const reference = await collect(readJsonLines(decodeChunks(byteChunks(bytes, () => bytes.length)), 'x.jsonl', { maxRecordBytes: MAX }));
      const items = await collect(readJsonLines(decodeChunks(byteChunks(bytes, () => 1 + Math.floor(next() * 9))), 'x.jsonl', { maxRecordBytes: MAX }));
      expect(comparable(items)).toEqual(comparable(reference));
      let text = '';
      for await (const chunk of decodeChunks(byteChunks(bytes, () => bytes.length))) text += chunk;
      const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
      // Notices (the one about invalid UTF-8) are not records.
      expect(reference.filter((item) => item.kind !== 'notice')).toHaveLength(lines.filter((line) => line.trim() !== '' || utf8ByteLength(line, 0, line.length) > MAX).length);
    }
  });

  it('a long soup of quotes and delimiters without line breaks is read in linear time', async () => {
    const unit = '"a"",b",';
    const text = `h\n${unit.repeat(Math.ceil((20 << 20) / unit.length))}\nz\n`;
    // No time is asserted (the load would decide it): a backtracking reader takes hours on this,
    // so the test's timeout catches it.
    const items = show(await collect(readCsv(chunked(text, 65_536))));
    expect(items).toEqual(['header@1 ["h"]', expect.stringMatching(/^bad@2 record longer than 8 MiB/), 'row@3 ["z"]']);
  }, 30_000);
});
