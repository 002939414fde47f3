/**
 * The playground page: a CodeMirror 6 editor talking LSP to the Rubric language server in a Web
 * Worker (diagnostics with quick fixes, completion, hover, formatting, rename, go to definition,
 * semantic colouring), the file's tests, a sample-leads pane (score table, per-stage histograms,
 * explain of a clicked lead), the examples as a picker, and share links in the URL fragment.
 * Nothing is sent anywhere: after the page and its worker have loaded, it makes no request.
 */
import { basicSetup } from 'codemirror';
import { EditorView, keymap } from '@codemirror/view';
import { lintGutter } from '@codemirror/lint';
import {
  findReferencesKeymap,
  formatDocument,
  formatKeymap,
  hoverTooltips,
  jumpToDefinitionKeymap,
  LSPClient,
  renameKeymap,
  serverCompletion,
  type Transport,
} from '@codemirror/lsp-client';
import type { Explanation } from '@rubric/core';
import type { PreviewResult, RunTestsResult } from '@rubric/language-server';
import { EXAMPLES, type Example } from 'virtual:examples';
import { diagnosticsWithQuickFixes, semanticColouring } from './lsp-extensions.js';
import { EXPLAIN_REQUEST, PREVIEW, RUN_TESTS, SET_SAMPLE_REQUEST, type ExplainParams, type ExplainResult, type SetSampleParams, type SetSampleResult } from './protocol.js';
import { rubric } from './rubric-language.js';
import { sanitizeHtml } from './sanitize.js';
import { decodeShare, encodeShare } from './share.js';

const URI = 'file:///playground/rules.rubric';
const PREVIEW_ROWS = 100;
const DEFAULT_EXAMPLE = 'three-stage-mql';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}

function make<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
}

const status = element<HTMLElement>('status');
function say(message: string): void {
  status.textContent = message;
}

/** Runs an async step; a failure (a request timed out, the worker died) is said, not thrown. */
function run(what: string, step: () => Promise<void>): void {
  step().catch((error: unknown) => say(`${what} failed: ${error instanceof Error ? error.message : String(error)}`));
}

// --- The language server in a worker, and the LSP client -------------------------------------

const worker = new Worker('worker.js');
const listeners = new Set<(message: string) => void>();
worker.addEventListener('message', (event: MessageEvent<unknown>) => {
  const text = JSON.stringify(event.data);
  for (const listener of listeners) listener(text);
});
worker.addEventListener('error', (event) => say(`The language server stopped: ${event.message}`));
const transport: Transport = {
  send: (message) => worker.postMessage(JSON.parse(message)),
  subscribe: (handler) => listeners.add(handler),
  unsubscribe: (handler) => listeners.delete(handler),
};

const client = new LSPClient({
  rootUri: 'file:///playground/',
  timeout: 15_000,
  sanitizeHTML: sanitizeHtml,
  extensions: [
    serverCompletion(),
    hoverTooltips(),
    keymap.of([...formatKeymap, ...renameKeymap, ...jumpToDefinitionKeymap, ...findReferencesKeymap]),
    diagnosticsWithQuickFixes(),
  ],
  // (The server's log messages go to the console: lsp-client logs errors and warnings there.)
}).connect(transport);

// --- The editor --------------------------------------------------------------------------------

let refreshTimer = -1;
const view = new EditorView({
  parent: element('editor'),
  doc: '',
  extensions: [
    basicSetup,
    lintGutter(),
    rubric(),
    client.plugin(URI, 'rubric'),
    semanticColouring,
    EditorView.contentAttributes.of({ 'aria-label': 'Rubric rule file' }),
    // Hints (what the sample says about a field) as VS Code shows them: quiet, not a squiggle.
    EditorView.theme({ '.cm-lintRange-hint': { backgroundImage: 'none', borderBottom: '1px dotted #8c959f' } }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) scheduleRefresh(400);
    }),
  ],
});

function setFile(text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: 0 } });
}

function scheduleRefresh(delay: number): void {
  if (refreshTimer > -1) clearTimeout(refreshTimer);
  refreshTimer = window.setTimeout(() => {
    refreshTimer = -1;
    run('Checking the file', refresh);
  }, delay);
}

// --- Tests, scores, histograms, explain -------------------------------------------------------

let lastPreview: PreviewResult | null = null;
let generation = 0;

async function refresh(): Promise<void> {
  const mine = ++generation;
  await client.initializing;
  client.sync();
  const text = view.state.doc.toString();
  const [tests, preview] = await Promise.all([
    client.request<{ textDocument: { uri: string } }, RunTestsResult | null>(RUN_TESTS, { textDocument: { uri: URI } }),
    client.request<{ textDocument: { uri: string }; rows: number }, PreviewResult | null>(PREVIEW, { textDocument: { uri: URI }, rows: PREVIEW_ROWS }),
  ]);
  if (mine !== generation) return;
  renderTests(tests);
  lastPreview = preview;
  renderPreview(preview, text);
}

