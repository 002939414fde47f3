/**
 * The text of statements that did not parse. The parser drops a statement it cannot read, so
 * the checker never sees the names it uses; warnings that a name is unused would then point at
 * the declaration instead of at the broken line (issue 15). This module finds, for each syntax
 * error, the stretch of text the parsed tree does not cover around it, and the names written there.
 */
import type { Range, RubricFile } from '../syntax/ast.js';

/** A name as written in rule text: a word, or dotted words (`company.size`). */
const NAME = /[\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}_][\p{L}\p{N}_]*)*/gu;

/** `[start, end)` offsets of the parsed pieces: top-level statements, and a group's rules rather than the group. */
function parsedSpans(file: RubricFile): [number, number][] {
  const spans: [number, number][] = [];
  for (const statement of file.statements ?? []) {
    if (statement === undefined || statement === null) continue;
    if (statement.kind === 'GroupDecl') {
      // A broken rule inside a group leaves the group parsed: its rules are the pieces.
      for (const rule of statement.rules ?? []) if (rule !== undefined && rule !== null) spans.push([rule.range.start.offset, rule.range.end.offset]);
    } else {
      spans.push([statement.range.start.offset, statement.range.end.offset]);
    }
  }
  return spans.sort((a, b) => a[0] - b[0]);
}

/** The text outside comments of `[start, end)`. */
function withoutComments(file: RubricFile, start: number, end: number): string {
  let text = '';
  let at = start;
  for (const comment of file.comments ?? []) {
    const from = comment.range.start.offset;
    const to = comment.range.end.offset;
    if (to <= at || from >= end) continue;
    text += file.text.slice(at, Math.max(at, from));
    at = Math.max(at, to);
  }
  return text + file.text.slice(at, Math.max(at, end));
}

/**
 * Every name (word or dotted name, with each of a dotted name's parts) that the text of a
 * statement broken by one of `syntaxErrors` mentions. For each error, that text is the stretch
 * between the parsed pieces before and after it (what the parser dropped), plus the error's own
 * lines (a statement the parser kept may have lost a part). Comments do not count. Empty when
 * there is no syntax error, so a file that parses is checked as before.
 */
export function namesInBrokenStatements(file: RubricFile, syntaxErrors: readonly Range[]): ReadonlySet<string> {
  const names = new Set<string>();
  if (syntaxErrors.length === 0 || typeof file.text !== 'string') return names;
  const text = file.text;
  const spans = parsedSpans(file);
  const collect = (start: number, end: number): void => {
    for (const match of withoutComments(file, start, end).matchAll(NAME)) {
      names.add(match[0]);
      if (match[0].includes('.')) for (const part of match[0].split('.')) names.add(part);
    }
  };
  for (const error of syntaxErrors) {
    const at = Math.min(Math.max(error.start.offset, 0), text.length);
    let before = 0;
    let after = text.length;
    for (const [start, end] of spans) {
      if (end <= at) before = Math.max(before, end);
      if (start >= at) after = Math.min(after, start);
    }
    if (before <= after) collect(before, after);
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const endAt = Math.max(at, Math.min(Math.max(error.end.offset, at), text.length));
    const lineEnd = text.indexOf('\n', endAt);
    collect(lineStart, lineEnd === -1 ? text.length : lineEnd);
  }
  return names;
}
