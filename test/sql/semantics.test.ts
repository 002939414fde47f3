/**
 * The SQL target's reading of values, on DuckDB and a real PostgreSQL, against the JavaScript
 * runtime, one value at a time and exhaustively where it can be: text folding for every entry
 * of the folding table, every ASCII character and random Unicode; numbers from text (including
 * the exact overflow and underflow boundaries); ISO 8601 dates; typed columns; `now` as a bind
 * parameter and as the current time; the view; hostile names and values; PostgreSQL with
 * `standard_conforming_strings = off`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../packages/core/src/compiler/compile.js';
import { sqlDialect } from '../../packages/core/src/compiler/sql/dialect.js';
import { emitSql, type SqlMapping } from '../../packages/core/src/compiler/sql/index.js';
import { constantColumns, numberOverflowDigits, numberUnderflowDigits, ValueReader } from '../../packages/core/src/compiler/sql/values.js';
import type { ValueType } from '../../packages/core/src/compiler/ir.js';
import type { SqlColumnFormat } from '../../packages/core/src/compiler/sql/mapping.js';
import { fold, foldTable } from '../../packages/core/src/runtime/fold.js';
import { runtimeHelpers } from '../../packages/core/src/runtime/runtime.js';
import { openDuckdb, postgresEngine, quoteName, type Cell, type ColumnKind, type TestEngine } from './support/engines.js';
import { postgresForTests, type PostgresServer } from './support/postgres.js';

const rt = runtimeHelpers();
let server: PostgresServer | null = null;
const engines: TestEngine[] = [];

beforeAll(async () => {
  engines.push(await openDuckdb());
  server = await postgresForTests();
  if (server !== null) engines.push(postgresEngine(server.client));
}, 60_000);

afterAll(async () => {
  for (const engine of engines) await engine.close();
  await server?.stop();
}, 30_000);

/** Runs one value plan of the SQL target over `values`; returns the value read from each. */
async function readValues(engine: TestEngine, type: ValueType, format: SqlColumnFormat, kind: ColumnKind, values: readonly Cell[], oneOf: readonly string[] = []): Promise<unknown[]> {
  const d = sqlDialect(engine.name);
  await engine.load({ name: 'value_cases', columns: [{ name: 'id', kind: 'number' }, { name: 's', kind }], rows: values.map((value, i) => [i, value]) });
  const plan = new ValueReader(d).plan('0', { type, format, oneOf }, 'p.s');
  const constants = constantColumns(d, { fold: true, jsTrim: true, numbers: true }, '0').map((c) => `${c.expression} AS ${c.name}`);
  const ctes = [`rubric_constants AS (SELECT ${constants.join(', ')})`, `s0 AS (SELECT t.id, t.s, rc.* FROM value_cases AS t CROSS JOIN rubric_constants AS rc ${d.stepFence})`];
  plan.forEach((stage, k) => ctes.push(`s${k + 1} AS (SELECT p.*, ${stage.map((c) => `${c.expression} AS ${c.name}`).join(', ')} FROM s${k} AS p ${d.stepFence})`));
  // Text comes back as the hex of its UTF-8 bytes: DuckDB's client would drop a leading U+FEFF.
  const text = type === 'text' || type === 'one-of';
  const value = text ? (engine.name === 'duckdb' ? 'hex(v0)' : `encode(convert_to(v0, 'UTF8'), 'hex')`) : 'v0';
  const rows = await engine.query(`WITH ${ctes.join(',\n')} SELECT id, ${value} AS v0 FROM s${plan.length} ORDER BY id`);
  return rows.map((row) => {
    if (text) return row.v0 === null ? null : Buffer.from(String(row.v0), 'hex').toString('utf8');
    return typeof row.v0 === 'bigint' ? Number(row.v0) : row.v0;
  });
}

function storable(engine: TestEngine, text: string): boolean {
  return !(engine.name === 'postgres' && text.includes('\u0000'));
}