function renderTests(result: RunTestsResult | null): void {
  const box = element('tests');
  box.replaceChildren();
  const summary = element('tests-summary');
  if (result === null) {
    summary.textContent = '';
    return;
  }
  if (result.error !== undefined) {
    summary.textContent = result.error;
    return;
  }
  summary.textContent = result.tests.length === 0 ? 'no test in the file' : `${result.passed} passed, ${result.failed} failed`;
  summary.className = result.failed > 0 ? 'bad' : 'good';
  for (const test of result.tests) {
    const item = make('li', undefined, test.passed ? 'pass' : 'fail');
    const line = make('button', `${test.passed ? '✓' : '✗'} ${test.name}`, 'link');
    line.title = `line ${test.range.start.line + 1}`;
    line.addEventListener('click', () => goToLine(test.range.start.line + 1));
    item.append(line);
    const failed = test.expectations.filter((e) => !e.passed);
    if (failed.length > 0) {
      const list = make('ul');
      for (const e of failed) list.append(make('li', `${e.description}: expected ${e.expected}, got ${e.actual}`));
      item.append(list);
    }
    box.append(item);
  }
}

function goToLine(line: number): void {
  const target = view.state.doc.line(Math.max(1, Math.min(line, view.state.doc.lines)));
  view.dispatch({ selection: { anchor: target.from }, effects: EditorView.scrollIntoView(target.from, { y: 'center' }) });
  view.focus();
}

function renderPreview(preview: PreviewResult | null, text: string): void {
  const table = element<HTMLTableElement>('scores');
  const summary = element('scores-summary');
  const histograms = element('histograms');
  histograms.replaceChildren();
  table.replaceChildren();
  if (preview === null) return;
  if (preview.status !== 'ok') {
    summary.textContent = preview.status === 'no-sample' ? 'Paste leads or load an example’s sample to see scores.' : (preview.message ?? preview.status);
    return;
  }
  const stats = preview.stats;
  const nowSource = preview.nowSource === 'sample' ? 'the sample’s latest event' : preview.nowSource === 'setting' ? 'as set' : 'the clock';
  summary.textContent =
    `${preview.totalRows} leads scored at ${preview.now ?? '?'} (${nowSource})` +
    (stats === undefined ? '' : ` · min ${stats.min}, median ${stats.median}, mean ${stats.mean}, max ${stats.max}`) +
    (preview.totalRows > preview.rows.length ? ` · first ${preview.rows.length} shown` : '') +
    (preview.sample?.problems.length ? ` · ${preview.sample.problems.length} lines skipped` : '');
  const head = make('thead');
  const headRow = make('tr');
  for (const title of ['Lead', 'Score', 'Stage', 'Tier', ...preview.groups]) {
    const th = make('th', title);
    th.scope = 'col';
    headRow.append(th);
  }
  head.append(headRow);
  const body = make('tbody');
  for (const row of preview.rows) {
    const tr = make('tr');
    tr.dataset.line = String(row.line);
    const lead = make('td');
    const button = make('button', row.label, 'link');
    button.title = 'Explain this score';
    button.addEventListener('click', () => run('Explaining the lead', () => explain(row.line, text)));
    lead.append(button);
    tr.append(lead, make('td', String(row.score), 'num score'), make('td', row.stage ?? '—'), make('td', row.tier ?? '—'));
    for (const group of preview.groups) tr.append(make('td', String(row.groups[group] ?? 0), 'num'));
    body.append(tr);
  }
  table.append(head, body);
  renderHistograms(preview, histograms);
}

const SVG = 'http://www.w3.org/2000/svg';

function renderHistograms(preview: PreviewResult, box: HTMLElement): void {
  const max = Math.max(1, ...preview.histograms.flatMap((h) => h.counts));
  const width = 260;
  const height = 70;
  const barWidth = preview.bins.length === 0 ? 0 : width / preview.bins.length;
  for (const histogram of preview.histograms) {
    if (histogram.count === 0) continue;
    const figure = make('figure');
    const name = histogram.stage === null ? 'no stage' : `${histogram.stage} (at ${histogram.threshold})`;
    figure.append(make('figcaption', `${name}: ${histogram.count} leads`));
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', `0 0 ${width} ${height + 14}`);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `Scores of the leads at ${name}: ` + preview.bins.map((bin, i) => `${bin.from} to ${bin.to}: ${histogram.counts[i]}`).join(', '));
    svg.dataset.stage = histogram.stage ?? '';
    histogram.counts.forEach((count, i) => {
      if (count === 0) return;
      const bar = document.createElementNS(SVG, 'rect');
      const barHeight = (count / max) * height;
      bar.setAttribute('x', String(i * barWidth + 1));
      bar.setAttribute('y', String(height - barHeight));
      bar.setAttribute('width', String(Math.max(1, barWidth - 2)));
      bar.setAttribute('height', String(barHeight));
      bar.setAttribute('class', 'bar');
      const title = document.createElementNS(SVG, 'title');
      title.textContent = `${preview.bins[i].from}–${preview.bins[i].to}: ${count}`;
      bar.append(title);
      svg.append(bar);
    });
    for (const [i, bin] of preview.bins.entries()) {
      if (i % Math.ceil(preview.bins.length / 5) !== 0) continue;
      const label = document.createElementNS(SVG, 'text');
      label.setAttribute('x', String(i * barWidth + 1));
      label.setAttribute('y', String(height + 12));
      label.setAttribute('class', 'axis');
      label.textContent = String(bin.from);
      svg.append(label);
    }
    figure.append(svg);
    box.append(figure);
  }
}

