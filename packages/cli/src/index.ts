/**
 * @rubric/cli — the `rubric` command line. `run(argv, io)` runs it in-process (for tests and
 * embedding); `main()` runs it as the process (bin/rubric.js).
 */
export { run, main, createProgram } from './program.js';
export { processIo, type Io } from './io.js';
export { CliError, EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, type CommandContext } from './context.js';
