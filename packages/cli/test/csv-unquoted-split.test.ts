/**
 * Issue 13: a line without quotes is cut into fields between delimiters found in the reader's
 * buffer (csv.ts `quickRecord`, one search per delimiter, the next line's first delimiter
 * reused), not by `split` on a copy of the line. These tests hold that path to an independent
 * reading (lines split at `\r\n`, `\r` or `\n`, then at the delimiter) on seeded whole files
 * read in chunks of every size: empty cells (trailing ones too), one-cell lines and a
 * one-column file (no delimiter at all), spaces at either end of a cell (the row is then not
 * written back as read), CRLF and lone CR line ends split between chunks, a quoted line among
 * them (the full parser's path, also across a chunk boundary inside its quotes), lines of other
 * widths (rejected with their line number) and blank lines (skipped).
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@rubric/core';
import { readCsvBatches } from '../src/input/csv.js';
import type { InputItem } from '../src/input/source.js';
import { chunked } from './support/items.js';

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

async function itemsOf(text: string, size: number, delimiter: string, keepRaw = true): Promise<InputItem[]> {
  const items: InputItem[] = [];
  for await (const batch of readCsvBatches(chunked(text, size), { delimiter, keepRaw })) items.push(...batch);
  return items;
}

/** Cells without quotes or line breaks: empty, spaces at an end, other delimiters, accents. */
const CELLS = ['', '', 'a', 'CEO', ' x', 'y ', ' ', 'é', '12', 'Head of Sales', ';', '\t', ',', 'ü-ß'];

/** What the reader must give for a file of unquoted lines: rows with their line, fields and raw text. */
function expectedItems(lines: readonly string[], breaks: readonly string[], delimiter: string, width: number): unknown[] {
  const out: unknown[] = [];
  let line = 2;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    const fields = text.split(delimiter);
    const blank = fields.every((field) => field.trim() === '');
    if (!blank) {
      if (fields.length !== width) {
        out.push({ kind: 'bad', line, message: `${fields.length} ${fields.length === 1 ? 'field' : 'fields'}, but the header has ${width}` });
      } else {
        const plain = fields.every((field) => field === '' || (!field.startsWith(' ') && !field.endsWith(' ')));
        out.push(plain ? { kind: 'row', line, fields, raw: text } : { kind: 'row', line, fields });
      }
    }
    if (breaks[i] !== '') line += 1;
  }
  return out;
}

function comparable(item: InputItem): unknown {
  if (item.kind === 'bad') return { kind: 'bad', line: item.line, message: item.message };
  if (item.kind === 'row') return item.raw === undefined ? { kind: 'row', line: item.line, fields: [...item.fields] } : { kind: 'row', line: item.line, fields: [...item.fields], raw: item.raw };
  return item;
}

