/**
 * Issue 17, the account property: on random account files (test/support/arbitrary-accounts.ts:
 * account fields with hostile names, contacts reading `account.NAME` or the account's result,
 * aggregates of every kind, account segments/groups/stages/tiers, account events) and random
 * accounts with random contacts, the compiled account scorer (`scorer.accounts`) and the oracle
 * (test/oracle/interpret-accounts.ts) agree on the account's score, stage, tier, groups and hits,
 * every aggregate's value and contact count, and every contact's final score, stage, tier and
 * groups; `scoreAccountAndValidate` / `scoreContactAndValidate` give the same results and each
 * contact's invalid values as the plain `validate`. The generated files must check without errors (keeps the generator honest).
 *
 * RUBRIC_ACCOUNT_RUNS files (default 60, 5 accounts each: 300 accounts); RUBRIC_PROPERTY_SEED
 * replays a run.
 */
import { inspect, isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { Model } from '../../src/checker/model.js';
import { compile } from '../../src/compiler/compile.js';
import type { AccountScorer, Hit, Lead, LeadEvent, Scorer, ScoreResult } from '../../src/runtime/types.js';
import { interpretAccount } from '../oracle/interpret-accounts.js';
import { arbitraryAccountFileSpec, arbitraryAccountFor, renderAccountFile, type AccountCase } from '../support/arbitrary-accounts.js';

const RUNS = Number(process.env.RUBRIC_ACCOUNT_RUNS ?? 60);
const SEED = Number(process.env.RUBRIC_PROPERTY_SEED ?? 20260301);
const ACCOUNTS_PER_FILE = 5;

function errorsOf(text: string): string[] {
  return analyze(text, 'generated.rubric')
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message}`);
}

function modelOf(text: string): Model {
  const errors = errorsOf(text);
  if (errors.length > 0) throw new Error(`a generated account file does not check:\n  ${errors.join('\n  ')}\n--- file ---\n${text}`);
  return analyze(text, 'generated.rubric').model;
}

function comparable(result: ScoreResult): unknown {
  const groups: Record<string, number> = {};
  for (const [name, value] of Object.entries(result.groups)) groups[name] = Math.round(value * 100);
  return { score: Math.round(result.score * 100), stage: result.stage, tier: result.tier, groups };
}

function hitsOf(hits: readonly Hit[]): string[] {
  return hits.map((h) => `r${h.rule} ${Math.round(h.points * 100)}${h.occurrences === undefined ? '' : ` x${h.occurrences}`}`);
}

/** Contacts with an invalid value seen (the generator must reach some). */
let withInvalid = 0;

function disagreement(model: Model, accounts: AccountScorer, plain: Scorer, c: AccountCase): string | undefined {
  const oracle = interpretAccount(model, c.account as Lead, c.contacts as Lead[], { now: c.now });
  const expected = {
    account: comparable(oracle.account),
    hits: hitsOf(oracle.account.hits),
    aggregates: oracle.aggregates.map((a) => [a.value === null ? null : Math.round(a.value * 100), a.contacts]),
    contacts: oracle.contacts.map(comparable),
    contactHits: oracle.contacts.map((c) => hitsOf(c.hits)),
    scored: { account: comparable(oracle.account), contacts: oracle.contacts.map(comparable) },
    // scoreAccountAndValidate: the same results, and each contact's invalid values as the file's
    // plain `validate` gives them (a second evaluation there, one here).
    validated: { account: comparable(oracle.account), contacts: oracle.contacts.map(comparable) },
    invalid: [] as unknown[],
    alone: [] as unknown[],
    // beginAccount: the same contact by contact (contacts' events given in the lead, or apart
    // with their instants from validateEvent), or a TypeError when contacts read the account's result.
    tallied: accounts.contactsReadAccountResult ? ('TypeError' as unknown) : { account: comparable(oracle.account), contacts: oracle.contacts.map(comparable), invalid: [] as unknown[] },
    // eventsChecked: the contact's own invalid values only (its events validated apart).
    talliedApart: accounts.contactsReadAccountResult
      ? ('TypeError' as unknown)
      : { account: comparable(oracle.account), contacts: oracle.contacts.map(comparable), invalid: (c.contacts as Lead[]).map((contact) => ownInvalid(plain, contact, c.now, true)) },
  };
  for (const contact of c.contacts as Lead[]) {
    if (plain.validate(contact, { now: c.now }).length > 0) withInvalid++;
    expected.invalid.push(plain.validate(contact, { now: c.now }));
    expected.alone.push({ result: comparable(accounts.scoreContact(contact, { now: c.now })), invalid: plain.validate(contact, { now: c.now }) });
    if (!accounts.contactsReadAccountResult) (expected.tallied as { invalid: unknown[] }).invalid.push(plain.validate(contact, { now: c.now }));
  }
  let got: typeof expected;
  try {
    const explained = accounts.explainAccount(c.account as Lead, c.contacts as Lead[], { now: c.now });
    const scored = accounts.scoreAccount(c.account as Lead, c.contacts as Lead[], { now: c.now });
    const validated = accounts.scoreAccountAndValidate(c.account as Lead, c.contacts as Lead[], { now: c.now });
    got = {
      account: comparable(explained),
      hits: hitsOf(explained.hits),
      aggregates: explained.aggregates.map((a) => [a.value === null ? null : Math.round(a.value * 100), a.contacts]),
      contacts: explained.contacts.map(comparable),
      contactHits: explained.contacts.map((c) => hitsOf(c.hits)),
      scored: { account: comparable(scored), contacts: scored.contacts.map(comparable) },
      validated: { account: comparable(validated.result), contacts: validated.result.contacts.map(comparable) },
      invalid: [...validated.invalid],
      alone: (c.contacts as Lead[]).map((contact) => {
        const one = accounts.scoreContactAndValidate(contact, { now: c.now });
        return { result: comparable(one.result), invalid: one.invalid };
      }),
      tallied: tally(accounts, c, false),
      talliedApart: tally(accounts, c, true),
    };
  } catch (error) {
    return `the account scorer threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  }
  try {
    expect(got).toEqual(expected);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * The account scored with beginAccount / addContact / finish. `apart`: each contact's events
 * (when it has a list) given as `events` with their instants from `validateEvent`, as
 * `rubric score --accounts` passes the joined events; otherwise the contact carries them.
 */
function tally(accounts: AccountScorer, c: AccountCase, apart: boolean): unknown {
  if (accounts.contactsReadAccountResult) {
    try {
      accounts.beginAccount(c.account as Lead, { now: c.now });
      return 'no error';
    } catch (error) {
      return error instanceof TypeError ? 'TypeError' : String(error);
    }
  }
  const tallyOf = accounts.beginAccount(c.account as Lead, { now: c.now });
  const contacts: unknown[] = [];
  const invalid: unknown[] = [];
  for (const contact of c.contacts as Lead[]) {
    const events = (contact as { events?: unknown }).events;
    let one;
    if (apart && Array.isArray(events)) {
      const out = { at: Number.NaN };
      const eventTimes = (events as LeadEvent[]).map((event) => {
        plainScorer?.validateEvent(event, out);
        return out.at;
      });
      one = tallyOf.addContact(contact, { events: events as LeadEvent[], eventTimes, eventsChecked: true });
    } else {
      one = tallyOf.addContact(contact);
    }
    contacts.push(comparable(one.result));
    invalid.push([...one.invalid]);
  }
  if (tallyOf.contacts !== c.contacts.length) return `tally counted ${tallyOf.contacts} contacts, not ${c.contacts.length}`;
  if (apart) return { account: comparable(tallyOf.finish()), contacts, invalid };
  // finishAndValidate: the account's own invalid values as validateAccount gives them.
  const finished = tallyOf.finishAndValidate();
  const accountInvalid = accounts.validateAccount(c.account as Lead);
  if (!isDeepStrictEqual([...finished.invalid], [...accountInvalid])) return `finishAndValidate gave ${inspect(finished.invalid)}, validateAccount ${inspect(accountInvalid)}`;
  return { account: comparable(finished.result), contacts, invalid };
}

/** A contact's invalid values as the tally gives them: with `eventsChecked` (events given apart), its own only. */
function ownInvalid(plain: Scorer, contact: Lead, now: string, apart: boolean): unknown {
  const events = (contact as { events?: unknown }).events;
  return apart && Array.isArray(events) ? plain.validate(contact, { now, events: [] }) : plain.validate(contact, { now });
}

/** The file's plain scorer, for `validateEvent` in {@link tally}. */
let plainScorer: Scorer | undefined;

describe('account scorer vs the account oracle', () => {
  it(`agree on ${RUNS} files x ${ACCOUNTS_PER_FILE} accounts (0-4 contacts each)`, () => {
    let compared = 0;
    let contacts = 0;
    let readingResult = 0;
    const property = fc.property(
      arbitraryAccountFileSpec().chain((spec) => fc.record({ spec: fc.constant(spec), cases: fc.array(arbitraryAccountFor(spec), { minLength: ACCOUNTS_PER_FILE, maxLength: ACCOUNTS_PER_FILE }) })),
      ({ spec, cases }) => {
        const text = renderAccountFile(spec);
        const model = modelOf(text);
        const { scorer } = compile(model);
        if (scorer === null || scorer.accounts === null) throw new Error(`compile gave no account scorer:\n${text}`);
        if (model.account?.contactsReadAccountResult === true) readingResult++;
        plainScorer = scorer;
        for (const c of cases) {
          compared++;
          contacts += c.contacts.length;
          const difference = disagreement(model, scorer.accounts, scorer, c);
          if (difference !== undefined) {
            throw new Error(`compiled (received) != oracle (expected)\n${difference}\n--- file ---\n${text}--- account ---\n${JSON.stringify(c, null, 1)}`);
          }
        }
      },
    );
    const details = fc.check(property, { numRuns: RUNS, seed: SEED, endOnFailure: true });
    if (details.failed) {
      throw new Error(`property failed (replay: RUBRIC_PROPERTY_SEED=${details.seed}):\n${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
    }
    expect(compared).toBeGreaterThanOrEqual(RUNS * ACCOUNTS_PER_FILE);
    // The generator reaches both orders of scoring and accounts with contacts.
    expect(readingResult).toBeGreaterThan(0);
    expect(contacts).toBeGreaterThan(RUNS);
    expect(withInvalid).toBeGreaterThan(0);
  });
});
