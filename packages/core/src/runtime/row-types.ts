/**
 * The row entry of a compiled scorer (compiler/emit-js-rows.ts): a lead given as the cells of a
 * table row, read by column index. `rubric score` uses it for CSV rows.
 */
import type { InvalidValue, ScoreOptions, ScoreResult } from './types.js';

/** A table's columns as one scorer reads them (from {@link RowScorer.rowPlan}; opaque). */
export interface RowPlan {
  /** How many columns the header had. */
  readonly columns: number;
}

export interface RowScorer {
  /**
   * The plan for rows of these columns (names as written in the header). Throws a TypeError when
   * a name is not a string, a RangeError when two columns have one name.
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
   */
  scoreRowAndValidate(
    cells: readonly unknown[],
    plan: RowPlan,
    options?: ScoreOptions,
  ): { readonly result: ScoreResult; readonly invalid: readonly InvalidValue[] };
}
