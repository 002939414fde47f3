/**
 * The SQL target's reading of text under a `data` dialect (design14.md), one value at a time,
 * on DuckDB (with and without its fast paths) and a real PostgreSQL, against the JavaScript
 * runtime's readers (readNumber, readBool, readDate, readText, readOneOf, readList with the
 * slot's placeholders and the file's dialect): every number format, date order and bool words,
 * placeholders, lists; text, csv and JSON columns. Values are drawn at random around the edges
 * (every separator, signs, padding with trimmed and untrimmed white space, impossible dates,
 * both orders, two-digit years, times out of range, placeholders in every case and accent), and
 * a fixed table of cases with hand-checked results keeps the oracle itself honest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadDialectIR, ValueType } from '../../packages/core/src/compiler/ir.js';
import { sqlDialect } from '../../packages/core/src/compiler/sql/dialect.js';
import type { SqlColumnFormat } from '../../packages/core/src/compiler/sql/mapping.js';
import { constantColumns, ValueReader } from '../../packages/core/src/compiler/sql/values.js';
import { fold } from '../../packages/core/src/runtime/fold.js';
import { runtimeHelpers, type ValueDescriptor } from '../../packages/core/src/runtime/runtime.js';
import { random } from './support/cases.js';
import { pick, placeholderText, PLACEHOLDERS, textFor, wordText, type Next } from './support/dialect-values.js';
import { openDuckdb, postgresEngine, type Cell, type ColumnKind, type TestEngine } from './support/engines.js';
import { postgresForTests, type PostgresServer } from './support/postgres.js';

const rt = runtimeHelpers();
let server: PostgresServer | null = null;
const engines: TestEngine[] = [];
const counted = { duckdb: 0, postgres: 0 };

beforeAll(async () => {
  engines.push(await openDuckdb());
  server = await postgresForTests();
  if (server !== null) engines.push(postgresEngine(server.client));
}, 60_000);

afterAll(async () => {
  for (const engine of engines) await engine.close();
  await server?.stop();
  process.stderr.write(`SQL dialect values: ${counted.duckdb} values read on DuckDB (twice: fast paths on and off), ${counted.postgres} on PostgreSQL${server === null ? ' (NOT RUN)' : ''}\n`);
}, 30_000);

const NUMBER_CODES = { plain: 0, 'decimal-comma': 1, 'decimal-point': 2 } as const;
const DATE_CODES = { iso: 0, 'day-first': 1, 'month-first': 2 } as const;

function dialectOf(numbers: ReadDialectIR['numbers'], dates: ReadDialectIR['dates'], words: boolean): ReadDialectIR {
  return {
    numbers,
    dates,
    trueWords: words ? ['oui', 'vrai', 'o', 'si', "it's true", 'ja'].map(fold) : [],
    falseWords: words ? ['non', 'faux', 'n', 'nein', 'a\\b false'].map(fold) : [],
  };
}

/** The runtime's reading of `value` (a lead's own property) as a slot of `type`: null when missing. */
function oracle(type: ValueType, value: unknown, dialect: ReadDialectIR, missing: readonly string[], oneOf: readonly string[]): unknown {
  const descriptor: ValueDescriptor = {
    key: 'v',
    parts: ['v'],
    name: 'v',
    expected: type,
    set: new Set(oneOf),
    missing: new Set(missing),
    dialect: { numbers: NUMBER_CODES[dialect.numbers], dates: DATE_CODES[dialect.dates], trueWords: new Set(dialect.trueWords), falseWords: new Set(dialect.falseWords) },
  };
  const lead = value === undefined ? {} : { v: value };
  const nan = (x: number) => (Number.isNaN(x) ? null : x);
  switch (type) {
    case 'number':
      return nan(rt.readNumber(lead, descriptor, null));
    case 'bool':
      return nan(rt.readBool(lead, descriptor, null));
    case 'date':
      return nan(rt.readDate(lead, descriptor, null));
    case 'text':
      return rt.readText(lead, descriptor, null) || null;
    case 'one-of':
      return rt.readOneOf(lead, descriptor, null) || null;
    case 'list': {
      const out: string[] = [];
      rt.readList(lead, descriptor, null, out);
      return out.length === 0 ? null : out;
    }
  }
}

