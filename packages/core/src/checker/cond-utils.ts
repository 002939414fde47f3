/**
 * Small helpers over resolved conditions: walking them, formatting-independent ids (for
 * duplicate rules and event queries), and what they read (segments, groups).
 */
import type { Cond, EventQuery } from './model.js';

/** Calls `visit` on `cond` and every condition inside it, `where`s included. */
export function walkCond(cond: Cond, visit: (c: Cond) => void): void {
  visit(cond);
  switch (cond.kind) {
    case 'and':
    case 'or':
      for (const operand of cond.operands) walkCond(operand, visit);
      return;
    case 'not':
      walkCond(cond.operand, visit);
      return;
    case 'event-exists':
    case 'event-count':
    case 'days-since':
      if (cond.query.where !== undefined) walkCond(cond.query.where, visit);
      return;
    default:
      return;
  }
}

/**
 * Numbers naming conditions (or event queries) by meaning: two that mean the same, however they
 * are written, get the same id. Built per check; cheaper than string keys of whole conditions
 * (which were a fifth of the checker's time on large files): a structural hash, then an equality
 * walk on the few that share it. Ranges are ignored.
 */
export class ConditionIds {
  private readonly byHash = new Map<number, { readonly value: Cond | EventQuery; readonly id: number }[]>();
  private next = 0;

  idOf(value: Cond | EventQuery): number {
    const hash = structuralHash(value, 0x811c9dc5);
    const bucket = this.byHash.get(hash);
    if (bucket === undefined) {
      const id = this.next++;
      this.byHash.set(hash, [{ value, id }]);
      return id;
    }
    for (const entry of bucket) if (sameStructure(entry.value, value)) return entry.id;
    const id = this.next++;
    bucket.push({ value, id });
    return id;
  }
}

function mix(hash: number, n: number): number {
  return Math.imul(hash ^ n, 0x01000193) >>> 0;
}

// Every character: hashing only a prefix made values that share one (URLs under one site)
// collide, and 10,000 such rules took 13 s of comparisons. Linear in the file either way.
function hashString(hash: number, text: string): number {
  let h = mix(hash, text.length);
  for (let i = 0; i < text.length; i++) h = mix(h, text.charCodeAt(i));
  return h;
}

// Fields are visited in declaration order and `undefined` fields are skipped, as in JSON.
function structuralHash(value: unknown, hash: number): number {
  switch (typeof value) {
    case 'string':
      return hashString(mix(hash, 1), value);
    case 'number':
      return (value | 0) === value ? mix(mix(hash, 2), value) : hashString(mix(hash, 9), String(value));
    case 'boolean':
      return mix(hash, value ? 3 : 4);
    case 'object': {
      if (value === null) return mix(hash, 5);
      if (Array.isArray(value)) {
        let h = mix(hash, 6 + value.length);
        for (const item of value) h = structuralHash(item, h);
        return h;
      }
      let h = mix(hash, 7);
      const record = value as Record<string, unknown>;
      // Field names are left out (the `kind`s tell shapes apart) and so is a subject's `type`
      // (it follows from its name); the equality check sees everything.
      for (const key in record) {
        const field = record[key];
        if (key === 'range' || key === 'type' || field === undefined) continue;
        h = structuralHash(field, h);
      }
      return h;
    }
    default:
      return mix(hash, 8);
  }
}

function sameStructure(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameStructure(a[i], b[i])) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  // Counting fields rather than listing them: this runs for every repeated condition.
  let fields = 0;
  for (const key in left) {
    const value = left[key];
    if (key === 'range' || value === undefined) continue;
    fields++;
    if (!sameStructure(value, right[key])) return false;
  }
  for (const key in right) if (key !== 'range' && right[key] !== undefined) fields--;
  if (fields !== 0) return false;
  return true;
}

/** The segments and groups a condition reads directly (segments not expanded). */
export function directReads(cond: Cond | undefined): { readonly segments: Set<string>; readonly groups: Set<string> } {
  const segments = new Set<string>();
  const groups = new Set<string>();
  if (cond !== undefined) {
    walkCond(cond, (c) => {
      if (c.kind === 'segment') segments.add(c.name);
      if (c.kind === 'test' && c.subject.kind === 'group') groups.add(c.subject.name);
    });
  }
  return { segments, groups };
}
