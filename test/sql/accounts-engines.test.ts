/**
 * Issue 17, account scoring on DuckDB and PostgreSQL: random accounts with random contacts and
 * events (seeded), scored by the JavaScript account scorer and by both engines' contact and
 * account queries: every account's score, stage, tier, groups and aggregate values and every
 * contact's result must agree exactly. Keys and column names are hostile (`__proto__`, quotes,
 * `'); drop table`, `contacts#1`, padded and differently cased keys).
 */
import { describe, expect, it } from 'vitest';
import { compile, type CompiledScorer } from '../../packages/core/src/compiler/compile.js';
import { accountTables, expectEngineAgrees, expectedResults, type AccountData } from './support/accounts.js';
import { dataSet, FULL, MAPPING, NOW, READING, SHAPE } from './support/accounts-data.js';
import { enginesForFile } from './support/agree.js';

const { engines, counted } = enginesForFile('issue 17 accounts SQL');

/** What the data sets reached, so the comparison is known to cover something. */
const seen = { accountStages: new Set<unknown>(), contactStages: new Set<unknown>(), emptyAccounts: 0, nullAverages: 0, accountScores: new Set<unknown>() };

async function agreeOn(scorer: CompiledScorer, data: AccountData, label: string): Promise<void> {
  const expected = expectedResults(scorer, SHAPE, data, NOW, 'id');
  for (const account of expected.accounts.values()) {
    seen.accountStages.add(account.stage);
    seen.accountScores.add(account.score);
    if (account['contacts#3'] === null) seen.emptyAccounts += 1;
    if (account['contacts#5'] === null) seen.nullAverages += 1;
  }
  for (const contact of expected.contacts.values()) seen.contactStages.add(contact.stage);
  expect(expected.accounts.size).toBeGreaterThan(0);
  for (const engine of engines) {
    for (const table of accountTables(SHAPE, data)) await engine.load(table);
    const n = await expectEngineAgrees(engine, scorer, MAPPING, expected, NOW, label);
    counted[engine.name] += n.contacts;
  }
}

function compiled(text: string): CompiledScorer {
  const { scorer, diagnostics } = compile(text);
  if (scorer === null) throw new Error(diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return scorer;
}

describe('accounts on DuckDB and PostgreSQL = JavaScript', () => {
  it('aggregates (count, best, sum top N, average), where on segments, events and stage', async () => {
    const scorer = compiled(FULL);
    expect(scorer.ir.probes.length).toBe(8);
    for (const seed of [1, 2, 3, 4, 5]) await agreeOn(scorer, dataSet(seed, 24), `seed ${seed}`);
    // The data reach every account stage, accounts without contacts, and many scores.
    expect([...seen.accountStages].sort()).toEqual(['buying', 'target', 'warming']);
    expect(new Set(seen.contactStages)).toEqual(new Set(['mql', 'sql', null]));
    expect(seen.emptyAccounts).toBeGreaterThan(0);
    expect(seen.nullAverages).toBeGreaterThan(seen.emptyAccounts);
    expect(seen.accountScores.size).toBeGreaterThan(20);
  });

  it('contacts reading their account stage, score and tier', async () => {
    const scorer = compiled(READING);
    expect(scorer.model.account?.contactsReadAccountResult).toBe(true);
    for (const seed of [11, 12, 13]) await agreeOn(scorer, dataSet(seed, 24), `seed ${seed}`);
  });
});
