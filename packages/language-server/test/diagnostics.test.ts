import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import { describe, expect, it } from 'vitest';
import type { DiagnosticData } from '../src/features/diagnostics.js';
import { computeDiagnostics, toLspDiagnostic } from '../src/features/diagnostics.js';
import { fixture, stateOf } from './helpers.js';
import { LineIndex } from '../src/text.js';

describe('diagnostics', () => {
  it('reports every problem of a broken file with code, 0-based range, help and fixes', () => {
    const diagnostics = computeDiagnostics(stateOf(fixture('broken.rubric')));
    const unknown = diagnostics.find((d) => d.code === 'R010');
    expect(unknown).toMatchObject({
      severity: DiagnosticSeverity.Error,
      source: 'rubric',
      range: { start: { line: 8, character: 5 }, end: { line: 8, character: 17 } },
    });
    expect(unknown?.message).toMatch(/^unknown field `compnay.size`; did you mean `company.size`\?\nhelp: /);
    const data = unknown?.data as DiagnosticData;
    expect(data.fixes.map((f) => f.title)).toContain('replace with `company.size`');
    expect(data.fixes[0].edits[0]).toEqual({ range: unknown?.range, newText: 'company.size' });
    // The syntax error on the last rule does not hide the checker's findings.
    const codes = diagnostics.map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['R001', 'R010', 'R015', 'R030']));
  });

  it('marks unused declarations as unnecessary', () => {
    // (A file whose names all resolve: while a name is unknown, the checker reports the typo alone.)
    const diagnostics = computeDiagnostics(stateOf('lead {\n  job: text\n  phone: text\n}\nlet titles = [CEO]\nwhen job = CTO add 5\n'));
    const unused = diagnostics.filter((d) => d.code === 'R026');
    expect(unused.length).toBeGreaterThan(0);
    for (const d of unused) {
      expect(d.severity).toBe(DiagnosticSeverity.Warning);
      expect(d.tags).toEqual([DiagnosticTag.Unnecessary]);
    }
  });

  it('turns related information into locations in the same document', () => {
    const lsp = toLspDiagnostic(
      {
        code: 'R017',
        severity: 'error',
        message: 'duplicate name `fit`',
        range: { start: { offset: 19, line: 2, column: 7 }, end: { offset: 22, line: 2, column: 10 } },
        related: [{ message: 'first declared here', range: { start: { offset: 6, line: 1, column: 7 }, end: { offset: 9, line: 1, column: 10 } } }],
      },
      'file:///x.rubric',
      new LineIndex('group fit {}\ngroup fit {}\n'),
    );
    expect(lsp.relatedInformation).toEqual([
      { message: 'first declared here', location: { uri: 'file:///x.rubric', range: { start: { line: 0, character: 6 }, end: { line: 0, character: 9 } } } },
    ]);
    expect(lsp.message).toBe('duplicate name `fit`');
    expect(lsp.data).toBeUndefined();
  });

  it('gives any text diagnostics without throwing', () => {
    const inputs = [
      '',
      '}}}}',
      'when',
      'lead { a: }',
      '"unterminated',
      'when (((((((((( add 5',
      '\u0000\u0001 lead',
      'group g { when x add 1',
      'test "t" { expect score }',
      '`' + 'x'.repeat(1000),
      'when a in [' + '1, '.repeat(500),
    ];
    for (const text of inputs) {
      const diagnostics = computeDiagnostics(stateOf(text));
      expect(diagnostics.length, JSON.stringify(text)).toBeGreaterThan(0);
      for (const d of diagnostics) expect(typeof d.code).toBe('string');
    }
  });

  it('reports nothing but warnings for a correct file', () => {
    const diagnostics = computeDiagnostics(stateOf(fixture('acme.rubric')));
    expect(diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error)).toEqual([]);
  });
});
