import { SymbolKind } from 'vscode-languageserver';
import { describe, expect, it } from 'vitest';
import { documentSymbols } from '../src/features/document-symbols.js';
import { foldingRanges } from '../src/features/folding-ranges.js';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from '../src/features/semantic-tokens.js';
import { fixture, stateOf } from './helpers.js';

const state = stateOf(fixture('acme.rubric'));

describe('document symbols', () => {
  it('lists declarations in file order with groups holding their rules', () => {
    const symbols = documentSymbols(state);
    expect(symbols.map((s) => s.name).slice(0, 3)).toEqual(['lead', 'email_open', 'email_click']);
    const lead = symbols[0];
    expect(lead.kind).toBe(SymbolKind.Struct);
    expect(lead.children?.map((c) => `${c.name}: ${c.detail}`)).toContain('company.size: number');
    const fit = symbols.find((s) => s.name === 'fit');
    expect(fit?.detail).toBe('group max 60');
    expect(fit?.children?.[0]).toMatchObject({ name: 'Ideal company profile', detail: '+15 points' });
    expect(fit?.children?.[2]).toMatchObject({ name: 'Personal address', detail: '-5 points' });
    expect(symbols.find((s) => s.name === 'sales_ready')?.detail).toBe('stage at 40');
    expect(symbols.filter((s) => s.kind === SymbolKind.Module).map((s) => s.name)).toEqual([
      'SMB services firm that read the guide and saw pricing',
      'student with a personal address',
    ]);
  });

  it('keeps every selection range inside its range', () => {
    const check = (symbols: ReturnType<typeof documentSymbols>): void => {
      for (const s of symbols) {
        expect(s.selectionRange.start.line).toBeGreaterThanOrEqual(s.range.start.line);
        expect(s.selectionRange.end.line).toBeLessThanOrEqual(s.range.end.line);
        if (s.children) check(s.children);
      }
    };
    check(documentSymbols(state));
  });
});

describe('document symbols of a file that reads an export', () => {
  it('shows each field\'s column and the data block\'s settings', () => {
    const text = [
      'lead {',
      '  job: text from "Fonction"',
      '  company.size: number from "Effectif" missing ["n/c"]',
      '}',
      'data {',
      '  missing: ["N/A", "-"]',
      '  numbers: decimal comma',
      '}',
      'when job in [PDG] add 10',
    ].join('\n');
    const symbols = documentSymbols(stateOf(text));
    expect(symbols[0].children?.map((c) => `${c.name}: ${c.detail}`)).toEqual([
      'job: text from "Fonction"',
      'company.size: number from "Effectif"',
    ]);
    const data = symbols.find((s) => s.name === 'data');
    expect(data?.detail).toBe('2 settings');
    expect(data?.children?.map((c) => `${c.name}: ${c.detail}`)).toEqual(['missing: ["N/A", "-"]', 'numbers: decimal comma']);
  });
});

describe('folding ranges', () => {
  it('folds blocks, keeping the closing brace visible, and comment runs', () => {
    const ranges = foldingRanges(stateOf('# a\n# b\n# c\nlead {\n  a: text\n  b: text\n}\nwhen a = x\n  and b = y add 1\n'));
    expect(ranges).toEqual([
      { startLine: 0, endLine: 2, kind: 'comment' },
      { startLine: 3, endLine: 5 },
      { startLine: 7, endLine: 8 },
    ]);
  });

  it('folds groups and tests of the fixture', () => {
    const ranges = foldingRanges(state);
    const lines = state.text.split('\n');
    const fitLine = lines.findIndex((l) => l.startsWith('group fit'));
    expect(ranges).toContainEqual({ startLine: fitLine, endLine: lines.indexOf('}', fitLine) - 1 });
  });
});

describe('semantic tokens', () => {
  it('colours declared names and their uses, sorted and relative', () => {
    const s = stateOf('lead {\n  job: text\n}\nlet ceo = [CEO]\nwhen job in ceo add 1\n');
    const { data } = semanticTokens(s);
    const tokens: { line: number; character: number; length: number; type: string; modifiers: number }[] = [];
    let line = 0;
    let character = 0;
    for (let i = 0; i < data.length; i += 5) {
      line += data[i];
      character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
      tokens.push({ line, character, length: data[i + 2], type: SEMANTIC_TOKENS_LEGEND.tokenTypes[data[i + 3]], modifiers: data[i + 4] });
    }
    expect(tokens).toEqual([
      { line: 1, character: 2, length: 3, type: 'property', modifiers: 1 },
      { line: 3, character: 4, length: 3, type: 'variable', modifiers: 3 },
      { line: 4, character: 5, length: 3, type: 'property', modifiers: 0 },
      { line: 4, character: 12, length: 3, type: 'variable', modifiers: 2 },
    ]);
  });
});
