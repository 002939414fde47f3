/**
 * Share links (playground/src/share.ts), in Node (which has the browser's CompressionStream): a
 * file and sample survive the round trip whatever they hold, only the sample is trimmed (to whole
 * lines), and a fragment that is not a link of ours, or is damaged, opens nothing.
 */
import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare, MAX_SHARED_SAMPLE_CHARS, trimSample } from '../../playground/src/share.js';

const HOSTILE = 'lead { `__proto__`: text }\n# "quotes" \'single\' ${x} `back` \\ </script><img src=x onerror=alert(1)> 🎯 é\r\n\u0000\u2028end\n';

describe('share links', () => {
  it('carry the file, the sample and the instant through the fragment unchanged', async () => {
    const shared = { file: HOSTILE, sample: { text: '{"id":"a"}\n{"id":"b"}\n', format: 'jsonl' as const }, now: '2026-03-01' };
    const fragment = await encodeShare(shared);
    expect(fragment).toMatch(/^#v1\.[A-Za-z0-9_-]+$/);
    expect(await decodeShare(fragment)).toEqual(shared);
    expect(await decodeShare(await encodeShare({ file: '' }))).toEqual({ file: '' });
  });

  it('compress a real file well below its size', async () => {
    const file = 'group fit max 60 {\n  when job in [CEO, CTO] add 10\n}\n'.repeat(50);
    const fragment = await encodeShare({ file });
    expect(fragment.length).toBeLessThan(file.length / 10);
  });

  it('trim a large sample to its first whole lines, a CSV keeping its header', () => {
    const csv = 'id,job\n' + Array.from({ length: 2000 }, (_, i) => `lead-${i},CEO`).join('\n') + '\n';
    const trimmed = trimSample(csv);
    expect(trimmed.length).toBeLessThanOrEqual(MAX_SHARED_SAMPLE_CHARS);
    expect(trimmed.startsWith('id,job\nlead-0,CEO\n')).toBe(true);
    expect(trimmed.endsWith('\n')).toBe(true);
    expect(csv.startsWith(trimmed)).toBe(true);
    expect(trimSample('{"id":1}\n')).toBe('{"id":1}\n');
  });

  it('open nothing from a fragment that is not one of ours or is damaged', async () => {
    const good = await encodeShare({ file: 'lead { a: text }' });
    for (const fragment of ['', '#', '#section-2', '#v2.abc', '#v1.', '#v1.%%%', good.slice(0, -6), '#v1.' + btoa('not deflate')]) {
      expect(await decodeShare(fragment)).toBeNull();
    }
    // Well-formed compressed JSON that is not a share (no file): nothing either.
    for (const json of ['{"x":1}', '[1]', '"text"', 'null', '{"f":42}']) {
      const bytes = new Uint8Array(await new Response(new Blob([json]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
      const body = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      expect(await decodeShare(`#v1.${body}`)).toBeNull();
    }
  });
});
