/**
 * Issue 14, encodings: `decodeChunks` decodes a data file as `--encoding` says, unless a byte
 * order mark at its start says otherwise (then the mark decides, and is dropped); the result
 * does not depend on where the chunks are cut. The CSV reader gives the header's line break (the
 * output keeps it), and says once per file where the first byte that is not UTF-8 is.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@rubric/core';
import { CliError } from '../src/context.js';
import { readCsv } from '../src/input/csv.js';
import { readJsonLines } from '../src/input/json.js';
import { decodeChunks, looksLikeUtf8, parseEncoding, type DecodingStart, type InputEncoding, type InputItem } from '../src/input/source.js';
import { collect } from './support/items.js';

async function* byteChunks(bytes: Uint8Array, sizes: () => number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; ) {
    const size = Math.max(1, sizes());
    yield bytes.subarray(i, i + size);
    i += size;
  }
}

/** The text `decodeChunks` gives for `bytes` cut into chunks of `size` (or random sizes), and what it decided. */
async function decode(bytes: Uint8Array, encoding: InputEncoding | undefined, sizes: () => number): Promise<{ text: string; start: DecodingStart | undefined }> {
  let text = '';
  let start: DecodingStart | undefined;
  let starts = 0;
  for await (const chunk of decodeChunks(byteChunks(bytes, sizes), undefined, encoding, (decided) => {
    start = decided;
    starts += 1;
  })) {
    text += chunk;
  }
  expect(starts).toBe(1);
  return { text, start };
}

/** Every way of cutting: one byte at a time, small fixed sizes, the whole, and seeded random sizes. */
function cuttings(seed: number): (() => number)[] {
  const random = seededRandom(seed);
  return [() => 1, () => 2, () => 3, () => 5, () => 1 << 20, () => 1 + Math.floor(random() * 7)];
}

const GENERAL = 'id;job\r\n1;Directeur Général\r\n2;Responsable « Achats » – 5 €\r\n';

