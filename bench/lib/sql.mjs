/**
 * Section 5: the SQL target on DuckDB — once `@rubric/core` exports `emitSql`.
 *
 * What the bench assumes of the SQL target (adapt `emitQuery` below if the target settles on
 * another calling convention): `emitSql(text, {dialect: 'duckdb', now})` returns the SQL text
 * (or `{sql}`) of ONE query that reads a `leads` table shaped like the CLI's CSV input (an `id`
 * column and one column per lead field, dotted names for nested fields, text values) and an
 * `events` table shaped like the CLI's events CSV (`lead_id`, `type`, `at`, property columns),
 * and returns one row per lead with at least `id`, `score` and `stage`. A `$now` parameter, if
 * the query has one, is bound to the bench's instant.
 *
 * The tables are loaded from the generated CSV files with `read_csv(..., all_varchar = true)`;
 * the larger run repeats the 1,000,000-lead file under new ids to reach the asked size. The first
 * 2,000 leads' scores are checked against the hand-written function before timing.
 */
import { readFileSync } from 'node:fs';
import { BENCH_NOW } from '../generate-leads.mjs';
import { createScorer as createHandwritten } from '../peers/handwritten.mjs';
import { leadsCsv } from './cli.mjs';
import { missingFeature } from './core.mjs';
import { formatInteger, formatMs } from './measure.mjs';
import { REFERENCE_PATH } from './throughput.mjs';

const HEADER = ['Leads', 'Events', 'Load', 'Query', 'Leads/s', 'Check'];
const BASE_FILE_LEADS = 1_000_000;
const CHECK_LEADS = 2_000;

function unavailable(leads, reason) {
  return { id: 'sql', data: null, notes: [`SQL: ${reason}.`], tables: [{ caption: 'SQL target on DuckDB', header: HEADER, rows: [[formatInteger(leads), '—', '—', '—', '—', reason]] }] };
}

function emitQuery(core, text) {
  const result = core.emitSql(text, { dialect: 'duckdb', now: BENCH_NOW, select: true });
  const sql = typeof result === 'string' ? result : result?.sql;
  if (typeof sql !== 'string') throw new Error('`emitSql` returned no SQL text (expected a string or `{sql}`)');
  return sql;
}

async function query(connection, sql) {
  const values = /\$now\b/.test(sql) ? { now: BENCH_NOW.toISOString() } : undefined;
  const reader = await connection.runAndReadAll(sql, values);
  return reader;
}

