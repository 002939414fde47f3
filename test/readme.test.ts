import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyze, compile, runTests } from '@rubric/core';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const ruleFile = readme.split('```rubric\n')[1].split('```')[0];

describe('README', () => {
  it('shows a rule file that checks clean and whose test passes', () => {
    expect(analyze(ruleFile).diagnostics).toEqual([]);
    const run = runTests(ruleFile);
    expect(run.failed).toBe(0);
    expect(run.passed).toBe(1);
  });

  it('shows the result the embedding example really returns', () => {
    const { scorer } = compile(ruleFile);
    const result = scorer?.score(
      { job: 'CEO', email: 'ana@acme.fr', events: [{ type: 'page_view', url: '/pricing', at: '2026-02-27' }] },
      { now: '2026-03-01' },
    );
    expect(result).toEqual({ score: 35, stage: 'evaluation', tier: null, groups: { fit: 10, engagement: 25 } });
    expect(readme).toContain("// -> { score: 35, stage: 'evaluation', tier: null, groups: { fit: 10, engagement: 25 } }");
  });

  it('gives the two set-up commands', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
  });
});
