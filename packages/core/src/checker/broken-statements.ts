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
  const comments = (file.comments ?? []).map((c) => [c.range.start.offset, c.range.end.offset] as const).sort((a, b) => a[0] - b[0]);
  const done = new Set<string>();
  // Matches in place (no copy of the stretch: a broken statement may be megabytes long).
  const collect = (start: number, end: number): void => {
    const key = `${start}:${end}`;
    if (start >= end || done.has(key)) return;
    done.add(key);
    const name = new RegExp(NAME.source, 'gu');
    name.lastIndex = start;
    let comment = 0;
    for (let match = name.exec(text); match !== null && match.index < end; match = name.exec(text)) {
      while (comment < comments.length && comments[comment][1] <= match.index) comment++;
      if (comment < comments.length && comments[comment][0] <= match.index) continue;
      const word = match.index + match[0].length <= end ? match[0] : match[0].slice(0, end - match.index);
      names.add(word);
      if (word.includes('.')) for (const part of word.split('.')) names.add(part);
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
