/**
 * Small helpers over resolved conditions: walking them, formatting-independent ids (for
 * duplicate rules and event queries), and what they read (segments, groups).
 */
import type { AtomicTest, Cond, EventQuery, NumericCheck, NumValue, Subject } from './model.js';

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
    const hash = typeof (value as { kind?: unknown }).kind === 'string' ? condHash(value as Cond, 0x811c9dc5) : queryHash(value as EventQuery, 0x811c9dc5);
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

// The hash of a condition read field by field, for the shapes the resolver makes (anything else
// goes to the generic hash): the generic one's keyed reads of every field were most of the time
// of the duplicate-rule check. A hash need only be equal for equal structures (`sameStructure`
// decides); it leaves out what the generic one leaves out, and more (a `not`'s or a test's kind
// is told by its fields).

function numHash(value: number, hash: number): number {
  return (value | 0) === value ? mix(hash, value) : hashString(mix(hash, 9), String(value));
}

function stringsHash(values: readonly string[], hash: number): number {
  let h = mix(hash, values.length);
  for (let i = 0; i < values.length; i++) h = hashString(h, values[i]);
  return h;
}

function numValueHash(value: NumValue, hash: number): number {
  return value.kind === 'const' ? numHash(value.value, mix(hash, 21)) : numHash(value.offsetSeconds, mix(hash, 22));
}

function checkHash(check: NumericCheck, hash: number): number {
  if (check.kind === 'compare') return numValueHash(check.value, hashString(mix(hash, 23), check.operator));
  return numValueHash(check.high, numValueHash(check.low, mix(hash, 24)));
}

function subjectHash(subject: Subject, hash: number): number {
  switch (subject.kind) {
    case 'field':
    case 'group':
      return hashString(mix(hash, subject.kind === 'field' ? 31 : 32), subject.name);
    case 'property':
      return hashString(hashString(mix(hash, 33), subject.event), subject.name);
    case 'table':
      return subjectHash(subject.input, hashString(mix(hash, 35), subject.table));
    default:
      return mix(hash, 34);
  }
}

function testHash(test: AtomicTest, hash: number): number {
  switch (test.kind) {
    case 'compare':
    case 'between':
      return checkHash(test, hash);
    case 'text-in':
      return stringsHash(test.values, mix(hash, test.negated ? 41 : 42));
    case 'text-match':
      return stringsHash(test.values, hashString(mix(hash, 43), test.operator));
    case 'has':
      return stringsHash(test.values, mix(hash, 44));
    default:
      return hashString(mix(hash, 45), test.kind);
  }
}

function queryHash(query: EventQuery, hash: number): number {
  let h = hashString(mix(hash, 51), query.event);
  if (query.where !== undefined) h = condHash(query.where, mix(h, 52));
  if (query.withinSeconds !== undefined) h = numHash(query.withinSeconds, mix(h, 53));
  return h;
}

function condHash(cond: Cond, hash: number): number {
  switch (cond.kind) {
    case 'and':
    case 'or': {
      let h = mix(hash, cond.kind === 'and' ? 61 : 62);
      h = mix(h, cond.operands.length);
      for (let i = 0; i < cond.operands.length; i++) h = condHash(cond.operands[i], h);
      return h;
    }
    case 'not':
      return condHash(cond.operand, mix(hash, 63));
    case 'segment':
      return hashString(mix(hash, 64), cond.name);
    case 'test':
      return testHash(cond.test, subjectHash(cond.subject, mix(hash, 65)));
    case 'event-exists':
      return queryHash(cond.query, mix(hash, cond.quantifier === 'any' ? 66 : 67));
    case 'event-count':
      // `count distinct` of a property is another number than the count of occurrences.
      if (cond.distinct !== undefined) return checkHash(cond.check, queryHash(cond.query, hashString(mix(hash, 70), cond.distinct)));
      return checkHash(cond.check, queryHash(cond.query, mix(hash, 68)));
    case 'days-since':
      return checkHash(cond.check, queryHash(cond.query, mix(hash, 69)));
    default:
      return structuralHash(cond, hash);
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
