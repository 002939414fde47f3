/**
 * Issue 17, the shared account differential on the SQL targets: RANDOM account files (the
 * shared generator, packages/core/test/support/arbitrary-accounts.ts: hostile account field
 * names, contacts reading `account.NAME` or the account's result, aggregates of every kind with
 * `top N` and `where` on fields, segments, events, score, groups, stage and tier, account
 * segments, groups, stages and tiers, events of all contacts) and random accounts with random
 * contacts, stored in tables whose columns have random formats (test/sql/support/cases.ts), are
 * scored by the JavaScript account scorer, the reference interpreter, DuckDB and PostgreSQL:
 * every account's score, stage, tier and groups, and every contact's (in an account or alone),
 * must be equal.
 *
 * RUBRIC_SQL_ACCOUNT_RUNS files (default 24, 6 accounts with 0-4 contacts each, and 2 contacts
 * without an account); RUBRIC_PROPERTY_SEED replays a run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../packages/core/src/compiler/compile.js';
import { emitSql, emitSqlAccounts, type SqlColumnSpec, type SqlMapping } from '../../packages/core/src/compiler/sql/index.js';
import type { Lead, LeadEvent, ScoreResult } from '../../packages/core/src/runtime/types.js';
import { interpretAccount } from '../../packages/core/test/oracle/interpret-accounts.js';
import { arbitraryAccountFileSpec, arbitraryAccountFor, renderAccountFile, type AccountCase } from '../../packages/core/test/support/arbitrary-accounts.js';
import { enginesForFile } from './support/agree.js';
import { buildBatch, chooseFormats } from './support/cases.js';

const RUNS = Number(process.env.RUBRIC_SQL_ACCOUNT_RUNS ?? 24);
const SEED = Number(process.env.RUBRIC_PROPERTY_SEED ?? 20261203);
const ACCOUNTS = 6;
const NOW = '2026-03-01T00:00:00Z';
const { engines, counted } = enginesForFile('issue 17 account differential');

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function result(r: ScoreResult): Record<string, unknown> {
  return { score: r.score, stage: r.stage, tier: r.tier, ...Object.fromEntries(Object.entries(r.groups).map(([g, v]) => [`group ${g}`, v])) };
}

function rowResult(row: Record<string, unknown> | undefined, groups: readonly string[]): Record<string, unknown> | undefined {
  if (row === undefined) return undefined;
  return { score: row.score, stage: row.stage, tier: row.tier, ...Object.fromEntries(groups.map((g) => [`group ${g}`, row[`g_${g}`]])) };
}

describe('random account files: JavaScript = oracle = DuckDB = PostgreSQL', () => {
  it(`agree on ${RUNS} files x ${ACCOUNTS} accounts`, async () => {
    const samples = fc.sample(
      arbitraryAccountFileSpec().chain((spec) => fc.record({ spec: fc.constant(spec), cases: fc.array(arbitraryAccountFor(spec), { minLength: ACCOUNTS + 1, maxLength: ACCOUNTS + 1 }) })),
      { numRuns: RUNS, seed: SEED },
    );
    let files = 0;
    let readingResult = 0;
    const stages = new Set<unknown>();
    for (const [n, { spec, cases }] of samples.entries()) {
      const text = renderAccountFile(spec);
      const { scorer, diagnostics } = compile(text);
      if (scorer === null || scorer.accounts === null || scorer.accountIR === null) throw new Error(`${diagnostics.map((d) => d.message).join('; ')}\n${text}`);
      const model = scorer.model;
      const account = model.account;
      if (account === null) throw new Error('no account side');
      if (account.contactsReadAccountResult) readingResult++;
      const keyType = scorer.accountIR.slots.find((s) => s.source === 'lead' && s.name === account.key.accountField)?.type;
      // Keys: `k0`, `k1`, ... (a quote and `__proto__` among them), or numbers for a number key.
      const keyOf = (i: number): string | number => (keyType === 'number' ? i + 1 : i === 1 ? "o'k" : i === 2 ? '__proto__' : `k${i}`);
      const accountCases = cases.slice(0, ACCOUNTS).map((c: AccountCase, i) => {
        const record = { ...c.account };
        setOwn(record, account.key.accountField, keyOf(i));
        return { now: NOW, lead: record };
      });
      // Contacts: each account's, then two of no account (the last case's contacts, key unknown or none).
      const contactCases: Array<{ now: string; lead: Record<string, unknown>; events: LeadEvent[]; of: number | null }> = [];
      cases.forEach((c, i) => {
        c.contacts.forEach((contact, j) => {
          const lead: Record<string, unknown> = {};
          for (const key of Object.getOwnPropertyNames(contact)) if (key !== 'events') setOwn(lead, key, contact[key]);
          const alone = i === ACCOUNTS;
          if (!alone) setOwn(lead, account.key.leadField, keyOf(i));
          else if (j % 2 === 0) setOwn(lead, account.key.leadField, keyType === 'number' ? 999 : 'nobody');
          else setOwn(lead, account.key.leadField, null);
          const events: LeadEvent[] = Array.isArray(contact.events) ? (contact.events as LeadEvent[]) : [];
          contactCases.push({ now: NOW, lead, events, of: alone ? null : i });
        });
      });
      const contactGroups = scorer.ir.groups.map((g) => g.name);
      const accountGroups = scorer.accountIR.groups.map((g) => g.name);

      for (const engine of engines) {
        const contactBatch = buildBatch(scorer.ir, contactCases, chooseFormats(scorer.ir, SEED + n), engine.name, SEED + n);
        const accountBatch = buildBatch(scorer.accountIR, accountCases, chooseFormats(scorer.accountIR, SEED + n + 1), engine.name, SEED + n + 1);
        const [leadsTable, eventsTable] = contactBatch.tables;
        await engine.load(leadsTable);
        await engine.load(eventsTable);
        // The batch's id column is renamed: an account field may be called `id`.
        const accountTable = accountBatch.tables[0];
        await engine.load({ ...accountTable, name: 'accounts', columns: [{ name: 'rubric_test_id', kind: 'text' }, ...accountTable.columns.slice(1)] });
        const accountFields = accountBatch.mapping.leads?.fields ?? {};
        const fields: Record<string, SqlColumnSpec> = {};
        for (const name of Object.keys(accountFields)) if (account.fields.has(name)) setOwn(fields, name, accountFields[name]);
        const mapping: SqlMapping = { ...contactBatch.mapping, accounts: { table: 'accounts', id: 'rubric_test_id', fields } };
        const options = { dialect: engine.name, mapping, select: true, now: NOW, groupPrefix: 'g_' } as const;
        const contactRows = new Map((await engine.query(emitSql(model, options))).map((row) => [String(row.id), row]));
        const accountRows = new Map((await engine.query(emitSqlAccounts(model, options))).map((row) => [String(row.rubric_test_id), row]));

        // JavaScript on what the tables hold (each row's value as stored), checked against the oracle.
        const contactsOf = (i: number) =>
          contactBatch.leads
            .filter((_, j) => contactCases[j].of === i)
            .map((c) => {
              const lead = { ...c.lead };
              setOwn(lead, 'events', c.events);
              return lead;
            });
        expect(accountRows.size, `file ${n}, ${engine.name}: accounts`).toBe(ACCOUNTS);
        for (let i = 0; i < ACCOUNTS; i++) {
          const accountLead = accountBatch.leads[i].lead;
          const contacts = contactsOf(i);
          const js = scorer.accounts.scoreAccount(accountLead, contacts, { now: NOW });
          if (engine === engines[0]) {
            const oracle = interpretAccount(model, accountLead as Lead, contacts as Lead[], { now: NOW });
            expect(result(js), `file ${n}, account ${i}: JS = oracle\n${text}`).toEqual(result(oracle.account));
            expect(js.contacts.map(result), `file ${n}, account ${i}: contacts, JS = oracle`).toEqual(oracle.contacts.map(result));
          }
          stages.add(js.stage);
          expect(rowResult(accountRows.get(accountBatch.leads[i].id), accountGroups), `file ${n}, ${engine.name}, account ${i}\n${text}`).toEqual(result(js));
          const ids = contactBatch.leads.filter((_, j) => contactCases[j].of === i).map((c) => c.id);
          ids.forEach((id, k) => expect(rowResult(contactRows.get(id), contactGroups), `file ${n}, ${engine.name}, contact ${id} of account ${i}\n${text}`).toEqual(result(js.contacts[k])));
        }
        contactBatch.leads.forEach((c, j) => {
          if (contactCases[j].of !== null) return;
          const lead = { ...c.lead };
          setOwn(lead, 'events', c.events);
          const js = scorer.accounts?.scoreContact(lead, { now: NOW });
          expect(rowResult(contactRows.get(c.id), contactGroups), `file ${n}, ${engine.name}, contact ${c.id} without an account\n${text}`).toEqual(js === undefined ? undefined : result(js));
        });
        expect(contactRows.size).toBe(contactCases.length);
        counted[engine.name] += contactCases.length;
      }
      files++;
    }
    expect(files).toBe(RUNS);
    // The runs cover contacts reading their account's result, and accounts at several stages.
    expect(readingResult).toBeGreaterThan(0);
    expect(stages.size).toBeGreaterThan(1);
    process.stderr.write(`account differential: ${files} files, ${readingResult} with contacts reading the account's result, account stages ${[...stages].map(String).join(', ')}\n`);
  }, 600_000);
});
