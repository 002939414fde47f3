/**
 * What scoring takes and returns. These are the types embedders see.
 */

/** One behavioural event of a lead: its type, when it happened, and its properties. */
export interface LeadEvent {
  readonly type: string;
  /**
   * An ISO 8601 string (date-only = 00:00Z; no zone = UTC; a space may stand for the `T`), or in
   * the rule file's `data` date order (`20/02/2026 09:30`), or a Date. Anything else: the event
   * is ignored.
   */
  readonly at: string | Date;
  readonly [property: string]: unknown;
}

/** A lead: a plain object with nested objects or dotted keys; events in `events` if present. */
export type Lead = Readonly<Record<string, unknown>>;

export interface ScoreOptions {
  /** The instant to score at: a Date or an ISO 8601 string. Default: the current time. */
  readonly now?: Date | string;
  /** The lead's events; when given, `lead.events` is ignored. */
  readonly events?: readonly LeadEvent[];
  /**
   * With `events`: each event's instant in epoch milliseconds, at the same index, exactly as
   * `validateEvent(event, out)` gave it in `out.at` (NaN when `at` is not a date). The scorer
   * then does not read or parse `at` again (it re-reads only a NaN one, to report it). An entry
   * that is not a number (or a missing one) means "read this event's `at`". Ignored without
   * `events`. Wrong instants give wrong scores: pass only what `validateEvent` gave.
   */
  readonly eventTimes?: ArrayLike<number>;
}

/** The fast-path result. `stage` and `tier` are null when none is reached. */
export interface ScoreResult {
  readonly score: number;
  readonly stage: string | null;
  readonly tier: string | null;
  /** Each group's value after its clamp, by name, in file order. */
  readonly groups: Readonly<Record<string, number>>;
}

/** A rule that contributed points. */
export interface Hit {
  /** Index of the rule among the file's rules (see `Model.rules`). */
  readonly rule: number;
  /** The rule's label, or its source text when it has none. */
  readonly label: string;
  /** Points it contributed (after its own `up to` cap and decay, before group clamps). */
  readonly points: number;
  readonly group: string | null;
  /** 1-based line of the rule. */
  readonly line: number;
  /** For `each` rules: how many occurrences counted. */
  readonly occurrences?: number;
  /** For `each` rules: true when `up to` cut the total. */
  readonly capped?: boolean;
}

export interface GroupExplanation {
  readonly name: string;
  /** Sum of the group's hits before the clamp. */
  readonly raw: number;
  /** After the clamp. */
  readonly value: number;
  readonly min: number | null;
  readonly max: number | null;
  /** `max` or `min` when the clamp changed the value, else null. */
  readonly clampedBy: 'max' | 'min' | null;
}

export interface StageExplanation {
  readonly name: string;
  readonly threshold: number;
  /** True when this is the lead's stage. */
  readonly isStage: boolean;
  /** Whether every condition of the stage holds (the lead's stage is the last such one). */
  readonly reached: boolean;
  readonly scoreReached: boolean;
  /** `requires` fields that are missing. */
  readonly missing: readonly string[];
  /** The `requires` conditions (items that are not a bare field) that do not hold, in source order. */
  readonly failedRequirements: readonly StageFailure[];
  /** Whether the stage's `when` holds (true when it has none). */
  readonly conditionHolds: boolean;
  /**
   * Where the `when` fails: the conjuncts of its top-level `and` that do not hold, in source
   * order (empty when it holds or there is none).
   */
  readonly failedWhen: readonly StageFailure[];
}

/** A part of a stage's conditions that does not hold, by its source text. */
export interface StageFailure {
  /** As written (one line, comments dropped): `email not ends any personal_domains`. */
  readonly text: string;
  /** For an `or`: its alternatives, none of which holds; else empty. */
  readonly alternatives: readonly string[];
}

/** A lead value that was ignored because it has the wrong type (it counts as missing). */
export interface InvalidValue {
  /** The field (`company.size`) or `EVENT.property` / `EVENT.at`. */
  readonly field: string;
  readonly value: unknown;
  readonly expected: string;
}

export interface Explanation extends ScoreResult {
  /** Rules that fired, in file order. */
  readonly hits: readonly Hit[];
  readonly groupDetails: readonly GroupExplanation[];
  /** The total before `score range` (groups after clamps plus ungrouped rules). */
  readonly rawScore: number;
  /** `max` or `min` when `score range` changed the total, else null. */
  readonly scoreClampedBy: 'max' | 'min' | null;
  /** Every stage in file order, with why it was or was not reached. */
  readonly stages: readonly StageExplanation[];
  readonly invalidValues: readonly InvalidValue[];
  /** The instant scored at, ISO 8601. */
  readonly now: string;
}

