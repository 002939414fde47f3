import { describe, expect, it } from 'vitest';
import { parseCsvSample } from '../src/sample-csv.js';

/**
 * Review of issue 14: a CSV sample saved in Windows-1252 (what French Excel writes) and read as
 * UTF-8 has U+FFFD in its accented column names. Rows with such bytes were said to be problems,
 * but a header with them was taken silently: fields then had "no column" (`Téléphone` is not
 * `T\ufffdl\ufffdphone`) with nothing saying why. The CLI says it of the header too.
 */
describe('a CSV sample whose header is not UTF-8', () => {
  it('says so, as for its rows', () => {
    const text = Buffer.from('id;T\xe9l\xe9phone\r\n1;01 23 45 67 89\r\n', 'latin1').toString('utf8');
    const sample = parseCsvSample(text, 'crm.sample.csv');
    expect(sample.leads).toHaveLength(1);
    expect(sample.problems).toEqual([{ line: 1, message: expect.stringContaining('the header has bytes that are not valid UTF-8') }]);
  });

  it('says nothing of a UTF-8 header', () => {
    const sample = parseCsvSample('id;Téléphone\r\n1;01 23 45 67 89\r\n', 'crm.sample.csv');
    expect(sample.problems).toEqual([]);
  });
});
