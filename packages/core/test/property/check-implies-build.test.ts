/**
 * `check` accepts => every target builds. A rule file without error diagnostics must compile
 * (`compile`, so lowering never throws `LoweringError`), emit a standalone module
 * (`emitModule`), emit SQL for DuckDB and PostgreSQL (`emitSql`), run its in-file tests (what
 * `runTests` does after compiling) and score an empty lead, none of them throwing. The CLI turns
 * anything thrown there into "internal error" (exit 2), so a file `rubric check` passes would
 * break `rubric test`, `build`, `score` or `explain`.
 *
 * Two sources of files:
 * - random valid files from the generator of compiled-vs-interpreted.test.ts;
 * - mutants: the example rule files and the checker's golden cases with seeded token-level
 *   mutations that keep them plausible (numbers swapped for extreme ones such as 0.005, 400-digit
 *   and 400-decimal literals, the limits and just past them; lines duplicated or deleted;
 *   operators, `add`/`sub`, `and`/`or`, `any`/`no` and duration units swapped; names replaced by
 *   other names of the file). Many mutants are rejected by `check`; the test asserts a minimum
 *   number of accepted ones so it keeps exercising the builds.
 *
 * RUBRIC_PROPERTY_SEED replays a run (default fixed, so CI is reproducible); a failure prints
 * the mutant's source, its index and its mutations.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { compile } from '../../src/compiler/compile.js';
import { emitModule } from '../../src/compiler/emit-js.js';
import { emitSql, SQL_DIALECTS } from '../../src/compiler/sql/index.js';
import { seededRandom } from '../../src/backtest/statistics.js';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { runCompiledTests } from '../../src/testing/run-tests.js';
import { arbitraryRuleFile } from '../support/arbitrary.js';

const SEED = Number(process.env.RUBRIC_PROPERTY_SEED ?? 20260301);
const RANDOM_FILES = 100;
const MUTANTS = 800;
/** Random valid files added to the files to mutate. */
const RANDOM_SEED_FILES = 20;
/**
 * Accepted mutants the default seed must produce at least (it gives about 250; new golden cases
 * change the files mutated, hence the margin).
 */
const MIN_ACCEPTED_MUTANTS = 150;
/** Accepted mutants holding a number at or near a limit, or with 3+ decimals in a plain place. */
const MIN_ACCEPTED_EXTREME = 45;

/** What happened to one file: rejected by `check`, or built everywhere, or the first throw. */
type Outcome = { readonly kind: 'rejected' } | { readonly kind: 'built' } | { readonly kind: 'threw'; readonly step: string; readonly error: string };

