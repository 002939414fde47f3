import type { Range } from '@rubric/core';
import type { SymbolDeclaration } from '@rubric/core';
import type { DocumentState } from './document-state.js';
import { containsOffset } from './text.js';

/** A symbol under the cursor: its declaration and the name range the cursor is on. */
export interface SymbolHit {
  readonly declaration: SymbolDeclaration;
  /** The range of the name under the cursor (the declaration's name or a reference). */
  readonly range: Range;
  readonly isDeclaration: boolean;
}

/**
 * The declaration or reference at `offset`. A cursor just after a name counts as on it, but a
 * name that really contains the cursor wins, then the narrowest.
 */
export function symbolAt(state: DocumentState, offset: number): SymbolHit | undefined {
  const hits: SymbolHit[] = [];
  const { byKey } = state.symbolIndex;
  for (const declaration of state.analysis.symbols.declarations) {
    if (containsOffset(declaration.nameRange, offset)) {
      hits.push({ declaration, range: declaration.nameRange, isDeclaration: true });
    }
  }
  for (const reference of state.analysis.symbols.references) {
    if (!containsOffset(reference.range, offset)) continue;
    const declaration = byKey.get(reference.key);
    if (declaration !== undefined) hits.push({ declaration, range: reference.range, isDeclaration: false });
  }
  const score = (hit: SymbolHit): number =>
    (hit.range.end.offset === offset && hit.range.start.offset !== offset ? 1e9 : 0) +
    (hit.range.end.offset - hit.range.start.offset);
  hits.sort((a, b) => score(a) - score(b));
  return hits[0];
}

/** Every range where the symbol `key` is named: its declaration (when asked) then its references. */
export function occurrences(state: DocumentState, key: string, includeDeclaration: boolean): Range[] {
  const ranges: Range[] = [];
  const declaration = state.symbolIndex.byKey.get(key);
  if (includeDeclaration && declaration !== undefined) ranges.push(declaration.nameRange);
  for (const reference of state.symbolIndex.references.get(key) ?? []) ranges.push(reference.range);
  return ranges;
}
