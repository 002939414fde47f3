import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Position } from 'vscode-languageserver';
import { DocumentState } from '../src/document-state.js';

export const FIXTURES = fileURLToPath(new URL('../../../test/language-server/fixtures/', import.meta.url));

/** The text of a fixture under test/language-server/fixtures. */
export function fixture(name: string): string {
  return readFileSync(FIXTURES + name, 'utf8');
}

/** A document state for `text`. */
export function stateOf(text: string, uri = 'file:///work/acme.rubric'): DocumentState {
  return new DocumentState(uri, 1, text);
}

/**
 * A state and a cursor: `text` holds one `|` marking the cursor (removed from the text).
 */
export function cursor(textWithCursor: string, uri?: string): { state: DocumentState; position: Position; offset: number } {
  const offset = textWithCursor.indexOf('|');
  if (offset < 0) throw new Error('no | cursor marker');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const state = stateOf(text, uri);
  return { state, position: state.lines.positionAt(offset), offset };
}

/** The position of the `n`th (0-based) occurrence of `needle` in the state's text, plus `delta` characters. */
export function positionOf(state: DocumentState, needle: string, n = 0, delta = 0): Position {
  let index = -1;
  for (let i = 0; i <= n; i++) {
    index = state.text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`${needle} not found`);
  }
  return state.lines.positionAt(index + delta);
}

export const DOC = { uri: 'file:///work/acme.rubric' };
