/**
 * Issue 17: scoring accounts on the SQL targets against the JavaScript account scorer. A data
 * set (accounts, contacts, events as text cells) is loaded into an engine as three tables, the
 * contact and account queries run, and every account (score, stage, tier, groups, aggregates)
 * and every contact (score, stage, tier, groups) must equal what `scorer.accounts.scoreAccount`
 * gives for that account and the contacts whose key names it, contacts without an account being
 * scored alone by `scorer.score`.
 *
 * Contacts are grouped as `rubric score --accounts` groups them: a text key by its text trimmed
 * as JavaScript trims (not folded), an account row without a key left out, the first row of a
 * duplicated key kept (the `n` column orders the rows; the SQL mapping says so).
 */
import { expect } from 'vitest';
import type { CompiledScorer } from '../../../packages/core/src/compiler/compile.js';
import { emitSql, emitSqlAccounts, type SqlMapping } from '../../../packages/core/src/compiler/sql/index.js';
import type { LeadEvent } from '../../../packages/core/src/runtime/types.js';
import { interpretAccount } from '../../../packages/core/test/oracle/interpret-accounts.js';
import { interpret } from '../../../packages/core/test/oracle/interpret.js';
import type { TestEngine, TestTable } from './engines.js';

/** One contact: its text cells by column, and its events (type, at, properties as text). */
export interface ContactRow {
  readonly id: string;
  readonly cells: Readonly<Record<string, string | null>>;
  readonly events: ReadonlyArray<Readonly<Record<string, string>>>;
}

export interface AccountData {
  /** Account rows: text cells by column (the file order is their position). */
  readonly accounts: ReadonlyArray<Readonly<Record<string, string | null>>>;
  readonly contacts: readonly ContactRow[];
}

export interface AccountShape {
  /** Account table columns (cells are text). */
  readonly accountColumns: readonly string[];
  /** The account key's column. */
  readonly accountKey: string;
  /** Contact columns (besides `id`). */
  readonly contactColumns: readonly string[];
  /** The contact key's column. */
  readonly contactKey: string;
  /** Event property columns (besides `lead_id`, `type`, `at`). */
  readonly eventColumns: readonly string[];
  /** Whether keys are numbers (matched by value) rather than text. */
  readonly numberKey?: boolean;
}

/** The tables of a data set; accounts get an `n` column (their position) for duplicates. */
export function accountTables(shape: AccountShape, data: AccountData, names = { leads: 'acc_leads', accounts: 'acc_accounts', events: 'acc_events' }): TestTable[] {
  return [
    {
      name: names.accounts,
      columns: [{ name: 'n', kind: 'number' }, ...shape.accountColumns.map((name) => ({ name, kind: 'text' as const }))],
      rows: data.accounts.map((row, i) => [i, ...shape.accountColumns.map((c) => row[c] ?? null)]),
    },
    {
      name: names.leads,
      columns: [{ name: 'id', kind: 'text' }, ...shape.contactColumns.map((name) => ({ name, kind: 'text' as const }))],
      rows: data.contacts.map((c) => [c.id, ...shape.contactColumns.map((name) => c.cells[name] ?? null)]),
    },
    {
      name: names.events,
      columns: ['lead_id', 'type', 'at', ...shape.eventColumns].map((name) => ({ name, kind: 'text' as const })),
      rows: data.contacts.flatMap((c) => c.events.map((e) => [c.id, e.type ?? null, e.at ?? null, ...shape.eventColumns.map((name) => e[name] ?? null)])),
    },
  ];
}

function keyOf(value: string | null | undefined, numberKey: boolean): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (!numberKey) return text;
  // The SQL reads a number key as the file's number reader does; the generated keys are plain.
  const number = Number(text);
  return /^[+-]?\d+(\.\d+)?$/.test(text) && Number.isFinite(number) ? String(number) : undefined;
}

