/**
 * Account cases as data (issue 17): `packages/core/test/cases/accounts/*.json`, each case with the
 * rules, `now`, an account, its contacts (each with its `events`) and the expected result of the
 * account (score, stage, tier, groups), of each aggregate (`aggregates`, in source order, null =
 * missing) and of each contact (its final score, stage, tier, groups). Written by hand from the
 * spec; any engine (the oracle, the compiled scorer, SQL) runs them through
 * {@link loadAccountCases}. Values use the JSON tags of language-cases.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reviveCaseValue, type ExpectedResult } from './language-cases.js';

export interface AccountCase {
  /** `file.json: name`. */
  readonly id: string;
  readonly name: string;
  readonly spec?: string;
  readonly rules: string;
  readonly now: string;
  readonly account: Record<string, unknown>;
  readonly contacts: readonly Record<string, unknown>[];
  readonly expected: ExpectedResult & { readonly aggregates: readonly (number | null)[]; readonly contacts: readonly ExpectedResult[] };
}

const CASE_KEYS = new Set(['name', 'spec', 'rules', 'now', 'account', 'contacts', 'expected']);
const EXPECTED_KEYS = new Set(['score', 'stage', 'tier', 'groups', 'aggregates', 'contacts']);
const RESULT_KEYS = new Set(['score', 'stage', 'tier', 'groups']);

function result(where: string, raw: Record<string, unknown>, keys: ReadonlySet<string>): ExpectedResult {
  for (const key of Object.keys(raw)) if (!keys.has(key)) throw new Error(`${where}: unknown key \`${key}\``);
  if (typeof raw.score !== 'number') throw new Error(`${where}: \`score\` must be a number`);
  return {
    score: raw.score,
    stage: typeof raw.stage === 'string' ? raw.stage : null,
    tier: typeof raw.tier === 'string' ? raw.tier : null,
    groups: (raw.groups ?? {}) as Record<string, number>,
  };
}

export function loadAccountCases(directory: string): AccountCase[] {
  const cases: AccountCase[] = [];
  for (const file of readdirSync(directory).filter((f) => f.endsWith('.json')).sort()) {
    const data = JSON.parse(readFileSync(join(directory, file), 'utf8')) as { cases: Record<string, unknown>[] };
    for (const raw of data.cases) {
      const where = `${file}: ${String(raw.name)}`;
      for (const key of Object.keys(raw)) if (!CASE_KEYS.has(key)) throw new Error(`${where}: unknown key \`${key}\``);
      const expected = raw.expected as Record<string, unknown>;
      const base = result(where, expected, EXPECTED_KEYS);
      cases.push({
        id: `${file}: ${String(raw.name)}`,
        name: String(raw.name),
        ...(typeof raw.spec === 'string' ? { spec: raw.spec } : {}),
        rules: Array.isArray(raw.rules) ? raw.rules.join('\n') + '\n' : String(raw.rules),
        now: typeof raw.now === 'string' ? raw.now : '2026-03-01T00:00:00Z',
        account: reviveCaseValue(raw.account) as Record<string, unknown>,
        contacts: reviveCaseValue(raw.contacts) as Record<string, unknown>[],
        expected: {
          ...base,
          aggregates: (expected.aggregates ?? []) as (number | null)[],
          contacts: ((expected.contacts ?? []) as Record<string, unknown>[]).map((c, i) => result(`${where} contact ${i + 1}`, c, RESULT_KEYS)),
        },
      });
    }
  }
  return cases;
}
