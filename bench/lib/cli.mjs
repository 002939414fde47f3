/**
 * Section 3: the built CLI against a Node floor (bench/lib/cli-floor.mjs) on the same files:
 * `rubric score` on the simple-fit CSV (no events) and `rubric score bench/reference.rubric
 * leads.csv --events events.csv`, each beside the floor doing the least a Node program does to
 * the same files. Wall time (including Node start-up, as a user sees it), peak RSS, whether every
 * row came out, and whether the first scores match the hand-written exact functions. The CSV
 * files are generated once per (count, seed) into the OS temporary directory and reused.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, closeSync, existsSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { BENCH_NOW, DEFAULT_SEED, writeLeadsFile } from '../generate-leads.mjs';
import { writeSimpleLeadsFile } from '../generate-simple-leads.mjs';
import { createScorer as createHandwritten } from '../peers/handwritten.mjs';
import { scoreLead as scoreSimpleExact } from '../peers/simple-exact.mjs';
import { cliEntry, ROOT } from './core.mjs';
import { formatBytes, formatInteger, formatMs, formatRatio, median, rangeText, roundRatios } from './measure.mjs';
import { REFERENCE_PATH, SIMPLE_PATH } from './throughput.mjs';

const TIME = '/usr/bin/time';
const FLOOR = fileURLToPath(new URL('./cli-floor.mjs', import.meta.url));
const SAMPLE_ROWS = 2000;

/**
 * The leads CSV and its events CSV in the temp directory, generated when missing. The names
 * carry a hash of the generator's source, so a changed generator never reuses stale files.
 */
export async function leadsCsv(count, log) {
  const generator = readFileSync(fileURLToPath(new URL('../generate-leads.mjs', import.meta.url)));
  const version = createHash('sha256').update(generator).digest('hex').slice(0, 10);
  const base = join(tmpdir(), `rubric-bench-${DEFAULT_SEED}-${count}-${version}`);
  const leads = `${base}-leads.csv`;
  const events = `${base}-events.csv`;
  if (!existsSync(leads) || !existsSync(events)) {
    log(`  writing ${formatInteger(count)} leads and their events to ${base}-*.csv...`);
    const partial = `.${process.pid}.partial`;
    await writeLeadsFile(leads + partial, count, { format: 'csv', eventsPath: events + partial });
    renameSync(events + partial, events);
    renameSync(leads + partial, leads);
  }
  return { leads, events };
}

