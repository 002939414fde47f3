import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { CliError, type CommandContext } from './context.js';

/** A plain-words reason for a file-system error (`no such file`, `permission denied`). */
export function describeFileError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  switch (code) {
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

/**
 * Reads a UTF-8 text file the user named, without its byte-order mark. Throws a {@link CliError}
 * (exit 2) saying which file and why when it cannot be read.
 */
export async function readTextFile(context: CommandContext, userPath: string): Promise<string> {
  try {
    const text = await readFile(context.resolvePath(userPath), 'utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    throw new CliError(`cannot read \`${context.displayPath(userPath)}\`: ${describeFileError(error)}`);
  }
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
 */
export class AtomicOutputFile {
  readonly stream: WriteStream;
  readonly temporaryPath: string;
  private done = false;

  private constructor(
    readonly targetPath: string,
    temporaryPath: string,
    stream: WriteStream,
  ) {
    this.temporaryPath = temporaryPath;
    this.stream = stream;
  }

  /** Opens a temporary file next to `targetPath`; throws a {@link CliError} if it cannot. */
  static async open(context: CommandContext, userPath: string): Promise<AtomicOutputFile> {
    const targetPath = context.resolvePath(userPath);
    const temporaryPath = path.join(
      path.dirname(targetPath),
      `.${path.basename(targetPath)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
    );
    const stream = createWriteStream(temporaryPath, { flags: 'wx' });
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

  /** Flushes and closes the temporary file (still unnamed). */
  async close(): Promise<void> {
    if (!this.stream.writableEnded) this.stream.end();
    await finished(this.stream);
  }

  /** Closes the file and renames it to its target. */
  async commit(): Promise<void> {
    await this.close();
    await rename(this.temporaryPath, this.targetPath);
    this.done = true;
  }

  /** Discards the output: the target is left as it was before the run. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.stream.destroy();
    await unlink(this.temporaryPath).catch(() => undefined);
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
