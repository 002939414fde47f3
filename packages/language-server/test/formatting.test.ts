import { describe, expect, it } from 'vitest';
import { formatDocument, formatRange } from '../src/features/formatting.js';
import { stateOf } from './helpers.js';

const options = { tabSize: 2, insertSpaces: true };

function apply(text: string, edits: ReturnType<typeof formatDocument>): string {
  const state = stateOf(text);
  const sorted = [...edits].sort((a, b) => state.lines.offsetAt(b.range.start) - state.lines.offsetAt(a.range.start));
  let out = text;
  for (const edit of sorted) out = out.slice(0, state.lines.offsetAt(edit.range.start)) + edit.newText + out.slice(state.lines.offsetAt(edit.range.end));
  return out;
}

const messy = 'lead {\n      job: text\n  size:number }\ngroup   fit max 60 {\nwhen job in [CEO,CTO] add 10   # deciders\n}\nwhen size>10    add 1\n';

describe('formatting', () => {
  it('formats the document with the smallest edit, keeping comments', () => {
    const state = stateOf(messy);
    const edits = formatDocument(state, { textDocument: { uri: state.uri }, options });
    expect(edits).toHaveLength(1);
    const out = apply(messy, edits);
    expect(out).toContain('# deciders');
    expect(out).toContain('when job in [CEO, CTO] add 10');
    expect(formatDocument(stateOf(out), { textDocument: { uri: state.uri }, options })).toEqual([]);
  });

  it('leaves a file with syntax errors alone', () => {
    const state = stateOf('lead {\n job: text\n}\nwhen job = add\n');
    expect(formatDocument(state, { textDocument: { uri: state.uri }, options })).toEqual([]);
  });

  it('formats only the statements a range touches', () => {
    const state = stateOf(messy);
    const lastLine = messy.split('\n').length - 2;
    const edits = formatRange(state, { textDocument: { uri: state.uri }, options, range: { start: { line: lastLine, character: 0 }, end: { line: lastLine, character: 3 } } });
    const out = apply(messy, edits);
    expect(out).toContain('when size > 10 add 1');
    expect(out).toContain('group   fit max 60 {');
  });
});
