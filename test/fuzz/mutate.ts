/**
 * Mutations of rule files, byte-level and token-level, each a pure function of the text and a
 * {@link Random}:
 *
 * - byte-level: insert, delete, duplicate or overwrite chunks; random characters including NUL,
 *   CR, lone surrogates, BOM, zero-width and combining marks, U+2028, astral letters;
 * - token-level: swap keywords, extreme numbers (0.005, 400 digits, -0, 1e308...), names
 *   replaced by other names of the file, keywords or hostile names, strings by hostile strings,
 *   impossible dates, huge durations, `(`...`)` and `not` wrappers (sometimes deeper than the
 *   nesting limit), duplicated, deleted and swapped lines, lines spliced from other files;
 * - structure: expansion chains (`let l1 = [l0, l0]`, `segment s1 = s0 and s0`), long lines and
 *   big lists, so the limits on expansion and size are exercised too.
 */
import type { Random } from './random.js';

const KEYWORDS = (
  'lead events event let segment group max min score range to when each where within half-life up add sub stage at ' +
  'requires tier test now expect and or not in is set missing true false any no count since last between starts ends ' +
  'contains has of one list text number bool date from ago hours hour days day weeks week months month years year'
).split(' ');

const EXTREME_NUMBERS = [
  '0', '-0', '0.0', '0.005', '0.01', '0.999', '1.005', '-1', '00012', '1_000', '1__0', '_1', '1_', '1.', '.5', '1e3', '1e308',
  '9007199254740993', '99999999999999999999.99', '123456789012345678901234567890', `1${'0'.repeat(400)}`, `0.${'0'.repeat(399)}1`,
  '340282366920938463463374607431768211456', '-9999999999999999', '2147483648', '1.7976931348623157e308', '5e-324', 'NaN', 'Infinity',
];

const HOSTILE_NAMES = [
  '__proto__', 'constructor', 'toString', 'prototype', '`a b`', '`lead`', '`__proto__`', '`${x}`', '`it\'s`', '`"`', '`\\`', 'é',
  'ǅungla', '𝒳', 'a'.repeat(300), '_', '_0', 'x.y.z', 'a..b', '`a.b`', 'score', 'count', 'events', 'now', 'ab\u200bc',
];

const HOSTILE_STRINGS = [
  '""', "''", '"\\"', '"\\u0000"', '"\\uD800"', '"\\uDC00x"', '"\\u{10FFFF}"', '"\\u{110000}"', '"\\n\\r\\t"', '"\\q"', '"${1+1}"',
  '"\'); drop table leads; --"', '"*/ throw 1; /*"', '"\u2028\u2029"', '"\ufeff"', '"a\u0301"', '"İ"', '"ß"', '"ﬃ"', '"🚀"',
  `"${'x'.repeat(2000)}"`, '"  spaced  "', "'it\\'s'", '"\\\\"',
];

const DATES = ['2026-02-30', '2024-02-29', '2023-02-29', '0000-01-01', '9999-12-31', '2026-13-01', '2026-00-10', '1970-01-01', '2026-03-01T25:00:00Z', '+275760-09-13'];

const DURATIONS = ['0 days', '1 hour', '999999999999 days', '100000 years', '0.5 days', `${'9'.repeat(40)} weeks`, '-1 days'];

/** Characters that break things: controls, line separators, surrogates, invisible and combining. */
const ODD_CHARACTERS = [
  '\u0000', '\r', '\r\n', '\n', '\t', '\u000b', '\u000c', '\u0085', '\u00a0', '\u2028', '\u2029', '\ufeff', '\u200b', '\u200d', '\u0301',
  '\ud800', '\udc00', '\udbff', '\ud83d\ude80', '\ud835\udcb3', 'é', 'ß', 'İ', 'ǅ', '\u202e', '\uffff', '\ufffd', '"', "'", '`', '\\',
  '#', '(', ')', '[', ']', '{', '}', ',', ';', '.', '-', '=', '<', '>', '!', '$',
];