describe('decodeChunks: encodings and byte order marks', () => {
  it('reads Windows-1252 (and its names latin1, iso-8859-1, cp1252) as Windows-1252, whatever the cuts', async () => {
    const bytes = Buffer.from(windows1252(GENERAL));
    for (const name of ['windows-1252', 'latin1', 'ISO-8859-1', 'cp1252']) {
      for (const sizes of cuttings(14)) {
        const { text, start } = await decode(bytes, parseEncoding(name), sizes);
        expect(text).toBe(GENERAL);
        expect(start).toEqual({ encoding: 'windows-1252', bom: undefined, looksLikeUtf8: false });
      }
    }
  });

  it('drops a UTF-8 byte order mark and reads UTF-8, even when asked for Windows-1252 (the mark decides)', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(GENERAL, 'utf8')]);
    for (const encoding of [undefined, 'utf-8', 'windows-1252'] as const) {
      for (const sizes of cuttings(15)) {
        const { text, start } = await decode(bytes, encoding, sizes);
        expect(text).toBe(GENERAL);
        expect(start).toEqual({ encoding: 'utf-8', bom: 'utf-8', looksLikeUtf8: false });
      }
    }
  });

  it('reads UTF-16 LE and BE from their byte order marks (characters beyond the BMP cut anywhere)', async () => {
    const text = `${GENERAL}3;Fondateur 🚀\r\n`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const sizes of cuttings(16)) {
      expect(await decode(le, undefined, sizes)).toEqual({ text, start: { encoding: 'utf-16le', bom: 'utf-16le', looksLikeUtf8: false } });
      expect(await decode(be, undefined, sizes)).toEqual({ text, start: { encoding: 'utf-16be', bom: 'utf-16be', looksLikeUtf8: false } });
    }
  });

  it('reads UTF-16 LE without a mark when asked to; a U+FEFF after the start is data', async () => {
    const text = `a\ufeffb,${GENERAL}`;
    for (const sizes of cuttings(17)) {
      expect(await decode(Buffer.from(text, 'utf16le'), 'utf-16le', sizes)).toEqual({ text, start: { encoding: 'utf-16le', bom: undefined, looksLikeUtf8: false } });
    }
  });

  it('the start of a mark that is not one is text: short files, a lone EF, EF BB without BF', async () => {
    const cases: [number[], InputEncoding | undefined, string][] = [
      [[], undefined, ''],
      [[0x41], undefined, 'A'],
      [[0xef], undefined, '\udcef'], // an invalid UTF-8 byte, kept as a lone surrogate (utf8.ts)
      [[0xef, 0xbb], undefined, '\udcef\udcbb'],
      [[0xef, 0xbb, 0x41], 'windows-1252', 'ï»A'],
      [[0xff], 'windows-1252', 'ÿ'],
      [[0xfe, 0x41], 'windows-1252', 'þA'],
    ];
    for (const [bytes, encoding, text] of cases) {
      for (const sizes of cuttings(18)) {
        const decoded = await decode(Uint8Array.from(bytes), encoding, sizes);
        expect(decoded.text, JSON.stringify(bytes)).toBe(text);
        expect(decoded.start?.bom).toBeUndefined();
      }
    }
  });

  it('tells when a file read as Windows-1252 looks like UTF-8 (its first bytes above 0x7F are valid UTF-8)', async () => {
    const utf8 = Buffer.from(GENERAL, 'utf8');
    expect((await decode(utf8, 'windows-1252', () => 1 << 20)).start?.looksLikeUtf8).toBe(true);
    // Cut in the middle of `é`: the cut sequence is left out of the test.
    const cutAt = utf8.indexOf(0xc3, utf8.indexOf(0xc3) + 1) + 1; // the second é's lead byte
    expect(looksLikeUtf8(utf8.subarray(0, utf8.indexOf(0xc3) + 1))).toBe(false); // nothing whole above 0x7F
    expect(looksLikeUtf8(utf8.subarray(0, cutAt))).toBe(true);
    expect((await decode(Buffer.from(windows1252(GENERAL)), 'windows-1252', () => 1 << 20)).start?.looksLikeUtf8).toBe(false);
    expect(looksLikeUtf8(Buffer.from('id,job\n1,CEO\n'))).toBe(false); // ASCII: nothing to tell
    expect((await decode(utf8, undefined, () => 1 << 20)).start?.looksLikeUtf8).toBe(false); // read as UTF-8
  });

  it('counts every byte read, the mark too', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id\n1\n', 'utf16le')]);
    let counted = 0;
    for await (const chunk of decodeChunks(byteChunks(bytes, () => 1), (count) => (counted += count))) expect(typeof chunk).toBe('string');
    expect(counted).toBe(bytes.length);
  });
});

describe('--encoding names', () => {
  it('accepts the names in any case, and refuses others with the list', () => {
    expect(parseEncoding('UTF-8')).toBe('utf-8');
    expect(parseEncoding('utf8')).toBe('utf-8');
    expect(parseEncoding('Windows-1252')).toBe('windows-1252');
    expect(parseEncoding('latin-1')).toBe('windows-1252');
    expect(parseEncoding('utf-16le')).toBe('utf-16le');
    expect(parseEncoding('UTF16BE')).toBe('utf-16be');
    expect(() => parseEncoding('ebcdic')).toThrow(CliError);
    expect(() => parseEncoding('ebcdic')).toThrow('unknown --encoding `ebcdic`');
  });
});

function show(items: readonly InputItem[]): string[] {
  return items.map((item) => {
    switch (item.kind) {
      case 'header':
        return `header@${item.line} ${JSON.stringify(item.columns)} ${JSON.stringify(item.lineBreak)}`;
      case 'row':
        return `row@${item.line} ${JSON.stringify(item.fields)}`;
      case 'bad':
        return `bad@${item.line}:${item.column ?? ''} ${item.message}`;
      case 'notice':
        return `notice ${item.message}`;
      case 'object':
        return `object@${item.line}`;
    }
  });
}

