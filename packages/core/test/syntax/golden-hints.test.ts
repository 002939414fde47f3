// Golden cases for the syntax errors whose message names the fix (issue 15, "messages that point
// the wrong way"): each golden/hints/NAME.rubric is parsed and its diagnostics, with every quick
// fix and the line it makes, compared with golden/hints/NAME.expected (UPDATE_GOLDEN=1 rewrites).
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, TextEdit } from '../../src/index.js';
import { parse } from '../../src/syntax/parse.js';
import { goldenCases, matchGolden, renderDiagnostics } from './support.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const cases = goldenCases(`${here}golden/hints`, 'expected');

/** `text` with `edits` applied (from the last, so earlier offsets stay valid). */
function applied(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.range.start.offset - a.range.start.offset)) {
    out = out.slice(0, e.range.start.offset) + e.newText + out.slice(e.range.end.offset);
  }
  return out;
}

/** The diagnostics, each followed by its fixes and the line each fix makes. */
function render(text: string, diagnostics: readonly Diagnostic[]): string {
  const lines: string[] = [];
  for (const d of diagnostics) {
    lines.push(renderDiagnostics([d]).trimEnd());
    for (const fix of d.fixes ?? []) {
      const line = d.range.start.line;
      lines.push(`    fix: ${fix.title} -> ${applied(text, fix.edits).split('\n')[line - 1]}`);
    }
  }
  return lines.join('\n') + '\n';
}

describe('syntax messages that name the fix (golden: golden/hints)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { diagnostics } = parse(c.input, `${c.name}.rubric`);
      const { actual, expected } = matchGolden(render(c.input, diagnostics), c.expectedPath, c.expected);
      expect(actual).toBe(expected);
      expect(diagnostics.some((d) => d.fixes !== undefined)).toBe(true);
    });

    it(`${c.name}: each fix repairs its line`, () => {
      const { diagnostics } = parse(c.input, `${c.name}.rubric`);
      for (const d of diagnostics) {
        for (const fix of d.fixes ?? []) {
          const line = d.range.start.line;
          const after = parse(applied(c.input, fix.edits), 'fixed.rubric').diagnostics;
          expect(after.filter((a) => a.range.start.line === line).map((a) => a.message), `${fix.title} on line ${line}`).toEqual([]);
        }
      }
    });

    it(`${c.name}: typed into a clean file, an edit re-parse reports what a whole parse does`, () => {
      // Each broken line typed between clean statements: the re-parse reads only the lines
      // around it (the clean ones are reused), and must give the same messages and fixes.
      const clean = ['when job = CEO add 10', 'when job = intern sub 5'];
      for (const d of parse(c.input).diagnostics) {
        const line = c.input.split('\n')[d.range.start.line - 1];
        // A line inside a block (indented) is no statement alone.
        if (/^\s/.test(line)) continue;
        const before = parse([...clean, '', ...clean].join('\n'), 'x.rubric').ast;
        const text = [...clean, line, ...clean].join('\n');
        const incremental = parse(text, 'x.rubric', before).diagnostics;
        expect(incremental.some((i) => i.message === d.message), line).toBe(true);
        expect(JSON.stringify(incremental)).toBe(JSON.stringify(parse(text, 'x.rubric').diagnostics));
      }
    });
  }
});
