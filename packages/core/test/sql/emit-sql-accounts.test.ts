/**
 * The SQL of a rule file with an `account` block, without an engine: two views (accounts, then
 * contacts), their names, the plain queries, quoting of what the file and the mapping name, and
 * the errors a user can hit. What the SQL computes is tested against DuckDB and PostgreSQL in
 * test/sql/accounts-*.test.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emitSql, emitSqlAccounts, parseSqlMapping, SqlEmitError } from '../../src/compiler/sql/index.js';
import { foldTableTexts } from '../../src/compiler/sql/values.js';
import { foldTable } from '../../src/runtime/fold.js';

const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));

/** The golden shows the SQL as written, with the folding-table lines shortened. */
function readable(sql: string): string {
  const { from, to } = foldTableTexts();
  return sql.replaceAll(from, `<folding table: the ${foldTable().length} characters folding changes>`).replaceAll(to, '<what each one folds to>');
}

describe('emitSql for a file with an account block: golden output', () => {
  const text = readFileSync(`${GOLDEN}accounts.rubric`, 'utf8');
  for (const dialect of ['duckdb', 'postgres'] as const) {
    it(`writes readable ${dialect} views for a small account file`, () => {
      const actual = readable(emitSql(text, { dialect, now: '2026-03-01T00:00:00Z', source: 'accounts.rubric' }));
      const path = `${GOLDEN}accounts.${dialect}.sql`;
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
      expect(existsSync(path), `missing accounts.${dialect}.sql; run with UPDATE_GOLDEN=1`).toBe(true);
      expect(actual).toBe(readFileSync(path, 'utf8'));
    });
  }
});

const RULES = `
lead {
  job: text
  company.id: text from "Company'); drop table leads; --"
}
event page_view { url: text }
account id = company.id {
  id: text
  industry: one of [logiciel, "it's"] from "__proto__"
  employees: number
}
segment engaged = any page_view within 30 days
group fit { when account.industry = "it's" add 5  when job = ceo add 10 }
stage mql at 10
score accounts {
  when count contacts where engaged >= 1 add 10
  when best fit of top 2 contacts where (stage >= mql) >= 10 add 5
  when average score of contacts >= 2.5 add 1
  stage hot at 10
}
`;

function views(sql: string): string[] {
  return [...sql.matchAll(/CREATE OR REPLACE VIEW (.+) AS\n/g)].map((m) => m[1]);
}

describe('emitSql for a file with an account block', () => {
  it('writes the account view, then the contact view; neither reads the other', () => {
    for (const dialect of ['duckdb', 'postgres'] as const) {
      const sql = emitSql(RULES, { dialect, now: '2026-03-01T00:00:00Z' });
      expect(views(sql)).toEqual(['"rubric_scores_accounts"', '"rubric_scores"']);
      expect(sql.match(/;\n/g)?.length).toBe(2);
      const [accounts, contacts] = sql.split('CREATE OR REPLACE VIEW "rubric_scores" AS');
      expect(accounts).not.toContain('rubric_scores"');
      expect(contacts).not.toContain('rubric_scores_accounts');
    }
  });

  it('names the views after --view, or --accounts-view', () => {
    expect(views(emitSql(RULES, { dialect: 'duckdb', view: ['crm', 'lead scores'] }))).toEqual(['"crm"."lead scores_accounts"', '"crm"."lead scores"']);
    expect(views(emitSql(RULES, { dialect: 'postgres', accountsView: ['abm', 'accounts'] }))).toEqual(['"abm"."accounts"', '"rubric_scores"']);
  });

  it('gives the contact query with select, the account query from emitSqlAccounts', () => {
    const contacts = emitSql(RULES, { dialect: 'postgres', select: true });
    const accounts = emitSqlAccounts(RULES, { dialect: 'postgres', select: true });
    for (const sql of [contacts, accounts]) {
      expect(sql).not.toContain('CREATE');
      expect(sql.trimEnd().endsWith(';')).toBe(false);
    }
    // The contact query's probe columns, the account query's aggregate columns.
    expect(contacts).toMatch(/ AS "contacts#1",?\n/);
    expect(contacts).toMatch(/ AS "contacts#2",?\n/);
    expect(contacts).not.toMatch(/ AS "contacts#3"/);
    for (const field of ['contacts#1', 'contacts#2', 'contacts#3']) expect(accounts).toContain(`AS "${field}"`);
    expect(accounts).toContain('AS "id"');
  });

  it('quotes every name and value the file and the mapping hold', () => {
    const mapping = parseSqlMapping(
      JSON.stringify({ accounts: { table: ['crm', "acc'ounts"], id: 'Id"x', order: "n'); drop", fields: { employees: { column: 'Employees"; drop table x; --', format: 'number' } } } }),
    );
    for (const dialect of ['duckdb', 'postgres'] as const) {
      const sql = emitSqlAccounts(RULES, { dialect, mapping, select: true });
      expect(sql).toContain('"crm"."acc\'ounts" AS src');
      expect(sql).toContain('"Id""x"');
      expect(sql).toContain('"n\'); drop"');
      expect(sql).toContain('"Employees""; drop table x; --"');
      expect(sql).toContain('"__proto__"');
      expect(sql).toContain('"Company\'); drop table leads; --"');
      expect(sql).toContain("'it''s'");
      // Nothing the file or the mapping wrote escapes its quotes.
      const outside = sql.replace(/"(?:[^"]|"")*"/g, '""').replace(/'(?:[^']|'')*'/g, "''").replace(/--[^\n]*/g, '');
      expect(outside).not.toMatch(/drop table/i);
    }
  });

  it('refuses what cannot be emitted, saying what to do', () => {
    const plain = 'lead { job: text }\nwhen job = ceo add 5\n';
    const refused = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        expect(error).toBeInstanceOf(SqlEmitError);
        return error as SqlEmitError;
      }
      throw new Error('not refused');
    };
    const noBlock = refused(() => emitSqlAccounts(plain, { dialect: 'duckdb' }));
    expect(noBlock.message).toContain('no `account` block');
    const mappingWithout = refused(() => emitSql(plain, { dialect: 'duckdb', mapping: { accounts: { table: 'a' } } }));
    expect(mappingWithout.message).toContain('accounts table');
    const misspelt = refused(() => emitSql(RULES, { dialect: 'duckdb', mapping: { accounts: { fields: { employes: 'e' } } } }));
    expect(misspelt.message).toContain('`employes`');
    expect(misspelt.help).toContain('`employees`');
    const format = refused(() => emitSql(RULES, { dialect: 'duckdb', mapping: { accounts: { fields: { employees: { column: 'e', format: 'list' } } } } }));
    expect(format.message).toContain('employees');
    refused(() => emitSql(RULES, { dialect: 'duckdb', select: true, eventTotals: 't' }));
    expect(() => parseSqlMapping('{"accounts": {"tabel": "x"}}')).toThrow(/accounts\.tabel/);
  });
});
