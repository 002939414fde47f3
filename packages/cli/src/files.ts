import { randomBytes } from 'node:crypto';
import { constants, createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { chmod, open, readdir, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_RULE_FILE_BYTES } from '@rubric/core';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { CliError, type CommandContext } from './context.js';

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

/** A plain-words reason for a file-system error (`no such file`, `permission denied`). */
export function describeFileError(error: unknown): string {
  switch (errorCode(error)) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a parent of it is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EMFILE':
      return 'too many open files';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** A file's text, or its size when it is larger than the most that may be read. */
export type BoundedText =
  | { readonly text: string }
  /** `bytes` is the size on disk (`exact`), or the limit when reading found more than that. */
  | { readonly tooLarge: { readonly bytes: number; readonly exact: boolean } };

/**
 * Reads a UTF-8 text file the user named, without its byte-order mark, holding at most `maxBytes`
 * in memory: a regular file larger than that is not read at all (its size comes from `stat`), and
 * anything else (a pipe, `/dev/zero`) is read only until it has given more than `maxBytes`.
 * The file is opened non-blocking, so a named pipe that nobody writes to reads as empty instead
 * of waiting forever. Throws a {@link CliError} (exit 2) saying which file and why when it
 * cannot be read.
 */
export async function readTextFileBounded(context: CommandContext, userPath: string, maxBytes: number): Promise<BoundedText> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(context.resolvePath(userPath), constants.O_RDONLY | constants.O_NONBLOCK);
    const info = await handle.stat();
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (info.isFile() && info.size > maxBytes) return { tooLarge: { bytes: info.size, exact: true } };
    const chunks: Buffer[] = [];
    let total = 0;
    // A regular file is read in one go; a pipe or a device in pieces. One byte more than the
    // limit tells a file of exactly `maxBytes` from a longer one.
    const piece = info.isFile() ? info.size + 1 : 64 * 1024;
    for (;;) {
      const want = Math.min(piece, maxBytes + 1 - total);
      const buffer = Buffer.allocUnsafe(want);
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, want, null));
      } catch (error) {
        // A pipe whose writer has not written yet: wait for it, as `cat` would.
        if (errorCode(error) !== 'EAGAIN') throw error;
        await sleep(10);
        continue;
      }
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) return { tooLarge: { bytes: maxBytes, exact: false } };
    }
    const text = Buffer.concat(chunks, total).toString('utf8');
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (error) {
    throw new CliError(`cannot read \`${context.displayPath(userPath)}\`: ${describeFileError(error)}`);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Reads a UTF-8 text file the user named, without its byte-order mark. Throws a {@link CliError}
 * (exit 2) saying which file and why when it cannot be read, or when it is larger than
 * `MAX_RULE_FILE_BYTES` (no file Rubric reads whole may be larger than a rule file).
 */
export async function readTextFile(context: CommandContext, userPath: string): Promise<string> {
  const read = await readTextFileBounded(context, userPath, MAX_RULE_FILE_BYTES);
  if ('text' in read) return read.text;
  const size = read.tooLarge.exact ? `${read.tooLarge.bytes} bytes` : `more than ${MAX_RULE_FILE_BYTES} bytes`;
  throw new CliError(`cannot read \`${context.displayPath(userPath)}\`: it is ${size}, over the limit of ${MAX_RULE_FILE_BYTES} bytes (${MAX_RULE_FILE_BYTES / (1024 * 1024)} MB)`, {
    help: `a rule file can be at most ${MAX_RULE_FILE_BYTES / (1024 * 1024)} MB: split it into several files`,
  });
}

/**
 * The rule files named by `paths`: files as given, directories searched recursively for
 * `*.rubric` files (sorted, skipping `node_modules` and hidden folders). A path that does not
 * exist is kept, so the command reports it alongside the files it could read.
 */
export async function expandRuleFilePaths(context: CommandContext, paths: readonly string[]): Promise<string[]> {
  const result: string[] = [];
  for (const userPath of paths) {
    let isDirectory = false;
    try {
      isDirectory = (await stat(context.resolvePath(userPath))).isDirectory();
    } catch {
      isDirectory = false;
    }
    if (!isDirectory) {
      result.push(userPath);
      continue;
    }
    const found = await findRubricFiles(context.resolvePath(userPath));
    if (found.length === 0) {
      throw new CliError(`no \`.rubric\` files in \`${context.displayPath(userPath)}\``, {
        help: 'name the rule files, or a folder that contains `.rubric` files',
      });
    }
    result.push(...found.map((absolute) => path.relative(context.io.cwd, absolute) || absolute));
  }
  return result;
}

async function findRubricFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      files.push(...(await findRubricFiles(full)));
    } else if (entry.isFile() && entry.name.endsWith('.rubric')) {
      files.push(full);
    }
  }
  return files;
}