/** A compiled rule file. Build once, call for each lead; never throws on any lead value. */
export interface Scorer {
  score(lead: Lead, options?: ScoreOptions): ScoreResult;
  explain(lead: Lead, options?: ScoreOptions): Explanation;
  /** The lead's (and its events') values that have the wrong type and so count as missing. */
  validate(lead: Lead, options?: ScoreOptions): readonly InvalidValue[];
  /**
   * `score` and `validate` in one evaluation: `result` equals `score(lead, options)` and
   * `invalid` equals `validate(lead, options)`, at about the cost of `score` alone. `invalid`
   * may be a shared frozen empty list: do not mutate it.
   */
  scoreAndValidate(lead: Lead, options?: ScoreOptions): { readonly result: ScoreResult; readonly invalid: readonly InvalidValue[] };
  /**
   * One event's wrong-typed values (`EVENT.at`, `EVENT.property` of its declared properties),
   * without evaluating any rule: the same as `validate({}, { events: [event] })`. An event of an
   * undeclared type has none; a value that is not an event is reported as `events`.
   * When `out` is given, `out.at` receives the event's instant (epoch milliseconds; NaN when
   * `at` is not a date or the event is not of a declared type), for `ScoreOptions.eventTimes`.
   * The returned list may be a shared frozen empty list: do not mutate it.
   */
  validateEvent(event: LeadEvent, out?: { at: number }): readonly InvalidValue[];
}

// ---------------------------------------------------------------------------------------------
// Accounts (issue 17)

export interface AccountScoreOptions {
  /** The instant to score at (one for the account and all its contacts): a Date or an ISO 8601 string. Default: the current time. */
  readonly now?: Date | string;
}

/** `ScoreResult` of the account plus each contact's final result, in the order given. */
export interface AccountResult extends ScoreResult {
  readonly contacts: readonly ScoreResult[];
}

/** One value over the account's contacts that the account rules read (`count contacts where ...`). */
export interface AggregateValue {
  /** As written: `count contacts where job in decision_makers`. */
  readonly text: string;
  /** The number the account rules read (null = missing: `best`/`average` over no contact). */
  readonly value: number | null;
  /** How many contacts met its `where` (all contacts without one). */
  readonly contacts: number;
}

/**
 * The account's explanation (hits index `Model.account.scoring.rules`; `invalidValues` are the
 * account's own and those of its contacts' events), the aggregates in source order, and each
 * contact's explanation (its final scoring, in the order given).
 */
export interface AccountExplanation extends Explanation {
  readonly aggregates: readonly AggregateValue[];
  readonly contacts: readonly Explanation[];
}

/**
 * Scores accounts (a file with an `account` block). In this order: each contact is scored with
 * its account's fields as `account.NAME` (the contact's own `account`/`account.*` keys never
 * win); the aggregates over contacts are computed from those results; the account is scored from
 * its fields, the aggregates and the events of all its contacts; when contact rules read
 * `account.stage|score|tier`, the contacts are scored again with them set. Never throws on any
 * value (an invalid `now` option throws, as in `Scorer.score`).
 */
