/**
 * `build --target sql` under a `data` dialect, end to end: the compiled JavaScript scorer,
 * DuckDB and a real PostgreSQL score the same leads from RULE-FILE TEXT with a `data` block and
 * fields read `from "COLUMN"` with their own `missing` lists, and must agree exactly on the
 * score, stage, tier, every group and every rule's points.
 *
 * - Random files: a random dialect (number format, date order, bool words, placeholders), random
 *   columns (hostile names among them), random rules over every type and an event with properties
 *   read from named columns; leads whose every cell is messy export text (support/dialect-values.ts)
 *   and events whose `at` is written in the dialect's order; a quarter of the columns hold the
 *   same strings as JSON (named in the mapping), the rest are text read from `from` by default. RUBRIC_SQL_DIALECT_RUNS files
 *   (default 60) x 30 leads; RUBRIC_SQL_DIALECT_SEED replays a run.
 * - Hostile words: a data block and `from`/`missing` full of quotes, backslashes,
 *   `'); drop table x; --` and `__proto__`; the tables survive and the engines agree.
 * - The mapping: `from` is the default column, an explicit mapping entry still wins.
 * - examples/french-crm-export: its 200 leads (the Windows-1252 CSV export and the JSONL export)
 *   and its events, scored in JavaScript, DuckDB and PostgreSQL.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../packages/core/src/compiler/compile.js';
import type { ScorerIR } from '../../packages/core/src/compiler/ir.js';
import { emitSql, type SqlMapping } from '../../packages/core/src/compiler/sql/index.js';
import type { CompiledScorer } from '../../packages/core/src/compiler/compile.js';
import type { Explanation, LeadEvent } from '../../packages/core/src/runtime/types.js';
import { random } from './support/cases.js';
import { dateText, digits, numberText, pad, pick, placeholderText, textFor, wordText, writeDate, type Next } from './support/dialect-values.js';
import { openDuckdb, postgresEngine, type Cell, type TestEngine } from './support/engines.js';
import { postgresForTests, type PostgresServer } from './support/postgres.js';

const RUNS = Number(process.env.RUBRIC_SQL_DIALECT_RUNS ?? 60);
const SEED = Number(process.env.RUBRIC_SQL_DIALECT_SEED ?? 20261203);
const LEADS_PER_FILE = 30;
const NOW = '2026-03-01T00:00:00Z';
const NOW_MS = Date.parse(NOW);

let server: PostgresServer | null = null;
const engines: TestEngine[] = [];
const counted = { duckdb: 0, postgres: 0, files: 0, ruleHits: 0 };

beforeAll(async () => {
  engines.push(await openDuckdb());
  server = await postgresForTests();
  if (server !== null) engines.push(postgresEngine(server.client));
}, 60_000);

afterAll(async () => {
  for (const engine of engines) await engine.close();
  await server?.stop();
  process.stderr.write(
    `SQL dialect differential: ${counted.files} rule files, ${counted.ruleHits} rule hits in JavaScript; ${counted.duckdb} leads on DuckDB, ${counted.postgres} on PostgreSQL${server === null ? ' (NOT RUN)' : ` ${server.version}`}\n`,
  );
}, 30_000);

/** A rule-file string literal. */
function str(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** A rule-file list literal of strings. */
function list(texts: readonly string[]): string {
  return `[${texts.map(str).join(', ')}]`;
}

/** Sets an own property, `__proto__` included. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

interface LeadRow {
  readonly id: string;
  /** By column. */
  readonly cells: ReadonlyMap<string, string | null>;
  readonly events: ReadonlyArray<ReadonlyMap<string, string | null>>;
}

interface Dataset {
  readonly leadColumns: readonly string[];
  readonly eventColumns: readonly string[];
  readonly rows: readonly LeadRow[];
  /** Columns stored as JSON (each string cell as a JSON string); the others are text. */
  readonly jsonColumns?: ReadonlySet<string>;
}

