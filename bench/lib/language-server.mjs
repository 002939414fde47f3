/**
 * Section 4: how long after an edit of a 2,000-line file the editor shows fresh diagnostics.
 *
 * Two ways, each used when its piece exists:
 * - end to end: the built server over stdio (LSP framing written here, no client library), one
 *   `didChange` at a time, timed until the `publishDiagnostics` for that document version (or,
 *   when the server sends no version, the next one) arrives. This includes JSON-RPC, any
 *   debounce the server applies, and serialization: what a user waits for.
 * - in process: the language server's bench module (packages/language-server/dist/bench.js)
 *   when it exports `benchDiagnosticsLatency(text, edits)`, returning one latency in ms per edit.
 */
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { languageServerBenchModule, languageServerEntry, ROOT } from './core.mjs';
import { formatInteger, formatMs, median, percentile } from './measure.mjs';
import { generateRuleset } from './ruleset-generator.mjs';

/** Edits made after opening and before measuring (see `measureOverStdio`). */
const WARM_UP_EDITS = 10;

/** A generated file of about `lines` lines (at least that many). */
export function fileOfLines(lines) {
  let rules = Math.max(1, lines - 100);
  let generated = generateRuleset(rules);
  while (generated.lineCount < lines) {
    rules += Math.max(1, lines - generated.lineCount);
    generated = generateRuleset(rules);
  }
  return generated;
}

/**
 * The edits: alternately append a digit to a rule's points and remove it, on a rule in the
 * middle of the file (so the file stays valid and diagnostics are recomputed every time).
 */
function editSite(text) {
  const lines = text.split('\n');
  for (let i = Math.floor(lines.length / 2); i < lines.length; i++) {
    const match = /\b(add|sub) (\d+)\b(?!\.)/.exec(lines[i]);
    if (match !== null && lines[i].trimStart().startsWith('when')) {
      return { line: i, character: match.index + match[0].length };
    }
  }
  throw new Error('no rule to edit in the generated file');
}

/** A minimal LSP client over a child's stdio: Content-Length framing and JSON-RPC 2.0. */
class LspClient {
  constructor(child) {
    this.child = child;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = [];
    this.buffer = Buffer.alloc(0);
    child.stdout.on('data', (chunk) => this.receive(chunk));
  }