export interface AccountScorer {
  /** Contacts carry their events in `events` (like a Lead). */
  scoreAccount(account: Lead, contacts: readonly Lead[], options?: AccountScoreOptions): AccountResult;
  explainAccount(account: Lead, contacts: readonly Lead[], options?: AccountScoreOptions): AccountExplanation;
  /** The account's own wrong-typed values (declared account fields). */
  validateAccount(account: Lead): readonly InvalidValue[];
  /**
   * A contact without an account (its key missing or naming no account): scored alone, every
   * `account.*` field missing (its own `account` keys are not read, unlike `Scorer.score`).
   */
  scoreContact(contact: Lead, options?: AccountScoreOptions): ScoreResult;
  /** `scoreContact` with why. */
  explainContact(contact: Lead, options?: AccountScoreOptions): Explanation;
  /**
   * `scoreAccount`, and each contact's invalid values (`invalid[i]` for `contacts[i]`) exactly as
   * `Scorer.validate(contact, options)` of the file's scorer gives them (`account.*` values are
   * never invalid), with one evaluation per contact instead of a second one to validate.
   */
  scoreAccountAndValidate(
    account: Lead,
    contacts: readonly Lead[],
    options?: AccountScoreOptions,
  ): { readonly result: AccountResult; readonly invalid: readonly (readonly InvalidValue[])[] };
  /** `scoreContact`, and the contact's invalid values as `Scorer.validate(contact, options)` gives them, in one evaluation. */
  scoreContactAndValidate(contact: Lead, options?: AccountScoreOptions): { readonly result: ScoreResult; readonly invalid: readonly InvalidValue[] };
  /**
   * Whether the contact rules read the account's result (`account.stage`, `account.score`,
   * `account.tier`): then a contact's final result needs its account scored first, and
   * {@link beginAccount} is not available.
   */
  readonly contactsReadAccountResult: boolean;
  /**
   * Scores an account contact by contact, for callers that read contacts as a stream and do not
   * want to hold them (`rubric score --accounts`): add each of the account's contacts with
   * {@link AccountTally.addContact}, then {@link AccountTally.finish}. For the same contacts in
   * the same order, each contact's result and invalid values and the account's result are
   * exactly `scoreAccountAndValidate(account, contacts, options)`'s. The tally holds no contact
   * and no event: only what the account level reads, each aggregate's matching count and values,
   * and the account rules' event values (counts, latest instants, weighted sums, run-limited
   * instants, distinct values) with each contact's events folded in as it is added. Throws a TypeError when {@link contactsReadAccountResult}
   * (use `scoreAccount`). `now` is resolved once here.
   */
  beginAccount(account: Lead, options?: AccountScoreOptions): AccountTally;
  /**
   * {@link beginAccount} for many accounts at once, each by its number (its index in
   * `accounts`), for callers whose contacts come in any account order (`rubric score
   * --accounts` reads them in file order): the same contract for each account, and the accounts'
   * state is kept in flat arrays by number, so adding a contact reaches no object of its account
   * (faster when the accounts are many). `now` is resolved once, for all of them. Throws a
   * TypeError when {@link contactsReadAccountResult}, or when `accounts` is not an array.
   */
  beginAccounts(accounts: readonly Lead[], options?: AccountScoreOptions): AccountTallies;
}

/** A contact's events given apart from the contact (as `ScoreOptions.events` / `eventTimes`). */
export interface ContactEventsOption {
  /** The contact's events; when given, its own `events` are ignored. */
  readonly events?: readonly LeadEvent[];
  /** With `events`: their instants as `Scorer.validateEvent` gave them (see `ScoreOptions.eventTimes`). */
  readonly eventTimes?: ArrayLike<number>;
  /**
   * With `events`: true when the caller checked each of them with `Scorer.validateEvent` (and
   * reported what it found): they are then read as scoring reads them, and `invalid` lists only
   * the contact's own values, as `Scorer.validate(contact, { events: [] })` gives them.
   */
  readonly eventsChecked?: boolean;
}

/**
 * Accounts being scored from their contacts one at a time, each by its number (see
 * {@link AccountScorer.beginAccounts}): account `index` follows the {@link AccountTally}
 * contract. A number that is not one of its accounts' throws a TypeError.
 */
export interface AccountTallies {
  /** How many accounts, numbered from 0. */
  readonly size: number;
  /** {@link AccountTally.addContact} for account `index`. */
  addContact(index: number, contact: Lead, events?: ContactEventsOption): { readonly result: ScoreResult; readonly invalid: readonly InvalidValue[] };
  /** {@link AccountTally.finish} for account `index`. */
  finish(index: number): ScoreResult;
  /** {@link AccountTally.finishAndValidate} for account `index`. */
  finishAndValidate(index: number): { readonly result: ScoreResult; readonly invalid: readonly InvalidValue[] };
  /** How many contacts were added to account `index`. */
  contacts(index: number): number;
}

/** One account being scored from its contacts one at a time (see {@link AccountScorer.beginAccount}). */
export interface AccountTally {
  /**
   * Scores the next contact of the account (its first and final result: the contact rules do not
   * read the account's result) and folds what the account needs of it. `result` and `invalid`
   * are those of `scoreAccountAndValidate` for this contact; `invalid` may be a shared frozen
   * empty list. The contact and its events may be let go after the call. Throws after `finish`.
   */
  addContact(contact: Lead, events?: ContactEventsOption): { readonly result: ScoreResult; readonly invalid: readonly InvalidValue[] };
  /** The account's result from the contacts added (none: an empty account). Once only. */
  finish(): ScoreResult;
  /**
   * {@link finish}, and the account's own invalid values exactly as `validateAccount(account)`
   * gives them, in one evaluation. Once only (either this or `finish`).
   */
  finishAndValidate(): { readonly result: ScoreResult; readonly invalid: readonly InvalidValue[] };
  /** How many contacts were added. */
  readonly contacts: number;
}