/** Text typed or pasted while editing (the incremental parser's diet). */
const TYPED = [
  '', 'x', '1', ' ', '\n', '\r\n', ';', '(', ')', '[', ']', '{', '}', '"', "'", '`', '#', ' and ', ' or not ', 'when ', ' add 5', ' sub 2',
  'half-life 3 days', 'group g {\n', '}\n', 'when job in [CEO] add 10\n', '  when x = "a" add 1 "label"\n', 'stage s at 10\n', '2026-02-30', '\\',
];

function randomCharacter(random: Random): string {
  return random.weighted<() => string>([
    [4, () => String.fromCharCode(32 + random.int(95))],
    [3, () => random.pick(ODD_CHARACTERS)],
    [1, () => String.fromCharCode(random.int(0x10000))],
    [1, () => String.fromCodePoint(0x10000 + random.int(0xfffff))],
  ])();
}

function randomChunk(random: Random, maxLength: number): string {
  let out = '';
  const n = 1 + random.int(maxLength);
  for (let i = 0; i < n; i++) out += randomCharacter(random);
  return out;
}

function splice(text: string, at: number, remove: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(Math.min(text.length, at + remove));
}

/** A random small edit of the kind typing and pasting make (inserts, deletions, replacements). */
export function randomEdit(text: string, random: Random): string {
  const structural = random.float();
  if (structural < 0.15) {
    // Deleting a closer leaves its block open until a later one (or the end of the file).
    const closers = [...text.matchAll(/[}\])]/g)].map((m) => m.index ?? 0);
    if (closers.length > 0) return splice(text, random.pick(closers), 1, '');
  } else if (structural < 0.3) {
    // A block header typed above existing statements, not yet closed.
    const starts = [0, ...[...text.matchAll(/\n/g)].map((m) => (m.index ?? 0) + 1)];
    return splice(text, random.pick(starts), 0, random.pick(['group g {\n', 'lead {\n', 'test "t" {\n', 'event e {\n', 'group g max 5 {\n', 'when (x = 1\n']));
  }
  if (random.chance(0.3)) {
    // Typing at the end of a line: an opener (`{`, `[`, `(`, a quote) changes how the lines after
    // it are read, which a re-parse of the edited lines alone gets wrong.
    const ends = [...text.matchAll(/\n/g)].map((m) => m.index ?? 0);
    const at = ends.length === 0 ? text.length : random.pick(ends);
    return splice(text, at, 0, random.pick(['{', '[', '(', '"', "'", '`', ' {', '}', ']', ')', ' and', ',']));
  }
  const at = random.int(text.length + 1);
  const remove = random.weighted<number>([
    [3, 0],
    [3, 1 + random.int(3)],
    [1, random.int(40)],
  ]);
  const insert = random.chance(0.7) ? random.pick(TYPED) : randomChunk(random, 6);
  return splice(text, at, remove, insert);
}

// ---------------------------------------------------------------------------------------------
// Byte level

function byteMutation(text: string, random: Random): string {
  const at = random.int(text.length + 1);
  return random.weighted<() => string>([
    [3, () => splice(text, at, 0, randomChunk(random, 8))],
    [3, () => splice(text, at, 1 + random.int(random.chance(0.8) ? 8 : 200), '')],
    [2, () => splice(text, at, 1 + random.int(4), randomChunk(random, 4))],
    [
      2,
      () => {
        const from = random.int(text.length);
        const chunk = text.slice(from, from + 1 + random.int(120));
        return splice(text, at, 0, chunk.repeat(1 + random.int(random.chance(0.9) ? 3 : 50)));
      },
    ],
    [1, () => text.slice(0, at)],
    [1, () => text.replace(/\n/g, random.pick(['\r\n', '\r', '\n\n', ' \n', '\u2028']))],
    [1, () => splice(text, at, 0, random.pick(['\u0000', '\r', '\ud800', '\udc00', '\ufeff']))],
  ])();
}

