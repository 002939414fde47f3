/**
 * Share links: the rule file (and a small sample) compressed into the URL's fragment. A fragment
 * is never sent to a server, so a shared file goes nowhere but to the person who opens the link.
 * Format: `#v1.<base64url of deflate-raw of JSON>` (CompressionStream, built into browsers).
 */

/** What a link holds. */
export interface Shared {
  readonly file: string;
  readonly sample?: { readonly text: string; readonly format: 'jsonl' | 'csv' };
  /** The instant the sample is scored at, when one was set. */
  readonly now?: string;
}

/** The sample travels only this big (its first leads); the file travels whole. */
export const MAX_SHARED_SAMPLE_CHARS = 8_000;

const PREFIX = 'v1.';

/** A link never holds more than this once inflated (a file of a few thousand lines is ~200 KB). */
export const MAX_SHARED_BYTES = 16 * 1024 * 1024;

/** Runs `bytes` through `stream`; more than {@link MAX_SHARED_BYTES} out (a deflate bomb) throws. */
async function pipe(bytes: Uint8Array<ArrayBuffer>, stream: CompressionStream | DecompressionStream): Promise<Uint8Array<ArrayBuffer>> {
  const reader = new Blob([bytes]).stream().pipeThrough(stream).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength;
    if (size > MAX_SHARED_BYTES) {
      await reader.cancel();
      throw new Error(`it holds more than ${MAX_SHARED_BYTES / 1024 / 1024} MB`);
    }
    chunks.push(next.value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The first lines of a sample that fit in {@link MAX_SHARED_SAMPLE_CHARS} (a CSV keeps its header). */
export function trimSample(text: string): string {
  if (text.length <= MAX_SHARED_SAMPLE_CHARS) return text;
  const lines = text.split('\n');
  let kept = '';
  for (const line of lines) {
    if (kept.length + line.length + 1 > MAX_SHARED_SAMPLE_CHARS) break;
    kept += line + '\n';
  }
  return kept;
}

/** The fragment (with its `#`) for a file and sample. */
export async function encodeShare(shared: Shared): Promise<string> {
  const json = JSON.stringify({
    f: shared.file,
    ...(shared.sample === undefined ? {} : { s: trimSample(shared.sample.text), k: shared.sample.format }),
    ...(shared.now === undefined ? {} : { n: shared.now }),
  });
  const compressed = await pipe(new TextEncoder().encode(json), new CompressionStream('deflate-raw'));
  return `#${PREFIX}${toBase64Url(compressed)}`;
}

/**
 * Thrown by {@link decodeShare} for a fragment that is a share link (`#v1.…`, or another
 * version's `#vN.…`) but cannot be opened: cut short or altered when copied, or made by another
 * version. Its message says so, for the page to show (never a blank page or a silent fallback).
 */
export class ShareLinkError extends Error {
  override readonly name = 'ShareLinkError';
}

/**
 * What a share link holds; null when the fragment is no share link at all (empty, or an anchor
 * such as `#section-2`). Throws {@link ShareLinkError} when it is one but is damaged.
 */
export async function decodeShare(fragment: string): Promise<Shared | null> {
  const body = fragment.replace(/^#/, '');
  if (!body.startsWith(PREFIX)) {
    if (/^v\d+\./.test(body)) throw new ShareLinkError(`This share link (format ${body.slice(0, body.indexOf('.'))}) was made by another version of the playground and cannot be opened here.`);
    return null;
  }
  const damaged = (why: string): ShareLinkError =>
    new ShareLinkError(`This share link cannot be opened: ${why}. It was probably cut short or altered when it was copied; ask for the whole link again.`);
  let value: unknown;
  try {
    const bytes = await pipe(fromBase64Url(body.slice(PREFIX.length)), new DecompressionStream('deflate-raw'));
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw damaged(error instanceof Error && error.message.startsWith('it holds') ? error.message : 'its data does not decode');
  }
  if (typeof value !== 'object' || value === null) throw damaged('it holds no rule file');
  const record = value as Record<string, unknown>;
  if (typeof record.f !== 'string') throw damaged('it holds no rule file');
  const format = record.k === 'csv' ? 'csv' : 'jsonl';
  return {
    file: record.f,
    ...(typeof record.s === 'string' ? { sample: { text: record.s, format } } : {}),
    ...(typeof record.n === 'string' ? { now: record.n } : {}),
  };
}
