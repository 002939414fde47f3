#!/usr/bin/env node
/**
 * The SQL target's benchmark: score millions of generated leads (with events) inside DuckDB and
 * compare with the JavaScript streaming path on the same data.
 *
 *   node bench/sql/run.mjs [--quick] [--leads N] [--js-leads N] [--keep DIR] [--json FILE]
 *
 * 1. Generates N leads (default 10,000,000; --quick 100,000) and about 3 events per lead INSIDE
 *    DuckDB with SQL (deterministic: lead i depends only on i), as text columns shaped like the
 *    CLI's CSV input and messy like real exports (cases, accents, padding, blanks, numbers as
 *    text, future and unparseable events), for bench/reference.rubric.
 * 2. In-engine: runs the SQL target's query over the tables (CREATE TABLE AS, so every score is
 *    materialised) and checks 2,000 leads against the JavaScript scorer on the same values.
 * 3. End to end: exports both tables to CSV (sorted by lead id, as the JavaScript path needs) and
 *    times `rubric score --engine js` and `rubric score --engine duckdb` on them, each writing a
 *    CSV; the two outputs must be byte for byte identical.
 *
 * Measures the BUILT packages (run `npm run build` first; bench/run.mjs does). Prints a table and
 * returns the figures (see `runSqlBench`) for bench/lib's harness. --js-leads caps the JavaScript
 * end-to-end run (on the first N leads) when the full run would take too long; its time is then
 * extrapolated linearly and marked so.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RULES = path.join(ROOT, 'bench', 'reference.rubric');
const CLI = path.join(ROOT, 'packages', 'cli', 'bin', 'rubric.js');
export const SQL_BENCH_NOW = '2026-03-01T00:00:00Z';
const CHECK_LEADS = 2_000;

function sqlText(value) {
  return `'${String(value).replaceAll("'", "''")}'`;
}

function list(values) {
  return `[${values.map(sqlText).join(', ')}]`;
}

/** `values[hash(i, salt) % n]` with weights given by repeating values. */
function choose(values, salt, on = 'i') {
  return `(${list(values)})[1 + (hash(${on}, ${salt}) % ${values.length})::INTEGER]`;
}

const JOBS = ['CEO', 'cto', 'Directeur général', 'DIRECTEUR GÉNÉRAL', '\tCFO\u00a0', 'VP Sales', 'Head of Marketing', 'responsable MARKETING', 'IT Manager', 'intern', 'Développeur', '', 'COO', 'Directeur achats'];
const DOMAINS = ['@acme.fr', '@gmail.com', '@yahoo.com', '@hotmail.fr', '@outlook.com', '@société.fr', '@corp.io', '@GMAIL.COM'];
const INDUSTRIES = ['services', 'Retail', 'logiciel', 'Santé', 'SANTE', 'industrie', 'finance', '', 'éducation'];
const COUNTRIES = ['FR', 'fr', 'BE', 'CH', 'LU', 'DE', 'US', 'ES', '', ' FR '];
const BOOLS = ['yes', 'no', 'true', 'false', '1', '0', 'TRUE', '', 'oui'];
const TYPES = ['email_open', 'email_open', 'email_open', 'email_click', 'page_view', 'page_view', 'download', 'webinar_attended', 'unsubscribe', 'mystery'];
const URLS = ['/pricing', '/pricing/enterprise', '/blog/lead-scoring', '/blog/crm', '/', '/docs', '/BLOG/x'];
const ASSETS = ['process-guide', 'Guide PME', 'case-study-retail', 'etude-de-cas', 'whitepaper', 'price-list'];

/** Creates `leads` and `events` (text columns) for leads 0..count-1. */
export async function generate(connection, count) {
  await connection.run(`CREATE TABLE leads AS
    SELECT
      CAST(i AS VARCHAR) AS id,
      ${choose(JOBS, 1)} AS job,
      CASE WHEN hash(i, 2) % 10 = 0 THEN '' ELSE 'user' || CAST(i AS VARCHAR) || ${choose(DOMAINS, 3)} END AS email,
      CASE WHEN hash(i, 4) % 3 = 0 THEN NULL ELSE '+33 6 ' || CAST(hash(i, 5) % 100000000 AS VARCHAR) END AS phone,
      CASE hash(i, 6) % 8 WHEN 0 THEN NULL WHEN 1 THEN 'about 50' ELSE CAST(hash(i, 7) % 2000 AS VARCHAR) END AS "company.size",
      ${choose(INDUSTRIES, 8)} AS "company.industry",
      ${choose(COUNTRIES, 9)} AS country,
      CASE WHEN hash(i, 10) % 5 = 0 THEN NULL ELSE CAST(hash(i, 11) % 5000000 AS VARCHAR) || CASE WHEN hash(i, 12) % 4 = 0 THEN '.50' ELSE '' END END AS revenue,
      ${choose(BOOLS, 13)} AS student,
      ${choose(BOOLS, 14)} AS budget_validated
    FROM range(${count}) AS t(i)`);
  // About 3 events per lead: k < hash % 7; instants within 400 days before now, some after it,
  // some unparseable.
  await connection.run(`CREATE TABLE events AS
    SELECT
      CAST(i AS VARCHAR) AS lead_id,
      ${choose(TYPES, 21, 'i * 7 + k')} AS type,
      CASE WHEN hash(i * 7 + k, 22) % 50 = 0 THEN 'not a date'
           ELSE strftime(TIMESTAMP '2026-03-01 00:00:00' - to_seconds(CAST(hash(i * 7 + k, 23) % 34560000 AS BIGINT) - 86400), '%Y-%m-%dT%H:%M:%SZ') END AS at,
      ${choose(URLS, 24, 'i * 7 + k')} AS url,
      ${choose(ASSETS, 25, 'i * 7 + k')} AS asset
    FROM range(${count}) AS t(i), range(7) AS e(k)
    WHERE k < hash(i, 20) % 7`);
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${path.basename(args[0] ?? command)} ${args.slice(1, 3).join(' ')} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
      else resolve(performance.now() - start);
    });
  });
}

