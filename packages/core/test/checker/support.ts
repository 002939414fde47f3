/**
 * Helpers for the checker's tests: check a text, render diagnostics the way the golden files
 * read them (`[line:col..line:col] R012 error message`, then help, related and fixes).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, type Analysis } from '../../src/analyze.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { Range } from '../../src/syntax/ast.js';

export function checkText(text: string): Analysis {
  return analyze(text, 'test.rubric');
}

export function renderRange(range: Range): string {
  return `${range.start.line}:${range.start.column}..${range.end.line}:${range.end.column}`;
}

/** One block per diagnostic; fixes show their edits as `range => "new text"`. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const lines: string[] = [];
  for (const d of diagnostics) {
    lines.push(`[${renderRange(d.range)}] ${d.code} ${d.severity}${d.allowed === true ? ' (allowed)' : ''} ${d.message}`);
    if (d.help !== undefined) lines.push(`    help: ${d.help}`);
    for (const r of d.related ?? []) lines.push(`    related [${renderRange(r.range)}]: ${r.message}`);
    for (const f of d.fixes ?? []) {
      const edits = f.edits.map((e) => `[${renderRange(e.range)}] => ${JSON.stringify(e.newText)}`).join('; ');
      lines.push(`    fix: ${f.title}: ${edits}`);
    }
  }
  return lines.length === 0 ? '(no diagnostics)\n' : `${lines.join('\n')}\n`;
}

export interface GoldenCase {
  readonly name: string;
  readonly input: string;
  readonly expectedPath: string;
  readonly expected: string | undefined;
}

/** Every `NAME.rubric` of `dir` with its `NAME.expected`. */
export function goldenCases(dir: string): GoldenCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.rubric'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.rubric'.length);
      const expectedPath = join(dir, `${name}.expected`);
      return {
        name,
        input: readFileSync(join(dir, f), 'utf8'),
        expectedPath,
        expected: existsSync(expectedPath) ? readFileSync(expectedPath, 'utf8') : undefined,
      };
    });
}

/** With UPDATE_GOLDEN=1, writes `actual` as the new expectation. */
export function matchGolden(actual: string, c: GoldenCase): { actual: string; expected: string | undefined } {
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(c.expectedPath, actual);
    return { actual, expected: actual };
  }
  return { actual, expected: c.expected };
}
