/**
 * Issue 17, the account scorer's row entry (`compile(..., { rows: true }).accountRows`): on random
 * account files and accounts (test/support/arbitrary-accounts.ts), each contact given as a table
 * row's cells (`addContactRow`, its events as rows) scores, validates and folds exactly as the
 * same contact given as the object that row means (`addContact` with `eventsChecked`): every
 * contact's result and invalid values, and the account's result and invalid values. The row's
 * object follows RowScorer's contract: each column's cell as an own property, an empty cell
 * missing, nothing nested; the events are objects with `type`, `at` and their non-empty cells.
 *
 * A contact's own `account.NAME` columns are in the rows too: neither entry may read them (the
 * account's values come from the account only). RUBRIC_ACCOUNT_RUNS and RUBRIC_PROPERTY_SEED as
 * in accounts-vs-interpreted.test.ts.
 */
import { inspect, isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { compile } from '../../src/compiler/compile.js';
import type { AccountRowScorer } from '../../src/runtime/row-types.js';
import type { Lead, LeadEvent, Scorer, ScoreResult } from '../../src/runtime/types.js';
import { arbitraryAccountFileSpec, arbitraryAccountFor, renderAccountFile, type AccountCase } from '../support/arbitrary-accounts.js';

const RUNS = Number(process.env.RUBRIC_ACCOUNT_RUNS ?? 60);
const SEED = Number(process.env.RUBRIC_PROPERTY_SEED ?? 20260301);
const ACCOUNTS_PER_FILE = 5;

type Cell = string | number | boolean | null;

function isCell(value: unknown): value is Cell {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function comparable(result: ScoreResult): unknown {
  const groups: Record<string, number> = {};
  for (const [name, value] of Object.entries(result.groups)) groups[name] = Math.round(value * 100);
  return { score: Math.round(result.score * 100), stage: result.stage, tier: result.tier, groups };
}

/** The columns of a set of records: every own key holding a cell value, in first-seen order. */
function columnsOf(records: readonly Record<string, unknown>[], leaveOut: ReadonlySet<string>): string[] {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    for (const key of Object.keys(record)) {
      if (leaveOut.has(key) || seen.has(key) || key.trim() === '' || !isCell(record[key])) continue;
      seen.add(key);
      columns.push(key);
    }
  }
  return columns;
}

/** A record as a row of `columns` (a missing or non-cell value: an empty cell). */
function cellsOf(record: Record<string, unknown>, columns: readonly string[]): Cell[] {
  return columns.map((column) => {
    const value = Object.prototype.hasOwnProperty.call(record, column) ? record[column] : undefined;
    return isCell(value) ? value : '';
  });
}

/** The object a row means: each non-empty cell under its column, on a plain object. */
function objectOf(cells: readonly Cell[], columns: readonly string[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    if (cells[i] !== '') Object.defineProperty(object, column, { value: cells[i], enumerable: true, writable: true, configurable: true });
  });
  return object;
}

function eventsOf(contact: Lead): LeadEvent[] {
  const events = (contact as { events?: unknown }).events;
  if (!Array.isArray(events)) return [];
  return events.filter((event): event is LeadEvent => typeof event === 'object' && event !== null && typeof (event as { type?: unknown }).type === 'string');
}

let withEvents = 0;
let withInvalid = 0;

