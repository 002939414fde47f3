/**
 * Re-parsing after an edit. Only the statements on the changed lines, and one untouched statement
 * on each side, are lexed and read again; the statements before keep their trees, the ones after
 * keep theirs shifted by the size of the edit. Tokens never span lines and a statement's extent
 * depends only on its own tokens and its neighbours', so this gives the same result as parsing
 * the whole text; when that cannot be shown cheaply (errors outside the edited statements, or
 * statements that did not split as before) it declines and the whole text is parsed.
 */
import type { Comment } from './ast.js';
import { AstBuilder } from './cst-to-ast.js';
import { lexText } from './lex.js';
import { endsInOpenBlock } from './tokens.js';
import type { ParseResult } from './parse.js';
import { readStatements, reportedDiagnostics, sortedWithoutCascades } from './read-statements.js';
import { remember, shiftPositions, shiftRecord, StatementCache, type ParseMemory, type StatementRecord } from './reuse.js';

/** Re-parses `text`, an edit of `memory.text`; undefined when the whole text must be parsed. */
export function reparseEdit(text: string, uri: string, memory: ParseMemory): ParseResult | undefined {
  const old = memory.text;
  const records = memory.statements;
  const shorter = Math.min(old.length, text.length);
  let prefix = 0;
  while (prefix < shorter && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;

  // The changed lines of the old text, and the statements touching them.
  const changeStart = prefix === 0 ? 0 : old.lastIndexOf('\n', prefix - 1) + 1;
  const newline = old.indexOf('\n', old.length - suffix);
  const changeEnd = newline === -1 ? old.length : newline;
  let firstTouched = 0;
  while (firstTouched < records.length && records[firstTouched].end < changeStart) firstTouched++;
  let lastTouched = firstTouched - 1;
  while (lastTouched + 1 < records.length && records[lastTouched + 1].start <= changeEnd) lastTouched++;
  const before = firstTouched - 1;
  const after = lastTouched + 1;
  if (before < 0 && after >= records.length) return undefined;

  const oldFrom = before >= 0 ? records[before].start : 0;
  const oldTo = after < records.length ? records[after].end : old.length;
  // Statements outside the region are reused as they are: they must have been read cleanly,
  // and every old diagnostic must be one the region will report again (or not).
  for (let i = 0; i < records.length; i++) if ((i < before || i > after) && !records[i].clean) return undefined;
  for (const d of memory.diagnostics) if (d.range.start.offset < oldFrom || d.range.end.offset > oldTo) return undefined;

  const offsetDelta = text.length - old.length;
  const lineDelta = countNewlines(text, prefix, text.length - suffix) - countNewlines(old, prefix, old.length - suffix);
  const from = oldFrom;
  const to = after < records.length ? oldTo + offsetDelta : text.length;
  const baseLine = before >= 0 ? records[before].line : 1;
  const baseColumn = before >= 0 ? records[before].column : 1;
  const lexed = lexText(text, from, to, baseLine, baseColumn);
  if (after < records.length && lexed.end !== to) return undefined;
  // A statement left open at the end of the region (an unclosed `{`, `(` or `[`) would, in a
  // whole parse, go on into the statements after it: they cannot be reused as they are.
  if (after < records.length && (lexed.bracketOpen || endsInOpenBlock(lexed.tokens))) return undefined;

  const builder = new AstBuilder(text, uri);
  const region = records.slice(Math.max(before, 0), Math.min(after, records.length - 1) + 1);
  const read = readStatements(text, lexed, builder, new StatementCache(old, region));
  if (read.stoppedAt !== undefined) return undefined;
  // The edited statements must still begin and end where the untouched ones did.
  const first = read.statements[0];
  const final = read.statements[read.statements.length - 1];
  if (before >= 0 && first?.start !== from) return undefined;
  if (after < records.length && final?.end !== to) return undefined;

  const statements: StatementRecord[] = records.slice(0, Math.max(before, 0));
  for (const record of read.statements) statements.push(record);
  for (let i = after + 1; i < records.length; i++) statements.push(shiftRecord(records[i], offsetDelta, lineDelta));
  const comments: Comment[] = [];
  for (const comment of memory.comments) if (comment.range.end.offset <= oldFrom) comments.push(comment);
  for (const comment of lexed.comments) comments.push(comment);
  for (const comment of memory.comments) {
    if (comment.range.start.offset >= oldTo) comments.push(shiftPositions(comment, offsetDelta, lineDelta));
  }
  const ast = builder.file(
    statements.map((r) => r.statement),
    comments,
  );
  const diagnostics = sortedWithoutCascades(read.diagnostics);
  remember(ast, { text, statements, comments, diagnostics });
  return { ast, diagnostics: reportedDiagnostics(diagnostics) };
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