describe('text folding in SQL is the folding table, exactly', () => {
  const cases: string[] = [];
  for (const [from] of foldTable()) cases.push(from, `x${from}Y`, `${from}${from.toLowerCase()}`);
  for (let c = 0; c < 128; c++) cases.push(String.fromCharCode(c), `Ab${String.fromCharCode(c)}Cd`);
  cases.push(' \t\r\n\u00a0 Directeur Général\u00a0\n', '\u2003em space\u2003', '\ufeffbom', 'e\u0301', '🚀 ROCKET 𐐀𐐁', 'ǅ ǈ ǋ ǲ', 'İstanbul', 'Å Å', '  ', '\u00a0');
  const random = fc.sample(fc.string({ unit: 'grapheme', maxLength: 12 }), { numRuns: 400, seed: 7 });

  it(`folds ${cases.length} chosen texts and ${random.length} random ones like fold()`, async () => {
    for (const engine of engines) {
      const values = [...cases, ...random].filter((text) => storable(engine, text));
      const got = await readValues(engine, 'text', 'text', 'text', values);
      const wrong = values.map((text, i) => ({ text, got: got[i], want: fold(text) === '' ? null : fold(text) })).filter((c) => c.got !== c.want);
      expect(wrong.slice(0, 5), `${engine.name}: ${wrong.length} texts folded differently`).toEqual([]);
    }
  }, 60_000);

  it('reads bools through folding (true/yes/1, false/no/0, any case and accent)', async () => {
    const values = ['true', 'TRUE', ' Yes ', 'ýes', 'NO', '0', '1', 'oui', '', 'truE\u00a0', 'ｔrue', 'ﬁ'];
    for (const engine of engines) {
      const got = await readValues(engine, 'bool', 'text', 'text', values);
      expect(got, engine.name).toEqual(values.map((text) => (Number.isNaN(rt.toBool(text)) ? null : rt.toBool(text))));
    }
  });
});

describe('numbers from text are read as JavaScript reads them', () => {
  const max = numberOverflowDigits();
  const min = numberUnderflowDigits();
  const below = (digits: string) => digits.replace(/(\d)(0*)$/, (_, d: string, zeros: string) => `${Number(d) - 1}${'9'.repeat(zeros.length)}`);
  const cases = [
    '0', '-0', '007', '12.50', '1.', '.5', '+5', '1e3', ' 12', '12 ', '', '-', '1,5', '0x10', '١٢',
    '9007199254740993', '0.1000000000000000055511151231257827021181583404541015625', '123456789012345678901234567890.123456789',
    max, below(max), `-${max}`, `${max}.0`, `0${max}`, `1${'0'.repeat(309)}`, `1${'0'.repeat(400)}`,
    `0.${min}`, `0.${min}1`, `0.${min}000000`, `-0.${min}1`, `0.${'0'.repeat(400)}1`, `0.${'0'.repeat(322)}4`, `0.${'0'.repeat(323)}5`,
    `0.${'1'.repeat(1200)}`, `${'9'.repeat(308)}.${'9'.repeat(50)}`,
  ];
  const random = fc.sample(
    fc.tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,25}$/), fc.option(fc.stringMatching(/^[0-9]{1,25}$/), { nil: undefined })).map(
      ([negative, integer, fraction]) => `${negative ? '-' : ''}${integer}${fraction === undefined ? '' : `.${fraction}`}`,
    ),
    { numRuns: 500, seed: 11 },
  );

  it(`reads ${cases.length} edge cases and ${random.length} random decimals to the same double`, async () => {
    for (const engine of engines) {
      const values = [...cases, ...random];
      const got = await readValues(engine, 'number', 'text', 'text', values);
      const wrong = values
        .map((text, i) => ({ text: text.length > 40 ? `${text.slice(0, 20)}...(${text.length})` : text, got: got[i], want: Number.isNaN(rt.toNumber(text)) ? null : rt.toNumber(text) }))
        .filter((c) => c.got !== c.want);
      expect(wrong, engine.name).toEqual([]);
    }
  }, 30_000);

  it('reads text and csv cells alike, as the runtime reads a string (trimmed by folding\'s set, a leading +)', async () => {
    const values = [' +5 ', '+-5', ' 12.5\t', '\u3000 7', '\u00a07\u00a0', '5.', 'abc'];
    const want = [5, null, 12.5, null, 7, null, null];
    expect(values.map((text) => (Number.isNaN(rt.toNumber(text)) ? null : rt.toNumber(text)))).toEqual(want);
    for (const engine of engines) {
      for (const format of ['csv', 'text'] as const) expect(await readValues(engine, 'number', format, 'text', values), `${engine.name} ${format}`).toEqual(want);
    }
  });
});

