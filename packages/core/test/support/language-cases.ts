/**
 * Language cases as data: `packages/core/test/cases/*.json`, each a list of cases with the rules
 * text, a lead, its events, `now` and the expected result. Any engine (the reference
 * interpreter, the compiled scorer, later SQL) runs them through {@link loadLanguageCases}.
 *
 * JSON cannot hold a Date, `undefined`, NaN or a prototype, so a few tagged objects stand for them:
 * `{"$date": "2026-03-01T00:00:00Z"}` is a Date, `{"$undefined": true}` is undefined,
 * `{"$number": "NaN"}` is NaN (or `Infinity`, `-Infinity`), and an object with `"$inherit": {...}`
 * has those properties on its prototype (not its own). `"__proto__"` keys stay own properties.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ExpectedResult {
  readonly score: number;
  readonly stage: string | null;
  readonly tier: string | null;
  readonly groups: Readonly<Record<string, number>>;
}

export interface LanguageCase {
  /** `file.json: name`. */
  readonly id: string;
  readonly name: string;
  /** The sentence of the spec the case pins down. */
  readonly spec?: string;
  readonly rules: string;
  readonly now: string;
  readonly lead: Record<string, unknown>;
  /** Passed in the options when present (else the lead's own `events`, if any, are used). */
  readonly events?: readonly unknown[];
  readonly expected: ExpectedResult;
}

const CASE_KEYS = new Set(['name', 'spec', 'rules', 'now', 'lead', 'events', 'expected']);
const EXPECTED_KEYS = new Set(['score', 'stage', 'tier', 'groups']);

function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Turns the JSON tags into the values they stand for. */
export function reviveCaseValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reviveCaseValue);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const own = (key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);
  if (own('$date')) return new Date(String(record.$date));
  if (own('$undefined')) return undefined;
  if (own('$number')) return Number(record.$number);
  const out: Record<string, unknown> = own('$inherit')
    ? (Object.create(reviveCaseValue(record.$inherit) as object) as Record<string, unknown>)
    : {};
  for (const key of Object.keys(record)) if (key !== '$inherit') setOwn(out, key, reviveCaseValue(record[key]));
  return out;
}

function fail(where: string, message: string): never {
  throw new Error(`${where}: ${message}`);
}

function parseCase(file: string, raw: unknown, index: number): LanguageCase {
  const where = `${file} case #${index + 1}`;
  if (typeof raw !== 'object' || raw === null) fail(where, 'not an object');
  const c = raw as Record<string, unknown>;
  for (const key of Object.keys(c)) if (!CASE_KEYS.has(key)) fail(where, `unknown key \`${key}\``);
  if (typeof c.name !== 'string') fail(where, '`name` must be a string');
  const rules = Array.isArray(c.rules) ? c.rules.join('\n') : c.rules;
  if (typeof rules !== 'string') fail(where, '`rules` must be a string or a list of lines');
  const expected = c.expected as Record<string, unknown> | undefined;
  if (typeof expected !== 'object' || expected === null) fail(where, '`expected` is required');
  for (const key of Object.keys(expected)) if (!EXPECTED_KEYS.has(key)) fail(where, `unknown expected key \`${key}\``);
  if (typeof expected.score !== 'number') fail(where, '`expected.score` must be a number');
  return {
    id: `${file}: ${c.name}`,
    name: c.name,
    ...(typeof c.spec === 'string' ? { spec: c.spec } : {}),
    rules: rules + '\n',
    now: typeof c.now === 'string' ? c.now : '2026-03-01T00:00:00Z',
    lead: (reviveCaseValue(c.lead ?? {}) as Record<string, unknown>),
    ...(c.events !== undefined ? { events: reviveCaseValue(c.events) as unknown[] } : {}),
    expected: {
      score: expected.score,
      stage: (expected.stage as string | null | undefined) ?? null,
      tier: (expected.tier as string | null | undefined) ?? null,
      groups: (expected.groups as Record<string, number> | undefined) ?? {},
    },
  };
}

/** Every case of every `*.json` file in `directory`, files in name order. */
export function loadLanguageCases(directory: string): LanguageCase[] {
  const files = readdirSync(directory)
    .filter((f) => f.endsWith('.json'))
    .sort();
  return files.flatMap((file) => {
    const data = JSON.parse(readFileSync(join(directory, file), 'utf8')) as { cases?: unknown };
    if (!Array.isArray(data.cases)) fail(file, 'expected `{"cases": [...]}`');
    return data.cases.map((raw, i) => parseCase(file, raw, i));
  });
}
