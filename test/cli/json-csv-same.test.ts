/**
 * "JSON and CSV coerce identically" (issue 14, design14.md reading rule 4), end to end with the
 * built `rubric`: random leads, each value written as a JSON typed value, as a JSON string, or
 * as a CSV cell (spaces, `+`, `1 200` and `1.200,5` under `numbers: decimal comma`, ISO and
 * day-first dates, `oui`/`non`, lists in one cell or as arrays, placeholders, blanks, values of
 * the wrong type) go into one CSV and one JSON Lines file; `rubric score` must give every lead
 * the same score, stage, tier and groups from both, and report the same invalid values in
 * `--errors`. Their events too, from an events CSV and an events JSON Lines file (`at` in ISO
 * or day-first form, properties typed or as text). And `rubric explain --row N` on the CSV must
 * equal `rubric explain --lead` with the lead's JSON object.
 *
 * CLI spawns are kept few: each run writes one file of many leads per format and scores each
 * file once (2 dialects x 3 runs x 2 formats), plus a few explains.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runRubric, TempDir } from './support.js';

let tmp: TempDir;
beforeAll(() => {
  requireBuiltCli();
  tmp = new TempDir();
});
afterAll(() => tmp.remove());

const NOW = '2026-03-01T00:00:00Z';

/** The lead fields, as the rule files declare them (CSV columns / JSON keys; `size` reads the column `Company size`). */
const COLUMNS = ['id', 'n', 'Company size', 'b', 'd', 't', 'o', 'l'] as const;

function rules(french: boolean): string {
  return `lead {
  n: number
  size: number from "Company size"
  b: bool
  d: date
  t: text${french ? ' missing ["-"]' : ''}
  o: one of [alpha, beta, "gamma ray"]
  l: list of text
}

event visit { page: text, n: number }
${
  french
    ? `
data {
  missing: ["N/A", inconnu]
  numbers: decimal comma
  dates: day first
  true: [oui, vrai]
  false: [non, faux]
}
`
    : ''
}
group num {
  when n > 1000 add 1
  when n > 10 add 2
  when n < 0 add 4
  when n = 12.5 add 8
  when n is missing add 16
  when size between 10 and 500 add 32
  when size is set add 64
}

group flags {
  when b add 1
  when b is false add 2
  when b is missing add 4
  when d > 30 days ago add 8
  when d <= 2026-01-01 add 16
  when d = 2026-02-20T10:30:00Z add 32
  when d is missing add 64
}

group words {
  when t = "Directeur Général" add 1
  when t contains "x" add 2
  when t is missing add 4
  when o = alpha add 8
  when o in [beta, "gamma ray"] add 16
  when o is missing add 32
  when l has ceo add 64
  when l has any [cto, "vp sales"] add 128
  when l is missing add 256
}

group events {
  when any visit where n > 5 within 400 days add 1
  when any visit where page = "pricing" add 2
  when count visit within 400 days >= 2 add 4
  when days since last visit < 60 add 8
}

stage first at 0 requires n, b
stage second at 100 requires d, l
`;
}

/**
 * One value in its written forms: `cell` is the CSV cell and also the JSON string (the same
 * text), `typed` a JSON value of the declared type meaning the same (a number, a boolean, an
 * array), when there is one.
 */
interface Written {
  readonly cell: string;
  readonly typed?: unknown;
}

const SPACES = ['', ' ', '  ', '\u00A0', '\t'];
const spaced = (text: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...SPACES), text, fc.constantFrom(...SPACES)).map(([before, core, after]) => `${before}${core}${after}`);

/** A number's digits: an integer part (no leading zeros but 0) and 0-2 decimals. */
const numberParts = fc.record({
  negative: fc.boolean(),
  integer: fc.oneof(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 9_999_999 })),
  decimals: fc.constantFrom('', '5', '25', '50', '07'),
});

/** `1234567` -> `1 234 567` with `separator` between groups of three. */
function grouped(integer: number, separator: string): string {
  return String(integer).replace(/\B(?=(\d{3})+$)/g, separator);
}

