import { describe, expect, it } from 'vitest';
import type { ScoreResult } from '@rubric/core';
import { accountLineEncoder } from '../src/output/account-lines.js';
import { csvCell, encodeCsvLine } from '../src/output/writers.js';

// The accounts output's fast line (no `why`) must give the generic writer's bytes.
const generic = (delimiter: string, groups: readonly string[], lineBreak: string, key: string, result: ScoreResult, contacts: number): string =>
  encodeCsvLine([key, result.score, result.stage, result.tier, ...groups.map((group) => result.groups[group] ?? 0), contacts].map(csvCell), delimiter, lineBreak);

const KEYS = ['ACC-1', ' padded', 'trailing ', 'a,b', 'a;b', 'say "hi"', 'two\nlines', 'cr\r', '', '1.5', '-2', '__proto__', "'); drop table accounts; --", '${x}', 'Infinity'];
const NUMBERS = [0, -0, 12.5, -0.05, 1e21, 1234567.89, -17, 100];
const NAMES = [null, 'buying', 'a,b', 'with "quotes"', ' spaced', 'mql;2'];
const DELIMITERS = [',', ';', '\t', '|', '.', '-', '0', 'e', 'ab', ', '];

function randomOf<T>(values: readonly T[], seed: number): T {
  return values[seed % values.length];
}

describe('accountLineEncoder', () => {
  it('writes what encodeCsvLine writes, for every delimiter, key, number and name', () => {
    let checked = 0;
    for (const delimiter of DELIMITERS) {
      for (const lineBreak of ['\n', '\r\n']) {
        const groups = ['fit', 'intent', '__proto__'];
        const line = accountLineEncoder(delimiter, groups, lineBreak);
        for (let i = 0; i < 400; i++) {
          const key = randomOf(KEYS, i * 7 + 3);
          const result: ScoreResult = {
            score: randomOf(NUMBERS, i * 5 + 1),
            stage: randomOf(NAMES, i * 3),
            tier: randomOf(NAMES, i * 11 + 2),
            groups: i % 9 === 0 ? { fit: 1 } : { fit: randomOf(NUMBERS, i), intent: randomOf(NUMBERS, i * 13 + 5) },
          };
          const contacts = i % 4;
          expect(line(key, result, contacts)).toBe(generic(delimiter, groups, lineBreak, key, result, contacts));
          checked += 1;
        }
      }
    }
    expect(checked).toBe(DELIMITERS.length * 2 * 400);
  });

  it('quotes a number only when the delimiter can occur in it', () => {
    const result: ScoreResult = { score: 12.5, stage: null, tier: null, groups: {} };
    expect(accountLineEncoder(',', [], '\n')('k', result, 3)).toBe('k,12.5,,,3\n');
    expect(accountLineEncoder('.', [], '\n')('k', result, 3)).toBe('k."12.5"...3\n');
  });
});
