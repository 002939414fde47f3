/**
 * The DuckDB fast paths of the SQL target's value reading (values.ts: a canonical integer by a
 * BIGINT round trip, ISO dates of three exact shapes by the TIMESTAMP cast, plain ASCII text
 * folded by lower(), jsTrim leaving plain text alone) against the exact reading they stand in
 * for, on the same engine: every value read both ways must give the same result. The values are
 * chosen at the fast paths' edges (signs, spaces, leading zeros, 15-16 digits, hour 24, year 0,
 * leap days, lower-case `t`/`z`, fractions of 1 to 4 digits) and drawn at random around them.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadDialectIR, ValueType } from '../../packages/core/src/compiler/ir.js';
import { sqlDialect } from '../../packages/core/src/compiler/sql/dialect.js';
import type { SqlColumnFormat } from '../../packages/core/src/compiler/sql/mapping.js';
import { constantColumns, ValueReader } from '../../packages/core/src/compiler/sql/values.js';
import { openDuckdb, type TestEngine } from './support/engines.js';

let duckdb: TestEngine;
beforeAll(async () => {
  duckdb = await openDuckdb();
});
afterAll(async () => {
  await duckdb.close();
});

/** The values read from `values` by one plan, with the fast paths or without. */
async function read(type: ValueType, format: SqlColumnFormat, values: ReadonlyArray<string | null>, fast: boolean, oneOf: readonly string[] = [], dialect?: ReadDialectIR): Promise<unknown[]> {
  const d = sqlDialect('duckdb');
  await duckdb.load({ name: 'fast_cases', columns: [{ name: 'id', kind: 'number' }, { name: 's', kind: 'text' }], rows: values.map((value, i) => [i, value]) });
  const plan = new ValueReader(d, { fastPaths: fast, dialect }).plan('0', { type, format, oneOf }, 'p.s');
  const constants = constantColumns(d, { fold: true, jsTrim: true, numbers: true }, '0').map((c) => `${c.expression} AS ${c.name}`);
  const ctes = [`rubric_constants AS (SELECT ${constants.join(', ')})`, 's0 AS (SELECT t.id, t.s, rc.* FROM fast_cases AS t CROSS JOIN rubric_constants AS rc)'];
  plan.forEach((stage, k) => ctes.push(`s${k + 1} AS (SELECT p.*, ${stage.map((c) => `${c.expression} AS ${c.name}`).join(', ')} FROM s${k} AS p)`));
  // Text as the hex of its UTF-8 bytes (the client would drop a leading U+FEFF).
  const text = type === 'text' || type === 'one-of';
  const rows = await duckdb.query(`WITH ${ctes.join(',\n')} SELECT id, ${text ? 'hex(v0)' : 'v0'} AS v0 FROM s${plan.length} ORDER BY id`);
  return rows.map((row) => (typeof row.v0 === 'bigint' ? Number(row.v0) : row.v0));
}

async function sameBothWays(type: ValueType, format: SqlColumnFormat, values: ReadonlyArray<string | null>, oneOf: readonly string[] = [], dialect?: ReadDialectIR): Promise<void> {
  const fast = await read(type, format, values, true, oneOf, dialect);
  const exact = await read(type, format, values, false, oneOf, dialect);
  const differ = values.map((value, i) => ({ value, fast: fast[i], exact: exact[i] })).filter((c) => c.fast !== c.exact);
  expect(differ, `${type} in ${format}`).toEqual([]);
  // The cases reach both sides: some values read, some not.
  expect(exact.some((v) => v !== null)).toBe(true);
  expect(exact.some((v) => v === null)).toBe(true);
}

const SPACES = ['', ' ', '\t', '\n', '\r', '\u000b', '\u000c', '\u00a0', '\u3000', '\ufeff', '\u2028'];

