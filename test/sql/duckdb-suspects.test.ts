/**
 * The DuckDB query that finds the values of the wrong type (`emitDuckdbSuspects`, used by
 * `rubric score --engine duckdb`) against the JavaScript scorer's `validate`: on seeded random
 * values of every type, as CSV cells (passed to the scorer as they are, as `rubric score` does) and as JSON values,
 * every value the scorer reports is in a suspect row (the query may return more; the engine then
 * asks the scorer about those rows only), and every plain value passes the quick test.
 */
import { compile, emitDuckdbSuspects, type LeadEvent, type SqlSuspectValue } from '@rubric/core';
import { describe, expect, it } from 'vitest';

const duckdbLoads = await import('@duckdb/node-api').then(
  () => true,
  () => false,
);

const RULES = `lead {
  n: number
  b: bool
  d: date
  t: text
  o: one of [free, pro, "Très bien"]
  l: list of text
}
event visit { at_page: text }
when n > 1 add 1
`;

const PIECES = [
  '', ' ', '\t', '\u00a0', '\u3000', '+', '-', '.', '0', '1', '12', '2026', '-02', '-29', '-30', '-13', '-01', 'T', ' ', '10:00', ':59', ':60', '.5', '.1234567891', 'Z', '+01:00', '+0100', '+24',
  'e5', 'x', 'yes', 'NO', 'True', 'free', 'PRO', 'pró', 'Très bien', 'TRÈS BIEN', ';', '|', '9'.repeat(310), '😀',
];

describe.skipIf(!duckdbLoads)('the DuckDB suspects query covers every value the JavaScript scorer reports', () => {
  it('on seeded random CSV cells and JSON values of every type', async () => {
    const { scorer } = compile(RULES);
    if (scorer === null) throw new Error('rules do not compile');
    let state = 0x9e3779b9;
    const next = (): number => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 0x1_0000_0000;
    };
    const texts: string[] = ['12', '+5', '2026-02-28', '2026-02-28 10:00', '2026-02-28T10:00:00.123Z', 'yes', 'pro', 'Free'];
    for (let i = 0; i < 600; i++) {
      let text = '';
      const length = Math.floor(next() * 5);
      for (let k = 0; k < length; k++) text += PIECES[Math.floor(next() * PIECES.length)];
      texts.push(text);
    }
    // Dates and numbers near the edges of their plain forms.
    const two = (n: number) => String(n).padStart(2, '0');
    for (let i = 0; i < 300; i++) {
      const pick = (n: number) => Math.floor(next() * n);
      let date = `${pick(3) === 0 ? '2024' : '2026'}-${two(pick(14))}-${two(pick(33))}`;
      if (next() < 0.5) date += `${next() < 0.5 ? 'T' : ' '}${two(pick(26))}:${two(pick(62))}${next() < 0.5 ? `:${two(pick(62))}` : ''}${['', 'Z', `+${two(pick(26))}:${two(pick(62))}`, '-0530', '+01'][pick(5)]}`;
      texts.push(date);
    }
    texts.push(`${'9'.repeat(308)}`, `${'9'.repeat(309)}`, `1${'0'.repeat(309)}`, `0.${'0'.repeat(400)}1`);
    const jsonValues: unknown[] = [...texts, 12, -0.5, 1e300, true, false, null, [], ['a'], ['a', 1], { a: 1 }, 1.5];
    const fields = [...scorer.ir.slots].filter((slot) => slot.source === 'lead');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      for (const format of ['csv', 'json'] as const) {
        const values = format === 'csv' ? texts : jsonValues;
        await connection.run(`CREATE OR REPLACE TABLE cells (rubric_row INTEGER, value ${format === 'csv' ? 'VARCHAR' : 'JSON'})`);
        const appender = await connection.createAppender('cells');
        values.forEach((value, row) => {
          appender.appendInteger(row);
          if (format === 'csv') appender.appendVarchar(value as string);
          else appender.appendVarchar(JSON.stringify(value));
          appender.endRow();
        });
        appender.closeSync();
        for (const slot of fields) {
          const value: SqlSuspectValue = { column: 'value', format, type: slot.type, oneOf: slot.oneOf };
          const sql = emitDuckdbSuspects({ from: 'cells', keep: ['rubric_row'], values: [value] }) as string;
          const suspects = new Set((await connection.runAndReadAll(sql)).getRows().map((row) => Number(row[0])));
          values.forEach((raw, row) => {
            const lead = { [slot.name]: raw };
            const reported = scorer.validate(lead).length > 0;
            if (reported) expect(suspects.has(row), `${format} ${slot.name} ${JSON.stringify(raw)}`).toBe(true);
          });
        }
        // An event's `at`: reported when missing too.
        const at: SqlSuspectValue = { column: 'value', format, type: 'date', eventAt: true };
        const sql = emitDuckdbSuspects({ from: 'cells', keep: ['rubric_row'], values: [at] }) as string;
        const suspects = new Set((await connection.runAndReadAll(sql)).getRows().map((row) => Number(row[0])));
        values.forEach((raw, row) => {
          const event = { type: 'visit', at: raw } as unknown as LeadEvent;
          if (scorer.validateEvent(event).length > 0) expect(suspects.has(row), `${format} at ${JSON.stringify(raw)}`).toBe(true);
        });
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