function sha256(file) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file).on('data', (chunk) => hash.update(chunk)).on('error', reject).on('end', () => resolve(hash.digest('hex')));
  });
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const integer = (n) => Math.round(n).toLocaleString('en-US');

/** Scores of the first leads from the in-engine query, against the JavaScript scorer. */
async function check(connection, core, scorer) {
  const leads = (await connection.runAndReadAll(`SELECT * FROM leads WHERE CAST(id AS BIGINT) < ${CHECK_LEADS}`)).getRowObjectsJS();
  const events = (await connection.runAndReadAll(`SELECT * FROM events WHERE CAST(lead_id AS BIGINT) < ${CHECK_LEADS}`)).getRowObjectsJS();
  const scored = (await connection.runAndReadAll(`SELECT id, score, stage, tier FROM scored WHERE CAST(id AS BIGINT) < ${CHECK_LEADS}`)).getRowObjectsJS();
  const byId = new Map(scored.map((row) => [row.id, row]));
  const eventsById = new Map();
  for (const { lead_id: id, ...event } of events) {
    for (const key of Object.keys(event)) if (event[key] === null) delete event[key];
    if (!eventsById.has(id)) eventsById.set(id, []);
    eventsById.get(id).push(event);
  }
  let mismatches = 0;
  for (const row of leads) {
    const lead = Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null));
    const expected = scorer.score(lead, { now: SQL_BENCH_NOW, events: eventsById.get(row.id) ?? [] });
    const got = byId.get(row.id);
    if (got === undefined || got.score !== expected.score || got.stage !== expected.stage || got.tier !== expected.tier) mismatches++;
  }
  return { leads: leads.length, mismatches };
}

/**
 * Runs the benchmark; returns its figures. `options`: `{leads, jsLeads, keep, log}`.
 */