/** Runs a command; resolves with its exit code and the tail of its stderr. */
function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk.toString('utf8');
      if (stderr.length > 400_000) stderr = stderr.slice(-200_000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

async function countLines(path) {
  let lines = 0;
  for await (const chunk of createReadStream(path)) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return lines;
}

/** The first `maxLines` complete lines of a file, read from its first `bytes` bytes. */
function readHead(path, bytes, maxLines = Infinity) {
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(bytes);
  const read = readSync(fd, buffer, 0, bytes, 0);
  closeSync(fd);
  const text = buffer.subarray(0, read).toString('utf8');
  const complete = read < bytes ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  const lines = complete.split('\n');
  return lines.slice(0, Math.min(lines.length, maxLines)).join('\n') + '\n';
}

/** The first scored rows of a CLI output file, or why they cannot be checked. */
function scoredHead(outputPath) {
  let output;
  try {
    output = parseCsv(readHead(outputPath, 4 << 20, SAMPLE_ROWS + 1), { columns: true, relax_column_count: true, skip_empty_lines: true });
  } catch {
    return 'scores not verified (the output is not CSV)';
  }
  if (output.length === 0 || !('score' in output[0]) || !('id' in output[0])) return 'scores not verified (no `id` and `score` columns in the output)';
  return output;
}

/**
 * Compares the CLI's scores on the first rows with the hand-written function scoring the same
 * CSV rows and events (text cells, dotted column names; an empty cell is missing).
 */
export function verifySample(outputPath, files, withEvents) {
  const output = scoredHead(outputPath);
  if (typeof output === 'string') return output;
  const input = parseCsv(readHead(files.leads, 4 << 20, SAMPLE_ROWS + 1), { columns: true, skip_empty_lines: true });
  const eventsById = new Map();
  if (withEvents && input.length > 0) {
    // The events file is sorted by lead id: keep its lines up to the last sampled lead.
    const lastId = input[input.length - 1].id;
    const [header, ...lines] = readHead(files.events, 64 << 20).split('\n');
    const kept = [header];
    for (const line of lines) {
      if (line === '') continue;
      if (line.slice(0, line.indexOf(',')) > lastId) break;
      kept.push(line);
    }
    for (const row of parseCsv(kept.join('\n'), { columns: true, skip_empty_lines: true })) {
      const { lead_id: id, ...event } = row;
      for (const key of Object.keys(event)) if (event[key] === '') delete event[key];
      if (!eventsById.has(id)) eventsById.set(id, []);
      eventsById.get(id).push(event);
    }
  }
  const handwritten = createHandwritten();
  const byId = new Map(input.map((row) => [row.id, row]));
  let checked = 0;
  for (const scored of output) {
    const row = byId.get(scored.id);
    if (row === undefined) continue;
    const lead = Object.fromEntries(Object.entries(row).filter(([, value]) => value !== ''));
    lead.events = eventsById.get(row.id) ?? [];
    const expected = handwritten.score(lead, { now: BENCH_NOW });
    if (Number(scored.score) !== expected.score || (scored.stage || null) !== expected.stage) {
      return `scores DIFFER from the hand-written exact function for lead ${row.id}: CLI ${scored.score} ${scored.stage}, expected ${expected.score} ${expected.stage}`;
    }
    checked++;
  }
  return `the first ${formatInteger(checked)} scores and stages match the hand-written exact function`;
}

const CLI_HEADER = ['Run', 'Leads', 'Wall time', 'CPU time', 'Leads/s', 'Peak RSS', 'Rows out', 'Check'];

function unavailable(count, reason) {
  return {
    id: 'cli',
    data: null,
    notes: [`CLI: ${reason}.`],
    tables: [{ caption: '`rubric score` on a CSV', header: CLI_HEADER, rows: [['rubric score', formatInteger(count), '—', '—', '—', '—', '—', reason]] }],
  };
}

/** The number of leads the issue's CLI and DuckDB targets are stated for. */
export const TARGET_LEADS = 1_000_000;

/** The issue's CLI targets: `rubric score` wall time ÷ the floor's, at most `goal`; RSS cap. */
export const CLI_TARGETS = { noEvents: 1.5, withEvents: 2, rssBytes: 300 * 1024 * 1024 };

/**
 * The simple-fit leads CSV in the temp directory, generated when missing (named like
 * {@link leadsCsv}, with a hash of its generator's source).
 */
export async function simpleLeadsCsv(count, log) {
  const sources = ['../generate-simple-leads.mjs', '../generate-leads.mjs'].map((p) => readFileSync(fileURLToPath(new URL(p, import.meta.url))));
  const version = createHash('sha256').update(Buffer.concat(sources)).digest('hex').slice(0, 10);
  const path = join(tmpdir(), `rubric-bench-simple-${DEFAULT_SEED}-${count}-${version}.csv`);
  if (!existsSync(path)) {
    log(`  writing ${formatInteger(count)} simple-fit leads to ${path}...`);
    const partial = `${path}.${process.pid}.partial`;
    await writeSimpleLeadsFile(partial, count);
    renameSync(partial, path);
  }
  return path;
}

/**
 * Spawns `node ...args` (under /usr/bin/time -v when it exists); resolves with the wall time,
 * the CPU time (user + system, of every thread; null without /usr/bin/time), the peak RSS (null
 * without /usr/bin/time), the exit code and the tail of stderr.
 */
export async function timedNode(args) {
  const useTime = existsSync(TIME);
  const start = performance.now();
  const result = await run(useTime ? TIME : process.execPath, useTime ? ['-v', process.execPath, ...args] : args);
  const wallMs = performance.now() - start;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(result.stderr);
  const system = /System time \(seconds\): ([\d.]+)/.exec(result.stderr);
  const cpuMs = user === null || system === null ? null : (Number(user[1]) + Number(system[1])) * 1000;
  return { wallMs, cpuMs, peakRssBytes: rss === null ? null : Number(rss[1]) * 1024, code: result.code, stderr: result.stderr };
}

/** SHA-256 of a file, streamed. */
export async function fileHash(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

/** The first error line of a failed run. */
function failure(result) {
  const message = result.stderr.split('\n').find((line) => /error/i.test(line)) ?? result.stderr.split('\n')[0];
  return `FAILED, exit code ${result.code}: ${message}`;
}

/**
 * A CSV row of the simple-fit file as the CLI reads it: cells trimmed, an empty cell missing, a
 * `number` column's cell a number when it is `[+-]?\d+(\.\d+)?` after trimming (else the text),
 * text kept as written; `company.*` nested for the hand-written function.
 */
function simpleCsvLead(row) {
  const lead = { company: {} };
  for (const [column, raw] of Object.entries(row)) {
    if (raw.trim() === '') continue;
    const text = raw.trim();
    const value = SIMPLE_NUMBER_COLUMNS.has(column) ? (/^[+-]?\d+(\.\d+)?$/.test(text) ? Number(text) : text) : column === 'unsubscribed' ? text : raw;
    if (column.startsWith('company.')) lead.company[column.slice(8)] = value;
    else lead[column] = value;
  }
  return lead;
}

const SIMPLE_NUMBER_COLUMNS = new Set(['company.size', 'revenue', 'emails_opened_90d', 'emails_clicked_90d', 'pages_viewed_30d', 'webinars_attended', 'downloads']);

/** The CLI's first simple-fit scores against the hand-written exact function on the same rows. */
function verifySimpleSample(outputPath, inputPath) {
  const output = scoredHead(outputPath);
  if (typeof output === 'string') return output;
  const input = parseCsv(readHead(inputPath, 4 << 20, SAMPLE_ROWS + 1), { columns: true, skip_empty_lines: true });
  const byId = new Map(input.map((row) => [row.id, row]));
  let checked = 0;
  for (const scored of output) {
    const row = byId.get(scored.id);
    if (row === undefined) continue;
    const expected = scoreSimpleExact(simpleCsvLead(row));
    if (Number(scored.score) !== expected.score || (scored.stage || null) !== expected.stage) {
      return `scores DIFFER from the hand-written exact function for lead ${row.id}: CLI ${scored.score} ${scored.stage}, expected ${expected.score} ${expected.stage}`;
    }
    checked++;
  }
  return `the first ${formatInteger(checked)} scores and stages match the hand-written exact function`;
}

/**
 * Runs section 3. `options`: `{count, rounds?, log}`. Per round, four spawned runs on `count`
 * leads: the floor and `rubric score` on the simple-fit CSV (no events), then the floor reading
 * the events file in step and `rubric score --events` on the reference leads. The JavaScript
 * engine's output with events is hashed (`data.runs.withEvents.outputSha256`) for the DuckDB
 * section's comparison.
 */
export async function runCli(options) {
  const entry = cliEntry();
  if (entry === null) {
    return unavailable(options.count, 'not available yet (feature `rubric score` CLI not built: packages/cli/bin/rubric.js or packages/cli/dist missing)');
  }
  const help = spawnSync(process.execPath, [entry, 'score', '--help'], { cwd: ROOT, encoding: 'utf8' });
  const helpText = `${help.stdout}\n${help.stderr}`;
  if (help.status !== 0 || !/score/.test(helpText)) {
    const why = helpText.split('\n').find((line) => /Error|error:/.test(line)) ?? `exit code ${help.status}`;
    return unavailable(options.count, `not available yet (feature \`rubric score\` not built: \`rubric score --help\` failed: ${why.trim()})`);
  }
  const { count, log } = options;
  const files = await leadsCsv(count, log);
  const simple = await simpleLeadsCsv(count, log);
  const out = join(tmpdir(), `rubric-bench-scored-${process.pid}.csv`);
  const floorOut = join(tmpdir(), `rubric-bench-floor-${process.pid}.csv`);
  const now = BENCH_NOW.toISOString();
  const rubricArgs = (rules, leads, events, cli = entry) => [cli, 'score', rules, leads, ...(events ? ['--events', events] : []), '--now', now, '--out', out, '--no-progress'];
  // RUBRIC_BENCH_CLI_BASELINE=path/to/rubric.js (an older build's entry): also timed in every
  // round, interleaved, for before/after figures from one run; its output must equal this build's.
  const baseline = process.env.RUBRIC_BENCH_CLI_BASELINE || null;
  const floorArgs = (leads, events) => [FLOOR, leads, floorOut, ...(events ? ['--events', events] : [])];
  try {
    const runs = {};
    const rows = [];
    const rounds = Math.max(1, options.rounds ?? 1);
    /**
     * One spawned run. Over the rounds: the median wall time, the largest peak RSS; the rows,
     * the check and the summary of the last round (a failed run stops its repetitions).
     */
    const measure = async (key, label, args, check, round) => {
      if (runs[key]?.exitCode !== undefined && runs[key].exitCode !== 0) return;
      log(`  ${label} on ${formatInteger(count)} leads${rounds === 1 ? '' : ` (round ${round + 1}/${rounds})`}...`);
      const result = await timedNode(args);
      const previous = runs[key] ?? { label, wallMsRounds: [], cpuMsRounds: [], peakRssBytes: null };
      const wallMsRounds = [...previous.wallMsRounds, result.wallMs];
      const cpuMsRounds = result.cpuMs === null ? previous.cpuMsRounds : [...previous.cpuMsRounds, result.cpuMs];
      const peakRssBytes = result.peakRssBytes === null ? previous.peakRssBytes : Math.max(previous.peakRssBytes ?? 0, result.peakRssBytes);
      runs[key] = { ...previous, wallMsRounds, wallMs: median(wallMsRounds), cpuMsRounds, cpuMs: cpuMsRounds.length === 0 ? null : median(cpuMsRounds), peakRssBytes, exitCode: result.code };
      if (result.code !== 0) {
        Object.assign(runs[key], { rowsOut: null, check: failure(result), summary: null });
      } else if (round === rounds - 1) {
        const plain = result.stderr.replace(/\x1b\[[0-9;]*m/g, '');
      const summary = /rows\S*: (\d+) read = (\d+) written \+ (\d+) rejected/.exec(plain);
      const threads = /threads\S*: (\d+) \(/.exec(plain);
        const rowsOut = (await countLines(args.includes(floorOut) ? floorOut : out)) - 1;
        Object.assign(runs[key], { rowsOut, check: await check(), summary: summary?.[0] ?? null, threads: threads === null ? 1 : Number(threads[1]) });
        if (key === 'withEvents') runs[key].outputSha256 = await fileHash(out);
        if (baseline !== null && (key === 'noEvents' || key === 'withEvents')) runs[key].sha256 = await fileHash(out);
      }
    };
    const floorCheck = () => 'floor (no scoring)';
    // Interleaved: each round runs every command once, so a busy period slows all of them.
    for (let round = 0; round < rounds; round++) {
      await measure('floor', 'floor: split + 1 column (simple-fit CSV)', floorArgs(simple, null), floorCheck, round);
      await measure('noEvents', '`rubric score` simple-fit.rubric (no events)', rubricArgs(SIMPLE_PATH, simple, null), () => verifySimpleSample(out, simple), round);
      await measure('noEventsOneThread', '`rubric score` simple-fit.rubric --threads 1', [...rubricArgs(SIMPLE_PATH, simple, null), '--threads', '1'], () => verifySimpleSample(out, simple), round);
      await measure('floorEvents', 'floor + events file in step (reference CSVs)', floorArgs(files.leads, files.events), floorCheck, round);
      await measure('withEvents', '`rubric score` reference.rubric --events', rubricArgs(REFERENCE_PATH, files.leads, files.events), () => verifySample(out, files, true), round);
      if (baseline !== null) {
        const same = (key) => async () => ((await fileHash(out)) === runs[key].sha256 ? 'baseline: output identical to this build\'s' : 'baseline: output DIFFERS from this build\'s');
        await measure('baselineNoEvents', 'baseline `rubric score` simple-fit.rubric', rubricArgs(SIMPLE_PATH, simple, null, baseline), same('noEvents'), round);
        await measure('baselineWithEvents', 'baseline `rubric score` reference.rubric --events', rubricArgs(REFERENCE_PATH, files.leads, files.events, baseline), same('withEvents'), round);
      }
    }
    for (const run of Object.values(runs)) {
      rows.push([
        run.label,
        formatInteger(count),
        formatMs(run.wallMs),
        run.cpuMs === null ? 'n/a' : formatMs(run.cpuMs),
        formatInteger(count / (run.wallMs / 1000)),
        run.peakRssBytes === null ? 'n/a' : formatBytes(run.peakRssBytes),
        run.rowsOut === null ? '—' : `${formatInteger(run.rowsOut)}${run.rowsOut === count ? '' : ` (expected ${formatInteger(count)})`}`,
        run.check,
      ]);
    }

    const ratio = (rubricKey, floorKey) => (runs[rubricKey].exitCode === 0 && runs[floorKey].exitCode === 0 ? runs[rubricKey].wallMs / runs[floorKey].wallMs : null);
    const ratios = { noEvents: ratio('noEvents', 'floor'), noEventsOneThread: ratio('noEventsOneThread', 'floor'), withEvents: ratio('withEvents', 'floorEvents') };
    const pairs = (rubricKey, floorKey) => (ratios[rubricKey] === null ? [] : roundRatios(runs[rubricKey].wallMsRounds, runs[floorKey].wallMsRounds));
    const spread = { noEvents: pairs('noEvents', 'floor'), noEventsOneThread: pairs('noEventsOneThread', 'floor'), withEvents: pairs('withEvents', 'floorEvents') };
    const cpuRatio = runs.noEvents.cpuMs !== null && runs.floor.cpuMs !== null ? runs.noEvents.cpuMs / runs.floor.cpuMs : null;
    const verdict = (value, goal) => (value === null ? 'not measured' : value <= goal ? 'met' : 'missed');
    const peak = Math.max(runs.noEvents.peakRssBytes ?? 0, runs.noEventsOneThread.peakRssBytes ?? 0, runs.withEvents.peakRssBytes ?? 0);
    const targets = [
      { name: 'without events: rubric ÷ floor', goal: `≤ ${formatRatio(CLI_TARGETS.noEvents)}`, measured: ratios.noEvents === null ? '—' : formatRatio(ratios.noEvents), range: rangeText(spread.noEvents), result: verdict(ratios.noEvents, CLI_TARGETS.noEvents) },
      {
        name: 'for information, without events on one thread (`--threads 1`): rubric ÷ floor',
        goal: `≤ ${formatRatio(CLI_TARGETS.noEvents)}`,
        measured: ratios.noEventsOneThread === null ? '—' : formatRatio(ratios.noEventsOneThread),
        range: rangeText(spread.noEventsOneThread),
        result: verdict(ratios.noEventsOneThread, CLI_TARGETS.noEvents),
      },
      { name: 'with events: rubric ÷ floor with events', goal: `≤ ${formatRatio(CLI_TARGETS.withEvents)}`, measured: ratios.withEvents === null ? '—' : formatRatio(ratios.withEvents), range: rangeText(spread.withEvents), result: verdict(ratios.withEvents, CLI_TARGETS.withEvents) },
      {
        name: 'peak RSS of `rubric score` (largest of the three)',
        goal: `< ${formatBytes(CLI_TARGETS.rssBytes)}`,
        measured: peak === 0 ? 'n/a' : formatBytes(peak),
        range: '—',
        result: peak === 0 ? 'not measured' : peak < CLI_TARGETS.rssBytes ? 'met' : 'missed',
      },
    ];
    const data = { leads: count, runs, ratios, spread, targets, cpuRatio, eventsBytes: statSync(files.events).size, simpleBytes: statSync(simple).size, leadsBytes: statSync(files.leads).size };
    const display = (args) => `node ${args.map((a) => (a === entry ? 'packages/cli/bin/rubric.js' : a.replace(tmpdir(), '$TMPDIR').replace(ROOT, ''))).join(' ')}`;
    return {
      id: 'cli',
      data,
      notes: [
        `Commands (spawned ${rounds === 1 ? 'once each' : `${rounds} times each, interleaved`}, under \`/usr/bin/time -v\` for the peak RSS; wall time includes Node start-up): \`${display(rubricArgs(SIMPLE_PATH, simple, null))}\`, \`${display(rubricArgs(REFERENCE_PATH, files.leads, files.events))}\`; the floor is \`bench/lib/cli-floor.mjs\` on the same files.`,
        `Inputs: ${formatBytes(data.simpleBytes)} of simple-fit leads; ${formatBytes(data.leadsBytes)} of reference leads and ${formatBytes(data.eventsBytes)} of events (about 13 per lead, joined by lead id).`,
        `Threads: \`rubric score\` scores a CSV file on one thread per core by default (\`--threads\`, at most 8; \`--events\` and JSON input stay on one), here ${runs.noEvents.threads ?? '?'} for the file without events, while the floor runs on one: wall time is what a user waits for, CPU time (user + system, all threads, the median of the rounds) what the machine spends${cpuRatio === null ? '' : ` — ${formatRatio(cpuRatio)} the floor's without events`}. The \`--threads 1\` run is the same command on the main thread alone.`,
        'The floor reads the file in 1 MB chunks, splits lines and cells with `split` (no quoting care), adds one computed column (the count of non-empty cells, plus the lead\'s event count when it reads the events file in step) and writes each line out: what any Node program turning one CSV into another pays, not a CSV reader.',
        ...[runs.noEvents, runs.withEvents].filter((r) => r.summary !== null).map((r) => `${r.label}: CLI summary \`${r.summary}\`.`),
      ],
      tables: [
        { caption: `\`rubric score\` and the Node floor on CSV files (${rounds === 1 ? 'one run each' : `median wall time of ${rounds} interleaved rounds, largest peak RSS`})`, header: CLI_HEADER, rows },
        {
          caption: `CLI targets (issue 13), same run${count < TARGET_LEADS ? ` — indicative only: the targets are for ${formatInteger(TARGET_LEADS)} leads, and at ${formatInteger(count)} Node start-up and compiling the rule file weigh most` : ''}`,
          header: ['Target', 'Goal', 'Measured (ratio of the medians)', "Each round's pair, lowest – highest", 'Result'],
          rows: targets.map((t) => [t.name, t.goal, t.measured, t.range, t.result]),
        },
      ],
    };
  } finally {
    rmSync(out, { force: true });
    rmSync(floorOut, { force: true });
  }
}
