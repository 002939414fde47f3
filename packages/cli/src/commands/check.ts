import { Option, type Command } from 'commander';
import { hasErrors } from '@rubric/core';
import { CliError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CommandContext } from '../context.js';
import { expandRuleFilePaths } from '../files.js';
import { addExamples } from '../help.js';
import { countSummary, plural, renderDiagnostics, shownDiagnostics } from '../render/code-frame.js';
import { countReports, renderCheckJson, type FileReport } from '../render/json.js';
import { renderCheckSarif } from '../render/sarif.js';
import { terminalText } from '../render/terminal-text.js';
import { loadRuleFile } from '../rules.js';
import { cliVersion } from '../version.js';

export interface CheckOptions {
  readonly format: 'text' | 'json' | 'sarif';
  readonly strict?: boolean;
}

/** `rubric check FILE...`: every diagnostic of every file; exit 1 on errors (or warnings with --strict). */
export function registerCheckCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('check')
    .description('report every error and warning in rule files, with a code frame and a fix hint')
    .argument('<files...>', 'rule files, or folders to search for .rubric files')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('--strict', 'fail (exit 1) on warnings too')
    .action(async (files: string[], options: CheckOptions) => {
      context.setExitCode(await runCheck(context, files, options));
    });
  addExamples(command, [
    { command: 'rubric check rules/acme.rubric', description: 'check one file' },
    { command: 'rubric check rules/ --strict', description: 'check every .rubric file under rules/, failing on warnings too' },
    { command: 'rubric check rules/ --format sarif > rubric.sarif', description: 'SARIF for GitHub code scanning (inline annotations)' },
  ]);
  command.addHelpText('after', '\nExit codes: 0 no errors, 1 errors (or warnings with --strict), 2 usage or unreadable file.');
}

/** Checks `files` and writes the report to stdout in `options.format`; returns the exit code. */
export async function runCheck(context: CommandContext, files: readonly string[], options: CheckOptions): Promise<number> {
  const reports: FileReport[] = [];
  for (const userPath of await expandRuleFilePaths(context, files)) {
    try {
      const source = await loadRuleFile(context, userPath);
      reports.push({ path: source.path, text: source.text, diagnostics: source.analysis.diagnostics });
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      reports.push({ path: context.displayPath(userPath), diagnostics: [], readError: error.message });
    }
  }

  const { io } = context;
  if (options.format === 'json') {
    io.stdout.write(renderCheckJson(reports));
  } else if (options.format === 'sarif') {
    io.stdout.write(renderCheckSarif(reports, { cwd: io.cwd, version: cliVersion() }));
  } else {
    writeTextReport(context, reports);
  }
  for (const report of reports) {
    if (report.readError !== undefined && options.format !== 'text') {
      // Machine formats keep stdout parseable; the person running it still sees the failure.
      const c = context.colors('stderr');
      io.stderr.write(`${c.red(c.bold('error'))}: ${terminalText(report.readError)}\n`);
    }
  }

  const counts = countReports(reports);
  if (counts.unreadable > 0) return EXIT_USAGE;
  if (reports.some((report) => hasErrors(report.diagnostics))) return EXIT_FINDINGS;
  if (options.strict === true && counts.warnings + counts.notes > 0) return EXIT_FINDINGS;
  return EXIT_OK;
}

function writeTextReport(context: CommandContext, reports: readonly FileReport[]): void {
  const { io } = context;
  const c = context.colors('stdout');
  let first = true;
  for (const report of reports) {
    if (report.readError !== undefined) {
      const e = context.colors('stderr');
      io.stderr.write(`${e.red(e.bold('error'))}: ${terminalText(report.readError)}\n`);
      continue;
    }
    if (shownDiagnostics(report.diagnostics).length === 0) continue;
    if (!first) io.stdout.write('\n');
    first = false;
    io.stdout.write(renderDiagnostics(report.diagnostics, { path: report.path, text: report.text ?? '' }, c));
  }
  const counts = countReports(reports);
  const all = reports.flatMap((report) => report.diagnostics);
  const checked = reports.length - counts.unreadable;
  let summary = `${countSummary(all)} in ${plural(checked, 'file')}`;
  if (counts.unreadable > 0) summary += `; ${plural(counts.unreadable, 'file')} could not be read`;
  if (!first) io.stdout.write('\n');
  const paint = counts.errors > 0 || counts.unreadable > 0 ? c.red : counts.warnings > 0 ? c.yellow : c.green;
  io.stdout.write(`${paint(summary)}\n`);
}