describe('ISO 8601 dates are read as the runtime reads them', () => {
  const cases = [
    '2026-03-01', '2024-02-29', '2026-02-29', '2100-02-29', '2000-02-29', '0000-02-29', '0000-01-01', '9999-12-31T23:59:59.999999999Z',
    '2026-03-01T09:30', '2026-03-01T09:30Z', '2026-03-01T09:30:00', '2026-03-01T09:30:00.5Z', '2026-03-01T09:30:00.123456+05:30',
    '2026-03-01T09:30:00-0530', '2026-03-01T09:30+02', '2026-03-01T00:00:00-23:59', '2026-03-01T00:00:00+24:00', '2026-03-01T24:00',
    '2026-03-01T23:60', '2026-03-01T23:59:60', '2026-03-01t09:30', '2026-03-01 09:30', '2026-3-1', '2026-13-01', '2026-00-10',
    '2026-03-00', '2026-03-01T09:30:00.Z', '2026-03-01T09:30:00.1234567891Z', '2026-03-01T09:30:00+05:', '2026-03-01T09:30:00Z ',
    ' 2026-03-01', '20260301', '2026-03-01T09:30:00.000+00:00', '1969-12-31T23:59:59.999Z', '1900-01-01T00:00:00.001-00:01',
  ];
  const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
  const random = fc.sample(
    fc
      .tuple(digits(4), digits(2), digits(2), fc.option(fc.tuple(digits(2), digits(2), fc.option(digits(2)), fc.constantFrom('', '.1', '.123', '.1234567'), fc.constantFrom('', 'Z', '+01:00', '-0930', '+14'))))
      .map(([y, m, d, time]) => {
        const date = `${y}-${m}-${d}`;
        if (time === null) return date;
        const [h, mi, s, frac, zone] = time;
        return `${date}T${h}:${mi}${s === null ? '' : `:${s}${frac}`}${zone}`;
      }),
    { numRuns: 600, seed: 13 },
  );

  it(`reads ${cases.length} edge cases and ${random.length} random ISO texts to the same milliseconds`, async () => {
    for (const engine of engines) {
      const values = [...cases, ...random];
      const got = await readValues(engine, 'date', 'text', 'text', values);
      const wrong = values.map((text, i) => ({ text, got: got[i], want: Number.isNaN(rt.toInstant(text, 0)) ? null : rt.toInstant(text, 0) })).filter((c) => c.got !== c.want);
      expect(wrong, engine.name).toEqual([]);
    }
  }, 30_000);
});

/** Scores `rows` of `leads` (and `events`) with `text` in every engine, and with JavaScript. */
async function scoreEverywhere(
  text: string,
  tables: { leads: { columns: Array<{ name: string; kind: ColumnKind }>; rows: Cell[][] }; events?: { columns: Array<{ name: string; kind: ColumnKind }>; rows: Cell[][] } },
  mapping: SqlMapping,
  now: string,
): Promise<Map<string, Array<Record<string, unknown>>>> {
  const { scorer } = compile(text);
  if (scorer === null) throw new Error('rule file does not compile');
  const out = new Map<string, Array<Record<string, unknown>>>();
  for (const engine of engines) {
    await engine.load({ name: 'leads', ...tables.leads });
    if (tables.events !== undefined) await engine.load({ name: 'events', ...tables.events });
    const rows = await engine.query(`SELECT * FROM (${emitSql(scorer.ir, { dialect: engine.name, mapping, select: true, now })}) AS s ORDER BY 1`);
    out.set(engine.name, rows);
  }
  return out;
}