function numberValue(french: boolean): fc.Arbitrary<Written> {
  const valid = fc
    .tuple(numberParts, fc.boolean(), fc.constantFrom(' ', '\u00A0', '\u202F', '.', ''), fc.boolean())
    .map(([{ negative, integer, decimals }, plus, separator, leadingZero]): Written => {
      const value = Number(`${negative ? '-' : ''}${integer}${decimals === '' ? '' : `.${decimals}`}`);
      const sign = negative ? '-' : plus ? '+' : '';
      let text: string;
      if (french) {
        text = `${sign}${grouped(integer, separator)}${decimals === '' ? '' : `,${decimals}`}`;
      } else {
        text = `${sign}${leadingZero ? '0' : ''}${integer}${decimals === '' ? '' : `.${decimals}`}`;
      }
      return { cell: text, typed: Object.is(value, -0) ? 0 : value };
    });
  const invalid = fc.constantFrom('12x', 'douze', '1,2,3', '--5', french ? '1200.5' : '1 200', french ? '12.5' : '12,5', '1e3', '0x10');
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(valid, fc.constantFrom(...SPACES), fc.constantFrom(...SPACES)).map(([w, a, b]) => ({ ...w, cell: `${a}${w.cell}${b}` })) },
    { weight: 2, arbitrary: spaced(invalid).map((cell) => ({ cell })) },
    { weight: 1, arbitrary: blankOrPlaceholder(french) },
  );
}

/** Blank cells, and (french) placeholders of the `data` block, in any case and spacing. */
function blankOrPlaceholder(french: boolean): fc.Arbitrary<Written> {
  const words = french ? ['', ' ', '\u00A0', 'N/A', 'n/a', ' Inconnu ', 'INCONNU'] : ['', ' ', '\t'];
  return fc.constantFrom(...words).map((cell) => ({ cell }));
}

function boolValue(french: boolean): fc.Arbitrary<Written> {
  const trueWords = ['true', 'TRUE', 'yes', 'Yes', '1', ...(french ? ['oui', 'OUI', 'Vrai'] : [])];
  const falseWords = ['false', 'False', 'no', 'NO', '0', ...(french ? ['non', 'Non', 'faux'] : [])];
  return fc.oneof(
    { weight: 3, arbitrary: spaced(fc.constantFrom(...trueWords)).map((cell) => ({ cell, typed: true })) },
    { weight: 3, arbitrary: spaced(fc.constantFrom(...falseWords)).map((cell) => ({ cell, typed: false })) },
    { weight: 1, arbitrary: spaced(fc.constantFrom('maybe', '2', 'vrai-faux', french ? 'ja' : 'oui')).map((cell) => ({ cell })) },
    { weight: 1, arbitrary: blankOrPlaceholder(french) },
  );
}

const pad = (value: number): string => String(value).padStart(2, '0');

function dateValue(french: boolean): fc.Arbitrary<Written> {
  const parts = fc.record({
    year: fc.constantFrom(2025, 2026),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    time: fc.constantFrom(undefined, '10:30', '10:30:00', '23:59:59', '00:00'),
  });
  const iso = fc.tuple(parts, fc.constantFrom('T', ' ')).map(([{ year, month, day, time }, between]) =>
    time === undefined ? `${year}-${pad(month)}-${pad(day)}` : `${year}-${pad(month)}-${pad(day)}${between}${time}${between === 'T' ? 'Z' : ''}`,
  );
  const dayFirst = fc
    .tuple(parts, fc.constantFrom('/', '-', '.'), fc.boolean(), fc.constantFrom(' ', 'T'))
    .map(([{ year, month, day, time }, separator, padded, between]) => {
      const d = padded ? pad(day) : String(day);
      const m = padded ? pad(month) : String(month);
      return `${d}${separator}${m}${separator}${year}${time === undefined ? '' : `${between}${time}`}`;
    });
  const fixed = fc.constantFrom('2026-02-20T10:30:00Z', '2026-02-20 10:30', french ? '20/02/2026 10:30' : '2026-02-20T10:30');
  const invalid = fc.constantFrom('2026-13-01', '31/02/2026', '20/02/26', 'hier', french ? '2/20/2026' : '20/02/2026', '1/2-2026');
  return fc.oneof(
    { weight: 4, arbitrary: spaced(french ? fc.oneof(iso, dayFirst) : iso).map((cell) => ({ cell })) },
    { weight: 1, arbitrary: fixed.map((cell) => ({ cell })) },
    { weight: 2, arbitrary: spaced(invalid).map((cell) => ({ cell })) },
    { weight: 1, arbitrary: blankOrPlaceholder(french) },
  );
}

