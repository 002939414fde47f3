// Fuzz finding F3: the core counts a lone `\r` as a character of its line (R002), while LSP clients
// end a line there. Every range the server sends must follow the client's line rules, and every
// position the client sends must be read with them. This file checks each feature against its own
// line splitter (independent of the server's LineIndex) on documents with lone carriage returns.
import { format, formatRange as formatCoreRange, type Range as CoreRange } from '@rubric/core';
import type { Position, Range, TextEdit } from 'vscode-languageserver';
import { describe, expect, it } from 'vitest';
import type { DocumentState } from '../src/document-state.js';
import { codeActions } from '../src/features/code-actions.js';
import { codeLenses } from '../src/features/code-lens.js';
import { findDefinition } from '../src/features/definition.js';
import { computeDiagnostics } from '../src/features/diagnostics.js';
import { documentSymbols } from '../src/features/document-symbols.js';
import { foldingRanges } from '../src/features/folding-ranges.js';
import { formatDocument, formatRange } from '../src/features/formatting.js';
import { hover } from '../src/features/hover.js';
import { findReferences } from '../src/features/references.js';
import { prepareRename, rename } from '../src/features/rename.js';
import { runTests } from '../src/features/run-tests.js';
import { semanticTokens } from '../src/features/semantic-tokens.js';
import { stateOf } from './helpers.js';

/** Lines as LSP clients see them: `\n`, `\r\n` and a lone `\r` each end a line. */
class ClientLines {
  readonly starts: number[] = [0];
  readonly ends: number[] = [];

  constructor(readonly text: string) {
    for (const match of text.matchAll(/\r\n|\r|\n/g)) {
      this.ends.push(match.index);
      this.starts.push(match.index + match[0].length);
    }
    this.ends.push(text.length);
  }

  /** The offset of a position; fails the test when the position is not inside the document. */
  offset(position: Position): number {
    expect(position.line, `line of ${JSON.stringify(position)}`).toBeGreaterThanOrEqual(0);
    expect(position.line, `line of ${JSON.stringify(position)}`).toBeLessThan(this.starts.length);
    const start = this.starts[position.line];
    expect(position.character, `character of ${JSON.stringify(position)}`).toBeGreaterThanOrEqual(0);
    expect(position.character, `character of ${JSON.stringify(position)} past its line`).toBeLessThanOrEqual(this.ends[position.line] - start);
    return start + position.character;
  }

  position(offset: number): Position {
    let line = 0;
    while (line + 1 < this.starts.length && this.starts[line + 1] <= offset) line++;
    return { line, character: offset - this.starts[line] };
  }

  /** A range as offsets `start-end` (the form the core ranges are collected in). */
  span(range: Range): string {
    const start = this.offset(range.start);
    const end = this.offset(range.end);
    expect(start, `reversed range ${JSON.stringify(range)}`).toBeLessThanOrEqual(end);
    return `${start}-${end}`;
  }

  apply(edits: readonly TextEdit[]): string {
    const spans = edits.map((edit) => ({ start: this.offset(edit.range.start), end: this.offset(edit.range.end), text: edit.newText }));
    return applyOffsets(this.text, spans);
  }
}

