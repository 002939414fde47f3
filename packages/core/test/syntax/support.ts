import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../src/index.js';

/** `[line:col..line:col] CODE severity message` then an indented `help:` line: the golden form. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const r = d.range;
      const head = `[${r.start.line}:${r.start.column}..${r.end.line}:${r.end.column}] ${d.code} ${d.severity} ${d.message}`;
      return d.help === undefined ? head : `${head}\n    help: ${d.help}`;
    })
    .join('\n') + '\n';
}

/** The AST as JSON without ranges (what a reviewer reads in the tree goldens). */
export function treeWithoutRanges(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => (key === 'range' || key === 'parts' || key === 'text' && typeof v === 'string' && v.length > 200 ? undefined : v), 2) + '\n';
}

/** Golden-file pairs in `dir`: every `NAME.rubric` with its expected output `NAME.EXT`. */
export function goldenCases(dir: string, ext: string): Array<{ name: string; input: string; expectedPath: string; expected: string | undefined }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.rubric'))
    .sort()
    .map((f) => {
      const name = f.replace(/\.rubric$/, '');
      const expectedPath = join(dir, `${name}.${ext}`);
      return {
        name,
        input: readFileSync(join(dir, f), 'utf8'),
        expectedPath,
        expected: existsSync(expectedPath) ? readFileSync(expectedPath, 'utf8') : undefined,
      };
    });
}

/** Compares with the golden file, or rewrites it when UPDATE_GOLDEN=1. */
export function matchGolden(actual: string, expectedPath: string, expected: string | undefined): { actual: string; expected: string } {
  if (process.env.UPDATE_GOLDEN === '1' || expected === undefined) {
    writeFileSync(expectedPath, actual);
    return { actual, expected: actual };
  }
  return { actual, expected };
}
