import type { DefinitionParams, Location } from 'vscode-languageserver';
import type { DocumentState } from '../document-state.js';
import { symbolAt } from '../symbols.js';
import { toLspRange } from '../text.js';
import { accountDefinitionAt } from './definition-accounts.js';

/**
 * Go to definition: the declaration of the field, event, let, segment, group, stage... under the
 * cursor, at either level of a file with accounts; else the account word's source (issue 17).
 */
export function findDefinition(state: DocumentState, params: DefinitionParams): Location | null {
  const offset = state.lines.offsetAt(params.position);
  const hit = symbolAt(state, offset);
  if (hit !== undefined) return { uri: state.uri, range: toLspRange(hit.declaration.nameRange, state.lines) };
  const account = accountDefinitionAt(state, offset);
  return account === undefined ? null : { uri: state.uri, range: toLspRange(account, state.lines) };
}
