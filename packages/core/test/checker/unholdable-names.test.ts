/**
 * Names that no file can hold (fuzz seed 20261207): a JavaScript string, unlike a file, can carry
 * half of a surrogate pair, and a name in backticks or a `from` string can carry a NUL. Such a
 * name reached the SQL target, which cannot write it as an identifier, and `emitSql` threw on a
 * file that had checked clean. Each is now an error where it is written (R002 for a name in
 * backticks, R045 for a `from` column); the same characters in values stay allowed (the SQL
 * target leaves out the values no database can hold).
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/compile.js';
import { emitSql } from '../../src/compiler/sql/emit-sql.js';

const LONE = '\udc00';
const NUL = '\u0000';

/** The file's error diagnostics as `CODE line:column`. */
function errorsOf(text: string): string[] {
  return compile(text)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.code} ${d.range.start.line}:${d.range.start.column}`);
}

const REJECTED: ReadonlyArray<readonly [string, string, readonly string[]]> = [
  ['a field in backticks', `lead { \`x${LONE}\`: text }\nwhen \`x${LONE}\` is set add 3`, ['R002 1:8', 'R002 2:6']],
  ['a field with a NUL', `lead { \`x${NUL}\`: text }\nwhen \`x${NUL}\` is set add 3`, ['R002 1:8', 'R002 2:6']],
  ['a `from` column', `lead { created_at: date from "${LONE}" }\nwhen created_at = 0 days ago add 3`, ['R045 1:30']],
  ['a `from` column with a NUL', `lead { created_at: date from "a${NUL}b" }\nwhen created_at = 0 days ago add 3`, ['R045 1:30']],
  ['an event', `lead { job: text }\nevent \`v${LONE}\` { url: text }\nwhen any \`v${LONE}\` add 3`, ['R002 2:7', 'R002 3:10']],
  ['an event property', `lead { job: text }\nevent v { \`u${LONE}\`: text }\nwhen any v where \`u${LONE}\` = "x" add 3`, ['R002 2:11', 'R002 3:18']],
  ['an event property `from`', `lead { job: text }\nevent v { url: text from "u${LONE}" }\nwhen any v where url = "x" add 3`, ['R045 2:26']],
  ['a group', `lead { job: text }\ngroup \`g${LONE}\` max 10 { when job = ceo add 3 }`, ['R002 2:7']],
  ['a stage', `lead { job: text }\nwhen job = ceo add 3\nstage \`s${LONE}\` at 1`, ['R002 3:7']],
  ['a tier', `lead { job: text }\nwhen job = ceo add 3\ntier \`t${LONE}\` when score >= 1`, ['R002 3:6']],
  [
    'an account field',
    `lead { job: text\n  company.id: text }\naccount id = company.id { id: text\n  \`e${LONE}\`: number }\nwhen account.\`e${LONE}\` > 3 add 3`,
    ['R002 4:3', 'R002 5:14'],
  ],
];

describe('names no file can hold', () => {
  it.each(REJECTED)('%s is an error where it is written', (_what, text, expected) => {
    expect(errorsOf(text)).toEqual(expected);
  });

  it('says what is wrong without writing the character itself', () => {
    const [diagnostic] = compile(`lead { created_at: date from "a${LONE}" }\nwhen created_at = 0 days ago add 3`).diagnostics;
    expect(diagnostic.message).toBe('the column `a\\u{DC00}` of `created_at` is not valid Unicode text (it holds half of a surrogate pair), which no file, CSV header or SQL column can hold');
    expect(diagnostic.message).not.toMatch(/[\ud800-\udfff]/);
  });

  it.each([
    ['a label', `lead { job: text }\nwhen job = ceo add 3 "l${LONE}"`],
    ['a list value', `lead { job: text }\nwhen job in [ceo, "x${LONE}"] add 3`],
    ['a `missing` value', `lead { job: text }\ndata { missing: ["n${LONE}", "z${NUL}"] }\nwhen job = ceo add 3`],
  ])('in %s the character stays allowed, and both SQL dialects are written', (_what, text) => {
    const { diagnostics, scorer } = compile(text);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(scorer).not.toBeNull();
    for (const dialect of ['duckdb', 'postgres'] as const) {
      expect(() => emitSql(scorer!.ir, { dialect, now: '2026-03-01T00:00:00Z', explain: true })).not.toThrow();
    }
  });
});