async function* text(value: string): AsyncGenerator<string> {
  yield value;
}

describe('the CSV header gives its line break', () => {
  it('CRLF, LF, a CR alone, and none at all (LF)', async () => {
    for (const [input, lineBreak] of [
      ['a,b\r\n1,2\r\n', '\r\n'],
      ['a,b\n1,2\r\n', '\n'],
      ['a,b\r1,2\r', '\r'],
      ['a,b', '\n'],
      ['\r\n\r\na,b\r\n1,2', '\r\n'],
    ] as const) {
      const items = await collect(readCsv(text(input)));
      expect(items[0], JSON.stringify(input)).toMatchObject({ kind: 'header', lineBreak });
    }
  });
});

describe('bytes that are not UTF-8: each record holding some rejected, the cure said once', () => {
  const HINT = 'every record holding such bytes is rejected: if the file is Windows-1252 (as Excel saves it), try --encoding windows-1252';

  it('CSV: one notice (with the file and the first line), then one rejected row per record', async () => {
    const bytes = Buffer.from(windows1252('id,job\n1,CEO\n2,Directeur Général\n3,Ingénieur\n4,CTO\n'));
    for (const sizes of cuttings(19)) {
      const items = await collect(readCsv(decodeChunks(byteChunks(bytes, sizes)), { path: 'leads.csv' }));
      expect(show(items)).toEqual([
        'header@1 ["id","job"] "\\n"',
        'row@2 ["1","CEO"]',
        `notice \`leads.csv\` line 3: bytes that are not valid UTF-8 (at column 14); ${HINT}`,
        'bad@3:14 bytes that are not valid UTF-8 (at column 14)',
        'bad@4:6 bytes that are not valid UTF-8 (at column 6)',
        'row@5 ["4","CTO"]',
      ]);
    }
  });

  it('CSV: a header with such bytes gives the notice; its rows do not give another', async () => {
    const bytes = Buffer.from(windows1252('id,Catégorie\n1,é\n'));
    expect(show(await collect(readCsv(decodeChunks(byteChunks(bytes, () => 3)))))).toEqual([
      `notice line 1: the header has bytes that are not valid UTF-8 (at column 7, shown as \ufffd); ${HINT}`,
      'header@1 ["id","Cat\ufffdgorie"] "\\n"',
      'bad@2:3 bytes that are not valid UTF-8 (at column 3)',
    ]);
  });

  it('read as Windows-1252, the same file has no rejected row', async () => {
    const bytes = Buffer.from(windows1252('id,job\n1,CEO\n2,Directeur Général\n'));
    expect(show(await collect(readCsv(decodeChunks(byteChunks(bytes, () => 4), undefined, 'windows-1252'))))).toEqual([
      'header@1 ["id","job"] "\\n"',
      'row@2 ["1","CEO"]',
      'row@3 ["2","Directeur Général"]',
    ]);
  });

  it('JSON Lines: the notice once, before the first rejected record', async () => {
    const bytes = Buffer.from(windows1252('{"job":"CEO"}\n{"job":"Général"}\n{"job":"Ingénieur"}\n'));
    expect(show(await collect(readJsonLines(decodeChunks(byteChunks(bytes, () => 7)), 'leads.jsonl')))).toEqual([
      'object@1',
      `notice \`leads.jsonl\` line 2: bytes that are not valid UTF-8 (at column 10); ${HINT}`,
      'bad@2:10 bytes that are not valid UTF-8 (at column 10)',
      'bad@3:12 bytes that are not valid UTF-8 (at column 12)',
    ]);
  });
});

/** `text` encoded as Windows-1252 (the characters these tests use). */
function windows1252(value: string): number[] {
  const special: Record<string, number> = { '€': 0x80, '–': 0x96, '’': 0x92 };
  return [...value].map((ch) => {
    const code = special[ch] ?? ch.codePointAt(0) ?? 0;
    if (code > 0xff) throw new Error(`not in Windows-1252: ${ch}`);
    return code;
  });
}
