import { describe, expect, it } from 'vitest';
import { findDefinition } from '../src/features/definition.js';
import { findReferences } from '../src/features/references.js';
import { prepareRename, rename, RenameError } from '../src/features/rename.js';
import { fixture, positionOf, stateOf } from './helpers.js';

const state = stateOf(fixture('acme.rubric'));
const doc = { uri: state.uri };

function apply(text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const s = stateOf(text);
  const sorted = [...edits].sort((a, b) => s.lines.offsetAt(b.range.start) - s.lines.offsetAt(a.range.start));
  let out = text;
  for (const edit of sorted) out = out.slice(0, s.lines.offsetAt(edit.range.start)) + edit.newText + out.slice(s.lines.offsetAt(edit.range.end));
  return out;
}

describe('definition and references', () => {
  it('goes from a field use to its declaration', () => {
    const location = findDefinition(state, { textDocument: doc, position: positionOf(state, 'job in', 0, 1) });
    expect(location).toEqual({ uri: state.uri, range: { start: { line: 2, character: 2 }, end: { line: 2, character: 5 } } });
  });

  it('goes from a stage in a test to the stage', () => {
    const location = findDefinition(state, { textDocument: doc, position: positionOf(state, 'stage purchase\n}', 0, 8) });
    expect(location?.range.start.line).toBe(state.text.split('\n').findIndex((l) => l.startsWith('stage purchase')));
  });

  it('finds every use of a let, with or without its declaration', () => {
    const position = positionOf(state, 'personal_domains', 1, 2);
    const withDeclaration = findReferences(state, { textDocument: doc, position, context: { includeDeclaration: true } });
    const without = findReferences(state, { textDocument: doc, position, context: { includeDeclaration: false } });
    expect(withDeclaration).toHaveLength(2);
    expect(without).toHaveLength(1);
  });

  it('finds a group used in tiers', () => {
    const refs = findReferences(state, { textDocument: doc, position: positionOf(state, 'group fit', 0, 7), context: { includeDeclaration: false } });
    expect(refs.length).toBeGreaterThanOrEqual(2);
  });

  it('returns nothing off a name', () => {
    expect(findDefinition(state, { textDocument: doc, position: { line: 0, character: 3 } })).toBeNull();
  });
});

describe('rename', () => {
  it('prepares a rename on a segment with its current name', () => {
    const prepared = prepareRename(state, { textDocument: doc, position: positionOf(state, 'ideal_company add', 0, 3) });
    expect(prepared?.placeholder).toBe('ideal_company');
  });

  it('refuses to rename a test', () => {
    expect(prepareRename(state, { textDocument: doc, position: positionOf(state, '"student with', 0, 3) })).toBeNull();
  });

  it('renames a dotted field everywhere, including test leads', () => {
    const edit = rename(state, { textDocument: doc, position: positionOf(state, 'company.size: number', 0, 2), newName: 'company.employees' });
    const out = apply(state.text, edit?.changes?.[state.uri] ?? []);
    expect(out).not.toContain('company.size');
    expect(out).toContain('company.employees: number');
    expect(out).toContain('company.employees between 10 and 250');
    expect(out).toContain('lead { company.employees: 50');
  });

  it('writes a keyword or a name with spaces in backticks', () => {
    const edit = rename(state, { textDocument: doc, position: positionOf(state, 'decision_makers', 0, 1), newName: 'Decision makers' });
    const out = apply(state.text, edit?.changes?.[state.uri] ?? []);
    expect(out).toContain('let `Decision makers` = [');
    expect(out).toContain('when job in `Decision makers` add 10');
    const stage = rename(state, { textDocument: doc, position: positionOf(state, 'stage purchase', 0, 7), newName: 'score' });
    expect(apply(state.text, stage?.changes?.[state.uri] ?? [])).toContain('expect stage `score`');
  });

  it('refuses a name that is already taken', () => {
    expect(() => rename(state, { textDocument: doc, position: positionOf(state, 'stage purchase', 0, 7), newName: 'discovery' })).toThrow(RenameError);
    expect(() => rename(state, { textDocument: doc, position: positionOf(state, 'stage purchase', 0, 7), newName: '  ' })).toThrow(RenameError);
  });
});
