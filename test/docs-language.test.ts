/**
 * docs/language.md is the language reference: its examples must be real Rubric and its
 * diagnostics section must cover exactly the codes the tools can report.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, DIAGNOSTIC_CODES, parse, runTests } from '@rubric/core';

const reference = readFileSync(new URL('../docs/language.md', import.meta.url), 'utf8');

/** Every ```rubric block, with the line it starts on. */
const blocks = [...reference.matchAll(/^```rubric\n([\s\S]*?)^```$/gm)].map((match) => ({
  text: match[1],
  line: reference.slice(0, match.index).split('\n').length,
}));
/** Blocks that show a diagnostic on purpose carry a `# R0xx` comment. */
const isDiagnosticDemo = (text: string): boolean => /#\s*R0\d\d\b/.test(text);

describe('docs/language.md', () => {
  it('has a section for every diagnostic code, and only for real codes', () => {
    const documented = [...reference.matchAll(/^#### (R\d{3}) — /gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual(Object.keys(DIAGNOSTIC_CODES).sort());
    for (const [code, { severity }] of Object.entries(DIAGNOSTIC_CODES)) {
      const heading = reference.match(new RegExp(`^#### ${code} — .*\\((error|warning|info)\\)$`, 'm'));
      expect(heading?.[1], `${code} heading states its severity`).toBe(severity);
    }
  });

  it.each(blocks.filter((b) => !isDiagnosticDemo(b.text)).map((b) => [b.line, b.text]))(
    'the example at line %i parses without a syntax error',
    (_line, text) => {
      const syntax = parse(String(text)).diagnostics.map((d) => `${d.code} ${d.range.start.line}: ${d.message}`);
      expect(syntax).toEqual([]);
    },
  );

  it.each(blocks.filter((b) => /^lead \{/m.test(b.text) && !isDiagnosticDemo(b.text)).map((b) => [b.line, b.text]))(
    'the complete file at line %i checks without errors and passes its tests',
    (_line, text) => {
      const errors = analyze(String(text)).diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual([]);
      const run = runTests(String(text));
      expect(run.failed).toBe(0);
    },
  );

  it.each(blocks.filter((b) => b.text.startsWith('test "') && !isDiagnosticDemo(b.text)).map((b) => [b.line, b.text]))(
    'the test at line %i passes against the first file of the reference',
    (_line, text) => {
      const firstFile = blocks.find((b) => /^lead \{/m.test(b.text))?.text ?? '';
      const run = runTests(`${firstFile}\n${String(text)}`);
      expect(run.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(run.results.length).toBeGreaterThanOrEqual(2);
      expect(run.failed).toBe(0);
    },
  );
});