function textValue(french: boolean): fc.Arbitrary<Written> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: spaced(fc.constantFrom('Directeur Général', 'directeur general', 'Max', 'say "hi", ok', 'a;b|c', 'Zoë', '-', 'N/A', 'x-ray')).map(
        (cell) => ({ cell, typed: cell }),
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }).map((cell) => ({ cell, typed: cell })) },
    { weight: 1, arbitrary: blankOrPlaceholder(french) },
  );
}

function oneOfValue(french: boolean): fc.Arbitrary<Written> {
  return fc.oneof(
    { weight: 4, arbitrary: spaced(fc.constantFrom('alpha', 'Alpha', 'BETA', 'gamma ray', 'Gamma Ray', 'delta', 'gamma')).map((cell) => ({ cell, typed: cell })) },
    { weight: 1, arbitrary: blankOrPlaceholder(french) },
  );
}

function listValue(french: boolean): fc.Arbitrary<Written> {
  const item = spaced(fc.constantFrom('CEO', 'cto', 'VP Sales', 'Intern', 'Ingénieur', ...(french ? ['N/A', 'inconnu'] : [])));
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.tuple(fc.array(item, { minLength: 1, maxLength: 4 }), fc.constantFrom(';', '|', ' ; ')).map(([items, separator]) => ({
        cell: items.join(separator),
        // An array of the same items (blank items are not written: a JSON array keeps them).
        typed: items,
      })),
    },
    { weight: 1, arbitrary: fc.constantFrom(';', ' | ', ';;').map((cell) => ({ cell })) },
    { weight: 1, arbitrary: blankOrPlaceholder(french) },
  );
}

/** How a lead's value is written in JSON: the typed value, the CSV cell's text, or (blank cells only) no key / null. */
type JsonForm = 'typed' | 'string' | 'absent' | 'null';

interface GeneratedEvent {
  readonly at: Written;
  readonly page: Written;
  readonly n: Written;
  readonly forms: Readonly<Record<'page' | 'n', JsonForm>>;
}

interface GeneratedLead {
  readonly values: Readonly<Record<string, Written>>;
  readonly forms: Readonly<Record<string, JsonForm>>;
  readonly events: readonly GeneratedEvent[];
}

const jsonForm = fc.constantFrom<JsonForm>('typed', 'string', 'typed', 'absent', 'null');

function eventArbitrary(french: boolean): fc.Arbitrary<GeneratedEvent> {
  return fc.record({
    at: dateValue(french),
    page: spaced(fc.constantFrom('pricing', 'Pricing', 'blog', '')).map((cell) => ({ cell, typed: cell })),
    n: numberValue(french),
    forms: fc.record({ page: jsonForm, n: jsonForm }),
  });
}

function leadArbitrary(french: boolean): fc.Arbitrary<GeneratedLead> {
  const form = jsonForm;
  return fc.record({
    values: fc.record({
      n: numberValue(french),
      'Company size': numberValue(french),
      b: boolValue(french),
      d: dateValue(french),
      t: textValue(french),
      o: oneOfValue(french),
      l: listValue(french),
    }),
    forms: fc.record({ n: form, 'Company size': form, b: form, d: form, t: form, o: form, l: form }),
    events: fc.array(eventArbitrary(french), { maxLength: 3 }),
  });
}

/** A CSV cell, always quoted (so spaces, delimiters and quotes survive as written). */
const quote = (text: string): string => `"${text.replaceAll('"', '""')}"`;

function writeCsv(leads: readonly GeneratedLead[], delimiter: string, lineBreak: string): string {
  const lines = [COLUMNS.map(quote).join(delimiter)];
  leads.forEach((lead, index) => {
    lines.push(COLUMNS.map((column) => quote(column === 'id' ? leadId(index) : (lead.values[column]?.cell ?? ''))).join(delimiter));
  });
  return `${lines.join(lineBreak)}${lineBreak}`;
}

/** Sets `object[key]` as JSON writes the value in `form`: typed where asked and there is one, else the CSV cell's text. */
function setJson(object: Record<string, unknown>, key: string, value: Written | undefined, form: JsonForm | undefined): void {
  if (value === undefined) return;
  const blank = value.cell.trim() === '' && value.typed === undefined;
  if (blank && form === 'absent') return;
  if (blank && form === 'null') object[key] = null;
  else if (form === 'typed' && value.typed !== undefined) object[key] = value.typed;
  else object[key] = value.cell;
}