/** An own property, even `__proto__`. */
function own(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

export interface Expected {
  readonly accounts: Map<string, Record<string, unknown>>;
  readonly contacts: Map<string, Record<string, unknown>>;
}

/**
 * What JavaScript gives, by account id and contact id, once it is checked to be what the
 * reference interpreter (packages/core/test/oracle) gives too.
 */
export function expectedResults(scorer: CompiledScorer, shape: AccountShape, data: AccountData, now: string, accountId: string): Expected {
  const accounts = scorer.accounts;
  const accountIR = scorer.accountIR;
  if (accounts === null || accountIR === null) throw new Error('not an account file');
  const numberKey = shape.numberKey === true;
  const byKey = new Map<string, { row: Readonly<Record<string, string | null>>; contacts: ContactRow[] }>();
  for (const row of data.accounts) {
    const key = keyOf(row[shape.accountKey], numberKey);
    if (key !== undefined && !byKey.has(key)) byKey.set(key, { row, contacts: [] });
  }
  const alone: ContactRow[] = [];
  for (const contact of data.contacts) {
    const key = keyOf(contact.cells[shape.contactKey], numberKey);
    const account = key === undefined ? undefined : byKey.get(key);
    if (account === undefined) alone.push(contact);
    else account.contacts.push(contact);
  }
  const lead = (c: ContactRow) => {
    const out: Record<string, unknown> = { id: c.id };
    for (const [k, v] of Object.entries(c.cells)) if (v !== null) own(out, k, v);
    out.events = c.events.map((e) => ({ ...e }) as unknown as LeadEvent);
    return out;
  };
  const record = (row: Readonly<Record<string, string | null>>) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) if (v !== null) own(out, k, v);
    return out;
  };
  const result = (r: { score: number; stage: string | null; tier: string | null; groups: Readonly<Record<string, number>> }) => ({
    score: r.score,
    stage: r.stage,
    tier: r.tier,
    ...Object.fromEntries(Object.entries(r.groups).map(([k, v]) => [`group ${k}`, v])),
  });
  const expected: Expected = { accounts: new Map(), contacts: new Map() };
  for (const { row, contacts } of byKey.values()) {
    const leads = contacts.map(lead);
    const scored = accounts.scoreAccount(record(row), leads, { now });
    const explained = accounts.explainAccount(record(row), leads, { now });
    const oracle = interpretAccount(scorer.model, record(row), leads, { now });
    expect(result(scored), `oracle, account ${JSON.stringify(row[accountId])}`).toEqual(result(oracle.account));
    expect(explained.aggregates.map((a) => a.value), `oracle aggregates, account ${JSON.stringify(row[accountId])}`).toEqual(oracle.aggregates.map((a) => a.value));
    expect(scored.contacts.map(result), `oracle contacts, account ${JSON.stringify(row[accountId])}`).toEqual(oracle.contacts.map(result));
    const values: Record<string, unknown> = {};
    const seen = new Set<string>();
    scorer.model.account?.aggregates.forEach((a, i) => {
      if (seen.has(a.field)) return;
      seen.add(a.field);
      values[a.field] = explained.aggregates[i].value;
    });
    // Each account rule's points (the account view's `r0`, `r1`, ... with `explain`).
    const rules: Record<string, number> = {};
    for (let i = 0; i < accountIR.rules.length; i++) rules[`r${i}`] = 0;
    for (const hit of explained.hits) rules[`r${hit.rule}`] = hit.points;
    expected.accounts.set(String(row[accountId]), { ...result(scored), ...values, ...rules });
    contacts.forEach((c, i) => expected.contacts.set(c.id, result(scored.contacts[i])));
  }
  for (const c of alone) {
    const { events, ...fields } = lead(c);
    // Scored alone: every `account.*` missing, the contact's own `account.*` keys not read.
    const js = result(accounts.scoreContact(lead(c), { now }));
    // The oracle's meaning of a contact alone: the lead without its own `account` keys.
    const alone = Object.fromEntries(Object.entries(fields).filter(([k]) => k !== 'account' && !k.startsWith('account.')));
    expect(js, `oracle, contact ${c.id} without an account`).toEqual(result(interpret(scorer.model, alone, { now, events: events as LeadEvent[] })));
    expected.contacts.set(c.id, js);
  }
  return expected;
}

/** Runs both queries on `engine` over loaded tables and expects JavaScript's results. */
export async function expectEngineAgrees(
  engine: TestEngine,
  scorer: CompiledScorer,
  mapping: SqlMapping,
  expected: Expected,
  now: string,
  label: string,
): Promise<{ accounts: number; contacts: number }> {
  const model = scorer.model;
  const contactRows = await engine.query(emitSql(model, { dialect: engine.name, mapping, select: true, now }));
  const accountRows = await engine.query(emitSqlAccounts(model, { dialect: engine.name, mapping, select: true, now, explain: true }));
  const ruleColumns = (scorer.accountIR?.rules ?? []).map((_, i) => `r${i}`);
  const contactGroups = scorer.ir.groups.map((g) => g.name);
  const accountGroups = (scorer.accountIR?.groups ?? []).map((g) => g.name);
  const fields = [...new Set(model.account?.aggregates.map((a) => a.field) ?? [])];
  const gotContacts = new Map<string, Record<string, unknown>>();
  for (const row of contactRows) {
    gotContacts.set(String(row.id), {
      score: row.score,
      stage: row.stage,
      tier: row.tier,
      ...Object.fromEntries(contactGroups.map((g) => [`group ${g}`, row[g]])),
    });
  }
  const gotAccounts = new Map<string, Record<string, unknown>>();
  for (const row of accountRows) {
    const id = Object.keys(row)[0];
    gotAccounts.set(String(row[id]), {
      score: row.score,
      stage: row.stage,
      tier: row.tier,
      ...Object.fromEntries(accountGroups.map((g) => [`group ${g}`, row[g]])),
      ...Object.fromEntries(fields.map((f) => [f, row[f]])),
      ...Object.fromEntries(ruleColumns.map((r) => [r, row[r]])),
    });
  }
  expect(gotAccounts.size, `${label}: ${engine.name} accounts`).toBe(expected.accounts.size);
  // The columns `expected` names (a hand-worked expectation may leave the rule columns out).
  const only = (got: Record<string, unknown> | undefined, want: Record<string, unknown>) => (got === undefined ? got : Object.fromEntries(Object.keys(want).map((k) => [k, got[k]])));
  for (const [id, want] of expected.accounts) expect(only(gotAccounts.get(id), want), `${label}: ${engine.name} account ${JSON.stringify(id)}`).toEqual(want);
  expect(gotContacts.size, `${label}: ${engine.name} contacts`).toBe(expected.contacts.size);
  for (const [id, want] of expected.contacts) expect(only(gotContacts.get(id), want), `${label}: ${engine.name} contact ${JSON.stringify(id)}`).toEqual(want);
  return { accounts: expected.accounts.size, contacts: expected.contacts.size };
}
