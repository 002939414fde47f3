/**
 * Every limit Rubric enforces on what it reads, in one place (docs/language.md, "Limits", states
 * each with the diagnostic or message that reports it). A limit is never a crash: going past one
 * gives a diagnostic (rule files) or one rejected row (data), and the rest is still processed.
 */

/** Nesting of parentheses and `not`s in one statement (R003). */
export { MAX_NESTING } from './syntax/tokens.js';

/**
 * A rule file larger than this (2 MiB, about 40,000 rules: four times the largest file the
 * benchmarks compile) is refused as a whole with R040 instead of being parsed, so checking any
 * file takes seconds and a few hundred megabytes at most (a 2 MiB file of 40,000 rules: ~3 s).
 */
export const MAX_RULE_FILE_BYTES = 2 * 1024 * 1024;

/**
 * Values of one list after its `let`s are expanded; a list that would hold more is R039, so that
 * `let l1 = [l0, l0]` repeated cannot double its way out of memory.
 */
export const MAX_LIST_VALUES = 100_000;

/**
 * Nodes of one condition with its segments written out in place; a condition that would be larger
 * is R039. The compiled scorer and the SQL compute each segment once and refer to it, so they do
 * not grow this way; the checker's analyses that do expand segments (never-fires, duplicate
 * rules) are what this keeps bounded.
 */
export const MAX_CONDITION_NODES = 100_000;

/** One data record (a CSV record or a JSONL line), in bytes; a longer one is one rejected row. */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/** Nesting of arrays and objects inside one lead or event value; deeper is one rejected row. */
export const MAX_VALUE_DEPTH = 64;

/**
 * Largest magnitude of a number written in a rule file (R041), 9,999,999,999,999.99: with at most
 * two decimals that is 15 significant digits, the most a double keeps exactly both ways (the
 * literal reads into the nearest double and prints back as written), so points turn into exact
 * integer hundredths and scores print back to the hundredth.
 */
export const MAX_NUMBER = 9_999_999_999_999.99;

/**
 * Longest duration written in a rule file (R041), in seconds: 100,000,000 days, the span of a
 * JavaScript date either side of 1970 (8.64e15 ms), so a `within` window, an `N days ago` or a
 * half-life stays below 2^53 milliseconds and `now` minus a window is still a date.
 */
export const MAX_DURATION_SECONDS = 100_000_000 * 86_400;

/**
 * Values copied out of list `let`s in one file, counting every list that names one and every
 * use of one in a condition (the compiled scorer and the SQL hold each copy); past it, R039. Keeps
 * a file of `job in big_list` lines from holding millions of copies.
 */
export const MAX_LIST_VALUES_PER_FILE = 2_000_000;

/**
 * Characters copied out of `let`s into the conditions of one file (each use of a text or list
 * `let` counts its whole text, as the compiled scorer and the SQL write it out each time); past
 * it, R039. Keeps a long text `let` used on every line from making gigabytes of compiled code.
 */
export const MAX_LET_TEXT_PER_FILE = 50_000_000;

/*
 * The language server's previews read sample files, so their limits live with that I/O, in
 * packages/language-server/src/sample-files.ts and sample-leads.ts: MAX_SAMPLE_BYTES (20 MiB: of a
 * larger JSON Lines sample only the leads of its start are read), MAX_SAMPLE_ARRAY_BYTES (4 MiB: a
 * larger JSON array sample is not read), MAX_SAMPLE_LEADS (5,000 leads previewed) and
 * MAX_PREVIEW_SCORING_MS (1 s of scoring per preview). A sample that is not a regular file (a
 * device, a FIFO) is never read. Each is said in the code lens and the preview when it applies.
 */

/**
 * Lines with syntax errors (R001–R004) read in one file: reading stops at the statement where
 * this many lines have errors, and one more R001 there says the rest was not read (nor checked).
 * A file whose lexical errors alone are more lists this many and says how many more there are.
 */
export const MAX_SYNTAX_ERRORS = 100;

/**
 * Tokens of one statement between terminators (a line, or the lines an open bracket joins);
 * a longer statement is R040 and not parsed (a list of `MAX_LIST_VALUES` values fits).
 */
export { MAX_STATEMENT_TOKENS } from './syntax/tokens.js';
