/**
 * Random leads for any checked model (the fuzzer's files have no {@link FileSpec} to draw from):
 * values of each field's type taken mostly from the words, strings, numbers and dates written in
 * the file itself, so conditions hit as often as they miss, plus missing and null values and
 * events of every declared type inside and outside windows. Values whose reading the spec leaves
 * open (1/0 for a bool, a blank string in a list) are never produced, so a disagreement between
 * the compiled scorer and the reference interpreter is a real one.
 */
import type { FieldType, Model } from '../../packages/core/src/checker/model.js';
import type { Random } from './random.js';

/** The instant every fuzz lead is scored at. */
export const FUZZ_NOW = '2026-03-01T00:00:00Z';
const NOW_MILLIS = Date.parse(FUZZ_NOW);
const DAY_MS = 86_400_000;

/** One lead with its events, ready for `score`, `explain` and the interpreter. */
export interface FuzzLead {
  readonly lead: Record<string, unknown>;
  readonly events: Record<string, unknown>[];
}

/** The literal material of a file: what its conditions compare with. */
interface Material {
  readonly words: readonly string[];
  readonly numbers: readonly number[];
  readonly dates: readonly string[];
}

function materialOf(text: string): Material {
  const words = new Set<string>(['CEO', 'x', 'Ünïcödé', 'ä', 'ǅ']);
  for (const match of text.matchAll(/"((?:[^"\\\r\n]|\\.)*)"|'((?:[^'\\\r\n]|\\.)*)'|([\p{L}_][\p{L}\p{N}_-]*)/gu)) {
    const word = match[1] ?? match[2] ?? match[3];
    if (word !== undefined && word.trim() !== '' && !word.includes('\\') && word.length <= 40) words.add(word);
    if (words.size > 200) break;
  }
  const numbers = new Set<number>([0, 1, -1, 10, 100]);
  for (const match of text.matchAll(/-?\d+(?:\.\d+)?/g)) {
    const n = Number(match[0]);
    if (Number.isFinite(n) && Math.abs(n) < 1e12) numbers.add(n);
    if (numbers.size > 100) break;
  }
  const dates = new Set<string>(['2026-02-28', '2025-03-01']);
  for (const match of text.matchAll(/\d{4}-\d{2}-\d{2}/g)) {
    if (!Number.isNaN(Date.parse(match[0]))) dates.add(match[0]);
  }
  return { words: [...words], numbers: [...numbers], dates: [...dates] };
}

function vary(random: Random, word: string): string {
  switch (random.int(5)) {
    case 0:
      return word.toUpperCase();
    case 1:
      return ` ${word.toLowerCase()} `;
    default:
      return word;
  }
}

function valueOf(random: Random, type: FieldType, material: Material): unknown {
  if (random.chance(0.12)) return random.chance(0.5) ? null : undefined;
  switch (type.kind) {
    case 'text':
      return random.chance(0.08) ? '' : vary(random, random.pick(material.words));
    case 'one-of':
      return vary(random, random.chance(0.8) && type.written.length > 0 ? random.pick(type.written) : random.pick(material.words));
    case 'number': {
      const base = random.pick(material.numbers);
      const n = random.weighted<number>([
        [5, base],
        [2, base + 1],
        [2, base - 1],
        [1, base + 0.01],
        [1, base / 2],
      ]);
      return random.chance(0.15) ? String(Math.round(n * 100) / 100) : Math.round(n * 100) / 100;
    }
    case 'bool':
      return random.weighted<unknown>([
        [4, true],
        [4, false],
        [1, 'yes'],
        [1, 'No'],
      ]);
    case 'date':
      return random.chance(0.4) ? random.pick(material.dates) : new Date(NOW_MILLIS - random.int(800) * DAY_MS + random.int(DAY_MS)).toISOString();
    case 'list': {
      const out: string[] = [];
      const n = random.int(4);
      for (let i = 0; i < n; i++) out.push(vary(random, random.pick(material.words)));
      return out;
    }
  }
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  // An own property even for `__proto__` (a field may be called that).
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `count` leads for `model`, drawn from `random` with the file's own literals as material. */
export function leadsFor(model: Model, text: string, random: Random, count: number): FuzzLead[] {
  const material = materialOf(text);
  const leads: FuzzLead[] = [];
  for (let i = 0; i < count; i++) {
    const lead: Record<string, unknown> = {};
    for (const [name, field] of model.fields) {
      const value = valueOf(random, field.type, material);
      if (value !== undefined) define(lead, name, value);
    }
    const events: Record<string, unknown>[] = [];
    for (const [type, event] of model.events) {
      const n = random.weighted<number>([
        [3, 0],
        [3, 1],
        [2, 2],
        [1, 5],
      ]);
      for (let k = 0; k < n; k++) {
        const at = random.chance(0.05) ? NOW_MILLIS + DAY_MS : NOW_MILLIS - random.int(200) * DAY_MS - random.int(DAY_MS);
        const occurrence: Record<string, unknown> = { type, at: new Date(at).toISOString() };
        for (const [name, property] of event.properties) {
          if (name === 'type' || name === 'at') continue;
          const value = valueOf(random, property.type, material);
          if (value !== undefined) define(occurrence, name, value);
        }
        events.push(occurrence);
      }
    }
    leads.push({ lead, events });
  }
  return leads;
}
