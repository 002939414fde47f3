import type { Diagnostic as CoreDiagnostic, Fix } from '@rubric/core';
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type TextEdit,
} from 'vscode-languageserver';
import type { DocumentState } from '../document-state.js';
import { toLspRange, type LineIndex } from '../text.js';

/** A quick fix carried in an LSP diagnostic's `data`, so code actions need not re-check. */
export interface DiagnosticFixData {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

/** What the server puts in `Diagnostic.data`. */
export interface DiagnosticData {
  readonly fixes: readonly DiagnosticFixData[];
}

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
} as const;

/** The code that marks a crash of the core (not a problem of the file). */
export const INTERNAL_ERROR_CODE = 'R999';

/** Converts a core fix to its LSP form; `lines` indexes the text the fix edits. */
export function toFixData(fix: Fix, lines: LineIndex): DiagnosticFixData {
  return { title: fix.title, edits: fix.edits.map((edit) => ({ range: toLspRange(edit.range, lines), newText: edit.newText })) };
}

/**
 * One core diagnostic as an LSP diagnostic: `help` appended to the message, fixes in `data`.
 * `lines` indexes the text of the document `uri` that was checked; ranges follow the client's lines.
 */
export function toLspDiagnostic(diagnostic: CoreDiagnostic, uri: string, lines: LineIndex): Diagnostic {
  const message = diagnostic.help ? `${diagnostic.message}\nhelp: ${diagnostic.help}` : diagnostic.message;
  const result: Diagnostic = {
    range: toLspRange(diagnostic.range, lines),
    severity: SEVERITY[diagnostic.severity],
    code: diagnostic.code,
    source: 'rubric',
    message,
  };
  if (diagnostic.related !== undefined && diagnostic.related.length > 0) {
    result.relatedInformation = diagnostic.related.map(
      (related): DiagnosticRelatedInformation => ({
        location: { uri, range: toLspRange(related.range, lines) },
        message: related.message,
      }),
    );
  }
  if (diagnostic.fixes !== undefined && diagnostic.fixes.length > 0) {
    const data: DiagnosticData = { fixes: diagnostic.fixes.map((fix) => toFixData(fix, lines)) };
    result.data = data;
  }
  // Unused declarations are shown faded, as editors do for unused code.
  if (diagnostic.code === 'R026') result.tags = [DiagnosticTag.Unnecessary];
  return result;
}

/**
 * Every diagnostic of the document, in LSP form, but the warnings a `# rubric: allow` comment
 * accepts (`allowed`). Never empty-handed on a core crash.
 */
export function computeDiagnostics(state: DocumentState): Diagnostic[] {
  const diagnostics = state.analysis.diagnostics.filter((d) => d.allowed !== true).map((d) => toLspDiagnostic(d, state.uri, state.lines));
  const crash = state.analysisError;
  if (crash !== undefined) {
    diagnostics.unshift({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Error,
      code: INTERNAL_ERROR_CODE,
      source: 'rubric',
      message: `internal error while checking this file: ${crash}\nhelp: please report this with the file attached; other features may be incomplete`,
    });
  }
  return diagnostics;
}