function disagreement(accounts: AccountRowScorer, plain: Scorer, c: AccountCase): string | undefined {
  const contacts = c.contacts as Lead[];
  const columns = columnsOf(contacts as Record<string, unknown>[], new Set(['events']));
  const allEvents = contacts.flatMap(eventsOf);
  const eventColumns = ['type', 'at', ...columnsOf(allEvents as unknown as Record<string, unknown>[], new Set(['type', 'at']))];
  const rowPlan = accounts.rowPlan(columns);
  const eventPlan = accounts.eventPlan(eventColumns);
  const contactEventPlan = plain as Scorer & { eventPlan(columns: readonly string[]): unknown; validateEventRow(cells: readonly unknown[], type: string, plan: unknown, out: { at: number }): unknown };
  const checkPlan = contactEventPlan.eventPlan(eventColumns);
  const byRows = accounts.beginAccount(c.account as Lead, { now: c.now });
  const byObjects = accounts.beginAccount(c.account as Lead, { now: c.now });
  // The same account three times in one table (beginAccounts): 0 and 1 by rows, 2 by objects,
  // each contact added to all three in turn; each must score as its own tally does.
  const table = accounts.beginAccounts([c.account as Lead, c.account as Lead, c.account as Lead], { now: c.now });
  for (const [index, contact] of contacts.entries()) {
    const cells = cellsOf(contact as Record<string, unknown>, columns);
    const events = eventsOf(contact);
    const rows = events.map((event) => cellsOf(event as unknown as Record<string, unknown>, eventColumns));
    const types = events.map((event) => event.type);
    const out = { at: Number.NaN };
    const times = rows.map((row, i) => {
      contactEventPlan.validateEventRow(row, types[i], checkPlan, out);
      return out.at;
    });
    const twinEvents = rows.map((row, i) => ({ ...objectOf(row, eventColumns), type: types[i] }) as LeadEvent);
    if (events.length > 0) withEvents++;
    const eventRows = events.length === 0 ? undefined : { plan: eventPlan, rows, types, times };
    const got = byRows.addContactRow(cells, rowPlan, eventRows);
    const expected = byObjects.addContact(objectOf(cells, columns), { events: twinEvents, eventTimes: times, eventsChecked: true });
    if (expected.invalid.length > 0) withInvalid++;
    if (!isDeepStrictEqual(comparable(got.result), comparable(expected.result)) || !isDeepStrictEqual([...got.invalid], [...expected.invalid])) {
      return `contact ${index}: rows gave ${inspect({ result: got.result, invalid: got.invalid }, { depth: 4 })}, objects ${inspect({ result: expected.result, invalid: expected.invalid }, { depth: 4 })}`;
    }
    const inTable = [
      table.addContactRow(1, cells, rowPlan, eventRows),
      table.addContactRow(0, cells, rowPlan, eventRows),
      table.addContact(2, objectOf(cells, columns), { events: twinEvents, eventTimes: times, eventsChecked: true }),
    ];
    for (const [at, scored] of inTable.entries()) {
      if (!isDeepStrictEqual(comparable(scored.result), comparable(got.result)) || !isDeepStrictEqual([...scored.invalid], [...got.invalid])) {
        return `contact ${index}: the table's account ${at} gave ${inspect(scored, { depth: 4 })}, its tally ${inspect(got, { depth: 4 })}`;
      }
    }
  }
  if (table.contacts(1) !== contacts.length || byRows.contacts !== contacts.length) return `contacts counted: table ${table.contacts(1)}, tally ${byRows.contacts}, added ${contacts.length}`;
  const got = byRows.finishAndValidate();
  const expected = byObjects.finishAndValidate();
  if (!isDeepStrictEqual(comparable(got.result), comparable(expected.result)) || !isDeepStrictEqual([...got.invalid], [...expected.invalid])) {
    return `account: rows gave ${inspect(got, { depth: 4 })}, objects ${inspect(expected, { depth: 4 })}`;
  }
  for (const at of [2, 0, 1]) {
    const ended = table.finishAndValidate(at);
    if (!isDeepStrictEqual(comparable(ended.result), comparable(got.result)) || !isDeepStrictEqual([...ended.invalid], [...got.invalid])) {
      return `account: the table's account ${at} gave ${inspect(ended, { depth: 4 })}, its tally ${inspect(got, { depth: 4 })}`;
    }
  }
  return undefined;
}

