/**
 * Lexing a text in pieces, filtered as it goes: the tokens of a whole file are never all held at
 * once when most of them belong to statements that are skipped (10 MB of `(` are ten million
 * tokens), and the memory of a parse stays proportional to what is kept.
 *
 * Each piece is lexed by chevrotain as a slice of the text. A token that ends near the end of its
 * slice might have been another, longer one in the whole text, so it is dropped and lexed again at
 * the start of the next slice. Near, not only at: a slice cut inside `2026-02-28T18:30` lexes
 * `2026-02-28` then `T18` where the whole text has one date and time, and one cut inside `1.5`
 * or `half-life` lexes `1` or `half` — a token that ends before the cut, whose longer reading
 * needs a few more characters (at most 6: `T18:30`) before it matches at all. Every token that
 * ends at least {@link RELEX_MARGIN} characters before the cut, and before any backtick the piece
 * could not close but the whole text closes past the cut (a name in backticks is as long as its
 * line; cut short, its backtick lexes as an unexpected character), is the token the whole text
 * has there, so the result is exactly that of lexing the whole text at once.
 */
import type { ILexingError, IToken } from 'chevrotain';
import type { Comment } from './ast.js';
import { commentNode } from './cst-to-ast.js';
import { closingBacktick, Newline, rubricLexer, TokenFilter, UnterminatedString } from './tokens.js';

/** Characters lexed at a time (a piece grows when one token is longer). */
const PIECE = 64 * 1024;

/**
 * How far before the end of a piece a token must end to be kept: more than the longest stretch a
 * token's pattern needs before a longer match of another pattern can be seen (`T18:30` after a
 * date, `.5` after a number, `-life` after `half`).
 */
const RELEX_MARGIN = 32;

/** Characters lexed at a time inside a statement being skipped, between runs of brackets. */
const SKIPPING_PIECE = 1024;

/** A stretch of text lexed and filtered, ready for `splitStatements`. */
export interface LexedText {
  /** The tokens the filter kept: statement-ending newlines only, skipped statements left out. */
  readonly tokens: readonly IToken[];
  /** See {@link TokenFilter}. */
  readonly tooDeep: readonly IToken[];
  readonly tooLong: readonly IToken[];
  /** Every string with no closing quote (also in skipped statements). */
  readonly unterminated: readonly IToken[];
  /** As nodes: made piece by piece, so a million comment tokens are never all alive. */
  readonly comments: readonly Comment[];
  /** Characters no token starts with, one error per run. */
  readonly errors: readonly ILexingError[];
  /** Offset just after the last token (comments aside), or -1 when there is none. */
  readonly end: number;
  /** A `(` or `[` is still open at the end: text after it would continue the last statement. */
  readonly bracketOpen: boolean;
}

/**
 * Lexes `text` from `from` to `to`, where `from` is at line `line`, column `column` (the start of
 * a statement, for a re-parse), and filters the tokens; positions are in the whole `text`.
 * `piece` is the characters lexed at a time (tests make it small; the result is the same).
 */
export function lexText(text: string, from = 0, to = text.length, line = 1, column = 1, piece = PIECE): LexedText {
  const filter = new TokenFilter();
  const unterminated: IToken[] = [];
  const comments: Comment[] = [];
  const errors: ILexingError[] = [];
  let end = -1;
  let offset = from;
  let size = piece;
  // Whether the current piece was made longer for one long token: it must not shrink again, or a
  // string longer than a piece in a skipped statement is lexed forever.
  let grown = false;
  while (offset < to) {
    if (filter.skippingAll()) {
      // Brackets and blanks of a statement being skipped (R003, R040) are counted, not lexed:
      // ten million `(` would be ten million token objects.
      const start = offset;
      for (; offset < to; offset++) {
        const code = text.charCodeAt(offset);
        if (code === 0x28 || code === 0x5b) filter.skipBracket(true);
        else if (code === 0x29 || code === 0x5d) filter.skipBracket(false);
        else if (code !== 0x20 && code !== 0x09) break;
        else continue;
        end = offset + 1;
      }
      column += offset - start;
      if (offset > start) continue;
      // Something else: lex a little of it, then count brackets again.
      if (!grown) size = Math.min(piece, SKIPPING_PIECE);
    }
    const pieceEnd = Math.min(to, offset + size);
    const last = pieceEnd === to;
    const slice = text.slice(offset, pieceEnd);
    const lexed = rubricLexer.tokenize(slice);
    // Everything that ends well before the end of the piece is final; the rest is lexed again
    // (a piece too short to keep anything grows below).
    let limit = last ? Number.POSITIVE_INFINITY : pieceEnd - offset - RELEX_MARGIN;
    if (!last) {
      // A backtick the piece could not close (lexed as an unexpected character) may open a name
      // whose closing backtick is past the cut: lexed again from there.
      const open = backtickClosedAfter(text, offset, pieceEnd, to, lexed.groups['garbage'] ?? [], lexed.errors);
      if (open !== -1 && open < limit) limit = open;
    }
    const tokens = keptPrefix(lexed.tokens, limit);
    const pieceComments = keptPrefix(lexed.groups['comments'] ?? [], limit);
    const garbage = keptPrefix(lexed.groups['garbage'] ?? [], limit);
    const pieceErrors = lexed.errors;
    while (pieceErrors.length > 0 && pieceErrors[pieceErrors.length - 1].offset + pieceErrors[pieceErrors.length - 1].length >= limit) pieceErrors.pop();
    const cut = Math.max(
      lastEnd(tokens),
      lastEnd(pieceComments),
      lastEnd(garbage),
      pieceErrors.length === 0 ? 0 : pieceErrors[pieceErrors.length - 1].offset + pieceErrors[pieceErrors.length - 1].length,
    );
    if (!last && cut === 0) {
      // One token (or a run of blanks) longer than the piece: read a longer piece.
      size *= 2;
      grown = true;
      continue;
    }
    // Indexed loops: `for...of` here (run once per piece, not optimized) made an iterator result
    // per token.
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      place(t, offset, line, column);
      if (t.tokenType === UnterminatedString) unterminated.push(t);
    }
    for (let i = 0; i < pieceComments.length; i++) place(pieceComments[i], offset, line, column);
    for (let i = 0; i < garbage.length; i++) place(garbage[i], offset, line, column);
    for (let i = 0; i < pieceErrors.length; i++) placeError(pieceErrors[i], offset, line, column);
    if (tokens.length > 0) end = exclusiveEnd(tokens[tokens.length - 1]);
    filter.push(tokens, last);
    for (let i = 0; i < pieceComments.length; i++) comments.push(commentNode(pieceComments[i]));
    mergeErrors(errors, pieceErrors, garbage);
    if (last) break;
    // Where the next piece starts: just after the last thing kept.
    const next = positionAfter(tokens, pieceComments, garbage, pieceErrors, offset + cut);
    line = next.line;
    column = next.column;
    offset += cut;
    size = piece;
    grown = false;
  }
  if (offset >= to) filter.push([], true);
  return { tokens: filter.tokens, tooDeep: filter.tooDeep, tooLong: filter.tooLong, unterminated, comments, errors, end, bracketOpen: filter.bracketOpen };
}

