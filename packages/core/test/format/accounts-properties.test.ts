/**
 * The formatter's contract on account files (issue 17), over random account files
 * (test/support/arbitrary-accounts.ts) and random re-layouts of them: idempotent, the same tree,
 * every comment kept, and spacing never matters. Also: the contextual words stay values outside
 * their constructs, and the semantic diff finds no change between a file and its formatted text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { diffModels } from '../../src/diff/index.js';
import { format } from '../../src/format/format.js';
import { astShape } from '../../src/format/shape.js';
import { parse } from '../../src/syntax/parse.js';
import { arbitraryAccountFileSpec, renderAccountFile } from '../support/arbitrary-accounts.js';
import { scramble } from './support/scramble.js';

const accountFile = arbitraryAccountFileSpec().map(renderAccountFile);

function commentTexts(text: string): string[] {
  return parse(text)
    .ast.comments.map((c) => c.text.trimEnd())
    .sort();
}

function checkContract(text: string): string {
  const before = parse(text);
  expect(before.diagnostics.filter((d) => d.severity === 'error'), `input must parse:\n${text}`).toEqual([]);
  const once = format(text);
  expect(once.internalError, `formatting:\n${text}`).toBeUndefined();
  const after = parse(once.text);
  expect(after.diagnostics, `formatted text must parse:\n${once.text}`).toEqual([]);
  expect(astShape(after.ast)).toEqual(astShape(before.ast));
  expect(commentTexts(once.text)).toEqual(commentTexts(text));
  const twice = format(once.text);
  expect(twice.text, `idempotent:\n${once.text}`).toBe(once.text);
  return once.text;
}

describe('formatter properties on random account files', () => {
  it('idempotent, same tree, every comment kept', () => {
    fc.assert(
      fc.property(accountFile, (text) => {
        checkContract(text);
      }),
      { numRuns: 60, seed: 17 },
    );
  });

  it('holds under random re-layouts, and spacing never matters', () => {
    fc.assert(
      fc.property(accountFile, fc.integer(), (text, seed) => {
        const canonical = format(text).text;
        expect(format(scramble(text, seed, { lines: false })).text).toBe(canonical);
        checkContract(scramble(text, seed));
      }),
      { numRuns: 60, seed: 23 },
    );
  });

  it('finds no change in meaning between a random account file and its formatted text', () => {
    fc.assert(
      fc.property(accountFile, (text) => {
        const before = analyze(text);
        fc.pre(!hasErrors(before.diagnostics));
        expect(diffModels(before.model, analyze(format(text).text).model).changes).toEqual([]);
      }),
      { numRuns: 40, seed: 29 },
    );
  });
});

describe('account words stay values outside their constructs', () => {
  it('formats a file using them as values unchanged', () => {
    const text = 'lead {\n  industry: text\n  contacts: number\n}\n\nwhen industry in [account, contacts, best, sum, average, top, contact] add 1\nwhen contacts >= 2 add 1\n';
    expect(hasErrors(analyze(text).diagnostics)).toBe(false);
    expect(format(text).text).toBe(text);
  });
});
