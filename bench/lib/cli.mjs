/**
 * Section 3: the built CLI, `rubric score bench/reference.rubric leads.csv --events events.csv
 * --now ... --out scored.csv`, on generated leads: wall time (including Node start-up, as a user
 * sees it), peak RSS of the CLI process, whether every row came out, and whether the first scores
 * match the hand-written function. The CSV files are generated once per (count, seed) into the
 * OS temporary directory and reused.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, closeSync, existsSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { BENCH_NOW, DEFAULT_SEED, writeLeadsFile } from '../generate-leads.mjs';
import { createScorer as createHandwritten } from '../peers/handwritten.mjs';
import { cliEntry, ROOT } from './core.mjs';
import { formatBytes, formatInteger, formatMs } from './measure.mjs';
import { REFERENCE_PATH } from './throughput.mjs';

const TIME = '/usr/bin/time';
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

/**
 * Compares the CLI's scores on the first rows with the hand-written function scoring the same
 * CSV rows and events (text cells, dotted column names; an empty cell is missing).
 */
function verifySample(outputPath, files, withEvents) {
  let output;
  try {
    output = parseCsv(readHead(outputPath, 4 << 20, SAMPLE_ROWS + 1), { columns: true, relax_column_count: true, skip_empty_lines: true });
  } catch {
    return 'scores not verified (the output is not CSV)';
  }
  if (output.length === 0 || !('score' in output[0]) || !('id' in output[0])) return 'scores not verified (no `id` and `score` columns in the output)';
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
      return `scores DIFFER from the hand-written function for lead ${row.id}: CLI ${scored.score} ${scored.stage}, expected ${expected.score} ${expected.stage}`;
    }
    checked++;
  }
  return `the first ${formatInteger(checked)} scores and stages match the hand-written function`;
}

function unavailable(count, reason) {
  return {
    id: 'cli',
    data: null,
    notes: [`CLI: ${reason}.`],
    tables: [{ caption: '`rubric score` on a CSV', header: ['Leads', 'Wall time', 'Leads/s', 'Peak RSS', 'Rows out', 'Check'], rows: [[formatInteger(count), '—', '—', '—', '—', reason]] }],
  };
}

/** Runs section 3. `options`: `{count, log}`. */
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
  const files = await leadsCsv(options.count, options.log);
  const out = join(tmpdir(), `rubric-bench-scored-${process.pid}.csv`);
  const withEvents = /--events\b/.test(helpText);
  const args = [entry, 'score', REFERENCE_PATH, files.leads];
  if (withEvents) args.push('--events', files.events);
  if (/--now\b/.test(helpText)) args.push('--now', BENCH_NOW.toISOString());
  const writesFile = /--out\b/.test(helpText);
  if (writesFile) args.push('--out', out);
  if (/--no-progress\b/.test(helpText)) args.push('--no-progress');
  const useTime = existsSync(TIME);
  const command = useTime ? TIME : process.execPath;
  const commandArgs = useTime ? ['-v', process.execPath, ...args] : args;
  options.log(`  rubric score on ${formatInteger(options.count)} leads${withEvents ? ' with their events' : ''}...`);
  const start = performance.now();
  const result = await run(command, commandArgs);
  const wallMs = performance.now() - start;
  try {
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
    const peakRssBytes = rss === null ? null : Number(rss[1]) * 1024;
    const summary = /rows\S*: (\d+) read = (\d+) written \+ (\d+) rejected/.exec(result.stderr.replace(/\x1b\[[0-9;]*m/g, ''));
    const rowsOut = writesFile && existsSync(out) ? (await countLines(out)) - 1 : null;
    let check;
    if (result.code !== 0) {
      const message = result.stderr.split('\n').find((line) => /error/i.test(line)) ?? result.stderr.split('\n')[0];
      check = `FAILED, exit code ${result.code}: ${message}`;
    } else if (rowsOut === null) {
      check = 'output not checked (no --out option)';
    } else {
      check = verifySample(out, files, withEvents);
    }
    const eventRows = withEvents ? statSync(files.events).size : 0;
    const data = { leads: options.count, wallMs, peakRssBytes, rowsOut, exitCode: result.code, check, summary: summary?.[0] ?? null, withEvents };
    const rowsCell = rowsOut === null ? 'n/a' : `${formatInteger(rowsOut)}${rowsOut === options.count ? '' : ` (expected ${formatInteger(options.count)})`}`;
    return {
      id: 'cli',
      data,
      notes: [
        `Command: \`node packages/cli/bin/rubric.js ${args.slice(1).map((a) => a.replace(tmpdir(), '$TMPDIR').replace(ROOT, '')).join(' ')}\`${useTime ? ' under `/usr/bin/time -v` (peak RSS)' : ' (no /usr/bin/time: peak RSS not measured)'}. ` +
          `Input: ${formatBytes(statSync(files.leads).size)} of leads${withEvents ? ` and ${formatBytes(eventRows)} of events (about 13 per lead, joined by lead id)` : ' (no events)'}.`,
        summary === null ? 'The CLI printed no `rows: N read = W written + R rejected` summary.' : `CLI summary: \`${summary[0]}\`.`,
      ],
      tables: [
        {
          caption: '`rubric score` on CSV files (one run; wall time includes Node start-up)',
          header: ['Leads', 'Wall time', 'Leads/s', 'Peak RSS', 'Rows out', 'Check'],
          rows: [[formatInteger(options.count), formatMs(wallMs), formatInteger(options.count / (wallMs / 1000)), peakRssBytes === null ? 'n/a' : formatBytes(peakRssBytes), rowsCell, check]],
        },
      ],
    };
  } finally {
    rmSync(out, { force: true });
  }
}