/**
 * The first backtick of a piece (`text` from `offset` to `pieceEnd`) that its lexing could not
 * close, but the text being lexed (up to `to`) closes past the piece (a name in backticks ends at
 * the next backtick on its line), relative to the piece; -1 when there is none. Such a backtick is
 * an unexpected character of the piece: a garbage run or a lexing error holds it. One with no
 * closing backtick on its line before `to` is lexed the same in both, and is kept.
 */
function backtickClosedAfter(text: string, offset: number, pieceEnd: number, to: number, garbage: readonly IToken[], errors: readonly ILexingError[]): number {
  let first = -1;
  const consider = (start: number, length: number): void => {
    const end = offset + start + length;
    for (let i = offset + start; i < end; i++) {
      if (text.charCodeAt(i) !== 0x60) continue;
      if (first !== -1 && i - offset >= first) return;
      const close = closingBacktick(text, i);
      if (close >= pieceEnd && close < to) {
        first = i - offset;
        return;
      }
    }
  };
  for (let i = 0; i < garbage.length; i++) consider(garbage[i].startOffset, garbage[i].image.length);
  for (let i = 0; i < errors.length; i++) consider(errors[i].offset, errors[i].length);
  return first;
}


/** `tokens` (in order) without those that end at `limit` or later: the array itself, shortened. */
function keptPrefix(tokens: IToken[], limit: number): IToken[] {
  let kept = tokens.length;
  while (kept > 0 && exclusiveEnd(tokens[kept - 1]) >= limit) kept--;
  tokens.length = kept;
  return tokens;
}

function exclusiveEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}

function lastEnd(tokens: readonly IToken[]): number {
  return tokens.length === 0 ? 0 : exclusiveEnd(tokens[tokens.length - 1]);
}

/** Moves a token lexed from a slice starting at `from` (line `line`, column `column`) into place. */
export function place(token: IToken, from: number, line: number, column: number): void {
  if (token.startLine === 1 && token.startColumn !== undefined) token.startColumn += column - 1;
  if (token.endLine === 1 && token.endColumn !== undefined) token.endColumn += column - 1;
  if (token.startLine !== undefined) token.startLine += line - 1;
  if (token.endLine !== undefined) token.endLine += line - 1;
  token.startOffset += from;
  if (token.endOffset !== undefined) token.endOffset += from;
}

function placeError(error: ILexingError, from: number, line: number, column: number): void {
  if (error.line === 1 && error.column !== undefined) error.column += column - 1;
  if (error.line !== undefined) error.line += line - 1;
  error.offset += from;
}

/**
 * Adds the lexing errors and garbage runs of a piece to `errors`, one error per run of
 * characters no token starts with, as chevrotain reports them when it meets such a run.
 */
function mergeErrors(errors: ILexingError[], pieceErrors: readonly ILexingError[], garbage: readonly IToken[]): void {
  const runs: ILexingError[] = [
    ...pieceErrors,
    ...garbage.map((g) => ({ offset: g.startOffset, length: g.image.length, line: g.startLine, column: g.startColumn, message: '' })),
  ];
  if (garbage.length > 0 && pieceErrors.length > 0) runs.sort((a, b) => a.offset - b.offset);
  for (const run of runs) {
    const previous = errors[errors.length - 1];
    if (previous !== undefined && previous.offset + previous.length === run.offset) {
      errors[errors.length - 1] = { ...previous, length: previous.length + run.length };
    } else {
      errors.push(run);
    }
  }
}

/** Line and column at `offset`, just after the last of the kept tokens and errors of a piece. */
function positionAfter(
  tokens: readonly IToken[],
  comments: readonly IToken[],
  garbage: readonly IToken[],
  errors: readonly ILexingError[],
  offset: number,
): { line: number; column: number } {
  for (const list of [tokens, comments, garbage]) {
    const t = list[list.length - 1];
    if (t === undefined || exclusiveEnd(t) !== offset) continue;
    // Only a newline token holds a line break (nothing else spans lines).
    if (t.tokenType === Newline) return { line: (t.startLine ?? 1) + 1, column: 1 };
    return { line: t.startLine ?? 1, column: (t.startColumn ?? 1) + t.image.length };
  }
  const e = errors[errors.length - 1];
  return { line: e.line ?? 1, column: (e.column ?? 1) + e.length };
}
