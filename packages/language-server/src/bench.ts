/**
 * The server's in-process benchmark hook (the root `npm run bench` imports dist/bench.js): how
 * long the server works between an edit and fresh diagnostics, without JSON-RPC or debounce.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentState } from './document-state.js';
import { computeDiagnostics } from './features/diagnostics.js';

/** Where to edit: just after the points of a `when` rule in the middle of the file. */
function editSite(document: TextDocument): { line: number; character: number } {
  const lines = document.getText().split(/\r?\n/);
  for (let i = Math.floor(lines.length / 2); i < lines.length; i++) {
    const match = /\b(add|sub) (\d+)\b(?!\.)/.exec(lines[i]);
    if (match !== null) return { line: i, character: match.index + match[0].length };
  }
  for (let i = 0; i < lines.length; i++) {
    const match = /\b(add|sub) (\d+)\b(?!\.)/.exec(lines[i]);
    if (match !== null) return { line: i, character: match.index + match[0].length };
  }
  return { line: lines.length - 1, character: 0 };
}

/**
 * Applies `edits` incremental edits to `text` (alternately typing a digit after a rule's points
 * and deleting it), and after each one builds the new document state and its LSP diagnostics,
 * as the server does. Returns each edit's latency in milliseconds. `warmUp` edits go first,
 * unmeasured: a user types many keystrokes into an open file, and the first few after opening
 * run before the JIT has compiled the re-check.
 */
export function benchDiagnosticsLatency(text: string, edits: number, warmUp = 10): number[] {
  let document = TextDocument.create('file:///bench.rubric', 'rubric', 1, text);
  let previous: DocumentState | undefined = new DocumentState(document.uri, 1, text);
  computeDiagnostics(previous);
  const site = editSite(document);
  const samples: number[] = [];
  for (let i = 0; i < warmUp + edits; i++) {
    const change =
      i % 2 === 0
        ? { range: { start: site, end: site }, text: '1' }
        : { range: { start: site, end: { line: site.line, character: site.character + 1 } }, text: '' };
    const started = performance.now();
    document = TextDocument.update(document, [change], document.version + 1);
    const state: DocumentState = new DocumentState(document.uri, document.version, document.getText(), previous);
    computeDiagnostics(state);
    if (i >= warmUp) samples.push(performance.now() - started);
    previous = state;
  }
  return samples;
}
