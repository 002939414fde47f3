/**
 * Reading statements from tokens: parsing each statement, building its tree, and the syntax
 * diagnostics (R001–R004) with their help, for a whole text or for the lines around an edit.
 */
import { EOF, type IRecognitionException, type IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { MAX_SYNTAX_ERRORS } from '../limits.js';
import type { Position, Range } from './ast.js';
import { tokenRange, type AstBuilder } from './cst-to-ast.js';
import { parser } from './parser.js';
import { HINT_TOKEN_BUDGET, signedPointsHint, syntaxHint, type HintBudget } from './syntax-hints.js';
import { recordStatement, type StatementCache, type StatementRecord } from './reuse.js';
import type { LexedText } from './lex.js';
import { MAX_NESTING, MAX_STATEMENT_TOKENS, splitStatements } from './tokens.js';

/** What to do, by the grammar rule the error happened in (innermost first). */
const HELP_BY_RULE: ReadonlyArray<readonly [string, string]> = [
  ['listLiteral', 'write lists as `[a, b, "two words"]`'],
  ['dataItem', 'write the values of the list in quotes: `["N/A", "-", "?"]`'],
  ['dataList', 'write lists as `["N/A", "-", unknown]`; values with symbols or spaces go in quotes'],
  ['dataValue', 'settings are `missing: [..]`, `numbers: plain|decimal comma|decimal point`, `dates: iso|day first|month first`, `true: [..]`, `false: [..]`'],
  ['dataSetting', 'write each setting as `name: value` on its own line, e.g. `numbers: decimal comma`'],
  ['dataEnd', 'the settings are `missing`, `numbers`, `dates`, `true` and `false`, each as `name: value` on its own line; close the block with `}`'],
  ['dataDecl', 'write `data { numbers: decimal comma  dates: day first }`, one setting per line'],
  ['typeExpr', 'field types are `text`, `number`, `bool`, `date`, `list of text` and `one of [a, b]`'],
  ['fieldDecl', 'declare each field as `name: type [from "COLUMN"] [missing [..]]`, e.g. `company.size: number from "Company size"`'],
  ['durationUnit', 'durations are `N hours`, `N days`, `N weeks`, `N months` or `N years`'],
  ['duration', 'durations are `N hours`, `N days`, `N weeks`, `N months` or `N years`'],
  ['relativeTime', 'relative dates are `N days ago` or `N days from now`'],
  ['parenCondition', 'close every `(` with a `)` on the same statement'],
  ['whereCondition', '`where` takes one comparison or a parenthesised condition: `where (a and b)`'],
  ['numericTest', 'finish with a comparison such as `>= 3` or `between 1 and 5`'],
  ['predicate', 'tests are `= v`, `!= v`, `< n`, `between a and b`, `in [..]`, `starts s`, `ends s`, `contains s`, `has v`, `is set|missing|true|false`'],
  ['points', 'a rule gives points with `add N` or `sub N`'],
  ['whenRule', 'write rules as `when CONDITION add N ["label"]` or `when CONDITION sub N`'],
  ['eachRule', 'write `each EVENT [where C] [within D] add N [up to CAP] [at most K per PERIOD] [half-life D | decay P% per PERIOD] ["label"]`'],
  ['runLimit', 'a run limit is `at most K per PERIOD` or `at most once per PERIOD`, e.g. `at most once per day`, `at most 3 per 2 weeks`'],
  ['decaySpec', 'a decay is `half-life D` (e.g. `half-life 30 days`) or `decay P% per PERIOD` (e.g. `decay 25% per month`)'],
  ['perWord', 'write `per` and a period: `per day`, `per 2 weeks`, `per month`'],
  ['period', 'a period is a unit (`hour`, `day`, `week`, `month`, `year`) or `N days`, `N weeks`, ...'],
  ['requirement', 'each `requires` item is a field (it must be set) or a condition, separated by commas: `requires phone, email not ends "@gmail.com"`'],
  ['stageDecl', 'write `stage NAME at N [requires FIELD or CONDITION, ...] [when CONDITION]`'],
  ['tierDecl', 'write `tier NAME when CONDITION`'],
  ['groupDecl', 'write `group NAME [max N] [min N] [half-life D | decay P% per PERIOD] { rules }`'],
  ['scoreRangeDecl', 'write `score range MIN to MAX`'],
  ['letDecl', 'write `let NAME = [values]` or `let NAME = value`'],
  ['segmentDecl', 'write `segment NAME = CONDITION`'],
  ['eventDecl', 'write `event NAME` or `event NAME { property: type }`'],
  ['expectation', 'expectations are `expect score N`, `expect stage NAME`, `expect no stage`, `expect group NAME N`, `expect tier NAME`, `expect no tier`, `expect rule "LABEL" fired`'],
  ['ruleOutcome', 'write `expect rule "LABEL" fired` or `expect rule "LABEL" not fired`'],
  ['testEvent', 'test events are `NAME [{ prop: value }] at DATE` or `NAME [{ prop: value }] N days ago`'],
  ['testItem', 'a test holds `now DATE`, `lead { ... }`, `events { ... }` and `expect ...` lines'],
  ['testDecl', 'write `test "name" { now DATE  lead { ... }  expect ... }`'],
  // Issue 17: the account constructs.
  ['contactsWord', 'a test over contacts is `count contacts [where C] >= N` or `best|sum|average score|GROUP of [top N] contacts [where C] >= N`'],
  ['contactsTail', 'a test over contacts ends with a comparison: `count contacts where job in decision_makers >= 2`'],
  ['contactCount', 'write `count contacts [where CONDITION] >= N`'],
  ['contactAggregate', 'write `best|sum|average score|GROUP of [top N] contacts [where CONDITION] >= N`'],
  ['testContact', 'write `contact { field: value ... }`, then its events if any: `events { NAME at DATE ... }`'],
  ['accountDecl', 'write `account KEY = LEAD_FIELD { fields }`, e.g. `account id = company.id { id: text  industry: text }`'],
  ['accountScoringDecl', '`score accounts { ... }` holds the account\'s segments, groups, `when` and `each` rules, stages, tiers and `score range`, one per line'],
  ['name', 'a name that is a keyword or has spaces is written in backticks: `` `stage` ``'],
  ['leadDecl', 'declare the lead\'s fields in one block: `lead { company.size: number  job: text }`'],
  // Every error is inside `statement`: this is the help when nothing closer has one.
  ['statement', 'a statement starts with `lead`, `event`, `data`, `let`, `segment`, `group`, `score range`, `when`, `each`, `stage`, `tier` or `test`; text values go in quotes'],
];

/** Unexpected characters quoted in an R002 message at most. */
const MAX_SHOWN_CHARACTERS = 20;

const STATEMENT_END_HELP = 'put each statement on its own line, or separate statements with `;`';

function helpFor(error: IRecognitionException): string | undefined {
  const stack = error.context?.ruleStack ?? [];
  for (let i = stack.length - 1; i >= 0; i--) {
    const found = HELP_BY_RULE.find(([rule]) => rule === stack[i]);
    if (found !== undefined) return found[1];
  }
  return undefined;
}

function endPosition(text: string): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset: text.length, line, column: text.length - lineStart + 1 };
}

