/**
 * Synonym tables (issue 15): `table NAME { "ceo", "dir* g*n*ral*" -> executive ... }`.
 *
 * Collects each table into a {@link TableInfo} (patterns and values folded like every literal)
 * and checks it: an empty table, pattern or value (R058), a pattern an earlier one always
 * matches first (R057), and patterns of different values that some text matches both (R056,
 * with that text and which line wins). Patterns are `*`-globs: `*` is any run of characters,
 * every other character is itself. Every decision here is a product of two patterns walked
 * once (O(|p|·|q|) cells), under a budget per file, so no table makes the checker slow.
 */
import { fold } from '../runtime/fold.js';
import type { Range, RubricFile, TableDecl, TableText } from '../syntax/ast.js';
import type { CheckContext } from './context.js';
import type { TableInfo, TablePatternInfo } from './model.js';
import { formatName, quoteText } from './source-text.js';

/** Pattern cells compared per file for R056/R057 before the checks stop (a warning only). */
export const TABLE_CHECK_BUDGET = 4_000_000;

/** The text a table line's pattern or value stands for, as written (a number as its digits). */
export function tableTextValue(text: TableText): string {
  switch (text.kind) {
    case 'StringLiteral':
      return text.value;
    case 'NumberLiteral':
      return text.raw;
    case 'WordValue':
      return text.name.name;
  }
}

/** A folded pattern split at its `*`s: `dir* g*` is `["dir", " g", ""]` (n stars: n + 1 pieces). */
export function globPieces(folded: string): string[] {
  return folded.split('*');
}

/**
 * Whether the folded `text` matches the folded glob `pattern` as a whole: the first piece is a
 * prefix, the last a suffix, and the middle ones are found in order, each at its leftmost place
 * (leftmost is always right for `*`-only globs, so nothing is ever retried: linear in the text
 * times the pieces, no backtracking).
 */
export function globMatches(text: string, pattern: string): boolean {
  const pieces = globPieces(pattern);
  if (pieces.length === 1) return text === pattern;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i];
    if (piece === '') continue;
    const found = text.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/** A glob as a sequence of units: a character (a whole code point) or STAR. */
const STAR = null;
type Unit = string | null;

function units(pattern: string): Unit[] {
  const out: Unit[] = [];
  for (const ch of pattern) out.push(ch === '*' ? STAR : ch);
  // `**` is `*`.
  return out.filter((u, i) => !(u === STAR && out[i - 1] === STAR));
}

/** Cells left to spend on pattern products in this check. */
interface Budget {
  cells: number;
}

/**
 * Whether every text `inner` matches also matches `outer` (L(inner) ⊆ L(outer)): `outer`
 * matching `inner` read as a text whose `*`s are a character only a `*` of `outer` can match.
 * Undefined when the budget is spent.
 */
export function globIncludes(outer: string, inner: string, budget: Budget = { cells: Infinity }): boolean | undefined {
  const o = units(outer);
  const t = units(inner);
  budget.cells -= (o.length + 1) * (t.length + 1);
  if (budget.cells < 0) return undefined;
  // reach[j]: outer's first i units can match inner's first j units (row by row over i).
  let reach = new Uint8Array(t.length + 1);
  reach[0] = 1;
  for (let i = 0; i < o.length; i++) {
    const next = new Uint8Array(t.length + 1);
    const u = o[i];
    for (let j = 0; j <= t.length; j++) {
      if (u === STAR) {
        // A star matches any run of inner's units (stars included).
        if (reach[j] === 1 || (j > 0 && next[j - 1] === 1)) next[j] = 1;
      } else if (j > 0 && reach[j - 1] === 1 && t[j - 1] === u) {
        next[j] = 1;
      }
    }
    reach = next;
  }
  return reach[t.length] === 1;
}

/**
 * A text both globs match, or undefined when there is none (or the budget is spent): a walk of
 * the product of the two patterns, keeping the characters read on the way. The text is short:
 * the characters both patterns spell out, with a star matching the empty run.
 */
