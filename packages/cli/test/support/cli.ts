/**
 * Test support: run the CLI in-process with captured streams and a fixed clock, in a temporary
 * working directory; compare output with golden files.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Io } from '../../src/io.js';
import { run } from '../../src/program.js';

/** A writable that keeps everything written to it. */
export class CapturedStream extends Writable {
  text = '';

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    callback();
  }
}

export interface RunOptions {
  /** Text (or a stream) for stdin. */
  readonly stdin?: string | Readable;
  readonly env?: Record<string, string | undefined>;
  /** Pretend stdout and stderr are terminals. */
  readonly tty?: boolean;
  /** The clock's time (default 2026-03-01T12:00:00Z). */
  readonly now?: string;
  readonly stdout?: Writable;
  readonly stderr?: CapturedStream;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A captured stream that says it is a terminal (for the progress bar). */
export class TerminalStream extends CapturedStream {
  readonly isTTY = true;
  readonly columns = 100;
}

/** A temporary working directory with helpers to write and read files in it. */
export class Workspace {
  readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'rubric-cli-test-'));
  }

  write(name: string, text: string): string {
    const full = path.join(this.dir, name);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    return name;
  }

  read(name: string): string {
    return readFileSync(path.join(this.dir, name), 'utf8');
  }

  path(name: string): string {
    return path.join(this.dir, name);
  }

  /** Runs `rubric ...args` in-process in this directory. */
  async run(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const stdout = options.stdout ?? new CapturedStream();
    const stderr = options.stderr ?? new CapturedStream();
    const stdin = options.stdin === undefined ? Readable.from([]) : typeof options.stdin === 'string' ? Readable.from([options.stdin]) : options.stdin;
    const io: Io = {
      stdout,
      stderr,
      stdin,
      isTTY: { stdout: options.tty === true, stderr: options.tty === true, stdin: false },
      env: options.env ?? {},
      cwd: this.dir,
      now: () => new Date(options.now ?? '2026-03-01T12:00:00Z'),
    };
    const code = await run(args, io);
    return { code, stdout: stdout instanceof CapturedStream ? stdout.text : '', stderr: stderr.text };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const GOLDEN_DIR = fileURLToPath(new URL('../golden/', import.meta.url));

/** Makes output stable: the workspace path becomes `<tmp>`, the clock's time `<now>`. */
export function normalize(text: string, workspace?: Workspace): string {
  let out = text;
  if (workspace !== undefined) {
    out = out.split(`file://${workspace.dir}`).join('file://<tmp>').split(workspace.dir).join('<tmp>');
  }
  return out.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z \(the current time/g, '<now> (the current time');
}

/**
 * Compares a run with `golden/NAME.txt`, a readable transcript: the command, the exit code,
 * stdout and stderr. `UPDATE_GOLDEN=1` rewrites the file instead.
 */
export function expectGolden(name: string, args: readonly string[], result: RunResult, workspace?: Workspace): void {
  const transcript = [
    `$ rubric ${args.map((arg) => (/^[\w./:=@,-]+$/.test(arg) ? arg : `'${arg}'`)).join(' ')}`,
    `exit ${result.code}`,
    '--- stdout',
    normalize(result.stdout, workspace).trimEnd(),
    '--- stderr',
    normalize(result.stderr, workspace).trimEnd(),
    '',
  ].join('\n');
  const file = path.join(GOLDEN_DIR, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, transcript);
    return;
  }
  let expected: string;
  try {
    expected = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`golden file ${name}.txt is missing; run with UPDATE_GOLDEN=1 to create it`);
  }
  expect(transcript).toBe(expected);
}

/** A stream whose writes wait until `release()` (a slow consumer, for backpressure tests). */
export class BlockedStream extends Writable {
  text = '';
  private waiting: (() => void)[] = [];
  private released = false;

  constructor() {
    super({ highWaterMark: 1024 });
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const done = (): void => {
      this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      callback();
    };
    if (this.released) done();
    else this.waiting.push(done);
  }

  release(): void {
    this.released = true;
    for (const done of this.waiting.splice(0)) done();
  }
}

export { PassThrough };
