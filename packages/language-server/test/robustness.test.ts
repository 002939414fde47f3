import { describe, expect, it, vi } from 'vitest';

// The core's checker crashing (a bug there) must still leave the user with a diagnostic and an outline.
vi.mock('@rubric/core', async (importOriginal) => {
  const original = await importOriginal<typeof import('@rubric/core')>();
  return {
    ...original,
    analyze: () => {
      throw new Error('checker exploded');
    },
  };
});

const { computeDiagnostics } = await import('../src/features/diagnostics.js');
const { documentSymbols } = await import('../src/features/document-symbols.js');
const { completion } = await import('../src/features/completion.js');
const { stateOf } = await import('./helpers.js');

describe('when the core crashes', () => {
  const state = stateOf('lead {\n  job: text\n}\nwhen job = CEO add 10\n');

  it('reports the crash as a diagnostic', () => {
    expect(computeDiagnostics(state)).toEqual([
      expect.objectContaining({ code: 'R999', severity: 1, message: expect.stringContaining('checker exploded') }),
    ]);
  });

  it('still gives the outline from the parser and keyword completion', () => {
    expect(documentSymbols(state).map((s) => s.name)).toEqual(['lead', 'when job = CEO add 10']);
    const items = completion(state, { textDocument: { uri: state.uri }, position: { line: 4, character: 0 } }, { snippetSupport: false, today: '2026-01-01' });
    expect(items.items.map((i) => i.label)).toContain('when');
  });
});
