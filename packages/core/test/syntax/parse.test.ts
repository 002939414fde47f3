import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from '../../src/syntax/parse.js';
import type { RubricFile, WhenRule } from '../../src/index.js';

function slice(file: RubricFile, range: { start: { offset: number }; end: { offset: number } }): string {
  return file.text.slice(range.start.offset, range.end.offset);
}

describe('parse', () => {
  it('parses a file of 10,000 rules', () => {
    const lines = ['lead { job: text\n company.size: number }'];
    for (let i = 0; i < 10_000; i++) lines.push(`when job in [CEO, "VP Sales"] and company.size > ${i} add ${(i % 50) + 1}`);
    const { ast, diagnostics } = parse(lines.join('\n'));
    expect(diagnostics).toEqual([]);
    expect(ast.statements).toHaveLength(10_001);
  });

  it('reports 1,000 nested parentheses as one diagnostic, without overflowing the stack', () => {
    const text = 'when ' + '('.repeat(1000) + 'x > 1' + ')'.repeat(1000) + ' add 5\nwhen y > 2 add 3\n';
    const { ast, diagnostics } = parse(text);
    expect(diagnostics.map((d) => d.code)).toEqual(['R003']);
    expect(diagnostics[0].range.start).toMatchObject({ line: 1, column: 70 });
    expect(ast.statements).toHaveLength(1);
  });

  it('reports 1,000 chained `not`s the same way', () => {
    const { ast, diagnostics } = parse('when ' + 'not '.repeat(1000) + 'x > 1 add 5\nwhen y > 2 add 3\n');
    expect(diagnostics.map((d) => d.code)).toEqual(['R003']);
    expect(ast.statements).toHaveLength(1);
  });

  it('accepts nesting up to the limit', () => {
    const { diagnostics } = parse('when ' + '('.repeat(60) + 'x > 1' + ')'.repeat(60) + ' add 5\n');
    expect(diagnostics).toEqual([]);
  });

  it('gives every node a range whose text is the node', () => {
    const text = 'group fit max 60 {\n  when company.size between 10 and 250 add 15 "Ideal"  # fit\n}\n';
    const { ast } = parse(text);
    const group = ast.statements[0];
    expect(group.kind).toBe('GroupDecl');
    if (group.kind !== 'GroupDecl') return;
    const rule = group.rules[0] as WhenRule;
    expect(slice(ast, rule.range)).toBe('when company.size between 10 and 250 add 15 "Ideal"');
    expect(slice(ast, rule.condition.range)).toBe('company.size between 10 and 250');
    expect(slice(ast, rule.points.range)).toBe('15');
    expect(rule.label?.value).toBe('Ideal');
    expect(slice(ast, group.range)).toBe(text.trimEnd());
    expect(ast.comments).toEqual([
      { kind: 'Comment', text: ' fit', range: expect.objectContaining({ start: expect.objectContaining({ line: 2, column: 56 }) }) },
    ]);
  });

  it('decodes escapes and Unicode', () => {
    const { ast, diagnostics } = parse('let s = "a\\"b\\\\c\\n\\t\\u{1F600}é"\nlet t = \'it\\\'s\'\n');
    expect(diagnostics).toEqual([]);
    const [s, t] = ast.statements;
    expect(s.kind === 'LetDecl' && s.value.kind === 'StringLiteral' && s.value.value).toBe('a"b\\c\n\t😀é');
    expect(t.kind === 'LetDecl' && t.value.kind === 'StringLiteral' && t.value.value).toBe("it's");
  });

  it('reads dates exactly and marks impossible ones', () => {
    const { ast } = parse('let a = 2026-03-01\nlet b = 2026-03-01T09:30:00+02:00\nlet c = 2026-02-30\nlet d = 2024-02-29\n');
    const seconds = ast.statements.map((s) => (s.kind === 'LetDecl' && s.value.kind === 'DateLiteral' ? s.value.epochSeconds : undefined));
    expect(seconds[0]).toBe(Date.UTC(2026, 2, 1) / 1000);
    expect(seconds[1]).toBe(Date.UTC(2026, 2, 1, 7, 30) / 1000);
    expect(seconds[2]).toBeNaN();
    expect(seconds[3]).toBe(Date.UTC(2024, 1, 29) / 1000);
  });

  it('converts durations to exact seconds', () => {
    const { ast } = parse('each a within 2 months add 1 half-life 1 week\n');
    const rule = ast.statements[0];
    expect(rule.kind === 'EachRule' && [rule.within?.seconds, rule.halfLife?.seconds]).toEqual([60 * 86400, 7 * 86400]);
  });

  it('lets a keyword follow a dot, and backticks any name', () => {
    const { ast, diagnostics } = parse('when company.group = x and `stage` = y and `Lead Source` = z add 1\n');
    expect(diagnostics).toEqual([]);
    const rule = ast.statements[0];
    if (rule.kind !== 'WhenRule' || rule.condition.kind !== 'And') throw new Error('expected an and');
    const names = rule.condition.operands.map((o) => (o.kind === 'Compare' && o.left.kind === 'NameRef' ? o.left.name.name : ''));
    expect(names).toEqual(['company.group', 'stage', 'Lead Source']);
  });

  it('keeps a statement going across lines only where the language says so', () => {
    const ok = parse('when a = 1 and\n  b = 2\n  or c = 3 add 1\nwhen d in [x,\n y] add 2\n');
    expect(ok.diagnostics).toEqual([]);
    expect(ok.ast.statements).toHaveLength(2);
    const broken = parse('when a = 1\n  add 1\n');
    expect(broken.diagnostics.map((d) => d.message)).toEqual([
      'expected `add` or `sub`, found the end of the statement',
      'expected a statement (`when`, `each`, `group`, `stage`, `lead`, ...), found `add`',
    ]);
  });

  it('reports every error of a file in one pass and keeps the good statements', () => {
    const { ast, diagnostics } = parse('when a > add 1\nwhen b > 2 add 2\nstage x 40\nstage y at 50\nwhen (c > 1 add 3\nwhen d > 1 add 4\n');
    expect(diagnostics.map((d) => d.range.start.line)).toEqual([1, 3, 5]);
    expect(ast.statements.filter((s) => s.kind === 'WhenRule')).toHaveLength(2);
    expect(ast.statements.filter((s) => s.kind === 'StageDecl').map((s) => s.kind === 'StageDecl' && s.name.name)).toContain('y');
  });

  it('never throws and always returns positions inside the text, whatever the input', () => {
    const pieces = ['when', 'each', 'group', '{', '}', '(', ')', '[', ']', 'and', 'or', 'not', 'add', 'sub', '5', '"s', "'x'", '\n', ';', 'x', 'in', 'stage', 'at', 'test', 'lead', ':', ',', '`', 'é', '=', '>=', 'between', 'days', 'ago'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (words) => {
        const text = words.join(' ');
        const { diagnostics } = parse(text);
        for (const d of diagnostics) {
          expect(d.range.start.offset).toBeGreaterThanOrEqual(0);
          expect(d.range.end.offset).toBeLessThanOrEqual(text.length);
          expect(d.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500, seed: 42 },
    );
  });

  it('names at most three expected things in a message', () => {
    const { diagnostics } = parse('when x\n');
    for (const d of diagnostics) expect((d.message.match(/`[^`]+`/g) ?? []).length).toBeLessThanOrEqual(4);
  });
});

describe('string literals', () => {
  it('reads a string that ends in an escaped backslash', () => {
    const { ast, diagnostics } = parse('let a = "\\\\"\nlet b = \'x\\\\\'\n');
    expect(diagnostics).toEqual([]);
    const values = ast.statements.map((s) => (s.kind === 'LetDecl' && s.value.kind === 'StringLiteral' ? s.value.value : undefined));
    expect(values).toEqual(['\\', 'x\\']);
  });
});

// Found by the fuzzer (notes/fuzz-findings.md F1, F2).
describe('syntax errors the fuzzer found', () => {
  /** Line and column of `offset` in `text`, counting `\n` as the line break. */
  function positionOf(text: string, offset: number): { line: number; column: number } {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length, column: before[before.length - 1].length + 1 };
  }

  it('every R001 has a help, also for a stray word where a statement should start', () => {
    for (const text of ['t', '}', ']', 'not', '""', 'lead{\n', 'lead { a: text }\nlead', 'event n{\n']) {
      for (const d of parse(text).diagnostics) expect(d.help, `${JSON.stringify(text)}: ${d.message}`).toBeTruthy();
    }
    expect(parse('t').diagnostics[0].help).toBe(
      'a statement starts with `lead`, `event`, `data`, `let`, `segment`, `group`, `score range`, `when`, `each`, `stage`, `tier` or `test`; text values go in quotes',
    );
  });

  it('an error at the end of a block left open before a final newline has a line and column that match its offset', () => {
    for (const text of ['lead{\n', 'event n{\n', 'test""{\n', 'lead{\r\n', 'group g {\n  when a add 1\n']) {
      const { ast, diagnostics } = parse(text);
      const ranges = [...diagnostics.map((d) => d.range), ...ast.statements.map((s) => s.range)];
      for (const range of ranges) {
        for (const at of [range.start, range.end]) {
          expect({ line: at.line, column: at.column }, `${JSON.stringify(text)} at ${at.offset}`).toEqual(positionOf(text, at.offset));
        }
      }
    }
  });
});
