/**
 * Every limit Rubric enforces on what it reads, in one place (docs/language.md, "Limits", states
 * each with the diagnostic or message that reports it). A limit is never a crash: going past one
 * gives a diagnostic (rule files) or one rejected row (data), and the rest is still processed.
 */

/** Nesting of parentheses and `not`s in one statement (R003). */
export { MAX_NESTING } from './syntax/tokens.js';

/** A rule file larger than this is refused as a whole with R040 instead of being parsed. */
export const MAX_RULE_FILE_BYTES = 10 * 1024 * 1024;

/**
 * Values of one list after its `let`s are expanded; a list that would hold more is R039, so that
 * `let l1 = [l0, l0]` repeated cannot double its way out of memory.
 */
export const MAX_LIST_VALUES = 100_000;

/**
 * Nodes of one condition after segments are expanded in place (as the compiled scorer and the SQL
 * do); a condition that would be larger is R039.
 */
export const MAX_CONDITION_NODES = 100_000;

/** One data record (a CSV record or a JSONL line), in bytes; a longer one is one rejected row. */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/** Nesting of arrays and objects inside one lead or event value; deeper is one rejected row. */
export const MAX_VALUE_DEPTH = 64;