function applyOffsets(text: string, edits: readonly { start: number; end: number; text: string }[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

function isCoreRange(value: unknown): value is CoreRange {
  if (typeof value !== 'object' || value === null) return false;
  const { start, end } = value as { start?: { offset?: unknown }; end?: { offset?: unknown } };
  return typeof start?.offset === 'number' && typeof end?.offset === 'number';
}

/** Every core range reachable from the analysis (tree, diagnostics, symbols, model), as `start-end` offsets. */
function coreSpans(state: DocumentState): Set<string> {
  const spans = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (isCoreRange(value)) spans.add(`${value.start.offset}-${value.end.offset}`);
    const children = value instanceof Map ? [...value.values()] : value instanceof Set ? [...value] : Object.values(value);
    for (const child of children) walk(child);
  };
  walk(state.analysis);
  walk(state.testRun());
  return spans;
}

const DOCUMENTS: Record<string, string> = {
  'a lone CR alone': '\r',
  'fuzz: a stage after a lone CR': "\r'';stage t 4",
  'fuzz: a test after a lone CR': '\r{\ntest""',
  'at the start': '\rlead {\n  job: text\n  size: number\n}\ngroup fit max 60 {\n  when job = CEO add 10\n}\nstage hot at 5\ntest "ceo" {\n  lead { job: "CEO", size: 3 }\n  expect score = 10\n}\n',
  'in the middle of blocks': 'lead {\r  job: text\r  size: number\n}\ngroup fit max 60 {\r  when jbo = CEO add 10\r\n  when size > 10 add 1\n}\r\nstage hot at 5\rstage cold at 1\n',
  'inside a string': 'lead {\n  job: text\n}\nwhen job = "a\rb" add 1\nwhen job = CTO add 2\n',
  'between statements': 'lead {\n  job: text\n}\r\rwhen job = CEO add 5\r# note\r\nlet titles = [CEO, CTO]\rwhen job in titles add 1\n',
  'CRLF mixed with lone CRs': 'lead {\r\n  job: text\r\n}\r\n\rgroup fit max 5 {\r\n  when job = CEO add 1\r\n}\r\ntest "t" {\r  lead { job: "CEO" }\r\n  expect score = 1\r\n}\r\n',
  'a comment with a lone CR': '# one\rtwo\nlead {\n  job: text\n}\n# a\r# b\nwhen   job = CEO add 5\n',
};

const options = { tabSize: 2, insertSpaces: true };

describe.each(Object.entries(DOCUMENTS))('lone carriage returns: %s', (_name, text) => {
  const state = stateOf(text);
  const client = new ClientLines(text);
  const doc = { uri: state.uri };

  it('each diagnostic covers the text of its core range, and so do its related ranges and fixes', () => {
    const core = state.analysis.diagnostics;
    const lsp = computeDiagnostics(state);
    expect(lsp).toHaveLength(core.length);
    core.forEach((diagnostic, i) => {
      const range = lsp[i].range;
      expect(text.slice(client.offset(range.start), client.offset(range.end)), `${diagnostic.code} ${diagnostic.message}`).toBe(
        text.slice(diagnostic.range.start.offset, diagnostic.range.end.offset),
      );
      (diagnostic.related ?? []).forEach((related, j) => {
        expect(client.span(lsp[i].relatedInformation![j].location.range)).toBe(`${related.range.start.offset}-${related.range.end.offset}`);
      });
      const fixes = (lsp[i].data as { fixes: { edits: TextEdit[] }[] } | undefined)?.fixes ?? [];
      (diagnostic.fixes ?? []).forEach((fix, j) => {
        const expected = applyOffsets(text, fix.edits.map((e) => ({ start: e.range.start.offset, end: e.range.end.offset, text: e.newText })));
        expect(client.apply(fixes[j].edits)).toBe(expected);
      });
    });
  });

  it('quick fixes edit the text the core meant', () => {
    for (const diagnostic of state.analysis.diagnostics) {
      if (diagnostic.fixes === undefined || diagnostic.fixes.length === 0) continue;
      const range = { start: client.position(diagnostic.range.start.offset), end: client.position(diagnostic.range.end.offset) };
      const actions = codeActions(state, { textDocument: doc, range, context: { diagnostics: [] } });
      expect(actions.length).toBeGreaterThanOrEqual(diagnostic.fixes.length);
      for (const fix of diagnostic.fixes) {
        const action = actions.find((a) => a.title === fix.title);
        expect(action, fix.title).toBeDefined();
        const expected = applyOffsets(text, fix.edits.map((e) => ({ start: e.range.start.offset, end: e.range.end.offset, text: e.newText })));
        expect(client.apply(action!.edit!.changes![state.uri])).toBe(expected);
      }
    }
  });

  it('semantic tokens lie on one client line each and cover a name the core resolved', () => {
    const names = new Set<string>();
    for (const d of state.analysis.symbols.declarations) names.add(`${d.nameRange.start.offset}-${d.nameRange.end.offset}`);
    for (const r of state.analysis.symbols.references) names.add(`${r.range.start.offset}-${r.range.end.offset}`);
    const { data } = semanticTokens(state);
    let line = 0;
    let character = 0;
    for (let i = 0; i < data.length; i += 5) {
      line += data[i];
      character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
      const range = { start: { line, character }, end: { line, character: character + data[i + 2] } };
      expect(names.has(client.span(range)), `token ${i / 5} at ${line}:${character}`).toBe(true);
    }
  });

  it('the outline, code lenses and test results point at core ranges', () => {
    const spans = coreSpans(state);
    const walk = (symbols: ReturnType<typeof documentSymbols>): void => {
      for (const symbol of symbols) {
        expect(spans.has(client.span(symbol.range)), `symbol ${symbol.name}`).toBe(true);
        expect(spans.has(client.span(symbol.selectionRange)), `symbol ${symbol.name} selection`).toBe(true);
        walk(symbol.children ?? []);
      }
    };
    walk(documentSymbols(state));
    for (const lens of codeLenses(state, { textDocument: doc }, { nowSetting: null })) {
      expect(spans.has(client.span(lens.range)), `lens ${lens.command?.title ?? ''}`).toBe(true);
    }
    for (const test of runTests(state, { textDocument: doc }).tests) {
      expect(spans.has(client.span(test.range))).toBe(true);
      for (const expectation of test.expectations) expect(spans.has(client.span(expectation.range))).toBe(true);
    }
  });

  it('folds from the client line where a statement starts', () => {
    const lines = client.starts.length;
    const starts = new Set(state.analysis.ast.statements.map((s) => client.position(s.range.start.offset).line));
    for (const comment of state.analysis.ast.comments) starts.add(client.position(comment.range.start.offset).line);
    for (const event of state.analysis.ast.statements.flatMap((s) => (s.kind === 'TestDecl' ? s.events : []))) {
      starts.add(client.position(event.range.start.offset).line - 1);
    }
    for (const range of foldingRanges(state)) {
      expect(starts.has(range.startLine), `fold ${range.startLine}..${range.endLine}`).toBe(true);
      expect(range.endLine).toBeGreaterThan(range.startLine);
      expect(range.endLine).toBeLessThan(lines);
    }
  });

  it('navigates from client positions: hover, definition, references and rename on every name', () => {
    const spans = coreSpans(state);
    for (const reference of [...state.analysis.symbols.references, ...state.analysis.symbols.declarations.map((d) => ({ range: d.nameRange, key: d.key }))]) {
      if (reference.range.end.offset <= reference.range.start.offset) continue;
      const position = client.position(reference.range.start.offset + 1);
      const params = { textDocument: doc, position };
      const declaration = state.symbolIndex.byKey.get(reference.key);
      if (declaration === undefined) continue;
      const found = hover(state, params);
      expect(found, `hover at ${JSON.stringify(position)}`).not.toBeNull();
      expect(spans.has(client.span(found!.range!))).toBe(true);
      const definition = findDefinition(state, params);
      expect(definition && client.span(definition.range)).toBe(`${declaration.nameRange.start.offset}-${declaration.nameRange.end.offset}`);
      for (const location of findReferences(state, { ...params, context: { includeDeclaration: true } })) {
        expect(spans.has(client.span(location.range))).toBe(true);
      }
      const prepared = prepareRename(state, params);
      if (prepared === null) continue;
      expect(spans.has(client.span(prepared.range))).toBe(true);
      const edits = rename(state, { ...params, newName: 'renamed' })?.changes?.[state.uri] ?? [];
      const occurrences = [declaration.nameRange, ...(state.symbolIndex.references.get(declaration.key) ?? []).map((r) => r.range)];
      expect(client.apply(edits)).toBe(applyOffsets(text, occurrences.map((r) => ({ start: r.start.offset, end: r.end.offset, text: 'renamed' }))));
    }
  });

  it('formats with edits that give the formatted text by client lines', () => {
    const formatted = format(text, { uri: state.uri });
    expect(client.apply(formatDocument(state, { textDocument: doc, options }))).toBe(formatted.internalError === undefined ? formatted.text : text);
    const whole = { start: { line: 0, character: 0 }, end: client.position(text.length) };
    const core = formatCoreRange(text, { start: 0, end: text.length }, { uri: state.uri });
    const expected = applyOffsets(text, core.edits.map((e) => ({ start: e.range.start.offset, end: e.range.end.offset, text: e.newText })));
    expect(client.apply(formatRange(state, { textDocument: doc, options, range: whole }))).toBe(expected);
  });
});

describe('lone carriage returns: client positions', () => {
  it('hovers over a group header that starts after a lone CR', () => {
    const text = 'lead {\n  job: text\n}\n\rgroup fit max 5 {\n  when job = CEO add 1\n}\n';
    const state = stateOf(text);
    const client = new ClientLines(text);
    const position = client.position(text.indexOf('max'));
    expect(position.line).toBe(4);
    expect(hover(state, { textDocument: { uri: state.uri }, position })?.contents).toMatchObject({ value: expect.stringContaining('**group** `fit`') });
  });

  it('folds a block whose lines end in lone CRs by the client lines', () => {
    const state = stateOf('lead {\r  job: text\r  size: number\n}\n');
    expect(foldingRanges(state)).toEqual([{ startLine: 0, endLine: 2 }]);
  });

  it('says which client line a declaration is on', () => {
    const text = 'lead {\r  job: text\n}\nwhen job = CEO add 1\n';
    const state = stateOf(text);
    const client = new ClientLines(text);
    const found = hover(state, { textDocument: { uri: state.uri }, position: client.position(text.lastIndexOf('job')) });
    expect(found?.contents).toMatchObject({ value: expect.stringContaining('Declared on line 2;') });
  });
});
