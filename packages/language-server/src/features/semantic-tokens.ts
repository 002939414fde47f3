import type { Range, SymbolKind } from '@rubric/core';
import type { SemanticTokens, SemanticTokensLegend, SemanticTokensParams } from 'vscode-languageserver';
import type { DocumentState } from '../document-state.js';

/** Token types, indexed by position in the legend. Standard LSP names so every theme colours them. */
const TOKEN_TYPES = ['property', 'event', 'variable', 'function', 'namespace', 'enumMember', 'parameter'] as const;
const TOKEN_MODIFIERS = ['declaration', 'readonly'] as const;

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = {
  tokenTypes: [...TOKEN_TYPES],
  tokenModifiers: [...TOKEN_MODIFIERS],
};

type TokenType = (typeof TOKEN_TYPES)[number];

const TYPE_OF_KIND: Partial<Record<SymbolKind, TokenType>> = {
  field: 'property',
  property: 'parameter',
  event: 'event',
  let: 'variable',
  segment: 'function',
  group: 'namespace',
  stage: 'enumMember',
  tier: 'enumMember',
};

interface Token {
  readonly offset: number;
  readonly line: number;
  readonly character: number;
  readonly length: number;
  readonly type: number;
  readonly modifiers: number;
}

/**
 * Semantic tokens for names (keywords, strings and numbers are the TextMate grammar's job): lead
 * fields, event properties, events, lets, segments, groups, stages and tiers, declarations marked.
 */
export function semanticTokens(state: DocumentState, _params?: SemanticTokensParams): SemanticTokens {
  const tokens: Token[] = [];
  const { byKey } = state.symbolIndex;
  const push = (kind: SymbolKind, range: Range, declaration: boolean): void => {
    const type = TYPE_OF_KIND[kind];
    if (type === undefined) return;
    const length = range.end.offset - range.start.offset;
    if (length <= 0) return;
    // Positions by the client's lines (from offsets: the core's line and column do not end a line
    // at a lone `\r`). A token must lie on one line: clients without multiline token support drop
    // or misplace one that spans lines.
    const start = state.lines.positionAt(range.start.offset);
    const end = state.lines.positionAt(range.end.offset);
    if (start.line !== end.line || end.character - start.character !== length) return;
    let modifiers = declaration ? 1 : 0;
    if (kind === 'let') modifiers |= 2;
    tokens.push({
      offset: range.start.offset,
      line: start.line,
      character: start.character,
      length,
      type: TOKEN_TYPES.indexOf(type),
      modifiers,
    });
  };
  for (const declaration of state.analysis.symbols.declarations) push(declaration.kind, declaration.nameRange, true);
  for (const reference of state.analysis.symbols.references) {
    const declaration = byKey.get(reference.key);
    if (declaration !== undefined) push(declaration.kind, reference.range, false);
  }
  tokens.sort((a, b) => a.offset - b.offset || b.length - a.length);
  const data: number[] = [];
  let lastLine = 0;
  let lastCharacter = 0;
  let lastEnd = -1;
  for (const token of tokens) {
    if (token.offset < lastEnd) continue; // overlapping: keep the first
    const deltaLine = token.line - lastLine;
    const deltaCharacter = deltaLine === 0 ? token.character - lastCharacter : token.character;
    data.push(deltaLine, deltaCharacter, token.length, token.type, token.modifiers);
    lastLine = token.line;
    lastCharacter = token.character;
    lastEnd = token.offset + token.length;
  }
  return { data };
}
