/**
 * The data dialect (issue 14), differentially: random `data` blocks (number format, date order,
 * extra bool words, placeholders), random `from` columns and per-field `missing` lists, and
 * random raw values aimed at every reading (numbers with every separator, signs and spaces;
 * ISO, day-first and month-first dates that exist or not; bool words in any case; placeholders
 * in any case and padding; lists as arrays and as `;`/`|` strings). The compiled scorer (score,
 * explain, validate, and the standalone module) must agree with the reference interpreter on the
 * score, the rules that fire, and what is reported as invalid (placeholders never are).
 *
 * RUBRIC_PROPERTY_RUNS sets the number of files (default 200, 10 leads each); RUBRIC_PROPERTY_SEED
 * replays a run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { Model } from '../../src/checker/model.js';
import { compile } from '../../src/compiler/compile.js';
import { emitModule } from '../../src/compiler/emit-js.js';
import type { InvalidValue, Scorer, ScoreOptions } from '../../src/runtime/types.js';
import { interpret } from '../oracle/interpret.js';
import { isReported, readDateMillis, readDeclared, type DeclaredType } from '../oracle/values.js';

const RUNS = Number(process.env.RUBRIC_PROPERTY_RUNS ?? 200);
const SEED = Number(process.env.RUBRIC_PROPERTY_SEED ?? 20261403);
const NOW = '2026-03-01T00:00:00Z';

// Word pools: disjoint from each other and from the built-in bool words, so every file checks.
const TRUE_POOL = ['oui', 'Vrai', 'o', 'ja', 'sí', 'Y'];
const FALSE_POOL = ['non', 'faux', 'n', 'nein', 'Nej'];
const MISSING_POOL = ['N/A', 'n/c', '-', '?', 'inconnu', 'none', '(not set)', '0000000000', '1900-01-01', '01/01/1900', '__proto__', 'a"b\\c${x}</script>'];
// Columns a CRM export might use, hostile ones included (the emitted reads must stay literal).
const COLUMN_POOL = ['Job Title', 'Company size', 'Téléphone', 'constructor', '__proto__', 'toString', 'a.b', 'x"y\\z${1}</script>', 'Date de création'];

type FieldKind = 'number' | 'bool' | 'date' | 'text' | 'one-of' | 'list';
const FIELDS: ReadonlyArray<{ name: string; kind: FieldKind; decl: string }> = [
  { name: 'n', kind: 'number', decl: 'number' },
  { name: 'b', kind: 'bool', decl: 'bool' },
  { name: 'd', kind: 'date', decl: 'date' },
  { name: 't', kind: 'text', decl: 'text' },
  { name: 'o', kind: 'one-of', decl: 'one of [gold, silver, "N/A"]' },
  { name: 'l', kind: 'list', decl: 'list of text' },
  { name: 's', kind: 'text', decl: 'text' },
  // Read by no rule: only validated (the generated code's report-only path).
  { name: 'un', kind: 'number', decl: 'number' },
  { name: 'ub', kind: 'bool', decl: 'bool' },
  { name: 'ud', kind: 'date', decl: 'date' },
  { name: 'uo', kind: 'one-of', decl: 'one of [gold, silver, "N/A"]' },
  { name: 'ul', kind: 'list', decl: 'list of text' },
];
const PROPERTIES: ReadonlyArray<{ name: string; kind: FieldKind; decl: string }> = [
  { name: 'url', kind: 'text', decl: 'text' },
  { name: 'k', kind: 'number', decl: 'number' },
];

const RULES = [
  'when n >= 1200 add 1',
  'when n < 0 add 2',
  'when n = 12.5 add 4',
  'when n is missing add 8',
  'when b add 16',
  'when b is false add 32',
  'when d > 2026-02-20T12:00:00Z add 64',
  'when d is set add 128',
  'when t = ceo add 256',
  'when t starts "dir" add 512',
  'when t is missing add 1024',
  'when o = gold add 2048',
  'when o is missing add 4096',
  'when l has vip add 8192',
  'when l is missing add 16384',
  'when s is set add 32768',
  'when any visit where url starts "/pricing" add 65536',
  'when count visit where k > 10 >= 2 add 131072',
  'when any visit within 30 days add 262144',
];

interface Slot {
  readonly column?: string;
  readonly missing?: readonly string[];
}

interface FileSpec {
  readonly data: {
    readonly numbers?: 'plain' | 'decimal comma' | 'decimal point';
    readonly dates?: 'iso' | 'day first' | 'month first';
    readonly trueWords?: readonly string[];
    readonly falseWords?: readonly string[];
    readonly missing?: readonly string[];
  } | null;
  readonly fields: readonly Slot[];
  readonly properties: readonly Slot[];
}

const quote = (text: string): string => JSON.stringify(text);
const list = (words: readonly string[]): string => `[${words.map(quote).join(', ')}]`;

function slotText(slot: Slot): string {
  return `${slot.column === undefined ? '' : ` from ${quote(slot.column)}`}${slot.missing === undefined ? '' : ` missing ${list(slot.missing)}`}`;
}

function render(spec: FileSpec): string {
  const lines = ['lead {', ...FIELDS.map((f, i) => `  ${f.name}: ${f.decl}${slotText(spec.fields[i])}`), '}'];
  lines.push(`event visit { ${PROPERTIES.map((p, i) => `${p.name}: ${p.decl}${slotText(spec.properties[i])}`).join(', ')} }`);
  if (spec.data !== null) {
    const d = spec.data;
    lines.push('data {');
    if (d.missing !== undefined) lines.push(`  missing: ${list(d.missing)}`);
    if (d.numbers !== undefined) lines.push(`  numbers: ${d.numbers}`);
    if (d.dates !== undefined) lines.push(`  dates: ${d.dates}`);
    if (d.trueWords !== undefined) lines.push(`  true: ${list(d.trueWords)}`);
    if (d.falseWords !== undefined) lines.push(`  false: ${list(d.falseWords)}`);
    lines.push('}');
  }
  return [...lines, ...RULES].join('\n') + '\n';
}

const someOf = (pool: readonly string[]) => fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 4 });

/** A file: columns unique across the lead (and across the event's properties). */
const arbitrarySpec: fc.Arbitrary<FileSpec> = fc
  .record({
    data: fc.option(
      fc.record(
        {
          numbers: fc.constantFrom('plain' as const, 'decimal comma' as const, 'decimal point' as const),
          dates: fc.constantFrom('iso' as const, 'day first' as const, 'month first' as const),
          trueWords: someOf(TRUE_POOL),
          falseWords: someOf(FALSE_POOL),
          missing: someOf(MISSING_POOL),
        },
        { requiredKeys: [] },
      ),
      { freq: 5 },
    ),
    columns: fc.shuffledSubarray(COLUMN_POOL),
    useColumn: fc.array(fc.boolean(), { minLength: FIELDS.length + PROPERTIES.length, maxLength: FIELDS.length + PROPERTIES.length }),
    missing: fc.array(fc.option(someOf(MISSING_POOL), { freq: 2 }), { minLength: FIELDS.length + PROPERTIES.length, maxLength: FIELDS.length + PROPERTIES.length }),
  })
  .map(({ data, columns, useColumn, missing }) => {
    let next = 0;
    const slot = (i: number): Slot => {
      const column = useColumn[i] && next < columns.length ? columns[next++] : undefined;
      // A placeholder listed twice (in the block and the field) is only a warning; keep it rarer.
      const own = missing[i] ?? undefined;
      return { ...(column === undefined ? {} : { column }), ...(own === undefined ? {} : { missing: own }) };
    };
    const fields = FIELDS.map((_, i) => slot(i));
    next = 0;
    const properties = PROPERTIES.map((_, i) => slot(FIELDS.length + i));
    return { data, fields, properties };
  });

