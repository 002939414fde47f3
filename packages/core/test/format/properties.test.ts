/**
 * The formatter's contract as properties, over every example file and over random files
 * (test/support/arbitrary.ts), each also re-laid out at random (./support/scramble.ts):
 * formatting is idempotent, keeps the tree (without positions and quote styles), keeps every
 * comment, and two layouts of one file that differ only in spacing and quotes format the same.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { format } from '../../src/format/format.js';
import { astShape } from '../../src/format/shape.js';
import { parse } from '../../src/syntax/parse.js';
import { arbitraryRuleFile } from '../support/arbitrary.js';
import { scramble } from './support/scramble.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

function exampleFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.rubric')) found.push(full);
    }
  };
  walk(path.join(root, 'examples'));
  return found.sort();
}

function commentTexts(text: string): string[] {
  return parse(text)
    .ast.comments.map((c) => c.text.trimEnd())
    .sort();
}

/** Asserts the formatter's contract on one valid text; returns the formatted text. */
function checkContract(text: string): string {
  const before = parse(text);
  expect(before.diagnostics.filter((d) => d.severity === 'error'), `input must parse:\n${text}`).toEqual([]);
  const once = format(text);
  expect(once.internalError, `formatting:\n${text}`).toBeUndefined();
  expect(once.diagnostics).toEqual([]);
  const after = parse(once.text);
  expect(after.diagnostics, `formatted text must parse:\n${once.text}`).toEqual([]);
  expect(astShape(after.ast), `same tree after formatting:\n${text}\n---\n${once.text}`).toEqual(astShape(before.ast));
  expect(commentTexts(once.text)).toEqual(commentTexts(text));
  const twice = format(once.text);
  expect(twice.text, `idempotent:\n${once.text}`).toBe(once.text);
  expect(twice.changed).toBe(false);
  return once.text;
}

describe('formatter properties on the examples', () => {
  const files = exampleFiles();

  it('finds example files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const name = path.relative(root, file);
    it(`${name}: idempotent, same tree, every comment kept`, () => {
      checkContract(readFileSync(file, 'utf8'));
    });

    it(`${name}: the same under random re-layouts`, () => {
      const text = readFileSync(file, 'utf8');
      const canonical = format(text).text;
      fc.assert(
        fc.property(fc.integer(), (seed) => {
          // Spacing and quotes only: formats to exactly the same text.
          expect(format(scramble(text, seed, { lines: false })).text).toBe(canonical);
          // Lines, blank lines, `;`, comments: the contract holds.
          checkContract(scramble(text, seed));
        }),
        { numRuns: 10, seed: 42 },
      );
    });
  }
});

describe('formatter properties on random files', () => {
  it('idempotent, same tree, every comment kept', () => {
    fc.assert(
      fc.property(arbitraryRuleFile(), ({ text }) => {
        checkContract(text);
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('holds under random re-layouts, and spacing never matters', () => {
    fc.assert(
      fc.property(arbitraryRuleFile(), fc.integer(), ({ text }, seed) => {
        const canonical = format(text).text;
        expect(format(scramble(text, seed, { lines: false })).text).toBe(canonical);
        checkContract(scramble(text, seed));
      }),
      { numRuns: 60, seed: 11 },
    );
  });
});
