import type { DefinitionParams, Location } from 'vscode-languageserver';
import type { DocumentState } from '../document-state.js';
import { symbolAt } from '../symbols.js';
import { toLspRange } from '../text.js';

/** Go to definition: the declaration of the field, event, let, segment, group, stage... under the cursor. */
export function findDefinition(state: DocumentState, params: DefinitionParams): Location | null {
  const hit = symbolAt(state, state.lines.offsetAt(params.position));
  if (hit === undefined) return null;
  return { uri: state.uri, range: toLspRange(hit.declaration.nameRange, state.lines) };
}
