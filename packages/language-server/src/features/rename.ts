import type { Range as CoreRange, SymbolKind } from '@rubric/core';
import type { PrepareRenameParams, Range, RenameParams, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { DocumentState } from '../document-state.js';
import { occurrences, symbolAt } from '../symbols.js';
import { toLspRange } from '../text.js';

/** A rename the user asked for that cannot be done; the server answers it as an error. */
export class RenameError extends Error {}

const RENAMEABLE: ReadonlySet<SymbolKind> = new Set<SymbolKind>([
  'field',
  'event',
  'property',
  'let',
  'segment',
  'group',
  'stage',
  'tier',
  'account-field',
]);

/** Every keyword of the language: a name equal to one must be written in backticks. */
export const KEYWORDS: ReadonlySet<string> = new Set(
  (
    'lead event let segment group max min score range to when each where within half-life up add sub ' +
    'stage at requires tier test now expect and or not in is set missing true false any no count days ' +
    'since last between starts ends contains has of one list text number bool date from ago hours day ' +
    'days week weeks month months year years hour'
  ).split(' '),
);

const PLAIN_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/** One part of a name as it must be written: plain when it can be, else in backticks. */
export function writeNamePart(part: string): string {
  return PLAIN_NAME.test(part) && !KEYWORDS.has(part) ? part : `\`${part}\``;
}

/**
 * Prepare rename: the range of the name under the cursor and its current text, or null when the
 * cursor is not on a renameable symbol (tests are renamed by editing their string).
 */
export function prepareRename(
  state: DocumentState,
  params: PrepareRenameParams,
): { range: Range; placeholder: string } | null {
  const hit = symbolAt(state, state.lines.offsetAt(params.position));
  if (hit === undefined || !RENAMEABLE.has(hit.declaration.kind)) return null;
  return { range: toLspRange(nameRange(state.text, hit.declaration.kind, hit.range), state.lines), placeholder: hit.declaration.name };
}

/** The part of `range` that names the symbol: NAME of `account.NAME` for an account field (issue 17). */
function nameRange(text: string, kind: SymbolKind, range: CoreRange): CoreRange {
  if (kind !== 'account-field') return range;
  const prefix = /^account\s*\.\s*/.exec(text.slice(range.start.offset, range.end.offset));
  if (prefix === null || prefix[0].length >= range.end.offset - range.start.offset) return range;
  const offset = range.start.offset + prefix[0].length;
  return { start: { ...range.start, offset, column: range.start.column + prefix[0].length }, end: range.end };
}

/**
 * Rename: replaces the declaration's name and every reference with `newName`, written in
 * backticks where needed. Throws {@link RenameError} for an invalid or clashing name.
 */
export function rename(state: DocumentState, params: RenameParams): WorkspaceEdit | null {
  const hit = symbolAt(state, state.lines.offsetAt(params.position));
  if (hit === undefined || !RENAMEABLE.has(hit.declaration.kind)) return null;
  const declaration = hit.declaration;
  const newName = params.newName.trim().replace(/`/g, '');
  if (newName === '') throw new RenameError('the new name is empty');
  const parts = declaration.kind === 'field' ? newName.split('.') : [newName];
  if (parts.some((part) => part.trim() === '')) throw new RenameError(`\`${newName}\` is not a valid name`);
  if (newName === declaration.name) return { changes: { [state.uri]: [] } };
  const clash = state.analysis.symbols.declarations.find(
    (other) =>
      other.kind === declaration.kind &&
      other.name === newName &&
      other.key !== declaration.key &&
      (other.container ?? '') === (declaration.container ?? ''),
  );
  if (clash !== undefined) {
    throw new RenameError(`a ${declaration.kind} named \`${newName}\` already exists (line ${state.lines.lineAt(clash.nameRange.start.offset) + 1})`);
  }
  const written = parts.map(writeNamePart).join('.');
  const text = state.text;
  const edits: TextEdit[] = occurrences(state, declaration.key, true).map((range) => {
    let start = range.start.offset;
    let end = range.end.offset;
    // Issue 17: an account field read by a contact rule as `account.NAME`: only NAME changes.
    start = nameRange(text, declaration.kind, range).start.offset;
    // A name written in backticks: replace the backticks too, so the new name decides them.
    if (text[start] !== '`' && text[start - 1] === '`' && text[end] === '`') {
      start--;
      end++;
    }
    return { range: state.lines.rangeOf(start, end), newText: written };
  });
  return { changes: { [state.uri]: edits } };
}
