/**
 * Issue 15: a warning a `# rubric: allow CODE` comment accepts is not published (nor offered a
 * quick fix); a stale allow (R051) is.
 */
import { describe, expect, it } from 'vitest';
import { codeActions } from '../src/features/code-actions.js';
import { computeDiagnostics } from '../src/features/diagnostics.js';
import { stateOf } from './helpers.js';

const TEXT = `lead {
  company.size: number
  legacy_id: text # rubric: allow R026
  old_id: text
}
# rubric: allow R021
when company.size > 50 add 40
`;

describe('allowed warnings in the editor', () => {
  it('publishes neither the allowed warning nor its fix, and publishes the others', () => {
    const state = stateOf(TEXT);
    // The core still has the allowed warning (for `rubric check --format json`).
    expect(state.analysis.diagnostics.filter((d) => d.allowed === true).map((d) => d.message)).toEqual(['field `legacy_id` is never used']);
    const published = computeDiagnostics(state);
    expect(published.map((d) => [d.code, d.range.start.line])).toEqual([
      ['R026', 3],
      ['R051', 5],
    ]);
    const onLegacy = codeActions(state, {
      textDocument: { uri: state.uri },
      range: { start: { line: 2, character: 2 }, end: { line: 2, character: 11 } },
      context: { diagnostics: [] },
    });
    expect(onLegacy).toEqual([]);
  });
});