/** Runs one value plan over `cells` in `engine`; the values read, in order (lists as arrays, text as text). */
async function readValues(
  engine: TestEngine,
  spec: { type: ValueType; format: SqlColumnFormat; oneOf?: readonly string[]; missing?: readonly string[] },
  kind: ColumnKind,
  cells: readonly Cell[],
  dialect: ReadDialectIR,
  fastPaths = true,
): Promise<unknown[]> {
  const d = sqlDialect(engine.name);
  await engine.load({ name: 'dialect_cases', columns: [{ name: 'id', kind: 'number' }, { name: 's', kind }], rows: cells.map((cell, i) => [i, cell]) });
  const plan = new ValueReader(d, { dialect, fastPaths }).plan('0', spec, 'p.s');
  const constants = constantColumns(d, { fold: true, jsTrim: true, numbers: true }, '0').map((c) => `${c.expression} AS ${c.name}`);
  const ctes = [`rubric_constants AS (SELECT ${constants.join(', ')})`, `s0 AS (SELECT t.id, t.s, rc.* FROM dialect_cases AS t CROSS JOIN rubric_constants AS rc ${d.stepFence})`];
  plan.forEach((stage, k) => ctes.push(`s${k + 1} AS (SELECT p.*, ${stage.map((c) => `${c.expression} AS ${c.name}`).join(', ')} FROM s${k} AS p ${d.stepFence})`));
  // Text comes back as JSON (exact, whatever the client does to a leading U+FEFF).
  const isText = spec.type === 'text' || spec.type === 'one-of' || spec.type === 'list';
  const value = !isText ? 'v0' : engine.name === 'duckdb' ? 'CAST(to_json(v0) AS VARCHAR)' : 'CAST(to_jsonb(v0) AS text)';
  const rows = await engine.query(`WITH ${ctes.join(',\n')} SELECT id, ${value} AS v0 FROM s${plan.length} ORDER BY id`);
  counted[engine.name] += cells.length;
  return rows.map((row) => {
    if (row.v0 === null || row.v0 === undefined) return null;
    if (isText) return JSON.parse(String(row.v0)) as unknown;
    return typeof row.v0 === 'bigint' ? Number(row.v0) : row.v0;
  });
}

/** Texts for a type (see support/dialect-values.ts). */
function textsFor(type: ValueType, next: Next, count: number): string[] {
  return Array.from({ length: count }, () => textFor(type, next));
}

/** JSON values for a type: strings (read as text), and the JSON forms of the type. */
function jsonFor(type: ValueType, next: Next, count: number): unknown[] {
  const texts = textsFor(type, next, count);
  return texts.map((text) => {
    const r = next();
    if (r < 0.7) return text;
    if (r < 0.8) return pick(next, [12, -0.5, 0, 1200.25, 1e21, true, false, null]);
    if (r < 0.95) return Array.from({ length: Math.floor(next() * 4) }, () => (next() < 0.4 ? placeholderText(next) : wordText(next)));
    return pick(next, [{ a: 1 }, ['x', 1], [], [null]]);
  });
}

// ---------------------------------------------------------------------------------------------

const DIALECTS: ReadDialectIR[] = [];
for (const numbers of ['plain', 'decimal-comma', 'decimal-point'] as const) {
  for (const dates of ['iso', 'day-first', 'month-first'] as const) DIALECTS.push(dialectOf(numbers, dates, numbers !== 'plain' || dates !== 'iso'));
}

const ONE_OF = ['acme', 'services', 'sante', 'societe', 'n/a', "'); drop table x; --"];

