/**
 * The CSV reader splits a one-line record that holds quotes at its delimiters and unquotes its
 * whole quoted fields (`unquoteWholeFields`), leaving every other quoted line to the full
 * parser; its text is written back as read when encoding its fields again gives it. These tests hold both paths to an independent reading of one line: seeded lines of
 * whole quoted fields, doubled quotes, delimiters inside quotes, quotes inside unquoted fields
 * and text after a closing quote, in chunks of every size.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@rubric/core';
import { readCsvBatches, unquoteWholeFields } from '../src/input/csv.js';
import type { InputItem } from '../src/input/source.js';
import { encodeCsvLine } from '../src/output/writers.js';
import { chunked } from './support/items.js';

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/**
 * The fields of one complete line (no line break in it) as RFC 4180 reads them, a field not
 * starting with `"` taken as written; undefined when a quote is not closed or text follows a
 * closing quote.
 */
function referenceFields(line: string, delimiter: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= line.length) return undefined;
        if (line[j] === '"') {
          if (line[j + 1] === '"') {
            value += '"';
            j += 2;
            continue;
          }
          break;
        }
        value += line[j];
        j += 1;
      }
      fields.push(value);
      i = j + 1;
      if (i === line.length) return fields;
      if (line[i] !== delimiter) return undefined;
      i += 1;
      continue;
    }
    const stop = line.indexOf(delimiter, i);
    fields.push(line.slice(i, stop === -1 ? line.length : stop));
    if (stop === -1) return fields;
    i = stop + 1;
  }
}

/** Pieces of a cell: quotes in every position, the delimiters, spaces and ordinary text. */
const PIECES = ['a', 'CEO', ' ', '"', '""', ',', ';', '\t', 'x"y', 'é', '1', ''];

function randomCell(random: () => number, delimiter: string): string {
  let cell = '';
  const count = Math.floor(random() * 3);
  for (let i = 0; i < count; i++) cell += pick(random, PIECES);
  const shape = random();
  // Well quoted (quotes doubled), quoted as is (maybe broken), text after the closing quote, or as written.
  if (shape < 0.35) return `"${cell.replaceAll('"', '""')}"`;
  if (shape < 0.45) return `"${cell}"`;
  if (shape < 0.5) return `"${cell}"${pick(random, [' ', 'x', '"'])}`;
  return cell.startsWith(delimiter) ? cell.slice(1) : cell;
}

async function itemsOf(text: string, size: number, delimiter: string): Promise<InputItem[]> {
  const items: InputItem[] = [];
  for await (const batch of readCsvBatches(chunked(text, size), { delimiter, keepRaw: true })) items.push(...batch);
  return items;
}

describe('CSV reader: lines with quotes', () => {
  it('reads each one-line record as the reference does (seeded lines, delimiters and chunk sizes)', async () => {
    const random = seededRandom(2026);
    let rows = 0;
    let bad = 0;
    let written = 0;
    for (let round = 0; round < 300; round++) {
      const delimiter = pick(random, [',', ';', '\t']);
      const width = 1 + Math.floor(random() * 4);
      const header = Array.from({ length: width }, (_, i) => `c${i}`);
      const lines: string[] = [];
      for (let r = 0; r < 8; r++) {
        // A first cell that is never blank, so no row is a blank record (skipped, not read).
        lines.push([`r${r}`, ...Array.from({ length: width - 1 }, () => randomCell(random, delimiter))].join(delimiter));
      }
      for (const line of lines) {
        // One line per file: a quote left open makes the rest of a file one record.
        const text = `${header.join(delimiter)}\n${line}${pick(random, ['\n', '\r\n', ''])}`;
        const items = (await itemsOf(text, pick(random, [1, 5, 64, 1 << 16]), delimiter)).filter((item) => item.kind !== 'header');
        expect(items, line).toHaveLength(1);
        const item = items[0];
        const fields = referenceFields(line, delimiter);
        if (fields === undefined || fields.length !== width) {
          expect(item.kind, line).toBe('bad');
          bad += 1;
        } else {
          expect(item, line).toMatchObject({ kind: 'row', line: 2, fields });
          const raw = item.kind === 'row' ? item.raw : undefined;
          const writesBack = encodeCsvLine(fields, delimiter) === `${line}\n`;
          // Written back as read only when encoding its fields again gives the line, and always
          // then when no field holds a quote or the delimiter (every quote is a whole field's).
          if (raw !== undefined) expect(raw, line).toBe(line);
          if (raw !== undefined || fields.every((field) => !field.includes('"') && !field.includes(delimiter))) expect(raw !== undefined, line).toBe(writesBack);
          if (raw !== undefined && line.includes('"')) written += 1;
          rows += 1;
        }
      }
    }
    // Both outcomes were exercised.
    expect(rows).toBeGreaterThan(300);
    expect(bad).toBeGreaterThan(300);
    expect(written).toBeGreaterThan(20);
  });

  it('unquoteWholeFields unquotes whole quoted fields only', () => {
    const pieces = ['"a"', 'b"c', '""', 'd', '"e f"'];
    expect(unquoteWholeFields(pieces)).toBe(true);
    expect(pieces).toEqual(['a', 'b"c', '', 'd', 'e f']);
    for (const piece of ['"', '"a""b"', '"a" ', '"a', '"""']) expect(unquoteWholeFields([piece]), piece).toBe(false);
  });
});