// Raw values aimed at each reading.
const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
const pad = fc.constantFrom('', '', '', ' ', '\u00a0', '\t', '  ');
const padded = (value: fc.Arbitrary<string>) => fc.tuple(pad, value, pad).map(([a, v, b]) => a + v + b);

const numberText = padded(
  fc
    .tuple(
      fc.constantFrom('', '', '-', '+', '+-'),
      digits(1, 3),
      fc.array(fc.tuple(fc.constantFrom(' ', '.', ',', '\u00a0', '\u202f'), fc.oneof(digits(3, 3), digits(1, 4))), { maxLength: 3 }),
      fc.option(fc.tuple(fc.constantFrom('.', ','), digits(0, 3))),
    )
    .map(([sign, head, groups, fraction]) => sign + head + groups.map(([s, g]) => s + g).join('') + (fraction === null ? '' : fraction[0] + fraction[1])),
);

const two = (n: number): string => String(n).padStart(2, '0');
const dateText = padded(
  fc
    .record({
      y: fc.integer({ min: 1899, max: 2027 }),
      a: fc.integer({ min: 0, max: 32 }),
      b: fc.integer({ min: 0, max: 13 }),
      pad: fc.boolean(),
      sep: fc.constantFrom('/', '-', '.', '/'),
      sep2: fc.constantFrom('/', '-', '.', '/', '/'),
      time: fc.option(fc.tuple(fc.constantFrom(' ', 'T', '  '), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }), fc.option(fc.integer({ min: 0, max: 60 })))),
      form: fc.constantFrom('iso', 'ordered', 'ordered', 'iso-z'),
    })
    .map(({ y, a, b, pad: zero, sep, sep2, time, form }) => {
      const clock = time === null ? '' : `${time[0]}${two(time[1])}:${two(time[2])}${time[3] === null ? '' : `:${two(time[3])}`}`;
      if (form === 'iso') return `${y}-${two(b)}-${two(a)}${clock}`;
      if (form === 'iso-z') return `${y}-${two(b)}-${two(a)}${clock === '' ? '' : `${clock}Z`}`;
      const f = (n: number) => (zero ? two(n) : String(n));
      return `${f(a)}${sep}${f(b)}${sep2}${y}${clock}`;
    }),
);