/** The JavaScript lead and events a row stands for: every present cell as the string it is. */
function jsLead(row: LeadRow): { lead: Record<string, unknown>; events: LeadEvent[] } {
  const lead: Record<string, unknown> = {};
  for (const [column, value] of row.cells) if (value !== null) setOwn(lead, column, value);
  const events = row.events.map((cells) => {
    const event: Record<string, unknown> = {};
    for (const [column, value] of cells) if (value !== null) setOwn(event, column, value);
    return event as unknown as LeadEvent;
  });
  return { lead, events };
}

function expectedRow(result: Explanation, rules: number): Record<string, unknown> {
  const row: Record<string, unknown> = { score: result.score, stage: result.stage, tier: result.tier };
  for (const [name, value] of Object.entries(result.groups)) row[`group ${name}`] = value;
  for (let i = 0; i < rules; i++) row[`r${i}`] = 0;
  for (const hit of result.hits) row[`r${hit.rule}`] = hit.points;
  return row;
}

function gotRow(row: Record<string, unknown>, groups: readonly string[], rules: number): Record<string, unknown> {
  const out: Record<string, unknown> = { score: row.score, stage: row.stage, tier: row.tier };
  for (const name of groups) out[`group ${name}`] = row[name];
  for (let i = 0; i < rules; i++) out[`r${i}`] = row[`r${i}`];
  return out;
}

let dumpDir: string | undefined;
function dump(name: string, text: string): string {
  dumpDir ??= mkdtempSync(path.join(tmpdir(), 'rubric-sql-dialect-'));
  const file = path.join(dumpDir, name);
  writeFileSync(file, text);
  return file;
}

function compiled(text: string): CompiledScorer {
  const { scorer, diagnostics } = compile(text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (scorer === null || errors.length > 0) throw new Error(`the rule file does not compile: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}\n${text}`);
  return scorer;
}

/**
 * Loads `data` into every engine (leads in `leads`, events in `events`, all text), scores it
 * with the SQL of `scorer` for `mapping` and with the scorer itself, and expects every lead to
 * agree exactly. Returns the JavaScript results by id.
 */
async function agree(text: string, scorer: CompiledScorer, data: Dataset, mapping: SqlMapping = {}): Promise<Map<string, Explanation>> {
  const ir: ScorerIR = scorer.ir;
  const groups = ir.groups.map((g) => g.name);
  const js = new Map<string, Explanation>();
  for (const row of data.rows) {
    const { lead, events } = jsLead(row);
    const result = scorer.explain(lead, { now: NOW, events });
    counted.ruleHits += result.hits.length;
    js.set(row.id, result);
  }
  const json = data.jsonColumns ?? new Set<string>();
  const kind = (name: string) => (json.has(name) ? ('json' as const) : ('text' as const));
  const cell = (name: string, value: string | null | undefined): Cell => (value === null || value === undefined ? null : json.has(name) ? JSON.stringify(value) : value);
  const leads = { name: 'leads', columns: [{ name: 'id', kind: 'text' as const }, ...data.leadColumns.map((name) => ({ name, kind: kind(name) }))], rows: data.rows.map((row) => [row.id, ...data.leadColumns.map((c) => cell(c, row.cells.get(c)))] as Cell[]) };
  const events = {
    name: 'events',
    columns: [{ name: 'lead_id', kind: 'text' as const }, ...data.eventColumns.map((name) => ({ name, kind: kind(name) }))],
    rows: data.rows.flatMap((row) => row.events.map((cells) => [row.id, ...data.eventColumns.map((c) => cell(c, cells.get(c)))] as Cell[])),
  };
  for (const engine of engines) {
    await engine.load(leads);
    await engine.load(events);
    const sql = emitSql(ir, { dialect: engine.name, mapping, select: true, explain: true, now: NOW });
    let rows: Array<Record<string, unknown>>;
    try {
      rows = await engine.query(sql);
    } catch (error) {
      throw new Error(`${engine.name} rejected the query (${dump(`failed-${engine.name}.sql`, sql)}): ${error instanceof Error ? error.message : String(error)}\n--- rule file ---\n${text}`);
    }
    expect(rows.length, engine.name).toBe(data.rows.length);
    const byId = new Map(rows.map((row) => [String(row.id), row]));
    for (const row of data.rows) {
      const expected = expectedRow(js.get(row.id) as Explanation, ir.rules.length);
      const found = byId.get(row.id);
      const got = found === undefined ? { missing: true } : gotRow(found, groups, ir.rules.length);
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        throw new Error(
          [
            `${engine.name} disagrees with the JavaScript scorer on lead ${row.id} (query: ${dump(`mismatch-${engine.name}.sql`, sql)})`,
            `expected ${JSON.stringify(expected)}`,
            `got      ${JSON.stringify(got)}`,
            `--- lead cells ${JSON.stringify(Object.fromEntries(row.cells))}`,
            `--- events ${JSON.stringify(row.events.map((e) => Object.fromEntries(e)))}`,
            '--- rule file ---',
            text,
          ].join('\n'),
        );
      }
    }
    counted[engine.name] += data.rows.length;
  }
  return js;
}

