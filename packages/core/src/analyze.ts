import { applyAllowComments } from './checker/allow-comments.js';
import { check } from './checker/check.js';
import { equalsListDiagnostic } from './checker/equals-list.js';
import type { Model, SymbolTable } from './checker/model.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import type { RubricFile } from './syntax/ast.js';
import { oversizeOf, refusedFile, ruleFileTooLarge } from './syntax/file-size.js';
import { parse } from './syntax/parse.js';

/** Everything known about one text: its tree, its checked model, all diagnostics, its symbols. */
export interface Analysis {
  readonly ast: RubricFile;
  readonly model: Model;
  /**
   * Parse diagnostics then checker diagnostics, each in source order, then R050/R051 for
   * `# rubric: allow` comments; the warnings those comments accept are kept, marked `allowed`.
   */
  readonly diagnostics: readonly Diagnostic[];
  readonly symbols: SymbolTable;
}

/**
 * Parses and checks `text` in one call (what the CLI and the language server use). Never throws
 * on any text: a file with syntax errors still gets a best-effort model and every diagnostic.
 * `previous`, the analysis of an earlier version of the same document, lets the parser reuse the
 * trees of unchanged statements (see {@link parse}); the result is the same as without it.
 * A text over `MAX_RULE_FILE_BYTES` is neither parsed nor checked: its one diagnostic is R040. A
 * text with too many syntax errors is read up to them, and has only its syntax diagnostics.
 */
export function analyze(text: string, uri = 'untitled.rubric', previous?: Analysis): Analysis {
  const oversize = oversizeOf(text);
  if (oversize !== undefined) return tooLargeAnalysis(uri, oversize, true, text);
  const parsed = parse(text, uri, previous?.ast);
  // The checker does not see statements that did not parse: it is told where they were, so it
  // does not call a name unused that a broken statement uses (issue 15).
  // (When reading stopped, the checker's diagnostics are dropped below: nothing to spare.)
  const syntaxErrors = parsed.stoppedAt !== undefined ? [] : parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => d.range);
  const checked = check(parsed.ast, { syntaxErrors });
  return {
    ast: parsed.ast,
    model: checked.model,
    // When reading stopped after too many syntax errors, the checker saw only part of the file:
    // what it says (unknown names declared further down, no `lead` block) would mislead.
    // `# rubric: allow CODE` comments mark the warnings they accept (`allowed: true`).
    diagnostics:
      parsed.stoppedAt !== undefined
        ? parsed.diagnostics
        : applyAllowComments(parsed.ast, [...parsed.diagnostics.map((d) => equalsListDiagnostic(text, d, checked.model) ?? d), ...checked.diagnostics]),
    symbols: checked.symbols,
  };
}

/**
 * The analysis of a rule file refused for its size (R040) without reading it: `bytes` is its
 * size (`exact` false: at least that many, when it was read only up to the limit). What the CLI
 * reports for a file whose size on disk is over `MAX_RULE_FILE_BYTES`; `text` is what was read,
 * if anything. The model is empty and R040 is the only diagnostic.
 */
export function tooLargeAnalysis(uri: string, bytes: number, exact = true, text = ''): Analysis {
  const ast = refusedFile(uri, text);
  // The checker on an empty tree only builds the empty model and symbols; its diagnostics
  // (no `lead` block, ...) would be about the refusal, not the file, so they are dropped.
  const checked = check(ast);
  return { ast, model: checked.model, diagnostics: [ruleFileTooLarge(bytes, exact)], symbols: checked.symbols };
}