/**
 * An output file that appears only when complete: written to a temporary file next to the target
 * and renamed over it by {@link commit} (atomic on one file system). {@link abort} removes the
 * temporary file, so a failed run never leaves a half-written output behind.
 *
 * A target that exists and is not a regular file (`/dev/null`, a named pipe, a terminal) is
 * written directly: renaming over it would replace the device with a file (as root, `--out
 * /dev/null` would have broken `/dev/null` for the whole machine). A symbolic link is followed:
 * the file it points to is replaced, and the link stays.
 */
export class AtomicOutputFile {
  readonly stream: WriteStream;
  /** The temporary file, or undefined when the target is written directly (not a regular file). */
  readonly temporaryPath: string | undefined;
  private done = false;

  private constructor(
    readonly targetPath: string,
    temporaryPath: string | undefined,
    stream: WriteStream,
  ) {
    this.temporaryPath = temporaryPath;
    this.stream = stream;
  }

  /** Opens a temporary file next to `targetPath`; throws a {@link CliError} if it cannot. */
  static async open(context: CommandContext, userPath: string): Promise<AtomicOutputFile> {
    const requested = context.resolvePath(userPath);
    const existing = await stat(requested).catch(() => undefined);
    if (existing?.isDirectory()) throw new CliError(`cannot write \`${context.displayPath(userPath)}\`: it is a folder`, { help: 'give a file name' });
    const direct = existing !== undefined && !existing.isFile();
    const targetPath = existing === undefined ? requested : await realpath(requested);
    const temporaryPath = direct
      ? undefined
      : path.join(path.dirname(targetPath), `.${path.basename(targetPath)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    const stream = createWriteStream(temporaryPath ?? targetPath, { flags: temporaryPath === undefined ? 'w' : 'wx' });
    try {
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', reject);
      });
    } catch (error) {
      throw new CliError(`cannot write \`${context.displayPath(userPath)}\`: ${describeFileError(error)}`);
    }
    // A later write error (disk full) surfaces through the writes and `commit`, not as a crash.
    stream.on('error', () => undefined);
    return new AtomicOutputFile(targetPath, temporaryPath, stream);
  }

  /** Gives the file `mode` (permission bits) before it takes the target's place. */
  async setMode(mode: number): Promise<void> {
    if (this.temporaryPath !== undefined) await chmod(this.temporaryPath, mode);
  }

  /** Flushes and closes the temporary file (still unnamed). */
  async close(): Promise<void> {
    if (!this.stream.writableEnded) this.stream.end();
    await finished(this.stream);
  }

  /** Closes the file and renames it to its target. */
  async commit(): Promise<void> {
    await this.close();
    if (this.temporaryPath !== undefined) await rename(this.temporaryPath, this.targetPath);
    this.done = true;
  }

  /** Discards the output: the target is left as it was before the run (a device keeps what was written). */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.stream.destroy();
    if (this.temporaryPath !== undefined) await unlink(this.temporaryPath).catch(() => undefined);
  }
}

/**
 * A temporary file that output is written to before it is released: with `--strict` and no
 * `--out`, scored rows go here and are copied to stdout only when the run succeeds, so a failed
 * strict run prints no rows at all (and memory stays flat whatever the size).
 */
export class SpoolFile {
  private constructor(
    readonly path: string,
    readonly stream: WriteStream,
  ) {}

  static async open(): Promise<SpoolFile> {
    const spoolPath = path.join(tmpdir(), `rubric-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    const stream = createWriteStream(spoolPath, { flags: 'wx', mode: 0o600 });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    stream.on('error', () => undefined);
    return new SpoolFile(spoolPath, stream);
  }

  /** Closes the spool and copies it to `destination` (which is left open). */
  async release(destination: Writable): Promise<void> {
    this.stream.end();
    await finished(this.stream);
    await pipeline(createReadStream(this.path), destination, { end: false });
    await this.discard();
  }

  async discard(): Promise<void> {
    this.stream.destroy();
    await unlink(this.path).catch(() => undefined);
  }
}
