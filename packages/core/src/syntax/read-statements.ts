/**
 * Reading statements from tokens: parsing each statement, building its tree, and the syntax
 * diagnostics (R001–R004) with their help, for a whole text or for the lines around an edit.
 */
import { EOF, type ILexingError, type IRecognitionException, type IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Position, Range } from './ast.js';
import { tokenRange, type AstBuilder } from './cst-to-ast.js';
import { parser } from './parser.js';
import { recordStatement, type StatementCache, type StatementRecord } from './reuse.js';
import { filterTokens, MAX_NESTING, splitStatements, UnterminatedString } from './tokens.js';

/** What to do, by the grammar rule the error happened in (innermost first). */
const HELP_BY_RULE: ReadonlyArray<readonly [string, string]> = [
  ['listLiteral', 'write lists as `[a, b, "two words"]`'],
  ['typeExpr', 'field types are `text`, `number`, `bool`, `date`, `list of text` and `one of [a, b]`'],
  ['fieldDecl', 'declare each field as `name: type`, e.g. `company.size: number`'],
  ['durationUnit', 'durations are `N hours`, `N days`, `N weeks`, `N months` or `N years`'],
  ['duration', 'durations are `N hours`, `N days`, `N weeks`, `N months` or `N years`'],
  ['relativeTime', 'relative dates are `N days ago` or `N days from now`'],
  ['parenCondition', 'close every `(` with a `)` on the same statement'],
  ['whereCondition', '`where` takes one comparison or a parenthesised condition: `where (a and b)`'],
  ['numericTest', 'finish with a comparison such as `>= 3` or `between 1 and 5`'],
  ['predicate', 'tests are `= v`, `!= v`, `< n`, `between a and b`, `in [..]`, `starts s`, `ends s`, `contains s`, `has v`, `is set|missing|true|false`'],
  ['points', 'a rule gives points with `add N` or `sub N`'],
  ['whenRule', 'write rules as `when CONDITION add N ["label"]` or `when CONDITION sub N`'],
  ['eachRule', 'write `each EVENT [where C] [within D] add N [up to CAP] [half-life D] ["label"]`'],
  ['stageDecl', 'write `stage NAME at N [requires FIELD, ...] [when CONDITION]`'],
  ['tierDecl', 'write `tier NAME when CONDITION`'],
  ['groupDecl', 'write `group NAME [max N] [min N] { rules }`'],
  ['scoreRangeDecl', 'write `score range MIN to MAX`'],
  ['letDecl', 'write `let NAME = [values]` or `let NAME = value`'],
  ['segmentDecl', 'write `segment NAME = CONDITION`'],
  ['eventDecl', 'write `event NAME` or `event NAME { property: type }`'],
  ['expectation', 'expectations are `expect score N`, `expect stage NAME`, `expect no stage`, `expect group NAME N`, `expect tier NAME`, `expect no tier`'],
  ['testEvent', 'test events are `NAME [{ prop: value }] at DATE` or `NAME [{ prop: value }] N days ago`'],
  ['testItem', 'a test holds `now DATE`, `lead { ... }`, `events { ... }` and `expect ...` lines'],
  ['testDecl', 'write `test "name" { now DATE  lead { ... }  expect ... }`'],
  ['name', 'a name that is a keyword or has spaces is written in backticks: `` `stage` ``'],
];

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

function positionAt(text: string, offset: number, line: number, column: number): Position {
  return { offset: Math.min(offset, text.length), line, column };
}

/** The statements of a stretch of text and their syntax diagnostics (unsorted). */
export interface ReadStatements {
  readonly statements: readonly StatementRecord[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads the statements of `tokens` (the lexed text, or the lexed lines of an edit, with their
 * positions in `text`), reusing the trees of unchanged statements found in `cache`.
 */
export function readStatements(
  text: string,
  tokens: readonly IToken[],
  lexErrors: readonly ILexingError[],
  builder: AstBuilder,
  cache: StatementCache | undefined,
): ReadStatements {
  const diagnostics: Diagnostic[] = [];
  for (const e of lexErrors) {
    const ch = text.slice(e.offset, e.offset + e.length);
    const line = e.line ?? 1;
    const column = e.column ?? 1;
    diagnostics.push({
      code: 'R002',
      severity: 'error',
      message: `unexpected character${ch.length > 1 ? 's' : ''} ${ch.includes('`') ? '`` ' + ch + ' ``' : '`' + ch + '`'}`,
      help: ch.includes('`')
        ? 'a backticked name must close on the same line: `` `Lead Source` ``'
        : 'text values go in quotes: `"..."`; comments start with `#`',
      range: {
        start: positionAt(text, e.offset, line, column),
        end: positionAt(text, e.offset + e.length, line, column + e.length),
      },
    });
  }
  for (const t of tokens) {
    if (t.tokenType === UnterminatedString) {
      diagnostics.push({
        code: 'R002',
        severity: 'error',
        message: `this string has no closing \`${t.image[0]}\``,
        help: `close the string with \`${t.image[0]}\` on the same line`,
        range: tokenRange(t),
      });
    }
  }
  const filtered = filterTokens(tokens);
  for (const t of filtered.tooDeep) {
    diagnostics.push({
      code: 'R003',
      severity: 'error',
      message: `this statement nests more than ${MAX_NESTING} levels deep`,
      help: 'split the condition into `segment`s and combine them by name',
      range: tokenRange(t),
    });
  }
  const statements: StatementRecord[] = [];
  const seen = new Set<string>();
  const used = new Set<StatementRecord>();
  const builderStart = builder.diagnostics.length;
  for (const statementTokens of splitStatements(filtered.tokens)) {
    const again = cache?.take(text, statementTokens, used);
    if (again !== undefined) {
      statements.push(again);
      continue;
    }
    const builderBefore = builder.diagnostics.length;
    parser.input = statementTokens;
    const cst = parser.statement();
    for (const error of parser.errors) {
      const range = errorRange(error, statementTokens, text);
      const key = `${range.start.offset}:${error.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const help = error.name === 'NotAllInputParsedException' ? STATEMENT_END_HELP : helpFor(error);
      diagnostics.push({
        code: 'R001',
        severity: 'error',
        message: error.message,
        range,
        ...(help !== undefined ? { help } : {}),
      });
    }
    const statement = builder.statement(cst);
    if (statement === undefined) continue;
    const clean = parser.errors.length === 0 && builder.diagnostics.length === builderBefore;
    statements.push(recordStatement(statement, statementTokens, clean));
  }
  diagnostics.push(...builder.diagnostics.slice(builderStart));
  return { statements, diagnostics };
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
