import { describe, expect, it } from 'vitest';
import { codeActions } from '../src/features/code-actions.js';
import { computeDiagnostics } from '../src/features/diagnostics.js';
import { fixture, stateOf } from './helpers.js';

const state = stateOf(fixture('broken.rubric'));
const diagnostics = computeDiagnostics(state);

function actionsFor(code: string) {
  const diagnostic = diagnostics.find((d) => d.code === code);
  if (diagnostic === undefined) throw new Error(`no ${code}`);
  return {
    diagnostic,
    actions: codeActions(state, { textDocument: { uri: state.uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } }),
  };
}

describe('code actions', () => {
  it('offers did-you-mean first and adding the field to the lead schema', () => {
    const { diagnostic, actions } = actionsFor('R010');
    expect(actions.map((a) => a.title)).toEqual(['replace with `company.size`', 'add `compnay.size: number` to the lead schema']);
    expect(actions[0]).toMatchObject({ kind: 'quickfix', isPreferred: true, diagnostics: [diagnostic] });
    expect(actions[0].edit?.changes?.[state.uri]).toEqual([{ range: diagnostic.range, newText: 'company.size' }]);
    const add = actions[1].edit?.changes?.[state.uri]?.[0];
    expect(add?.newText).toContain('compnay.size: number');
    expect(add?.range.start.line).toBeLessThan(5);
  });

  it('quotes a dotted bare word in a list', () => {
    const { actions } = actionsFor('R030');
    expect(actions[0].title).toMatch(/quote/);
    expect(actions[0].edit?.changes?.[state.uri]?.[0].newText).toBe('"gmail.com"');
  });

  it('honours a request for other kinds of actions', () => {
    const diagnostic = diagnostics.find((d) => d.code === 'R010');
    const actions = codeActions(state, {
      textDocument: { uri: state.uri },
      range: diagnostic!.range,
      context: { diagnostics: [], only: ['source.organizeImports'] },
    });
    expect(actions).toEqual([]);
  });

  it('offers nothing where nothing is wrong', () => {
    expect(codeActions(state, { textDocument: { uri: state.uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } }, context: { diagnostics: [] } })).toEqual([]);
  });
});