async function explain(line: number, text: string): Promise<void> {
  const box = element('explain');
  const params: ExplainParams = { uri: URI, text, line, now: lastPreview?.now };
  const result = await client.request<ExplainParams, ExplainResult>(EXPLAIN_REQUEST, params);
  box.replaceChildren();
  if (result.kind === 'error') {
    box.append(make('p', result.message));
    return;
  }
  renderExplanation(box, result.label, result.explanation);
  box.focus();
}

function renderExplanation(box: HTMLElement, label: string, x: Explanation): void {
  box.append(make('h3', `${label}: ${x.score} points · stage ${x.stage ?? '—'} · tier ${x.tier ?? '—'}`));
  if (x.scoreClampedBy !== null) box.append(make('p', `The total ${x.rawScore} was clamped by the score range (${x.scoreClampedBy}).`));
  const hits = make('table');
  const head = make('tr');
  for (const title of ['Line', 'Rule', 'Points', 'Group']) head.append(make('th', title));
  hits.append(head);
  for (const hit of x.hits) {
    const tr = make('tr');
    const lineCell = make('td');
    const go = make('button', String(hit.line), 'link');
    go.addEventListener('click', () => goToLine(hit.line));
    lineCell.append(go);
    const more = hit.occurrences === undefined ? '' : ` (×${hit.occurrences}${hit.capped === true ? ', capped' : ''})`;
    tr.append(lineCell, make('td', hit.label + more), make('td', (hit.points > 0 ? '+' : '') + String(hit.points), 'num'), make('td', hit.group ?? '—'));
    hits.append(tr);
  }
  box.append(x.hits.length === 0 ? make('p', 'No rule fired.') : hits);
  const groups = make('ul');
  for (const g of x.groupDetails) {
    groups.append(make('li', `${g.name}: ${g.value}` + (g.clampedBy === null ? '' : ` (raw ${g.raw}, clamped to its ${g.clampedBy})`)));
  }
  if (x.groupDetails.length > 0) box.append(make('h4', 'Groups'), groups);
  const stages = make('ul');
  for (const s of x.stages) {
    const why: string[] = [];
    if (!s.scoreReached) why.push(`score below ${s.threshold}`);
    if (s.missing.length > 0) why.push(`missing ${s.missing.join(', ')}`);
    for (const f of s.failedRequirements) why.push(`requires ${f.text}`);
    if (!s.conditionHolds) why.push('its `when` does not hold');
    stages.append(make('li', `${s.isStage ? '▶ ' : ''}${s.name} (at ${s.threshold}): ${s.reached ? 'reached' : `not reached: ${why.join('; ')}`}`));
  }
  if (x.stages.length > 0) box.append(make('h4', 'Stages'), stages);
  if (x.invalidValues.length > 0) {
    const invalid = make('ul');
    for (const v of x.invalidValues) invalid.append(make('li', `${v.field}: ${JSON.stringify(v.value)} is not ${v.expected} (counts as missing)`));
    box.append(make('h4', 'Ignored values'), invalid);
  }
}

// --- The sample pane -------------------------------------------------------------------------

const sampleText = element<HTMLTextAreaElement>('sample-text');
const sampleFormat = element<HTMLSelectElement>('sample-format');
let sampleName = 'pasted sample';

function guessFormat(text: string): 'jsonl' | 'csv' {
  const start = text.trimStart();
  return start.startsWith('{') || start.startsWith('[') ? 'jsonl' : 'csv';
}

