/**
 * Account scoring in the editor on files being typed (issue 17): every feature answers, without
 * throwing, on every prefix of the account fixture (a cut anywhere leaves partial trees: an
 * aggregate without its test, a block without its `}`) and on the fixture with one character
 * removed at a time inside the account blocks.
 */
import { describe, expect, it } from 'vitest';
import { codeLenses } from '../src/features/code-lens.js';
import { completion } from '../src/features/completion.js';
import { documentSymbols } from '../src/features/document-symbols.js';
import { foldingRanges } from '../src/features/folding-ranges.js';
import { formatDocument } from '../src/features/formatting.js';
import { hover } from '../src/features/hover.js';
import { prepareRename } from '../src/features/rename.js';
import { semanticTokens } from '../src/features/semantic-tokens.js';
import { parseAccountSample } from '../src/sample-accounts.js';
import { fixture, stateOf } from './helpers.js';

const TEXT = fixture('abm.rubric');
const URI = 'file:///work/abm.rubric';
const sample = parseAccountSample(fixture('abm.sample.accounts.jsonl'), '/work/abm.sample.accounts.jsonl');

function everyFeature(text: string): void {
  const state = stateOf(text, URI);
  const doc = { uri: URI };
  const end = state.lines.positionAt(text.length);
  completion(state, { textDocument: doc, position: end }, { snippetSupport: true, today: '2026-03-01' });
  for (let offset = 0; offset <= text.length; offset += 13) {
    const position = state.lines.positionAt(offset);
    hover(state, { textDocument: doc, position });
    prepareRename(state, { textDocument: doc, position });
  }
  semanticTokens(state);
  documentSymbols(state);
  foldingRanges(state);
  codeLenses(state, { textDocument: doc }, { nowSetting: null }, { nowSetting: null, sample });
  formatDocument(state, { textDocument: doc, options: { tabSize: 2, insertSpaces: true } });
}

describe('account features on partial files', () => {
  it('answer on every prefix cut at a token boundary or inside one', () => {
    const start = TEXT.indexOf('account id');
    let checked = 0;
    for (let cut = start; cut <= TEXT.length; cut += 5) {
      expect(() => everyFeature(TEXT.slice(0, cut)), `prefix of ${cut} characters`).not.toThrow();
      checked++;
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('answer with one character removed inside score accounts and the test', () => {
    const from = TEXT.indexOf('score accounts');
    for (let at = from; at < TEXT.length; at += 9) {
      const text = TEXT.slice(0, at) + TEXT.slice(at + 1);
      expect(() => everyFeature(text), `without the character at ${at}`).not.toThrow();
    }
  });
});
