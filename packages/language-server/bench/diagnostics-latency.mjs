// Diagnostics latency after an edit, on a generated 2,000-line rule file.
//
//   node packages/language-server/bench/diagnostics-latency.mjs [--lines 2000] [--edits 40]
//
// `measureDiagnosticsLatency()` returns p50/p95 in milliseconds of two measures: `inProcess`
// (apply an incremental edit, re-analyse, build the LSP diagnostics: the server's work per edit;
// the root `npm run bench` calls the same `benchDiagnosticsLatency` from dist/bench.js) and
// `stdio` (send didChange to the built server over stdio and wait for publishDiagnostics, with
// the 150 ms typing debounce turned off). Needs the server built (`npm run build`).
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';
import { benchDiagnosticsLatency } from '../dist/bench.js';

const SERVER_BIN = fileURLToPath(new URL('../bin/rubric-language-server.js', import.meta.url));

/** A realistic rule file of at least `lines` lines: schema, events, lets, segments, groups, stages, tests. */
export function generateRuleFile(lines = 2000) {
  const out = ['# generated for the diagnostics latency benchmark', 'lead {'];
  for (let i = 0; i < 30; i++) out.push(`  field${i}: ${['text', 'number', 'bool', 'date'][i % 4]}`);
  out.push('  country: text', '  industry: one of [services, retail, industry, health]', '  tags: list of text', '}', '');
  for (let i = 0; i < 15; i++) out.push(`event event${i} { url: text, seconds: number }`);
  out.push('', 'let countries = [FR, BE, CH, LU]', 'let leaders = [CEO, CTO, "VP Sales"]', '');
  for (let i = 0; i < 10; i++) out.push(`segment seg${i} = field${(i * 4 + 1) % 28} > ${i * 10} and country in countries`);
  out.push('');
  let group = 0;
  const stagesAndTests = 40;
  while (out.length < lines - stagesAndTests) {
    out.push(`group g${group} max 500 {`);
    for (let r = 0; r < 40 && out.length < lines - stagesAndTests - 1; r++) {
      const n = group * 40 + r;
      const kind = n % 6;
      if (kind === 0) out.push(`  when field${(n * 4) % 28} starts "p${n}" add ${1 + (n % 9)} "rule ${n}"`);
      else if (kind === 1) out.push(`  when field${((n * 4) % 28) + 1} between ${n % 50} and ${100 + (n % 50)} add ${1 + (n % 7)}`);
      else if (kind === 2) out.push(`  when any event${n % 15} where url contains "/p${n}" within ${1 + (n % 60)} days add ${2 + (n % 5)}`);
      else if (kind === 3) out.push(`  each event${n % 15} where seconds > ${n % 100} add 1 up to ${5 + (n % 10)} half-life 30 days`);
      else if (kind === 4) out.push(`  when seg${n % 10} and industry in [services, retail] sub ${1 + (n % 4)}`);
      else out.push(`  when count event${n % 15} within 90 days >= ${1 + (n % 5)} and country not in countries add ${1 + (n % 3)}`);
    }
    out.push('}', '');
    group++;
  }
  out.push('stage discovery at 0', 'stage evaluation at 50', 'stage purchase at 150', '');
  while (out.length < lines) {
    const t = out.length;
    out.push(`test "generated ${t}" {`, '  now 2026-03-01', `  lead { field0: "p0", country: FR }`, '  expect score >= 0', '}');
  }
  return out.join('\n') + '\n';
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x) => Math.round(x * 100) / 100;
  return {
    samples: samples.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    mean: round(samples.reduce((a, b) => a + b, 0) / samples.length),
    max: round(sorted[sorted.length - 1]),
  };
}

/** The edit of step `i`: retype the points of a rule in the middle of the file. */
function editAt(document, i) {
  const text = document.getText();
  const anchor = text.indexOf(' add ', Math.floor(text.length / 2) + (i % 20) * 97) + 5;
  const start = document.positionAt(anchor);
  return { range: { start, end: { line: start.line, character: start.character + 1 } }, text: String(1 + (i % 9)) };
}

async function measureStdio(text, edits) {
  const child = spawn(process.execPath, [SERVER_BIN, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  let waiting;
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    if (waiting && params.version === waiting.version) waiting.resolve();
  });
  connection.onRequest(() => null);
  connection.listen();
  const uri = pathToFileURL('/tmp/bench.rubric').toString();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { diagnosticsDelay: 0 } });
  await connection.sendNotification('initialized', {});
  const published = (version) => new Promise((resolve) => (waiting = { version, resolve }));
  let document = TextDocument.create(uri, 'rubric', 1, text);
  const opened = published(1);
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'rubric', version: 1, text } });
  await opened;
  const samples = [];
  // Ten unmeasured edits first, as in the in-process measure: typing into an open file.
  const warmUp = 10;
  for (let i = 0; i < warmUp + edits; i++) {
    const change = editAt(document, i);
    document = TextDocument.update(document, [change], document.version + 1);
    const done = published(document.version);
    const started = performance.now();
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: document.version }, contentChanges: [change] });
    await done;
    if (i >= warmUp) samples.push(performance.now() - started);
  }
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  connection.dispose();
  return summarize(samples);
}

/**
 * Measures diagnostics latency after an edit on a generated file of `lines` lines. Returns
 * `{lines, inProcess: {p50, p95, mean, max, samples}, stdio: {...}}` in milliseconds.
 */
export async function measureDiagnosticsLatency({ lines = 2000, edits = 40, stdio = true } = {}) {
  const text = generateRuleFile(lines);
  const result = { lines: text.split('\n').length - 1, inProcess: summarize(benchDiagnosticsLatency(text, edits)) };
  if (stdio) result.stdio = await measureStdio(text, edits);
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const result = await measureDiagnosticsLatency({ lines: arg('--lines', 2000), edits: arg('--edits', 40) });
  console.log(JSON.stringify(result, null, 2));
}
