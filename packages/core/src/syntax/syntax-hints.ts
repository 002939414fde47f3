/**
 * Messages for the syntax errors people make most often (issue 15, "messages that point the
 * wrong way"). The grammar's own message names what was expected where the parser stopped,
 * which for these habits points away from the fix: a keyword typed as a value (`[stagiaire,
 * stage]`), `ends with "x"`, `requires a and b`, an event name where a condition starts. Each
 * hint here recognises one habit from the statement's tokens, confirms it by parsing the
 * statement again as the fix would write it (so a hint is only given when its fix repairs the
 * statement), and says what to write, with that fix. Valid text is never affected: hints are
 * only looked for at an error.
 */
import { EOF, tokenMatcher, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import type { Fix, TextEdit } from '../diagnostics/diagnostic.js';
import type { Range } from './ast.js';
import { tokenRange } from './cst-to-ast.js';
import { parser } from './parser.js';
import * as T from './tokens.js';

/** What a syntax error says instead of the grammar's message, and its quick fix. */
export interface SyntaxHint {
  readonly message: string;
  readonly help: string;
  readonly range: Range;
  readonly fixes: readonly Fix[];
}

/** Tokens after which a value is expected: a keyword there was most likely meant as text. */
const BEFORE_VALUE: readonly TokenType[] = [T.LBracket, T.Comma, ...T.COMPARE_OPERATORS, T.In, T.Starts, T.Ends, T.Contains, T.Has, T.Any, T.Between, T.Colon];

/**
 * Keywords never suggested as quoted text: they are what comes after a value (`when x = add 5`
 * lacks the value, it does not mean the text "add"); `true` and `false` are values already.
 */
const NEVER_TEXT: readonly TokenType[] = [T.Add, T.Sub, T.And, T.Or, T.Within, T.Where, T.True, T.False];

/** Keywords quoted in one fix at most (a list of country codes may hold several). */
const MAX_QUOTED = 8;

/** Characters of a value shown in a message at most. */
const MAX_SHOWN = 30;

function isAny(token: IToken | undefined, types: readonly TokenType[]): boolean {
  return token !== undefined && types.some((t) => tokenMatcher(token, t));
}

function isKeyword(token: IToken | undefined): boolean {
  return token !== undefined && tokenMatcher(token, T.Keyword);
}

/** A token of `type` standing where `at` is (its position, so errors can be placed). */
function tokenAs(at: IToken, type: TokenType, image: string): IToken {
  return { ...at, image, tokenType: type, tokenTypeIdx: type.tokenTypeIdx as number };
}

/**
 * Tokens a statement's hints may parse again, in all: a `group { }` left open over thousands of
 * broken lines is one statement with an error on each line, and confirming each hint by parsing
 * it whole would be quadratic. Past the budget the grammar's own messages stand.
 */
export const HINT_TOKEN_BUDGET = 5_000;

/** What is left of {@link HINT_TOKEN_BUDGET} for one statement's hints. */
export interface HintBudget {
  tokens: number;
}

/**
 * The syntax errors of `tokens` read as one statement, or undefined when the budget does not
 * cover parsing them. Uses the one parser: call it only once the statement being read has its
 * tree (the parser keeps nothing of a parse but its result).
 */
function errorsOf(tokens: IToken[], budget: HintBudget): IRecognitionException[] | undefined {
  if (tokens.length > budget.tokens) return undefined;
  budget.tokens -= tokens.length;
  parser.input = tokens;
  parser.statement();
  return parser.errors;
}

/**
 * Whether `tokens`, a statement as a fix would write it, reads without error from `from` (the
 * offset of the first token the fix touches) to `after` (of the last, or of the token after it):
 * errors before are other errors (reported on their own), errors after too, and an error where
 * the statement ends is one of a statement still being typed (`when job in [FR, "at"]` before
 * its points).
 */
function repairs(tokens: IToken[], from: number, after: number, budget: HintBudget): boolean {
  const errors = errorsOf(tokens, budget);
  if (errors === undefined) return false;
  for (const e of errors) {
    if (e.token.tokenType === EOF || !Number.isFinite(e.token.startOffset)) continue;
    if (e.token.startOffset >= from && e.token.startOffset <= after) return false;
  }
  return true;
}

/** The index of `token` in `tokens` (sorted by offset, as a statement's are), or -1. */
function indexOf(tokens: readonly IToken[], token: IToken): number {
  let low = 0;
  let high = tokens.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const offset = tokens[mid].startOffset;
    if (offset === token.startOffset) return tokens[mid] === token ? mid : -1;
    if (offset < token.startOffset) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

function shown(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

function rangeBetween(from: Range['start'], to: Range['start']): Range {
  return { start: from, end: to };
}

/**
 * The hint for `error` in the statement `tokens`, when the error is one of the habits this file
 * knows and the fix it would offer repairs the statement; undefined otherwise (the grammar's
 * message stands).
 */
export function syntaxHint(error: IRecognitionException, tokens: readonly IToken[], text: string, budget: HintBudget): SyntaxHint | undefined {
  // Each hint copies the statement's tokens to parse them again: not past the budget either.
  if (!Number.isFinite(error.token.startOffset) || tokens.length > budget.tokens) return undefined;
  const at = indexOf(tokens, error.token);
  if (at < 0) return undefined;
  return (
    keywordAsValue(tokens, at, budget) ??
    keywordStartingListLine(tokens, at) ??
    withAfterTextTest(tokens, at, text, budget) ??
    requiresWithAnd(tokens, at, text, budget) ??
    eventWithoutAny(tokens, at, text, budget) ??
    decayWordHint(tokens, at, budget) ??
    accountHint(tokens, at, budget) ??
    ruleTailHint(tokens, at, text, budget) ??
    unquotedLabel(tokens, at, text, budget)
  );
}

/** Whether the keyword at `i` stands where a value is expected (and may be meant as text). */
function keywordWhereValue(tokens: readonly IToken[], i: number): boolean {
  const token = tokens[i];
  return isKeyword(token) && !isAny(token, NEVER_TEXT) && isAny(tokens[i - 1], BEFORE_VALUE);
}

/** `contains any [stagiaire, stage]`, `country in [FR, at]`: a keyword meant as text. */
function keywordAsValue(tokens: readonly IToken[], at: number, budget: HintBudget): SyntaxHint | undefined {
  if (!keywordWhereValue(tokens, at)) return undefined;
  const fixed = [...tokens];
  const quoted: number[] = [];
  let next: number | undefined = at;
  while (next !== undefined && quoted.length < MAX_QUOTED) {
    quoted.push(next);
    fixed[next] = tokenAs(tokens[next], T.StringLiteral, `"${tokens[next].image}"`);
    next = undefined;
    // The first error left, if it is another keyword where a value goes, is quoted too.
    const errors = errorsOf(fixed, budget);
    if (errors === undefined) return undefined;
    const first = errors[0];
    const i = first === undefined || !Number.isFinite(first.token.startOffset) ? -1 : indexOf(fixed, first.token);
    if (i > quoted[quoted.length - 1] && keywordWhereValue(fixed, i)) next = i;
  }
  const last = tokens[quoted[quoted.length - 1]];
  const following = tokens[quoted[quoted.length - 1] + 1];
  // `when x = no 5`: the error after the quoted word is the next token, so the word was not it.
  if (!repairs(fixed, tokens[at].startOffset, following?.startOffset ?? last.startOffset, budget)) return undefined;
  const word = tokens[at].image;
  const words = quoted.map((i) => `"${tokens[i].image}"`);
  return {
    message: `\`${word}\` is a keyword; quote it: "${word}"`,
    help: `a keyword is read as text only in quotes: write \`"${word}"\`${quoted.length > 1 ? ` (and ${words.slice(1).map((w) => `\`${w}\``).join(', ')})` : ''}`,
    range: tokenRange(tokens[at]),
    fixes: [
      {
        title: `quote ${words.length === 1 ? `\`${word}\`` : words.map((w) => `\`${w.slice(1, -1)}\``).join(', ')}`,
        edits: quoted.map((i): TextEdit => ({ range: tokenRange(tokens[i]), newText: `"${tokens[i].image}"` })),
      },
    ],
  };
}

/**
 * A list going on over lines with a keyword first on a line (`[stagiaire,` then `stage]`): the
 * keyword starts a statement of its own there, which goes no further than `stage ]` or `stage ,`
 * (never a statement). Quoting it joins the line to the list again.
 */
function keywordStartingListLine(tokens: readonly IToken[], at: number): SyntaxHint | undefined {
  const word = tokens[0];
  if (at !== 1 || !isKeyword(word) || !isAny(tokens[1], [T.Comma, T.RBracket])) return undefined;
  return {
    message: `\`${word.image}\` is a keyword; quote it: "${word.image}"`,
    help: `a keyword first on a line starts a statement; in a list, quote it: \`"${word.image}"\``,
    range: tokenRange(word),
    fixes: [{ title: `quote \`${word.image}\``, edits: [{ range: tokenRange(word), newText: `"${word.image}"` }] }],
  };
}

/** `ends with "@gmail.com"`, `starts with`, `contains with`: `with` was read as the value. */
function withAfterTextTest(tokens: readonly IToken[], at: number, text: string, budget: HintBudget): SyntaxHint | undefined {
  const withIndex = at - 1;
  const withToken = tokens[withIndex];
  const test = tokens[withIndex - 1];
  if (withToken === undefined || withToken.tokenType !== T.Identifier || withToken.image !== 'with') return undefined;
  if (!isAny(test, [T.Starts, T.Ends, T.Contains])) return undefined;
  const fixed = [...tokens.slice(0, withIndex), ...tokens.slice(withIndex + 1)];
  if (!repairs(fixed, withToken.startOffset, tokens[at].startOffset, budget)) return undefined;
  const value = tokens[at];
  const written = value.tokenType === T.LBracket ? '[..]' : shown(text.slice(value.startOffset, (value.endOffset ?? value.startOffset) + 1));
  return {
    message: `\`${test.image}\` takes its value directly: write \`${test.image} ${written}\` (no \`with\`)`,
    help: `the text tests are \`starts s\`, \`ends s\` and \`contains s\`; here \`with\` was read as the value`,
    range: tokenRange(withToken),
    fixes: [{ title: 'remove `with`', edits: [{ range: rangeBetween(tokenRange(withToken).start, tokenRange(value).start), newText: '' }] }],
  };
}

/** `stage sql at 50 requires email and phone`: required fields are separated by commas. */
function requiresWithAnd(tokens: readonly IToken[], at: number, text: string, budget: HintBudget): SyntaxHint | undefined {
  if (tokens[0]?.tokenType !== T.Stage || tokens[at].tokenType !== T.And) return undefined;
  let requires = -1;
  for (let i = at - 1; i > 0; i--) {
    if (tokens[i].tokenType === T.Requires) {
      requires = i;
      break;
    }
    if (tokens[i].tokenType === T.When) return undefined;
  }
  if (requires < 0) return undefined;
  // The list goes on while names follow `,` or `and`: each such `and` becomes a comma.
  const fixed = [...tokens];
  const ands: number[] = [];
  let end = requires + 1;
  for (let i = requires + 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.tokenType === T.When) break;
    if (t.tokenType === T.And) {
      const next = tokens[i + 1];
      if (next === undefined || !isAny(next, [T.Identifier, T.BacktickName])) break;
      ands.push(i);
      fixed[i] = tokenAs(t, T.Comma, ',');
    }
    end = i;
  }
  if (!ands.includes(at) || !repairs(fixed, tokens[requires].startOffset, tokens[end].endOffset ?? tokens[end].startOffset, budget)) return undefined;
  const edits = ands.map((i): TextEdit => ({ range: rangeBetween(tokenRange(tokens[i - 1]).end, tokenRange(tokens[i]).end), newText: ',' }));
  let list = '';
  for (let i = requires + 1; i <= end; i++) {
    const t = tokens[i];
    list += t.tokenType === T.And || t.tokenType === T.Comma ? ', ' : text.slice(t.startOffset, (t.endOffset ?? t.startOffset) + 1);
  }
  return {
    message: `separate required fields with commas: \`requires ${shown(list)}\``,
    help: 'the items of `requires` (fields that must be set, or conditions such as `email not ends "@gmail.com"`) are separated by commas, which mean `and`: `stage NAME at N requires ITEM, ITEM [when CONDITION]`',
    range: tokenRange(tokens[at]),
    fixes: [{ title: ands.length === 1 ? 'replace `and` with `,`' : 'replace each `and` with `,`', edits }],
  };
}

/** Words that may make up a label written without quotes (`Décideur`, `Dir. Général`, `Top 10`). */
const LABEL_WORDS: readonly TokenType[] = [T.Identifier, T.Keyword, T.NumberLiteral, T.Dot];

/** Words that go on a rule after its points: not the start of a label. */
const AFTER_POINTS: readonly TokenType[] = [T.And, T.Or, T.When, T.Where, T.Within, T.Up, T.HalfLife, T.Add, T.Sub];

/** `when job in [CEO] add 10 Décideur`: the words after a rule's points are its label, unquoted. */
function unquotedLabel(tokens: readonly IToken[], at: number, text: string, budget: HintBudget): SyntaxHint | undefined {
  const first = tokens[at];
  if (!isAny(first, [T.Identifier, T.Keyword]) || isAny(first, AFTER_POINTS)) return undefined;
  // `add N` or `sub N` (and what may follow them) before it, on its line.
  const line = first.startLine;
  let sign = -1;
  for (let i = at - 1; i >= 0 && tokens[i].startLine === line; i--) {
    if (isAny(tokens[i], [T.Add, T.Sub])) {
      sign = i;
      break;
    }
  }
  if (sign < 0 || sign >= at - 1) return undefined;
  // The label is the words up to the end of the line (a newline or `;` in a group, or its `}`).
  let end = at;
  while (end + 1 < tokens.length && tokens[end + 1].startLine === line && isAny(tokens[end + 1], LABEL_WORDS)) end++;
  const next = tokens[end + 1];
  if (next !== undefined && next.startLine === line && !isAny(next, [T.RCurly, T.Terminator])) return undefined;
  const label = text.slice(first.startOffset, (tokens[end].endOffset ?? tokens[end].startOffset) + 1);
  if (label.length > MAX_LABEL_QUOTED || /["\\]/.test(label)) return undefined;
  const quoted = `"${label}"`;
  const fixed = [...tokens.slice(0, at), tokenAs(first, T.StringLiteral, quoted), ...tokens.slice(end + 1)];
  if (!repairs(fixed, first.startOffset, next?.startOffset ?? first.startOffset, budget)) return undefined;
  const range = rangeBetween(tokenRange(first).start, tokenRange(tokens[end]).end);
  // Shortened inside the quotes, so the message still shows a closed string.
  const shownQuoted = `"${label.length > MAX_SHOWN - 2 ? `${label.slice(0, MAX_SHOWN - 3)}…` : label}"`;
  return {
    message: `labels go in quotes: ${shownQuoted}`,
    help: `a rule's label is text in quotes after its points, e.g. \`${tokens[sign].image} ${tokens[sign + 1].image} ${shownQuoted}\``,
    range,
    fixes: [{ title: 'quote the label', edits: [{ range, newText: quoted }] }],
  };
}

/** One part of a rule's tail after its points: `up to N`, a run limit, a decay, the label. */
interface TailClause {
  /** Its place in the order the grammar takes them: cap, limit, decay, label. */
  readonly rank: number;
  readonly first: number;
  readonly last: number;
}

const TAIL_NAMES: readonly string[] = ['`up to`', 'the run limit', 'the decay', 'the label'];

/** The rank of the tail part `token` starts, or -1 when it starts none. */
function tailRank(token: IToken): number {
  if (token.tokenType === T.Up) return 0;
  if (token.tokenType === T.At) return 1;
  if (token.tokenType === T.HalfLife || (token.tokenType === T.Identifier && token.image === 'decay')) return 2;
  if (token.tokenType === T.StringLiteral) return 3;
  return -1;
}

/**
 * `add 1 half-life 3 days at most once per day`, `add 1 decay 10% per day up to 5`: the tail of a
 * rule written out of order (the grammar takes `up to`, the run limit, the decay, then the label),
 * which the grammar would report as an unquoted label or text after the statement; and two decays
 * on one rule. The fix reorders the tail (or removes the second decay), confirmed by parsing it.
 */
function ruleTailHint(tokens: readonly IToken[], at: number, text: string, budget: HintBudget): SyntaxHint | undefined {
  const line = tokens[at].startLine;
  let sign = -1;
  for (let i = at - 1; i >= 0 && tokens[i].startLine === line; i--) {
    if (isAny(tokens[i], [T.Add, T.Sub])) {
      sign = i;
      break;
    }
  }
  const start = sign + 2;
  if (sign < 0 || at < start || tokens[sign + 1]?.tokenType !== T.NumberLiteral) return undefined;
  const clauses: TailClause[] = [];
  let end = start;
  for (; end < tokens.length && tokens[end].startLine === line && !isAny(tokens[end], [T.RCurly, T.Terminator]); end++) {
    const rank = tailRank(tokens[end]);
    if (rank >= 0) clauses.push({ rank, first: end, last: end });
    else if (clauses.length === 0) return undefined;
    else clauses[clauses.length - 1] = { ...clauses[clauses.length - 1], last: end };
  }
  if (clauses.length < 2) return undefined;
  const clauseText = (c: TailClause): string => text.slice(tokens[c.first].startOffset, (tokens[c.last].endOffset ?? tokens[c.last].startOffset) + 1);
  const from = tokens[start].startOffset;
  const to = tokens[end - 1].endOffset ?? tokens[end - 1].startOffset;
  const decays = clauses.filter((c) => c.rank === 2);
  if (decays.length >= 2) {
    const [kept, second] = decays;
    const fixed = [...tokens.slice(0, second.first), ...tokens.slice(second.last + 1)];
    if (!repairs(fixed, from, to, budget)) return undefined;
    const before = tokens[second.first - 1];
    const range = rangeBetween(tokenRange(before).end, tokenRange(tokens[second.last]).end);
    return {
      message: `a rule decays one way: keep \`${shown(clauseText(kept))}\` or \`${shown(clauseText(second))}\`, not both`,
      help: 'a rule takes one decay, `half-life D` or `decay P% per PERIOD` (without one, it follows its group\'s)',
      range: tokenRange(tokens[second.first]),
      fixes: [{ title: `remove \`${shown(clauseText(second))}\``, edits: [{ range, newText: '' }] }],
    };
  }
  const late = clauses.findIndex((c, i) => i > 0 && c.rank < clauses[i - 1].rank);
  if (late < 0) return undefined;
  const sorted = [...clauses].sort((a, b) => a.rank - b.rank);
  const fixed = [...tokens.slice(0, start), ...sorted.flatMap((c) => tokens.slice(c.first, c.last + 1)), ...tokens.slice(end)];
  if (!repairs(fixed, from, to, budget)) return undefined;
  const written = sorted.map(clauseText).join(' ');
  const moved = clauses[late];
  const passed = clauses.slice(0, late).reduce((a, b) => (b.rank > moved.rank && b.rank < a.rank ? b : a), clauses[late - 1]);
  const word = moved.rank === 0 ? '`up to`' : moved.rank === 1 ? '`at most`' : `\`${shown(clauseText(moved))}\``;
  return {
    message: `${word} goes before ${TAIL_NAMES[passed.rank]}: write \`${written.length > 80 ? `${written.slice(0, 79)}…` : written}\``,
    help: 'after its points a rule takes, in this order: `up to CAP`, `at most K per PERIOD`, `half-life D` or `decay P% per PERIOD`, then its "label"',
    range: rangeBetween(tokenRange(tokens[moved.first]).start, tokenRange(tokens[moved.last]).end),
    fixes: [{ title: 'put them in order', edits: [{ range: rangeBetween(tokenRange(tokens[start]).start, tokenRange(tokens[end - 1]).end), newText: written }] }],
  };
}

/** Characters of a label a fix quotes at most (a longer run of words is not taken for one). */
const MAX_LABEL_QUOTED = 200;

/** Tokens after which a condition starts (so a name there followed by `where` is an event). */
const CONDITION_START: readonly TokenType[] = [T.When, T.And, T.Or, T.Not, T.LParen];

/** `when page_view where ...`: an event name where a condition starts, without `any`. */
function eventWithoutAny(tokens: readonly IToken[], at: number, text: string, budget: HintBudget): SyntaxHint | undefined {
  const clause = tokens[at];
  if (clause.tokenType !== T.Where && clause.tokenType !== T.Within) return undefined;
  // The name before the clause: `page_view`, `web.visit`, `` `page view` ``.
  let start = at - 1;
  if (!isAny(tokens[start], [T.Identifier, T.BacktickName, T.Keyword])) return undefined;
  while (start >= 2 && tokens[start - 1].tokenType === T.Dot) start -= 2;
  if (!isAny(tokens[start], [T.Identifier, T.BacktickName])) return undefined;
  const before = tokens[start - 1];
  const inSegment = tokens[0]?.tokenType === T.Segment && before?.tokenType === T.Equals;
  if (!inSegment && !isAny(before, CONDITION_START)) return undefined;
  const fixed = [...tokens.slice(0, start), tokenAs(tokens[start], T.Any, 'any'), ...tokens.slice(start)];
  if (!repairs(fixed, tokens[start].startOffset, clause.startOffset, budget)) return undefined;
  const name = text.slice(tokens[start].startOffset, (tokens[at - 1].endOffset ?? tokens[at - 1].startOffset) + 1);
  const lead = before.tokenType === T.When ? 'when ' : '';
  const range = rangeBetween(tokenRange(tokens[start]).start, tokenRange(tokens[at - 1]).end);
  return {
    message: `\`${shown(name)} ${clause.image} ...\` tests an event: write \`${lead}any ${shown(name)} ${clause.image} ...\``,
    help: 'a condition on events is `any EVENT [where C] [within D]`, `no EVENT ...` or `count EVENT ... >= N`',
    range,
    fixes: [{ title: 'insert `any`', edits: [{ range: rangeBetween(range.start, range.start), newText: 'any ' }] }],
  };
}

/** The words of a decay or run limit that are no keywords (so a typo of one is just a name). */
const DECAY_WORDS = ['decay', 'per', 'most', 'once'] as const;

/** Edit distance, for words of a few letters (a typo of a decay word); capped above 2. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 || a.length > 12) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const swap = i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1] ? previous[j - 2] + 0 : Infinity;
      row.push(Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1), swap + 1));
    }
    previous = row;
  }
  return previous[b.length];
}

/**
 * After a rule's points or in a group's header: `decay 25 per month` (no `%`), and a misspelt
 * `decay`, `per`, `most` or `once` (`at mots once per day`, `decy 25% per day`): these are no
 * keywords, so the grammar only says it expected something else. Confirmed by parsing the fix.
 */
function decayWordHint(tokens: readonly IToken[], at: number, budget: HintBudget): SyntaxHint | undefined {
  const token = tokens[at];
  const inTail = tokens.slice(0, at).some((t) => isAny(t, [T.Add, T.Sub, T.Group]));
  if (!inTail) return undefined;
  const previous = tokens[at - 1];
  // `decay 25 per`: the `%` is missing after the number.
  if (previous?.tokenType === T.NumberLiteral && tokens[at - 2]?.image === 'decay' && token.image === 'per') {
    const fixed = [...tokens.slice(0, at), tokenAs(token, T.Percent, '%'), ...tokens.slice(at)];
    if (!repairs(fixed, token.startOffset, token.startOffset, budget)) return undefined;
    const end = tokenRange(previous).end;
    return {
      message: `a decay is a percentage: write \`decay ${previous.image}% per ...\``,
      help: 'points lose P% of their value per whole period of age: `decay 25% per month`',
      range: tokenRange(previous),
      fixes: [{ title: `write \`${previous.image}%\``, edits: [{ range: rangeBetween(end, end), newText: '%' }] }],
    };
  }
  // A typo of the word first (`mots`), then the one word that fits there (`least`).
  const word = token.image.toLowerCase();
  const near = token.tokenType !== T.Identifier ? [] : DECAY_WORDS.filter((w) => w !== word && distance(word, w) <= (w.length <= 3 ? 1 : 2));
  for (const candidate of near) {
    const fixed = [...tokens.slice(0, at), tokenAs(token, T.Identifier, candidate), ...tokens.slice(at + 1)];
    if (!repairs(fixed, token.startOffset, token.startOffset, budget)) continue;
    return {
      message: `unknown word \`${shown(token.image)}\`; did you mean \`${candidate}\`?`,
      help: 'a run limit is `at most K per PERIOD` (or `at most once per PERIOD`); a decay `half-life D` or `decay P% per PERIOD`',
      range: tokenRange(token),
      fixes: [{ title: `write \`${candidate}\``, edits: [{ range: tokenRange(token), newText: candidate }] }],
    };
  }
  // `at least once`, `25% each month`: the one word that fits there, whatever was written.
  const expected = previous?.tokenType === T.At ? 'most' : previous?.tokenType === T.Percent || (previous?.image === 'once' && tokens[at - 2]?.image === 'most') ? 'per' : undefined;
  if (expected !== undefined && token.image !== expected && token.tokenType !== T.NumberLiteral) {
    const fixed = [...tokens.slice(0, at), tokenAs(token, T.Identifier, expected), ...tokens.slice(at + 1)];
    if (repairs(fixed, token.startOffset, token.startOffset, budget)) {
      return {
        message: `expected \`${expected}\`, found \`${shown(token.image)}\`: write \`${expected === 'most' ? 'at most' : 'per'}\``,
        help: 'a run limit is `at most K per PERIOD` (or `at most once per PERIOD`); a decay `decay P% per PERIOD`',
        range: tokenRange(token),
        fixes: [{ title: `write \`${expected}\``, edits: [{ range: tokenRange(token), newText: expected }] }],
      };
    }
  }
  return undefined;
}

/** The aggregate words of a test over contacts (issue 17; no keywords). */
const AGGREGATE_WORDS: readonly string[] = ['best', 'sum', 'average'];

/**
 * Slips in the account constructs (issue 17): `score account {` (the plural is the word),
 * `account {` without its key, `best score contacts` without `of`, `best of contacts` without
 * the value, `top contacts` without its number.
 */
function accountHint(tokens: readonly IToken[], at: number, budget: HintBudget): SyntaxHint | undefined {
  const token = tokens[at];
  const isWord = (t: IToken | undefined, word: string): boolean => t !== undefined && t.tokenType === T.Identifier && t.image === word;
  if (at === 0 && token.tokenType === T.Score && isWord(tokens[1], 'account') && tokens[2]?.tokenType === T.LCurly) {
    const fixed = [tokens[0], tokenAs(tokens[1], T.Identifier, 'accounts'), ...tokens.slice(2)];
    if (!repairs(fixed, tokens[1].startOffset, tokens[2].startOffset, budget)) return undefined;
    return {
      message: 'the account rules go in `score accounts { }` (plural)',
      help: '`score accounts { ... }` holds the rules, groups, segments, stages and tiers of accounts',
      range: tokenRange(tokens[1]),
      fixes: [{ title: 'write `score accounts`', edits: [{ range: tokenRange(tokens[1]), newText: 'accounts' }] }],
    };
  }
  if (at === 0 && isWord(token, 'account') && (tokens[1]?.tokenType === T.LCurly || isAny(tokens[1], [T.Identifier, T.BacktickName]))) {
    return {
      message: 'an `account` block names its key first: `account KEY = LEAD_FIELD { ... }`',
      help: 'KEY is the account field that identifies an account, LEAD_FIELD the lead field holding it on each contact, e.g. `account id = company.id { id: text  industry: text }`',
      range: tokenRange(token),
      fixes: [],
    };
  }
  const previous = tokens[at - 1];
  // `best score contacts`: the `of` is missing (the aggregate word was read as a name).
  if (previous !== undefined && previous.tokenType === T.Identifier && AGGREGATE_WORDS.includes(previous.image)) {
    if ((token.tokenType === T.Score || token.tokenType === T.Identifier) && (isWord(tokens[at + 1], 'contacts') || isWord(tokens[at + 1], 'top'))) {
      const end = tokenRange(token).end;
      const fixed = [...tokens.slice(0, at + 1), tokenAs(tokens[at + 1], T.Of, 'of'), ...tokens.slice(at + 1)];
      if (!repairs(fixed, previous.startOffset, tokens[at + 1].startOffset, budget)) return undefined;
      return {
        message: `write \`${previous.image} ${token.image} of ...\`: the value and the contacts are joined by \`of\``,
        help: 'a test over contacts is `best|sum|average score|GROUP of [top N] contacts [where C] >= N`',
        range: tokenRange(token),
        fixes: [{ title: 'insert `of`', edits: [{ range: rangeBetween(end, end), newText: ' of' }] }],
      };
    }
    // `best of contacts`: the value is missing.
    if (token.tokenType === T.Of) {
      const start = tokenRange(token).start;
      const fixed = [...tokens.slice(0, at), tokenAs(token, T.Score, 'score'), ...tokens.slice(at)];
      if (!repairs(fixed, previous.startOffset, token.startOffset, budget)) return undefined;
      return {
        message: `\`${previous.image} of contacts\` needs what to take the ${previous.image === 'sum' ? 'sum' : previous.image === 'best' ? 'best' : 'average'} of: \`${previous.image} score of contacts\` or \`${previous.image} GROUP of contacts\``,
        help: 'a test over contacts is `best|sum|average score|GROUP of [top N] contacts [where C] >= N`',
        range: tokenRange(token),
        fixes: [{ title: 'insert `score`', edits: [{ range: rangeBetween(start, start), newText: 'score ' }] }],
      };
    }
  }
  // `count contact where buyer >= 1 add 5`: the singular is read as the count of an event
  // `contact`, whose `where` takes `buyer >= 1` as its comparison, leaving no test. (Other slips
  // with the singular parse, and the checker's R011 says the same.)
  for (let i = at - 1; i >= 1; i--) {
    if (!isWord(tokens[i], 'contact') || tokens[i - 1].tokenType !== T.Count || tokens[i + 1]?.tokenType !== T.Where) continue;
    const word = tokens[i];
    const fixed = [...tokens.slice(0, i), tokenAs(word, T.Identifier, 'contacts'), ...tokens.slice(i + 1)];
    if (!repairs(fixed, word.startOffset, token.startOffset, budget)) return undefined;
    return {
      message: "an account's contacts are counted with `count contacts` (plural)",
      help: 'a test over contacts is `count contacts [where C] >= N`, written inside `score accounts`',
      range: tokenRange(word),
      fixes: [{ title: 'write `count contacts`', edits: [{ range: tokenRange(word), newText: 'contacts' }] }],
    };
  }
  // `of top contacts`: `top` takes a number.
  if (isWord(token, 'top') && previous?.tokenType === T.Of && isWord(tokens[at + 1], 'contacts')) {
    return {
      message: '`top` keeps the N highest contacts: write `top N contacts`, e.g. `top 3 contacts`',
      help: 'a test over contacts is `best|sum|average score|GROUP of [top N] contacts [where C] >= N`',
      range: tokenRange(token),
      fixes: [],
    };
  }
  return undefined;
}

/**
 * `add +10`, `sub + 5`, `>= +3`: the lexer reports the `+` (no token starts with it); the message
 * says to write the number without it, with the fix that removes it. `offset`, `line` and
 * `column` are where the `+` is. Undefined when no number follows it.
 */
export function signedPointsHint(text: string, offset: number, line: number, column: number): SyntaxHint | undefined {
  if (text[offset] !== '+') return undefined;
  // `+10`, or `+ 10`: the fix removes the sign and the blanks after it.
  const number = /^([ \t]*)(\d+(?:_\d+)*(?:\.\d+)?)/.exec(text.slice(offset + 1, offset + 1 + MAX_SHOWN));
  if (number === null) return undefined;
  const removed = 1 + number[1].length;
  // The word before the `+` on its line: `add` or `sub` makes it points.
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const word = /(?:^|[^\p{L}\p{N}_])(add|sub)[ \t]*$/u.exec(text.slice(lineStart, offset))?.[1];
  const plus: Range = { start: { offset, line, column }, end: { offset: offset + 1, line, column: column + 1 } };
  const written = word === undefined ? number[2] : `${word} ${number[2]}`;
  return {
    message: word === undefined ? `a number takes no \`+\` sign: write \`${written}\`` : `points take no \`+\` sign: write \`${written}\``,
    help: word === undefined ? 'numbers are written without a sign, or with `-` when negative' : '`add N` gives points and `sub N` takes them away; N is written without a sign',
    range: plus,
    fixes: [{ title: 'remove `+`', edits: [{ range: { start: plus.start, end: { offset: offset + removed, line, column: column + removed } }, newText: '' }] }],
  };
}
