import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAccountSample, type AccountSample, type AccountSampleContext } from './sample-accounts.js';
import { parseCsvSample } from './sample-csv.js';
import { formatBytes, parseSample, type Sample, type SampleContext } from './sample-leads.js';
import type { RubricSettings, SampleEncoding } from './settings.js';

/**
 * Bytes of a JSON Lines sample read at most: of a larger file only the leads of its first
 * `MAX_SAMPLE_BYTES` are previewed (and the lens says so). Listed with the other limits in
 * `@rubric/core`'s `limits.ts`.
 */
export const MAX_SAMPLE_BYTES = 20 * 1024 * 1024;

/**
 * A JSON array sample larger than this is not read at all: an array cannot be read in part, and
 * parsing it whole holds every lead in memory (JSON Lines has no such limit: its start is read).
 */
export const MAX_SAMPLE_ARRAY_BYTES = 4 * 1024 * 1024;

/** The limits a {@link SampleFiles} reads with (tests lower them). */
export interface SampleReadLimits {
  readonly maxBytes: number;
  readonly maxArrayBytes: number;
}

const DEFAULT_LIMITS: SampleReadLimits = { maxBytes: MAX_SAMPLE_BYTES, maxArrayBytes: MAX_SAMPLE_ARRAY_BYTES };

/** Bytes read per `read` call. */
const CHUNK_BYTES = 1024 * 1024;

type CappedRead =
  | {
      readonly kind: 'text';
      readonly text: string;
      /** Bytes the text was decoded from. */
      readonly bytes: number;
      /** Whether the file goes on past `maxBytes` (then `text` is its first `maxBytes`). */
      readonly partial: boolean;
      readonly mtimeMs: number;
      readonly size: number;
    }
  | { readonly kind: 'error'; readonly message: string };

/**
 * Reads at most `maxBytes` of `path` (one byte more, to know whether there is more). The file is
 * opened without blocking (a FIFO with no writer would block the server forever) and refused
 * unless it is a regular file: a device (`/dev/zero`), a FIFO or a socket never ends and its size
 * says nothing, so it is not read at all. The size from `fstat` is not trusted either (a file can
 * grow, a `/proc` file says 0): reading stops at the cap whatever it says.
 */
/**
 * The text of a sample's bytes: a byte order mark decides (UTF-8, UTF-16 LE/BE), else `encoding`.
 * A UTF-8 mark is kept as U+FEFF (the parsers drop it). One-byte encodings are decoded in
 * streaming mode: Node 20's one-shot Windows-1252 decoding gets 0x80-0x9F (`€`, `’`) wrong.
 */
export function decodeSample(bytes: Buffer, encoding: SampleEncoding): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.toString('utf8');
  const marked = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
  const used = marked ?? encoding;
  if (used === 'utf-8') return bytes.toString('utf8');
  const decoder = new TextDecoder(used, { ignoreBOM: false });
  return decoder.decode(bytes, { stream: true }) + decoder.decode();
}

