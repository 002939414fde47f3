import { describe, expect, it } from 'vitest';
import { PREVIEW_REQUEST, RUN_TESTS_REQUEST } from '../../packages/language-server/src/index.js';
import { EXPLAIN_REQUEST, PREVIEW, RUN_TESTS, SET_SAMPLE_REQUEST } from '../../playground/src/protocol.js';

describe('the playground’s requests', () => {
  it('name the server’s requests as the server does, and its own apart from them', () => {
    expect(RUN_TESTS).toBe(RUN_TESTS_REQUEST);
    expect(PREVIEW).toBe(PREVIEW_REQUEST);
    for (const own of [EXPLAIN_REQUEST, SET_SAMPLE_REQUEST]) expect(own.startsWith('playground/')).toBe(true);
  });
});