async function applySample(): Promise<void> {
  const text = sampleText.value;
  const format = sampleFormat.value === 'auto' ? guessFormat(text) : (sampleFormat.value as 'jsonl' | 'csv');
  await client.initializing;
  const result = await client.request<SetSampleParams, SetSampleResult>(SET_SAMPLE_REQUEST, { uri: URI, text, format, name: sampleName });
  element('sample-summary').textContent = text.trim() === '' ? '' : `${result.leads} leads read as ${format === 'csv' ? 'CSV' : 'JSON Lines'}` + (result.problems.length > 0 ? `; first problem: line ${result.problems[0].line}: ${result.problems[0].message}` : '');
  // The server re-reads samples (and refreshes its data hints) when told its files changed.
  client.notification('workspace/didChangeWatchedFiles', { changes: [] });
  scheduleRefresh(0);
}

const scoreNow = element<HTMLInputElement>('score-now');

/** Tells the server the instant to score at (its `rubric.previewNow` setting; blank: its default). */
function applyNow(): void {
  const value = scoreNow.value.trim();
  client.notification('workspace/didChangeConfiguration', { settings: { rubric: { previewNow: value === '' ? null : value } } });
  scheduleRefresh(0);
}
scoreNow.addEventListener('change', applyNow);

let sampleTimer = -1;
sampleText.addEventListener('input', () => {
  sampleName = 'pasted sample';
  if (sampleTimer > -1) clearTimeout(sampleTimer);
  sampleTimer = window.setTimeout(() => run('Reading the sample', applySample), 400);
});
sampleFormat.addEventListener('change', () => run('Reading the sample', applySample));

// --- Examples, share links, buttons -------------------------------------------------------------

const picker = element<HTMLSelectElement>('example-picker');
for (const example of EXAMPLES) {
  const option = make('option', example.name);
  option.value = example.name;
  picker.append(option);
}

function loadExample(example: Example, withSample: boolean): void {
  setFile(example.rules);
  if (withSample) {
    sampleText.value = example.sample?.text ?? '';
    sampleName = example.sample?.fileName ?? 'pasted sample';
    sampleFormat.value = 'auto';
    run('Reading the sample', applySample);
  }
  say(`Loaded ${example.fileName}` + (example.sample === null ? '' : ` and the first ${example.sample.leads} of ${example.sample.total} leads of ${example.sample.fileName}`));
}

picker.addEventListener('change', () => {
  const example = EXAMPLES.find((e) => e.name === picker.value);
  if (example !== undefined) loadExample(example, true);
});

element('load-sample').addEventListener('click', () => {
  const example = EXAMPLES.find((e) => e.name === picker.value);
  if (example !== undefined) {
    sampleText.value = example.sample?.text ?? '';
    sampleName = example.sample?.fileName ?? 'pasted sample';
    run('Reading the sample', applySample);
  }
});

element('format').addEventListener('click', () => {
  formatDocument(view);
  view.focus();
});

element('share').addEventListener('click', () => {
  run('Making the share link', async () => {
    const sample = sampleText.value.trim() === '' ? undefined : { text: sampleText.value, format: guessFormat(sampleText.value) };
    const now = scoreNow.value.trim() === '' ? undefined : scoreNow.value.trim();
    const fragment = await encodeShare({ file: view.state.doc.toString(), sample, now });
    history.replaceState(null, '', fragment);
    const link = element<HTMLInputElement>('share-url');
    link.value = location.href;
    link.hidden = false;
    link.select();
    say(`Share link ready (${location.href.length} characters; the file travels in the link only, nothing is uploaded).`);
  });
});

async function start(): Promise<void> {
  const shared = await decodeShare(location.hash);
  if (shared !== null) {
    setFile(shared.file);
    picker.value = '';
    if (shared.sample !== undefined) {
      sampleText.value = shared.sample.text;
      sampleFormat.value = shared.sample.format;
      sampleName = 'shared sample';
      run('Reading the sample', applySample);
    }
    if (shared.now !== undefined) {
      scoreNow.value = shared.now;
      await client.initializing;
      applyNow();
    }
    say('Opened a shared file.');
  } else {
    const example = EXAMPLES.find((e) => e.name === DEFAULT_EXAMPLE) ?? EXAMPLES[0];
    if (example !== undefined) {
      picker.value = example.name;
      loadExample(example, true);
    }
  }
  await client.initializing;
  document.body.dataset.ready = 'true';
  scheduleRefresh(0);
}

run('Starting', start);

// Offline, reloads included: a service worker keeps the last good copy of the page's files.
// (Only where the browser allows one: https, or http on localhost.)
if ('serviceWorker' in navigator && window.isSecureContext) {
  navigator.serviceWorker.register('sw.js').catch((error: unknown) => say(`Offline use unavailable: ${String(error)}`));
}

/** For the browser tests and the curious (the devtools console): the editor's text. */
interface PlaygroundHandle {
  text(): string;
  setText(text: string): void;
}
(window as unknown as { rubricPlayground: PlaygroundHandle }).rubricPlayground = {
  text: () => view.state.doc.toString(),
  setText: setFile,
};
