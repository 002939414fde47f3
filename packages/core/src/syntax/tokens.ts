/**
 * Rubric's tokens and lexer. Each token type carries a LABEL in plain words: parse errors name
 * what was expected with these labels, never with token type names.
 */
import { createToken, Lexer, type ILexingResult, type IToken, type TokenType } from 'chevrotain';
import type { Position, Range } from './ast.js';

const NAME_PATTERN = /[\p{L}_][\p{L}\p{N}_]*/uy;

/**
 * Which BMP units are letters (`\p{L}`; surrogates are not), one flag per unit, found once: both
 * start-character hints below are made from it (each used to test all 65,536 units on its own,
 * a tenth of `rubric`'s start-up).
 */
let letterFlags: Uint8Array | undefined;
function bmpLetters(): Uint8Array {
  if (letterFlags !== undefined) return letterFlags;
  const flags = new Uint8Array(0x10000);
  const letter = /\p{L}/u;
  for (let code = 0; code < 0x10000; code++) {
    if (code === 0xd800) code = 0xe000;
    if (letter.test(String.fromCharCode(code))) flags[code] = 1;
  }
  letterFlags = flags;
  return flags;
}

/** The units whose flag is `value`, ascending. */
function unitsFlagged(flags: Uint8Array, value: number): number[] {
  const out: number[] = [];
  for (let code = 0; code < flags.length; code++) if (flags[code] === value) out.push(code);
  return out;
}

/** Every UTF-16 unit a name can start with, so the lexer keeps its first-character dispatch. */
export function nameStartCharacters(): number[] {
  const flags = bmpLetters().slice();
  flags[0x5f] = 1; // `_`
  flags.fill(1, 0xd800, 0xdc00); // high surrogates: astral letters
  return unitsFlagged(flags, 1);
}

/**
 * Chevrotain 11's first-character index of a UTF-16 unit (`charCodeToOptimizedIndex`, its
 * scan/lexer.js): the unit itself below 256, then one index for each 255 units. Its lexer keeps,
 * per index, the token types that may start there; a start-character hint counts only by the
 * indices of its units (lexer-startup.test.ts holds this to chevrotain's own lexer).
 */
export function firstCharacterIndex(code: number): number {
  return code < 256 ? code : 255 + Math.floor(code / 255);
}

/**
 * The first unit of each first-character index among `units` (ascending): as a start-character
 * hint it gives chevrotain's lexer the same table as `units`, in a few hundred numbers where
 * `units` has tens of thousands.
 */
export function firstUnitPerIndex(units: readonly number[]): number[] {
  const out: number[] = [];
  let last = -1;
  for (const unit of units) {
    const index = firstCharacterIndex(unit);
    if (index !== last) out.push(unit);
    last = index;
  }
  return out;
}

/**
 * The BMP as text, unit i at offset i, with `_` for each high surrogate and `!` for each low one
 * (so no surrogate pair forms): a high surrogate may start a name (an astral letter) and is
 * garbage, a low one starts no name and is garbage, which is what the two stand-ins are. Made
 * once, for both hints.
 */
let bmpText: string | undefined;
function bmpAsText(): string {
  if (bmpText !== undefined) return bmpText;
  const units = new Uint16Array(0x10000);
  for (let i = 0; i < units.length; i++) units[i] = i;
  units.fill(0x5f, 0xd800, 0xdc00);
  units.fill(0x21, 0xdc00, 0xe000);
  // String.fromCharCode in chunks, not TextDecoder: core runs where no TextDecoder exists
  // (test/embedding/browser-bundle.test.ts evaluates it in a bare context).
  let text = '';
  for (let i = 0; i < units.length; i += 4096) text += String.fromCharCode(...units.subarray(i, i + 4096));
  bmpText = text;
  return bmpText;
}

/**
 * {@link firstUnitPerIndex} of a class of units without testing all 65,536: each unit below 256
 * for which `lowUnit` holds, then, in each first-character index above, the first unit `pattern`
 * (a `u` regular expression, not global) finds in {@link bmpAsText}. Building both hints unit by
 * unit (and chevrotain reading the tens of thousands of units) was about 5 ms of every start of
 * `rubric`.
 */
