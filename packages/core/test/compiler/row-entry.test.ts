// The row entry (issue 13, emit-js-rows.ts): `scoreRowAndValidate(cells, rowPlan(columns))`
// must give exactly what `scoreAndValidate` gives for the lead holding each column's cell as an
// own property (empty cells left out), minus the events' reports (validated elsewhere, once per
// event). Differentially, on random data dialects, `from` columns (hostile names among them),
// placeholders, number/date/bool/list text, columns the rules do not read, missing columns, a
// dotted field beside a column named like its parent, with and without events.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, type CompiledScorer } from '../../src/compiler/compile.js';
import type { InvalidValue, LeadEvent, ScoreOptions } from '../../src/runtime/types.js';

const RUNS = Number(process.env.RUBRIC_PROPERTY_RUNS ?? 150);
const SEED = Number(process.env.RUBRIC_PROPERTY_SEED ?? 20261313);
const NOW = '2026-03-01T00:00:00Z';

const TRUE_POOL = ['oui', 'Vrai', 'o', 'ja'];
const FALSE_POOL = ['non', 'faux', 'n', 'nein'];
const MISSING_POOL = ['N/A', 'n/c', '-', '?', 'inconnu', '0000000000', '1900-01-01', '01/01/1900', '__proto__', 'a"b\\c${x}</script>'];
// Column names a CRM export might use, hostile ones included.
const COLUMN_POOL = ['Job Title', 'Company size', 'Téléphone', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'a.b', 'x"y\\z${1}</script>', 'valueOf'];

type Kind = 'number' | 'bool' | 'date' | 'text' | 'one-of' | 'list';
const FIELDS: ReadonlyArray<{ name: string; kind: Kind; decl: string }> = [
  { name: 'n', kind: 'number', decl: 'number' },
  { name: 'b', kind: 'bool', decl: 'bool' },
  { name: 'd', kind: 'date', decl: 'date' },
  { name: 't', kind: 'text', decl: 'text' },
  { name: 'o', kind: 'one-of', decl: 'one of [gold, silver, "N/A"]' },
  { name: 'l', kind: 'list', decl: 'list of text' },
  { name: 'company.size', kind: 'number', decl: 'number' },
  { name: 'a.b.c', kind: 'text', decl: 'text' },
  { name: 'un', kind: 'number', decl: 'number' },
  { name: 'ub', kind: 'bool', decl: 'bool' },
  { name: 'uo', kind: 'one-of', decl: 'one of [gold, silver]' },
  { name: 'ul', kind: 'list', decl: 'list of text' },
];

const RULES = [
  'when n >= 1200 add 1',
  'when n < 0 add 2',
  'when n is missing add 4',
  'when b add 8',
  'when b is false add 16',
  'when d > 2026-02-20T12:00:00Z add 32',
  'when t = ceo add 64',
  'when t starts "dir" add 128',
  'when o = gold add 256',
  'when o is missing add 512',
  'when l has vip add 1024',
  'when company.size >= 50 add 2048',
  'when a.b.c is set add 4096',
  'when any visit where url starts "/pricing" add 8192',
  'when count visit >= 2 add 16384',
  // Issue 15: a synonym table over a lead field (computed after the row is read) and a distinct count.
  'table rank {',
  '  "ceo", "dir*" -> top',
  '  "*%*", "*_*" -> odd',
  '}',
  'when rank(t) = top add 32768',
  'when rank(t) is missing add 65536',
  'when count distinct visit.url >= 2 add 131072',
  'stage warm at 10 requires t',
];

interface Spec {
  readonly data: string | null;
  /** By field: the `from` column, if any. */
  readonly columns: ReadonlyArray<string | undefined>;
  readonly missing: ReadonlyArray<readonly string[] | undefined>;
}

const quote = (text: string): string => JSON.stringify(text);
const list = (words: readonly string[]): string => `[${words.map(quote).join(', ')}]`;

function render(spec: Spec): string {
  const fields = FIELDS.map((f, i) => {
    const from = spec.columns[i] === undefined ? '' : ` from ${quote(spec.columns[i] as string)}`;
    const missing = spec.missing[i] === undefined ? '' : ` missing ${list(spec.missing[i] as string[])}`;
    return `  ${f.name}: ${f.decl}${from}${missing}`;
  });
  return ['lead {', ...fields, '}', 'event visit { url: text }', ...(spec.data === null ? [] : [spec.data]), ...RULES].join('\n') + '\n';
}

