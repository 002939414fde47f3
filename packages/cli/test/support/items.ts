/** Test support for the readers: text fed in chunks, and what they yield collected. */
import type { InputItem } from '../../src/input/source.js';

/** Feeds `text` in chunks of `size` characters (to cross every boundary). */
export async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

/** Every item a reader yields, in order. */
export async function collect(items: AsyncIterable<InputItem>): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}
