/**
 * Shared by the embedding tests: the example rule file and lead they score, and what the
 * in-process compiler (the reference) gives for them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile } from '@rubric/core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RULES_PATH = `${ROOT}examples/three-stage-mql/three-stage-mql.rubric`;
export const RULES = readFileSync(RULES_PATH, 'utf8');
/** The second lead of the example's sample (it has events, a stage and groups). */
export const LEAD: unknown = JSON.parse(readFileSync(`${ROOT}examples/three-stage-mql/three-stage-mql.sample.jsonl`, 'utf8').split('\n')[1]);
export const NOW = '2026-03-01T00:00:00Z';

/** The result the in-process compiler gives (what every embedding must reproduce). */
export function referenceScore(): unknown {
  const { scorer, diagnostics } = compile(RULES);
  if (scorer === null) throw new Error(`the example does not compile: ${diagnostics.map((d) => d.message).join('; ')}`);
  return scorer.score(LEAD as Parameters<typeof scorer.score>[0], { now: NOW });
}