const someOf = (pool: readonly string[]) => fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 });

const arbitraryData = fc.option(
  fc
    .record({
      numbers: fc.constantFrom('plain', 'decimal comma', 'decimal point'),
      dates: fc.constantFrom('iso', 'day first', 'month first'),
      trueWords: someOf(TRUE_POOL),
      falseWords: someOf(FALSE_POOL),
      missing: someOf(MISSING_POOL),
    })
    .map((d) => `data {\n  missing: ${list(d.missing)}\n  numbers: ${d.numbers}\n  dates: ${d.dates}\n  true: ${list(d.trueWords)}\n  false: ${list(d.falseWords)}\n}`),
  { freq: 4 },
);

const arbitrarySpec: fc.Arbitrary<Spec> = fc
  .record({
    data: arbitraryData,
    pool: fc.shuffledSubarray(COLUMN_POOL),
    useColumn: fc.array(fc.boolean(), { minLength: FIELDS.length, maxLength: FIELDS.length }),
    missing: fc.array(fc.option(someOf(MISSING_POOL), { freq: 3 }), { minLength: FIELDS.length, maxLength: FIELDS.length }),
  })
  .map(({ data, pool, useColumn, missing }) => {
    let next = 0;
    const columns = FIELDS.map((_, i) => (useColumn[i] && next < pool.length ? pool[next++] : undefined));
    return { data, columns, missing: missing.map((m) => m ?? undefined) };
  });

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
const pad = fc.constantFrom('', '', '', ' ', '\u00a0', '\t');
const padded = (value: fc.Arbitrary<string>) => fc.tuple(pad, value, pad).map(([a, v, b]) => a + v + b);
const numberText = padded(
  fc
    .tuple(
      fc.constantFrom('', '', '-', '+'),
      digits(1, 3),
      fc.array(fc.tuple(fc.constantFrom(' ', '.', ','), digits(3, 3)), { maxLength: 2 }),
      fc.option(fc.tuple(fc.constantFrom('.', ','), digits(0, 3))),
    )
    .map(([sign, head, groups, fraction]) => sign + head + groups.map(([s, g]) => s + g).join('') + (fraction === null ? '' : fraction[0] + fraction[1])),
);
const dateText = fc.constantFrom('2026-02-25', '2026-02-25T10:00:00Z', '25/02/2026', '02/25/2026', '2026-02-30', ' 2026-02-21 13:00 ', '1900-01-01', '01/01/1900', 'hier');
const anyWord = fc.constantFrom(...TRUE_POOL, ...FALSE_POOL, ...MISSING_POOL, 'true', 'no', '1', '0', 'yes', 'FALSE', 'peut-être', ' ', '');
const wordText = anyWord.chain((w) => fc.constantFrom(w, w.toUpperCase(), ` ${w} `));
const listText = fc
  .array(fc.oneof(fc.constantFrom('VIP', 'vip ', 'Partner', '', ' '), anyWord), { maxLength: 4 })
  .chain((items) => fc.constantFrom(';', '|', ' ; ').map((sep) => items.join(sep)));
const otherText = fc.constantFrom('ceo', ' Directeur Général ', 'GOLD', 'silver', '/pricing/x', '__proto__', 'constructor', '{"a":1}', '[1,2]', '1e6', '007', '12,5', '1 200');

function cellOf(kind: Kind): fc.Arbitrary<string> {
  switch (kind) {
    case 'number':
      return fc.oneof(numberText, wordText, otherText);
    case 'bool':
      return fc.oneof(wordText, otherText);
    case 'date':
      return fc.oneof(dateText, wordText, otherText);
    case 'list':
      return fc.oneof(listText, wordText);
    default:
      return fc.oneof(wordText, otherText);
  }
}

/** A row: a header (field columns, present or not, shuffled, with extra columns) and cells. */
interface Row {
  readonly columns: readonly string[];
  readonly cells: readonly string[];
}

