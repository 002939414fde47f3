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

async function pipe(bytes: Uint8Array<ArrayBuffer>, stream: CompressionStream | DecompressionStream): Promise<Uint8Array<ArrayBuffer>> {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
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

/** What a fragment holds, or null when it is not a share link (or is damaged). */
export async function decodeShare(fragment: string): Promise<Shared | null> {
  const body = fragment.replace(/^#/, '');
  if (!body.startsWith(PREFIX)) return null;
  try {
    const bytes = await pipe(fromBase64Url(body.slice(PREFIX.length)), new DecompressionStream('deflate-raw'));
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof value !== 'object' || value === null) return null;
    const record = value as Record<string, unknown>;
    if (typeof record.f !== 'string') return null;
    const format = record.k === 'csv' ? 'csv' : 'jsonl';
    return {
      file: record.f,
      ...(typeof record.s === 'string' ? { sample: { text: record.s, format } } : {}),
      ...(typeof record.n === 'string' ? { now: record.n } : {}),
    };
  } catch {
    return null;
  }
}