function hintByIndex(pattern: RegExp, lowUnit: (code: number) => boolean): number[] {
  const text = bmpAsText();
  const out: number[] = [];
  for (let code = 0; code < 256; code++) if (lowUnit(code)) out.push(code);
  for (let index = 256; ; index++) {
    const from = Math.max(256, (index - 255) * 255);
    if (from > 0xffff) break;
    const to = Math.min(0x10000, (index - 255) * 255 + 255);
    const match = pattern.exec(text.slice(from, to));
    if (match !== null) out.push(from + match.index);
  }
  return out;
}

/** The start-character hint of names: {@link firstUnitPerIndex} of {@link nameStartCharacters}. */
export function nameStartHint(): number[] {
  const start = /[\p{L}_]/u;
  return hintByIndex(start, (code) => start.test(String.fromCharCode(code)));
}

/** {@link nameStartCharacters} one unit at a time, as it was first written (for its test). */
export function nameStartCharactersOneByOne(): number[] {
  const out: number[] = [];
  const start = /[\p{L}_]/u;
  for (let code = 0; code < 0x10000; code++) {
    if (code >= 0xd800 && code <= 0xdbff) out.push(code);
    else if (start.test(String.fromCharCode(code))) out.push(code);
  }
  return out;
}

/**
 * What {@link matchName} returns: one array, reused (chevrotain reads the image at index 0 at
 * once and keeps nothing), where `RegExp.exec` made a new array with its `index`, `input` and
 * `groups` for every name of the text.
 */
const NAME_MATCH = [''] as unknown as RegExpExecArray;

/**
 * The name at `offset` of `text`, as {@link NAME_PATTERN} matches it: ASCII letters, digits and
 * `_` are scanned here; a name with any other character is left to the pattern.
 */
function matchName(text: string, offset: number): RegExpExecArray | null {
  let end = offset;
  for (; end < text.length; end++) {
    const code = text.charCodeAt(end);
    if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f) continue;
    if (code >= 0x30 && code <= 0x39 && end > offset) continue;
    break;
  }
  if (end < text.length && text.charCodeAt(end) >= 0x80) {
    // A letter or digit outside ASCII may go on the name (or start it): the pattern decides.
    NAME_PATTERN.lastIndex = offset;
    return NAME_PATTERN.exec(text);
  }
  if (end === offset) return null;
  NAME_MATCH[0] = text.slice(offset, end);
  return NAME_MATCH;
}

/** A plain name (`company`, `santé`). Keywords are matched first and fall back to this. */
export const Identifier = createToken({
  name: 'Identifier',
  label: 'a name',
  // Chevrotain cannot analyse Unicode property classes, so the name pattern is a custom matcher.
  pattern: { exec: matchName },
  line_breaks: false,
  start_chars_hint: nameStartHint(),
});

/** A category every keyword belongs to: after `.` any word is a name part. */
export const Keyword = createToken({ name: 'Keyword', pattern: Lexer.NA, label: 'a keyword' });

const keywordTokens: TokenType[] = [];
function keyword(word: string, name?: string): TokenType {
  const token = createToken({
    name: name ?? word[0].toUpperCase() + word.slice(1),
    // `\b` is ASCII-only, so a keyword followed by a non-ASCII letter is handled by longer_alt.
    pattern: new RegExp(word.replace('-', '\\-')),
    longer_alt: Identifier,
    categories: [Keyword],
    label: '`' + word + '`',
  });
  keywordTokens.push(token);
  return token;
}