// ---------------------------------------------------------------------------------------------
// Token level

interface Token {
  readonly start: number;
  readonly end: number;
  readonly kind: 'word' | 'number' | 'string' | 'date' | 'duration' | 'punct';
}

const TOKEN = /(\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?)|(\d[\d_.]*\s+(?:hours?|days?|weeks?|months?|years?))|(-?\d[\d_]*(?:\.\d+)?)|("(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')|(`[^`\r\n]*`|[\p{L}_][\p{L}\p{N}_]*(?:-life)?)|([()[\]{},;.=<>!]+)/gu;

function tokensOf(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const start = m.index ?? 0;
    const kind: Token['kind'] = m[1] ? 'date' : m[2] ? 'duration' : m[3] ? 'number' : m[4] ? 'string' : m[5] ? 'word' : 'punct';
    out.push({ start, end: start + m[0].length, kind });
    if (out.length > 20_000) break;
  }
  return out;
}

function replaceToken(text: string, token: Token, replacement: string): string {
  return text.slice(0, token.start) + replacement + text.slice(token.end);
}

function tokenMutation(text: string, random: Random, others: readonly string[]): string {
  const tokens = tokensOf(text);
  const of = (kind: Token['kind']): Token[] => tokens.filter((t) => t.kind === kind);
  const words = of('word');
  const pickToken = (kind: Token['kind']): Token | undefined => {
    const list = of(kind);
    return list.length === 0 ? undefined : random.pick(list);
  };
  const mutation = random.weighted<() => string | undefined>([
    [3, () => { const t = pickToken('number'); return t && replaceToken(text, t, random.pick(EXTREME_NUMBERS)); }],
    [3, () => {
      const t = pickToken('word');
      if (t === undefined) return undefined;
      const replacement = random.weighted<() => string>([
        [3, () => random.pick(KEYWORDS)],
        [3, () => { const w = random.pick(words); return text.slice(w.start, w.end); }],
        [1, () => random.pick(HOSTILE_NAMES)],
      ])();
      return replaceToken(text, t, replacement);
    }],
    [1, () => { const t = pickToken('string'); return t && replaceToken(text, t, random.pick(HOSTILE_STRINGS)); }],
    [1, () => { const t = pickToken('date'); return t && replaceToken(text, t, random.pick(DATES)); }],
    [1, () => { const t = pickToken('duration'); return t && replaceToken(text, t, random.pick(DURATIONS)); }],
    [2, () => {
      // Wrap a run of tokens of one line in parentheses or `not`, sometimes many times over.
      if (tokens.length === 0) return undefined;
      const first = random.int(tokens.length);
      let last = first;
      while (last + 1 < tokens.length && random.chance(0.7) && !text.slice(tokens[first].start, tokens[last + 1].end).includes('\n')) last++;
      const depth = random.chance(0.1) ? 60 + random.int(10) : 1 + random.int(3);
      const inner = text.slice(tokens[first].start, tokens[last].end);
      const wrapped = random.chance(0.5) ? `${'('.repeat(depth)}${inner}${')'.repeat(depth)}` : `${'not '.repeat(depth)}${inner}`;
      return text.slice(0, tokens[first].start) + wrapped + text.slice(tokens[last].end);
    }],
    [1, () => { const t = pickToken('punct'); return t && replaceToken(text, t, random.pick(['(', ')', '[', ']', '{', '}', ',', ';', '.', '=', '!=', '<=', ''])); }],
    [3, () => lineMutation(text, random, others)],
  ]);
  return mutation() ?? byteMutation(text, random);
}