function arbitraryRows(spec: Spec): fc.Arbitrary<{ columns: string[]; rows: string[][] }> {
  const keys = FIELDS.map((f, i) => spec.columns[i] ?? f.name);
  const extras = ['id', 'company', 'a', 'a.b', 'events', 'notes', '__proto__', 'constructor', 'toString'];
  return fc
    .record({
      present: fc.array(fc.boolean(), { minLength: keys.length, maxLength: keys.length }),
      extra: fc.shuffledSubarray(extras),
      order: fc.integer({ min: 0, max: 1000 }),
    })
    .chain(({ present, extra, order }) => {
      const chosen = keys.filter((_, i) => present[i] || i % 3 === 0);
      const columns = [...new Set([...chosen, ...extra])];
      // A fixed shuffle of the header (deterministic per order).
      const shuffled = columns.map((c, i) => ({ c, k: (i * 7919 + order * 104729) % 1009 })).sort((x, y) => x.k - y.k).map((x) => x.c);
      const kinds = shuffled.map((c) => {
        const field = keys.indexOf(c);
        return field === -1 ? ('text' as Kind) : FIELDS[field].kind;
      });
      const row = fc.tuple(...kinds.map((k) => fc.oneof(cellOf(k), fc.constant(''))));
      return fc.array(row, { minLength: 8, maxLength: 8 }).map((rows) => ({ columns: shuffled, rows: rows.map((r) => [...r]) }));
    });
}

/** The lead of a row as the row entry defines it: each column's non-empty cell as an own property, no own `events`. */
function leadOf(row: Row): Record<string, unknown> {
  const lead: Record<string, unknown> = {};
  row.columns.forEach((column, i) => {
    if (row.cells[i] === '' || column === 'events') return;
    Object.defineProperty(lead, column, { value: row.cells[i], enumerable: true, writable: true, configurable: true });
  });
  return lead;
}

const leadReports = (invalid: readonly InvalidValue[]): InvalidValue[] => invalid.filter((v) => v.field !== 'events' && !v.field.startsWith('visit.'));

const EVENTS: LeadEvent[] = [
  { type: 'visit', at: '2026-02-27T10:00:00Z', url: '/pricing/a' },
  { type: 'visit', at: 'N/A', url: 42 } as unknown as LeadEvent,
  { type: 'visit', at: '2026-02-10T00:00:00Z', url: '/docs' },
  { type: 'other', at: '2026-02-10T00:00:00Z' },
];

function compileText(text: string): CompiledScorer {
  const { scorer, diagnostics } = compile(text);
  if (scorer === null) throw new Error(`does not compile: ${diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}\n${text}`);
  return scorer;
}

