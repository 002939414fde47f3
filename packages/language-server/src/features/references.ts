import type { Location, ReferenceParams } from 'vscode-languageserver';
import type { DocumentState } from '../document-state.js';
import { occurrences, symbolAt } from '../symbols.js';
import { toLspRange } from '../text.js';

/** Find references: every place the symbol under the cursor is named, in source order. */
export function findReferences(state: DocumentState, params: ReferenceParams): Location[] {
  const hit = symbolAt(state, state.lines.offsetAt(params.position));
  if (hit === undefined) return [];
  return occurrences(state, hit.declaration.key, params.context.includeDeclaration)
    .sort((a, b) => a.start.offset - b.start.offset)
    .map((range) => ({ uri: state.uri, range: toLspRange(range, state.lines) }));
}