function readCapped(path: string, maxBytes: number, encoding: SampleEncoding): CappedRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { kind: 'error', message: `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      return { kind: 'error', message: `not read: \`${basename(path)}\` is not a regular file (a device, a FIFO, a socket or a folder); give a file of leads` };
    }
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= maxBytes) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
      total += read;
    }
    const partial = total > maxBytes;
    const bytes = Buffer.concat(chunks, total);
    const kept = partial ? bytes.subarray(0, maxBytes) : bytes;
    return { kind: 'text', text: decodeSample(kept, encoding), bytes: kept.length, partial, mtimeMs: stats.mtimeMs, size: stats.size };
  } catch (error) {
    return { kind: 'error', message: `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    closeSync(fd);
  }
}

function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/**
 * Finds and reads the sample leads of a rule file (the server's only file I/O): the
 * `rubric.sampleLeads` setting when set (relative to a workspace folder, else to the rule file),
 * else `NAME.sample.jsonl` beside `NAME.rubric` (or `NAME.sample.csv` when there is no JSON Lines
 * one; see `sample-csv.ts`). Each file is re-read only when its mtime or
 * size changes. Reading is bounded: only regular files, at most {@link MAX_SAMPLE_BYTES} of JSON
 * Lines (the first leads of a larger file), a JSON array only up to
 * {@link MAX_SAMPLE_ARRAY_BYTES}; what is not read is said in the sample's lens and preview.
 */
export class SampleFiles {
  private readonly cache = new Map<string, { mtimeMs: number; size: number; encoding: SampleEncoding; sample: Sample }>();
  private readonly accountCache = new Map<string, { mtimeMs: number; size: number; encoding: SampleEncoding; sample: AccountSample }>();

  constructor(private readonly limits: SampleReadLimits = DEFAULT_LIMITS) {}

  /** The sample path for a document, and whether it came from the setting. */
  locate(uri: string, settings: RubricSettings, workspaceFolders: readonly string[]): { path: string; configured: boolean } | undefined {
    const documentPath = filePath(uri);
    if (settings.sampleLeads !== null) {
      const configured = settings.sampleLeads;
      if (isAbsolute(configured)) return { path: configured, configured: true };
      for (const folder of workspaceFolders) {
        const folderPath = filePath(folder) ?? folder;
        const candidate = resolve(folderPath, configured);
        if (this.exists(candidate)) return { path: candidate, configured: true };
      }
      const base = documentPath !== undefined ? dirname(documentPath) : process.cwd();
      return { path: resolve(base, configured), configured: true };
    }
    if (documentPath === undefined) return undefined;
    const base = documentPath.replace(/\.rubric$/i, '');
    // JSON Lines first; a CSV export beside the file when there is no JSON Lines one.
    const jsonl = `${base}.sample.jsonl`;
    const csv = `${base}.sample.csv`;
    return { path: !this.exists(jsonl) && this.exists(csv) ? csv : jsonl, configured: false };
  }

  private exists(path: string): boolean {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  }

  /** The sample context of a document: the parsed sample, or why there is none. */
  contextFor(uri: string, settings: RubricSettings, workspaceFolders: readonly string[]): SampleContext {
    const nowSetting = settings.previewNow;
    const located = this.locate(uri, settings, workspaceFolders);
    if (located === undefined) return { nowSetting };
    let stats;
    try {
      // stat never opens the file (a FIFO's open could block): it only says whether it is there.
      stats = statSync(located.path);
    } catch {
      this.cache.delete(located.path);
      // A missing beside-file just means there is no sample; a missing configured file is an error.
      return located.configured ? { nowSetting, error: `cannot read ${located.path}: no such file` } : { nowSetting };
    }
    const cached = this.cache.get(located.path);
    if (stats.isFile() && cached !== undefined && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size && cached.encoding === settings.sampleEncoding) {
      return { nowSetting, sample: cached.sample };
    }
    this.cache.delete(located.path);
    const read = readCapped(located.path, this.limits.maxBytes, settings.sampleEncoding);
    if (read.kind === 'error') return { nowSetting, error: read.message };
    const isCsv = /\.(csv|tsv)$/i.test(located.path);
    if (!isCsv && read.text.trimStart().startsWith('[') && (read.partial || read.bytes > this.limits.maxArrayBytes)) {
      return {
        nowSetting,
        error: `not read: \`${basename(located.path)}\` is a JSON array larger than ${formatBytes(this.limits.maxArrayBytes)}; write it as JSON Lines (one lead per line) to preview its first leads`,
      };
    }
    const parse = isCsv ? parseCsvSample : parseSample;
    const sample = parse(read.text, located.path, read.partial ? { partialBytes: read.bytes } : {});
    this.cache.set(located.path, { mtimeMs: read.mtimeMs, size: read.size, encoding: settings.sampleEncoding, sample });
    return { nowSetting, sample };
  }

  /**
   * Issue 17: the accounts sample of a document, `NAME.sample.accounts.jsonl` beside `NAME.rubric`
   * (one account per line with its `contacts`; see sample-accounts.ts), read with the same bounds
   * and cache as the lead sample. No file: no accounts sample (and no error).
   */
  accountsContextFor(uri: string, settings: RubricSettings): AccountSampleContext {
    const nowSetting = settings.previewNow;
    const documentPath = filePath(uri);
    if (documentPath === undefined) return { nowSetting };
    const path = `${documentPath.replace(/\.rubric$/i, '')}.sample.accounts.jsonl`;
    let stats;
    try {
      stats = statSync(path);
    } catch {
      this.accountCache.delete(path);
      return { nowSetting };
    }
    const cached = this.accountCache.get(path);
    if (stats.isFile() && cached !== undefined && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size && cached.encoding === settings.sampleEncoding) {
      return { nowSetting, sample: cached.sample };
    }
    this.accountCache.delete(path);
    const read = readCapped(path, this.limits.maxBytes, settings.sampleEncoding);
    if (read.kind === 'error') return { nowSetting, error: read.message };
    if (read.text.trimStart().startsWith('[') && (read.partial || read.bytes > this.limits.maxArrayBytes)) {
      return { nowSetting, error: `not read: \`${basename(path)}\` is a JSON array larger than ${formatBytes(this.limits.maxArrayBytes)}; write it as JSON Lines (one account per line)` };
    }
    const sample = parseAccountSample(read.text, path, read.partial ? { partialBytes: read.bytes } : {});
    this.accountCache.set(path, { mtimeMs: read.mtimeMs, size: read.size, encoding: settings.sampleEncoding, sample });
    return { nowSetting, sample };
  }

  clear(): void {
    this.cache.clear();
    this.accountCache.clear();
  }
}
