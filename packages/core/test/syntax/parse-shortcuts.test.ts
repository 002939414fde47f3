/**
 * Issue 13 (compile cost): the parser's shortcuts give what the long way gave. A CST node's
 * first and last real tokens, noted by the parser as it consumes them, are the ones a walk of
 * its children finds (also in statements read with error recovery); the lexer's scan of ASCII
 * names matches what the name pattern matches, and a name that is a keyword gets the keyword's
 * type as it is made.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CstNode, IToken } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/backtest/statistics.js';
import { lexText } from '../../src/syntax/lex.js';
import { parser, RubricParser, type RubricCstNode } from '../../src/syntax/parser.js';
import { Identifier, KEYWORDS, rubricLexer, splitStatements } from '../../src/syntax/tokens.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

function rubricFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...rubricFiles(path));
    else if (entry.endsWith('.rubric')) out.push(path);
  }
  return out;
}

const SEED_TEXTS = [...rubricFiles(join(ROOT, 'examples')), ...rubricFiles(join(ROOT, 'packages/core/test'))].map((f) => readFileSync(f, 'utf8'));

/** Pieces spliced into texts: parts of statements, so recovery has something to do. */
const PIECES = ['', ' ', '\n', '(', ')', '[', ']', '{', '}', ',', '.', ':', '=', '>=', 'and', 'or', 'not', 'when', 'add', '5', '"x"', 'where', 'within', '3 days', 'in', 'group g {', 'each', 'é', '`a b`', ';'];

/** `text` with a few random cuts and insertions. */
function mutated(text: string, random: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (out.length + 1));
    const cut = random() < 0.5 ? Math.floor(random() * 12) : 0;
    out = out.slice(0, at) + PIECES[Math.floor(random() * PIECES.length)] + out.slice(at + cut);
  }
  return out;
}

function isToken(child: CstNode | IToken): child is IToken {
  return (child as IToken).tokenType !== undefined;
}

function isReal(token: IToken): boolean {
  return !token.isInsertedInRecovery && Number.isFinite(token.startOffset);
}

/**
 * The first and last real tokens of `node` by walking its children (the real token starting
 * first and the one starting last): how ranges were found before the parser noted them.
 */
function walkedBounds(node: CstNode): { first: IToken | undefined; last: IToken | undefined } {
  let first: IToken | undefined;
  let last: IToken | undefined;
  for (const key in node.children) {
    for (const child of node.children[key]) {
      let lo: IToken | undefined;
      let hi: IToken | undefined;
      if (isToken(child)) {
        if (!isReal(child)) continue;
        lo = hi = child;
      } else {
        ({ first: lo, last: hi } = walkedBounds(child));
        if (lo === undefined || hi === undefined) continue;
      }
      if (first === undefined || lo.startOffset < first.startOffset) first = lo;
      if (last === undefined || hi.startOffset > last.startOffset) last = hi;
    }
  }
  return { first, last };
}

/** Every node of `node`'s tree whose noted bounds differ from the walked ones, by rule name. */
function mismatches(node: CstNode, out: string[]): void {
  const noted = node as RubricCstNode;
  const walked = walkedBounds(node);
  if (noted.first !== walked.first || noted.last !== walked.last) out.push(node.name);
  for (const key in node.children) for (const child of node.children[key]) if (!isToken(child)) mismatches(child, out);
}

describe('CST node bounds noted by the parser', () => {
  it('are the bounds a walk of the children finds, with and without syntax errors', () => {
    const random = seededRandom(1313);
    const texts = [...SEED_TEXTS];
    for (let i = 0; i < 600; i++) texts.push(mutated(SEED_TEXTS[Math.floor(random() * SEED_TEXTS.length)], random));
    const wrong: string[] = [];
    let statements = 0;
    let withErrors = 0;
    let withInserted = 0;
    for (const text of texts) {
      for (const tokens of splitStatements(lexText(text).tokens)) {
        parser.input = tokens;
        const cst = parser.statement();
        statements++;
        if (parser.errors.length > 0) withErrors++;
        if (JSON.stringify(cst, (key, value: unknown) => (key === 'tokenType' ? undefined : value)).includes('"isInsertedInRecovery":true')) withInserted++;
        mismatches(cst, wrong);
      }
    }
    expect(wrong).toEqual([]);
    // The inputs did exercise error recovery, tokens it inserted included.
    expect(statements).toBeGreaterThan(5_000);
    expect(withErrors).toBeGreaterThan(300);
    expect(withInserted).toBeGreaterThan(10);
  });
});

describe('the grammar', () => {
  it('passes chevrotain\'s validations, which the parser skips at run time', () => {
    // With validations, chevrotain throws on a grammar error (ambiguity, unreachable
    // alternative, unresolved rule) while building the parser.
    const validated = new RubricParser(true);
    // `definitionErrors` is chevrotain's own record, public at run time but not in its types.
    expect((validated as unknown as { definitionErrors: unknown[] }).definitionErrors).toEqual([]);
  });
});

describe('names in the lexer', () => {
  const NAME = /[\p{L}_][\p{L}\p{N}_]*/uy;
  const ALPHABET = ['a', 'Z', 'q', '_', '0', '9', 'é', 'É', '²', '٣', '中', '😀', '\u0301', ' ', '.', '-', '`', 'when', 'days', 'half-life', 'text'];

  it('are what the name pattern matches, ASCII scanned or not, keywords typed as keywords', () => {
    const random = seededRandom(77);
    const keywords = new Set(KEYWORDS);
    let names = 0;
    for (let i = 0; i < 3_000; i++) {
      let text = '';
      const length = 1 + Math.floor(random() * 12);
      for (let j = 0; j < length; j++) text += ALPHABET[Math.floor(random() * ALPHABET.length)];
      for (const token of rubricLexer.tokenize(text).tokens) {
        const isName = token.tokenType === Identifier || (keywords.has(token.image) && token.image !== 'half-life');
        if (!isName) continue;
        names++;
        NAME.lastIndex = token.startOffset;
        expect(NAME.exec(text)?.[0], `name at ${token.startOffset} of ${JSON.stringify(text)}`).toBe(token.image);
        expect(token.tokenType === Identifier, `type of ${JSON.stringify(token.image)}`).toBe(!keywords.has(token.image));
      }
    }
    expect(names).toBeGreaterThan(3_000);
  });
});
