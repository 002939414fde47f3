import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { format, MAX_RULE_FILE_BYTES } from '@rubric/core';
import { CliError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CommandContext } from '../context.js';
import { AtomicOutputFile, expandRuleFilePaths, readTextFile } from '../files.js';
import { addExamples, addHelpSection } from '../help.js';
import { countSummary, plural, renderDiagnostics } from '../render/code-frame.js';
import { unifiedDiff } from '../render/diff-unified.js';
import { terminalText } from '../render/terminal-text.js';

export interface FmtOptions {
  readonly check: boolean;
  readonly write: boolean;
  readonly diff: boolean;
}

const LAYOUT_HELP = `One canonical layout: 2-space indentation in blocks, one space around operators, one
statement per line (\`;\`-joined one-liners are split), lists as [a, b, c], one blank line
between blocks (one-line declarations of the same kind stay together), strings in double
quotes unless that needs more escapes. Long conditions stay broken after \`and\`/\`or\` where
you broke them. Statements are never reordered and columns never aligned; every comment
stays next to the code it was written next to. A file with syntax errors is left as it is.`;

/** `rubric fmt FILE... [--check] [--write] [--diff]`: the canonical formatter. */
export function registerFmtCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('fmt')
    .description('format rule files in the one canonical layout (comments kept, nothing reordered)')
    .argument('<files...>', 'rule files, folders to search for .rubric files, or - for stdin')
    .option('--check', 'change nothing; list the files that are not formatted and exit 1 if any', false)
    .option('--write', 'rewrite the files in place', false)
    .option('--diff', 'show what formatting would change, as a unified diff', false)
    .action(async (files: string[], options: FmtOptions) => {
      context.setExitCode(await runFmt(context, files, options));
    });
  addExamples(command, [
    { command: 'rubric fmt rules/acme.rubric', description: 'print the formatted file' },
    { command: 'rubric fmt --write rules/', description: 'format every .rubric file under rules/ in place' },
    { command: 'rubric fmt --check rules/', description: 'in CI: fail when a file is not formatted' },
    { command: 'rubric fmt --check --diff rules/acme.rubric', description: 'fail, and show what would change' },
  ]);
  addHelpSection(command, 'Layout', LAYOUT_HELP);
  addHelpSection(
    command,
    'Output',
    'With one file and no option, the formatted text goes to stdout. --check lists the files that\nwould change on stdout (one path a line). --write reports the files it changed on stderr.',
  );
  addHelpSection(command, 'Exit codes', '0 formatted (or already formatted); 1 --check found files to format, or a file has syntax errors;\n2 usage or I/O error');
}

interface FileOutcome {
  readonly path: string;
  readonly status: 'unchanged' | 'changed' | 'syntax-errors' | 'internal-error' | 'unreadable';
}

