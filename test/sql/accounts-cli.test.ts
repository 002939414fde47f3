/**
 * Issue 17 from the command line (in-process): `rubric build --target sql` on a file with an
 * account block writes the account view and the contact view, which DuckDB creates and whose
 * rows are the JavaScript account scorer's; `--select` writes the contact query and
 * `--select --accounts` the account query; `--accounts` without an account block is refused.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compile } from '../../packages/core/src/compiler/compile.js';
import { Workspace } from '../../packages/cli/test/support/cli.js';

const RULES = `lead {
  job: text
  company.id: text
}
event page_view { url: text }
account id = company.id {
  id: text
  employees: number
}
group fit { when job = ceo add 20  when account.employees >= 100 add 5 }
stage mql at 20
score accounts {
  when count contacts where (stage >= mql) >= 1 add 30
  when any page_view within 30 days add 10
  when sum score of top 2 contacts >= 40 add 5
  stage hot at 40
}
`;

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('abm.rubric', RULES);
});
afterEach(() => ws.remove());

async function duckdb(sql: string, queries: readonly string[]): Promise<Array<Array<Record<string, unknown>>>> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE TABLE leads (id VARCHAR, job VARCHAR, "company.id" VARCHAR);
      INSERT INTO leads VALUES ('1', 'CEO', 'acme'), ('2', 'ceo', 'acme'), ('3', 'dev', 'globex'), ('4', 'ceo', NULL);
      CREATE TABLE accounts (id VARCHAR, employees VARCHAR);
      INSERT INTO accounts VALUES ('acme', '150'), ('globex', '20'), ('initech', '5');
      CREATE TABLE events (lead_id VARCHAR, type VARCHAR, "at" VARCHAR, url VARCHAR);
      INSERT INTO events VALUES ('3', 'page_view', '2026-02-20', '/x'), ('1', 'page_view', '2025-01-01', '/old')`);
    if (sql !== '') await connection.run(sql);
    const out: Array<Array<Record<string, unknown>>> = [];
    for (const query of queries) {
      const reader = await connection.runAndReadAll(query);
      out.push(reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]))));
    }
    return out;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('rubric build --target sql with an account block', () => {
  it('writes both views, which score as JavaScript does', async () => {
    const result = await ws.run(['build', 'abm.rubric', '--target', 'sql', '--now', '2026-03-01', '--out', 'abm.sql']);
    expect(result.stderr).toContain('wrote');
    const sql = ws.read('abm.sql');
    const [accounts, contacts] = await duckdb(sql, ['SELECT id, score, stage, "contacts#1" FROM rubric_scores_accounts ORDER BY id', 'SELECT id, score, stage, fit FROM rubric_scores ORDER BY id']);
    // acme: two CEOs at 25 (30 + 5 for the sum 50); globex: the dev's page view (10); initech: nothing.
    expect(accounts).toEqual([
      { id: 'acme', score: 35, stage: null, 'contacts#1': 2 },
      { id: 'globex', score: 10, stage: null, 'contacts#1': 0 },
      { id: 'initech', score: 0, stage: null, 'contacts#1': 0 },
    ]);
    expect(contacts).toEqual([
      { id: '1', score: 25, stage: 'mql', fit: 25 },
      { id: '2', score: 25, stage: 'mql', fit: 25 },
      { id: '3', score: 0, stage: null, fit: 0 },
      { id: '4', score: 20, stage: 'mql', fit: 20 },
    ]);
    // The same as the JavaScript account scorer.
    const scorer = compile(RULES).scorer;
    const acme = scorer?.accounts?.scoreAccount({ id: 'acme', employees: '150' }, [{ job: 'CEO', 'company.id': 'acme' }, { job: 'ceo', 'company.id': 'acme', events: [{ type: 'page_view', at: '2025-01-01', url: '/old' }] }], { now: '2026-03-01' });
    expect(acme?.score).toBe(35);
    expect(acme?.contacts.map((c) => c.score)).toEqual([25, 25]);
  });

  it('names the account view, writes either query with --select', async () => {
    await ws.run(['build', 'abm.rubric', '--target', 'sql', '--dialect', 'postgres', '--view', 'contacts_scored', '--accounts-view', 'accounts_scored', '--out', 'pg.sql']);
    const pg = ws.read('pg.sql');
    expect(pg).toContain('CREATE OR REPLACE VIEW "accounts_scored" AS');
    expect(pg).toContain('CREATE OR REPLACE VIEW "contacts_scored" AS');
    await ws.run(['build', 'abm.rubric', '--target', 'sql', '--select', '--now', '2026-03-01', '--out', 'contacts.sql']);
    await ws.run(['build', 'abm.rubric', '--target', 'sql', '--select', '--accounts', '--now', '2026-03-01', '--out', 'accounts.sql']);
    const [contacts, accounts] = await duckdb('', [ws.read('contacts.sql'), ws.read('accounts.sql')]);
    expect(contacts.map((row) => row.id).sort()).toEqual(['1', '2', '3', '4']);
    expect(accounts.map((row) => [row.id, row.score])).toEqual(expect.arrayContaining([['acme', 35], ['globex', 10], ['initech', 0]]));
  });

  it('refuses --accounts for a file without an account block', async () => {
    ws.write('plain.rubric', 'lead { job: text }\nwhen job = ceo add 5\n');
    const result = await ws.run(['build', 'plain.rubric', '--target', 'sql', '--select', '--accounts', '--out', 'x.sql']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('`--accounts` needs a rule file with an `account` block');
  });
});