/** Runs every build step on a file `check` accepts; the first one that throws is the outcome. */
function buildEverywhere(text: string): Outcome {
  const analysis = analyze(text, 'mutant.rubric');
  if (hasErrors(analysis.diagnostics)) return { kind: 'rejected' };
  let step = 'compile';
  try {
    const { scorer } = compile(analysis.model);
    if (scorer === null) throw new Error('compile gave no scorer for a model without errors');
    step = 'emitModule';
    emitModule(scorer.ir);
    for (const dialect of SQL_DIALECTS) {
      step = `emitSql (${dialect})`;
      emitSql(scorer.ir, { dialect, now: '2026-03-01T00:00:00Z' });
    }
    step = 'runTests';
    for (const result of runCompiledTests(scorer)) if (result.error !== undefined) throw new Error(`test "${result.name}": ${result.error}`);
    step = 'explain';
    scorer.explain({}, { now: new Date('2026-03-01T00:00:00Z'), events: [] });
    return { kind: 'built' };
  } catch (error) {
    return { kind: 'threw', step, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations

/** A small seeded PRNG (the back-test's mulberry32), one per mutant so each replays alone. */
const prng = seededRandom;

const FOUR_HUNDRED_DIGITS = `1${'0'.repeat(399)}`;
const FOUR_HUNDRED_DECIMALS = `0.${'0'.repeat(399)}1`;

/** Numbers a hostile author writes: past each limit, exactly at it, and harmless ones. */
const EXTREME_NUMBERS: readonly string[] = [
  '0.005',
  '2.505',
  '0.001',
  '-0.125',
  FOUR_HUNDRED_DIGITS,
  `-${FOUR_HUNDRED_DIGITS}`,
  FOUR_HUNDRED_DECIMALS,
  '9999999999999.99',
  '9_999_999_999_999.99',
  '-9999999999999.99',
  '10000000000000',
  '12345678901234567',
  '100000000',
  '100000001',
  '273972',
  '273973',
  '2400000000',
  '0',
  '-0',
  '-5',
  '1.5',
  '0.01',
  '2.50',
];

/** Numbers at or near a limit: an accepted file holding one exercises the limits. */
const NEAR_LIMIT = /9_?999_?999_?999_?999\.99|100000000\b|273972\b|2400000000\b/;

const SWAPS: readonly (readonly string[])[] = [
  ['<', '<=', '>', '>=', '=', '!='],
  ['add', 'sub'],
  ['and', 'or'],
  ['any', 'no'],
  ['hours', 'days', 'weeks', 'months', 'years'],
  ['hour', 'day', 'week', 'month', 'year'],
  ['ago', 'from now'],
  ['min', 'max'],
];

/** Tokens of a rule file; strings and comments are single tokens so mutations skip inside them. */
const TOKEN = /#[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`\n]*`|\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?|-?\d+(?:_\d+)*(?:\.\d+)?|[\p{L}_][\p{L}\p{N}_]*|<=|>=|!=|[<>=]|\s+|./gu;

interface Token {
  readonly text: string;
  readonly kind: 'number' | 'word' | 'operator' | 'other';
}

function tokenize(text: string): Token[] {
  return [...text.matchAll(TOKEN)].map(([t]) => ({
    text: t,
    kind: /^-?\d+(?:_\d+)*(?:\.\d+)?$/.test(t) ? 'number' : /^[\p{L}_]/u.test(t) ? 'word' : /^(?:<=|>=|!=|[<>=])$/.test(t) ? 'operator' : 'other',
  }));
}

const KEYWORDS = new Set(
  'lead event let segment group max min score range to when each where within half-life up add sub stage at requires tier test now expect and or not in is set missing true false any no count since last between starts ends contains has of one list text number bool date from ago hour hours day days week weeks month months year years'.split(' '),
);

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** Applies 1 to 3 mutations to `text`; returns the mutant and what was done. */
function mutate(text: string, random: () => number): { text: string; mutations: string[] } {
  let current = text;
  const mutations: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let m = 0; m < count; m++) {
    const roll = random();
    const tokens = tokenize(current);
    const indexesOf = (kind: Token['kind']) => tokens.flatMap((t, i) => (t.kind === kind ? [i] : []));
    if (roll < 0.45) {
      // A number swapped for an extreme one (the point of this test: most mutations).
      const numbers = indexesOf('number');
      if (numbers.length === 0) continue;
      const at = pick(random, numbers);
      const replacement = pick(random, EXTREME_NUMBERS);
      mutations.push(`number ${tokens[at].text} -> ${replacement.length > 24 ? `${replacement.slice(0, 6)}… (${replacement.length} chars)` : replacement}`);
      current = tokens.map((t, i) => (i === at ? replacement : t.text)).join('');
    } else if (roll < 0.6) {
      const swappable = tokens.flatMap((t, i) => (SWAPS.some((group) => group.includes(t.text)) ? [i] : []));
      if (swappable.length === 0) continue;
      const at = pick(random, swappable);
      const group = SWAPS.find((g) => g.includes(tokens[at].text)) as readonly string[];
      const replacement = pick(random, group.filter((w) => w !== tokens[at].text));
      mutations.push(`swap ${tokens[at].text} -> ${replacement}`);
      current = tokens.map((t, i) => (i === at ? replacement : t.text)).join('');
    } else if (roll < 0.75) {
      // A name replaced by another name of the file (a field for a group, a let for a field...).
      const names = indexesOf('word').filter((i) => !KEYWORDS.has(tokens[i].text));
      if (names.length < 2) continue;
      const at = pick(random, names);
      const replacement = tokens[pick(random, names)].text;
      mutations.push(`name ${tokens[at].text} -> ${replacement}`);
      current = tokens.map((t, i) => (i === at ? replacement : t.text)).join('');
    } else {
      const lines = current.split('\n');
      const at = Math.floor(random() * lines.length);
      if (random() < 0.5) {
        mutations.push(`duplicate line ${at + 1}`);
        lines.splice(at, 0, lines[at]);
      } else {
        mutations.push(`delete line ${at + 1}`);
        lines.splice(at, 1);
      }
      current = lines.join('\n');
    }
  }
  return { text: current, mutations };
}

/**
 * The files to mutate: the example rule files, the checker's golden cases that check without
 * errors (most golden cases are about an error, and their mutants would nearly all keep it) and
 * a few random valid files, by name.
 */
function seedFiles(): { name: string; text: string }[] {
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const files: { name: string; text: string }[] = [];
  const examples = `${root}examples/`;
  for (const dir of readdirSync(examples, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(`${examples}${dir.name}`)) {
      if (file.endsWith('.rubric')) files.push({ name: `examples/${dir.name}/${file}`, text: readFileSync(`${examples}${dir.name}/${file}`, 'utf8') });
    }
  }
  const golden = `${root}packages/core/test/checker/golden/`;
  for (const file of readdirSync(golden)) {
    if (!file.endsWith('.rubric')) continue;
    const text = readFileSync(`${golden}${file}`, 'utf8');
    if (!hasErrors(analyze(text).diagnostics)) files.push({ name: `golden/${file}`, text });
  }
  fc.sample(arbitraryRuleFile({ hostile: false, hostileNames: false }), { seed: SEED + 1, numRuns: RANDOM_SEED_FILES }).forEach(({ text }, i) => {
    files.push({ name: `random file ${i} (seed ${SEED + 1})`, text });
  });
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function describeFailure(label: string, text: string, outcome: Outcome & { kind: 'threw' }): string {
  const shown = text.length > 4000 ? `${text.slice(0, 4000)}\n…` : text;
  return `${label}: ${outcome.step} threw ${outcome.error}\n--- file ---\n${shown}`;
}

/**
 * The hostile tester's reports (issue 12): each file checked clean, then compiling threw
 * `LoweringError` or the number silently became nothing. `$` is where the number goes: with the
 * harmless value the file builds; with the hostile one it has exactly one error, of that code.
 */
const REPORTED: readonly (readonly [where: string, template: string, harmless: string, hostile: string, code: string])[] = [
  ['stage threshold', 'stage a at $', '0.5', '0.005', 'R031'],
  ['stage threshold', 'stage a at $', '10', FOUR_HUNDRED_DIGITS, 'R041'],
  ['group max', 'group g2 max $ { when x > 2 add 0.5 }', '0.5', '0.001', 'R031'],
  ['group min', 'group g2 min $ { when x > 2 add 0.5 }', '-0.5', '-0.001', 'R031'],
  ['score range', 'score range $ to 5', '0.01', '0.001', 'R031'],
  ['score range', 'score range 0 to $', '5', FOUR_HUNDRED_DIGITS, 'R041'],
  ['points', 'when x > 2 add $', '1', FOUR_HUNDRED_DIGITS, 'R041'],
  ['`up to`', 'each visit add 1 up to $', '5', '0.005', 'R031'],
  ['`up to`', 'each visit add 1 up to $', '5', FOUR_HUNDRED_DIGITS, 'R041'],
  ['comparison with a field', 'when x > $ add 1', '1000', FOUR_HUNDRED_DIGITS, 'R041'],
  ['comparison with a field', 'when x between -$ and 1 add 1', '5', FOUR_HUNDRED_DIGITS, 'R041'],
  ['comparison with a group', 'when g > $ add 1', '0.01', '0.005', 'R031'],
  ['comparison with a group', 'when g between $ and 4 add 1', '0.01', '0.005', 'R031'],
  ['`let` compared with a group', 'let t = $\nwhen g >= t add 1', '0.01', '0.005', 'R031'],
  ['`let`', 'let t = $\nwhen x >= t add 1', '3', FOUR_HUNDRED_DIGITS, 'R041'],
  ['comparison with `score`', 'stage a at 1 when score >= $', '1.5', '1.505', 'R031'],
  ['count', 'when count visit >= $ add 1', '3', FOUR_HUNDRED_DIGITS, 'R041'],
  ['`within`', 'when any visit within $ days add 1', '30', FOUR_HUNDRED_DIGITS, 'R041'],
  ['`within`', 'when any visit within $ days add 1', '100000000', '100000001', 'R041'],
  ['half-life', 'each visit add 1 half-life $ days', '30', FOUR_HUNDRED_DIGITS, 'R041'],
  ['`N days ago`', 'when d > $ days ago add 1', '30', FOUR_HUNDRED_DIGITS, 'R041'],
  ['`expect score`', 'test "t" { lead { x: 5 } expect score >= $ }', '1', '0.005', 'R031'],
  ['`expect group`', 'test "t" { lead { x: 5 } expect group g = $ }', '1', FOUR_HUNDRED_DIGITS, 'R041'],
  ['a test lead value', 'test "t" { lead { x: $ } expect score >= 0 }', '5', FOUR_HUNDRED_DIGITS, 'R041'],
  ['a test event', 'test "t" { now 2026-03-01\n lead { x: 5 }\n events { visit $ days ago }\n expect score >= 0 }', '2', '100000001', 'R041'],
];
const REPORTED_BASE = 'lead {\n  x: number\n  d: date\n}\nevent visit\ngroup g { when x > 1 add 1 }\n';

describe('a file `check` accepts builds for every target', () => {
  it.each(REPORTED.map((r, i) => [i, ...r] as const))('reported case %i, %s: `%s` is rejected with the hostile number', (_i, _where, template, harmless, hostile, code) => {
    const fill = (value: string) => `${REPORTED_BASE}${template.replace(/\$/g, value)}\n`;
    expect(buildEverywhere(fill(harmless))).toEqual({ kind: 'built' });
    const errors = analyze(fill(hostile)).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code)).toEqual([code]);
  });

  it(`random valid files (${RANDOM_FILES}) compile, emit a module and SQL, and run their tests`, () => {
    const files = fc.sample(arbitraryRuleFile(), { seed: SEED, numRuns: RANDOM_FILES });
    const failures: string[] = [];
    let built = 0;
    files.forEach(({ text }, i) => {
      const outcome = buildEverywhere(text);
      if (outcome.kind === 'threw') failures.push(describeFailure(`random file ${i} (seed ${SEED})`, text, outcome));
      if (outcome.kind === 'built') built++;
    });
    expect(failures.slice(0, 3).join('\n\n')).toBe('');
    // The generator makes valid files (compiled-vs-interpreted.test.ts checks it): all are built.
    expect(built).toBe(RANDOM_FILES);
  });

  it(`mutants of the examples and golden cases (${MUTANTS}) that check accepts build`, () => {
    const seeds = seedFiles();
    expect(seeds.length).toBeGreaterThan(10);
    const failures: string[] = [];
    let accepted = 0;
    let extreme = 0;
    for (let i = 0; i < MUTANTS; i++) {
      const random = prng(SEED * 7919 + i);
      const source = pick(random, seeds);
      const { text, mutations } = mutate(source.text, random);
      const outcome = buildEverywhere(text);
      if (outcome.kind === 'rejected') continue;
      accepted++;
      if (mutations.some((m) => m.startsWith('number')) && (NEAR_LIMIT.test(text) || /\b\d+\.\d{3,}\b/.test(text))) extreme++;
      if (outcome.kind === 'threw') {
        failures.push(describeFailure(`mutant ${i} of ${source.name} (seed ${SEED}; ${mutations.join(', ')})`, text, outcome));
      }
    }
    console.log(`check-implies-build: ${accepted} of ${MUTANTS} mutants accepted by check (${extreme} with an extreme number), ${failures.length} failed to build`);
    expect(failures.slice(0, 3).join('\n\n')).toBe('');
    expect(accepted).toBeGreaterThanOrEqual(MIN_ACCEPTED_MUTANTS);
    expect(extreme).toBeGreaterThanOrEqual(MIN_ACCEPTED_EXTREME);
  });
});