// ---------------------------------------------------------------------------------------------
// Random rule files with a data block

const COLUMN_NAMES = ['Job Title', 'Effectif', 'Téléphone', 'Date de création', 'Opt-in', "'); drop table x; --", 'a"b', 'back\\slash', '__proto__', 'constructor', 'Tags | list', 'Company size', 'Secteur d\'activité', 'Page URL', 'Nb pages'];
const MISSING_POOL = ['N/A', 'n/c', '-', '?', 'inconnu', 'Non renseigné', '0000000000', '00 00 00 00 00', '(not set)', "'); drop table x; --", '__proto__', 'a\\b', '1900-01-01', '0'];
const TRUE_POOL = ['oui', 'vrai', 'o', 'sí', 'ja', "it's true"];
const FALSE_POOL = ['non', 'faux', 'n', 'nein', 'a\\b false'];

function subset<T>(next: Next, values: readonly T[], max: number): T[] {
  return values.filter(() => next() < max / values.length);
}

interface FieldSpec {
  readonly name: string;
  readonly type: 'number' | 'bool' | 'date' | 'text' | 'one-of' | 'list';
  readonly declaration: string;
  readonly column: string;
}

/** One random rule file with its data, in a random dialect. */
function randomFile(seed: number): { text: string; data: Dataset; mapping: SqlMapping } {
  const next = random(seed);
  const numbers = pick(next, ['plain', 'decimal comma', 'decimal point'] as const);
  const dates = pick(next, ['iso', 'day first', 'month first'] as const);
  const order = dates === 'iso' ? 'iso' : dates === 'day first' ? 'day-first' : 'month-first';
  // Placeholders and bool words never overlap (R043), nor do bool words meet the built-ins.
  const trueWords = next() < 0.7 ? subset(next, TRUE_POOL, 3) : [];
  const falseWords = next() < 0.7 ? subset(next, FALSE_POOL, 3) : [];
  const missing = next() < 0.8 ? subset(next, MISSING_POOL, 5).filter((word) => !(word === '0')) : [];
  const columns = [...COLUMN_NAMES].sort(() => next() - 0.5);
  let nextColumn = 0;
  const fieldMissing = (): string[] => (next() < 0.3 ? subset(next, MISSING_POOL.filter((w) => !missing.includes(w) && (w !== '0')), 2) : []);

  const fields: FieldSpec[] = [];
  const field = (name: string, type: FieldSpec['type'], typeText: string) => {
    const column = next() < 0.6 ? columns[nextColumn++] : undefined;
    const own = fieldMissing();
    const parts = [typeText];
    const from = column === undefined ? '' : ` from ${str(column)}`;
    const miss = own.length === 0 ? '' : ` missing ${list(own)}`;
    // Either order (the formatter prints `from` first; the parser takes both).
    parts.push(next() < 0.5 ? `${from}${miss}` : `${miss}${from}`);
    fields.push({ name, type, declaration: `  ${name}: ${parts.join('')}`, column: column ?? name });
  };
  field('n', 'number', 'number');
  field('company.size', 'number', 'number');
  field('b', 'bool', 'bool');
  field('d', 'date', 'date');
  field('t', 'text', 'text');
  field('o', 'one-of', 'one of [acme, services, "santé", "Directeur Général"]');
  field('l', 'list', 'list of text');
  const urlColumn = next() < 0.6 ? columns[nextColumn++] : undefined;
  const pagesColumn = next() < 0.6 ? columns[nextColumn++] : undefined;
  const urlMissing = next() < 0.5 ? ` missing ${list(['(not set)'])}` : '';

  const data: string[] = [];
  if (missing.length > 0) data.push(`  missing: ${list(missing)}`);
  if (numbers !== 'plain' || next() < 0.3) data.push(`  numbers: ${numbers}`);
  if (dates !== 'iso' || next() < 0.3) data.push(`  dates: ${dates}`);
  if (trueWords.length > 0) data.push(`  true: ${list(trueWords)}`);
  if (falseWords.length > 0) data.push(`  false: ${list(falseWords)}`);

  const rules = [
    'when n > 10 add 1',
    'when n between -3 and 1200 add 2',
    'when n is missing add 3',
    'when company.size >= 12.5 add 4',
    'when company.size = 1200 add 5',
    'when b add 6',
    'when b is false add 7',
    'when b is missing add 8',
    'when d >= 2026-02-01 add 9',
    'when d < 2000-01-01 add 10',
    'when d is set add 11',
    'when d >= 30 days ago add 12',
    'when t = "acme" add 13',
    'when t starts "dir" add 14',
    'when t is set add 15',
    'when o in [acme, services] add 16',
    'when o is missing add 17',
    'when l has any [vip, acme, "n/a"] add 18',
    'when l is missing add 19',
    'when any visit where url starts "/p" within 30 days add 20',
    'each visit where pages >= 2 add 1 up to 3',
    'when any visit within 7 days add 21',
    'when any visit where url is missing add 22',
  ].filter(() => next() < 0.6);
  if (rules.length === 0) rules.push('when n > 10 add 1');
  const grouped = rules.filter(() => next() < 0.5);
  const ungrouped = rules.filter((rule) => !grouped.includes(rule));
  const text = [
    'lead {',
    ...fields.map((f) => f.declaration),
    '}',
    `event visit { url: text${urlColumn === undefined ? '' : ` from ${str(urlColumn)}`}${urlMissing}\n  pages: number${pagesColumn === undefined ? '' : ` from ${str(pagesColumn)}`} }`,
    ...(data.length > 0 || next() < 0.2 ? ['data {', ...data, '}'] : []),
    ...(grouped.length > 0 ? [`group g max 40 {`, ...grouped.map((rule) => `  ${rule}`), '}'] : []),
    ...ungrouped,
    'stage cold at 0',
    'stage warm at 10 requires t, n',
    'tier top when score >= 20',
  ].join('\n');

  // The data: every cell export text, some absent or blank.
  const urlKey = urlColumn ?? 'url';
  const pagesKey = pagesColumn ?? 'pages';
  const rows: LeadRow[] = [];
  for (let i = 0; i < LEADS_PER_FILE; i++) {
    const cells = new Map<string, string | null>();
    for (const f of fields) {
      const r = next();
      cells.set(f.column, r < 0.08 ? null : r < 0.12 ? '' : f.type === 'one-of' || f.type === 'text' ? pick(next, [wordText, placeholderText])(next) : textFor(f.type, next));
    }
    const events: Array<Map<string, string | null>> = [];
    const count = Math.floor(next() * 4);
    for (let k = 0; k < count; k++) {
      const ago = Math.floor(next() * 60 * 86_400_000) - (next() < 0.1 ? 2 * 86_400_000 : 0);
      const at = new Date(NOW_MS - ago);
      const year = String(at.getUTCFullYear());
      const written = next() < 0.85 ? writeDate(next, year, at.getUTCMonth() + 1, at.getUTCDate(), next() < 0.8 ? order : 'iso') : pick(next, [dateText, placeholderText])(next);
      events.push(
        new Map([
          ['type', next() < 0.9 ? 'visit' : pick(next, ['Visit', 'other', ' visit'])],
          ['at', pad(next, written)],
          [urlKey, next() < 0.15 ? null : pick(next, ['/pricing', '/Produit', ' /p?x=1 ', '(not set)', 'N/A', '', '/about'])],
          [pagesKey, next() < 0.15 ? null : pick(next, [numberText, () => digits(next, 1), placeholderText])(next)],
        ]),
      );
    }
    rows.push({ id: `L${i}`, cells, events });
  }
  // Some columns hold JSON (the same strings, JSON-encoded), named in the mapping with their
  // format; the others are text read from their `from` column by default.
  const jsonColumns = new Set<string>();
  const leadFields: Record<string, { column: string; format: 'json' }> = {};
  for (const f of fields) {
    if (next() < 0.25) {
      jsonColumns.add(f.column);
      setOwn(leadFields, f.name, { column: f.column, format: 'json' });
    }
  }
  const properties: Record<string, { column: string; format: 'json' }> = {};
  for (const [name, column] of [['url', urlKey], ['pages', pagesKey]] as const) {
    if (next() < 0.25) {
      jsonColumns.add(column);
      setOwn(properties, name, { column, format: 'json' });
    }
  }
  const atJson = next() < 0.25;
  if (atJson) jsonColumns.add('at');
  const mapping: SqlMapping = { leads: { fields: leadFields }, events: { properties, ...(atJson ? { at: { column: 'at', format: 'json' as const } } : {}) } };
  return { text, data: { leadColumns: fields.map((f) => f.column), eventColumns: ['type', 'at', urlKey, pagesKey], rows, jsonColumns }, mapping };
}

