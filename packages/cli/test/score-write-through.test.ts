/**
 * `rubric score` copies a CSV row's text through when encoding its cells again would give the
 * same text (`InputItem.raw`, `ScoredRecordWriter.pushScored`). These tests hold that shortcut to
 * the encoder it replaces: seeded random rows for the reader and the writer, and whole runs on
 * cells that need care (quotes, delimiters, line breaks, edge spaces, formula-like values, byte
 * order marks, CRLF and CR line ends) whose expected output is what `rubric score` wrote before
 * the shortcut existed.
 */
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compile, seededRandom, type ScoreResult } from '@rubric/core';
import { readCsvBatches } from '../src/input/csv.js';
import { columnRoles, isDigits, LeadRowReader, leadFromRow, schemaOf } from '../src/input/leads.js';
import type { InputItem } from '../src/input/source.js';
import { resultColumns, resultValues, ScoredRecordWriter } from '../src/output/scored-records.js';
import { encodeCsvCell, encodeCsvLine, type OutputFormat } from '../src/output/writers.js';
import { Workspace } from './support/cli.js';
import { ACME_RULES } from './support/fixtures.js';
import { chunked } from './support/items.js';

/** Pieces of cell text: the characters that decide quoting, and ordinary text. */
const PIECES = ['a', 'CEO', ' ', '"', ',', ';', '\t', '|', '.', '-', '1', '\n', '\r\n', '\r', '=SUM(A1)', '=', '@', 'é', '\ufeff', '5" x', "'", ''];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function randomCell(random: () => number): string {
  let cell = '';
  const count = Math.floor(random() * 4);
  for (let i = 0; i < count; i++) cell += pick(random, PIECES);
  return cell;
}

/** A cell as a CSV file may hold it: plain when the reader allows it (and the coin says so), else quoted. */
function sourceCell(cell: string, delimiter: string, random: () => number): { text: string; plain: boolean } {
  const canBePlain = !cell.includes(delimiter) && !cell.includes('\n') && !cell.includes('\r') && !cell.startsWith('"');
  if (canBePlain && random() < 0.8) return { text: cell, plain: true };
  return { text: `"${cell.replaceAll('"', '""')}"`, plain: false };
}

async function rowsOf(text: string, chunkSize: number, delimiter: string): Promise<InputItem[]> {
  const items: InputItem[] = [];
  for await (const batch of readCsvBatches(chunked(text, chunkSize), { delimiter, keepRaw: true })) items.push(...batch);
  return items.filter((item) => item.kind !== 'header');
}

