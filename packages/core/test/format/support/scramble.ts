/**
 * Re-lays out a valid rule file at random without changing what it means: spaces and tabs
 * between tokens, quote styles, and (with `lines`) blank lines, indentation, `;` between
 * one-line statements, line breaks after `and`/`or` and inside lists, and comments at line ends
 * and on lines of their own. Every change is one the grammar allows, so the result parses to
 * the same tree; the formatter properties check that it formats back.
 */
import type { IToken, TokenType } from 'chevrotain';
import * as T from '../../../src/syntax/tokens.js';

/** A small deterministic generator (mulberry32), so a failing seed reproduces. */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CONTINUE_AFTER: ReadonlySet<TokenType> = new Set([T.And, T.Or, T.Not, T.Comma, ...T.COMPARE_OPERATORS]);
const ONE_LINE_STARTERS: ReadonlySet<TokenType> = new Set([T.When, T.Each, T.Stage, T.Tier, T.Let, T.Segment, T.Expect]);
const PUNCTUATION: ReadonlySet<TokenType> = new Set([
  T.LParen,
  T.RParen,
  T.LBracket,
  T.RBracket,
  T.LCurly,
  T.RCurly,
  T.Comma,
  T.Colon,
  ...T.COMPARE_OPERATORS,
]);
const COMMENTS = [' note', ' TODO: check with sales', '# doubled', ' é accents — and `code`', '', ' and or not'];

export interface ScrambleOptions {
  /** Also change line structure and add comments (default true). */
  readonly lines?: boolean;
}

/** `text` laid out differently, same meaning. `seed` picks the changes. */
export function scramble(text: string, seed: number, options: ScrambleOptions = {}): string {
  const lines = options.lines ?? true;
  const random = randomSource(seed);
  const chance = (p: number): boolean => random() < p;
  const pick = <V>(items: readonly V[]): V => items[Math.floor(random() * items.length)];
  const tokens = T.rubricLexer.tokenize(text).tokens;
  let out = '';
  let cursor = 0;
  let curly = 0;
  let brackets = 0;
  let parens = 0;
  const spaces = (): string => pick([' ', ' ', '  ', '\t', ' \t ']);
  const indentation = (): string => pick(['', '  ', '    ', '\t', ' ']);

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const gap = text.slice(cursor, t.startOffset);
    const previous: IToken | undefined = tokens[i - 1];
    out += relayGap(gap, previous, t);
    out += relayToken(t);
    cursor = t.startOffset + t.image.length;
    if (t.tokenType === T.LCurly) curly++;
    else if (t.tokenType === T.RCurly) curly--;
    else if (t.tokenType === T.LBracket) brackets++;
    else if (t.tokenType === T.RBracket) brackets--;
    else if (t.tokenType === T.LParen) parens++;
    else if (t.tokenType === T.RParen) parens--;
  }
  out += text.slice(cursor);
  return out;

  function relayGap(gap: string, previous: IToken | undefined, next: IToken): string {
    if (previous === undefined || previous.tokenType === T.Newline || next.tokenType === T.Newline) {
      // Indentation at a line start, or the space before a line end (where a comment may sit).
      if (gap.includes('#')) return gap;
      if (previous?.tokenType === T.Newline) return lines ? indentation() : gap;
      if (lines && next.tokenType === T.Newline && previous !== undefined && chance(0.15)) return ` #${pick(COMMENTS)}`;
      return gap;
    }
    if (gap.includes('#') || gap.includes('\n')) return gap;
    if (lines && brackets > 0 && (previous.tokenType === T.Comma || previous.tokenType === T.LBracket) && chance(0.2)) {
      return '\n' + indentation() + (chance(0.2) ? `#${pick(COMMENTS)}\n` + indentation() : '');
    }
    if (lines && (previous.tokenType === T.And || previous.tokenType === T.Or) && chance(0.25)) {
      const comment = chance(0.3) ? ` #${pick(COMMENTS)}` : '';
      const ownLine = chance(0.2) ? `\n${indentation()}#${pick(COMMENTS)}` : '';
      return `${comment}${ownLine}\n${indentation()}`;
    }
    if (gap === '') return '';
    if ((PUNCTUATION.has(previous.tokenType) || PUNCTUATION.has(next.tokenType)) && chance(0.3)) {
      // `[a,b]`, `x>=5`: no space is needed next to punctuation. Keep one before a negative number.
      if (next.tokenType === T.NumberLiteral && next.image.startsWith('-')) return ' ';
      return '';
    }
    return spaces();
  }

  function relayToken(t: IToken): string {
    if (t.tokenType === T.StringLiteral && chance(0.5)) return flipQuotes(t.image);
    if (!lines || t.tokenType !== T.Newline) return t.image;
    const before = tokens[tokens.indexOf(t) - 1];
    const after = tokens[tokens.indexOf(t) + 1];
    const gapBefore = before === undefined ? '' : text.slice(before.startOffset + before.image.length, t.startOffset);
    const canJoin =
      before !== undefined &&
      after !== undefined &&
      !gapBefore.includes('#') &&
      !out.slice(out.lastIndexOf('\n') + 1).includes('#') &&
      curly <= 1 &&
      brackets === 0 &&
      parens === 0 &&
      !CONTINUE_AFTER.has(before.tokenType) &&
      before.tokenType !== T.LCurly &&
      before.tokenType !== T.RCurly &&
      before.tokenType !== T.Newline &&
      ONE_LINE_STARTERS.has(after.tokenType);
    if (canJoin && chance(0.3)) return pick(['; ', ';', ' ; ']);
    let newline = t.image;
    // A line starting with `and`/`or` continues the one before only when it follows directly.
    const nextIsJoin = after !== undefined && (after.tokenType === T.And || after.tokenType === T.Or);
    if (!nextIsJoin && chance(0.2)) newline += '\n'.repeat(1 + Math.floor(random() * 3));
    if (!nextIsJoin && chance(0.1)) newline += `${indentation()}#${pick(COMMENTS)}\n`;
    return newline;
  }
}

function flipQuotes(image: string): string {
  const quote = image[0];
  const inner = image.slice(1, -1);
  if (quote === '"' && !inner.includes("'") && !inner.includes('\\"')) return `'${inner}'`;
  if (quote === "'" && !inner.includes('"') && !inner.includes("\\'")) return `"${inner}"`;
  return image;
}