export const Lead = keyword('lead');
/** `events` opens a test's event list (and is reserved as a lead field name). */
export const EventsKw = keyword('events', 'EventsKw');
export const Event = keyword('event');
export const Let = keyword('let');
export const Segment = keyword('segment');
export const Group = keyword('group');
export const Max = keyword('max');
export const Min = keyword('min');
export const Score = keyword('score');
export const RangeKw = keyword('range', 'RangeKw');
export const To = keyword('to');
export const When = keyword('when');
export const Each = keyword('each');
export const Where = keyword('where');
export const Within = keyword('within');
export const HalfLife = keyword('half-life', 'HalfLife');
export const Up = keyword('up');
export const Add = keyword('add');
export const Sub = keyword('sub');
export const Stage = keyword('stage');
export const At = keyword('at');
export const Requires = keyword('requires');
export const Tier = keyword('tier');
export const Test = keyword('test');
export const Now = keyword('now');
export const Expect = keyword('expect');
export const And = keyword('and');
export const Or = keyword('or');
export const Not = keyword('not');
export const In = keyword('in');
export const Is = keyword('is');
export const SetKw = keyword('set', 'SetKw');
export const Missing = keyword('missing');
export const True = keyword('true');
export const False = keyword('false');
export const Any = keyword('any');
export const No = keyword('no');
export const Count = keyword('count');
export const Since = keyword('since');
export const Last = keyword('last');
export const Between = keyword('between');
export const Starts = keyword('starts');
export const Ends = keyword('ends');
export const Contains = keyword('contains');
export const Has = keyword('has');
export const Of = keyword('of');
export const One = keyword('one');
export const ListKw = keyword('list', 'ListKw');
export const TextKw = keyword('text', 'TextKw');
export const NumberKw = keyword('number', 'NumberKw');
export const Bool = keyword('bool');
export const DateKw = keyword('date', 'DateKw');
export const From = keyword('from');
export const Ago = keyword('ago');
// Longer words first: `days` before `day`, `hours` before `hour`.
export const Hours = keyword('hours');
export const Hour = keyword('hour');
export const Days = keyword('days');
export const Day = keyword('day');
export const Weeks = keyword('weeks');
export const Week = keyword('week');
export const Months = keyword('months');
export const Month = keyword('month');
export const Years = keyword('years');
export const Year = keyword('year');

/** Every keyword, as written. */
export const KEYWORDS: readonly string[] = keywordTokens.map((t) => (t.LABEL as string).slice(1, -1));