describe('CSV reader: a row keeps its text only when encoding its fields gives it back', () => {
  it('on seeded random rows, delimiters, line ends, byte order marks and chunk sizes', async () => {
    const random = seededRandom(1313);
    let withRaw = 0;
    let withoutRaw = 0;
    for (let round = 0; round < 150; round++) {
      const delimiter = pick(random, [',', ';', '\t', '|', '.', '-']);
      const eol = pick(random, ['\n', '\r\n', '\r']);
      const width = 1 + Math.floor(random() * 5);
      const header = Array.from({ length: width }, (_, i) => `c${i}`);
      const expected: { cells: string[]; raw: string | undefined }[] = [];
      const lines = [header.join(delimiter)];
      for (let r = 0; r < 12; r++) {
        // A first cell that is never blank, so no row is a blank record (skipped, not read).
        const cells = [`r${r}`, ...Array.from({ length: width - 1 }, () => randomCell(random))];
        const sources = cells.map((cell) => sourceCell(cell, delimiter, random));
        const line = sources.map((source) => source.text).join(delimiter);
        // Kept when encoding gives the line back, for a one-line record whose quoted fields
        // hold no quote or delimiter (quoted for an edge space: `" CEO"`), not only unquoted ones.
        const simple = cells.every((cell) => !/["\r\n]/.test(cell) && !cell.includes(delimiter));
        expected.push({ cells, raw: simple && encodeCsvLine(cells, delimiter) === `${line}\n` ? line : undefined });
        lines.push(line);
      }
      const bom = random() < 0.3 ? '\ufeff' : '';
      const text = bom + lines.join(eol) + (random() < 0.8 ? eol : '');
      const items = await rowsOf(text, 1 + Math.floor(random() * 40), delimiter);
      expect(items.map((item) => (item.kind === 'row' ? { cells: [...item.fields], raw: item.raw } : item))).toEqual(expected);
      for (const row of expected) {
        if (row.raw === undefined) withoutRaw += 1;
        else withRaw += 1;
      }
    }
    // Both sides were exercised.
    expect(withRaw).toBeGreaterThan(100);
    expect(withoutRaw).toBeGreaterThan(100);
  });

  it('never without the option (other readers see the rows as before)', async () => {
    const items: InputItem[] = [];
    for await (const batch of readCsvBatches(chunked('id,job\n1,CEO\n', 4))) items.push(...batch);
    expect(items[1]).toEqual({ kind: 'row', line: 2, fields: ['1', 'CEO'] });
  });
});

describe('encodeCsvCell', () => {
  it('quotes exactly what the four searches quoted (seeded random cells and delimiters)', () => {
    const random = seededRandom(77);
    const before = (cell: string, delimiter: string): string => {
      const quote =
        cell.includes(delimiter) || cell.includes('"') || cell.includes('\n') || cell.includes('\r') || cell.startsWith(' ') || cell.endsWith(' ');
      return quote ? `"${cell.replace(/"/g, '""')}"` : cell;
    };
    for (let i = 0; i < 5000; i++) {
      const cell = randomCell(random) + randomCell(random);
      const delimiter = pick(random, [',', ';', '\t', '|', ' ', '"x'.slice(1), 'a', '\u{1F600}']);
      expect(encodeCsvCell(cell, delimiter)).toBe(before(cell, delimiter));
    }
  });
});

describe('LeadRowReader reads the lead leadFromRow reads (missing fields as own undefined)', () => {
  it('on seeded random cells of every field type, `__proto__` and unknown columns', () => {
    const rules = `lead {
  id: text
  job: one of [CEO, CTO]
  size: number
  tags: list of text
  student: bool
  signup: date
  \`__proto__\`: text
}
when job = CEO add 1
when size > 1 add 1
when tags has x add 1
when student add 1
when signup is set add 1
when \`__proto__\` is set add 1
`;
    const compiled = compile(rules);
    if (compiled.scorer === null) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
    const schema = schemaOf(compiled.scorer.model);
    const columns = ['id', 'job', 'size', 'tags', 'student', 'signup', '__proto__', 'note'];
    const roles = columnRoles(columns, schema);
    const reader = LeadRowReader.plan(columns, roles);
    if (reader === undefined) throw new Error('no events column: a reader is planned');
    const random = seededRandom(99);
    const values = ['', ' ', '12', '-1.5', '+3', '1.', '.5', '1e3', '١٢', ' 7 ', 'CEO', 'a;b| c', '2026-03-01 09:30', 'yes', '0x10', '--1'];
    for (let i = 0; i < 3000; i++) {
      const fields = columns.map(() => pick(random, values) + (random() < 0.2 ? pick(random, values) : ''));
      const expected = leadFromRow(columns, roles, fields).lead;
      const actual = reader.read(fields);
      // A missing field is an own `undefined` there (one object shape for all rows)...
      expect(Object.keys(actual)).toEqual(['id', 'job', 'size', 'tags', 'student', 'signup', '__proto__']);
      expect(Object.entries(actual).filter(([, value]) => value !== undefined)).toEqual(Object.entries(expected));
      expect(Object.getPrototypeOf(actual)).toBe(Object.prototype);
      // ...which the scorer reads as the absent key: same results, invalid values and explanations.
      const options = { now: '2026-03-01T00:00:00Z' };
      expect(compiled.scorer.scoreAndValidate(actual, options)).toEqual(compiled.scorer.scoreAndValidate(expected, options));
      expect(compiled.scorer.explain(actual, options)).toEqual(compiled.scorer.explain(expected, options));
    }
    expect(LeadRowReader.plan(['id', 'events'], columnRoles(['id', 'events'], schema))).toBeUndefined();
  });

  it('isDigits is a sign and 1 to 15 ASCII digits (issue 14: the cells every dialect reads as their number)', () => {
    const random = seededRandom(5);
    const pieces = ['1', '0', '9', '.', '+', '-', ' ', 'e', '٣', '', '12345678'];
    for (let i = 0; i < 20000; i++) {
      let text = '';
      for (let k = Math.floor(random() * 6); k > 0; k--) text += pick(random, pieces);
      expect(isDigits(text), JSON.stringify(text)).toBe(/^[+-]?\d{1,15}$/.test(text));
    }
  });
});

/** A writable that keeps what is written. */
class Sink extends Writable {
  text = '';

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    callback();
  }
}

describe('ScoredRecordWriter.pushScored writes what writeRow writes', () => {
  it('on seeded random rows, results, delimiters, replaced columns and explanations', async () => {
    const random = seededRandom(4242);
    const names = ['discovery', 'a b', ' x', 'x,y', 'q"q', 'line\nbreak', '1', 'NaN'];
    for (let round = 0; round < 300; round++) {
      const format: OutputFormat = random() < 0.85 ? 'csv' : 'jsonl';
      const delimiter = pick(random, [',', ';', '\t', '.', '1', 'e', ' ', 'N', '-']);
      // (A group named like a computed column, `tier`, makes two columns of one name: not covered.)
      const groups = pick(random, [[], ['fit'], ['fit', 'engagement'], ['a b', 'x,y']]);
      const explain = random() < 0.3;
      const columns = ['id', 'job', ...(random() < 0.15 ? [pick(random, ['score', 'stage', 'fit', 'why'])] : [])];
      const computed = resultColumns(groups, explain);
      const sinkA = new Sink();
      const sinkB = new Sink();
      const viaMap = new ScoredRecordWriter(sinkA, format, computed);
      const direct = new ScoredRecordWriter(sinkB, format, computed);
      viaMap.setInputColumns(columns, delimiter);
      direct.setInputColumns(columns, delimiter);
      for (let r = 0; r < 8; r++) {
        const fields = columns.map(() => randomCell(random));
        const groupPoints: Record<string, number> = {};
        for (const group of groups) if (random() < 0.9) groupPoints[group] = pick(random, [0, -0, 5, -10, 12.5, 1e21]);
        const result: ScoreResult = {
          score: pick(random, [0, -0, 12.5, -5, 100, 1e-7]),
          stage: random() < 0.3 ? null : pick(random, names),
          tier: random() < 0.5 ? null : pick(random, names),
          groups: groupPoints,
        };
        const why = explain ? randomCell(random) : undefined;
        // What the reader would hand over: the text, when encoding the fields again gives it.
        const line = encodeCsvLine(fields, delimiter);
        const raw = line === `${fields.join(delimiter)}\n` ? fields.join(delimiter) : undefined;
        await viaMap.writeRow(columns, fields, resultValues(result, groups, groups, why));
        direct.pushScored(columns, fields, raw, result, groups, groups, why);
      }
      await viaMap.finish();
      await direct.finish();
      expect(sinkB.text).toBe(sinkA.text);
    }
  });

  it('with its cache of computed line ends: many rows repeating a few results, both line breaks', async () => {
    // Without groups and `why`, pushScored appends one cached string per distinct result (stage,
    // tier, score): rows repeating results must still get each its own result's text.
    const random = seededRandom(777);
    for (let round = 0; round < 12; round++) {
      const delimiter = pick(random, [',', ';', '\t', '.', '1', 'e', '-']);
      const lineBreak = pick(random, ['\n', '\r\n'] as const);
      const columns = ['id', 'job'];
      const computed = resultColumns([], false);
      const sinkA = new Sink();
      const sinkB = new Sink();
      const viaMap = new ScoredRecordWriter(sinkA, 'csv', computed);
      const direct = new ScoredRecordWriter(sinkB, 'csv', computed);
      viaMap.setInputColumns(columns, delimiter, { lineBreak, bom: false });
      direct.setInputColumns(columns, delimiter, { lineBreak, bom: false });
      for (let r = 0; r < 3000; r++) {
        const fields = [String(r), randomCell(random)];
        const result: ScoreResult = {
          score: pick(random, [0, -0, 12.5, -5, 100, 1e-7, 0.01, 1023, 1024, -1024, 99.99]),
          stage: random() < 0.2 ? null : pick(random, ['cold', 'warm', 'x,y', 'q"q']),
          tier: random() < 0.5 ? null : pick(random, ['A', 'B', ' b']),
          groups: {},
        };
        const line = encodeCsvLine(fields, delimiter);
        const raw = line === `${fields.join(delimiter)}\n` ? fields.join(delimiter) : undefined;
        await viaMap.writeRow(columns, fields, resultValues(result, [], [], undefined));
        direct.pushScored(columns, fields, raw, result, [], [], undefined);
      }
      await viaMap.finish();
      await direct.finish();
      expect(sinkB.text).toBe(sinkA.text);
    }
  });
});

/**
 * Cells that need care, one row each (the header names lead fields of ACME_RULES and a `note`
 * that is not one). Joined with the case's delimiter and line end.
 */
const TRICKY_ROWS = [
  ['id', 'job', 'email', 'phone', 'company.size', 'country', 'note'],
  ['1', 'CEO', 'ana@acme.fr', '+33 1 23 45 67 89', '50', 'FR', '=SUM(A1:A3)'],
  ['2', '"CTO, interim"', 'bob@x.io', '', '20', 'FR', '"says ""hi"""'],
  ['3', '" VP Sales "', 'c@y.com', '', '10', 'BE', '5" screen'],
  ['4', '"Head of\nMarketing"', 'd@z.fr', '', 'abc', 'FR', 'plain'],
  ['5', '\tCFO', 'e@gmail.com', '', ' 12 ', 'CH', 'trailing '],
  ['6', '"quoted"', 'f@a.fr', '', '7', 'FR', '"\r\n"'],
  ['7', 'Développeur', 'g@b.fr', '', '100', 'DE', '@cmd|calc'],
  ['8', 'CTO', 'h@c.fr', '', '-0', 'FR', '\ufeffinner BOM'],
];

function trickyCsv(delimiter: string, eol: string, bom: boolean): string {
  return (bom ? '\ufeff' : '') + TRICKY_ROWS.map((cells) => cells.join(delimiter)).join(eol) + eol;
}

/** The output of `rubric score` for each case before rows were copied through (byte for byte). */
const COMMA_OUTPUT =
  'id,job,email,phone,company.size,country,note,score,stage,tier,fit,engagement\n1,CEO,ana@acme.fr,+33 1 23 45 67 89,50,FR,=SUM(A1:A3),10,discovery,,10,0\n2,"CTO, interim",bob@x.io,,20,FR,"says ""hi""",0,discovery,,0,0\n3," VP Sales ",c@y.com,,10,BE,"5"" screen",10,discovery,,10,0\n4,"Head of\nMarketing",d@z.fr,,abc,FR,plain,0,discovery,,0,0\n5,\tCFO,e@gmail.com,," 12 ",CH,"trailing ",-5,,,-5,0\n6,quoted,f@a.fr,,7,FR,"\r\n",0,discovery,,0,0\n7,Développeur,g@b.fr,,100,DE,@cmd|calc,-10,,,-10,0\n8,CTO,h@c.fr,,-0,FR,\ufeffinner BOM,10,discovery,,10,0\n';

const CASES: readonly { name: string; input: string; args: readonly string[]; output: string }[] = [
  { name: 'comma, LF', input: trickyCsv(',', '\n', false), args: [], output: COMMA_OUTPUT },
  // The output keeps the input's CRLF line ends and its byte order mark (issue 14); cells as they were.
  { name: 'comma, CRLF, byte order mark', input: trickyCsv(',', '\r\n', true), args: [], output: `\ufeff${COMMA_OUTPUT.replace(/(engagement|,0)\n/g, '$1\r\n')}` },
  {
    name: 'semicolon, CR',
    input: trickyCsv(';', '\r', false),
    args: [],
    output:
      'id;job;email;phone;company.size;country;note;score;stage;tier;fit;engagement\n1;CEO;ana@acme.fr;+33 1 23 45 67 89;50;FR;=SUM(A1:A3);10;discovery;;10;0\n2;CTO, interim;bob@x.io;;20;FR;"says ""hi""";0;discovery;;0;0\n3;" VP Sales ";c@y.com;;10;BE;"5"" screen";10;discovery;;10;0\n4;"Head of\nMarketing";d@z.fr;;abc;FR;plain;0;discovery;;0;0\n5;\tCFO;e@gmail.com;;" 12 ";CH;"trailing ";-5;;;-5;0\n6;quoted;f@a.fr;;7;FR;"\r\n";0;discovery;;0;0\n7;Développeur;g@b.fr;;100;DE;@cmd|calc;-10;;;-10;0\n8;CTO;h@c.fr;;-0;FR;\ufeffinner BOM;10;discovery;;10;0\n',
  },
  {
    name: 'tab, --explain (row 5 has a tab too many: rejected)',
    input: trickyCsv('\t', '\n', false),
    args: ['--explain'],
    output:
      'id\tjob\temail\tphone\tcompany.size\tcountry\tnote\tscore\tstage\ttier\tfit\tengagement\twhy\n1\tCEO\tana@acme.fr\t+33 1 23 45 67 89\t50\tFR\t=SUM(A1:A3)\t10\tdiscovery\t\t10\t0\tscore 10: fit 10 (Decision maker +10); stage discovery; not evaluation: needs 20, has 10; not purchase: needs 40, has 10; not sales_ready: needs 40, has 10, its `when` fails at `budget_validated`\n2\tCTO, interim\tbob@x.io\t\t20\tFR\t"says ""hi"""\t0\tdiscovery\t\t0\t0\tscore 0: stage discovery; not evaluation: needs 20, has 0; not purchase: needs 40, has 0; not sales_ready: needs 40, has 0, `phone` is missing, its `when` fails at `budget_validated`\n3\t" VP Sales "\tc@y.com\t\t10\tBE\t"5"" screen"\t10\tdiscovery\t\t10\t0\tscore 10: fit 10 (Decision maker +10); stage discovery; not evaluation: needs 20, has 10; not purchase: needs 40, has 10; not sales_ready: needs 40, has 10, `phone` is missing, its `when` fails at `budget_validated`\n4\t"Head of\nMarketing"\td@z.fr\t\tabc\tFR\tplain\t0\tdiscovery\t\t0\t0\tscore 0: stage discovery; not evaluation: needs 20, has 0; not purchase: needs 40, has 0; not sales_ready: needs 40, has 0, `phone` is missing, its `when` fails at `budget_validated`; ignored `company.size` (wrong type)\n6\tquoted\tf@a.fr\t\t7\tFR\t"\r\n"\t0\tdiscovery\t\t0\t0\tscore 0: stage discovery; not evaluation: needs 20, has 0; not purchase: needs 40, has 0; not sales_ready: needs 40, has 0, `phone` is missing, its `when` fails at `budget_validated`\n7\tDéveloppeur\tg@b.fr\t\t100\tDE\t@cmd|calc\t-10\t\t\t-10\t0\tscore -10: fit -10 (Outside the market -10); no stage; not discovery: needs 0, has -10; not evaluation: needs 20, has -10; not purchase: needs 40, has -10; not sales_ready: needs 40, has -10, `phone` is missing, its `when` fails at `budget_validated`\n8\tCTO\th@c.fr\t\t-0\tFR\t\ufeffinner BOM\t10\tdiscovery\t\t10\t0\tscore 10: fit 10 (Decision maker +10); stage discovery; not evaluation: needs 20, has 10; not purchase: needs 40, has 10; not sales_ready: needs 40, has 10, `phone` is missing, its `when` fails at `budget_validated`\n',
  },
  {
    name: 'an input `score` column (replaced in place)',
    input: trickyCsv(',', '\n', false).replace('note', 'score'),
    args: [],
    output:
      'id,job,email,phone,company.size,country,score,stage,tier,fit,engagement\n1,CEO,ana@acme.fr,+33 1 23 45 67 89,50,FR,10,discovery,,10,0\n2,"CTO, interim",bob@x.io,,20,FR,0,discovery,,0,0\n3," VP Sales ",c@y.com,,10,BE,10,discovery,,10,0\n4,"Head of\nMarketing",d@z.fr,,abc,FR,0,discovery,,0,0\n5,\tCFO,e@gmail.com,," 12 ",CH,-5,,,-5,0\n6,quoted,f@a.fr,,7,FR,0,discovery,,0,0\n7,Développeur,g@b.fr,,100,DE,-10,,,-10,0\n8,CTO,h@c.fr,,-0,FR,10,discovery,,10,0\n',
  },
  {
    name: '--delimiter - (a negative score holds the delimiter: quoted)',
    input: 'id-job-email\n1-CEO-a@b.fr\n2-Intern-x@gmail.com\n3- x -y\n',
    args: ['--delimiter', '-'],
    output: 'id-job-email-score-stage-tier-fit-engagement\n1-CEO-a@b.fr-10-discovery--10-0\n2-Intern-x@gmail.com-"-5"---"-5"-0\n3-" x "-y-0-discovery--0-0\n',
  },
];

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('acme.rubric', ACME_RULES);
});
afterEach(() => ws.remove());

describe('rubric score: input cells written through as they were', () => {
  it.each(CASES)('$name', async ({ input, args, output }) => {
    ws.write('tricky.csv', input);
    const result = await ws.run(['score', 'acme.rubric', 'tricky.csv', '--now', '2026-03-01', ...args]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(output);
  });
});