describe('typed columns', () => {
  it('reads integer, decimal, double, boolean, timestamp with time zone and date columns like a driver would', async () => {
    const text = [
      'lead { n_int: number\n n_dec: number\n n_dbl: number\n d_tz: date\n d_date: date\n b: bool }',
      'when n_int > 5 add 1',
      'when n_dec = 1.5 add 2',
      'when d_tz >= 2026-03-01T10:00:00Z add 4',
      'when d_date = 2026-03-01 add 8',
      'when b is false add 16',
      'when n_dbl is set add 32',
    ].join('\n');
    for (const engine of engines) {
      const duck = engine.name === 'duckdb';
      const create = `CREATE ${duck ? '' : 'TEMP '}TABLE typed (id integer, n_int integer, n_dec ${duck ? 'DECIMAL(12,3)' : 'numeric(12,3)'}, n_dbl double precision, d_tz ${duck ? 'TIMESTAMPTZ' : 'timestamptz'}, d_date date, b boolean)`;
      await engine.run(`DROP TABLE IF EXISTS typed; ${create}`);
      await engine.run(
        [
          `INSERT INTO typed VALUES (1, 6, 1.5, 1.0, '2026-03-01 12:00:00+02', '2026-03-01', false)`,
          `(2, 5, 1.499, 'NaN', '2026-03-01 11:59:59.999999+02', '2026-02-28', true)`,
          `(3, NULL, NULL, 'Infinity', NULL, NULL, NULL)`,
          `(4, 7, 1.500, -0.0, 'infinity', 'infinity', false)`,
        ].join(', '),
      );
      const mapping: SqlMapping = {
        leads: {
          table: 'typed',
          fields: {
            n_int: { column: 'n_int', format: 'number' },
            n_dec: { column: 'n_dec', format: 'number' },
            n_dbl: { column: 'n_dbl', format: 'number' },
            d_tz: { column: 'd_tz', format: 'timestamp' },
            d_date: { column: 'd_date', format: 'timestamp' },
            b: { column: 'b', format: 'bool' },
          },
        },
      };
      const { scorer } = compile(text);
      const rows = await engine.query(`SELECT id, score FROM (${emitSql(scorer!.ir, { dialect: engine.name, mapping, select: true, now: '2026-03-02' })}) AS s ORDER BY id`);
      expect(rows.map((r) => r.score), engine.name).toEqual([1 + 2 + 4 + 8 + 16 + 32, 0, 0, 1 + 2 + 16 + 32]);
      // The same leads as a driver hands them to JavaScript.
      const js = [
        { n_int: 6, n_dec: 1.5, n_dbl: 1, d_tz: new Date('2026-03-01T10:00:00Z'), d_date: new Date('2026-03-01T00:00:00Z'), b: false },
        { n_int: 5, n_dec: 1.499, n_dbl: Number.NaN, d_tz: new Date('2026-03-01T09:59:59.999Z'), d_date: new Date('2026-02-28T00:00:00Z'), b: true },
        { n_dbl: Infinity },
        { n_int: 7, n_dec: 1.5, n_dbl: -0, b: false },
      ].map((lead) => scorer!.score(lead, { now: '2026-03-02' }).score);
      expect(rows.map((r) => r.score)).toEqual(js);
    }
  });

  it('reads list and JSON columns, and a JSON column holding text', async () => {
    const text = 'lead { tags: list of text\n size: number\n extra: text }\nwhen tags has any [vip, "chef d\'équipe"] add 1\nwhen size >= 10 add 2\nwhen extra = "ok" add 4\nwhen tags is missing add 8';
    const mapping: SqlMapping = { leads: { fields: { tags: { column: 'tags', format: 'list' }, size: { column: 'size', format: 'json' }, extra: { column: 'extra', format: 'json' } } } };
    const result = await scoreEverywhere(
      text,
      {
        leads: {
          columns: [{ name: 'id', kind: 'text' }, { name: 'tags', kind: 'list' }, { name: 'size', kind: 'json' }, { name: 'extra', kind: 'text' }],
          rows: [
            ['a', ['x', ' VIP '], '12', '"OK"'],
            ['b', ['Chef d\'Équipe'], '"10"', '"  ok\u00a0"'],
            ['c', [], '1e400', 'true'],
            ['d', ['vip', null], '9.99', '{"x": 1}'],
            ['e', null, 'null', null],
          ],
        },
      },
      mapping,
      '2026-03-01',
    );
    for (const [engine, rows] of result) expect(rows.map((r) => r.score), engine).toEqual([7, 7, 8, 8, 8]);
  });
});