async function compare(engine: TestEngine, type: ValueType, format: SqlColumnFormat, values: readonly unknown[], dialect: ReadDialectIR, missing: readonly string[]): Promise<void> {
  const json = format === 'json';
  const cells: Cell[] = values.map((value) => (json ? (value === undefined ? null : JSON.stringify(value)) : (value as string)));
  const jsValues = cells.map((cell) => (cell === null ? undefined : json ? (JSON.parse(cell as string) as unknown) : cell));
  const want = jsValues.map((value) => oracle(type, value, dialect, missing, ONE_OF));
  const spec = { type, format, oneOf: ONE_OF, missing };
  const runs = engine.name === 'duckdb' ? [true, false] : [true];
  for (const fastPaths of runs) {
    const got = await readValues(engine, spec, json ? 'json' : 'text', cells, dialect, fastPaths);
    const wrong = values
      .map((value, i) => ({ value, got: got[i], want: want[i] }))
      .filter((c) => JSON.stringify(c.got) !== JSON.stringify(c.want) && !(c.got === 0 && c.want === 0));
    const where = `${engine.name}${fastPaths ? '' : ' (exact)'} ${type} in ${format}, ${JSON.stringify(dialect)}, missing ${missing.length}`;
    expect(wrong.slice(0, 8), `${where}: ${wrong.length} of ${values.length} differ`).toEqual([]);
    // The cases reach both sides: some values read, some missing.
    expect(want.some((v) => v !== null) && want.some((v) => v === null), where).toBe(true);
  }
}

describe('text read under a data dialect, exactly as the runtime reads it', () => {
  const TYPES: ReadonlyArray<readonly [ValueType, readonly SqlColumnFormat[]]> = [
    ['number', ['text', 'csv', 'json']],
    ['date', ['text', 'csv', 'json']],
    ['bool', ['text', 'json']],
    ['text', ['text', 'json']],
    ['one-of', ['text', 'json']],
    ['list', ['text', 'csv', 'json']],
  ];
  for (const [type, formats] of TYPES) {
    it(`${type}: every dialect, with and without placeholders, in ${formats.join(', ')} columns`, async () => {
      for (const engine of engines) {
        for (const [k, dialect] of DIALECTS.entries()) {
          const next = random(1400 + k * 31 + type.length);
          for (const format of formats) {
            const values = format === 'json' ? jsonFor(type, next, 260) : textsFor(type, next, 260);
            await compare(engine, type, format, values, dialect, PLACEHOLDERS);
            if (k % 3 === 0) await compare(engine, type, format, values, dialect, []);
          }
        }
      }
    }, 120_000);
  }

  it('list columns: items that are placeholders dropped, nothing left is missing', async () => {
    const next = random(77);
    const lists: Array<ReadonlyArray<string | null>> = [['a', 'N/A'], ['N/A'], [' n/a ', '-'], ['x', ''], [], ['a', null], ['A;B'], ["'); DROP TABLE x; --", 'ok']];
    for (let i = 0; i < 100; i++) lists.push(Array.from({ length: Math.floor(next() * 4) }, () => (next() < 0.4 ? placeholderText(next) : wordText(next))));
    for (const engine of engines) {
      const want = lists.map((list) => oracle('list', list.includes(null) ? [...list] : list, DIALECTS[0], PLACEHOLDERS, []));
      const got = await readValues(engine, { type: 'list', format: 'list', missing: PLACEHOLDERS }, 'list', lists, DIALECTS[0]);
      expect(got, engine.name).toEqual(want);
      expect(want.slice(0, 8)).toEqual([['a'], null, null, ['x', ''], null, null, null, ['ok']]);
    }
  });
});