describe('SQL target under a data dialect: JavaScript = DuckDB = PostgreSQL', () => {
  it(`agrees on ${RUNS} random rule files with data blocks x ${LEADS_PER_FILE} leads of export text`, async () => {
    for (let run = 0; run < RUNS; run++) {
      const { text, data, mapping } = randomFile(SEED + run * 7919);
      await agree(text, compiled(text), data, mapping);
      counted.files += 1;
    }
    expect(counted.duckdb).toBeGreaterThanOrEqual(RUNS * LEADS_PER_FILE);
    // The leads reach the rules (a reading that made everything missing would agree trivially).
    expect(counted.ruleHits).toBeGreaterThan(RUNS * LEADS_PER_FILE);
  }, 300_000);

  it('quotes every word and column: hostile placeholders, bool words and columns', async () => {
    const hostile = ["'); drop table leads; --", 'it\'s "quoted"', 'back\\slash\\', '__proto__', 'x\\\'y', '$1', '%s'];
    const text = [
      'lead {',
      `  job: text from ${str(hostile[0])} missing ${list([hostile[1], hostile[2]])}`,
      `  size: number from ${str(hostile[3])} missing ${list([hostile[4]])}`,
      `  ok: bool from ${str(hostile[1])}`,
      `  tags: list of text from ${str(hostile[2])}`,
      '}',
      `event visit { url: text from ${str(hostile[4])} missing ${list([hostile[0]])} }`,
      'data {',
      `  missing: ${list([hostile[5], hostile[6], '__proto__'])}`,
      '  numbers: decimal comma',
      `  true: ${list(["oui'); drop table leads; --", 'vrai\\'])}`,
      `  false: ${list(['non"', 'constructor'])}`,
      '}',
      'when job is set add 1',
      'when job = "boss" add 2',
      'when size >= 10 add 4',
      'when size is missing add 8',
      'when ok add 16',
      'when ok is false add 32',
      'when tags has any [a, "__proto__"] add 64',
      'when any visit where url is set add 128',
    ].join('\n');
    const scorer = compiled(text);
    const rows: LeadRow[] = [
      ['1', 'boss', '1 200', "OUI'); DROP TABLE leads; --", 'a;__proto__;b', "'); drop table leads; --"],
      ['2', ' IT\'S "QUOTED" ', 'x\\\'y', 'vrai\\', 'back\\slash\\', 'x'],
      ['3', 'back\\slash\\', '__PROTO__', 'NON"', '$1|%s', ''],
      ['4', '$1', '12,5', 'constructor', '__proto__', '/p'],
      ['5', null, '%s', 'yes', null, null],
    ].map(([id, job, size, ok, tags, url]) => ({
      id: id as string,
      cells: new Map([
        [hostile[0], job],
        [hostile[3], size],
        [hostile[1], ok],
        [hostile[2], tags],
      ]),
      events: [new Map([['type', 'visit'], ['at', '2026-02-01'], [hostile[4], url]])],
    }));
    const js = await agree(text, scorer, { leadColumns: [hostile[0], hostile[3], hostile[1], hostile[2]], eventColumns: ['type', 'at', hostile[4]], rows });
    expect([...js.values()].map((r) => r.score)).toEqual([2 + 1 + 4 + 16 + 64, 8 + 16 + 128, 8 + 32, 4 + 32 + 128, 8 + 16]);
    for (const engine of engines) expect((await engine.query('SELECT count(*) AS n FROM leads'))[0].n, engine.name).toBe(rows.length);
  });

  it('reads a field from its `from` column by default; an explicit mapping entry still wins', async () => {
    const text = 'lead {\n  size: number from "Company size"\n  job: text from "Job Title"\n}\nevent visit { url: text from "Page URL" }\ndata { numbers: decimal comma }\nwhen size >= 100 add 1\nwhen job = "ceo" add 2\nwhen any visit where url starts "/p" add 4';
    const scorer = compiled(text);
    const rows: LeadRow[] = [
      { id: 'a', cells: new Map([['Company size', '1 200'], ['size', '5'], ['Job Title', 'CEO'], ['job', 'x']]), events: [new Map([['type', 'visit'], ['at', '2026-02-01'], ['Page URL', '/pricing'], ['url', '/x']])] },
      { id: 'b', cells: new Map([['Company size', '5'], ['size', '1 200'], ['Job Title', 'x'], ['job', 'CEO']]), events: [new Map([['type', 'visit'], ['at', '2026-02-01'], ['Page URL', '/x'], ['url', '/pricing']])] },
    ];
    const data = { leadColumns: ['Company size', 'size', 'Job Title', 'job'], eventColumns: ['type', 'at', 'Page URL', 'url'], rows };
    // By default the `from` columns: the JavaScript scorer reads the same keys.
    const js = await agree(text, scorer, data);
    expect([...js.values()].map((r) => r.score)).toEqual([7, 0]);
    // A mapping naming other columns wins (by field name, by property name).
    const mapping: SqlMapping = { leads: { fields: { size: 'size', job: { column: 'job', format: 'csv' } } }, events: { properties: { url: 'url' } } };
    for (const engine of engines) {
      await engine.load({ name: 'leads', columns: [{ name: 'id', kind: 'text' }, ...data.leadColumns.map((name) => ({ name, kind: 'text' as const }))], rows: rows.map((row) => [row.id, ...data.leadColumns.map((c) => row.cells.get(c) ?? null)]) });
      const scores = await engine.query(`SELECT id, score FROM (${emitSql(scorer.ir, { dialect: engine.name, mapping, select: true, now: NOW })}) AS s ORDER BY id`);
      expect(scores.map((r) => r.score), engine.name).toEqual([0, 7]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// examples/french-crm-export

const EXAMPLE = path.join(import.meta.dirname, '../../examples/french-crm-export');

/** A `;`-separated CRLF file without quotes (the example's exports have none), as rows of cells. */
function readSemicolonFile(file: string, encoding: 'windows-1252' | 'utf-8'): string[][] {
  const bytes = readFileSync(file);
  // Streaming: Node 20's one-shot windows-1252 decode() reads 0x80-0x9F as latin1 (no `€`, `’`).
  const decoder = new TextDecoder(encoding);
  const text = (decoder.decode(bytes, { stream: true }) + decoder.decode()).replace(/^\ufeff/, '');
  if (encoding === 'windows-1252') expect(/[\u0080-\u009f]/.test(text), `${file}: C1 controls left by the decoder`).toBe(false);
  expect(text.includes('"'), `${file} has no quoted fields`).toBe(false);
  return text
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => line.split(';'));
}

describe('examples/french-crm-export: JavaScript = DuckDB = PostgreSQL', () => {
  it('scores the 200 leads of the export (CSV and JSONL) and their events the same everywhere', async () => {
    const text = readFileSync(path.join(EXAMPLE, 'french-crm-export.rubric'), 'utf8');
    const scorer = compiled(text);
    expect(scorer.ir.dialect.numbers).toBe('decimal-comma');

    const [header, ...records] = readSemicolonFile(path.join(EXAMPLE, 'export-crm.csv'), 'windows-1252');
    const [eventHeader, ...eventRecords] = readSemicolonFile(path.join(EXAMPLE, 'evenements.csv'), 'utf-8');
    expect(records.length).toBe(200);
    const idIndex = header.indexOf('id');
    const eventsByLead = new Map<string, Array<Map<string, string | null>>>();
    for (const record of eventRecords) {
      const cells = new Map<string, string | null>(eventHeader.filter((c) => c !== 'lead_id').map((c) => [c, record[eventHeader.indexOf(c)]]));
      const lead = record[eventHeader.indexOf('lead_id')];
      eventsByLead.set(lead, [...(eventsByLead.get(lead) ?? []), cells]);
    }
    const columns = header.filter((c) => c !== 'id');
    const rows: LeadRow[] = records.map((record) => ({
      id: record[idIndex],
      cells: new Map(columns.map((c) => [c, record[header.indexOf(c)]])),
      events: eventsByLead.get(record[idIndex]) ?? [],
    }));
    const js = await agree(text, scorer, { leadColumns: columns, eventColumns: eventHeader.filter((c) => c !== 'lead_id'), rows });

    // The JSONL export (every value a string, events inline) scores exactly as the CSV.
    const jsonl = readFileSync(path.join(EXAMPLE, 'french-crm-export.sample.jsonl'), 'utf8').split('\n').filter((line) => line.trim() !== '');
    expect(jsonl.length).toBe(200);
    for (const line of jsonl) {
      const lead = JSON.parse(line) as Record<string, unknown>;
      const result = scorer.explain(lead, { now: NOW });
      const csv = js.get(String(lead.id)) as Explanation;
      expect([result.score, result.stage, result.groups], String(lead.id)).toEqual([csv.score, csv.stage, csv.groups]);
    }

    // The export is messy where the dialect matters: placeholders, French numbers, words, dates.
    const cell = (column: string) => rows.map((row) => row.cells.get(column) ?? '');
    expect(cell('Téléphone').some((v) => v === 'N/A' || v.startsWith('0000'))).toBe(true);
    expect(cell('Effectif').some((v) => /\d[ \u00a0]\d{3}/.test(v))).toBe(true);
    expect(cell('Abonné newsletter').some((v) => /^(oui|non|o|n)$/i.test(v.trim()))).toBe(true);
    expect(cell('Date de création').some((v) => /^\d{2}\/\d{2}\/\d{4}/.test(v))).toBe(true);
    // ... and the scores use all of it: leads reach every stage, phone placeholders keep MQLs out.
    const stages = new Set([...js.values()].map((r) => r.stage));
    expect(stages.has('mql') && stages.has('intérêt') && stages.has('découverte')).toBe(true);
    const events = rows.reduce((n, row) => n + row.events.length, 0);
    expect(events).toBe(eventRecords.length);
    process.stderr.write(`french-crm-export: ${rows.length} leads, ${events} events, stages ${JSON.stringify(Object.fromEntries([...stages].map((s) => [s, [...js.values()].filter((r) => r.stage === s).length])))}\n`);
  }, 120_000);
});