describe('now', () => {
  const text = 'lead { job: text }\nevent visit\nwhen any visit within 1 day add 1\nwhen any visit add 2';
  const tables = (at: string) => ({
    leads: { columns: [{ name: 'id', kind: 'text' as const }], rows: [['a']] as Cell[][] },
    events: { columns: [{ name: 'lead_id', kind: 'text' as const }, { name: 'type', kind: 'text' as const }, { name: 'at', kind: 'text' as const }], rows: [['a', 'visit', at]] as Cell[][] },
  });

  it('binds $1 to epoch milliseconds', async () => {
    const { scorer } = compile(text);
    for (const engine of engines) {
      for (const table of Object.entries(tables('2026-03-01T00:00:00Z'))) await engine.load({ name: table[0], ...table[1] });
      const sql = emitSql(scorer!.ir, { dialect: engine.name, select: true, now: 'parameter' });
      const at = Date.parse('2026-03-01T00:00:00Z');
      const scores = [];
      for (const now of [at - 1, at, at + 86_400_000, at + 86_400_001]) scores.push((await engine.query(sql, [engine.name === 'duckdb' ? BigInt(now) : now]))[0].score);
      expect(scores, engine.name).toEqual([0, 3, 3, 2]);
    }
  });

  it('defaults to the current time of the query', async () => {
    const { scorer } = compile(text);
    for (const engine of engines) {
      for (const table of Object.entries(tables(new Date(Date.now() - 3_600_000).toISOString()))) await engine.load({ name: table[0], ...table[1] });
      const rows = await engine.query(emitSql(scorer!.ir, { dialect: engine.name, select: true }));
      expect(rows[0].score, engine.name).toBe(3);
    }
  });
});

describe('data names longer than PostgreSQL keeps (63 bytes)', () => {
  // 70 bytes, and one whose 63-byte cut falls inside a two-byte letter (é).
  const longColumn = `chiffre_${'x'.repeat(62)}`;
  const accented = `${'p'.repeat(62)}é_pages`;
  const text = [
    'lead {',
    `  revenue: number from "${longColumn}"`,
    '}',
    `event page_view { \`${accented}\`: text }`,
    'when revenue >= 1000 add 10',
    `when any page_view where \`${accented}\` starts "/tarifs" add 5`,
  ].join('\n');

  it('reads a long column by the name PostgreSQL stores, as DuckDB reads the whole name, and agrees with JavaScript', async () => {
    const { scorer, diagnostics } = compile(text);
    expect(scorer, diagnostics.map((d) => d.message).join('\n')).not.toBeNull();
    const js = [
      scorer!.score({ [longColumn]: '2000' }, { now: '2026-03-01', events: [{ type: 'page_view', at: '2026-02-01', [accented]: '/tarifs/pme' }] as never }),
      scorer!.score({ [longColumn]: '10' }, { now: '2026-03-01', events: [] }),
    ].map((r) => r.score);
    expect(js).toEqual([15, 0]);
    for (const engine of engines) {
      // PostgreSQL itself cuts the names when it creates the tables (NAMEDATALEN 64).
      await engine.load({ name: 'leads', columns: [{ name: 'id', kind: 'text' }, { name: longColumn, kind: 'text' }], rows: [['1', '2000'], ['2', '10']] });
      await engine.load({
        name: 'events',
        columns: [{ name: 'lead_id', kind: 'text' }, { name: 'type', kind: 'text' }, { name: 'at', kind: 'text' }, { name: accented, kind: 'text' }],
        rows: [['1', 'page_view', '2026-02-01', '/tarifs/pme']],
      });
      const sql = emitSql(scorer!.ir, { dialect: engine.name, select: true, now: '2026-03-01' });
      if (engine.name === 'postgres') {
        // Read by its cut name (the comment above the read still names the whole column).
        expect(sql).toContain(`src."${longColumn.slice(0, 63)}"`);
        expect(sql).not.toContain(`src."${longColumn}"`);
        // The cut never splits a character: 62 ASCII letters, then é (2 bytes) does not fit.
        expect(sql).toContain(`src."${'p'.repeat(62)}"`);
      }
      const rows = await engine.query(`SELECT id, score FROM (${sql}) AS s ORDER BY id`);
      expect(rows.map((r) => Number(r.score)), engine.name).toEqual(js);
    }
  });

  it('refuses two columns PostgreSQL would store as one, naming both', () => {
    const twin = `${longColumn.slice(0, 63)}_other_end`;
    const { scorer } = compile(`lead {\n  revenue: number from "${longColumn}"\n  size: number from "${twin}"\n}\nwhen revenue >= 1 add 1\nwhen size >= 1 add 1\n`);
    expect(scorer).not.toBeNull();
    expect(() => emitSql(scorer!.ir, { dialect: 'postgres', select: true, now: '2026-03-01' })).toThrow(/the leads columns `chiffre_x+` and `chiffre_x+_other_end` would be one column in PostgreSQL/);
    // DuckDB keeps both names whole.
    expect(() => emitSql(scorer!.ir, { dialect: 'duckdb', select: true, now: '2026-03-01' })).not.toThrow();
  });
});

