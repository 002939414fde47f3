/**
 * The DuckDB suspects query (`emitDuckdbSuspects`, what `rubric score --engine duckdb` runs to
 * find the values to report) under a `data` dialect: on export text of every type (French
 * numbers, day-first dates, bool words, placeholders in any case), every value the JavaScript
 * scorer reports is in a suspect row; and for text and csv columns of single values the query is
 * exact: a placeholder, `1 200` or `20/02/2026` (read fine in this dialect) is never suspect.
 */
import { compile, emitDuckdbSuspects, type LeadEvent, type SqlSuspectValue } from '@rubric/core';
import { describe, expect, it } from 'vitest';
import { random } from './support/cases.js';
import { boolText, dateText, listText, numberText, placeholderText, textFor, wordText } from './support/dialect-values.js';

const duckdbLoads = await import('@duckdb/node-api').then(
  () => true,
  () => false,
);

const RULES = `lead {
  n: number from "Effectif" missing ["0000"]
  b: bool
  d: date from "Créé le"
  t: text missing ["(not set)"]
  o: one of [free, pro, "Très bien"]
  l: list of text
}
event visit { page: text from "Page URL" missing ["(not set)"] }
data {
  missing: ["N/A", "-", inconnu, "'); drop table x; --"]
  numbers: decimal comma
  dates: day first
  true: [oui, vrai]
  false: [non, faux]
}
when n > 1 add 1
`;

describe.skipIf(!duckdbLoads)('the DuckDB suspects query under a data dialect', () => {
  it('covers every value the JavaScript scorer reports, and is exact for text cells', async () => {
    const { scorer, diagnostics } = compile(RULES);
    if (scorer === null) throw new Error(`rules do not compile: ${diagnostics.map((d) => d.message).join('; ')}`);
    const next = random(1414);
    const texts: string[] = ['1 200', '8,5', '20/02/2026', '20/02/2026 10:30', 'OUI', 'non', ' N/A ', 'Inconnu', '0000', '(Not Set)', '-', "'); DROP TABLE x; --", '12.5', '31/02/2026'];
    for (let i = 0; i < 700; i++) texts.push(pick(next));
    const jsonValues: unknown[] = [...texts, 12, -0.5, true, false, null, [], ['a', 'N/A'], ['a', 1], { a: 1 }];
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const dialect = scorer.ir.dialect;
    let reported = 0;
    let exact = 0;
    try {
      for (const format of ['csv', 'text', 'json'] as const) {
        const values = format === 'json' ? jsonValues : texts;
        await connection.run(`CREATE OR REPLACE TABLE cells (rubric_row INTEGER, value ${format === 'json' ? 'JSON' : 'VARCHAR'})`);
        const appender = await connection.createAppender('cells');
        values.forEach((value, row) => {
          appender.appendInteger(row);
          appender.appendVarchar(format === 'json' ? JSON.stringify(value) : (value as string));
          appender.endRow();
        });
        appender.closeSync();
        const suspectsOf = async (value: SqlSuspectValue): Promise<Set<number>> => {
          const sql = emitDuckdbSuspects({ from: 'cells', keep: ['rubric_row'], values: [value], dialect }) as string;
          return new Set((await connection.runAndReadAll(sql)).getRows().map((row) => Number(row[0])));
        };
        for (const slot of scorer.ir.slots) {
          const suspects = await suspectsOf({ column: 'value', format, type: slot.type, oneOf: slot.oneOf, missing: slot.missing });
          values.forEach((raw, row) => {
            const lead = slot.source === 'lead' ? { [slot.key]: raw } : {};
            const events = slot.source === 'event' ? [{ type: 'visit', at: '2026-02-01', [slot.key]: raw } as unknown as LeadEvent] : [];
            const isReported = scorer.validate(lead, { events }).length > 0;
            const where = `${format} ${slot.name} ${JSON.stringify(raw)}`;
            if (isReported) {
              reported += 1;
              expect(suspects.has(row), where).toBe(true);
            } else if (format !== 'json' && slot.type !== 'list') {
              exact += 1;
              expect(suspects.has(row), `${where} is not reported`).toBe(false);
            }
          });
        }
        // An event's `at`, in the day-first order: reported when missing too.
        const suspects = await suspectsOf({ column: 'value', format, type: 'date', eventAt: true });
        values.forEach((raw, row) => {
          const isReported = scorer.validateEvent({ type: 'visit', at: raw } as unknown as LeadEvent).length > 0;
          if (isReported) expect(suspects.has(row), `${format} at ${JSON.stringify(raw)}`).toBe(true);
          else if (format !== 'json') expect(suspects.has(row), `${format} at ${JSON.stringify(raw)} is not reported`).toBe(false);
        });
      }
      // The dialect's own forms are read, so neither reported nor suspect.
      expect(scorer.validate({ Effectif: '1 200', b: 'OUI', 'Créé le': '20/02/2026', t: ' N/A ' })).toEqual([]);
      expect(reported).toBeGreaterThan(300);
      expect(exact).toBeGreaterThan(1000);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

function pick(next: () => number): string {
  const r = next();
  if (r < 0.15) return placeholderText(next);
  if (r < 0.3) return numberText(next);
  if (r < 0.45) return dateText(next);
  if (r < 0.6) return boolText(next);
  if (r < 0.7) return listText(next);
  if (r < 0.8) return wordText(next);
  return textFor('number', next);
}