/** The JSON object of a lead (without its events: they go to the events file). */
function jsonLead(lead: GeneratedLead, index: number): Record<string, unknown> {
  const object: Record<string, unknown> = { id: leadId(index) };
  for (const column of COLUMNS) {
    if (column !== 'id') setJson(object, column, lead.values[column], lead.forms[column]);
  }
  return object;
}

const EVENT_COLUMNS = ['lead_id', 'type', 'at', 'page', 'n'] as const;

/** Every lead's events, in lead order (the files are sorted by lead id, as `--events` needs). */
function allEvents(leads: readonly GeneratedLead[]): { id: string; event: GeneratedEvent }[] {
  return leads.flatMap((lead, index) => lead.events.map((event) => ({ id: leadId(index), event })));
}

function writeEventsCsv(leads: readonly GeneratedLead[], delimiter: string, lineBreak: string): string {
  const lines = [EVENT_COLUMNS.join(delimiter)];
  for (const { id, event } of allEvents(leads)) lines.push([id, 'visit', event.at.cell, event.page.cell, event.n.cell].map(quote).join(delimiter));
  return `${lines.join(lineBreak)}${lineBreak}`;
}

function writeEventsJsonLines(leads: readonly GeneratedLead[]): string {
  return allEvents(leads)
    .map(({ id, event }) => {
      const object: Record<string, unknown> = { lead_id: id, type: 'visit', at: event.at.cell };
      setJson(object, 'page', event.page, event.forms.page);
      setJson(object, 'n', event.n, event.forms.n);
      return `${JSON.stringify(object)}\n`;
    })
    .join('');
}

const leadId = (index: number): string => `L${String(index + 1).padStart(4, '0')}`;

interface Scored {
  readonly score: unknown;
  readonly stage: unknown;
  readonly tier: unknown;
  readonly num: unknown;
  readonly flags: unknown;
  readonly words: unknown;
  readonly events: unknown;
}

/**
 * `rubric score` of one leads file and its events file: each lead's results by id, and the
 * `--errors` rows (without file, line and column) by lead id, or by `event N` (N: the event's
 * index in the events file, from its line and `firstEventLine`) for the events file's rows.
 */
async function score(
  rulesFile: string,
  dataFile: string,
  eventsFile: string,
  firstEventLine: number,
  errorsFile: string,
): Promise<{ results: Map<string, Scored>; errors: Map<string, string[]> }> {
  const args = ['score', rulesFile, dataFile, '--events', eventsFile, '--now', NOW, '--format', 'jsonl', '--errors', errorsFile, '--no-progress'];
  const result = await runRubric(args, tmp.dir);
  expect(result.stderr).not.toContain('error:');
  expect(result.code).toBe(0);
  const results = new Map<string, Scored>();
  for (const line of result.stdout.trim().split('\n')) {
    const row = JSON.parse(line) as Record<string, unknown>;
    results.set(String(row.id), { score: row.score, stage: row.stage, tier: row.tier, num: row.num, flags: row.flags, words: row.words, events: row.events });
  }
  const errors = new Map<string, string[]>();
  const text = tmp.read(errorsFile).trim();
  for (const line of text === '' ? [] : text.split('\n')) {
    const row = JSON.parse(line) as Record<string, unknown>;
    const lead = row.file === eventsFile ? `event ${Number(row.line) - firstEventLine}` : String(row.lead);
    const list = errors.get(lead) ?? [];
    list.push(JSON.stringify([row.field, row.value, row.problem, row.action]));
    errors.set(lead, list.sort());
  }
  return { results, errors };
}

/** Numbers are written as the CSV output gives them (text) in one file and as numbers in the other: compared as text. */
function asText(scored: Scored | undefined): Record<string, string> | undefined {
  if (scored === undefined) return undefined;
  return Object.fromEntries(Object.entries(scored).map(([key, value]) => [key, value === null || value === undefined ? '' : String(value)]));
}

let runNumber = 0;