describe('the view, hostile names and values', () => {
  const text = [
    'lead {',
    "  `'); drop table leads; --`: text",
    '  `a"b`: number',
    '  `__proto__`: list of text',
    '}',
    "event `it's` { `x\"y`: text }",
    'group `"); drop table leads; --` max 50 {',
    `  when \`'); drop table leads; --\` = "'); drop table leads; --" add 1 "label'); drop table leads; --\\n-- injected"`,
    `  when \`'); drop table leads; --\` ends "C:\\\\temp\\\\" add 2`,
    '  when `a"b` > 1 add 4',
    '  when `__proto__` has "${1+1}" add 8',
    `  when any \`it's\` where \`x"y\` contains "\\\\u0041" add 16`,
    '}',
    "stage `it's` at 1",
    'tier `x"y` when score >= 16',
  ].join('\n');
  const leadColumns = [
    { name: 'id', kind: 'text' as const },
    { name: "'); drop table leads; --", kind: 'text' as const },
    { name: 'a"b', kind: 'text' as const },
    { name: '__proto__', kind: 'text' as const },
  ];
  const leadRows: Cell[][] = [
    ['1', " '); DROP TABLE leads; -- ", '2', '${1+1};constructor'],
    ['2', 'C:\\TEMP\\', '1', 'toString'],
    ['3', null, '1e3', '\\'],
  ];
  const events = {
    columns: [{ name: 'lead_id', kind: 'text' as const }, { name: 'type', kind: 'text' as const }, { name: 'at', kind: 'text' as const }, { name: 'x"y', kind: 'text' as const }],
    rows: [['1', "it's", '2026-02-01', 'a \\U0041 b'], ['2', "IT'S", '2026-02-01', '\\u0041'], ['3', "it's", '2026-02-01', 'A']] as Cell[][],
  };

  it('creates the view, scores through it, leaves the tables alone, and agrees with JavaScript', async () => {
    const { scorer } = compile(text);
    expect(scorer).not.toBeNull();
    const js = [
      { lead: { "'); drop table leads; --": " '); DROP TABLE leads; -- ", 'a"b': '2', ['__proto__']: ['${1+1}', 'constructor'] }, events: [{ type: "it's", at: '2026-02-01', 'x"y': 'a \\U0041 b' }] },
      { lead: { "'); drop table leads; --": 'C:\\TEMP\\', 'a"b': '1', ['__proto__']: ['toString'] }, events: [{ type: "IT'S", at: '2026-02-01', 'x"y': '\\u0041' }] },
      { lead: { 'a"b': '1e3', ['__proto__']: ['\\'] }, events: [{ type: "it's", at: '2026-02-01', 'x"y': 'A' }] },
    ].map(({ lead, events: evs }) => {
      const own: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(lead)) Object.defineProperty(own, key, { value, enumerable: true });
      return scorer!.score(own, { now: '2026-03-01', events: evs as never });
    });
    expect(js.map((r) => r.score)).toEqual([1 + 4 + 8 + 16, 2, 0]);
    for (const engine of engines) {
      await engine.load({ name: 'leads', columns: leadColumns, rows: leadRows });
      await engine.load({ name: 'events', ...events });
      await engine.run(emitSql(scorer!.ir, { dialect: engine.name, view: 'scores; drop table leads', now: '2026-03-01' }));
      const rows = await engine.query(`SELECT * FROM ${quoteName('scores; drop table leads')} ORDER BY id`);
      expect(
        rows.map((r) => [r.score, r.stage, r.tier, r['"); drop table leads; --']]),
        engine.name,
      ).toEqual(js.map((r) => [r.score, r.stage, r.tier, r.groups['"); drop table leads; --']]));
      expect((await engine.query('SELECT count(*) AS n FROM leads'))[0].n, engine.name).toBe(3);
      await engine.run(`DROP VIEW ${quoteName('scores; drop table leads')}`);
    }
  });

  it('reads backslashes the same in PostgreSQL whatever standard_conforming_strings says', async () => {
    const pg = engines.find((engine) => engine.name === 'postgres');
    if (pg === undefined) return;
    const { scorer } = compile(text);
    await pg.load({ name: 'leads', columns: leadColumns, rows: leadRows });
    await pg.load({ name: 'events', ...events });
    const sql = emitSql(scorer!.ir, { dialect: 'postgres', select: true, now: '2026-03-01' });
    const on = await pg.query(sql);
    await pg.run('SET standard_conforming_strings = off; SET escape_string_warning = off');
    try {
      expect(await pg.query(sql)).toEqual(on);
    } finally {
      await pg.run('SET standard_conforming_strings = on');
    }
  });

  it('matches text holding NUL in DuckDB', async () => {
    const duck = engines.find((engine) => engine.name === 'duckdb') as TestEngine;
    const { scorer } = compile('lead { job: text }\nwhen job = "a\\u{0}b" add 1\nwhen job != "a\\u{0}b" add 2\nwhen job contains "\\u{0}" add 4');
    await duck.load({ name: 'leads', columns: [{ name: 'id', kind: 'text' }, { name: 'job', kind: 'text' }], rows: [['1', 'A\u0000B'], ['2', 'ab'], ['3', null]] });
    const rows = await duck.query(emitSql(scorer!.ir, { dialect: 'duckdb', select: true, now: '2026-03-01' }));
    expect(rows.map((r) => r.score)).toEqual(['A\u0000B', 'ab', undefined].map((job) => scorer!.score(job === undefined ? {} : { job }).score));
    expect(rows.map((r) => r.score)).toEqual([5, 2, 0]);
  });
});

