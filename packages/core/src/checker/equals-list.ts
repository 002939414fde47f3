/**
 * `when job = [CEO, DAF]`: `=` takes one value, so the parser stops at `[` with a generic "expected
 * a value". docs/language.md promises R032 with the `in` fix, as for a list `let` after `=`
 * (resolve-condition.ts). This turns that one syntax error into the R032 the checker would give.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Position, Range } from '../syntax/ast.js';
import type { Model } from './model.js';

/** The subject, spaces, and `=` or `!=`, right before the `[` (dotted names allowed). */
const BEFORE_BRACKET = /([\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}_][\p{L}\p{N}_]*)*)([ \t]*)(!=|=)[ \t]*$/u;

/** Lists longer than this are shortened in the message (the fix edits only the operator). */
const MAX_SHOWN_LIST = 60;

function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/** The offset after the `]` that closes the `[` at `open`, on the same line; quotes respected. */
function closingBracket(text: string, open: number): number | undefined {
  let quote: string | undefined;
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') return undefined;
    if (quote !== undefined) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ']') return i + 1;
    else if (ch === '[') return undefined;
  }
  return undefined;
}

/**
 * False when `name` is declared (as a lead field or an event property) only with types that `in`
 * does not take (number, date, bool, list): `in` would not be the fix there.
 */
function inFits(model: Model | undefined, name: string): boolean {
  if (model === undefined) return true;
  const kinds = [model.fields.get(name)?.type.kind, ...[...model.events.values()].map((event) => event.properties.get(name)?.type.kind)].filter(
    (kind) => kind !== undefined,
  );
  return kinds.length === 0 || kinds.some((kind) => kind === 'text' || kind === 'one-of');
}

/**
 * The R032 for a syntax error `error` at a `[` right after `subject =` (or `!=`) in `text`, or
 * undefined when `error` is anything else or `subject` is declared with a type `in` does not take
 * in `model`. Its quick fix replaces the operator with `in` (`not in`).
 */
export function equalsListDiagnostic(text: string, error: Diagnostic, model?: Model): Diagnostic | undefined {
  if (error.code !== 'R001') return undefined;
  const open = error.range.start.offset;
  if (text[open] !== '[') return undefined;
  const lineStart = text.lastIndexOf('\n', open - 1) + 1;
  const match = BEFORE_BRACKET.exec(text.slice(lineStart, open));
  if (match === null) return undefined;
  const [, subject, , operator] = match;
  if (!inFits(model, subject)) return undefined;
  const operatorStart = lineStart + match.index + subject.length + match[2].length;
  const operatorRange: Range = { start: positionAt(text, operatorStart), end: positionAt(text, operatorStart + operator.length) };
  const close = closingBracket(text, open);
  const list = close === undefined ? '[...]' : text.slice(open, close);
  const shown = list.length > MAX_SHOWN_LIST ? `${list.slice(0, MAX_SHOWN_LIST - 4)} ...]` : list;
  const replacement = operator === '=' ? 'in' : 'not in';
  const range: Range = close === undefined ? error.range : { start: error.range.start, end: positionAt(text, close) };
  return {
    code: 'R032',
    severity: 'error',
    message: `\`${operator}\` compares with one value; to test a list write \`${subject} ${replacement} ${shown}\``,
    range,
    help: `\`${replacement}\` is true when \`${subject}\` is ${operator === '=' ? 'one' : 'none'} of the list's values`,
    fixes: [{ title: `write \`${subject} ${replacement} ${shown}\``, edits: [{ range: operatorRange, newText: replacement }] }],
  };
}
