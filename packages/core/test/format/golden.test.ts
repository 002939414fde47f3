/**
 * Formatter golden pairs: `golden/NAME.before.rubric` formats to `golden/NAME.after.rubric`, and
 * the `after` file is a fixed point. Regenerate after an intended layout change with
 * `UPDATE_GOLDEN=1 npx vitest run packages/core/test/format` and review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { format } from '../../src/format/format.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

describe('formatter golden files', () => {
  const cases = readdirSync(dir)
    .filter((name) => name.endsWith('.before.rubric'))
    .map((name) => name.slice(0, -'.before.rubric'.length))
    .sort();

  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(5);
  });

  for (const name of cases) {
    it(name, () => {
      const before = readFileSync(path.join(dir, `${name}.before.rubric`), 'utf8');
      const afterPath = path.join(dir, `${name}.after.rubric`);
      const result = format(before);
      expect(result.diagnostics).toEqual([]);
      expect(result.internalError).toBeUndefined();
      if (update) writeFileSync(afterPath, result.text);
      expect(existsSync(afterPath), `missing ${afterPath}: run with UPDATE_GOLDEN=1`).toBe(true);
      const expected = readFileSync(afterPath, 'utf8');
      expect(result.text).toBe(expected);
      expect(result.changed).toBe(before !== expected);
      const again = format(expected);
      expect(again.text).toBe(expected);
      expect(again.changed).toBe(false);
    });
  }
});