/** Runs section 5. `options`: `{leads, log}`. */
export async function runSql(coreState, options) {
  const missing = missingFeature(coreState, 'SQL target', 'emitSql');
  if (missing !== null) return unavailable(options.leads, missing);
  let sql;
  try {
    sql = emitQuery(coreState.core, readFileSync(REFERENCE_PATH, 'utf8'));
  } catch (error) {
    return unavailable(options.leads, `the SQL target exists but the bench cannot drive it yet: ${error instanceof Error ? error.message : String(error)} (see bench/lib/sql.mjs)`);
  }
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '6GB', threads: '2' });
  const connection = await instance.connect();
  try {
    const baseCount = Math.min(options.leads, BASE_FILE_LEADS);
    const files = await leadsCsv(baseCount, options.log);
    const copies = Math.ceil(options.leads / baseCount);
    options.log(`  loading ${formatInteger(baseCount * copies)} leads into DuckDB (${copies} cop${copies === 1 ? 'y' : 'ies'} of the generated file)...`);
    const loadStart = performance.now();
    const copyId = (column) => (copies === 1 ? column : `${column} || CASE WHEN k = 0 THEN '' ELSE '-' || k END`);
    await connection.run(`CREATE TABLE base_leads AS SELECT * FROM read_csv('${files.leads}', all_varchar = true, header = true)`);
    await connection.run(`CREATE TABLE base_events AS SELECT * FROM read_csv('${files.events}', all_varchar = true, header = true)`);
    await connection.run(`CREATE TABLE leads AS SELECT base_leads.* REPLACE (${copyId('id')} AS id) FROM base_leads, range(${copies}) t(k) LIMIT ${options.leads}`);
    await connection.run(`CREATE TABLE events AS SELECT base_events.* REPLACE (${copyId('lead_id')} AS lead_id) FROM base_events, range(${copies}) t(k)`);
    await connection.run('DROP TABLE base_leads; DROP TABLE base_events');
    const loadMs = performance.now() - loadStart;
    const eventCount = Number((await connection.runAndReadAll('SELECT count(*) FROM events')).getRows()[0][0]);

    options.log('  checking the SQL scores of the first leads against the hand-written function...');
    const check = await verify(connection, sql);
    options.log(`  running the scoring query on ${formatInteger(options.leads)} leads...`);
    const start = performance.now();
    const reader = await query(connection, `SELECT count(*) AS leads, sum(score) AS total FROM (${sql}) scored`);
    const queryMs = performance.now() - start;
    const scored = Number(reader.getRows()[0][0]);
    const data = { leads: options.leads, events: eventCount, loadMs, queryMs, scored, check };
    return {
      id: 'sql',
      data,
      notes: [`The query's rows are aggregated inside DuckDB (count and sum of scores) so the time is the scoring, not the transfer to Node. ${scored === options.leads ? '' : `The query returned ${formatInteger(scored)} rows for ${formatInteger(options.leads)} leads.`}`],
      tables: [
        {
          caption: 'SQL target on DuckDB (in memory, 2 threads; one run)',
          header: HEADER,
          rows: [[formatInteger(options.leads), formatInteger(eventCount), formatMs(loadMs), formatMs(queryMs), formatInteger(options.leads / (queryMs / 1000)), check]],
        },
      ],
    };
  } catch (error) {
    return unavailable(options.leads, `the SQL target exists but its query failed on DuckDB: ${error instanceof Error ? error.message.split('\n')[0] : String(error)} (see bench/lib/sql.mjs)`);
  } finally {
    connection.closeSync?.();
  }
}

/** Scores of the first leads from SQL against the hand-written function on the same rows. */
async function verify(connection, sql) {
  const leads = (await connection.runAndReadAll(`SELECT * FROM leads ORDER BY id LIMIT ${CHECK_LEADS}`)).getRowObjectsJS();
  const ids = leads.map((l) => `'${String(l.id).replaceAll("'", "''")}'`).join(', ');
  const events = (await connection.runAndReadAll(`SELECT * FROM events WHERE lead_id IN (${ids})`)).getRowObjectsJS();
  const scored = await query(connection, `SELECT id, score, stage FROM (${sql}) scored WHERE id IN (${ids})`);
  const byId = new Map(scored.getRowObjectsJS().map((row) => [String(row.id), row]));
  const eventsById = new Map();
  for (const { lead_id: id, ...event } of events) {
    for (const key of Object.keys(event)) if (event[key] === null || event[key] === '') delete event[key];
    if (!eventsById.has(id)) eventsById.set(id, []);
    eventsById.get(id).push(event);
  }
  const handwritten = createHandwritten();
  for (const row of leads) {
    const lead = Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null && value !== ''));
    lead.events = eventsById.get(row.id) ?? [];
    const expected = handwritten.score(lead, { now: BENCH_NOW });
    const got = byId.get(String(row.id));
    if (got === undefined) return `lead ${row.id} missing from the SQL result`;
    if (Number(got.score) !== expected.score || (got.stage ?? null) !== expected.stage) {
      return `SQL scores DIFFER for lead ${row.id}: SQL ${got.score} ${got.stage}, expected ${expected.score} ${expected.stage}`;
    }
  }
  return `the first ${formatInteger(leads.length)} scores and stages match the hand-written function`;
}