function wordCase(word: string): fc.Arbitrary<string> {
  return fc.constantFrom(word, word.toUpperCase(), word.toLowerCase(), ` ${word} `, `${word}\u00a0`);
}

const anyWord = fc.constantFrom(...TRUE_POOL, ...FALSE_POOL, ...MISSING_POOL, 'true', 'no', '1', '0', 'yes', 'FALSE', 'peut-être', '');
const wordText = anyWord.chain(wordCase);

const listText = fc
  .array(fc.oneof(fc.constantFrom('VIP', 'vip ', 'Partner', '', ' '), anyWord), { maxLength: 4 })
  .chain((items) => fc.array(fc.constantFrom(';', '|', ' ; '), { minLength: items.length, maxLength: items.length }).map((seps) => items.map((item, i) => item + (i < items.length - 1 ? seps[i] : '')).join('')));

const oddValue = fc.constantFrom<unknown>(undefined, null, 42, -1, 12.5, 1500, true, false, [], ['vip', 'N/A'], ['x', 3], { a: 1 }, new Date('2026-02-25T00:00:00Z'), new Date(NaN), 'CEO', 'Directeur', 'gold', 'Silver', '/pricing');

function rawValue(kind: FieldKind): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'number':
      return fc.oneof(numberText, wordText, oddValue);
    case 'bool':
      return fc.oneof(wordText, oddValue);
    case 'date':
      return fc.oneof(dateText, wordText, oddValue);
    case 'text':
    case 'one-of':
      return fc.oneof(wordText, oddValue, fc.constantFrom('ceo', ' Directeur Général ', 'GOLD', '/pricing/x'));
    case 'list':
      return fc.oneof(listText, oddValue, fc.array(fc.oneof(wordText, fc.constantFrom('VIP')), { maxLength: 3 }));
  }
}

/** The key a slot's value is stored under in the data: its column, else its name. */
const keyOf = (name: string, slot: Slot): string => slot.column ?? name;

function arbitraryLead(spec: FileSpec): fc.Arbitrary<{ lead: Record<string, unknown>; events: Record<string, unknown>[] }> {
  const fieldValues = fc.tuple(...FIELDS.map((f) => rawValue(f.kind)));
  const event = fc.record({
    at: fc.oneof(dateText, fc.constantFrom<unknown>('2026-02-27T10:00:00Z', '2026-03-05', undefined, 'N/A', new Date('2026-02-10T00:00:00Z'))),
    url: rawValue('text'),
    k: rawValue('number'),
  });
  return fc.tuple(fieldValues, fc.array(event, { maxLength: 4 })).map(([values, events]) => {
    const lead: Record<string, unknown> = {};
    // defineProperty: a `__proto__` column is an own data property, as JSON.parse makes it.
    const set = (o: Record<string, unknown>, key: string, value: unknown) =>
      value === undefined ? undefined : Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
    FIELDS.forEach((f, i) => set(lead, keyOf(f.name, spec.fields[i]), values[i]));
    const evs = events.map((e) => {
      const out: Record<string, unknown> = { type: 'visit' };
      set(out, 'at', e.at);
      set(out, keyOf('url', spec.properties[0]), e.url);
      set(out, keyOf('k', spec.properties[1]), e.k);
      return out;
    });
    return { lead, events: evs };
  });
}