describe('the DuckDB fast paths read exactly what the exact reading reads', () => {
  const numberCases = [
    '0', '-0', '00', '007', '+5', '-5', '5', ' 5', '5 ', '\t5', '5\u00a0', '1_000', '0x10', '1e3', '1E3', '.5', '5.', '5.0', '12.50',
    '123456789012345', '1234567890123456', '-123456789012345', '9007199254740993', '99999999999999999999', 'inf', 'nan', 'Infinity', '', '-', '+',
    '١٢', '１２', '5-', '--5', '+-5', '5,0',
  ];
  const numberRandom = fc.sample(
    fc.tuple(fc.constantFrom('', '-', '+', ' ', '0', '00'), fc.stringMatching(/^[0-9]{1,17}$/), fc.constantFrom('', '.5', ' ', '\t', 'x', '.', '_1')).map((parts) => parts.join('')),
    { numRuns: 400, seed: 21 },
  );

  it('numbers (csv and text)', async () => {
    for (const format of ['csv', 'text'] as const) await sameBothWays('number', format, [...numberCases, ...numberRandom]);
  });

  const dateCases = [
    '2026-03-01', '2024-02-29', '2026-02-29', '2100-02-29', '2000-02-29', '0000-02-29', '0000-01-01', '0001-01-01', '9999-12-31T23:59:59.999Z',
    '2026-03-01T24:00:00Z', '2026-03-01T23:59:60Z', '2026-03-01T23:60:00Z', '2026-03-01T25:00:00Z', '2026-03-01T09:30:00z', '2026-03-01t09:30:00Z',
    '2026-03-01T09:30:00.1Z', '2026-03-01T09:30:00.12Z', '2026-03-01T09:30:00.123Z', '2026-03-01T09:30:00.1234Z', '2026-03-01T09:30:00+01:00',
    '2026-03-01 09:30:00Z', '2026-03-01 09:30', ' 2026-03-01', '2026-03-01 ', '+026-03-01', '-026-03-01', '2026-3-01', '2026-03-1',
    '2026-13-01', '2026-00-01', '2026-03-00', '2026-03-32', '20260301', '2026/03/01', '2026-03-01T09:30:00.Z', '2026-03-01T9:30:00Z',
    '１９９９-01-01', '1969-12-31T23:59:59.999Z', '',
  ];
  const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
  const dateRandom = fc.sample(
    fc
      .tuple(digits(4), fc.constantFrom('01', '02', '09', '12', '13', '00'), fc.constantFrom('01', '28', '29', '30', '31', '00'), fc.option(fc.tuple(fc.constantFrom('00', '09', '23', '24', '29'), digits(2), digits(2), fc.constantFrom('', '.5', '.123', '.1234'), fc.constantFrom('Z', 'z', '', '+01:00')), { nil: undefined }))
      .map(([y, m, d, time]) => (time === undefined ? `${y}-${m}-${d}` : `${y}-${m}-${d}T${time[0]}:${time[1]}:${time[2]}${time[3]}${time[4]}`)),
    { numRuns: 600, seed: 22 },
  );

  it('ISO dates (csv and text)', async () => {
    for (const format of ['csv', 'text'] as const) await sameBothWays('date', format, [...dateCases, ...dateRandom]);
  });

  // Day-first and month-first dates (issue 14): the fixed-width shapes the TIMESTAMP cast reads.
  const orderedCases = [
    '20/02/2026', '20/02/2026 13:05', '20/02/2026 13:05:09', '20-02-2026T13:05', '20.02.2026 00:00:00', '20/02-2026', '20.02/2026',
    '31/02/2026', '30/04/2026', '31/04/2026', '29/02/2024', '29/02/2025', '29/02/2100', '29/02/2000', '29/02/0000', '01/01/0000',
    '20/02/2026 24:00', '20/02/2026 23:60', '20/02/2026 23:59:60', '20/02/2026 9:30', '20/02/2026t13:05', '20/02/2026  13:05', '20/02/2026 13:05Z',
    '12/13/2026', '13/12/2026', '00/12/2026', '12/00/2026', '1/2/2026', ' 20/02/2026', '20/02/2026 ', '2/20/2026', '02/20/2026 23:59',
    '20/02/26', '20/02/02026', '2026-02-20', '2026-02-20 13:05', '',
  ];
  const orderedRandom = fc.sample(
    fc
      .tuple(fc.constantFrom('01', '09', '12', '13', '28', '29', '30', '31', '00', '1'), fc.constantFrom('01', '02', '04', '12', '13', '00', '2'), fc.constantFrom('/', '-', '.'), fc.constantFrom('/', '-', '.'), digits(4), fc.option(fc.tuple(fc.constantFrom(' ', 'T', 't'), fc.constantFrom('00', '09', '23', '24'), fc.constantFrom('00', '59', '60'), fc.constantFrom('', ':00', ':59', ':60')), { nil: undefined }))
      .map(([a, b, s1, s2, y, time]) => `${a}${s1}${b}${s2}${y}${time === undefined ? '' : `${time[0]}${time[1]}:${time[2]}${time[3]}`}`),
    { numRuns: 600, seed: 23 },
  );

  it('day-first and month-first dates (csv and text)', async () => {
    for (const dates of ['day-first', 'month-first'] as const) {
      const dialect: ReadDialectIR = { numbers: 'plain', dates, trueWords: [], falseWords: [] };
      for (const format of ['csv', 'text'] as const) await sameBothWays('date', format, [...orderedCases, ...orderedRandom], [], dialect);
    }
  });

  const words = ['acme', 'ACME', 'Acme Corp', 'société', 'ÉCOLE', 'x', '!', '~', 'a b', 'ﬁ', 'ǅ', 'İstanbul', 'ß', '1', 'yes', 'No', 'TRUE', 'oui'];
  const textCases: Array<string | null> = [...words, '', ' ', '\t\t', '\u00a0', null];
  for (const word of words.slice(0, 6)) for (const space of SPACES) textCases.push(`${space}${word}`, `${word}${space}`);
  // Control characters and DEL at either end (not white space: kept by trimming; the fast test's
  // last-character comparison sends them to the exact reading), and one-character texts.
  for (const end of ['\u0001', '\u001f', '\u007f', '\u0085', '\u0020\u0001']) textCases.push(`${end}acme`, `ACME${end}`, end);

  it('text, one-of and bool through folding (csv and text)', async () => {
    for (const format of ['csv', 'text'] as const) {
      await sameBothWays('text', format, textCases);
      await sameBothWays('one-of', format, textCases, ['acme', 'societe', 'ecole', 'x']);
      await sameBothWays('bool', format, textCases);
    }
  });
});
