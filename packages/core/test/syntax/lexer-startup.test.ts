/**
 * The lexer is built at every start of `rubric` without chevrotain's validations and with its
 * start-character hints computed by a regular-expression scan (tokens.ts): here the same token
 * definitions are validated, and the hints compared with the one-unit-at-a-time computation.
 */
import { Lexer } from 'chevrotain';
import { describe, expect, it, vi } from 'vitest';
import {
  garbageStartCharacters,
  garbageStartCharactersOneByOne,
  LEXER_TOKENS,
  nameStartCharacters,
  nameStartCharactersOneByOne,
} from '../../src/syntax/tokens.js';

describe('lexer start-up', () => {
  it('the token definitions pass chevrotain\'s validations', () => {
    // Chevrotain throws on a definition error and prints its warnings (with console.warn).
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const lexer = new Lexer([...LEXER_TOKENS], { positionTracking: 'full', ensureOptimizations: true, skipValidations: false });
      expect(lexer.lexerDefinitionErrors).toEqual([]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('name start characters are those of the brute-force computation', () => {
    const quick = nameStartCharacters();
    expect(quick).toEqual(nameStartCharactersOneByOne());
    expect(quick).toContain('é'.charCodeAt(0));
    expect(quick).toContain('_'.charCodeAt(0));
    expect(quick).not.toContain('1'.charCodeAt(0));
  });

  it('garbage start characters are those of the brute-force computation', () => {
    const quick = garbageStartCharacters();
    expect(quick).toEqual(garbageStartCharactersOneByOne());
    for (const c of ['@', '$', '!', '-', '\r', '`', '\u0000', '\ud83d']) expect(quick).toContain(c.charCodeAt(0));
    for (const c of ['a', 'é', ' ', '\u00a0', '\ufeff', '#', '"']) expect(quick).not.toContain(c.charCodeAt(0));
  });
});
