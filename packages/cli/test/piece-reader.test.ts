/**
 * The cuts of `rubric score --threads` (parallel/piece-reader.ts): on well-formed CSV (quoted
 * line breaks, doubled quotes, literal quotes inside unquoted fields, CRLF), every piece but the
 * last ends where a record ends, as the CSV reader reads the whole text; the pieces put together
 * are the text, whatever the chunks it came in; and a text with broken quoting is still given
 * whole, in pieces near the size asked for.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@rubric/core';
import { lineBreaksIn, readCsvBatches, type CsvPieceEnd } from '../src/input/csv.js';
import { PieceReader, pieceText, type TextPiece } from '../src/parallel/piece-reader.js';
import { defaultThreads, quotaCpus } from '../src/parallel/worker-pool.js';
import { chunked } from './support/items.js';

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** A well-formed field: plain (a literal `"` allowed inside), or quoted with what needs quotes. */
function field(random: () => number, delimiter: string, eol: string): string {
  const roll = random();
  if (roll < 0.5) return pick(random, ['CEO', 'v1', '', '12', 'é', '5" screen', 'a"b"c', '😀']);
  const inside = pick(random, ['x', `line${eol}break`, 'say ""hi""', `a${delimiter}b`, '""', '', `${eol}${eol}`, '"" ""']);
  return `"${inside}"`;
}

function wellFormedCsv(random: () => number, delimiter: string, eol: string, rows: number): string {
  const lines = ['id,job,note,size'.replaceAll(',', delimiter)];
  for (let r = 0; r < rows; r++) lines.push([`L${r}`, field(random, delimiter, eol), field(random, delimiter, eol), field(random, delimiter, eol)].join(delimiter));
  return lines.join(eol) + (random() < 0.5 ? eol : '');
}

async function piecesOf(text: string, chunkSize: number, size: number, delimiter: string | undefined): Promise<TextPiece[]> {
  const reader = new PieceReader(chunked(text, chunkSize)[Symbol.asyncIterator]());
  if (delimiter !== undefined) reader.setDelimiter(delimiter);
  const pieces: TextPiece[] = [];
  for (let piece = await reader.next(size); piece !== undefined; piece = await reader.next(size)) pieces.push(piece);
  return pieces;
}

/** Where the CSV reader stops in `text` read as a piece (`rest` 0: it ends between two records). */
async function readerEnd(text: string, delimiter: string): Promise<CsvPieceEnd> {
  let end: CsvPieceEnd | undefined;
  async function* one(): AsyncGenerator<string> {
    yield text;
  }
  for await (const _batch of readCsvBatches(one(), { delimiter, onPieceEnd: (pieceEnd) => (end = pieceEnd) }));
  if (end === undefined) throw new Error('no piece end');
  return end;
}

describe('PieceReader: pieces of whole records', () => {
  it('cuts well-formed CSV only between records, for any chunks and piece size', async () => {
    const random = seededRandom(777);
    let cuts = 0;
    for (let round = 0; round < 60; round++) {
      const delimiter = pick(random, [',', ';', '\t']);
      const eol = pick(random, ['\n', '\r\n']);
      const text = wellFormedCsv(random, delimiter, eol, 5 + Math.floor(random() * 40));
      const pieces = await piecesOf(text, 1 + Math.floor(random() * 90), 1 + Math.floor(random() * 200), delimiter);
      expect(pieces.map((piece) => pieceText(piece.chunks)).join('')).toBe(text);
      // Only the last piece may say so (one that ends where the text does may not know it yet).
      expect(pieces.slice(0, -1).some((piece) => piece.last)).toBe(false);
      let offset = 0;
      for (const piece of pieces.slice(0, -1)) {
        offset += piece.units;
        const end = await readerEnd(text.slice(0, offset), delimiter);
        expect({ round, offset, rest: end.rest }).toEqual({ round, offset, rest: 0 });
        expect(end.line).toBe(1 + lineBreaksIn([text.slice(0, offset)]));
        cuts += 1;
      }
    }
    expect(cuts).toBeGreaterThan(200);
  });

  it('counts a CRLF split between two chunks as one line break', () => {
    expect(lineBreaksIn(['a\r', '\nb\r', 'c\n'])).toBe(3);
    expect(lineBreaksIn(['a\r\n'])).toBe(1);
    expect(lineBreaksIn(['\r', '\r', '\n'])).toBe(2);
  });

  it('gives a text with broken quoting whole, in pieces of about the size asked', async () => {
    const random = seededRandom(99);
    for (let round = 0; round < 40; round++) {
      let text = '';
      for (let i = 0; i < 200; i++) text += pick(random, ['a', ',', '"', '\n', '\r\n', '"x"y', ',"open', 'b""c']);
      const size = 5 + Math.floor(random() * 50);
      const pieces = await piecesOf(text, 1 + Math.floor(random() * 30), size, pick(random, [',', undefined]));
      expect(pieces.map((piece) => pieceText(piece.chunks)).join('')).toBe(text);
      // A piece with no boundary in it is cut at 8 sizes (past the last chunk read then).
      for (const piece of pieces) expect(piece.units).toBeLessThanOrEqual(8 * size + 30);
    }
  });

  it('puts text back before what is left, as the start of a record', async () => {
    const reader = new PieceReader(chunked('c,"d\ne"\nf,g\n', 4)[Symbol.asyncIterator]());
    reader.setDelimiter(',');
    reader.unread('a,b\n');
    const first = await reader.next(6);
    expect(first !== undefined && pieceText(first.chunks)).toBe('a,b\n');
    const second = await reader.next(6);
    expect(second !== undefined && pieceText(second.chunks)).toBe('c,"d\ne"\n');
  });
});

describe('--threads by default', () => {
  it('reads a container CPU quota as whole CPUs', () => {
    expect(quotaCpus('max 100000\n')).toBeUndefined();
    expect(quotaCpus('200000 100000\n')).toBe(2);
    expect(quotaCpus('150000 100000')).toBe(2);
    expect(quotaCpus('50000 100000')).toBe(1);
    expect(quotaCpus('-1 100000')).toBeUndefined();
    expect(quotaCpus('')).toBeUndefined();
    expect(quotaCpus('12 abc')).toBeUndefined();
  });

  it('is from 1 to 8', () => {
    expect(defaultThreads()).toBeGreaterThanOrEqual(1);
    expect(defaultThreads()).toBeLessThanOrEqual(8);
  });
});
