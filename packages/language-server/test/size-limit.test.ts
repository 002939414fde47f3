/**
 * Issue 12: a document over MAX_RULE_FILE_BYTES gets the one R040 diagnostic and nothing is
 * parsed; an edit that brings it back under the limit is checked again as usual.
 */
import { MAX_RULE_FILE_BYTES } from '@rubric/core';
import { describe, expect, it } from 'vitest';
import { DocumentState } from '../src/document-state.js';
import { computeDiagnostics } from '../src/features/diagnostics.js';
import { formatDocument } from '../src/features/formatting.js';

const small = 'lead { job: text }\nwhen job = CEO add 1\n';
const huge = small + 'when job = "abc\n'.repeat(Math.ceil(MAX_RULE_FILE_BYTES / 16));

describe('a document over the size limit', () => {
  // No time is asserted (the machine's load would decide it): nothing being parsed is shown by the
  // one R040 and no other diagnostic; parsing 2 MB of unterminated strings would overrun the timeout.
  it('publishes one R040 at the start, without parsing, and formatting leaves it alone', () => {
    const state = new DocumentState('file:///work/huge.rubric', 1, huge);
    const diagnostics = computeDiagnostics(state);
    expect(diagnostics.map((d) => d.code)).toEqual(['R040']);
    expect(diagnostics[0].range.start).toEqual({ line: 0, character: 0 });
    expect(diagnostics[0].message).toMatch(/^this rule file is 2,09\d,\d\d\d bytes \(2\.0 MB\); a rule file can be at most 2,097,152 bytes/);
    expect(formatDocument(state, { textDocument: { uri: state.uri }, options: { tabSize: 2, insertSpaces: true } })).toEqual([]);
  }, 30_000);

  it('is checked again as usual once an edit brings it under the limit', () => {
    const over = new DocumentState('file:///work/huge.rubric', 1, huge);
    void over.analysis;
    const under = new DocumentState('file:///work/huge.rubric', 2, small, over);
    expect(computeDiagnostics(under)).toEqual([]);
    expect(under.analysis.model.rules).toHaveLength(1);
  });
});
