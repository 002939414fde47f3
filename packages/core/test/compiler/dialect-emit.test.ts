// The data dialect in the generated JavaScript (issue 14): no dialect code without a `data`
// block, hostile words and column names stay inert data, placeholders are never reported, an
// event's `at` follows the date order through validateEvent/eventTimes, and the standalone
// module (and its .d.ts) read exactly as the in-process scorer.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { compile, type CompiledScorer } from '../../src/compiler/compile.js';
import { emitModule } from '../../src/compiler/emit-js.js';
import { emitTypeDeclarations } from '../../src/compiler/emit-types.js';
import type { Scorer } from '../../src/runtime/types.js';
import { HOSTILE_STRINGS } from '../support/hostile.js';
import { DESIGN_EXAMPLE_TEXT } from './design-model.js';
import { rubricString } from '../../src/profile/suggest.js';

const NOW = '2026-03-01T00:00:00Z';
const root = fileURLToPath(new URL('../../../../', import.meta.url));


function compileText(text: string): CompiledScorer {
  const { scorer, diagnostics } = compile(text);
  if (scorer === null) throw new Error(diagnostics.map((d) => `${d.range.start.line}: ${d.code} ${d.message}`).join('\n'));
  return scorer;
}

/** The standalone CommonJS module of a file, evaluated in-process. */
function standalone(scorer: CompiledScorer): Scorer {
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', 'exports', emitModule(scorer.model, { format: 'cjs' }))(module, module.exports);
  return module.exports as unknown as Scorer;
}

/** A lead object with `key` as an own data property (also `__proto__`, as JSON.parse makes it). */
function leadWith(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const lead: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(lead, key, { value, enumerable: true, writable: true, configurable: true });
  return lead;
}

const PAYLOADS = [
  ...HOSTILE_STRINGS,
  '${globalThis.__rubricPwned = 1}',
  '"; globalThis.__rubricPwned = 1; "',
  '"]); globalThis.__rubricPwned = 1; //',
  '\\"; globalThis.__rubricPwned = 1; //',
  '*/ globalThis.__rubricPwned = 1; /*',
  '\u2028globalThis.__rubricPwned = 1;//',
];

const pwned = () => (globalThis as Record<string, unknown>).__rubricPwned;
afterEach(() => {
  expect(pwned(), 'no payload ran').toBeUndefined();
});

/** Every line of generated code but the runtime destructuring (which names every helper). */
const codeLines = (javascript: string): string => javascript.split('\n').filter((line) => !/^const \{ .* \} = rt;$/.test(line)).join('\n');

const EVERY_TYPE = `lead {
  n: number
  b: bool
  d: date
  t: text
  o: one of [gold, silver]
  l: list of text
  s: text
}
event visit { url: text, k: number }
when n > 10 add 1
when b add 2
when d > 2026-01-01 add 4
when t = ceo add 8
when o = gold add 16
when l has vip add 32
when s is set add 64
when any visit where (url starts "/pricing" and k > 1) add 128
`;

