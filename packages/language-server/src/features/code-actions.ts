import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
} from 'vscode-languageserver';
import type { DocumentState } from '../document-state.js';
import { sameRange } from '../text.js';
import { toLspDiagnostic } from './diagnostics.js';

function overlaps(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  const before = (x: { line: number; character: number }, y: { line: number; character: number }): boolean =>
    x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/**
 * Quick fixes: every fix the core attached to a diagnostic in the requested range (did-you-mean,
 * add a field to the lead schema, quote a value), from the current analysis so they never apply
 * to stale text. The first fix of each diagnostic is the preferred one.
 */
export function codeActions(state: DocumentState, params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  if (only !== undefined && only.length > 0 && !only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
  const actions: CodeAction[] = [];
  for (const core of state.analysis.diagnostics) {
    // An allowed warning (`# rubric: allow`) is not shown, so it offers no fix either.
    if (core.fixes === undefined || core.fixes.length === 0 || core.allowed === true) continue;
    const diagnostic = toLspDiagnostic(core, state.uri, state.lines);
    if (!overlaps(diagnostic.range, params.range)) continue;
    // Attach the client's own copy of the diagnostic when it sent one (so the editor links them).
    const clientCopy = params.context.diagnostics.find(
      (d) => d.code === diagnostic.code && sameRange(d.range, diagnostic.range),
    );
    core.fixes.forEach((fix, index) => {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [clientCopy ?? diagnostic],
        isPreferred: index === 0,
        edit: {
          changes: {
            [state.uri]: fix.edits.map((edit) => ({
              range: state.lines.rangeOf(edit.range.start.offset, edit.range.end.offset),
              newText: edit.newText,
            })),
          },
        },
      });
    });
  }
  return actions;
}
