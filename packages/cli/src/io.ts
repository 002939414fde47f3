import type { Readable, Writable } from 'node:stream';

/**
 * Everything a command touches outside its arguments and the file system: the standard streams,
 * whether they are terminals, the environment, the working directory and the clock. Commands
 * take an `Io` instead of reading `process`, so tests run them in-process with captured streams
 * and a fixed clock.
 */
export interface Io {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: Readable;
  /** Whether each stream is a terminal (progress bars and colours only go to terminals). */
  readonly isTTY: { readonly stdout: boolean; readonly stderr: boolean; readonly stdin: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The directory relative paths are resolved against and displayed from. */
  readonly cwd: string;
  /** The current time (the default `now` of scoring). */
  now(): Date;
}

/** The real process's streams, environment, directory and clock. */
export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY: {
      stdout: process.stdout.isTTY === true,
      stderr: process.stderr.isTTY === true,
      stdin: process.stdin.isTTY === true,
    },
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
  };
}

/**
 * Writes `text` to `stream`, waiting for it to drain when its buffer is full, so a producer that
 * awaits every write never holds more than one buffer of output in memory (backpressure).
 */
export async function writeWithBackpressure(stream: Writable, text: string | Uint8Array): Promise<void> {
  if (text.length === 0) return;
  if (stream.errored !== null && stream.errored !== undefined) throw stream.errored;
  if (stream.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error): void => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onDrain = (): void => done();
    const onError = (error: Error): void => done(error);
    // A stream that failed earlier never drains: its close ends the wait.
    const onClose = (): void => done(stream.errored ?? new Error('the output was closed'));
    stream.once('drain', onDrain);
    stream.once('error', onError);
    stream.once('close', onClose);
  });
}