/** Where to report a parser error: its token, or just after the last real token at the end. */
function errorRange(error: IRecognitionException, tokens: readonly IToken[], text: string): Range {
  const token = error.token;
  if (token.tokenType !== EOF && Number.isFinite(token.startOffset)) {
    if (token.image === '\n' || token.image === '\r\n') {
      // A newline token: point at the end of the line rather than the start of the next one.
      const at = { offset: token.startOffset, line: token.startLine ?? 1, column: token.startColumn ?? 1 };
      return { start: at, end: at };
    }
    return tokenRange(token);
  }
  const withPrevious = error as IRecognitionException & { previousToken?: IToken };
  const previous = withPrevious.previousToken ?? tokens[tokens.length - 1];
  if (previous !== undefined && Number.isFinite(previous.startOffset) && previous.tokenType !== EOF) {
    const r = tokenRange(previous);
    return { start: r.end, end: r.end };
  }
  const at = endPosition(text);
  return { start: at, end: at };
}

/**
 * The help for `'` right after a letter (`add 5 l'acheteur technique`, a French label): an
 * apostrophe, not the start of a string, so closing the string as usual would not help.
 */
function apostropheHelp(text: string, t: IToken): string | undefined {
  if (t.image[0] !== "'" || !/\p{L}/u.test(text[t.startOffset - 1] ?? '')) return undefined;
  const before = /[\p{L}\p{N}_]{1,30}$/u.exec(text.slice(Math.max(0, t.startOffset - 30), t.startOffset))?.[0] ?? '';
  const after = /^[^\s"'\\]{0,30}/u.exec(t.image.slice(1))?.[0] ?? '';
  return `\`'\` right after a letter is taken as the start of a text in single quotes; for an apostrophe, write the whole text in double quotes, e.g. \`"${before}'${after}"\``;
}

function positionAt(text: string, offset: number, line: number, column: number): Position {
  return { offset: Math.min(offset, text.length), line, column };
}

/** The statements of a stretch of text and their syntax diagnostics (unsorted). */
export interface ReadStatements {
  readonly statements: readonly StatementRecord[];
  readonly diagnostics: readonly Diagnostic[];
  /** Where reading stopped after {@link MAX_SYNTAX_ERRORS} lines with errors, if it did. */
  readonly stoppedAt?: Position;
}

/**
 * Reads the statements of `tokens` (the lexed text, or the lexed lines of an edit, with their
 * positions in `text`), reusing the trees of unchanged statements found in `cache`.
 */
export function readStatements(text: string, lexed: LexedText, builder: AstBuilder, cache: StatementCache | undefined): ReadStatements {
  const diagnostics: Diagnostic[] = [];
  for (const e of lexed.errors) {
    // A run of thousands of bad characters is named by its start and its length.
    const ch = text.slice(e.offset, e.offset + Math.min(e.length, MAX_SHOWN_CHARACTERS));
    const shown = ch.includes('`') ? '`` ' + ch + ' ``' : '`' + ch + '`';
    const line = e.line ?? 1;
    const column = e.column ?? 1;
    if (/^\r+$/.test(ch) && e.length <= MAX_SHOWN_CHARACTERS) {
      diagnostics.push({
        code: 'R002',
        severity: 'error',
        message: 'a carriage return alone is not a line break',
        help: 'save the file with LF or CRLF line endings',
        range: { start: positionAt(text, e.offset, line, column), end: positionAt(text, e.offset + e.length, line, column + e.length) },
      });
      continue;
    }
    const signed = ch === '+' ? signedPointsHint(text, e.offset, line, column) : undefined;
    if (signed !== undefined) {
      diagnostics.push({ code: 'R002', severity: 'error', ...signed });
      continue;
    }
    diagnostics.push({
      code: 'R002',
      severity: 'error',
      message:
        e.length > MAX_SHOWN_CHARACTERS
          ? `${grouped(e.length)} unexpected characters, starting with ${shown}`
          : `unexpected character${ch.length > 1 ? 's' : ''} ${shown}`,
      help: ch.includes('`')
        ? 'a backticked name must close on the same line: `` `Lead Source` ``'
        : 'text values go in quotes: `"..."`; comments start with `#`',
      range: {
        start: positionAt(text, e.offset, line, column),
        end: positionAt(text, e.offset + e.length, line, column + e.length),
      },
    });
  }
  for (const t of lexed.unterminated) {
    diagnostics.push({
      code: 'R002',
      severity: 'error',
      message: `this string has no closing \`${t.image[0]}\``,
      help: apostropheHelp(text, t) ?? `close the string with \`${t.image[0]}\` on the same line`,
      range: tokenRange(t),
    });
  }
  for (const t of lexed.tooDeep) {
    diagnostics.push({
      code: 'R003',
      severity: 'error',
      message: `this statement nests more than ${MAX_NESTING} levels deep`,
      help: 'split the condition into `segment`s and combine them by name',
      range: tokenRange(t),
    });
  }
  for (const t of lexed.tooLong) {
    diagnostics.push({
      code: 'R040',
      severity: 'error',
      message: `this statement is longer than ${grouped(MAX_STATEMENT_TOKENS)} tokens, so it was not read`,
      help: 'split it: a long list into several `let`s, a long condition into `segment`s combined by name',
      range: tokenRange(t),
    });
  }
  const statements: StatementRecord[] = [];
  // The lexer's diagnostics in order, to count the lines with errors before each statement.
  const lexical = diagnostics.length > 1 ? [...diagnostics].sort((a, b) => a.range.start.offset - b.range.start.offset) : diagnostics;
  let stoppedAt: Position | undefined;
  const builderStart = builder.diagnostics.length;
  // Chevrotain reports a syntax error by throwing an Error through the rule stack: capturing a
  // stack trace for each one was a third of the time of a file with many errors, and no one reads
  // them.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    stoppedAt = readEach(text, splitStatements(lexed.tokens), lexical, builder, cache, statements, diagnostics);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  // A loop, not `push(...)`: spreading hundreds of thousands of items overflows the stack.
  for (let i = builderStart; i < builder.diagnostics.length; i++) diagnostics.push(builder.diagnostics[i]);
  if (stoppedAt === undefined) return { statements, diagnostics };
  const before = stoppedAt.offset;
  return { statements, diagnostics: diagnostics.filter((d) => d.range.start.offset < before), stoppedAt };
}

/**
 * Parses each statement into `statements`, its errors into `diagnostics`, until the lines with
 * syntax errors before a statement (`lexical` ones, sorted, and the parser's) reach
 * {@link MAX_SYNTAX_ERRORS}: then that statement and the rest are not read (a file of garbage
 * costs no more than its first errors), and where it stopped is returned.
 */
function readEach(
  text: string,
  statementTokenLists: Iterable<IToken[]>,
  lexical: readonly Diagnostic[],
  builder: AstBuilder,
  cache: StatementCache | undefined,
  statements: StatementRecord[],
  diagnostics: Diagnostic[],
): Position | undefined {
  const seen = new Set<string>();
  const used = new Set<StatementRecord>();
  const errorLines = new Set<number>();
  let nextLexical = 0;
  for (const statementTokens of statementTokenLists) {
    const first = statementTokens[0];
    while (nextLexical < lexical.length && lexical[nextLexical].range.start.offset < first.startOffset) {
      errorLines.add(lexical[nextLexical++].range.start.line);
    }
    if (errorLines.size >= MAX_SYNTAX_ERRORS) return tokenRange(first).start;
    const again = cache?.take(text, statementTokens, used);
    if (again !== undefined) {
      statements.push(again);
      continue;
    }
    const builderBefore = builder.diagnostics.length;
    parser.input = statementTokens;
    const cst = parser.statement();
    const errors = parser.errors;
    // The tree first: a hint below parses the statement again, as its fix would write it.
    const statement = builder.statement(cst);
    const budget: HintBudget = { tokens: HINT_TOKEN_BUDGET };
    for (const error of errors) {
      const hint = syntaxHint(error, statementTokens, text, budget);
      const range = hint?.range ?? errorRange(error, statementTokens, text);
      const message = hint?.message ?? error.message;
      errorLines.add(range.start.line);
      const key = `${range.start.offset}:${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const help = hint?.help ?? (error.name === 'NotAllInputParsedException' ? STATEMENT_END_HELP : helpFor(error));
      diagnostics.push({
        code: 'R001',
        severity: 'error',
        message,
        range,
        ...(help !== undefined ? { help } : {}),
        ...(hint !== undefined && hint.fixes.length > 0 ? { fixes: hint.fixes } : {}),
      });
    }
    for (let i = builderBefore; i < builder.diagnostics.length; i++) errorLines.add(builder.diagnostics[i].range.start.line);
    if (statement === undefined) continue;
    const clean = errors.length === 0 && builder.diagnostics.length === builderBefore;
    statements.push(recordStatement(statement, statementTokens, clean));
  }
  return undefined;
}

/** Diagnostics sorted by position, echoes of a line's first syntax error dropped. */
export function sortedWithoutCascades(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return withoutCascades([...diagnostics].sort((a, b) => a.range.start.offset - b.range.start.offset));
}

/**
 * Keeps the first syntax error of each line and drops syntax errors on a line whose text could
 * not be lexed: after the first, errors on the same line are almost always echoes of it.
 */
function withoutCascades(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const lexLines = new Set(diagnostics.filter((d) => d.code === 'R002' || d.code === 'R003').map((d) => d.range.start.line));
  const syntaxLines = new Set<number>();
  const kept: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (d.code === 'R001') {
      const line = d.range.start.line;
      if (lexLines.has(line) || syntaxLines.has(line)) continue;
      syntaxLines.add(line);
    }
    kept.push(d);
  }
  return kept;
}

/** `12345` as `12,345`. */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * What a parse reports of `diagnostics` (sorted, without cascades): the first
 * {@link MAX_SYNTAX_ERRORS}, then one R001 where the list was cut (or where reading stopped,
 * `stoppedAt`) saying that the rest is not shown or was not read.
 */
export function reportedDiagnostics(diagnostics: readonly Diagnostic[], stoppedAt?: Position): readonly Diagnostic[] {
  if (diagnostics.length <= MAX_SYNTAX_ERRORS && stoppedAt === undefined) return diagnostics;
  const shown = diagnostics.slice(0, MAX_SYNTAX_ERRORS);
  const more = diagnostics.length - shown.length;
  // Where reading stopped, not where the list is cut: one statement may hold many more errors
  // (it is read whole) before the statement where reading stopped.
  const at = stoppedAt ?? diagnostics[MAX_SYNTAX_ERRORS]?.range.start ?? diagnostics[diagnostics.length - 1].range.start;
  const notShown = more > 0 ? ` (${grouped(more)} more syntax ${more === 1 ? 'error' : 'errors'} before it ${more === 1 ? 'is' : 'are'} not shown)` : '';
  const notice: Diagnostic =
    stoppedAt !== undefined
      ? {
          code: 'R001',
          severity: 'error',
          message: `too many syntax errors: reading stopped at line ${at.line}; nothing from there on was read or checked${notShown}`,
          help: `only the first ${MAX_SYNTAX_ERRORS} lines with syntax errors are read: fix them, then check again`,
          range: { start: at, end: at },
        }
      : {
          code: 'R001',
          severity: 'error',
          message: `${grouped(more)} more syntax ${more === 1 ? 'error' : 'errors'} from here on ${more === 1 ? 'is' : 'are'} not shown`,
          help: `only the first ${MAX_SYNTAX_ERRORS} syntax errors of a file are listed: fix them, then check again`,
          range: { start: at, end: at },
        };
  return [...shown, notice];
}
