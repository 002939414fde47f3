import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Position, RubricFile } from './ast.js';
import { AstBuilder } from './cst-to-ast.js';
import { oversizeOf, refusedFile, ruleFileTooLarge } from './file-size.js';
import { lexText } from './lex.js';
import { readStatements, reportedDiagnostics, sortedWithoutCascades } from './read-statements.js';
import { reparseEdit } from './reparse.js';
import { memoryOf, remember, StatementCache, type ParseMemory } from './reuse.js';

/** The tree of a text and its syntax diagnostics (R001–R004, R040). */
export interface ParseResult {
  readonly ast: RubricFile;
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Set when the text has so many syntax errors (`MAX_SYNTAX_ERRORS` lines) that reading stopped
   * there: the tree holds only the statements before it, and the last diagnostic says so.
   */
  readonly stoppedAt?: Position;
}

/**
 * Parses Rubric text into its AST. Never throws: with syntax errors the tree holds every
 * statement that could be read, and `diagnostics` holds every error (with recovery, one pass
 * reports all of them), sorted by position.
 *
 * `previous`, the tree of an earlier version of the same document, makes re-parsing after an
 * edit cheap: only the lines around the change are read again, and statements whose text did not
 * change keep their trees (shifted to their new place). The result is the same as without it.
 *
 * A text over `MAX_RULE_FILE_BYTES` (in UTF-8) is not read at all: the tree is empty and the one
 * diagnostic is R040.
 */
export function parse(text: string, uri = 'untitled.rubric', previous?: RubricFile): ParseResult {
  const oversize = oversizeOf(text);
  if (oversize !== undefined) return { ast: refusedFile(uri, text), diagnostics: [ruleFileTooLarge(oversize)] };
  const memory = memoryOf(previous);
  // After a parse that stopped early, the statements after the stop are unknown: read it all.
  if (memory?.stoppedAt !== undefined) return parseWhole(text, uri, memory);
  return (memory !== undefined ? reparseEdit(text, uri, memory) : undefined) ?? parseWhole(text, uri, memory);
}

function parseWhole(text: string, uri: string, memory: ParseMemory | undefined): ParseResult {
  const lexed = lexText(text);
  const builder = new AstBuilder(text, uri);
  const read = readStatements(text, lexed, builder, memory === undefined ? undefined : new StatementCache(memory.text, memory.statements));
  const comments = lexed.comments;
  const ast = builder.file(read.statements.map((r) => r.statement), comments);
  const diagnostics = sortedWithoutCascades(read.diagnostics);
  const stoppedAt = read.stoppedAt;
  remember(ast, { text, statements: read.statements, comments, diagnostics, ...(stoppedAt !== undefined ? { stoppedAt } : {}) });
  return { ast, diagnostics: reportedDiagnostics(diagnostics, stoppedAt), ...(stoppedAt !== undefined ? { stoppedAt } : {}) };
}

