/**
 * One-line canonical texts of parts of a file, for messages and the semantic diff: the same
 * printing as the formatter's, without line breaks or comments, so two texts that differ only in
 * layout give the same string.
 */
import type * as A from '../syntax/ast.js';
import { LineWriter } from './layout.js';
import { AstPrinter } from './print.js';

/** Prints with `print` (which starts its own entry when `ownEntry`) and joins the lines. */
function inline(print: (printer: AstPrinter, writer: LineWriter) => void, ownEntry = false): string {
  const writer = new LineWriter();
  if (!ownEntry) writer.startEntry(writer.containers[0], 'inline', 0, 0);
  print(new AstPrinter(writer, { text: '', comments: [] }, false), writer);
  return writer.lines
    .map((l) => l.text)
    .filter((t) => t !== '')
    .join(' ');
}

/** `company.size > 50 and job in [CEO, CTO]`. */
export function conditionText(condition: A.Condition): string {
  return inline((p) => p.condition(condition, 0));
}

/** A whole statement on one line (`when job in [CEO] add 10 "Decision maker"`). */
export function statementText(statement: A.Statement): string {
  return inline((p, w) => p.statement(statement, w.containers[0]), true);
}

/** What an `each` rule counts: `page_view where url starts "/pricing" within 30 days`. */
export function eachQueryText(rule: A.EachRule): string {
  return inline((p) => p.eachQuery(rule));
}

/** A value or list as written canonically (`[CEO, "VP Sales"]`, `"x"`, `1_000`). */
export function valueText(value: A.Value | A.ListLiteral): string {
  return inline((p) => (value.kind === 'ListLiteral' ? p.list(value) : p.value(value)));
}

/** `30 days`. */
export function durationText(duration: A.Duration): string {
  return `${duration.amount.raw} ${duration.unitRaw}`;
}