describe('account scorer: contacts and events as rows = as objects', () => {
  it(`agree on ${RUNS} files x ${ACCOUNTS_PER_FILE} accounts`, () => {
    let compared = 0;
    const property = fc.property(
      arbitraryAccountFileSpec().chain((spec) => fc.record({ spec: fc.constant(spec), cases: fc.array(arbitraryAccountFor(spec), { minLength: ACCOUNTS_PER_FILE, maxLength: ACCOUNTS_PER_FILE }) })),
      ({ spec, cases }) => {
        const text = renderAccountFile(spec);
        const analysis = analyze(text, 'generated.rubric');
        if (analysis.diagnostics.some((d) => d.severity === 'error')) throw new Error(`a generated account file does not check:\n${text}`);
        const { scorer } = compile(analysis.model, { rows: true });
        if (scorer === null || scorer.accountRows === null) throw new Error(`compile gave no account row scorer:\n${text}`);
        if (scorer.accountRows.contactsReadAccountResult) return;
        for (const c of cases) {
          compared++;
          const difference = disagreement(scorer.accountRows, scorer, c);
          if (difference !== undefined) throw new Error(`${difference}\n--- file ---\n${text}--- account ---\n${JSON.stringify(c, null, 1)}`);
        }
      },
    );
    const details = fc.check(property, { numRuns: RUNS, seed: SEED, endOnFailure: true });
    if (details.failed) {
      throw new Error(`property failed (replay: RUBRIC_PROPERTY_SEED=${details.seed}):\n${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
    }
    // The generator reaches accounts compared, contacts with events and with invalid values.
    expect(compared).toBeGreaterThan(RUNS);
    expect(withEvents).toBeGreaterThan(0);
    expect(withInvalid).toBeGreaterThan(0);
  });
});

// An account field of type `list of text` is read from the account's values for every contact
// (givenSlots gives null: a list's array is filled in place); the others once per account.
describe('account scorer rows: account fields of every type', () => {
  const text = `data {
  missing: ["n/c"]
  numbers: decimal comma
}
lead {
  job: text
  company.id: text
}
account id = company.id {
  id: text
  tags: list of text
  employees: number
  sector: one of [industrie, "BTP", santé]
  signed: date
  active: bool
}
when account.tags has vip add 7
when account.employees >= 50 add 3
when account.sector in [industrie, "BTP"] add 5
when account.signed < 2026-01-01 add 2
when account.active add 1
when job = ceo add 10
score accounts {
  when sum score of contacts >= 20 add 1
}
`;
  const withoutList = text.replace('  tags: list of text\n', '').replace('when account.tags has vip add 7\n', '');
  it.each([
    ['with a list field (read for every contact)', text, 7 + 3 + 5 + 2 + 1],
    ['without (read once per account)', withoutList, 3 + 5 + 2 + 1],
  ])('scores a row as its object, %s', (_name, rules, difference) => {
    expect(rules === text || !rules.includes('tags')).toBe(true);
    const { scorer } = compile(rules, { rows: true });
    if (scorer === null || scorer.accountRows === null) throw new Error('no account row scorer');
    const rows = scorer.accountRows;
    const columns = ['id', 'job', 'company.id'];
    const plan = rows.rowPlan(columns);
    const accounts: Lead[] = [
      { id: 'A', tags: 'vip;newsletter', employees: '1 200,5', sector: 'Industrie', signed: '2025-05-01', active: 'true' },
      { id: 'B', tags: ['n/c', 'VIP'], employees: 'n/c', sector: 'autre', signed: 'n/c', active: 'non' },
      { id: 'C' },
    ];
    // Contacts of the accounts interleaved (as a contacts file sorted by id gives them), each
    // added by rows and then by objects, the object one first for every other contact.
    const byRows = accounts.map((account) => rows.beginAccount(account, { now: '2026-03-01T00:00:00Z' }));
    const byObjects = accounts.map((account) => rows.beginAccount(account, { now: '2026-03-01T00:00:00Z' }));
    let n = 0;
    for (const job of ['ceo', '', 'intern', 'ceo']) {
      accounts.forEach((account, a) => {
        const cells = ['1', job, account.id as string];
        const addObject = () => byObjects[a].addContact(job === '' ? { id: '1', 'company.id': account.id } : { id: '1', job, 'company.id': account.id }, { events: [], eventsChecked: true });
        const objectFirst = n++ % 2 === 1;
        const first = objectFirst ? addObject() : undefined;
        const got = byRows[a].addContactRow(cells, plan);
        const expected = first ?? addObject();
        expect(comparable(got.result), `${account.id} ${job}`).toEqual(comparable(expected.result));
        expect(got.invalid).toEqual(expected.invalid);
      });
    }
    accounts.forEach((_account, a) => expect(comparable(byRows[a].finish())).toEqual(comparable(byObjects[a].finish())));
    // The account's fields do take part (account A has them all, C none).
    const vip = rows.beginAccount(accounts[0], { now: '2026-03-01T00:00:00Z' }).addContactRow(['1', 'intern', 'A'], plan).result.score;
    const plain = rows.beginAccount(accounts[2], { now: '2026-03-01T00:00:00Z' }).addContactRow(['1', 'intern', 'C'], plan).result.score;
    expect(vip - plain).toBe(difference);
  });
});