describe('scoreRowAndValidate (the row entry) equals scoreAndValidate on the row\'s lead', () => {
  it(`${RUNS} random dialects and headers x 8 rows, without and with events`, () => {
    let compared = 0;
    let reportedRows = 0;
    const property = fc.property(
      arbitrarySpec.chain((spec) => fc.tuple(fc.constant(spec), arbitraryRows(spec))),
      ([spec, { columns, rows }]) => {
        const text = render(spec);
        const scorer = compileText(text);
        const plan = scorer.rowPlan(columns);
        // The row entry generated with the scorer (what rubric score asks for) reads alike.
        const eager = compile(text, { rows: true }).scorer;
        if (eager === null) throw new Error('no scorer');
        const eagerPlan = eager.rowPlan(columns);
        expect(plan.columns).toBe(columns.length);
        const times: number[] = EVENTS.map((event) => {
          const out = { at: Number.NaN };
          scorer.validateEvent(event, out);
          return out.at;
        });
        const optionSets: ScoreOptions[] = [{ now: NOW }, { now: NOW, events: EVENTS }, { now: NOW, events: EVENTS, eventTimes: times }];
        for (const cells of rows) {
          const lead = leadOf({ columns, cells });
          for (const options of optionSets) {
            compared++;
            const expected = scorer.scoreAndValidate(lead, options);
            const got = scorer.scoreRowAndValidate(cells, plan, options);
            const context = `--- file ---\n${text}--- header ---\n${JSON.stringify(columns)}\n--- cells ---\n${JSON.stringify(cells)}`;
            expect(got.result, context).toEqual(expected.result);
            expect(got.invalid, context).toEqual(leadReports(expected.invalid));
            expect(eager.scoreRowAndValidate(cells, eagerPlan, options), context).toEqual(got);
            if (got.invalid.length > 0) reportedRows++;
          }
        }
      },
    );
    fc.assert(property, { numRuns: RUNS, seed: SEED });
    expect(compared).toBe(RUNS * 8 * 3);
    // The data must exercise reports, not only clean rows.
    expect(reportedRows).toBeGreaterThan(compared / 10);
  });

  const FILE = `lead {
  job: text from "Job Title"
  size: number from "__proto__"
  company.size: number
  vip: bool from "constructor"
}
data {
  missing: ["N/A"]
  numbers: decimal comma
}
when job = ceo add 10
when size >= 1000 add 20
when company.size >= 50 add 40
when vip add 80
`;

  it('reads hostile column names as plain cells, and a dotted field only from its own column', () => {
    const scorer = compileText(FILE);
    const columns = ['company', 'constructor', '__proto__', 'Job Title', 'toString'];
    const plan = scorer.rowPlan(columns);
    const row = scorer.scoreRowAndValidate(['{"size": 99}', 'oui?', '1 200,5', ' CEO ', 'x'], plan, { now: NOW });
    // `company.size` has no column: missing (the `company` cell is text, never a nested value).
    expect(row.result.score).toBe(30);
    expect(row.invalid).toEqual([expect.objectContaining({ field: 'vip', value: 'oui?' })]);
    expect(scorer.scoreRowAndValidate(['', '', 'N/A', '', ''], plan, { now: NOW })).toEqual({ result: expect.objectContaining({ score: 0 }), invalid: [] });
    expect(scorer.scoreRowAndValidate([], plan, { now: NOW }).result.score).toBe(0);
    const dotted = scorer.rowPlan(['company.size']);
    expect(scorer.scoreRowAndValidate(['50'], dotted, { now: NOW }).result.score).toBe(40);
    // Object.prototype is not polluted by a `__proto__` cell.
    expect(({} as Record<string, unknown>).size).toBeUndefined();
  });

  it('is generated with the scorer only when asked (CompileOptions.rows), else on the first rowPlan call', () => {
    const lazy = compileText(FILE);
    const eager = compile(FILE, { rows: true }).scorer;
    expect(lazy.javascript).not.toContain('function scoreRowAndValidate(');
    expect(eager?.javascript).toContain('function scoreRowAndValidate(');
    // Apart from the row entry, the code is the same.
    expect(eager?.javascript.replace(/const ROW_KEYS[\s\S]*?(?=return \{ score,)/, '').replace(', rowPlan, scoreRowAndValidate, eventPlan, validateEventRow', '')).toBe(lazy.javascript);
    expect(lazy.scoreRowAndValidate(['CEO'], lazy.rowPlan(['Job Title']), { now: NOW }).result.score).toBe(10);
  });

  it('refuses a plan from another scorer, duplicate or non-text column names, and cells that are not an array', () => {
    const scorer = compileText(FILE);
    const other = compileText(FILE);
    expect(() => scorer.scoreRowAndValidate([], other.rowPlan([]), { now: NOW })).toThrow(TypeError);
    expect(() => scorer.scoreRowAndValidate([], { columns: 0 }, { now: NOW })).toThrow(TypeError);
    expect(() => scorer.rowPlan(['a', 'a'])).toThrow(RangeError);
    expect(() => scorer.rowPlan([1 as unknown as string])).toThrow(TypeError);
    expect(() => scorer.scoreRowAndValidate('a,b' as unknown as string[], scorer.rowPlan([]), { now: NOW })).toThrow(TypeError);
  });

  it('reads columns with no name (empty or whitespace only, any number of them) as no field', () => {
    const scorer = compileText(FILE);
    const columns = ['', 'Job Title', ' ', '', '\t', 'constructor', ''];
    const plan = scorer.rowPlan(columns);
    expect(scorer.scoreRowAndValidate(['x', 'CEO', 'y', 'ceo', 'z', 'oui', '80'], plan, { now: NOW })).toEqual({
      result: expect.objectContaining({ score: 10 }),
      invalid: [expect.objectContaining({ field: 'vip', value: 'oui' })],
    });
    // Events too: an events file's unnamed columns are no property.
    expect(() => scorer.eventPlan(['lead_id', 'type', 'at', '', ''])).not.toThrow();
    // Two columns of one real name are still refused.
    expect(() => scorer.rowPlan(['', 'Job Title', '', 'Job Title'])).toThrow(RangeError);
  });

  it('a cell getter that throws is missing, as a throwing getter on a lead is', () => {
    const scorer = compileText(FILE);
    const plan = scorer.rowPlan(['Job Title', 'constructor']);
    const cells = new Proxy(['ceo', 'oui'], {
      get(target, key, receiver) {
        if (key === '0') throw new Error('trap');
        return Reflect.get(target, key, receiver);
      },
    });
    const got = scorer.scoreRowAndValidate(cells, plan, { now: NOW });
    expect(got.result.score).toBe(0);
    expect(got.invalid).toEqual([expect.objectContaining({ field: 'vip', value: 'oui' })]);
  });
});