describe.each([
  ['plain', false],
  ['french (data block)', true],
])('JSON and CSV score the same: %s dialect', (_name, french) => {
  it('random leads score alike from CSV cells and JSON values (score, stage, tier, groups, --errors)', async () => {
    const rulesFile = `rules-${french ? 'fr' : 'plain'}.rubric`;
    tmp.write(rulesFile, rules(french));
    let lastRun: { run: number; leads: readonly GeneratedLead[] } | undefined;
    await fc.assert(
      fc.asyncProperty(fc.array(leadArbitrary(french), { minLength: 80, maxLength: 120 }), async (leads) => {
        const run = (runNumber += 1);
        const csv = `leads-${run}.csv`;
        const jsonl = `leads-${run}.jsonl`;
        tmp.write(csv, writeCsv(leads, french ? ';' : ',', french ? '\r\n' : '\n'));
        tmp.write(jsonl, `${leads.map((lead, index) => JSON.stringify(jsonLead(lead, index))).join('\n')}\n`);
        tmp.write(`events-${run}.csv`, writeEventsCsv(leads, french ? ';' : ',', french ? '\r\n' : '\n'));
        tmp.write(`events-${run}.jsonl`, writeEventsJsonLines(leads));
        const fromCsv = await score(rulesFile, csv, `events-${run}.csv`, 2, `errors-${run}-csv.jsonl`);
        const fromJson = await score(rulesFile, jsonl, `events-${run}.jsonl`, 1, `errors-${run}-json.jsonl`);
        expect(fromCsv.results.size).toBe(leads.length);
        expect(fromJson.results.size).toBe(leads.length);
        const differences: unknown[] = [];
        leads.forEach((lead, index) => {
          const id = leadId(index);
          const a = { result: asText(fromCsv.results.get(id)), errors: fromCsv.errors.get(id) ?? [] };
          const b = { result: asText(fromJson.results.get(id)), errors: fromJson.errors.get(id) ?? [] };
          if (JSON.stringify(a) !== JSON.stringify(b)) {
            differences.push({ id, csvRow: writeCsv([lead], ';', '\n').split('\n')[1], json: jsonLead(lead, index), events: lead.events, fromCsv: a, fromJson: b });
          }
        });
        allEvents(leads).forEach(({ id, event }, index) => {
          const a = fromCsv.errors.get(`event ${index}`) ?? [];
          const b = fromJson.errors.get(`event ${index}`) ?? [];
          if (JSON.stringify(a) !== JSON.stringify(b)) differences.push({ id, event, fromCsv: a, fromJson: b });
        });
        expect(differences.slice(0, 3)).toEqual([]);
        // Not a vacuous run: varied scores, values read as set and as invalid, errors reported.
        const scores = new Set([...fromCsv.results.values()].map((scored) => scored.score));
        expect(scores.size).toBeGreaterThan(10);
        expect([...fromCsv.results.values()].some((scored) => (Number(scored.num) & 64) !== 0)).toBe(true);
        expect([...fromCsv.results.values()].some((scored) => Number(scored.events) > 0)).toBe(true);
        expect(fromCsv.errors.size).toBeGreaterThan(0);
        lastRun = { run, leads };
      }),
      { numRuns: 3, endOnFailure: true },
    );

    // `explain --row N` on the CSV (its events from the events CSV) = `explain --lead` with the
    // lead's JSON object (its events from the events JSON Lines), for a few rows.
    if (lastRun === undefined) throw new Error('no run');
    const { run, leads } = lastRun;
    const withEvents = leads.findIndex((lead) => lead.events.length > 0);
    for (const index of [0, Math.floor(leads.length / 2), leads.length - 1, withEvents]) {
      const explain = ['--now', NOW, '--format', 'json'];
      const fromRow = await runRubric(['explain', rulesFile, `leads-${run}.csv`, '--row', String(index + 1), '--events', `events-${run}.csv`, ...explain], tmp.dir);
      const lead = JSON.stringify(jsonLead(leads[index], index));
      const fromLead = await runRubric(['explain', rulesFile, '--lead', lead, '--events', `events-${run}.jsonl`, ...explain], tmp.dir);
      expect(fromRow.code).toBe(0);
      expect(fromLead.code).toBe(0);
      const { data, ...explained } = JSON.parse(fromRow.stdout) as { data: { row: number; id: string } };
      expect(data).toMatchObject({ row: index + 1, id: leadId(index) });
      expect({ row: index + 1, ...explained }).toEqual({ row: index + 1, ...(JSON.parse(fromLead.stdout) as object) });
    }
  }, 180_000);
});