describe('a fixed table of cases, checked by hand', () => {
  const comma = dialectOf('decimal-comma', 'day-first', true);
  const point = dialectOf('decimal-point', 'month-first', true);
  const plain = dialectOf('plain', 'iso', false);
  const utc = (text: string) => Date.parse(text);
  const cases: ReadonlyArray<readonly [ReadDialectIR, ValueType, string, unknown]> = [
    [plain, 'number', ' +12.5 ', 12.5],
    [plain, 'number', '1 200', null],
    [plain, 'number', '\u3000 7', null],
    [comma, 'number', '1 200', 1200],
    [comma, 'number', '1\u00a0200,75', 1200.75],
    [comma, 'number', '1\u202f200', 1200],
    [comma, 'number', '1.200', 1200],
    [comma, 'number', '1.200.300,5', 1200300.5],
    [comma, 'number', '12,5', 12.5],
    [comma, 'number', '-8,5', -8.5],
    [comma, 'number', '1200.5', null],
    [comma, 'number', '12.5', null],
    [comma, 'number', '1 20', null],
    [comma, 'number', '1234 567', null],
    [comma, 'number', 'N/A', null],
    [point, 'number', '1,200', 1200],
    [point, 'number', '1,200.5', 1200.5],
    [point, 'number', '1,20', null],
    [point, 'number', '12,5', null],
    [plain, 'date', '2026-03-01 09:30', utc('2026-03-01T09:30:00Z')],
    [plain, 'date', '20/02/2026', null],
    [comma, 'date', '20/02/2026', utc('2026-02-20T00:00:00Z')],
    [comma, 'date', '1/2/2026', utc('2026-02-01T00:00:00Z')],
    [comma, 'date', '20.02.2026 13:05', utc('2026-02-20T13:05:00Z')],
    [comma, 'date', '20-02-2026T13:05:09', utc('2026-02-20T13:05:09Z')],
    [comma, 'date', '31/02/2026', null],
    [comma, 'date', '29/02/2024', utc('2024-02-29T00:00:00Z')],
    [comma, 'date', '29/02/2100', null],
    [comma, 'date', '20/02/26', null],
    [comma, 'date', '20/02-2026', null],
    [comma, 'date', '20/02/2026 24:00', null],
    [comma, 'date', '20/02/2026 9:30', null],
    [comma, 'date', '2026-02-20', utc('2026-02-20T00:00:00Z')],
    [comma, 'date', '1900-01-01', null],
    [point, 'date', '02/20/2026', utc('2026-02-20T00:00:00Z')],
    [point, 'date', '20/02/2026', null],
    [comma, 'bool', ' OUI ', 1],
    [comma, 'bool', 'Non', 0],
    [comma, 'bool', 'yes', 1],
    [comma, 'bool', 'sí', 1],
    [comma, 'bool', '0', null],
    [plain, 'bool', 'oui', null],
    [comma, 'text', ' N/A ', null],
    [comma, 'text', 'Inconnu', null],
    [comma, 'text', 'n/a.', 'n/a.'],
    [comma, 'text', "'); DROP TABLE x; --", null],
    [comma, 'list', 'a; N/A |b', ['a', 'b']],
    [comma, 'list', 'A;B', null],
    [comma, 'list', ' ; | ', null],
  ];

  it('gives the expected value in JavaScript, DuckDB and PostgreSQL', async () => {
    for (const [dialect, type, text, expected] of cases) {
      expect(oracle(type, text, dialect, PLACEHOLDERS, []), `JavaScript: ${type} ${JSON.stringify(text)} in ${JSON.stringify(dialect)}`).toEqual(expected);
    }
    for (const engine of engines) {
      for (const [dialect, type, text, expected] of cases) {
        const [got] = await readValues(engine, { type, format: 'text', missing: PLACEHOLDERS }, 'text', [text], dialect);
        expect(got, `${engine.name}: ${type} ${JSON.stringify(text)} in ${JSON.stringify(dialect)}`).toEqual(expected);
      }
    }
  }, 60_000);
});
