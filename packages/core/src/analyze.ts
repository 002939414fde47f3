import { check } from './checker/check.js';
import type { Model, SymbolTable } from './checker/model.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import type { RubricFile } from './syntax/ast.js';
import { parse } from './syntax/parse.js';

/** Everything known about one text: its tree, its checked model, all diagnostics, its symbols. */
export interface Analysis {
  readonly ast: RubricFile;
  readonly model: Model;
  /** Parse diagnostics then checker diagnostics, each in source order. */
  readonly diagnostics: readonly Diagnostic[];
  readonly symbols: SymbolTable;
}

/**
 * Parses and checks `text` in one call (what the CLI and the language server use). Never throws
 * on any text: a file with syntax errors still gets a best-effort model and every diagnostic.
 * `previous`, the analysis of an earlier version of the same document, lets the parser reuse the
 * trees of unchanged statements (see {@link parse}); the result is the same as without it.
 */
export function analyze(text: string, uri = 'untitled.rubric', previous?: Analysis): Analysis {
  const parsed = parse(text, uri, previous?.ast);
  const checked = check(parsed.ast);
  return {
    ast: parsed.ast,
    model: checked.model,
    diagnostics: [...parsed.diagnostics, ...checked.diagnostics],
    symbols: checked.symbols,
  };
}
