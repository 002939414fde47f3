/**
 * The formatter's contract on the data dialect, over random `data` blocks and fields with `from`
 * and `missing` in either order (re-laid out at random with ./support/scramble.ts): formatting is
 * idempotent, keeps the tree and every comment, prints `from` before `missing`, one setting per
 * line, and the words of a setting one space apart.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { format } from '../../src/format/format.js';
import { astShape } from '../../src/format/shape.js';
import { parse } from '../../src/syntax/parse.js';
import { scramble } from './support/scramble.js';

const WORDS = ['inconnu', 'oui', 'non', 'no', 'yes', 'true', 'missing', 'data', 'Vrai', 'n', 'o'];
const STRINGS = ['"N/A"', '"-"', "'?'", '"n/c"', '"0000000000"', '"non renseigné"', '"(not set)"', '""'];

const item = fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom(...STRINGS), fc.constantFrom('0', '1', '-1', '2026-01-01'));
const list = fc.array(item, { maxLength: 4 }).map((items) => `[${items.join(', ')}]`);
const column = fc.constantFrom('"Job Title"', "'Téléphone'", '"Chiffre d\'affaires (M€)"', '"a\\"b"', '"x"');

const field = fc
  .record({
    name: fc.constantFrom('job', 'phone', 'company.size', 'data', '`Lead Source`', 'created_at'),
    type: fc.constantFrom('text', 'number', 'bool', 'date', 'list of text', 'one of [a, "b c"]'),
    from: fc.option(column, { nil: undefined }),
    missing: fc.option(list, { nil: undefined }),
    missingFirst: fc.boolean(),
  })
  .map(({ name, type, from, missing, missingFirst }) => {
    const parts = [from === undefined ? '' : `from ${from}`, missing === undefined ? '' : `missing ${missing}`];
    if (missingFirst) parts.reverse();
    return `${name}: ${type} ${parts.filter((p) => p !== '').join(' ')}`.trimEnd();
  });

const setting = fc.oneof(
  fc.tuple(fc.constantFrom('missing', 'true', 'false', 'colour'), list).map(([name, value]) => `${name}: ${value}`),
  fc.tuple(fc.constantFrom('numbers', 'dates', 'nope'), fc.constantFrom('plain', 'decimal comma', 'decimal  point', 'iso', 'day first', 'month   first', 'x y z')).map(([name, value]) => `${name}: ${value}`),
);

const file = fc
  .record({
    fields: fc.uniqueArray(field, { minLength: 1, maxLength: 4, selector: (f) => f.split(':')[0] }),
    settings: fc.array(setting, { maxLength: 5 }),
    separator: fc.constantFrom('\n  ', ', ', '; '),
    oneLine: fc.boolean(),
    comment: fc.boolean(),
  })
  .map(({ fields, settings, separator, oneLine, comment }) => {
    const body = settings.join(oneLine ? separator : '\n  ');
    const data = oneLine ? `data { ${body} }` : `data {\n  ${comment ? '# how the export writes values\n  ' : ''}${body}\n}`;
    return `lead {\n  ${fields.join('\n  ')}\n}\nevent visit { url: text from "Page URL" missing ["(not set)"] }\n${data}\nwhen data = x add 1\n`;
  });

function commentTexts(text: string): string[] {
  return parse(text)
    .ast.comments.map((c) => c.text.trimEnd())
    .sort();
}

function checkContract(text: string): string {
  const before = parse(text);
  expect(before.diagnostics, `input must parse:\n${text}`).toEqual([]);
  const once = format(text);
  expect(once.internalError, `formatting:\n${text}`).toBeUndefined();
  const after = parse(once.text);
  expect(after.diagnostics, `formatted text must parse:\n${once.text}`).toEqual([]);
  expect(astShape(after.ast)).toEqual(astShape(before.ast));
  expect(commentTexts(once.text)).toEqual(commentTexts(text));
  expect(format(once.text).text, `idempotent:\n${once.text}`).toBe(once.text);
  return once.text;
}

describe('formatter properties on the data dialect', () => {
  it('idempotent, same tree, every comment kept; from before missing; one setting per line', () => {
    fc.assert(
      fc.property(file, (text) => {
        const out = checkContract(text);
        for (const line of out.split('\n')) {
          const from = line.indexOf(' from ');
          const missing = line.indexOf(' missing [');
          if (from >= 0 && missing >= 0) expect(from, line).toBeLessThan(missing);
          expect(line, 'words one space apart').not.toMatch(/: \w+ {2,}\w/);
        }
        const data = out.slice(out.indexOf('data {'), out.indexOf('}', out.indexOf('data {')) + 1);
        const decl = parse(text).ast.statements.find((s) => s.kind === 'DataDecl');
        const settings = decl?.kind === 'DataDecl' ? decl.settings.length : 0;
        const comment = data.includes('#') ? 1 : 0;
        expect(data.split('\n').length, data).toBe(settings + comment === 0 ? 1 : settings + 2 + comment);
      }),
      { numRuns: 200, seed: 1414 },
    );
  });

  it('holds under random re-layouts, and spacing never matters', () => {
    fc.assert(
      fc.property(file, fc.integer(), (text, seed) => {
        const canonical = format(text).text;
        expect(format(scramble(text, seed, { lines: false })).text).toBe(canonical);
        checkContract(scramble(text, seed));
      }),
      { numRuns: 150, seed: 15 },
    );
  });
});