export async function runSqlBench(options) {
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  if (!existsSync(path.join(ROOT, 'packages', 'core', 'dist', 'index.js')) || !existsSync(path.join(ROOT, 'packages', 'cli', 'dist', 'index.js'))) {
    throw new Error('the packages are not built: run `npm run build` first');
  }
  const core = await import('@rubric/core');
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const text = readFileSync(RULES, 'utf8');
  const { scorer } = core.compile(text);
  const count = options.leads;
  const dir = options.keep ?? mkdtempSync(path.join(tmpdir(), 'rubric-sql-bench-'));
  mkdirSync(dir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', { temp_directory: path.join(dir, 'tmp') });
  const connection = await instance.connect();
  try {
    log(`generating ${integer(count)} leads and their events in DuckDB...`);
    let start = performance.now();
    await generate(connection, count);
    const generateMs = performance.now() - start;
    const events = Number((await connection.runAndReadAll('SELECT count(*) FROM events')).getRows()[0][0]);
    log(`  ${integer(events)} events, ${seconds(generateMs)}`);

    const sql = core.emitSql(text, { dialect: 'duckdb', select: true, now: SQL_BENCH_NOW });
    log('scoring inside DuckDB (CREATE TABLE scored AS <the SQL target query>)...');
    start = performance.now();
    await connection.run(`CREATE TABLE scored AS ${sql}`);
    const engineMs = performance.now() - start;
    const summary = (await connection.runAndReadAll('SELECT count(*) AS n, sum(score) AS total, count(stage) AS staged FROM scored')).getRowObjectsJS()[0];
    log(`  ${seconds(engineMs)} (${integer(count / (engineMs / 1000))} leads/s)`);
    const checked = await check(connection, core, scorer);
    log(`  checked ${checked.leads} leads against the JavaScript scorer: ${checked.mismatches === 0 ? 'identical' : `${checked.mismatches} DIFFER`}`);

    const jsLeads = Math.min(options.jsLeads ?? count, count);
    log(`exporting CSV files (${integer(count)} leads; the JavaScript run reads ${integer(jsLeads)})...`);
    const leadsCsv = path.join(dir, 'leads.csv');
    const eventsCsv = path.join(dir, 'events.csv');
    const jsLeadsCsv = path.join(dir, 'leads-js.csv');
    const jsEventsCsv = path.join(dir, 'events-js.csv');
    await connection.run(`COPY (SELECT * FROM leads ORDER BY CAST(id AS BIGINT)) TO ${sqlText(leadsCsv)} (HEADER, DELIMITER ',')`);
    await connection.run(`COPY (SELECT * FROM events ORDER BY CAST(lead_id AS BIGINT)) TO ${sqlText(eventsCsv)} (HEADER, DELIMITER ',')`);
    if (jsLeads < count) {
      await connection.run(`COPY (SELECT * FROM leads WHERE CAST(id AS BIGINT) < ${jsLeads} ORDER BY CAST(id AS BIGINT)) TO ${sqlText(jsLeadsCsv)} (HEADER, DELIMITER ',')`);
      await connection.run(`COPY (SELECT * FROM events WHERE CAST(lead_id AS BIGINT) < ${jsLeads} ORDER BY CAST(lead_id AS BIGINT)) TO ${sqlText(jsEventsCsv)} (HEADER, DELIMITER ',')`);
    }
    connection.closeSync();
    instance.closeSync();

    const cliArgs = (leadsFile, eventsFile, out, engine) => [CLI, 'score', RULES, leadsFile, '--events', eventsFile, '--now', SQL_BENCH_NOW, '--out', out, '--no-progress', '--engine', engine];
    log(`rubric score --engine duckdb on ${integer(count)} leads (load CSV, score, write CSV)...`);
    const duckOut = path.join(dir, 'scored-duckdb.csv');
    const cliDuckMs = await run(process.execPath, cliArgs(leadsCsv, eventsCsv, duckOut, 'duckdb'));
    log(`  ${seconds(cliDuckMs)}`);
    log(`rubric score --engine js on ${integer(jsLeads)} leads (streaming)...`);
    const jsOut = path.join(dir, 'scored-js.csv');
    const partial = jsLeads < count;
    const cliJsMs = await run(process.execPath, cliArgs(partial ? jsLeadsCsv : leadsCsv, partial ? jsEventsCsv : eventsCsv, jsOut, 'js'));
    const cliJsFullMs = cliJsMs * (count / jsLeads);
    log(`  ${seconds(cliJsMs)}${partial ? ` (extrapolated to ${integer(count)} leads: ${seconds(cliJsFullMs)})` : ''}`);
    let identical;
    if (partial) {
      identical = 'not compared (the JavaScript run read a prefix)';
    } else {
      identical = (await sha256(jsOut)) === (await sha256(duckOut)) ? 'byte for byte identical' : 'DIFFERENT';
    }
    log(`  outputs: ${identical}`);

    return {
      leads: count,
      events,
      generateMs,
      engineMs,
      engineLeadsPerSecond: count / (engineMs / 1000),
      checked,
      scoredRows: Number(summary.n),
      cliDuckdbMs: cliDuckMs,
      cliJsMs,
      cliJsLeads: jsLeads,
      cliJsExtrapolated: partial,
      cliJsFullMs,
      ratioEngineToJs: cliJsFullMs / engineMs,
      ratioCliToJs: cliJsFullMs / cliDuckMs,
      outputs: identical,
      csvBytes: statSync(leadsCsv).size + statSync(eventsCsv).size,
    };
  } finally {
    if (options.keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

function report(result) {
  const rows = [
    ['Leads', integer(result.leads)],
    ['Events', integer(result.events)],
    ['Generate in DuckDB', seconds(result.generateMs)],
    ['Score inside DuckDB (SQL target)', `${seconds(result.engineMs)} (${integer(result.engineLeadsPerSecond)} leads/s)`],
    ['Check (2,000 leads vs JavaScript)', result.checked.mismatches === 0 ? 'identical' : `${result.checked.mismatches} differ`],
    ['rubric score --engine duckdb (CSV in, CSV out)', seconds(result.cliDuckdbMs)],
    [`rubric score --engine js (streaming${result.cliJsExtrapolated ? `, ${integer(result.cliJsLeads)} leads extrapolated` : ''})`, seconds(result.cliJsFullMs)],
    ['JavaScript streaming / inside DuckDB', `${result.ratioEngineToJs.toFixed(1)}x`],
    ['JavaScript streaming / --engine duckdb', `${result.ratioCliToJs.toFixed(1)}x`],
    ['Outputs of the two engines', result.outputs],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      leads: { type: 'string' },
      'js-leads': { type: 'string' },
      keep: { type: 'string' },
      json: { type: 'string' },
    },
  });
  const leads = values.leads !== undefined ? Number(values.leads) : values.quick ? 100_000 : 10_000_000;
  const result = await runSqlBench({
    leads,
    ...(values['js-leads'] !== undefined ? { jsLeads: Number(values['js-leads']) } : {}),
    ...(values.keep !== undefined ? { keep: path.resolve(values.keep) } : {}),
  });
  process.stdout.write(`\nSQL target benchmark (DuckDB, ${new Date().toISOString().slice(0, 10)}; node ${process.version})\n${report(result)}\n`);
  if (values.json !== undefined) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
  if (result.checked.mismatches > 0 || result.outputs === 'DIFFERENT') process.exitCode = 1;
}