export function globOverlap(a: string, b: string, budget: Budget = { cells: Infinity }): string | undefined {
  const p = units(a);
  const q = units(b);
  const width = q.length + 1;
  budget.cells -= (p.length + 1) * width;
  if (budget.cells < 0) return undefined;
  // from[cell]: the cell it was first reached from (-1: the start; -2: not reached), and the
  // character read on that step ('' when none).
  const from = new Int32Array((p.length + 1) * width).fill(-2);
  const read: string[] = new Array<string>((p.length + 1) * width).fill('');
  const queue: number[] = [0];
  from[0] = -1;
  const visit = (i: number, j: number, parent: number, ch: string): void => {
    const cell = i * width + j;
    if (from[cell] !== -2) return;
    from[cell] = parent;
    read[cell] = ch;
    queue.push(cell);
  };
  for (let k = 0; k < queue.length; k++) {
    const cell = queue[k];
    const i = Math.floor(cell / width);
    const j = cell % width;
    const pu = i < p.length ? p[i] : undefined;
    const qu = j < q.length ? q[j] : undefined;
    // A star matching nothing more.
    if (pu === STAR) visit(i + 1, j, cell, '');
    if (qu === STAR) visit(i, j + 1, cell, '');
    // One character read by both.
    if (pu !== undefined && pu !== STAR && qu !== undefined && qu !== STAR && pu === qu) visit(i + 1, j + 1, cell, pu);
    // A star of one side reading the other's character.
    if (pu === STAR && qu !== undefined && qu !== STAR) visit(i, j + 1, cell, qu);
    if (qu === STAR && pu !== undefined && pu !== STAR) visit(i + 1, j, cell, pu);
  }
  const end = p.length * width + q.length;
  if (from[end] === -2) return undefined;
  const out: string[] = [];
  for (let cell = end; cell > 0; cell = from[cell]) out.push(read[cell]);
  return out.reverse().join('');
}

function tableTextRange(text: TableText): Range {
  return text.range;
}

/**
 * Collects every `table` of the file into `ctx.tables` (the first of a name; a second is R017)
 * and reports R058, R057 and R056. Declares each table for references, hover and the outline.
 */
export function collectTables(ctx: CheckContext, ast: RubricFile): void {
  const budget: Budget = { cells: TABLE_CHECK_BUDGET };
  for (const statement of ast.statements ?? []) {
    if (statement?.kind !== 'TableDecl' || statement.name === undefined) continue;
    const name = statement.name.name;
    const first = ctx.tables.get(name);
    if (first !== undefined) {
      ctx.report('R017', statement.name.range, `table \`${name}\` is declared twice; rename or remove this one`, {
        help: `names must be unique: the first \`${name}\` is on line ${first.decl.name.range.start.line}`,
        related: [{ message: `\`${name}\` is first declared here`, range: first.decl.name.range }],
      });
      continue;
    }
    const info = tableInfo(ctx, statement);
    ctx.tables.set(name, info);
    const values = info.outputs.length === 1 ? '1 value' : `${info.outputs.length} values`;
    ctx.declare('table', name, statement.name.range, statement.range, `table: ${values} (${info.outputs.map(formatName).join(', ')})`);
    checkPatterns(ctx, info, budget);
  }
}

function tableInfo(ctx: CheckContext, decl: TableDecl): TableInfo {
  const lines: TableInfo['lines'][number][] = [];
  const outputs: string[] = [];
  const folded: string[] = [];
  if ((decl.lines ?? []).length === 0) {
    ctx.report('R058', decl.name.range, `table \`${decl.name.name}\` has no lines, so it gives no value to any text`, {
      help: 'add lines `PATTERN, PATTERN -> VALUE`, e.g. `"ceo", "pdg" -> executive`, or remove the table',
    });
  }
  for (const line of decl.lines ?? []) {
    const outputText = tableTextValue(line.output);
    const outputFolded = fold(outputText);
    if (outputFolded === '') {
      ctx.report('R058', tableTextRange(line.output), 'this table value is empty: a blank value is missing, so the line could never be told apart', {
        help: 'give the line a value, e.g. `-> executive`',
      });
    } else if (!folded.includes(outputFolded)) {
      folded.push(outputFolded);
      outputs.push(outputText);
    }
    const patterns: TablePatternInfo[] = [];
    for (const pattern of line.patterns) {
      const written = tableTextValue(pattern);
      const patternFolded = fold(written);
      if (patternFolded === '') {
        ctx.report('R058', tableTextRange(pattern), 'this pattern is empty: folded, it matches only a blank text, which is missing and never looked up', {
          help: 'write the text to match, with `*` for any run of characters (`"dir* g*n*ral*"`), or remove it',
        });
        continue;
      }
      patterns.push({ written, folded: patternFolded, range: pattern.range });
    }
    lines.push({ patterns, output: outputText, folded: outputFolded, range: line.range, line: line.range.start.line });
  }
  return { name: decl.name.name, lines, outputs, folded, decl };
}

/**
 * The edit removing `pattern` from its line: with the `, ` after it (or before it, for the last
 * one), or the whole line when it is the line's only pattern.
 */
