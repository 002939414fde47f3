import type { Node } from '../syntax/ast.js';

/**
 * Keys that formatting may change without changing meaning: positions, the text as written of
 * strings (quotes), the file's own text and uri, and the comments (compared on their own).
 */
const LAYOUT_KEYS: ReadonlySet<string> = new Set(['range', 'aggregateRange', 'raw', 'quote', 'text', 'uri', 'comments']);

/** Nodes whose name parts (objects with no `kind`) carry their words in `text`. */
const NAMED_BY_PARTS: ReadonlySet<string> = new Set(['Identifier', 'DataSetting', 'DataWords']);

/**
 * The meaning-bearing shape of a syntax tree: the tree without ranges, raw texts, quote styles
 * and comments. Two texts with equal shapes mean the same thing. Note `Identifier.name` and
 * part `text` are kept (only `RubricFile.text` and `Comment.text` are layout); string `value`s are
 * kept, so a changed escape is still a change.
 */
export function astShape(node: Node): unknown {
  return strip(node, null);
}

function strip(value: unknown, parentKind: string | null): unknown {
  if (Array.isArray(value)) return value.map((v) => strip(v, parentKind));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const kind = typeof record.kind === 'string' ? record.kind : null;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    // `text` is layout only on the file; an identifier part's `text` is its name, as are the
    // `text`s of a `data` setting's name and of its words.
    if (LAYOUT_KEYS.has(key) && !(key === 'text' && (kind === 'DataWords' || (kind === null && parentKind !== null && NAMED_BY_PARTS.has(parentKind))))) continue;
    const v = record[key];
    if (typeof v === 'number' && Number.isNaN(v)) {
      out[key] = 'NaN';
      continue;
    }
    out[key] = strip(v, kind);
  }
  return out;
}

/** Deep equality of two {@link astShape} results. */
export function sameShape(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
