import path from 'node:path';
import picocolors from 'picocolors';
import type { Io } from './io.js';
import { terminalText } from './render/terminal-text.js';

/** Colour functions (picocolors'), all identity functions when colour is off. */
export type Colors = ReturnType<typeof picocolors.createColors>;

/** Exit codes of every command: 0 ok, 1 findings or failures, 2 usage or I/O error. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/**
 * An error the user can fix (a missing file, a bad option value, an unreadable input): printed as
 * `error: message` plus `help: ...`, never with a stack trace. Exit code 2 unless given.
 */
export class CliError extends Error {
  readonly help?: string;
  readonly exitCode: number;

  constructor(message: string, options: { help?: string; exitCode?: number } = {}) {
    super(message);
    this.name = 'CliError';
    this.help = options.help;
    this.exitCode = options.exitCode ?? EXIT_USAGE;
  }
}

export type StreamName = 'stdout' | 'stderr';

/**
 * What a command gets besides its arguments: the {@link Io}, colours that honour `--no-color`
 * and `NO_COLOR`, and a way to set the exit code. Commands never call `process.exit`.
 */
export interface CommandContext {
  readonly io: Io;
  /** Colour functions for text written to `stream` (identity functions when colour is off). */
  colors(stream: StreamName): Colors;
  /** Records an exit code; the highest code recorded wins. */
  setExitCode(code: number): void;
  /** An absolute path for a path the user gave (relative to `io.cwd`). */
  resolvePath(userPath: string): string;
  /** How to show a path in messages: relative to `io.cwd` when inside it, with `/` separators. */
  displayPath(userPath: string): string;
  /** Writes a warning line (`warning: ...`) to stderr. */
  warn(message: string): void;
}

/** The mutable state behind a {@link CommandContext}, owned by `run`. */
export interface ContextState {
  exitCode: number;
  /** False after `--no-color`. */
  colorOption: boolean;
}

export function createContext(io: Io, state: ContextState): CommandContext {
  const plain = picocolors.createColors(false);
  const colored = picocolors.createColors(true);
  const context: CommandContext = {
    io,
    colors(stream) {
      return colorEnabled(io, stream, state.colorOption) ? colored : plain;
    },
    setExitCode(code) {
      state.exitCode = Math.max(state.exitCode, code);
    },
    resolvePath(userPath) {
      return path.resolve(io.cwd, userPath);
    },
    displayPath(userPath) {
      return displayPath(io.cwd, userPath);
    },
    warn(message) {
      const c = context.colors('stderr');
      // Messages quote file names, column names and values: no control character reaches the terminal.
      io.stderr.write(`${c.yellow(c.bold('warning'))}: ${terminalText(message)}\n`);
    },
  };
  return context;
}

/** Colour is on for a terminal stream unless `--no-color` or `NO_COLOR`; `FORCE_COLOR` forces it. */
export function colorEnabled(io: Io, stream: StreamName, colorOption: boolean): boolean {
  if (!colorOption) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  if (io.env.TERM === 'dumb') return false;
  return io.isTTY[stream];
}

/** `userPath` relative to `cwd` when it is inside `cwd`, else absolute; always `/` separators. */
export function displayPath(cwd: string, userPath: string): string {
  const absolute = path.resolve(cwd, userPath);
  const relative = path.relative(cwd, absolute);
  const shown = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolute;
  return shown.split(path.sep).join('/');
}

/**
 * Writes an error (and its help) the way every command reports user errors, control characters
 * of the quoted paths and values escaped.
 */
export function reportError(context: CommandContext, message: string, help?: string): void {
  const c = context.colors('stderr');
  context.io.stderr.write(`${c.red(c.bold('error'))}: ${terminalText(message)}\n`);
  if (help !== undefined) context.io.stderr.write(`  ${c.cyan('help')}: ${terminalText(help)}\n`);
}
