import { format, formatRange as formatCoreRange } from '@rubric/core';
import type { DocumentFormattingParams, DocumentRangeFormattingParams, TextEdit } from 'vscode-languageserver';
import type { DocumentState } from '../document-state.js';
import { toLspRange } from '../text.js';

/** Whether the core has a formatter (the server advertises formatting only then). */
export function formatterAvailable(): boolean {
  return typeof format === 'function';
}

/** One edit replacing the part of `before` that differs from `after` (common prefix and suffix kept). */
function minimalEdit(state: DocumentState, before: string, after: string): TextEdit[] {
  if (before === after) return [];
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  return [{ range: state.lines.rangeOf(prefix, before.length - suffix), newText: after.slice(prefix, after.length - suffix) }];
}

/**
 * Formats the whole document with the core's formatter. No edits when the text has syntax errors
 * (the formatter leaves broken code as written) or is already formatted; the edit is the smallest
 * one that turns the text into the formatted text, so the cursor and folds move little.
 */
export function formatDocument(state: DocumentState, _params: DocumentFormattingParams): TextEdit[] {
  const result = format(state.text, { uri: state.uri });
  if (!result.changed || result.internalError !== undefined) return [];
  return minimalEdit(state, state.text, result.text);
}

/** Formats the top-level statements the range touches (whole lines; a group is formatted whole). */
export function formatRange(state: DocumentState, params: DocumentRangeFormattingParams): TextEdit[] {
  const span = { start: state.lines.offsetAt(params.range.start), end: state.lines.offsetAt(params.range.end) };
  const result = formatCoreRange(state.text, span, { uri: state.uri });
  if (result.internalError !== undefined) return [];
  return result.edits.map((edit) => ({ range: toLspRange(edit.range, state.lines), newText: edit.newText }));
}