function lineMutation(text: string, random: Random, others: readonly string[]): string {
  const lines = text.split('\n');
  const i = random.int(lines.length);
  return random.weighted<() => string[]>([
    [3, () => [...lines.slice(0, i + 1), ...lines.slice(i, i + 1 + random.int(3)), ...lines.slice(i + 1)]],
    [2, () => lines.filter((_, j) => j < i || j > i + random.int(3))],
    [1, () => {
      const j = random.int(lines.length);
      const copy = [...lines];
      [copy[i], copy[j]] = [copy[j], copy[i]];
      return copy;
    }],
    [3, () => {
      if (others.length === 0) return lines;
      const other = random.pick(others).split('\n');
      const from = random.int(other.length);
      return [...lines.slice(0, i), ...other.slice(from, from + 1 + random.int(8)), ...lines.slice(i)];
    }],
    [1, () => lines.map((line, j) => (j === i ? `  ${line}` : line))],
  ])().join('\n');
}

// ---------------------------------------------------------------------------------------------
// Structure: what the limits are about

/** A file whose lists or segments double at every step (bounded only by the expansion limit). */
export function expansionChain(random: Random): string {
  const depth = 3 + random.int(random.chance(0.5) ? 12 : 40);
  const lines = ['lead {', '  job: text', '  size: number', '}'];
  if (random.chance(0.5)) {
    lines.push('let l0 = [a, b]');
    for (let i = 1; i <= depth; i++) lines.push(`let l${i} = [l${i - 1}, l${i - 1}]`);
    lines.push(`when job in [l${depth}] add 1`);
  } else {
    lines.push('segment s0 = job = ceo or size > 10');
    for (let i = 1; i <= depth; i++) lines.push(`segment s${i} = s${i - 1} ${random.pick(['and', 'or'])} ${random.chance(0.2) ? 'not ' : ''}s${i - 1}`);
    lines.push(`when s${depth} add 1`, `stage hot at 1 when s${depth}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A large or deep input of about `maxChars` characters at most: long lines, big lists, many statements, deep nesting. */
export function bigInput(random: Random, seed: string, maxChars: number): string {
  // How many repetitions of a unit of `unitChars` characters fit, at least a few.
  const count = (unitChars: number): number => Math.max(3, random.int(Math.floor(maxChars / unitChars)));
  return random.weighted<() => string>([
    [1, () => `lead {\n  job: text\n}\nwhen job in [${Array.from({ length: count(7) }, (_, i) => `v${i}`).join(', ')}] add 1\n`],
    [1, () => { const n = count(2); return `lead {\n  job: text\n}\nwhen ${'('.repeat(n)}job = a${')'.repeat(random.int(n + 2))} add 1\n`; }],
    [1, () => `lead {\n  job: text\n}\nwhen ${'not '.repeat(count(4))}job = a add 1\n`],
    [1, () => `lead {\n  job: text\n}\nwhen ${Array.from({ length: count(16) }, (_, i) => `job = w${i}`).join(random.pick([' or ', ' and ', '\n  or ']))} add 1\n`],
    [1, () => seed.repeat(Math.min(count(seed.length + 1), 1000))],
    [1, () => '"'.repeat(count(1))],
    [1, () => `lead {\n${Array.from({ length: count(14) }, (_, i) => `  f${i}: number`).join('\n')}\n}\n`],
    // A block whose every line is wrong: one statement, one syntax error per line.
    [1, () => {
      const line = `${random.pick(['x', '  f: number', '1', ')', 'when a add 1', 'expect score 1'])}\n`;
      return `${random.pick(['group g {', 'test "t" {', 'lead {', 'event e {', 'when (', 'when x in ['])}\n${line.repeat(count(line.length))}}\n`;
    }],
  ])();
}

/** One mutation of `text`: several random byte-level and token-level changes. */
export function mutate(text: string, random: Random, others: readonly string[]): string {
  let out = text;
  const n = random.weighted<number>([
    [5, 1],
    [3, 2],
    [2, 4],
    [1, 10],
  ]);
  for (let i = 0; i < n; i++) out = random.chance(0.35) ? byteMutation(out, random) : tokenMutation(out, random, others);
  return out;
}
