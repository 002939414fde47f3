/**
 * The lexer is built at every start of `rubric` without chevrotain's validations and with its
 * start-character hints computed by a regular-expression scan (tokens.ts): here the same token
 * definitions are validated, and the hints compared with the one-unit-at-a-time computation.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';
import { describe, expect, it, vi } from 'vitest';
import {
  firstCharacterIndex,
  firstUnitPerIndex,
  garbageStartCharacters,
  garbageStartCharactersOneByOne,
  garbageStartHint,
  LEXER_TOKENS,
  nameStartCharacters,
  nameStartCharactersOneByOne,
  nameStartHint,
} from '../../src/syntax/tokens.js';

/** Chevrotain's lexer tables (chevrotain 11, scan/lexer_public.ts), read to compare two lexers. */
interface LexerTables {
  readonly charCodeToPatternIdxToConfig: Record<string, ReadonlyArray<ReadonlyArray<{ readonly tokenType: TokenType }> | undefined>>;
}

/** For each first-character index, the names of the token types chevrotain's lexer tries there. */
function firstCharacterTable(hints: { readonly name: number[]; readonly garbage: number[] }): string[][] {
  const tokens = [
    createToken({ name: 'Name', pattern: { exec: () => null }, line_breaks: false, start_chars_hint: hints.name }),
    createToken({ name: 'Garbage', pattern: { exec: () => null }, line_breaks: false, start_chars_hint: hints.garbage }),
  ];
  const lexer = new Lexer(tokens, { positionTracking: 'full', ensureOptimizations: true, skipValidations: true }) as unknown as LexerTables;
  const table = lexer.charCodeToPatternIdxToConfig.defaultMode;
  return Array.from({ length: firstCharacterIndex(0xffff) + 1 }, (_, index) => (table[index] ?? []).map((config) => config.tokenType.name));
}

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

  it('the start-character hints the lexer is built with are one unit per index of the full lists', () => {
    const name = nameStartHint();
    const garbage = garbageStartHint();
    expect(name).toEqual(firstUnitPerIndex(nameStartCharactersOneByOne()));
    expect(garbage).toEqual(firstUnitPerIndex(garbageStartCharactersOneByOne()));
    expect(name.length).toBeLessThan(600);
    expect(garbage.length).toBeLessThan(600);
  });

  it('chevrotain builds the same first-character table from the hints as from the full lists', () => {
    // This holds firstCharacterIndex to chevrotain's own: a different bucketing would give a
    // different table here (the full lists cover every index they touch, the hints one unit each).
    const full = firstCharacterTable({ name: nameStartCharacters(), garbage: garbageStartCharacters() });
    const hinted = firstCharacterTable({ name: nameStartHint(), garbage: garbageStartHint() });
    expect(hinted).toEqual(full);
    expect(full.filter((names) => names.includes('Name')).length).toBeGreaterThan(200);
    expect(full.filter((names) => names.includes('Garbage')).length).toBeGreaterThan(200);
    // A shifted bucketing is caught: the first unit of each index, moved one index on, differs.
    expect(firstCharacterTable({ name: nameStartHint().map((unit) => (unit < 256 ? unit : Math.min(0xffff, unit + 255))), garbage: garbageStartHint() })).not.toEqual(full);
  });

  it('garbage start characters are those of the brute-force computation', () => {
    const quick = garbageStartCharacters();
    expect(quick).toEqual(garbageStartCharactersOneByOne());
    for (const c of ['@', '$', '!', '-', '\r', '`', '\u0000', '\ud83d']) expect(quick).toContain(c.charCodeAt(0));
    for (const c of ['a', 'é', ' ', '\u00a0', '\ufeff', '#', '"']) expect(quick).not.toContain(c.charCodeAt(0));
  });
});