describe('a file without a data block gets no dialect code', () => {
  const files: Array<[string, string]> = [
    ['every type', EVERY_TYPE],
    ['the design example', DESIGN_EXAMPLE_TEXT],
    ['the bench reference ruleset', readFileSync(join(root, 'bench/reference.rubric'), 'utf8')],
    ['the simple-fit workload', readFileSync(join(root, 'bench/workloads/simple-fit.rubric'), 'utf8')],
  ];

  it.each(files)('%s: no dialect helper, word set or placeholder set is emitted', (_name, text) => {
    const code = codeLines(compileText(text).javascript);
    expect(code).not.toMatch(/\b(DIALECT|TRUE_WORDS|FALSE_WORDS|toNumberAs|toBoolAs|reportUnlessMissing|P\d+)\b/);
    // The plain readers: ISO dates in order 0 (trimmed, a space for the T), plain numbers and bools.
    expect(code).not.toMatch(/toInstant\(v, [12]\)|looseDate\(v, [12]\)/);
  });

  it.each(files)('%s: an empty data block, or one naming the defaults, generates the very same code', (_name, text) => {
    const plain = compileText(text).javascript;
    expect(compileText(`${text}\ndata {\n}\n`).javascript).toBe(plain);
    expect(compileText(`${text}\ndata {\n  numbers: plain\n  dates: iso\n  true: []\n  false: []\n  missing: []\n}\n`).javascript).toBe(plain);
  });

  it('a data block with placeholders only keeps the plain readers and adds the placeholder sets', () => {
    const code = codeLines(compileText(`${EVERY_TYPE}data {\n  missing: ["N/A"]\n}\n`).javascript);
    expect(code).not.toMatch(/\b(DIALECT|TRUE_WORDS|toNumberAs|toBoolAs)\b/);
    expect(code).toMatch(/\bP0\b/);
    expect(code).toMatch(/reportUnlessMissing/);
  });

  it('a number slot whose placeholders cannot be numbers tests them only when the value did not read', () => {
    const quiet = codeLines(compileText(`lead {\n  n: number missing ["N/A", "-"]\n}\nwhen n > 1 add 1\n`).javascript);
    expect(quiet).not.toMatch(/if \(r === r && typeof v === "string"\)/);
    const coercible = codeLines(compileText(`lead {\n  n: number missing ["N/A", "0"]\n}\nwhen n > 1 add 1\n`).javascript);
    expect(coercible).toMatch(/if \(r === r && typeof v === "string"\)/);
    const date = codeLines(compileText(`lead {\n  d: date missing ["1900-01-01t00:00:00z"]\n}\nwhen d > 2026-01-01 add 1\n`).javascript);
    expect(date, 'an ISO date folds to lower case: the upper-cased placeholder reads as a date').toMatch(/if \(r === r && typeof v === "string"\)/);
    const scorer = compileText(`lead {\n  d: date missing ["1900-01-01t00:00:00z"]\n}\nwhen d is missing add 1\n`);
    expect(scorer.score({ d: '1900-01-01T00:00:00Z' }, { now: NOW }).score).toBe(1);
    expect(scorer.score({ d: '1900-01-01T00:00:01Z' }, { now: NOW }).score).toBe(0);
  });
});