function removePatternEdit(ctx: CheckContext, patterns: readonly TablePatternInfo[], pattern: TablePatternInfo, line: Range): { range: Range; newText: string } {
  const i = patterns.indexOf(pattern);
  if (patterns.length === 1) {
    const start = ctx.source.lineStart(line.start.offset);
    const end = ctx.source.text.indexOf('\n', line.end.offset);
    return { range: ctx.source.rangeAt(start, end < 0 ? line.end.offset : end + 1), newText: '' };
  }
  if (i < patterns.length - 1) return { range: ctx.source.rangeAt(pattern.range.start.offset, patterns[i + 1].range.start.offset), newText: '' };
  return { range: ctx.source.rangeAt(patterns[i - 1].range.end.offset, pattern.range.end.offset), newText: '' };
}

/** R057 (a pattern an earlier one always matches first) and R056 (overlaps of different values). */
function checkPatterns(ctx: CheckContext, table: TableInfo, budget: Budget): void {
  type Earlier = { pattern: TablePatternInfo; line: TableInfo['lines'][number] };
  const earlier: Earlier[] = [];
  for (const line of table.lines) {
    if (line.folded === '') continue;
    // One R056 per line, not per pattern: a realistic table (a catch-all `*stagiaire*` first)
    // overlaps most later patterns, and one warning per pair buried the ones that matter.
    const overlaps: Array<{ pattern: TablePatternInfo; earlier: Earlier; text: string }> = [];
    for (const pattern of line.patterns) {
      let shadowedBy: Earlier | undefined;
      for (const e of earlier) {
        const included = globIncludes(e.pattern.folded, pattern.folded, budget);
        if (included === undefined) return;
        if (included) {
          shadowedBy = e;
          break;
        }
      }
      if (shadowedBy !== undefined) {
        const same = shadowedBy.line === line;
        const where = same ? 'earlier on this line' : `on line ${shadowedBy.line.line}`;
        const gives = same || shadowedBy.line.folded === line.folded ? '' : `, which gives \`${shadowedBy.line.output}\``;
        ctx.report('R057', pattern.range, `pattern ${quoteText(pattern.written)} is never used: ${quoteText(shadowedBy.pattern.written)} ${where} matches every text it matches first${gives}`, {
          help: same || shadowedBy.line.folded === line.folded ? 'remove this pattern' : `remove it, or move its line above line ${shadowedBy.line.line} if it should win`,
          related: [{ message: 'the pattern that matches first', range: shadowedBy.pattern.range }],
          fixes: [{ title: `remove pattern ${quoteText(pattern.written)}`, edits: [removePatternEdit(ctx, line.patterns, pattern, line.range)] }],
        });
        continue;
      }
      for (const e of earlier) {
        if (e.line.folded === line.folded) continue;
        const text = globOverlap(e.pattern.folded, pattern.folded, budget);
        if (budget.cells < 0) return;
        if (text === undefined) continue;
        overlaps.push({ pattern, earlier: e, text });
        break;
      }
      earlier.push({ pattern, line });
    }
    if (overlaps.length > 0) reportOverlaps(ctx, line, overlaps);
  }
}

/** R056 for one line: its first overlap in the message, every overlapping pattern as a note. */
function reportOverlaps(
  ctx: CheckContext,
  line: TableInfo['lines'][number],
  overlaps: ReadonlyArray<{ pattern: TablePatternInfo; earlier: { pattern: TablePatternInfo; line: TableInfo['lines'][number] }; text: string }>,
): void {
  const [first, ...rest] = overlaps;
  const e = first.earlier;
  const also = rest.length === 0 ? '' : `; ${rest.length === 1 ? 'so does' : 'so do'} ${rest.map((o) => quoteText(o.pattern.written)).join(', ')} on this line`;
  ctx.report('R056', first.pattern.range, `pattern ${quoteText(first.pattern.written)} overlaps ${quoteText(e.pattern.written)} on line ${e.line.line}: a text such as ${quoteText(first.text)} matches both, and line ${e.line.line} wins (\`${e.line.output}\`, not \`${line.output}\`)${also}`, {
    help: `make the patterns exclusive, or order the lines so the one that should win comes first; accept it with \`# rubric: allow R056\` on the table if the first matching line winning is what you mean`,
    related: overlaps.map((o) => ({
      message: `${quoteText(o.pattern.written)} and ${quoteText(o.earlier.pattern.written)} (line ${o.earlier.line.line}, giving \`${o.earlier.line.output}\`) both match ${quoteText(o.text)}`,
      range: o.earlier.pattern.range,
    })),
  });
}
