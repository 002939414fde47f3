/**
 * The row entry of a compiled scorer (compiler/emit-js-rows.ts): a lead given as the cells of a
 * table row, read by column index. `rubric score` uses it for CSV rows.
 */
import type { AccountScoreOptions, AccountScorer, AccountTallies, AccountTally, InvalidValue, Lead, ScoreOptions, ScoreResult } from './types.js';

/** A table's columns as one scorer reads them (from {@link RowScorer.rowPlan}; opaque). */
export interface RowPlan {
  /** How many columns the header had. */
  readonly columns: number;
}

/** An events table's columns as one scorer reads them (from {@link RowScorer.eventPlan}; opaque). */
export interface EventPlan {
  /** How many columns the header had. */
  readonly columns: number;
}

/**
 * A lead's events given as table rows (see {@link RowScorer.eventPlan}): `rows[i]` is event
 * i's cells, `types[i]` its type (as `LeadEvent.type`), `times[i]` its instant as
 * {@link RowScorer.validateEventRow} gave it (a number, NaN for none; a non-number: `at` is read
 * from the cells).
 */
export interface EventRows {
  readonly plan: EventPlan;
  readonly rows: readonly (readonly unknown[])[];
  readonly types: readonly string[];
  readonly times: readonly unknown[];
}

export interface RowScorer {
  /**
   * The plan for rows of these columns (names as written in the header). A column with no name
   * (empty or whitespace only) is read as no field, however many there are. Throws a TypeError
   * when a name is not a string, a RangeError when two columns have one (non-blank) name.
   */
  rowPlan(columns: readonly string[]): RowPlan;
  /**
   * `scoreAndValidate(lead, options)` for the row's lead: for every column the rules read (a
   * field's `from "COLUMN"`, else its name, dotted as written), the cell as an own property, an
   * empty text being missing; nothing nested (a dotted field with no column of its own name is
   * missing) and no own `events` (only `options.events`). `result` is that call's result;
   * `invalid` is its list without the events' values (`events`, `EVENT.at`, `EVENT.property`),
   * which are not read for validation here: check each event once with `validateEvent`.
   * `plan` must come from this scorer's {@link rowPlan} (a TypeError otherwise).
   * `eventRows`, when given, are the lead's events instead of `options.events` and
   * `options.eventTimes` (the same result as those events as objects with those instants).
   */
  scoreRowAndValidate(
    cells: readonly unknown[],
    plan: RowPlan,
    options?: ScoreOptions,
    eventRows?: EventRows,
  ): { readonly result: ScoreResult; readonly invalid: readonly InvalidValue[] };
  /**
   * The plan for event rows of these columns: `at` is read from the `at` column and each
   * declared property from the column named by its key (its `from "COLUMN"`, else its name), an
   * empty cell being missing. Throws like {@link rowPlan}. With it, an event row is
   * `{ type, at: cell of "at", KEY: cell, ... }` (empty property cells left out) to
   * {@link validateEventRow} and to `scoreRowAndValidate`'s `eventRows`, without an object per
   * event (issue 13: `rubric score --events` reads millions of them).
   */
  eventPlan(columns: readonly string[]): EventPlan;
  /**
   * `validateEvent(event, out)` for the event of type `type` given as `cells` (as
   * {@link eventPlan} says); `type` must be a declared event type (any other gives no problem
   * and NaN). Throws a TypeError when `plan` is not this scorer's.
   */
  validateEventRow(cells: readonly unknown[], type: string, plan: EventPlan, out?: { at: number }): readonly InvalidValue[];
}

/** An events table's columns as both levels of an account scorer read them (from {@link AccountRowScorer.eventPlan}; opaque). */
export interface AccountEventPlan {
  /** How many columns the header had. */
  readonly columns: number;
}

/** A contact's events given as table rows, with a plan from {@link AccountRowScorer.eventPlan}. */
export interface AccountEventRows {
  readonly plan: AccountEventPlan;
  readonly rows: readonly (readonly unknown[])[];
  readonly types: readonly string[];
  readonly times: readonly unknown[];
}

/**
 * The row entry of an account scorer (a file with an `account` block compiled with `rows`):
 * contacts given as the cells of a table row and their events as rows, as {@link RowScorer}
 * takes leads, so `rubric score --accounts` builds no object per contact or event.
 */
export interface AccountRowScorer extends AccountScorer {
  /** The plan for contact rows of these columns: the file's scorer's {@link RowScorer.rowPlan}, with its rules. */
  rowPlan(columns: readonly string[]): RowPlan;
  /** The plan for event rows of these columns, for the contact rules and the account rules (each {@link RowScorer.eventPlan}'s rules). */
  eventPlan(columns: readonly string[]): AccountEventPlan;
  beginAccount(account: Lead, options?: AccountScoreOptions): AccountRowTally;
  beginAccounts(accounts: readonly Lead[], options?: AccountScoreOptions): AccountRowTallies;
}

/** {@link AccountTallies} that also take contacts as table rows. */
export interface AccountRowTallies extends AccountTallies {
  /** {@link AccountRowTally.addContactRow} for account `index`. */
  addContactRow(index: number, cells: readonly unknown[], plan: RowPlan, eventRows?: AccountEventRows): { readonly result: ScoreResult; readonly invalid: readonly InvalidValue[] };
}

/** An {@link AccountTally} that also takes contacts as table rows. */
export interface AccountRowTally extends AccountTally {
  /**
   * {@link AccountTally.addContact} for the contact given as the row's `cells` (read as
   * {@link RowScorer.scoreRowAndValidate} reads a row: `account.*` never from a cell, always its
   * account's) and its events as `eventRows` (none when undefined), checked by the caller with
   * {@link RowScorer.validateEventRow}: the same result, invalid values (the contact's own only)
   * and fold as `addContact(lead, { events, eventTimes, eventsChecked: true })` for that lead and
   * those events as objects. `plan` must come from {@link AccountRowScorer.rowPlan} and the
   * events' plan from {@link AccountRowScorer.eventPlan} (a TypeError otherwise).
   */
  addContactRow(cells: readonly unknown[], plan: RowPlan, eventRows?: AccountEventRows): { readonly result: ScoreResult; readonly invalid: readonly InvalidValue[] };
}
