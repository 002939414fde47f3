import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './client.js';

const RUNNER = join(ROOT, 'node_modules/vscode-tmgrammar-test/dist/unit.js');
const GRAMMAR = join(ROOT, 'grammar/rubric.tmLanguage.json');

function runGrammarTests(pattern: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [RUNNER, '--compact', '-g', GRAMMAR, '--config', join(ROOT, 'grammar/none.json'), pattern], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('TextMate grammar', () => {
  it('passes every fixture in grammar/tests', () => {
    const { status, output } = runGrammarTests('grammar/tests/*.test.rubric');
    expect(output).toContain('declarations.test.rubric run successfuly');
    expect(output).toContain('conditions.test.rubric run successfuly');
    expect(output).toContain('accounts.test.rubric run successfuly');
    expect(status, output).toBe(0);
  });

  it('fails a fixture whose scopes are wrong (the runner is really checking)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rubric-grammar-'));
    try {
      writeFileSync(join(dir, 'wrong.test.rubric'), '# SYNTAX TEST "source.rubric" "wrong"\nwhen job add 1\n# <---- string.quoted.double.rubric\n');
      const { status, output } = runGrammarTests(join(dir, '*.test.rubric'));
      expect(status).not.toBe(0);
      expect(output).toMatch(/missing required scopes/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
