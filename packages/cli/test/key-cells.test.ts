/**
 * The table `rubric score --accounts` finds each contact's account key cell in (issue 17): every
 * cell set is found again with what it names, nothing else is, whatever the cell (short, long,
 * empty, non-Latin, lone surrogates, cells that differ in one unit or share a hash), across its
 * growth; a Map holding the same cells is the reference.
 */
import { describe, expect, it } from 'vitest';
import { KeyCellTable, type KeyCellValue } from '../src/accounts/key-cells.js';

/** A deterministic generator (no Math.random: a failure replays). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const ALPHABET = ['A', 'C', '-', '0', '1', '9', 'é', 'ß', '会', '社', '\u{1F600}', ' ', '"', '\uD800', '\uDC00', '\u0000'];

function cellOf(random: () => number): string {
  const length = Math.floor(random() * 30);
  let cell = '';
  for (let i = 0; i < length; i++) cell += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return cell;
}

describe('KeyCellTable', () => {
  it('finds every cell set, with what it names, and no other, as a Map does (50,000 random cells, growth included)', () => {
    const random = lcg(17);
    const table = new KeyCellTable(1_000_000);
    const reference = new Map<string, KeyCellValue>();
    for (let i = 0; i < 50_000; i++) {
      const cell = cellOf(random);
      expect(table.get(cell)).toBe(reference.get(cell));
      if (reference.has(cell)) continue;
      const kind = random();
      const value: KeyCellValue = kind < 0.8 ? Math.floor(random() * 2_000_000) : kind < 0.9 ? `key ${cell}` : null;
      table.set(cell, value);
      reference.set(cell, value);
    }
    expect(table.size).toBe(reference.size);
    for (const [cell, value] of reference) expect(table.get(cell)).toBe(value);
    // Cells one unit away from one set are not found.
    for (const cell of [...reference.keys()].slice(0, 2_000)) {
      for (const other of [`${cell}0`, cell.slice(1), `0${cell}`, cell.length > 0 ? `${cell.slice(0, -1)}\u0001` : '\u0001']) {
        expect(table.get(other)).toBe(reference.get(other));
      }
    }
  });

  it('tells apart CRM ids that differ in their last unit, the empty cell and a cell of NUL units', () => {
    const table = new KeyCellTable(100);
    const ids = ['ACC-000001', 'ACC-000002', '0011t00000ABCDEFAA', '0011t00000ABCDEFAB', '0011t00000ABCDEFAAA', '', '\u0000', '\u0000\u0000'];
    ids.forEach((id, i) => table.set(id, i));
    ids.forEach((id, i) => expect(table.get(id), JSON.stringify(id)).toBe(i));
    expect(table.get('ACC-000003')).toBeUndefined();
    expect(table.get('0011t00000ABCDEFA')).toBeUndefined();
  });

  it('tells apart cells that all share one hash, unit by unit, in the slot and beside it (longer than 18 units)', () => {
    const table = new KeyCellTable(1_000, () => 7);
    const cells: string[] = [];
    for (const base of ['ACC-000123', '0011t00000ABCDEFAAXYZ']) {
      // The cell, and each one unit changed (odd and even positions), and one unit longer or shorter.
      cells.push(base, `${base}0`, base.slice(0, -1));
      for (let i = 0; i < base.length; i++) cells.push(`${base.slice(0, i)}#${base.slice(i + 1)}`);
    }
    cells.forEach((cell, i) => {
      expect(table.get(cell), cell).toBeUndefined();
      table.set(cell, i);
    });
    cells.forEach((cell, i) => expect(table.get(cell), cell).toBe(i));
    expect(table.get('ACC-000124')).toBeUndefined();
  });

  it('keeps at most `max` cells (the caller computes the others each time)', () => {
    const table = new KeyCellTable(3);
    for (const cell of ['a', 'b', 'c', 'd']) table.set(cell, cell.charCodeAt(0));
    expect(table.size).toBe(3);
    expect(table.get('c')).toBe(99);
    expect(table.get('d')).toBeUndefined();
  });

  it('refuses an account number that is not a whole number from 0', () => {
    const table = new KeyCellTable(10);
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 31]) expect(() => table.set(`x${bad}`, bad)).toThrow(RangeError);
  });
});
