/**
 * The reference meaning of account scoring (issue 17), written from the spec (docs/language.md,
 * "Accounts"; `AccountModel`) on top of {@link interpret}, independently of the compiler, the IR
 * and the account glue:
 * 1. each contact is interpreted with its account's field values as `account.NAME` (a copy of the
 *    contact whose `account.NAME` keys are the account's values, so the contact's own `account`
 *    keys never win) and `account.stage|score|tier` missing; each aggregate's `where` is
 *    evaluated by the interpreter over that contact's result (after its stage and tier);
 * 2. each aggregate is computed here from those results (exact hundredths; `top N` = the N
 *    highest by a full sort; `average` rounded half away from zero), and the account is
 *    interpreted with the scoring model from a copy of its record holding the aggregates as
 *    `contacts#N`, with the events of all its contacts;
 * 3. when contacts read the account's result, each contact is interpreted again with
 *    `account.stage`, `account.score` and `account.tier` set.
 */
import type { Model } from '../../src/checker/model.js';
import type { Lead } from '../../src/runtime/types.js';
import { interpret, roundHalfAwayFromZero, toHundredths, type OracleResult } from './interpret.js';
import { readDeclared } from './values.js';

export interface OracleAggregate {
  /** What the account rules read (null: missing). */
  readonly value: number | null;
  /** Contacts meeting the `where` (all without one). */
  readonly contacts: number;
}

export interface OracleAccountResult {
  readonly account: OracleResult;
  readonly aggregates: readonly OracleAggregate[];
  /** Each contact's final result, in the order given. */
  readonly contacts: readonly OracleResult[];
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of a record's own properties (any key, `__proto__` included) plus `extra`, which wins. */
function withOwn(record: unknown, extra: ReadonlyMap<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  const put = (key: string, value: unknown): void => {
    Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  };
  if (isRecord(record)) for (const key of Object.getOwnPropertyNames(record)) put(key, record[key]);
  for (const [key, value] of extra) put(key, value);
  return copy;
}

/** A contact's own events (only an own `events` array counts, as for a lead). */
function eventsOf(contact: unknown): readonly unknown[] {
  if (!isRecord(contact) || !Object.prototype.hasOwnProperty.call(contact, 'events')) return [];
  const events = contact.events;
  return Array.isArray(events) ? events : [];
}

/** `aggregate` over `values` (hundredths of the contacts meeting its `where`), as the spec says. */
export function aggregateValue(kind: 'count' | 'best' | 'sum' | 'average', values: readonly number[], top: number | null): number | null {
  if (kind === 'count') return values.length;
  const kept = top === null ? [...values] : [...values].sort((a, b) => b - a).slice(0, top);
  if (kind === 'best') return kept.length === 0 ? null : Math.max(...kept) / 100;
  const sum = kept.reduce((a, b) => a + b, 0);
  if (kind === 'sum') return sum / 100;
  return kept.length === 0 ? null : roundHalfAwayFromZero(sum / kept.length) / 100;
}

/** Scores an account and its contacts the way the spec says. `model` is the file's (contact) model. */
export function interpretAccount(model: Model, account: Lead, contacts: readonly Lead[], options: { readonly now: Date | string }): OracleAccountResult {
  const side = model.account;
  if (side === null) throw new Error('interpretAccount: the file has no account block');
  // The contact model's `account.*` fields: each is read from its key (and column, if any).
  const keysOf = (name: string): string[] => {
    const info = model.fields.get(name);
    if (info === undefined) return [];
    return info.column === undefined || info.column === name ? [name] : [name, info.column];
  };
  const accountValues = new Map<string, unknown>();
  for (const [name, info] of side.fields) {
    const value = readDeclared(account, name, info.column);
    for (const key of keysOf(`account.${name}`)) accountValues.set(key, value);
  }
  for (const name of ['account.stage', 'account.score', 'account.tier']) for (const key of keysOf(name)) accountValues.set(key, undefined);

  const wheres = side.aggregates.map((a) => a.where).filter((w): w is NonNullable<typeof w> => w !== null);
  const first = contacts.map((contact) => interpret(model, withOwn(contact, accountValues), { now: options.now, conditions: wheres }));

  const aggregates: OracleAggregate[] = [];
  const aggregateFields = new Map<string, unknown>();
  let probe = 0;
  for (const aggregate of side.aggregates) {
    const index = aggregate.where === null ? -1 : probe++;
    const meeting = first.filter((r) => index < 0 || r.conditions[index]);
    const values = meeting.map((r) => {
      const of = aggregate.of;
      if (of === null || of.kind === 'score') return toHundredths(r.score);
      return toHundredths(Object.prototype.hasOwnProperty.call(r.groups, of.name) ? r.groups[of.name] : 0);
    });
    const value = aggregateValue(aggregate.kind, values, aggregate.top);
    aggregates.push({ value, contacts: meeting.length });
    aggregateFields.set(aggregate.field, value === null ? undefined : value);
  }
  const allEvents = contacts.flatMap((c) => [...eventsOf(c)]);
  const accountResult = interpret(side.scoring, withOwn(account, aggregateFields), { now: options.now, events: allEvents });

  let final = first;
  if (side.contactsReadAccountResult) {
    const again = new Map(accountValues);
    for (const key of keysOf('account.stage')) again.set(key, accountResult.stage ?? undefined);
    for (const key of keysOf('account.score')) again.set(key, accountResult.score);
    for (const key of keysOf('account.tier')) again.set(key, accountResult.tier ?? undefined);
    final = contacts.map((contact) => interpret(model, withOwn(contact, again), { now: options.now }));
  }
  return { account: accountResult, aggregates, contacts: final };
}