const declared = (kind: FieldKind): DeclaredType => (kind === 'one-of' ? { kind, values: ['gold', 'silver', 'N/A'] } : { kind });

/** What validate must report, in the oracle's words (field name and raw value). */
function expectedReports(model: Model, lead: Record<string, unknown>, events: readonly Record<string, unknown>[]): string[] {
  const out: string[] = [];
  const reading = model.dialect;
  FIELDS.forEach((f) => {
    const info = model.fields.get(f.name);
    if (info === undefined) throw new Error(`no field ${f.name}`);
    const raw = readDeclared(lead, f.name, info.column);
    if (isReported(raw, declared(f.kind), reading, [...reading.missing, ...(info.missing ?? [])])) out.push(showValue(f.name, raw));
  });
  const visit = model.events.get('visit');
  if (visit === undefined) throw new Error('no event visit');
  for (const e of events) {
    const at = Object.prototype.hasOwnProperty.call(e, 'at') ? e.at : undefined;
    // An event's `at` is reported whenever it is not a date, even when absent (no placeholders).
    if (readDateMillis(at, reading.dates) === undefined) out.push(showValue('visit.at', at));
    PROPERTIES.forEach((p) => {
      const info = visit.properties.get(p.name);
      if (info === undefined) throw new Error(`no property ${p.name}`);
      const raw = readDeclared(e, p.name, info.column);
      if (isReported(raw, declared(p.kind), reading, [...reading.missing, ...(info.missing ?? [])])) out.push(showValue(`visit.${p.name}`, raw));
    });
  }
  return out.sort();
}

function showValue(field: string, value: unknown): string {
  if (value instanceof Date) return `${field}=Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
  return `${field}=${value === undefined ? 'undefined' : JSON.stringify(value)}`;
}

const reported = (invalid: readonly InvalidValue[]): string[] => invalid.map((i) => showValue(i.field, i.value)).sort();

function standalone(model: Model): Scorer {
  const text = emitModule(model, { format: 'cjs' });
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', 'exports', text)(module, module.exports);
  return module.exports as unknown as Scorer;
}

describe('data dialect: compiled scorer vs reference interpreter', () => {
  it(`agree on ${RUNS} random dialects x 10 leads: score, hits and reports`, () => {
    let compared = 0;
    let withData = 0;
    const property = fc.property(
      arbitrarySpec.chain((spec) => fc.tuple(fc.constant(spec), fc.array(arbitraryLead(spec), { minLength: 10, maxLength: 10 }))),
      ([spec, leads]) => {
        const text = render(spec);
        const analysis = analyze(text, 'dialect.rubric');
        const errors = analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
        if (errors.length > 0) throw new Error(`the generated file does not check: ${errors.join('; ')}\n${text}`);
        const model = analysis.model;
        if (spec.data !== null) withData++;
        const { scorer } = compile(model);
        if (scorer === null) throw new Error('no scorer');
        const module = standalone(model);
        for (const { lead, events } of leads) {
          compared++;
          const options: ScoreOptions = { now: NOW, events: events as unknown as ScoreOptions['events'] };
          const oracle = interpret(model, lead, { now: NOW, events });
          const expected = { score: oracle.score, hits: oracle.hits.map((h) => h.rule), reports: expectedReports(model, lead, events) };
          for (const [name, s] of [['compiled', scorer], ['standalone', module]] as const) {
            const explained = s.explain(lead, options);
            const got = { score: s.score(lead, options).score, hits: explained.hits.map((h) => h.rule), reports: reported(s.validate(lead, options)) };
            expect(reported(explained.invalidValues), `${name}: explain and validate report the same`).toEqual(got.reports);
            const sv = s.scoreAndValidate(lead, options);
            expect({ score: sv.result.score, reports: reported(sv.invalid) }).toEqual({ score: got.score, reports: got.reports });
            expect(got, `${name}\n--- file ---\n${text}--- lead ---\n${describeLead(lead, events)}`).toEqual(expected);
          }
        }
      },
    );
    fc.assert(property, { numRuns: RUNS, seed: SEED });
    expect(compared).toBe(RUNS * 10);
    expect(withData).toBeGreaterThan(RUNS / 2);
  });
});

function describeLead(lead: Record<string, unknown>, events: readonly Record<string, unknown>[]): string {
  const show = (o: Record<string, unknown>) => Object.keys(o).map((k) => showValue(k, o[k])).join(', ');
  return `${show(lead)}\nevents: ${events.map((e) => `{${show(e)}}`).join(' ')}\n`;
}
