import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { RubricFile } from './ast.js';

/** The tree of a text and its syntax diagnostics (R001–R009). */
export interface ParseResult {
  readonly ast: RubricFile;
  readonly diagnostics: readonly Diagnostic[];
}

// The lead is writing the chevrotain parser now (lexer.ts, parser.ts, cst-to-ast.ts); this
// signature is the contract.
export declare function parse(text: string, uri?: string): ParseResult;