describe('hostile words and column names are inert data', () => {
  const safe = PAYLOADS.filter((p) => p.trim() !== '');
  // A NUL in a column's name is R045 (no SQL column can hold one: test/checker/unholdable-names).
  const columns = safe.filter((p) => !p.includes('\u0000'));

  it.each(columns.map((p) => [p]))('a field read from the column %j', (column) => {
    const scorer = compileText(`lead {\n  f: text from ${rubricString(column)}\n  g: number from ${rubricString(`${column} n`)}\n}\nwhen f = ok add 1\nwhen g = 5 add 10\nwhen f is missing add 100\n`);
    for (const s of [scorer, standalone(scorer)]) {
      expect(s.score(leadWith([[column, ' OK '], [`${column} n`, '5']]), { now: NOW }).score).toBe(11);
      expect(s.score(leadWith([['f', 'ok'], ['g', 5]]), { now: NOW }).score).toBe(column === 'f' ? 1 : 100);
      // Inherited names are never read: only own properties count.
      expect(s.score({}, { now: NOW }).score).toBe(100);
      expect(s.validate(leadWith([[column, 42]]), { now: NOW })).toEqual([{ field: 'f', value: 42, expected: 'text' }]);
    }
  });

  it('columns named after Object.prototype members read own properties only', () => {
    const scorer = compileText(
      `lead {\n  a: text from "__proto__"\n  b: text from "constructor"\n  c: number from "toString"\n  d: bool from "hasOwnProperty"\n}\nwhen a = x add 1\nwhen b is set add 10\nwhen c = 3 add 100\nwhen d add 1000\nwhen b is missing add 10000\n`,
    );
    for (const s of [scorer, standalone(scorer)]) {
      expect(s.score({}, { now: NOW }).score).toBe(10000);
      expect(s.score(JSON.parse('{"__proto__": "X", "constructor": "c", "toString": "3", "hasOwnProperty": "yes"}') as Record<string, unknown>, { now: NOW }).score).toBe(1111);
      expect(s.score(Object.create({ constructor: 'inherited', toString: '3' }) as Record<string, unknown>, { now: NOW }).score).toBe(10000);
    }
  });

  it('hostile placeholders and bool words: read as data, the generated code ASCII-only and inert', () => {
    const words = safe.filter((p) => p.trim() === p);
    const text = `lead {\n  t: text\n  u: text missing [${words.map((w) => rubricString(`u${w}`)).join(', ')}]\n  b: bool\n  l: list of text\n}\ndata {\n  missing: [${words.map(rubricString).join(', ')}]\n  true: [${words.map((w) => rubricString(`yes ${w}`)).join(', ')}]\n  false: [${words.map((w) => rubricString(`no ${w}`)).join(', ')}]\n}\nwhen t is set add 1\nwhen u is set add 10\nwhen b add 100\nwhen b is false add 1000\nwhen l is set add 10000\n`;
    const scorer = compileText(text);
    const module = emitModule(scorer.model);
    for (const code of [scorer.javascript, module]) {
      expect(/^[\x00-\x7e]*$/.test(code), 'ASCII only').toBe(true);
      expect(code).not.toMatch(/<\/script|<!--/i);
    }
    // The only backticks are the runtime's own message about events.
    expect(scorer.javascript.replaceAll('a text `type` and an `at` date', '')).not.toMatch(/`|\$\{/);
    for (const s of [scorer, standalone(scorer)]) {
      for (const w of words) {
        expect(s.score({ t: w, u: `u${w}`, b: `YES ${w}`, l: [w, ` ${w} `] }, { now: NOW }).score, `placeholder ${JSON.stringify(w)}`).toBe(100);
        expect(s.score({ t: `${w}!`, u: `v${w}`, b: `no ${w}` }, { now: NOW }).score).toBe(1011);
        expect(s.validate({ t: w, u: `u${w}`, b: `maybe ${w}`, l: w }, { now: NOW })).toEqual([
          { field: 'b', value: `maybe ${w}`, expected: expect.any(String) as unknown },
        ]);
      }
    }
  });

  it('`__proto__` and `constructor` as placeholders and bool words are ordinary set members', () => {
    const scorer = compileText(
      `lead {\n  t: text\n  b: bool\n  n: number\n}\ndata {\n  missing: ["__proto__", "constructor"]\n  true: ["toString"]\n  false: ["hasOwnProperty", "valueOf"]\n}\nwhen t is set add 1\nwhen b add 10\nwhen b is false add 100\nwhen n is missing add 1000\n`,
    );
    for (const s of [scorer, standalone(scorer)]) {
      expect(s.score({ t: '__proto__', b: 'toString', n: 'constructor' }, { now: NOW }).score).toBe(1010);
      expect(s.score({ t: 'prototype', b: 'VALUEOF' }, { now: NOW }).score).toBe(1101);
      expect(s.validate({ t: 'Constructor', b: '__proto__', n: '__PROTO__' }, { now: NOW })).toEqual([]);
    }
  });
});

const CRM = `lead {
  job: text from "Job Title" missing ["n/c"]
  phone: text missing ["0000000000"]
  size: number from "Company size"
  optin: bool from "Opt-in"
  created: date from "Date de création"
  plan: one of [free, pro]
  tags: list of text
  note: number
}
event visit { url: text from "Page URL" missing ["(not set)"], n: number }
data {
  missing: ["N/A", "-", inconnu]
  numbers: decimal comma
  dates: day first
  true: [oui, vrai]
  false: [non, faux]
}
when job = ceo add 1
when phone is set add 2
when size >= 1200 add 4
when optin add 8
when created < 2026-02-21 add 16
when tags has vip add 32
when plan = pro add 64
when any visit where url starts "/pricing" add 128
when count visit where n > 1000 >= 1 add 256
stage mql at 0 requires phone
`;

describe('reports: placeholders are quiet, values the dialect cannot read are reported', () => {
  const scorer = compileText(CRM);
  const runs: Array<[string, Scorer]> = [
    ['in-process', scorer],
    ['standalone', standalone(scorer)],
  ];

  it.each(runs)('%s: a French export reads right and reports nothing', (_name, s) => {
    const lead = {
      'Job Title': 'CEO',
      phone: 'N/A',
      'Company size': '1 200',
      'Opt-in': 'Oui',
      'Date de création': '20/02/2026 10:00',
      plan: ' -',
      tags: 'VIP; -;x',
      note: 'inconnu',
      events: [
        { type: 'visit', at: '01/02/2026', 'Page URL': '/Pricing', n: '1.500,5' },
        { type: 'visit', at: '02/02/2026 08:00', 'Page URL': '(not set)', n: '-' },
      ],
    };
    const explained = s.explain(lead, { now: NOW });
    expect(explained.score).toBe(1 + 4 + 8 + 16 + 32 + 128 + 256);
    expect(explained.stage).toBeNull();
    expect(explained.stages[0].missing).toEqual(['phone']);
    expect(explained.invalidValues).toEqual([]);
    expect(s.validate(lead, { now: NOW })).toEqual([]);
    const both = s.scoreAndValidate(lead, { now: NOW });
    expect(both.invalid).toEqual([]);
    expect(both.result.score).toBe(explained.score);
  });

  it.each(runs)('%s: values that do not read in the dialect are reported, as before', (_name, s) => {
    const lead = {
      'Job Title': 42,
      phone: '0000000000',
      'Company size': '12.5',
      'Opt-in': 'peut-être',
      'Date de création': '31/02/2026',
      plan: 'gold',
      tags: ['vip', 3],
      note: '1,5,5',
      events: [{ type: 'visit', at: '2026-02-30', 'Page URL': 5, n: 'beaucoup' }],
    };
    expect(s.validate(lead, { now: NOW }).map((i) => [i.field, i.value])).toEqual([
      ['job', 42],
      ['size', '12.5'],
      ['optin', 'peut-être'],
      ['created', '31/02/2026'],
      ['plan', 'gold'],
      ['tags', ['vip', 3]],
      ['note', '1,5,5'],
      ['visit.at', '2026-02-30'],
      ['visit.url', 5],
      ['visit.n', 'beaucoup'],
    ]);
    expect(s.explain(lead, { now: NOW }).invalidValues).toEqual(s.validate(lead, { now: NOW }));
  });

  it.each(runs)("%s: an event's at in the day-first order, through validateEvent and eventTimes", (_name, s) => {
    const events = [
      { type: 'visit', at: '25/02/2026 09:30', 'Page URL': '/pricing', n: '2 000' },
      { type: 'visit', at: '02/25/2026', 'Page URL': '/pricing', n: '2 000' },
    ];
    const out = { at: 0 };
    expect(s.validateEvent(events[0], out)).toEqual([]);
    expect(out.at).toBe(Date.UTC(2026, 1, 25, 9, 30));
    expect(s.validateEvent(events[1], out)).toEqual([{ field: 'visit.at', value: '02/25/2026', expected: expect.any(String) as unknown }]);
    expect(out.at).toBeNaN();
    const times = events.map((e) => {
      const o = { at: 0 };
      s.validateEvent(e, o);
      return o.at;
    });
    const direct = s.score({}, { now: NOW, events });
    expect(direct.score).toBe(128 + 256);
    expect(s.score({}, { now: NOW, events, eventTimes: times })).toEqual(direct);
  });
});

describe('the standalone module types', () => {
  const directory = mkdtempSync(join(tmpdir(), 'rubric-dialect-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('name the columns, take a list as one string, and type-check', () => {
    const scorer = compileText(CRM);
    const declarations = emitTypeDeclarations(scorer.model);
    expect(declarations).toContain('readonly "Job Title"?: string | null;');
    expect(declarations).toContain('readonly "Company size"?: number | string | null;');
    expect(declarations).toContain('readonly "Date de cr\\u00e9ation"?: string | Date | null;');
    expect(declarations).toContain('readonly "tags"?: readonly string[] | string | null;');
    expect(declarations).toContain('readonly "Page URL"?: string | null;');
    expect(declarations).not.toMatch(/readonly "job"\?/);
    writeFileSync(join(directory, 'scorer.mjs'), emitModule(scorer.model));
    writeFileSync(join(directory, 'scorer.d.mts'), declarations);
    writeFileSync(
      join(directory, 'consumer.mts'),
      `import { score, type Lead } from './scorer.mjs';
const lead: Lead = { 'Job Title': 'CEO', 'Company size': '1 200', tags: 'vip;partner', events: [{ type: 'visit', at: '01/02/2026', 'Page URL': '/pricing' }] };
const total: number = score(lead, { now: '2026-03-01T00:00:00Z' }).score;
// @ts-expect-error a number is not text
score({ 'Job Title': 5 });
export { total };
`,
    );
    const program = ts.createProgram([join(directory, 'consumer.mts')], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      types: [],
    });
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  });
});