describe('issue 15: stage requires conditions and old decayed events, on both engines', () => {
  const text = [
    'lead {',
    '  email: text',
    '  phone: text',
    '}',
    'event click',
    'let personal_domains = ["gmail.com", "yahoo.fr"]',
    'each click add 9 half-life 12 hours',
    'when phone is set add 50',
    "stage mql at 50 requires phone, email not ends any personal_domains, email not contains \"'); drop table leads; --\"",
    'stage hot at 50 requires phone or email, any click within 30 days',
  ].join('\n');
  const leadColumns = [
    { name: 'id', kind: 'text' as const },
    { name: 'email', kind: 'text' as const },
    { name: 'phone', kind: 'text' as const },
  ];
  const leads: Cell[][] = [
    ['1', 'ana@acme.fr', '06'],
    ['2', 'Ana@GMAIL.com ', '06'],
    ['3', null, '06'],
    ['4', "x'); drop table leads; --@acme.fr", '06'],
  ];
  // Events up to 40 years old: 0.5^(age / 12 hours) is far below the smallest double, which
  // PostgreSQL's power() reports as an error unless the exponent is capped.
  const events = {
    columns: [{ name: 'lead_id', kind: 'text' as const }, { name: 'type', kind: 'text' as const }, { name: 'at', kind: 'text' as const }],
    rows: [['1', 'click', '1986-03-01'], ['1', 'click', '2026-02-28T12:00:00Z'], ['2', 'click', '2024-01-01'], ['3', 'click', '2026-02-20']] as Cell[][],
  };

  it('gives the JavaScript scores and stages', async () => {
    const { scorer } = compile(text);
    expect(scorer).not.toBeNull();
    const js = leads.map((row) => {
      const lead: Record<string, unknown> = {};
      if (row[1] !== null) lead.email = row[1];
      if (row[2] !== null) lead.phone = row[2];
      const evs = events.rows.filter((e) => e[0] === row[0]).map((e) => ({ type: e[1], at: e[2] }));
      return scorer!.score(lead, { now: '2026-03-01', events: evs as never });
    });
    expect(js.map((r) => r.stage)).toEqual(['hot', null, 'hot', null]);
    for (const engine of engines) {
      await engine.load({ name: 'leads', columns: leadColumns, rows: leads });
      await engine.load({ name: 'events', ...events });
      const rows = await engine.query(`SELECT id, score, stage FROM (${emitSql(scorer!.ir, { dialect: engine.name, select: true, now: '2026-03-01' })}) AS s ORDER BY id`);
      expect(rows.map((r) => [r.score, r.stage]), engine.name).toEqual(js.map((r) => [r.score, r.stage]));
    }
  });
});
