import type { FieldDecl, Range as CoreRange, Rule, Statement, TypeExpr } from '@rubric/core';
import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams } from 'vscode-languageserver';
import type { DocumentState } from '../document-state.js';
import { sliceRange, toLspRange, type LineIndex } from '../text.js';

function symbol(
  lines: LineIndex,
  name: string,
  kind: SymbolKind,
  range: CoreRange,
  selection: CoreRange,
  detail?: string,
  children?: DocumentSymbol[],
): DocumentSymbol {
  const result: DocumentSymbol = { name: name === '' ? '?' : name, kind, range: toLspRange(range, lines), selectionRange: toLspRange(selection, lines) };
  if (detail !== undefined) result.detail = detail;
  if (children !== undefined && children.length > 0) result.children = children;
  return result;
}

/** A type as written, for the outline (`one of [a, b]`). */
export function typeText(text: string, type: TypeExpr): string {
  return sliceRange(text, type.range).replace(/\s+/g, ' ');
}

function field(state: DocumentState, decl: FieldDecl): DocumentSymbol {
  // The column matters as much as the type when the data names it differently.
  const column = decl.from === undefined ? '' : ` from ${sliceRange(state.text, decl.from.range)}`;
  return symbol(state.lines, decl.name.name, SymbolKind.Field, decl.range, decl.name.range, typeText(state.text, decl.type) + column);
}

function signed(sign: 'add' | 'sub', raw: string): string {
  return `${sign === 'add' ? '+' : '-'}${raw}`;
}

function rule(state: DocumentState, decl: Rule): DocumentSymbol {
  // A rule has no name: show its label, else its first words.
  const head = decl.label?.value ?? sliceRange(state.text, decl.range).replace(/\s+/g, ' ').slice(0, 60);
  const selection = decl.label?.range ?? decl.range;
  return symbol(state.lines, head, SymbolKind.Method, decl.range, selection, `${signed(decl.sign, decl.points.raw)} points`);
}

function statementSymbol(state: DocumentState, statement: Statement): DocumentSymbol | undefined {
  switch (statement.kind) {
    case 'LeadDecl':
      return symbol(state.lines, 'lead', SymbolKind.Struct, statement.range, statement.range, `${statement.fields.length} fields`,
        statement.fields.map((f) => field(state, f)));
    case 'EventDecl':
      return symbol(state.lines, statement.name.name, SymbolKind.Event, statement.range, statement.name.range, 'event',
        statement.properties.map((f) => field(state, f)));
    case 'LetDecl':
      return symbol(state.lines, statement.name.name, SymbolKind.Constant, statement.range, statement.name.range,
        sliceRange(state.text, statement.value.range).replace(/\s+/g, ' '));
    case 'SegmentDecl':
      return symbol(state.lines, statement.name.name, SymbolKind.Boolean, statement.range, statement.name.range, 'segment');
    case 'GroupDecl': {
      const bounds = [statement.max ? `max ${statement.max.raw}` : '', statement.min ? `min ${statement.min.raw}` : '']
        .filter(Boolean)
        .join(' ');
      return symbol(state.lines, statement.name.name, SymbolKind.Namespace, statement.range, statement.name.range,
        bounds === '' ? 'group' : `group ${bounds}`, statement.rules.map((r) => rule(state, r)));
    }
    case 'WhenRule':
    case 'EachRule':
      return rule(state, statement);
    case 'ScoreRangeDecl':
      return symbol(state.lines, 'score range', SymbolKind.Number, statement.range, statement.range, `${statement.min.raw} to ${statement.max.raw}`);
    case 'StageDecl':
      return symbol(state.lines, statement.name.name, SymbolKind.EnumMember, statement.range, statement.name.range, `stage at ${statement.threshold.raw}`);
    case 'TierDecl':
      return symbol(state.lines, statement.name.name, SymbolKind.EnumMember, statement.range, statement.name.range, 'tier');
    case 'TestDecl':
      return symbol(state.lines, statement.name.value, SymbolKind.Module, statement.range, statement.name.range, 'test');
    case 'DataDecl':
      // How the data writes its values: one child per setting, its value as written.
      return symbol(state.lines, 'data', SymbolKind.Struct, statement.range, statement.range, `${statement.settings.length} settings`,
        statement.settings.map((setting) =>
          symbol(state.lines, setting.name.text, SymbolKind.Property, setting.range, setting.name.range,
            sliceRange(state.text, setting.value.range).replace(/\s+/g, ' '))));
    case 'AccountDecl':
      // Issue 17: the account schema, its key in the detail (`id = company.id`).
      return symbol(state.lines, 'account', SymbolKind.Struct, statement.range, statement.keyword.range,
        `${statement.key.name} = ${statement.leadKey.name}, ${statement.fields.length} fields`,
        statement.fields.map((f) => field(state, f)));
    case 'AccountScoringDecl': {
      // The account's rules, groups, stages and tiers, nested as at the top level.
      const children: DocumentSymbol[] = [];
      for (const inner of statement.statements) {
        const item = statementSymbol(state, inner);
        if (item !== undefined) children.push(item);
      }
      return symbol(state.lines, 'score accounts', SymbolKind.Class, statement.range, statement.keyword.range, 'account rules', children);
    }
    case 'TableDecl':
      // A synonym table: one child per line, named by its value, its patterns as detail.
      return symbol(state.lines, statement.name.name, SymbolKind.Function, statement.range, statement.name.range, `table, ${statement.lines.length} lines`,
        statement.lines.map((line) =>
          symbol(state.lines, sliceRange(state.text, line.output.range), SymbolKind.EnumMember, line.range, line.output.range,
            line.patterns.map((p) => sliceRange(state.text, p.range)).join(', '))));
  }
}

/** The outline: declarations, groups with their rules, stages, tiers and tests, in file order. */
export function documentSymbols(state: DocumentState, _params?: DocumentSymbolParams): DocumentSymbol[] {
  const result: DocumentSymbol[] = [];
  for (const statement of state.analysis.ast.statements) {
    const item = statementSymbol(state, statement);
    if (item !== undefined) result.push(item);
  }
  return result;
}
