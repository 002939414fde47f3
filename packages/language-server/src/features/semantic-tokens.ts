import { contextualWordRanges, DATA_SETTINGS, DATA_VALUE_DOCS, type LinearDecay, type Range, type Rule, type RunLimit, type Statement, type SymbolKind } from '@rubric/core';
import type { SemanticTokens, SemanticTokensLegend, SemanticTokensParams } from 'vscode-languageserver';
import type { DocumentState } from '../document-state.js';
import { accountWordRanges } from './semantic-tokens-accounts.js';

/** Token types, indexed by position in the legend. Standard LSP names so every theme colours them. */
const TOKEN_TYPES = ['property', 'event', 'variable', 'function', 'namespace', 'enumMember', 'parameter', 'keyword'] as const;
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
  table: 'function',
  'account-field': 'property',
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
 * fields, event properties, events, lets, segments, groups, stages and tiers, declarations marked;
 * and in a `data` block the word `data` and the setting names (keywords: the lexer cannot tell)
 * and the words of a known value (`decimal comma`: enum members).
 */
export function semanticTokens(state: DocumentState, _params?: SemanticTokensParams): SemanticTokens {
  const tokens: Token[] = [];
  const { byKey } = state.symbolIndex;
  const push = (kind: SymbolKind, range: Range, declaration: boolean): void => {
    const type = TYPE_OF_KIND[kind];
    if (type !== undefined) pushType(type, range, declaration, kind === 'let');
  };
  const pushType = (type: TokenType, range: Range, declaration: boolean, constant: boolean): void => {
    const length = range.end.offset - range.start.offset;
    if (length <= 0) return;
    // Positions by the client's lines (from offsets: the core's line and column do not end a line
    // at a lone `\r`). A token must lie on one line: clients without multiline token support drop
    // or misplace one that spans lines.
    const start = state.lines.positionAt(range.start.offset);
    const end = state.lines.positionAt(range.end.offset);
    if (start.line !== end.line || end.character - start.character !== length) return;
    let modifiers = declaration ? 1 : 0;
    if (constant) modifiers |= 2;
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
  // The data block: `data` is no lexer keyword, so the tree says where it and its words are.
  for (const statement of state.analysis.model.file.statements ?? []) {
    if (statement?.kind !== 'DataDecl') continue;
    const start = statement.range.start;
    pushType('keyword', { start, end: { ...start, offset: start.offset + 'data'.length, column: start.column + 'data'.length } }, false, false);
    for (const setting of statement.settings ?? []) {
      if (setting?.name === undefined) continue;
      if ((DATA_SETTINGS as readonly string[]).includes(setting.name.text)) pushType('keyword', setting.name.range, false, false);
      const value = setting.value;
      if (value?.kind === 'DataWords' && DATA_VALUE_DOCS[value.text] !== undefined) {
        for (const word of value.words) pushType('enumMember', word.range, false, false);
      }
    }
  }
  // `count distinct`, `table`: words of the language the lexer reads as names.
  for (const range of contextualWordRanges(state.analysis.model.file)) pushType('keyword', range, false, false);
  // Issue 17: `top` and a test's `account {` (the other account words come with contextualWordRanges).
  for (const range of accountWordRanges(state.analysis.ast)) pushType('keyword', range, false, false);
  // Decay and run limits: `decay`, `per`, `most`, `once` are no lexer keywords either.
  const keywordIn = (word: string, from: number, to: number): void => {
    const at = state.text.slice(from, to).search(new RegExp(`(?<![\\p{L}\\p{N}_])${word}(?![\\p{L}\\p{N}_])`, 'u'));
    if (at < 0) return;
    const offset = from + at;
    const position = { line: 0, column: 0 };
    pushType('keyword', { start: { ...position, offset }, end: { ...position, offset: offset + word.length } }, false, false);
  };
  const decayWords = (linear: LinearDecay | undefined): void => {
    if (linear?.range === undefined || linear.percent === undefined || linear.period === undefined) return;
    keywordIn('decay', linear.range.start.offset, linear.percent.range.start.offset);
    keywordIn('per', linear.percent.range.end.offset, linear.period.range.start.offset);
  };
  const limitWords = (limit: RunLimit | undefined): void => {
    if (limit?.range === undefined || limit.period === undefined) return;
    const countStart = limit.count?.range.start.offset ?? limit.period.range.start.offset;
    keywordIn('most', limit.range.start.offset, countStart);
    if (limit.count === undefined) keywordIn('once', limit.range.start.offset, limit.period.range.start.offset);
    keywordIn('per', limit.count?.range.end.offset ?? limit.range.start.offset, limit.period.range.start.offset);
  };
  const ruleWords = (rule: Rule | undefined): void => {
    if (rule === undefined) return;
    decayWords(rule.linearDecay);
    limitWords(rule.limit);
  };
  const statements = (state.analysis.model.file.statements ?? []).flatMap((statement): readonly Statement[] =>
    // The rules of `score accounts` (issue 17) decay and are limited the same way.
    statement?.kind === 'AccountScoringDecl' ? (statement.statements ?? []) : [statement],
  );
  for (const statement of statements) {
    if (statement?.kind === 'WhenRule' || statement?.kind === 'EachRule') ruleWords(statement);
    else if (statement?.kind === 'GroupDecl') {
      decayWords(statement.linearDecay);
      for (const rule of statement.rules ?? []) ruleWords(rule);
    }
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
