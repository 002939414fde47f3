import { analyze, compile, hasErrors, MAX_RULE_FILE_BYTES, tooLargeAnalysis, type Analysis, type CompiledScorer, type Diagnostic } from '@rubric/core';
import { CliError, EXIT_FINDINGS, type CommandContext } from './context.js';
import { readTextFileBounded } from './files.js';
import { countSummary, formatLocation, renderDiagnostics, shownDiagnostics, sortDiagnostics } from './render/code-frame.js';
import { terminalText } from './render/terminal-text.js';

/** A rule file read from disk and analysed (parsed and checked). */
export interface RuleSource {
  /** The path as the user wrote it. */
  readonly userPath: string;
  /** The path as shown in messages (relative to the working directory). */
  readonly path: string;
  /** The text ('' for a file refused for its size, which is not read). */
  readonly text: string;
  readonly analysis: Analysis;
}

/**
 * Reads and analyses a rule file; throws a {@link CliError} (exit 2) when it cannot be read. A
 * file over `MAX_RULE_FILE_BYTES` is not read into memory: its analysis is the one R040 error.
 */
export async function loadRuleFile(context: CommandContext, userPath: string): Promise<RuleSource> {
  const read = await readTextFileBounded(context, userPath, MAX_RULE_FILE_BYTES);
  const shown = context.displayPath(userPath);
  if ('tooLarge' in read) {
    return { userPath, path: shown, text: '', analysis: tooLargeAnalysis(shown, read.tooLarge.bytes, read.tooLarge.exact) };
  }
  return { userPath, path: shown, text: read.text, analysis: analyze(read.text, shown) };
}

/**
 * Reads, analyses and compiles a rule file for a command that runs it (`score`, `explain`,
 * `build`). When the file has errors, prints every diagnostic with its code frame to stderr and
 * throws a {@link CliError} with exit code 1: nothing runs on rules that do not check.
 * Warnings never stop it; they are counted in one line.
 */
export async function loadScorer(
  context: CommandContext,
  userPath: string,
  purpose: string,
  options: { readonly rows?: boolean } = {},
): Promise<{ source: RuleSource; scorer: CompiledScorer }> {
  const source = await loadRuleFile(context, userPath);
  refuseOnErrors(context, source, purpose);
  // The model checked without errors, so compiling it cannot report any.
  // `rows`: with the row entry (CompileOptions.rows), for a command that scores table rows.
  const { scorer } = compile(source.analysis.model, { rows: options.rows === true });
  if (scorer === null) throw new Error(`the compiler returned no scorer for \`${source.path}\``);
  reportWarningCount(context, source);
  return { source, scorer };
}

/** Prints the file's diagnostics and throws (exit 1) when it has errors; does nothing otherwise. */
export function refuseOnErrors(context: CommandContext, source: RuleSource, purpose: string): void {
  const { diagnostics } = source.analysis;
  if (!hasErrors(diagnostics)) return;
  const c = context.colors('stderr');
  context.io.stderr.write(renderDiagnostics(diagnostics, { path: source.path, text: source.text }, c));
  context.io.stderr.write('\n');
  const errors = diagnostics.filter((d) => d.severity === 'error');
  throw new CliError(`\`${source.path}\` has ${countSummary(errors)}; not ${purpose}`, {
    exitCode: EXIT_FINDINGS,
    help: `fix the errors above, then run again (\`rubric check ${source.userPath}\` lists them)`,
  });
}

/**
 * Warnings listed one per line (`file:line:col: warning CODE: message`) under a count, before a
 * command that produces scores. An unreachable stage or a rule that never fires changes what the
 * scores mean, so it must be visible where they are produced, not only behind `rubric check`.
 */
export const MAX_LISTED_WARNINGS = 10;

/**
 * The lines that list `warnings` of `path` (each indented by two spaces, in reading order), at
 * most {@link MAX_LISTED_WARNINGS} then `and N more`. Messages are escaped for the terminal.
 */
export function warningSummaryLines(path: string, warnings: readonly Diagnostic[]): string[] {
  const shownPath = terminalText(path);
  const sorted = sortDiagnostics(warnings);
  const lines = sorted
    .slice(0, MAX_LISTED_WARNINGS)
    .map((d) => `  ${formatLocation(shownPath, d.range)}: ${d.severity === 'info' ? 'note' : d.severity} ${d.code}: ${terminalText(d.message)}`);
  if (sorted.length > MAX_LISTED_WARNINGS) lines.push(`  and ${sorted.length - MAX_LISTED_WARNINGS} more`);
  return lines;
}

/**
 * A warning on stderr when the file has warnings (they never stop a command): the count, then
 * each warning's one-line summary (see {@link warningSummaryLines}); `rubric check` shows the
 * code frames and the help.
 */
export function reportWarningCount(context: CommandContext, source: RuleSource): void {
  // Warnings a `# rubric: allow` comment accepts are not repeated here.
  const warnings = shownDiagnostics(source.analysis.diagnostics).filter((d) => d.severity !== 'error');
  if (warnings.length === 0) return;
  context.warn(`\`${source.path}\` has ${countSummary(warnings)} (\`rubric check ${source.userPath}\` shows why and how to fix them):`);
  writeWarningSummary(context, source.path, warnings);
}

/** Writes {@link warningSummaryLines} to stderr (after a `context.warn` line that counts them). */
export function writeWarningSummary(context: CommandContext, path: string, warnings: readonly Diagnostic[]): void {
  const lines = warningSummaryLines(path, warnings);
  if (lines.length > 0) context.io.stderr.write(`${lines.join('\n')}\n`);
}