  receive(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = /Content-Length: (\d+)/i.exec(header);
      if (length === null) throw new Error(`bad LSP header: ${header}`);
      const bodyStart = headerEnd + 4;
      const bodyEnd = bodyStart + Number(length[1]);
      if (this.buffer.length < bodyEnd) return;
      const message = JSON.parse(this.buffer.subarray(bodyStart, bodyEnd).toString('utf8'));
      this.buffer = this.buffer.subarray(bodyEnd);
      this.dispatch(message);
    }
  }

  dispatch(message) {
    if (message.id !== undefined && message.method === undefined) {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (waiter !== undefined) {
        if (message.error !== undefined) waiter.reject(new Error(message.error.message));
        else waiter.resolve(message.result);
      }
      return;
    }
    if (message.id !== undefined) {
      // A request from the server (configuration, registerCapability, ...): answer with null.
      this.write({ jsonrpc: '2.0', id: message.id, result: null });
      return;
    }
    for (const listener of this.listeners) listener(message);
  }

  write(message) {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  request(method, params) {
    const id = this.nextId++;
    this.write({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  notify(method, params) {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /** Resolves with the first notification `method` for which `accept(params)` holds. */
  waitFor(method, accept, timeoutMs) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(new Error(`no ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (message) => {
        if (message.method === method && accept(message.params)) {
          clearTimeout(timer);
          this.listeners = this.listeners.filter((l) => l !== listener);
          resolve(message.params);
        }
      };
      this.listeners.push(listener);
    });
  }
}

async function measureOverStdio(entry, text, edits, initializationOptions) {
  const child = spawn(process.execPath, [entry, '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk.toString('utf8')));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const client = new LspClient(child);
  const uri = pathToFileURL(`${ROOT}bench/generated-2000-lines.rubric`).href;
  try {
    const init = await Promise.race([
      client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null, initializationOptions }),
      exited.then(() => {
        throw new Error(`server exited: ${stderr.split('\n')[0]}`);
      }),
    ]);
    const sync = init?.capabilities?.textDocumentSync;
    const change = typeof sync === 'number' ? sync : (sync?.change ?? 1);
    client.notify('initialized', {});
    const forUri = (p) => p.uri === uri;
    const firstDiagnostics = client.waitFor('textDocument/publishDiagnostics', forUri, 30_000);
    const openStart = performance.now();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'rubric', version: 1, text } });
    const opened = await firstDiagnostics;
    const openMs = performance.now() - openStart;

    const site = editSite(text);
    let current = text;
    const samples = [];
    // The first edits after opening run before the JIT has compiled the re-check; a user types
    // many keystrokes into an open file: WARM_UP_EDITS go first, unmeasured.
    for (let i = 0; i < WARM_UP_EDITS + edits; i++) {
      const version = i + 2;
      const insert = i % 2 === 0;
      const range = insert
        ? { start: site, end: site }
        : { start: site, end: { line: site.line, character: site.character + 1 } };
      current = applyEdit(current, site, insert);
      const contentChanges = change === 2 ? [{ range, text: insert ? '7' : '' }] : [{ text: current }];
      const wait = client.waitFor('textDocument/publishDiagnostics', (p) => forUri(p) && (p.version === undefined || p.version === version), 30_000);
      const start = performance.now();
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
      await wait;
      if (i >= WARM_UP_EDITS) samples.push(performance.now() - start);
    }
    await client.request('shutdown', null).catch(() => null);
    client.notify('exit', null);
    return { samples, openMs, openDiagnostics: opened.diagnostics.length, sync: change === 2 ? 'incremental' : 'full' };
  } finally {
    setTimeout(() => child.kill(), 2000).unref();
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2500))]);
  }
}

function applyEdit(text, site, insert) {
  const lines = text.split('\n');
  const line = lines[site.line];
  lines[site.line] = insert ? line.slice(0, site.character) + '7' + line.slice(site.character) : line.slice(0, site.character) + line.slice(site.character + 1);
  return lines.join('\n');
}

/** Runs section 4. `options`: `{lines, edits, log}`. */
export async function runLanguageServer(options) {
  const header = ['Measured', 'File', 'Edits', 'p50', 'p95', 'Note'];
  const generated = fileOfLines(options.lines);
  const fileLabel = `${formatInteger(generated.lineCount)} lines, ${formatInteger(generated.ruleCount)} rules`;
  const rows = [];
  const notes = [];
  const data = {};

  const entry = languageServerEntry();
  if (entry === null) {
    const reason = 'not available yet (feature language server not built: packages/language-server/bin or dist missing)';
    rows.push(['end to end over stdio', fileLabel, '—', '—', '—', reason]);
    notes.push(`Language server: ${reason}.`);
  } else {
    // As users get it (the server's default debounce), and with the debounce off: the checking
    // work alone, plus JSON-RPC.
    const runs = [
      { label: 'end to end over stdio, default settings', key: 'stdio', init: undefined },
      { label: 'end to end over stdio, `diagnosticsDelay: 0`', key: 'stdioNoDelay', init: { rubric: { diagnosticsDelay: 0 } } },
    ];
    for (const run of runs) {
      options.log(`  language server over stdio (${run.key}): ${options.edits} edits of a ${fileLabel} file...`);
      try {
        const result = await measureOverStdio(entry, generated.text, options.edits, run.init);
        data[run.key] = { p50: median(result.samples), p95: percentile(result.samples, 95), openMs: result.openMs, edits: result.samples.length, sync: result.sync };
        rows.push([
          run.label,
          fileLabel,
          formatInteger(result.samples.length),
          formatMs(data[run.key].p50),
          formatMs(data[run.key].p95),
          `${result.sync} sync; first diagnostics after open: ${formatMs(result.openMs)} (${result.openDiagnostics} diagnostics)`,
        ]);
      } catch (error) {
        const reason = `the server did not answer as expected: ${error instanceof Error ? error.message : String(error)}`;
        rows.push([run.label, fileLabel, '—', '—', '—', reason]);
        notes.push(`Language server: ${reason}.`);
      }
    }
  }

  const benchModule = languageServerBenchModule();
  if (benchModule === null) {
    rows.push(['in process (server bench module)', fileLabel, '—', '—', '—', 'not available yet (feature language-server bench module not built: packages/language-server/dist/bench.js missing)']);
  } else {
    const module = await import(pathToFileURL(benchModule).href);
    if (typeof module.benchDiagnosticsLatency !== 'function') {
      rows.push(['in process (server bench module)', fileLabel, '—', '—', '—', `bench module has no \`benchDiagnosticsLatency\` export (exports: ${Object.keys(module).join(', ')})`]);
    } else {
      options.log(`  language server bench module: ${options.edits} edits...`);
      const samples = await module.benchDiagnosticsLatency(generated.text, options.edits);
      data.inProcess = { p50: median(samples), p95: percentile(samples, 95), edits: samples.length };
      rows.push(['in process (server bench module)', fileLabel, formatInteger(samples.length), formatMs(data.inProcess.p50), formatMs(data.inProcess.p95), '']);
    }
  }
  return {
    id: 'language-server',
    data: Object.keys(data).length === 0 ? null : data,
    notes,
    tables: [{ caption: 'Diagnostics latency after an edit', header, rows }],
  };
}