export const BacktickName = createToken({ name: 'BacktickName', pattern: /`[^`\r\n]*`/, label: 'a name' });
export const DateTimeLiteral = createToken({
  name: 'DateTimeLiteral',
  pattern: /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/,
  label: 'a date',
});
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /-?\d+(?:_\d+)*(?:\.\d+)?/,
  label: 'a number',
});
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*'/,
  label: 'a string',
});
/** A string with no closing quote on its line: lexed so it can be reported in one piece. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\r\n]|\\.)*|'(?:[^'\\\r\n]|\\.)*/,
  categories: [StringLiteral],
  label: 'a string',
});

export const Terminator = createToken({ name: 'Terminator', pattern: Lexer.NA, label: 'the end of the statement' });
export const Newline = createToken({
  name: 'Newline',
  pattern: /\r?\n/,
  line_breaks: true,
  categories: [Terminator],
  label: 'a new line',
});
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/, categories: [Terminator], label: '`;`' });

export const NotEquals = createToken({ name: 'NotEquals', pattern: /!=/, label: '`!=`' });
export const LessEquals = createToken({ name: 'LessEquals', pattern: /<=/, label: '`<=`' });
export const GreaterEquals = createToken({ name: 'GreaterEquals', pattern: />=/, label: '`>=`' });
export const Less = createToken({ name: 'Less', pattern: /</, label: '`<`' });
export const Greater = createToken({ name: 'Greater', pattern: />/, label: '`>`' });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: '`=`' });
/** `->` between a synonym table line's patterns and its value (`"ceo", "pdg" -> executive`). */
export const Arrow = createToken({ name: 'Arrow', pattern: /->/, label: '`->`' });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: '`(`' });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: '`)`' });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: '`[`' });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/, label: '`]`' });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/, label: '`{`' });
export const RCurly = createToken({ name: 'RCurly', pattern: /}/, label: '`}`' });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: '`,`' });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: '`:`' });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: '`.`' });
/** `%` of `decay 25% per month`. */
export const Percent = createToken({ name: 'Percent', pattern: /%/, label: '`%`' });

export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: 'comments' });

const LETTER = /\p{L}/uy;
const CLOSING_BACKTICK = /[^`\r\n]*`/y;

/**
 * Where the name in backticks opened at `open` closes: the offset of the next backtick on its
 * line, or -1 when the line ends first (the backtick opens no name, so it is unexpected).
 */
export function closingBacktick(text: string, open: number): number {
  CLOSING_BACKTICK.lastIndex = open + 1;
  return CLOSING_BACKTICK.test(text) ? CLOSING_BACKTICK.lastIndex - 1 : -1;
}

/**
 * Whether no token can start at `offset` (the lexer would report the character there): what a
 * {@link Garbage} run is made of. Exact for the characters a garbage file is made of, and never
 * true where a token can start (where it cannot tell cheaply, it says false and chevrotain's own
 * error recovery takes over, with the same result).
 */
function isGarbageAt(text: string, offset: number): boolean {
  const code = text.charCodeAt(offset);
  if (code < 0x80) {
    if ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return false;
    switch (code) {
      case 0x21: // `!` starts only `!=`
        return text.charCodeAt(offset + 1) !== 0x3d;
      case 0x2d: { // `-` starts only a negative number or `->`
        const next = text.charCodeAt(offset + 1);
        return !((next >= 0x30 && next <= 0x39) || next === 0x3e);
      }
      case 0x0d: // a carriage return starts only `\r\n`
        return text.charCodeAt(offset + 1) !== 0x0a;
      case 0x60: // a backtick starts only a name closed on the same line
        return closingBacktick(text, offset) === -1;
      default:
        return !' \t\n#;"\'<>=()[]{},:._%'.includes(String.fromCharCode(code));
    }
  }
  if (code === 0xa0 || code === 0xfeff) return false;
  // A letter starts a name (with `u`, a surrogate pair is read as the one code point it is).
  LETTER.lastIndex = offset;
  return !LETTER.test(text);
}

/**
 * A run of characters no token can start with (NUL bytes, control characters, `@`, `$`, emoji):
 * reported as R002 exactly as a lexing error would be (it is merged with any adjacent one), but
 * matched as one token, because chevrotain's error recovery tries every pattern at every
 * character and took seconds on a few megabytes of garbage.
 */
export const Garbage = createToken({
  name: 'Garbage',
  pattern: {
    exec: (text: string, offset: number): RegExpExecArray | null => {
      let end = offset;
      while (end < text.length && isGarbageAt(text, end)) end++;
      if (end === offset) return null;
      const match = [text.slice(offset, end)] as unknown as RegExpExecArray;
      match.index = offset;
      return match;
    },
  },
  line_breaks: false,
  group: 'garbage',
  start_chars_hint: garbageStartHint(),
});

/** The start-character hint of {@link Garbage}: {@link firstUnitPerIndex} of {@link garbageStartCharacters}. */
export function garbageStartHint(): number[] {
  // Above ASCII: every unit but a letter, U+00A0 and U+FEFF (the surrogates' stand-ins are garbage).
  const garbage = /[^\p{L}\u00a0\ufeff]/u;
  const low = (code: number): boolean => {
    if (code >= 0x80) return garbage.test(String.fromCharCode(code));
    const alone = String.fromCharCode(code);
    return isGarbageAt(alone, 0) || isGarbageAt(alone + 'x', 0);
  };
  return hintByIndex(garbage, low);
}

/**
 * Every UTF-16 unit that can begin a {@link Garbage} run: what {@link isGarbageAt} says of each
 * ASCII character (alone or followed by a letter: `!`, `-`, `\r` and a backtick are garbage or
 * not by what follows them), and above ASCII every unit but a letter, U+00A0 and U+FEFF (white
 * space), the surrogates included (see `garbageStartCharactersOneByOne`, the same by brute force).
 */
export function garbageStartCharacters(): number[] {
  // Flag 1: not garbage (a letter, white space, or an ASCII character that starts a token).
  const flags = bmpLetters().slice();
  for (let code = 0; code < 0x80; code++) {
    const alone = String.fromCharCode(code);
    flags[code] = isGarbageAt(alone, 0) || isGarbageAt(alone + 'x', 0) ? 0 : 1;
  }
  flags[0xa0] = 1;
  flags[0xfeff] = 1;
  flags.fill(0, 0xd800, 0xe000);
  return unitsFlagged(flags, 0);
}

/** {@link garbageStartCharacters} one unit at a time, as it was first written (for its test). */
export function garbageStartCharactersOneByOne(): number[] {
  const out: number[] = [];
  for (let code = 0; code < 0x10000; code++) {
    const alone = String.fromCharCode(code);
    if (isGarbageAt(alone, 0) || isGarbageAt(alone + 'x', 0) || (code >= 0xd800 && code <= 0xdfff)) out.push(code);
  }
  return out;
}
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\u00a0\uFEFF]+/, group: Lexer.SKIPPED });

export const COMPARE_OPERATORS: readonly TokenType[] = [NotEquals, LessEquals, GreaterEquals, Less, Greater, Equals];

export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Newline,
  Semicolon,
  DateTimeLiteral,
  NumberLiteral,
  StringLiteral,
  UnterminatedString,
  BacktickName,
  NotEquals,
  LessEquals,
  GreaterEquals,
  Less,
  Greater,
  Equals,
  Arrow,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LCurly,
  RCurly,
  Comma,
  Colon,
  Dot,
  Percent,
  ...keywordTokens,
  Keyword,
  Terminator,
  Identifier,
];

// Keywords are not tried one regex at a time: the lexer reads a name, and a name that is a
// keyword gets the keyword's type (the same result as keyword patterns with `longer_alt`, for a
// fraction of the work). `half-life` holds a `-`, which no name does: it stays a pattern.
const KEYWORD_BY_WORD: ReadonlyMap<string, TokenType> = new Map(
  keywordTokens.filter((t) => t !== HalfLife).map((t) => [(t.LABEL as string).slice(1, -1), t]),
);

const matchedAsNames: ReadonlySet<TokenType> = new Set(KEYWORD_BY_WORD.values());
const nameLexer = new Lexer(
  [...allTokens.filter((t) => !matchedAsNames.has(t)), Garbage],
  // skipValidations: the token definitions are checked once by a test that builds this lexer
  // with chevrotain's validations on (tokens.test.ts), not at every start of `rubric`.
  { positionTracking: 'full', ensureOptimizations: true, skipValidations: true },
);

/** The definition the lexer is built from, for the test that validates it (see above). */
export const LEXER_TOKENS: readonly TokenType[] = [...allTokens.filter((t) => !matchedAsNames.has(t)), Garbage];

/**
 * A token as the Rubric lexer makes it: chevrotain's fields, then room for the positions the
 * tree builder gives it (made when first asked for, and shared by every node that starts or ends
 * at the token). Every token has the fields from the start, so all tokens have one shape (adding
 * them later made a few shapes and an extra allocation per token).
 */
export interface RubricToken extends IToken {
  startPosition: Position | undefined;
  endPosition: Position | undefined;
  range: Range | undefined;
}

/** The member of chevrotain's lexer (chevrotain 11, scan/lexer_public.ts) that makes each token. */
interface LexerInternals {
  createTokenInstance(image: string, startOffset: number, tokenTypeIdx: number, tokenType: TokenType, startLine: number, startColumn: number, imageLength: number): IToken;
}

const lexerInternals = nameLexer as unknown as LexerInternals;
if (typeof lexerInternals.createTokenInstance !== 'function') throw new Error('chevrotain has no `createTokenInstance`: the lexer needs chevrotain 11');

/**
 * Chevrotain's `createFullToken` (positionTracking "full"), making a {@link RubricToken} and
 * giving a name that is a keyword the keyword's type as it is made.
 */
lexerInternals.createTokenInstance = (image, startOffset, tokenTypeIdx, tokenType, startLine, startColumn, imageLength): RubricToken => {
  let type = tokenType;
  if (type === Identifier) type = KEYWORD_BY_WORD.get(image) ?? Identifier;
  return {
    image,
    startOffset,
    endOffset: startOffset + imageLength - 1,
    startLine,
    endLine: startLine,
    startColumn,
    endColumn: startColumn + imageLength - 1,
    tokenTypeIdx: type === tokenType ? tokenTypeIdx : (type.tokenTypeIdx as number),
    tokenType: type,
    startPosition: undefined,
    endPosition: undefined,
    range: undefined,
  };
};

/** The Rubric lexer: chevrotain's, with a name that is a keyword given the keyword's type. */
export const rubricLexer = {
  tokenize(text: string): ILexingResult {
    return nameLexer.tokenize(text);
  },
};

/** Keywords that start a statement when they begin a line. */
const STATEMENT_STARTERS: ReadonlySet<TokenType> = new Set<TokenType>([
  Lead, Event, Let, Segment, Group, When, Each, Stage, Tier, Test, Expect,
]);

/** Keywords that keep a statement going onto the next line when a line ends with them. */
const CONTINUE_AFTER: ReadonlySet<TokenType> = new Set<TokenType>([
  And, Or, Not, Comma, ...COMPARE_OPERATORS,
]);

/** Parentheses nested deeper than this are reported (R003) instead of parsed. */
export const MAX_NESTING = 64;

/**
 * Tokens of one statement between terminators (a line, or the lines an open bracket joins)
 * beyond which it is reported (R040) instead of parsed: a list of `MAX_LIST_VALUES` values fits.
 */
export const MAX_STATEMENT_TOKENS = 250_000;

export interface FilteredTokens {
  readonly tokens: IToken[];
  /** Offsets where nesting went past {@link MAX_NESTING}: the statement there was skipped. */
  readonly tooDeep: IToken[];
  /** First tokens of statements longer than {@link MAX_STATEMENT_TOKENS}: they were skipped. */
  readonly tooLong: IToken[];
}

function startsStatement(tokens: readonly IToken[], i: number): boolean {
  const t = tokens[i];
  if (t === undefined) return false;
  if (STATEMENT_STARTERS.has(t.tokenType)) return true;
  return (
    (t.tokenType === Score && tokens[i + 1]?.tokenType === RangeKw) ||
    startsDataBlock(tokens, i) ||
    startsTableBlock(tokens, i) ||
    startsAccountBlock(t, tokens[i + 1]) ||
    startsAccountScoring(tokens, i)
  );
}

/**
 * Whether `account KEY = ...` starts with `first` and `second` (issue 17): the name `account`
 * and a name (`account` is no keyword: a value `account` in a list, a field `account.id`, a
 * test's `account {` are not one).
 */
export function startsAccountBlock(first: IToken | undefined, second: IToken | undefined): boolean {
  if (first === undefined || first.tokenType !== Identifier || first.image !== 'account') return false;
  const next = second?.tokenType;
  return next === Identifier || next === BacktickName;
}

/** Whether `score accounts` starts at `i` (issue 17; `accounts` is no keyword). */
function startsAccountScoring(tokens: readonly IToken[], i: number): boolean {
  const next = tokens[i + 1];
  return tokens[i]?.tokenType === Score && next !== undefined && next.tokenType === Identifier && next.image === 'accounts';
}

/** Statements a `score accounts` block holds: a line starting with one stays in the block. */
const IN_ACCOUNT_SCORING: ReadonlySet<TokenType> = new Set<TokenType>([Segment, Group, Stage, Tier]);

/**
 * Whether a synonym table starts at `i`: the name `table` and a name (`table` is no keyword: a
 * value `table` in a list or a field `table: text` is not one; the `{` is one token too far for
 * the newline filter to see, and no other statement starts with two names).
 */
function startsTableBlock(tokens: readonly IToken[], i: number): boolean {
  const t = tokens[i];
  if (t === undefined || t.tokenType !== Identifier || t.image !== 'table') return false;
  const next = tokens[i + 1]?.tokenType;
  return next === Identifier || next === BacktickName;
}

/**
 * Whether a `data` block starts at `i`: the name `data` and a `{` (`data` is no keyword, so a
 * value `data` in a list or a field `data: text` is not one).
 */
function startsDataBlock(tokens: readonly IToken[], i: number): boolean {
  const t = tokens[i];
  return t !== undefined && t.tokenType === Identifier && t.image === 'data' && tokens[i + 1]?.tokenType === LCurly;
}

/**
 * Decides which line breaks end statements. A newline is dropped inside `( )` or `[ ]`, after a
 * line ending in `and`, `or`, `not`, `,` or a comparison operator, and before a line starting
 * with `and` or `or`. A line starting with a statement keyword always ends the previous
 * statement, even inside an unclosed bracket, so a missing `)` costs one statement, not the file.
 * Runs of terminators collapse to one. Statements nested too deep (R003) or longer than
 * {@link MAX_STATEMENT_TOKENS} (R040) are dropped whole, so the recursive-descent parser never
 * overflows the stack and never builds a tree of millions of nodes.
 *
 * Tokens are fed in pieces ({@link push}), as the lexer reads the text: a skipped statement's
 * tokens are never all held at once.
 */
export class TokenFilter {
  readonly tokens: IToken[] = [];
  readonly tooDeep: IToken[] = [];
  readonly tooLong: IToken[] = [];
  private depth = 0;
  private nots = 0;
  private statementStart = 0;
  private skipping = false;
  /** The last tokens of the previous piece: a newline's fate depends on the two tokens after it. */
  private held: IToken[] = [];

  /** Whether a `(` or `[` is still open after the tokens so far (the next line would join them). */
  get bracketOpen(): boolean {
    return this.depth > 0;
  }

  /** Filters the next tokens of the text (`last`: they are the final ones). */
  push(raw: readonly IToken[], last: boolean): void {
    const tokens = this.held.length === 0 ? raw : [...this.held, ...raw];
    const until = last ? tokens.length : Math.max(0, tokens.length - 2);
    for (let i = 0; i < until; i++) this.take(tokens, i);
    this.held = tokens.slice(until);
  }

  private take(raw: readonly IToken[], i: number): void {
    const out = this.tokens;
    const t = raw[i];
    const type = t.tokenType;
    if (type === Newline) {
      if (startsStatement(raw, i + 1)) {
        this.depth = 0;
        this.skipping = false;
      } else if (this.skipping) {
        if (this.depth > 0) return;
        this.skipping = false;
      } else {
        const prev = out[out.length - 1];
        const next = raw[i + 1];
        if (this.depth > 0) return;
        if (prev !== undefined && CONTINUE_AFTER.has(prev.tokenType)) return;
        if (next !== undefined && (next.tokenType === And || next.tokenType === Or)) return;
      }
      if (out.length === 0 || out[out.length - 1].tokenType === Newline || out[out.length - 1].tokenType === Semicolon) {
        return;
      }
      out.push(t);
      this.statementStart = out.length;
      this.nots = 0;
      return;
    }
    if (this.skipping) {
      if (type === LParen || type === LBracket) this.depth++;
      else if ((type === RParen || type === RBracket) && this.depth > 0) this.depth--;
      else if (type === Semicolon && this.depth === 0) this.skipping = false;
      return;
    }
    if (type === Semicolon) {
      this.statementStart = out.length + 1;
      this.nots = 0;
    }
    if (type === LParen || type === LBracket) this.depth++;
    else if ((type === RParen || type === RBracket) && this.depth > 0) this.depth--;
    this.nots = type === Not ? this.nots + 1 : 0;
    if (this.depth > MAX_NESTING || this.nots > MAX_NESTING) {
      this.tooDeep.push(t);
      this.skip();
      return;
    }
    if (out.length - this.statementStart >= MAX_STATEMENT_TOKENS) {
      this.tooLong.push(out[this.statementStart]);
      this.skip();
      return;
    }
    out.push(t);
  }

  private skip(): void {
    this.tokens.length = this.statementStart;
    this.skipping = true;
  }

  /**
   * Whether the filter is skipping a statement with no token held back, so that brackets can be
   * counted without being lexed ({@link skipBracket}). Takes the held tokens when none is a
   * newline (only a newline needs the tokens after it).
   */
  skippingAll(): boolean {
    if (!this.skipping) return false;
    if (this.held.some((t) => t.tokenType === Newline)) return false;
    const held = this.held;
    this.held = [];
    for (let i = 0; i < held.length; i++) this.take(held, i);
    return this.skipping;
  }

  /** A `(` or `[` (`open`), or a `)` or `]`, of a statement being skipped. */
  skipBracket(open: boolean): void {
    if (open) this.depth++;
    else if (this.depth > 0) this.depth--;
  }
}

/** {@link TokenFilter} over a whole token list at once. */
export function filterTokens(raw: readonly IToken[]): FilteredTokens {
  const filter = new TokenFilter();
  filter.push(raw, true);
  return filter;
}

/** Keywords that only start a top-level statement, so they close any block left open. */
const TOP_LEVEL_ONLY: ReadonlySet<TokenType> = new Set<TokenType>([Event, Let, Segment, Group, Stage, Tier, Test]);

/**
 * Splits filtered tokens into top-level statements: a statement ends at a terminator outside
 * `{ }`. A line starting with a top-level-only keyword (`group`, `stage`, `test`, ...) starts a
 * new statement even when a `{` was left unclosed, so a missing `}` costs one block. A generator:
 * a reader that stops early (too many errors) never splits the rest.
 */
export function* splitStatements(tokens: readonly IToken[]): Generator<IToken[]> {
  // A statement is the run of tokens between two terminators that end statements: one slice,
  // made at its final size.
  let from = 0;
  let curly = 0;
  for (let i = 0; i < tokens.length; i++) {
    const type = tokens[i].tokenType;
    if (type === Newline || type === Semicolon) {
      if (curly === 0 || forcedSplit(tokens, i, from)) {
        if (i > from) yield tokens.slice(from, i);
        from = i + 1;
        curly = 0;
      }
    } else if (type === LCurly) {
      curly++;
    } else if (type === RCurly && curly > 0) {
      curly--;
    }
  }
  if (tokens.length > from) yield tokens.slice(from);
}

/**
 * Whether the newline at `i`, inside an open `{` of the statement starting at `from`, still ends
 * the statement: a top-level keyword follows, a `data {` outside a `test` (where it is an event
 * named `data` with its properties), or (in a `data` block, which holds settings only) any
 * statement keyword.
 */
function forcedSplit(tokens: readonly IToken[], i: number, from: number): boolean {
  const next = tokens[i + 1];
  if (tokens[i].tokenType !== Newline || next === undefined) return false;
  if (startsAccountBlock(next, tokens[i + 2]) || startsAccountScoring(tokens, i + 1)) return true;
  const scoreRange = next.tokenType === Score && tokens[i + 2]?.tokenType === RangeKw;
  // Inside `score accounts { }` (issue 17) its own segments, groups, stages, tiers and score range go on.
  if ((IN_ACCOUNT_SCORING.has(next.tokenType) || scoreRange) && startsAccountScoring(tokens, from)) return false;
  if (TOP_LEVEL_ONLY.has(next.tokenType) || scoreRange) return true;
  if (startsDataBlock(tokens, i + 1) && tokens[from]?.tokenType !== Test) return true;
  return STATEMENT_STARTERS.has(next.tokenType) && startsDataBlock(tokens, from);
}

/**
 * Whether the last statement {@link splitStatements} makes of `tokens` has a `{` left open: the
 * statement would go on into whatever text follows them.
 */
export function endsInOpenBlock(tokens: readonly IToken[]): boolean {
  let curly = 0;
  let from = 0;
  for (let i = 0; i < tokens.length; i++) {
    const type = tokens[i].tokenType;
    if (type === Newline || type === Semicolon) {
      if (curly === 0 || forcedSplit(tokens, i, from)) {
        curly = 0;
        from = i + 1;
      }
    } else if (type === LCurly) {
      curly++;
    } else if (type === RCurly && curly > 0) {
      curly--;
    }
  }
  return curly > 0;
}
