/**
 * The playground's own requests to its worker, beside the language server's (method names of
 * the playground's own, so they never clash with LSP or `rubric/` ones).
 */
import type { Explanation } from '@rubric/core';

/**
 * The server's own requests (`RUN_TESTS_REQUEST` and `PREVIEW_REQUEST` of
 * @rubric/language-server), written out: importing the constants would bundle the server, and the
 * core, into the page as well as the worker (test/playground/protocol.test.ts keeps them equal).
 */
export const RUN_TESTS = 'rubric/runTests';
export const PREVIEW = 'rubric/preview';

/** `playground/setSample`: the sample pane's text becomes the document's sample leads. */
export const SET_SAMPLE_REQUEST = 'playground/setSample';

export interface SetSampleParams {
  readonly uri: string;
  readonly text: string;
  readonly format: 'jsonl' | 'csv';
  /** What messages call the sample (the example's file name, or `pasted sample`). */
  readonly name: string;
}

export interface SetSampleResult {
  readonly leads: number;
  readonly problems: readonly { readonly line: number; readonly message: string }[];
}

/** `playground/explain`: why one lead of the sample has its score. */
export const EXPLAIN_REQUEST = 'playground/explain';

export interface ExplainParams {
  readonly uri: string;
  /** The rule file's text (the worker compiles it; the same text the server holds). */
  readonly text: string;
  /** The sample line of the lead (`PreviewRow.line`). */
  readonly line: number;
  /** The instant the preview scored at (`PreviewResult.now`). */
  readonly now: string | undefined;
}

export type ExplainResult =
  | { readonly kind: 'explanation'; readonly label: string; readonly explanation: Explanation }
  | { readonly kind: 'error'; readonly message: string };
