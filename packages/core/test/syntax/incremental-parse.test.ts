// Re-parsing with the previous tree (what the language server does on every keystroke) must give
// exactly what parsing the whole new text gives: same tree, same positions, same diagnostics.
// Random edits of every rule file in the repository (clean ones and the golden error files)
// and of random files are applied in chains, each parse reusing the one before.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, type ParseResult } from '../../src/index.js';
import { arbitraryRuleFile } from '../support/arbitrary.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

function rubricFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...rubricFiles(path));
    else if (name.endsWith('.rubric')) out.push(path);
  }
  return out;
}

const FILES = ['examples', 'packages/core/test', 'test', 'grammar'].flatMap((dir) => rubricFiles(join(ROOT, dir)));

/** Text typed or pasted: statement breaks, brackets, strings, comments, keywords, junk. */
const INSERTS = [
  '', 'x', '1', ' ', '\n', '\r\n', ';', '(', ')', '[', ']', '{', '}', '"', "'", '`', '#', '$', '.', ',',
  ' and ', ' or not ', 'when ', ' add 5', ' sub 2', 'half-life 3 days', 'group g {\n', '}\n',
  'when job in [CEO] add 10\n', '  when x = "a" add 1 "label"\n', 'stage s at 10\n', '2026-02-30', '\\',
  // The data dialect: a block opened or closed anywhere, settings, a field's `from`/`missing`.
  'data {\n', 'data { dates: day first }\n', '  numbers: decimal comma\n', ' from "X"', ' missing ["-", no]', 'data',
];

interface Edit {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
}

const arbitraryEdit: fc.Arbitrary<Edit> = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.oneof(fc.constant(0), fc.nat(3), fc.nat(40)),
  insert: fc.oneof(fc.constantFrom(...INSERTS), fc.string({ maxLength: 6 })),
}).map((e) => ({ at: e.at, remove: e.remove, insert: e.insert }));

function applyEdit(text: string, edit: Edit): string {
  const at = Math.min(text.length, Math.floor(edit.at * (text.length + 1)));
  return text.slice(0, at) + edit.insert + text.slice(Math.min(text.length, at + edit.remove));
}

function plain(result: ParseResult): unknown {
  return JSON.parse(JSON.stringify({ ast: result.ast, diagnostics: result.diagnostics }));
}

/** Applies `edits` in a chain and checks every incremental parse against a whole parse. */
function checkChain(text: string, edits: readonly Edit[]): void {
  let previous = parse(text, 'file.rubric');
  let current = text;
  for (const edit of edits) {
    current = applyEdit(current, edit);
    const incremental = parse(current, 'file.rubric', previous.ast);
    const whole = parse(current, 'file.rubric');
    expect(plain(incremental)).toEqual(plain(whole));
    previous = incremental;
  }
}

describe('parsing with the previous tree', () => {
  it('finds the repository rule files', () => {
    expect(FILES.length).toBeGreaterThan(50);
  });

  // One test per file: as one test, its time grew with every rule file added to the repository
  // (176 files: 10 s alone, over its 60 s timeout on a loaded machine); each file takes well
  // under a second, with the same runs and seed as before.
  it.each(FILES.map((file) => [relative(ROOT, file), file]))('gives the same tree and diagnostics as a whole parse, for edits of %s', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    fc.assert(
      fc.property(fc.array(arbitraryEdit, { minLength: 1, maxLength: 4 }), (edits) => checkChain(text, edits)),
      { numRuns: 12, seed: 4242 },
    );
  });

  it('gives the same tree and diagnostics as a whole parse, for edits around a data block', () => {
    const text = [
      'lead {',
      '  job: text from "Job Title" missing ["-"]',
      '  data: text',
      '}',
      'data {',
      '  missing: ["N/A", "?", inconnu]',
      '  numbers: decimal comma',
      '  dates: day first',
      '  true: [oui]; false: [non, no]',
      '}',
      'when job in [data, software] add 5',
      'group g {',
      '  when data = x add 1',
      '}',
      '',
    ].join('\n');
    fc.assert(
      fc.property(fc.array(arbitraryEdit, { minLength: 1, maxLength: 5 }), (edits) => checkChain(text, edits)),
      { numRuns: 300, seed: 1414 },
    );
  });

  it('gives the same tree and diagnostics as a whole parse, for edits of random files', () => {
    fc.assert(
      fc.property(arbitraryRuleFile(), fc.array(arbitraryEdit, { minLength: 1, maxLength: 5 }), ({ text }, edits) => checkChain(text, edits)),
      { numRuns: 150, seed: 777 },
    );
  });

  // Found by the fuzzer (notes/fuzz-findings.md F4): a `{`, `(` or `[` left open at the end of the
  // re-read lines made that statement stop there, where a whole parse runs it on into the next ones.
  it.each([
    ['\nwhen t add 1\nwhen s>1add 1', 'group g{\nwhen t add 1\nwhen s>1add 1'],
    ['lead{}\nwhen O and t add 1\n', 'lead{\nwhen O and t add 1\n'],
    ["when c in[\nwhen n sub 3\nwhen l ends''sub 5", "when c in[{\nwhen n sub 3\nwhen l ends''sub 5"],
    ['lead\nwhen l add 1\n', 'lead{\nwhen l add 1\n'],
    ['when c add 1\nwhen d add 1\nwhen t<2026-01-01sub 5', 'when c add 1{\nwhen d add 1\nwhen t<2026-01-01sub 5'],
    ['group e{}\neach k where t sub 5;when``has""add 5""', 'group e{{}\neach k where t sub 5;when``has""add 5""'],
    ['lead{{\nlet\nwhen o add 1\nwhen d add 1\ntest""{}', 'lead{{\nle}t\nwhen o add 1\nwhen d add 1\ntest""{}'],
  ])('an edit that leaves a block or bracket open re-reads what it runs into: %j -> %j', (before, after) => {
    const incremental = parse(after, 'file.rubric', parse(before, 'file.rubric').ast);
    expect(plain(incremental)).toEqual(plain(parse(after, 'file.rubric')));
  });

  it('keeps the trees of statements before an edit and shifts the ones after', () => {
    const text = 'lead {\n  job: text\n}\nwhen job = "a" add 1\nwhen job = "b" add 2\nwhen job = "c" add 3\nwhen job = "d" add 4\n';
    const first = parse(text);
    const edited = text.replace('"b" add 2', '"b" add 25');
    const second = parse(edited, 'untitled.rubric', first.ast);
    expect(second.ast.statements[0]).toBe(first.ast.statements[0]);
    expect(second.ast.statements[1]).toBe(first.ast.statements[1]);
    expect(second.ast.statements[4]).not.toBe(first.ast.statements[4]);
    expect(second.ast.statements[4].range.start.offset).toBe(first.ast.statements[4].range.start.offset + 1);
    expect(plain(second)).toEqual(plain(parse(edited)));
  });
});
