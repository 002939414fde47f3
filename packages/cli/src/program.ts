/**
 * The `rubric` program: a commander program with one command per file in `./commands/`.
 *
 * HOW TO ADD A COMMAND (this is how `fmt` and `diff` plug in):
 *
 *  1. Create `src/commands/NAME.ts` exporting
 *
 *       export function registerNameCommand(program: Command, context: CommandContext): void
 *
 *     It calls `program.command('NAME')` with its arguments, options and description, adds help
 *     examples with `addExamples` (../help.js), and gives an async action that does the work
 *     through `context.io` (never `process.*`) and ends with `context.setExitCode(code)`:
 *     EXIT_OK (0) ok, EXIT_FINDINGS (1) findings or failures, EXIT_USAGE (2) usage or I/O error.
 *     For a user error (missing file, bad option value) throw `CliError` (../context.js): `run`
 *     prints `error: ...` and `help: ...` and exits 2; never a stack trace, never process.exit.
 *     Shared helpers: `loadRuleFile`/`readTextFile` (../files.js), `renderDiagnostics`
 *     (../render/code-frame.js), `context.colors(stream)` for colour.
 *
 *  2. Add ONE import and ONE call in `registerCommands` below.
 *
 * Commands are testable in-process: `await run(['check', 'x.rubric'], io)` returns the exit code.
 */
import { Command, CommanderError } from 'commander';
import { registerBacktestCommand } from './commands/backtest.js';
import { registerBuildCommand } from './commands/build.js';
import { registerCheckCommand } from './commands/check.js';
import { registerDiffCommand } from './commands/diff.js';
import { registerExplainCommand } from './commands/explain.js';
import { registerFmtCommand } from './commands/fmt.js';
import { registerProfileCommand } from './commands/profile.js';
import { registerReportCommand } from './commands/report.js';
import { registerScoreCommand } from './commands/score.js';
import { registerTestCommand } from './commands/test.js';
import {
  CliError,
  createContext,
  displayPath,
  EXIT_OK,
  EXIT_USAGE,
  reportError,
  type CommandContext,
  type ContextState,
} from './context.js';
import { describeFileError } from './files.js';
import { addExamples, addHelpSection } from './help.js';
import { processIo, type Io } from './io.js';
import { cliVersion } from './version.js';

/** Adds every command to `program`. One line per command. */
function registerCommands(program: Command, context: CommandContext): void {
  registerCheckCommand(program, context);
  registerTestCommand(program, context);
  registerScoreCommand(program, context);
  registerExplainCommand(program, context);
  registerProfileCommand(program, context);
  registerBuildCommand(program, context);
  registerFmtCommand(program, context);
  registerDiffCommand(program, context);
  registerBacktestCommand(program, context);
  registerReportCommand(program, context);
}

/** Help is laid out for this width so it reads the same in a terminal, a pipe and a test. */
const HELP_WIDTH = 100;

/**
 * Builds the commander program for one run. Output goes through `context.io`; commander's own
 * errors (unknown option, missing argument) throw instead of exiting, so `run` maps them to 2.
 */
export function createProgram(context: CommandContext): Command {
  const { io } = context;
  const program = new Command('rubric');
  program
    .description('Rubric: check, test, run and build lead-scoring rule files.')
    .version(cliVersion(), '-V, --version', 'print the version')
    .option('--no-color', 'print without colours (NO_COLOR=1 does the same)')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false, helpWidth: HELP_WIDTH })
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(context.colors('stderr').red(text)),
      getOutHelpWidth: () => HELP_WIDTH,
      getErrHelpWidth: () => HELP_WIDTH,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .exitOverride();

  registerCommands(program, context);

  addExamples(program, [
    { command: 'rubric check rules/acme.rubric', description: 'report every error and warning with a code frame' },
    { command: 'rubric test rules/acme.rubric --coverage', description: 'run the tests written in the file' },
    { command: 'rubric score rules/acme.rubric leads.csv --out scored.csv', description: 'score a CSV of leads' },
    { command: `rubric explain rules/acme.rubric --lead '{"job": "CEO"}'`, description: 'explain one lead\'s score' },
    { command: 'rubric profile rules/acme.rubric export.csv', description: 'see how an export reads, and what to declare in a `data` block' },
    { command: 'rubric build rules/acme.rubric --out dist/', description: 'compile to a standalone JavaScript module' },
  ]);
  addHelpSection(
    program,
    'Exit codes',
    '0  success\n1  findings: errors in a rule file, failing tests, bad rows with --strict\n2  usage or I/O error: bad arguments, missing or unreadable file',
  );
  return program;
}

/**
 * Runs the `rubric` command line with `argv` (the arguments after `rubric`) and returns the exit
 * code. Never throws and never calls `process.exit`; user errors are printed, not thrown.
 */
export async function run(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const state: ContextState = { exitCode: EXIT_OK, colorOption: !beforeDoubleDash(argv).includes('--no-color') };
  const context = createContext(io, state);
  const program = createProgram(context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help/version) already.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof CliError) {
      reportError(context, error.message, error.help);
      return error.exitCode;
    }
    if (isSystemError(error)) {
      // A file-system or stream failure mid-run (disk full, file removed): the user's to fix.
      const where = typeof error.path === 'string' ? ` on \`${displayPath(io.cwd, error.path)}\`` : '';
      reportError(context, `input/output error${where}: ${describeFileError(error)}`);
      return EXIT_USAGE;
    }
    const detail = error instanceof Error ? error.message : String(error);
    reportError(
      context,
      `internal error: ${detail}`,
      'this is a bug in rubric, not in your files; please report it with the command you ran (RUBRIC_DEBUG=1 shows the stack)',
    );
    if (io.env.RUBRIC_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT_USAGE;
  }
  return state.exitCode;
}

/** Entry point of `bin/rubric.js`: runs with the real process and sets its exit code. */
export async function main(): Promise<void> {
  // `rubric score ... | head` closes stdout early: stop quietly instead of failing with EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`error: cannot write to stdout: ${describeFileError(error)}\n`);
    process.exit(EXIT_USAGE);
  });
  process.exitCode = await run(process.argv.slice(2), processIo());
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && /^E[A-Z]+$/.test(String((error as NodeJS.ErrnoException).code));
}

function beforeDoubleDash(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf('--');
  return end === -1 ? argv : argv.slice(0, end);
}
