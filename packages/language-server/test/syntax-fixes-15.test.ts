// Issue 15: the parser's own quick fixes (a keyword quoted as text, `with` removed, `any`
// inserted...) reach the editor as code actions, as the checker's do.
import { describe, expect, it } from 'vitest';
import { codeActions } from '../src/features/code-actions.js';
import { computeDiagnostics } from '../src/features/diagnostics.js';
import { stateOf } from './helpers.js';

const TEXT = [
  'lead { country: text, email: text }',
  'event page_view { url: text }',
  'when country in [FR, at] add 5',
  'when email ends with "@gmail.com" sub 10',
  'when page_view where url = "/pricing" add 5',
  'when country in [CEO] add 10 Décideur',
  '',
].join('\n');

function fixesOn(line: number): Array<{ title: string; newText: string | undefined; character: number | undefined }> {
  const state = stateOf(TEXT);
  const diagnostic = computeDiagnostics(state).find((d) => d.code === 'R001' && d.range.start.line === line);
  if (diagnostic === undefined) throw new Error(`no R001 on line ${line + 1}`);
  return codeActions(state, { textDocument: { uri: state.uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } }).map((a) => {
    const edit = a.edit?.changes?.[state.uri]?.[0];
    return { title: a.title, newText: edit?.newText, character: edit?.range.start.character };
  });
}

describe('syntax quick fixes in the editor', () => {
  it('quotes a keyword typed as a value', () => {
    expect(fixesOn(2)).toEqual([{ title: 'quote `at`', newText: '"at"', character: 21 }]);
  });

  it('removes `with` after `ends`', () => {
    expect(fixesOn(3)).toEqual([{ title: 'remove `with`', newText: '', character: 16 }]);
  });

  it('inserts `any` before an event followed by `where`', () => {
    expect(fixesOn(4)).toEqual([{ title: 'insert `any`', newText: 'any ', character: 5 }]);
  });

  it('quotes a label written without quotes', () => {
    expect(fixesOn(5)).toEqual([{ title: 'quote the label', newText: '"Décideur"', character: 29 }]);
  });
});