describe('CSV reader: lines without quotes, cut between delimiters', () => {
  it('reads seeded files as splitting each line does, in chunks of every size', async () => {
    const random = seededRandom(1313);
    let rows = 0;
    let rejected = 0;
    let notRaw = 0;
    for (let round = 0; round < 150; round++) {
      const delimiter = pick(random, [',', ';', '\t', '|']);
      const width = pick(random, [1, 1, 2, 3, 6]);
      const header = Array.from({ length: width }, (_, i) => `c${i}`).join(delimiter);
      const lineBreak = pick(random, ['\n', '\r\n', '\r']);
      const lines: string[] = [];
      const breaks: string[] = [];
      const count = 1 + Math.floor(random() * 12);
      for (let r = 0; r < count; r++) {
        const cells = Array.from({ length: width }, () => pick(random, CELLS).replaceAll(delimiter, ''));
        const shape = random();
        if (shape < 0.08) cells.push('extra'); // one field too many
        else if (shape < 0.12 && width > 1) cells.pop(); // one too few
        else if (shape < 0.16) cells.fill(''); // a blank record
        else if (random() < 0.8) cells[0] = `r${r}`;
        lines.push(cells.join(delimiter));
        breaks.push(r === count - 1 ? pick(random, [lineBreak, '']) : lineBreak);
      }
      const text = `${header}${lineBreak}${lines.map((line, i) => line + breaks[i]).join('')}`;
      const expected = expectedItems(lines, breaks, delimiter, width);
      for (const size of [1, 2, 3, 7, 64, 1 << 16]) {
        const items = (await itemsOf(text, size, delimiter)).filter((item) => item.kind !== 'header');
        expect(items.map(comparable), `${JSON.stringify(text)} in chunks of ${size}`).toEqual(expected);
      }
      for (const item of expected as { kind: string; raw?: string }[]) {
        if (item.kind === 'bad') rejected += 1;
        else {
          rows += 1;
          if (item.raw === undefined) notRaw += 1;
        }
      }
    }
    expect(rows).toBeGreaterThan(500);
    expect(rejected).toBeGreaterThan(20);
    expect(notRaw).toBeGreaterThan(50);
  });

  it('gives each row its own cells when a line has no delimiter and the next has many', async () => {
    // The delimiter found while reading the one-cell line's end is the next line's: reused, not missed.
    const text = 'a,b,c\nonly\nx,y,z\n,,w\nlonger line without one\n1,2,\n';
    for (const size of [1, 2, 5, 1 << 16]) {
      const items = (await itemsOf(text, size, ',')).filter((item) => item.kind !== 'header');
      expect(items.map(comparable)).toEqual([
        { kind: 'bad', line: 2, message: '1 field, but the header has 3' },
        { kind: 'row', line: 3, fields: ['x', 'y', 'z'], raw: 'x,y,z' },
        { kind: 'row', line: 4, fields: ['', '', 'w'], raw: ',,w' },
        { kind: 'bad', line: 5, message: '1 field, but the header has 3' },
        { kind: 'row', line: 6, fields: ['1', '2', ''], raw: '1,2,' },
      ]);
    }
  });

  it('reads a one-column file (no delimiter anywhere) line by line', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `lead-${i}`);
    const text = `id\n${lines.join('\n')}\n`;
    for (const size of [3, 4096, 1 << 16]) {
      const items = (await itemsOf(text, size, ',')).filter((item) => item.kind === 'row');
      expect(items).toHaveLength(2000);
      expect(items[1999]).toEqual({ kind: 'row', line: 2001, fields: ['lead-1999'], raw: 'lead-1999' });
    }
  });

  it('keeps a CRLF split between chunks one line end, and a quoted field across a chunk boundary whole', async () => {
    const text = 'id,name,note\r\n1,Ann,a\r\n2,"Smith, Inc","x\r\ny"\r\n3,Bob,\r\n';
    for (let size = 1; size <= text.length; size++) {
      const items = (await itemsOf(text, size, ',')).filter((item) => item.kind !== 'header');
      expect(items.map(comparable), `chunks of ${size}`).toEqual([
        { kind: 'row', line: 2, fields: ['1', 'Ann', 'a'], raw: '1,Ann,a' },
        { kind: 'row', line: 3, fields: ['2', 'Smith, Inc', 'x\r\ny'] },
        { kind: 'row', line: 5, fields: ['3', 'Bob', ''], raw: '3,Bob,' },
      ]);
    }
  });

  it('cuts lines with quotes the same way: whole quoted fields unquoted, others to the full parser', async () => {
    const text = 'a,b,c\n1,"  ",x\n2,"",y\n3,5" screen,z\n4,"a""b",w\n5,"Smith, Inc",v\n6," lead",u\n7,"plain",t\n';
    for (const size of [1, 4, 1 << 16]) {
      const items = (await itemsOf(text, size, ',')).filter((item) => item.kind !== 'header');
      expect(items.map(comparable), `chunks of ${size}`).toEqual([
        // Quoted for its spaces: encoding it again gives the line, so it is written back as read.
        { kind: 'row', line: 2, fields: ['1', '  ', 'x'], raw: '1,"  ",x' },
        { kind: 'row', line: 3, fields: ['2', '', 'y'] },
        { kind: 'row', line: 4, fields: ['3', '5" screen', 'z'] },
        { kind: 'row', line: 5, fields: ['4', 'a"b', 'w'] },
        { kind: 'row', line: 6, fields: ['5', 'Smith, Inc', 'v'] },
        { kind: 'row', line: 7, fields: ['6', ' lead', 'u'], raw: '6," lead",u' },
        { kind: 'row', line: 8, fields: ['7', 'plain', 't'] },
      ]);
    }
  });

  it('reads the events file (no raw text asked for) with the same fields', async () => {
    const text = 'lead_id,type,at\nL1,visit,2026-01-01\nL1,,\nL2,form, 2026-02-01 \n';
    for (const size of [1, 6, 1 << 16]) {
      const items = (await itemsOf(text, size, ',', false)).filter((item) => item.kind !== 'header');
      expect(items.map(comparable)).toEqual([
        { kind: 'row', line: 2, fields: ['L1', 'visit', '2026-01-01'] },
        { kind: 'row', line: 3, fields: ['L1', '', ''] },
        { kind: 'row', line: 4, fields: ['L2', 'form', ' 2026-02-01 '] },
      ]);
    }
  });
});
