import { FoldingRangeKind, type FoldingRange, type FoldingRangeParams } from 'vscode-languageserver';
import type { Statement } from '@rubric/core';
import type { DocumentState } from '../document-state.js';

/**
 * Folding ranges: every statement spanning lines (lead, events with properties, groups, tests,
 * long conditions) and every run of two or more comment lines. A block's closing `}` stays visible.
 */
export function foldingRanges(state: DocumentState, _params?: FoldingRangeParams): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const text = state.text;
  // Lines as the client counts them (from offsets: the core does not end a line at a lone `\r`).
  const lineAt = (offset: number): number => state.lines.lineAt(offset);
  // The statements of `score accounts` (issue 17) fold like top-level ones (a group in it, ...).
  const statements = state.analysis.ast.statements.flatMap((statement): readonly Statement[] =>
    statement.kind === 'AccountScoringDecl' ? [statement, ...statement.statements] : [statement],
  );
  for (const statement of statements) {
    const startLine = lineAt(statement.range.start.offset);
    let endLine = lineAt(statement.range.end.offset);
    const last = text[statement.range.end.offset - 1];
    if (last === '}' && endLine > startLine) endLine--;
    if (endLine > startLine) ranges.push({ startLine, endLine });
    if (statement.kind === 'TestDecl') {
      // A test's `events { }` block folds on its own.
      const events = statement.events;
      if (events.length > 1) {
        const first = lineAt(events[0].range.start.offset);
        const lastLine = lineAt(events[events.length - 1].range.end.offset);
        if (lastLine > first) ranges.push({ startLine: Math.max(startLine, first - 1), endLine: lastLine });
      }
    }
  }
  const comments = state.analysis.ast.comments;
  let runStart = -1;
  let previous = -2;
  const closeRun = (): void => {
    if (runStart >= 0 && previous > runStart) ranges.push({ startLine: runStart, endLine: previous, kind: FoldingRangeKind.Comment });
  };
  for (const comment of comments) {
    const line = lineAt(comment.range.start.offset);
    const ownLine = state.lines.lineText(line).trimStart().startsWith('#');
    if (ownLine && line === previous + 1) {
      previous = line;
      continue;
    }
    closeRun();
    runStart = ownLine ? line : -1;
    previous = ownLine ? line : -2;
  }
  closeRun();
  return ranges.sort((a, b) => a.startLine - b.startLine);
}