/** Formats `files`; returns the exit code. */
export async function runFmt(context: CommandContext, files: readonly string[], options: FmtOptions): Promise<number> {
  if (options.check && options.write) {
    throw new CliError('--check and --write cannot be used together', {
      help: '--check only reports; run `rubric fmt --write` to format the files',
    });
  }
  const stdin = files.includes('-');
  if (stdin && files.length > 1) {
    throw new CliError('`-` (stdin) cannot be mixed with files', { help: 'format stdin on its own: `rubric fmt - < rules.rubric`' });
  }
  if (stdin && options.write) throw new CliError('--write cannot write back to stdin', { help: 'drop --write: the formatted text goes to stdout' });
  const paths = stdin ? ['-'] : await expandRuleFilePaths(context, files);
  const printing = !options.check && !options.write && !options.diff;
  if (printing && paths.length > 1) {
    throw new CliError(`${plural(paths.length, 'file')} to format and nowhere to put them`, {
      help: 'pass --write to format them in place, --check to list the ones that need it, or --diff to see the changes',
    });
  }

  const { io } = context;
  const outcomes: FileOutcome[] = [];
  for (const userPath of paths) {
    const shown = userPath === '-' ? 'stdin' : context.displayPath(userPath);
    // The path as printed in messages (a file name may hold control characters).
    const named = terminalText(shown);
    let text: string;
    try {
      text = userPath === '-' ? await readStdin(context) : await readTextFile(context, userPath);
    } catch (error) {
      if (!(error instanceof CliError) || paths.length === 1) throw error;
      const c = context.colors('stderr');
      io.stderr.write(`${c.red(c.bold('error'))}: ${terminalText(error.message)}\n`);
      outcomes.push({ path: shown, status: 'unreadable' });
      continue;
    }
    const result = format(text, { uri: shown });
    if (result.diagnostics.length > 0) {
      const c = context.colors('stderr');
      io.stderr.write(renderDiagnostics(result.diagnostics, { path: shown, text }, c));
      io.stderr.write(`\n${c.red(c.bold('error'))}: \`${named}\` has ${countSummary(result.diagnostics)}; not formatted\n`);
      outcomes.push({ path: shown, status: 'syntax-errors' });
      continue;
    }
    if (result.internalError !== undefined) {
      const c = context.colors('stderr');
      io.stderr.write(
        `${c.red(c.bold('error'))}: internal error: cannot format \`${named}\` without changing it: ${terminalText(result.internalError)}; the file is left as it is\n` +
          `  ${c.cyan('help')}: this is a bug in rubric fmt, not in your file; please report it with the file\n`,
      );
      outcomes.push({ path: shown, status: 'internal-error' });
      continue;
    }
    outcomes.push({ path: shown, status: result.changed ? 'changed' : 'unchanged' });
    if (printing) io.stdout.write(result.text);
    if (options.diff && result.changed) io.stdout.write(unifiedDiff(text, result.text, shown));
    if (options.check && result.changed) io.stdout.write(`${named}\n`);
    if (options.write && result.changed) {
      await writeBack(context, userPath, result.text);
      io.stderr.write(`formatted ${named}\n`);
    }
  }

  const changed = outcomes.filter((o) => o.status === 'changed').length;
  const broken = outcomes.filter((o) => o.status === 'syntax-errors').length;
  const failed = outcomes.filter((o) => o.status === 'internal-error').length;
  const unreadable = outcomes.filter((o) => o.status === 'unreadable').length;
  if (!printing) writeSummary(context, options, outcomes.length, changed, broken + failed + unreadable);
  if (unreadable > 0) return EXIT_USAGE;
  if (broken > 0 || failed > 0) return EXIT_FINDINGS;
  if (options.check && changed > 0) return EXIT_FINDINGS;
  return EXIT_OK;
}

function writeSummary(context: CommandContext, options: FmtOptions, total: number, changed: number, skipped: number): void {
  const c = context.colors('stderr');
  const parts: string[] = [];
  if (options.write) parts.push(`${plural(changed, 'file')} formatted`);
  else parts.push(`${plural(changed, 'file')} ${changed === 1 ? 'needs' : 'need'} formatting`);
  parts.push(`${total - changed - skipped} already formatted`);
  if (skipped > 0) parts.push(`${skipped} not formatted (see above)`);
  let line = parts.join(', ');
  if (options.check && changed > 0) line += `; run \`rubric fmt --write\` on ${changed === 1 ? 'it' : 'them'}`;
  context.io.stderr.write(`${changed > 0 && !options.write ? c.yellow(line) : line}\n`);
}

/** Replaces the file atomically, keeping its permissions. */
async function writeBack(context: CommandContext, userPath: string, text: string): Promise<void> {
  const mode = (await stat(context.resolvePath(userPath))).mode & 0o7777;
  const file = await AtomicOutputFile.open(context, userPath);
  try {
    file.stream.write(text);
    await file.close();
    await file.setMode(mode);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/** The rule file on stdin, at most `MAX_RULE_FILE_BYTES` of it (more is an error, exit 2). */
async function readStdin(context: CommandContext): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of context.io.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buffer.length;
    if (total > MAX_RULE_FILE_BYTES) {
      throw new CliError(`cannot read stdin: it holds more than ${MAX_RULE_FILE_BYTES} bytes, over the limit of a rule file (${MAX_RULE_FILE_BYTES / (1024 * 1024)} MB)`, {
        help: `a rule file can be at most ${MAX_RULE_FILE_BYTES / (1024 * 1024)} MB: split it into several files`,
      });
    }
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
