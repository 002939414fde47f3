import { open } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { CliError, type CommandContext } from '../context.js';
import { describeFileError } from '../files.js';
import { Utf8Decoder } from './utf8.js';

/** The record formats `rubric score` reads. */
export type InputFormat = 'csv' | 'jsonl' | 'json';

export const INPUT_FORMATS: readonly InputFormat[] = ['csv', 'jsonl', 'json'];

/** One item read from an input: a CSV header or row, a JSON object, or a record that is unreadable. */
export type InputItem =
  | { readonly kind: 'header'; readonly line: number; readonly columns: readonly string[]; readonly delimiter: string }
  | {
      readonly kind: 'row';
      readonly line: number;
      readonly fields: readonly string[];
      /**
       * Only from a CSV reader asked to keep it (`keepRaw`): the record's text without its line
       * break, when writing its fields again with the same delimiter gives exactly this text (a
       * one-line record, a one-unit delimiter, each field quoted exactly when `encodeCsvCell`
       * quotes it). Absent otherwise: the fields must then be encoded.
       */
      readonly raw?: string;
    }
  | { readonly kind: 'object'; readonly line: number; readonly value: Readonly<Record<string, unknown>> }
  /** Something to tell the user that is not a record (a truncated file). */
  | { readonly kind: 'notice'; readonly message: string }
  | {
      readonly kind: 'bad';
      readonly line: number;
      /** 1-based character column of the problem in its line, when known. */
      readonly column?: number;
      readonly message: string;
      /** The record's text as read (shortened), for the error report. */
      readonly text: string;
    };

/** An opened input: where it comes from, its size when known, and how much has been read. */
export interface InputSource {
  /** As shown in messages (`-` is `stdin`). */
  readonly path: string;
  /** Size in bytes, when it is a regular file (for the progress bar's ETA). */
  readonly size?: number;
  /** Bytes read so far (updated while reading). */
  bytesRead: number;
  /** The text in chunks (UTF-8 decoded, multi-byte characters never split, invalid bytes as lone surrogates: see `decodeChunks`). */
  chunks(): AsyncGenerator<string>;
  close(): Promise<void>;
}

/** Opens a data file (or stdin for `-`) for streaming; throws a {@link CliError} when it cannot. */
export async function openInput(context: CommandContext, userPath: string): Promise<InputSource> {
  if (userPath === '-') return streamSource('stdin', context.io.stdin, undefined, async () => undefined);
  const absolute = context.resolvePath(userPath);
  const shown = context.displayPath(userPath);
  try {
    const handle = await open(absolute, 'r');
    const info = await handle.stat();
    if (info.isDirectory()) {
      await handle.close();
      throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    }
    const stream = handle.createReadStream({ highWaterMark: 64 * 1024, autoClose: true });
    return streamSource(shown, stream, info.isFile() ? info.size : undefined, async () => {
      stream.destroy();
    });
  } catch (error) {
    throw new CliError(`cannot read \`${shown}\`: ${describeFileError(error)}`);
  }
}

function streamSource(shown: string, stream: Readable, size: number | undefined, close: () => Promise<void>): InputSource {
  const source: InputSource = {
    path: shown,
    size,
    bytesRead: 0,
    async *chunks() {
      yield* decodeChunks(stream, (bytes) => {
        source.bytesRead += bytes;
      });
    },
    close,
  };
  return source;
}

/**
 * Byte chunks as text chunks: UTF-8 decoded with each invalid byte kept as a lone surrogate
 * (see `utf8.ts`; the readers reject the record that holds one), a character split between
 * chunks decoded whole, and a byte order mark at the very start dropped.
 */
export async function* decodeChunks(chunks: AsyncIterable<Uint8Array | string>, onBytes?: (count: number) => void): AsyncGenerator<string> {
  const decoder = new Utf8Decoder();
  let first = true;
  for await (const chunk of chunks) {
    const bytes: Uint8Array = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    onBytes?.(bytes.length);
    let text = decoder.write(bytes);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (text.length > 0) yield text;
  }
  let rest = decoder.end();
  if (first && rest.charCodeAt(0) === 0xfeff) rest = rest.slice(1);
  if (rest.length > 0) yield rest;
}

/** The format named by a file's extension (`.csv`, `.tsv`, `.jsonl`, `.ndjson`, `.json`), if any. */
export function formatFromExtension(userPath: string): InputFormat | undefined {
  const extension = path.extname(userPath).toLowerCase();
  if (extension === '.csv' || extension === '.tsv' || extension === '.txt') return 'csv';
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  if (extension === '.json') return 'json';
  return undefined;
}

/** Shortens a record's text for messages. */
export function excerpt(text: string, max = 120): string {
  const flat = text.replace(/\r?\n$/, '');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** `Unexpected token ...` -> a lowercase phrase and the 1-based column (from `position N`). */
export function describeJsonError(error: unknown, columnBase = 1): { message: string; column?: number } {
  const raw = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(raw);
  let message = raw
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ \(line \d+ column \d+\)$/, '');
  message = message.charAt(0).toLowerCase() + message.slice(1);
  return position === null ? { message } : { message, column: Number(position[1]) + columnBase };
}
