/**
 * Turns chevrotain's CST into the typed AST. Recovered CST nodes can lack children: every
 * builder tolerates holes and returns `undefined` for a node it cannot complete, and the parent
 * leaves it out (the parser has already reported the error).
 */
import type { CstNode, IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type * as A from './ast.js';
import type { RubricCstNode } from './parser.js';
import { Newline, UnterminatedString, type RubricToken } from './tokens.js';
import { unholdableInName } from './well-formed.js';

type Child = CstNode | IToken;

/** A node type with its fields writable, for a node filled in as it is built. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function isToken(child: Child): child is IToken {
  return (child as IToken).tokenType !== undefined;
}

function isRealToken(token: IToken): boolean {
  return !token.isInsertedInRecovery && Number.isFinite(token.startOffset);
}

// The helpers below loop instead of chaining `filter`s: they run for every node of a
// 10,000-rule file, and the arrays were a good part of the garbage of a parse.

/** The real tokens under `key` (a token type's name) of `node`, in source order. */
function tokensOf(node: CstNode | undefined, key: string): IToken[] {
  const found = node?.children[key];
  const out: IToken[] = [];
  if (found === undefined) return out;
  for (const child of found as Child[]) if (isToken(child) && isRealToken(child)) out.push(child);
  return out;
}

const NO_NODES: readonly CstNode[] = [];

/**
 * The nodes under `key` (a rule's name) of `node`, in source order: the CST's own array (only
 * nodes are filed under a rule's name), not to be changed.
 */
function nodesOf(node: CstNode | undefined, key: string): readonly CstNode[] {
  const found = node?.children[key] as Child[] | undefined;
  if (found === undefined) return NO_NODES;
  for (const child of found) if (isToken(child)) return found.filter((c): c is CstNode => !isToken(c));
  return found as CstNode[];
}

function tokenOf(node: CstNode | undefined, key: string): IToken | undefined {
  const found = node?.children[key];
  if (found === undefined) return undefined;
  for (const child of found as Child[]) if (isToken(child) && isRealToken(child)) return child;
  return undefined;
}

function nodeOf(node: CstNode | undefined, key: string): CstNode | undefined {
  const found = node?.children[key];
  if (found === undefined) return undefined;
  for (const child of found as Child[]) if (!isToken(child)) return child;
  return undefined;
}

/** The direct token children of `node`, in source order. */
function directTokens(node: CstNode): IToken[] {
  const out: IToken[] = [];
  for (const children of Object.values(node.children)) {
    for (const child of children as Child[]) if (isToken(child) && isRealToken(child)) out.push(child);
  }
  return out.sort((a, b) => a.startOffset - b.startOffset);
}

function firstOffset(child: Child): number {
  if (isToken(child)) return child.startOffset;
  return (child as RubricCstNode).first?.startOffset ?? Number.POSITIVE_INFINITY;
}

// Positions are shared by every node that starts or ends at the same token: fewer objects, less
// garbage-collection time on large files. They are kept on the token (see RubricToken); a token
// error recovery made up has no such fields at first, and gets them here.

function start(token: IToken): A.Position {
  const t = token as RubricToken;
  return (t.startPosition ??= { offset: token.startOffset, line: token.startLine ?? 1, column: token.startColumn ?? 1 });
}

function end(token: IToken): A.Position {
  const t = token as RubricToken;
  if (t.endPosition !== undefined) return t.endPosition;
  const offset = (token.endOffset ?? token.startOffset) + 1;
  // Just after a line break is the start of the next line (the lexer gives a newline token the
  // line and column of its own start).
  if (token.tokenType === Newline) return (t.endPosition = { offset, line: (token.startLine ?? 1) + 1, column: 1 });
  return (t.endPosition = { offset, line: token.endLine ?? 1, column: (token.endColumn ?? 0) + 1 });
}

/** A comment token as a tree node. */
export function commentNode(token: IToken): A.Comment {
  return { kind: 'Comment', text: token.image.slice(1), range: tokenRange(token) };
}

export function tokenRange(token: IToken): A.Range {
  const t = token as RubricToken;
  return (t.range ??= { start: start(token), end: end(token) });
}

function span(from: A.Range, to: A.Range): A.Range {
  return { start: from.start, end: to.end };
}

function nodeRange(node: CstNode): A.Range | undefined {
  const { first, last } = node as RubricCstNode;
  return first === undefined || last === undefined ? undefined : { start: start(first), end: end(last) };
}

const UNIT_SECONDS: Readonly<Record<A.DurationUnit, number>> = {
  hour: 3600,
  day: 86400,
  week: 7 * 86400,
  month: 30 * 86400,
  year: 365 * 86400,
};

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2}):?(\d{2}))?)?$/;

/**
 * Epoch seconds of an ISO 8601 date or date-time (date-only = 00:00Z; no zone = UTC), or NaN
 * when the text names no real instant (`2026-02-30`, `25:00`).
 */
export function parseIsoDate(text: string): number {
  const m = DATE_PATTERN.exec(text);
  if (m === null) return Number.NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const fraction = m[7] === undefined ? 0 : Number('0.' + m[7]);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return Number.NaN;
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return Number.NaN;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  return utc + fraction - offsetMinutes * 60;
}

/** Builds the AST of one file; collects diagnostics for literal problems (bad escapes). */
export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  // The backticked names already checked (by offset): a name may be built twice.
  private readonly checkedNames = new Set<number>();

  constructor(
    private readonly text: string,
    private readonly uri: string,
  ) {}

  file(statements: readonly A.Statement[], comments: readonly A.Comment[]): A.RubricFile {
    return {
      kind: 'RubricFile',
      uri: this.uri,
      text: this.text,
      statements,
      comments,
      range: { start: { offset: 0, line: 1, column: 1 }, end: this.endOfText() },
    };
  }

  private endOfText(): A.Position {
    let line = 1;
    let lineStart = 0;
    for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    return { offset: this.text.length, line, column: this.text.length - lineStart + 1 };
  }

  // ---------------------------------------------------------------- names and literals

  identifier(node: CstNode | undefined): A.Identifier | undefined {
    if (node === undefined) return undefined;
    const { first, last } = node as RubricCstNode;
    if (first !== undefined && first === last) {
      // One real token (most names; `name` has no subrules, so it is a direct child): no sort,
      // and the name's range is its part's.
      if (first.image === '.') return undefined;
      const quoted = first.image.startsWith('`');
      const range = tokenRange(first);
      if (quoted) this.checkQuotedName(first);
      const part: A.IdentifierPart = { text: quoted ? first.image.slice(1, -1) : first.image, quoted, range };
      return { kind: 'Identifier', name: part.text, parts: [part], range };
    }
    const parts: A.IdentifierPart[] = [];
    for (const t of directTokens(node)) {
      if (t.image === '.') continue;
      const quoted = t.image.startsWith('`');
      if (quoted) this.checkQuotedName(t);
      parts.push({ text: quoted ? t.image.slice(1, -1) : t.image, quoted, range: tokenRange(t) });
    }
    if (parts.length === 0) return undefined;
    return {
      kind: 'Identifier',
      name: parts.map((p) => p.text).join('.'),
      parts,
      range: span(parts[0].range, parts[parts.length - 1].range),
    };
  }

  /**
   * A name in backticks is any text on one line, so it may hold what no name can be written
   * with: half of a surrogate pair (a JavaScript string, not a file, can carry one; no file, CSV
   * header or SQL column holds it) or a NUL character (no SQL column holds one). Either is an
   * invalid character (R002).
   */
  private checkQuotedName(token: IToken): void {
    const found = unholdableInName(token.image);
    if (found === undefined) return;
    if (this.checkedNames.has(token.startOffset)) return;
    this.checkedNames.add(token.startOffset);
    this.diagnostics.push({
      code: 'R002',
      severity: 'error',
      message: found === 'lone surrogate'
        ? 'this name holds half of a surrogate pair, which is not Unicode text: no file, CSV header or SQL column can hold it'
        : 'this name holds a NUL character, which no SQL column can hold',
      help: 'retype the name',
      range: tokenRange(token),
    });
  }

  number(token: IToken | undefined): A.NumberLiteral | undefined {
    if (token === undefined) return undefined;
    const raw = token.image;
    return { kind: 'NumberLiteral', value: Number(raw.includes('_') ? raw.replace(/_/g, '') : raw), raw, range: tokenRange(token) };
  }

  string(token: IToken | undefined): A.StringLiteral | undefined {
    if (token === undefined) return undefined;
    const raw = token.image;
    const quote = raw[0] === "'" ? "'" : '"';
    const closed = token.tokenType !== UnterminatedString;
    const body = closed ? raw.slice(1, -1) : raw.slice(1);
    return { kind: 'StringLiteral', value: this.unescape(body, token), quote, raw, range: tokenRange(token) };
  }

  private unescape(body: string, token: IToken): string {
    if (!body.includes('\\')) return body;
    let out = '';
    for (let i = 0; i < body.length; i++) {
      const ch = body[i];
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const next = body[i + 1];
      const escapeStart = token.startOffset + 1 + i;
      if (next === '\\' || next === '"' || next === "'") {
        out += next;
        i++;
      } else if (next === 'n') {
        out += '\n';
        i++;
      } else if (next === 't') {
        out += '\t';
        i++;
      } else if (next === 'u' && body[i + 2] === '{') {
        const close = body.indexOf('}', i + 3);
        const hex = close < 0 ? '' : body.slice(i + 3, close);
        const cp = /^[0-9a-fA-F]{1,6}$/.test(hex) ? parseInt(hex, 16) : Number.NaN;
        if (Number.isNaN(cp) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
          this.badEscape(escapeStart, close < 0 ? 2 : close - i + 1, token, body.slice(i, close < 0 ? i + 2 : close + 1));
          i = close < 0 ? i + 1 : close;
        } else {
          out += String.fromCodePoint(cp);
          i = close;
        }
      } else {
        this.badEscape(escapeStart, next === undefined ? 1 : 2, token, '\\' + (next ?? ''));
        i++;
      }
    }
    return out;
  }

  private badEscape(offset: number, length: number, token: IToken, written: string): void {
    const column = (token.startColumn ?? 1) + (offset - token.startOffset);
    const line = token.startLine ?? 1;
    this.diagnostics.push({
      code: 'R004',
      severity: 'error',
      message: `unknown escape \`${written}\` in a string`,
      help: 'the escapes are `\\\\`, `\\"`, `\\\'`, `\\n`, `\\t` and `\\u{hex}`; write `\\\\` for a backslash',
      range: { start: { offset, line, column }, end: { offset: offset + length, line, column: column + length } },
    });
  }

  date(token: IToken | undefined): A.DateLiteral | undefined {
    if (token === undefined) return undefined;
    return { kind: 'DateLiteral', raw: token.image, epochSeconds: parseIsoDate(token.image), range: tokenRange(token) };
  }

  /** A scalar value; a bare name becomes a {@link A.WordValue}. */
  value(node: CstNode | undefined): A.Value | undefined {
    if (node === undefined) return undefined;
    const num = tokenOf(node, 'NumberLiteral');
    if (num !== undefined) return this.number(num);
    const str = tokenOf(node, 'StringLiteral');
    if (str !== undefined) return this.string(str);
    const date = tokenOf(node, 'DateTimeLiteral');
    if (date !== undefined) return this.date(date);
    const t = tokenOf(node, 'True') ?? tokenOf(node, 'False');
    if (t !== undefined) return { kind: 'BooleanLiteral', value: t.image === 'true', range: tokenRange(t) };
    const name = this.identifier(nodeOf(node, 'name'));
    if (name !== undefined) return { kind: 'WordValue', name, range: name.range };
    return undefined;
  }

  list(node: CstNode | undefined): A.ListLiteral | undefined {
    if (node === undefined) return undefined;
    const range = nodeRange(node);
    if (range === undefined) return undefined;
    const items: A.Value[] = [];
    for (const v of nodesOf(node, 'value')) {
      const built = this.value(v);
      if (built !== undefined) items.push(built);
    }
    return { kind: 'ListLiteral', items, range };
  }

  duration(node: CstNode | undefined): A.Duration | undefined {
    if (node === undefined) return undefined;
    const amount = this.number(tokenOf(node, 'NumberLiteral'));
    const unitNode = nodeOf(node, 'durationUnit');
    // `durationUnit` has no subrules: its first real token is its first direct one.
    const unitToken = unitNode === undefined ? undefined : (unitNode as RubricCstNode).first;
    if (amount === undefined || unitToken === undefined) return undefined;
    const image = unitToken.image;
    const unit = (image.endsWith('s') ? image.slice(0, -1) : image) as A.DurationUnit;
    return {
      kind: 'Duration',
      amount,
      unit,
      unitRaw: unitToken.image,
      seconds: amount.value * UNIT_SECONDS[unit],
      range: span(amount.range, tokenRange(unitToken)),
    };
  }

  period(node: CstNode | undefined): A.Period | undefined {
    if (node === undefined) return undefined;
    const amountToken = tokenOf(node, 'NumberLiteral');
    const amount = amountToken === undefined ? undefined : this.number(amountToken);
    const unitNode = nodeOf(node, 'durationUnit');
    const unitToken = unitNode === undefined ? undefined : (unitNode as RubricCstNode).first;
    if (unitToken === undefined || (amountToken !== undefined && amount === undefined)) return undefined;
    const image = unitToken.image;
    const unit = (image.endsWith('s') ? image.slice(0, -1) : image) as A.DurationUnit;
    const range = amount === undefined ? tokenRange(unitToken) : span(amount.range, tokenRange(unitToken));
    const seconds = (amount === undefined ? 1 : amount.value) * UNIT_SECONDS[unit];
    const period: A.Period = { kind: 'Period', unit, unitRaw: image, seconds, range };
    return amount === undefined ? period : { ...period, amount };
  }

  /** `half-life D` or `decay P% per PERIOD`, as the field of a rule or group it sets. */
  decaySpec(node: CstNode | undefined): { halfLife?: A.Duration; linearDecay?: A.LinearDecay } | undefined {
    if (node === undefined) return undefined;
    if (tokenOf(node, 'HalfLife') !== undefined) {
      const halfLife = this.duration(nodeOf(node, 'duration'));
      return halfLife === undefined ? undefined : { halfLife };
    }
    const percent = this.number(tokenOf(node, 'NumberLiteral'));
    const period = this.period(nodeOf(node, 'period'));
    const range = nodeRange(node);
    if (percent === undefined || period === undefined || range === undefined) return undefined;
    return { linearDecay: { kind: 'LinearDecay', percent, period, range } };
  }

  runLimit(node: CstNode | undefined): A.RunLimit | undefined {
    if (node === undefined) return undefined;
    const period = this.period(nodeOf(node, 'period'));
    const range = nodeRange(node);
    if (period === undefined || range === undefined) return undefined;
    const countToken = tokenOf(node, 'NumberLiteral');
    if (countToken === undefined) return { kind: 'RunLimit', period, range };
    const count = this.number(countToken);
    return count === undefined ? undefined : { kind: 'RunLimit', count, period, range };
  }

  relativeTime(node: CstNode | undefined): A.RelativeTime | undefined {
    if (node === undefined) return undefined;
    const duration = this.duration(nodeOf(node, 'duration'));
    const last = tokenOf(node, 'Ago') ?? tokenOf(node, 'Now');
    if (duration === undefined || last === undefined) return undefined;
    return {
      kind: 'RelativeTime',
      duration,
      direction: last.image === 'ago' ? 'ago' : 'from now',
      range: span(duration.range, tokenRange(last)),
    };
  }

  private nameRef(node: CstNode | undefined): A.NameRef | undefined {
    const name = this.identifier(node);
    return name === undefined ? undefined : { kind: 'NameRef', name, range: name.range };
  }

  /**
   * An operand. In subject position a bare name is a reference; after `=`/`!=` it is a value
   * (`wordsAreValues`).
   */
  operand(node: CstNode | undefined, wordsAreValues: boolean): A.Operand | undefined {
    if (node === undefined) return undefined;
    // `operand` and `rightOperand` are one alternative each: at most one of these children is
    // there, so the most common (a value or name) is looked for first.
    const valueNode = nodeOf(node, 'value');
    if (valueNode !== undefined) {
      const value = this.value(valueNode);
      if (value?.kind === 'WordValue' && !wordsAreValues) return { kind: 'NameRef', name: value.name, range: value.range };
      return value;
    }
    const score = tokenOf(node, 'Score');
    if (score !== undefined) return { kind: 'ScoreRef', range: tokenRange(score) };
    const stage = tokenOf(node, 'Stage') ?? tokenOf(node, 'Tier');
    if (stage !== undefined) return { kind: 'StageRef', which: stage.image === 'tier' ? 'tier' : 'stage', range: tokenRange(stage) };
    const lookup = nodeOf(node, 'tableLookup');
    if (lookup !== undefined) return this.tableLookup(lookup);
    const rel = nodeOf(node, 'relativeTime');
    return rel === undefined ? undefined : this.relativeTime(rel);
  }

  // ---------------------------------------------------------------- conditions

  condition(node: CstNode | undefined): A.Condition | undefined {
    if (node === undefined) return undefined;
    return this.joined('Or', nodesOf(node, 'andCondition'), (n) => this.andCondition(n));
  }

  private andCondition(node: CstNode): A.Condition | undefined {
    return this.joined('And', nodesOf(node, 'notCondition'), (n) => this.notCondition(n));
  }

  /** A `requires` item: `or`-joined tests (see the parser's `requirement`). */
  private requirement(node: CstNode): A.Condition | undefined {
    return this.joined('Or', nodesOf(node, 'notCondition'), (n) => this.notCondition(n));
  }

  /** `nodes` built and joined with `kind` (one node is itself); undefined when one fails to build. */
  private joined(kind: 'And' | 'Or', nodes: readonly CstNode[], build: (node: CstNode) => A.Condition | undefined): A.Condition | undefined {
    if (nodes.length === 1) return build(nodes[0]);
    const operands: A.Condition[] = [];
    for (const n of nodes) {
      const built = build(n);
      if (built === undefined) return undefined;
      operands.push(built);
    }
    if (operands.length === 0) return undefined;
    return { kind, operands, range: span(operands[0].range, operands[operands.length - 1].range) };
  }

  private notCondition(node: CstNode): A.Condition | undefined {
    let result = this.primary(nodeOf(node, 'primary'));
    if (result === undefined) return undefined;
    if (node.children['Not'] === undefined) return result;
    const nots = tokensOf(node, 'Not').sort((a, b) => b.startOffset - a.startOffset);
    for (const n of nots) {
      result = { kind: 'Not', operand: result, range: span(tokenRange(n), result.range) };
    }
    return result;
  }

  private primary(node: CstNode | undefined): A.Condition | undefined {
    if (node === undefined) return undefined;
    // `primary` is one alternative: at most one of these children is there, so the most common
    // (a test on a subject) is looked for first.
    const subject = nodeOf(node, 'subjectCondition');
    if (subject !== undefined) return this.subjectCondition(subject);
    const paren = nodeOf(node, 'parenCondition');
    if (paren !== undefined) return this.paren(paren);
    const exists = nodeOf(node, 'eventExists');
    if (exists !== undefined) return this.eventExists(exists);
    const count = nodeOf(node, 'eventCount');
    if (count !== undefined) return this.eventCount(count);
    const since = nodeOf(node, 'daysSince');
    if (since !== undefined) return this.daysSince(since);
    const contacts = nodeOf(node, 'contactCount') ?? nodeOf(node, 'contactAggregate');
    return contacts === undefined ? undefined : this.overContacts(contacts);
  }

  /**
   * `count contacts ...` or `best|sum|average X of [top N] contacts ...` (issue 17). The `where`
   * is a whole condition, so a comparison ending it (`where engaged_30 >= 3`) was read as part
   * of it: with no test after it, that comparison is the test, and the `where` keeps its subject
   * (a name: a segment or a bool field). `where (score >= 50) >= 2` keeps both.
   */
  private overContacts(node: CstNode): A.Condition | undefined {
    const range = nodeRange(node);
    const contactsWord = tokenOf(nodeOf(node, 'contactsWord'), 'contactsWord');
    const tail = nodeOf(node, 'contactsTail');
    if (range === undefined || contactsWord === undefined || tail === undefined) return undefined;
    let where: A.Condition | undefined;
    const hasWhere = tokenOf(tail, 'Where') !== undefined;
    if (hasWhere) {
      where = this.condition(nodeOf(tail, 'condition'));
      if (where === undefined) return undefined;
    }
    let test = this.numericTest(nodeOf(tail, 'numericTest'));
    if (test === undefined) {
      const split = where === undefined ? undefined : splitTrailingTest(where);
      if (split === undefined) {
        this.diagnostics.push({
          code: 'R001',
          severity: 'error',
          message: hasWhere
            ? 'a test over contacts ends with a comparison such as `>= 2`, and none was found after its `where`'
            : 'a test over contacts ends with a comparison such as `>= 2`',
          help: hasWhere
            ? 'write the test last: `count contacts where job in decision_makers >= 2`; when the `where` is followed by `and`/`or`, put the whole test over contacts in parentheses'
            : 'write `count contacts >= 2` or `best score of contacts >= 60`',
          range,
        });
        return undefined;
      }
      if (split.where === undefined) {
        this.diagnostics.push({
          code: 'R001',
          severity: 'error',
          message: `\`${this.text.slice(split.subject.start.offset, split.subject.end.offset)}\` alone is not a condition for \`where\`; the comparison after it was read as the test over contacts`,
          help: 'when the condition of `where` is itself a comparison, put it in parentheses: `count contacts where (score >= 50) >= 2`',
          range: split.subject,
        });
        return undefined;
      }
      where = split.where;
      // The test starts at its operator, after the blanks that end the `where`.
      let at = split.test.range.start.offset;
      while (at < range.end.offset && (this.text[at] === ' ' || this.text[at] === '\t')) at++;
      const skipped = at - split.test.range.start.offset;
      const from = split.test.range.start;
      test = { ...split.test, range: { start: { offset: at, line: from.line, column: from.column + skipped }, end: split.test.range.end } };
    }
    const contacts = { range: tokenRange(contactsWord) };
    if (tokenOf(tail, 'Within') !== undefined) {
      // A test over contacts has no window: `count contacts within D` counts an event named
      // `contacts`, as it did before accounts (a file without one may declare that event).
      const within = this.duration(nodeOf(tail, 'duration'));
      if (within === undefined) return undefined;
      if (node.name === 'contactCount') {
        const event: A.Identifier = { kind: 'Identifier', name: 'contacts', parts: [{ text: 'contacts', quoted: false, range: contacts.range }], range: contacts.range };
        return where === undefined ? { kind: 'EventCount', event, within, test, range } : { kind: 'EventCount', event, where, within, test, range };
      }
      this.diagnostics.push({
        code: 'R001',
        severity: 'error',
        message: 'a test over contacts takes no `within`: it reads the contacts\' results, not their events',
        help: 'to look at recent events of the contacts, test them in `where`: `best score of contacts where any email_click within 30 days >= 50`',
        range: within.range,
      });
      return undefined;
    }
    if (node.name === 'contactCount') {
      return where === undefined ? { kind: 'ContactCount', contacts, test, range } : { kind: 'ContactCount', contacts, where, test, range };
    }
    const word = tokenOf(node, 'aggregateWord');
    const score = tokenOf(node, 'Score');
    const value: A.ScoreRef | A.NameRef | undefined = score !== undefined ? { kind: 'ScoreRef', range: tokenRange(score) } : this.nameRef(nodeOf(node, 'name'));
    if (word === undefined || value === undefined) return undefined;
    const top = tokenOf(node, 'topWord') === undefined ? undefined : this.number(tokenOf(node, 'NumberLiteral'));
    const condition: Mutable<A.ContactAggregateCondition> = {
      kind: 'ContactAggregate',
      aggregate: word.image as A.ContactAggregateKind,
      aggregateRange: tokenRange(word),
      value,
      contacts,
      test,
      range,
    };
    if (top !== undefined) condition.top = top;
    if (where !== undefined) condition.where = where;
    return condition;
  }

  private paren(node: CstNode): A.Condition | undefined {
    const inner = this.condition(nodeOf(node, 'condition'));
    const open = tokenOf(node, 'LParen');
    const close = tokenOf(node, 'RParen');
    if (inner === undefined || open === undefined || close === undefined) return undefined;
    return { kind: 'Paren', inner, range: span(tokenRange(open), tokenRange(close)) };
  }

  private whereCondition(node: CstNode | undefined): A.Condition | undefined {
    if (node === undefined) return undefined;
    const paren = nodeOf(node, 'parenCondition');
    if (paren !== undefined) return this.paren(paren);
    return this.subjectCondition(nodeOf(node, 'subjectCondition'));
  }

  /** The optional `where` and `within` of an event condition; `false` when one is broken. */
  private eventClauses(node: CstNode): { where?: A.Condition; within?: A.Duration } | false {
    const clauses: { where?: A.Condition; within?: A.Duration } = {};
    if (tokenOf(node, 'Where') !== undefined) {
      const where = this.whereCondition(nodeOf(node, 'whereCondition'));
      if (where === undefined) return false;
      clauses.where = where;
    }
    if (tokenOf(node, 'Within') !== undefined) {
      const within = this.duration(nodeOf(node, 'duration'));
      if (within === undefined) return false;
      clauses.within = within;
    }
    return clauses;
  }

  private eventExists(node: CstNode): A.Condition | undefined {
    const quantifier = tokenOf(node, 'Any') ?? tokenOf(node, 'No');
    const event = this.identifier(nodeOf(node, 'name'));
    const clauses = this.eventClauses(node);
    const range = nodeRange(node);
    if (quantifier === undefined || event === undefined || clauses === false || range === undefined) return undefined;
    const q = quantifier.image === 'any' ? 'any' : 'no';
    // Written out rather than spread from `clauses` (same fields, same order): a spread per
    // condition was a good part of building a large file's tree.
    const { where, within } = clauses;
    if (where === undefined) return within === undefined ? { kind: 'EventExists', quantifier: q, event, range } : { kind: 'EventExists', quantifier: q, event, within, range };
    return within === undefined ? { kind: 'EventExists', quantifier: q, event, where, range } : { kind: 'EventExists', quantifier: q, event, where, within, range };
  }

  private eventCount(node: CstNode): A.Condition | undefined {
    const event = this.identifier(nodeOf(node, 'name'));
    const clauses = this.eventClauses(node);
    const test = this.numericTest(nodeOf(node, 'numericTest'));
    const range = nodeRange(node);
    if (event === undefined || clauses === false || test === undefined || range === undefined) return undefined;
    const distinctWord = tokenOf(node, 'distinctWord');
    if (distinctWord !== undefined) return this.distinctCount(event, { range: tokenRange(distinctWord) }, clauses, test, range);
    const { where, within } = clauses;
    if (where === undefined) return within === undefined ? { kind: 'EventCount', event, test, range } : { kind: 'EventCount', event, within, test, range };
    return within === undefined ? { kind: 'EventCount', event, where, test, range } : { kind: 'EventCount', event, where, within, test, range };
  }

  /** `count distinct EVENT.PROPERTY ...`: the dotted name split into the event and the property. */
  private distinctCount(
    name: A.Identifier,
    distinct: { readonly range: A.Range },
    clauses: { where?: A.Condition; within?: A.Duration },
    test: A.NumericTest,
    range: A.Range,
  ): A.EventCountCondition {
    const [first, ...rest] = name.parts;
    const event: A.Identifier = { kind: 'Identifier', name: first.text, parts: [first], range: first.range };
    const property: A.Identifier | undefined =
      rest.length === 0
        ? undefined
        : { kind: 'Identifier', name: rest.map((p) => p.text).join('.'), parts: rest, range: span(rest[0].range, rest[rest.length - 1].range) };
    return {
      kind: 'EventCount',
      event,
      distinct,
      ...(property !== undefined ? { property } : {}),
      ...(clauses.where !== undefined ? { where: clauses.where } : {}),
      ...(clauses.within !== undefined ? { within: clauses.within } : {}),
      test,
      range,
    };
  }

  private daysSince(node: CstNode): A.Condition | undefined {
    const event = this.identifier(nodeOf(node, 'name'));
    const clauses = this.eventClauses(node);
    const test = this.numericTest(nodeOf(node, 'numericTest'));
    const range = nodeRange(node);
    if (event === undefined || clauses === false || test === undefined || range === undefined) return undefined;
    return clauses.where === undefined ? { kind: 'DaysSince', event, test, range } : { kind: 'DaysSince', event, test, range, where: clauses.where };
  }

  private numericTest(node: CstNode | undefined): A.NumericTest | undefined {
    if (node === undefined) return undefined;
    const range = nodeRange(node);
    if (range === undefined) return undefined;
    const operands = nodesOf(node, 'rightOperand').map((o) => this.operand(o, false));
    if (tokenOf(node, 'Between') !== undefined) {
      const [low, high] = operands;
      if (low === undefined || high === undefined) return undefined;
      return { kind: 'BetweenTest', low, high, range };
    }
    const operator = this.compareOperator(nodeOf(node, 'compareOperator'));
    const value = operands[0];
    if (operator === undefined || value === undefined) return undefined;
    return { kind: 'CompareTest', operator, value, range };
  }

  private compareOperator(node: CstNode | undefined): A.CompareOperator | undefined {
    if (node === undefined) return undefined;
    // `compareOperator` has no subrules: its first real token is its first direct one.
    const t = (node as RubricCstNode).first;
    return t === undefined ? undefined : (t.image as A.CompareOperator);
  }

  private subjectCondition(node: CstNode | undefined): A.Condition | undefined {
    if (node === undefined) return undefined;
    const subject = this.operand(nodeOf(node, 'operand'), false);
    const range = nodeRange(node);
    if (subject === undefined || range === undefined) return undefined;
    const predicate = nodeOf(node, 'predicate');
    if (predicate === undefined) {
      if (subject.kind === 'NameRef') return { kind: 'Ref', ref: subject, range };
      this.diagnostics.push({
        code: 'R001',
        severity: 'error',
        message: `${subject.kind === 'ScoreRef' ? '`score`' : 'a value'} alone is not a condition`,
        help: 'compare it with something, e.g. `score >= 40` or `company.size > 50`',
        range: subject.range,
      });
      return undefined;
    }
    return this.predicate(subject, predicate, range);
  }

  private predicate(subject: A.Operand, node: CstNode, range: A.Range): A.Condition | undefined {
    const operator = this.compareOperator(nodeOf(node, 'compareOperator'));
    const rights = nodesOf(node, 'rightOperand');
    if (operator !== undefined) {
      const right = this.operand(rights[0], operator === '=' || operator === '!=');
      if (right === undefined) return undefined;
      return { kind: 'Compare', left: subject, operator, right, range };
    }
    if (tokenOf(node, 'Between') !== undefined) {
      const low = this.operand(rights[0], false);
      const high = this.operand(rights[1], false);
      if (low === undefined || high === undefined) return undefined;
      return { kind: 'Between', subject, low, high, range };
    }
    if (tokenOf(node, 'In') !== undefined) {
      const listNode = nodeOf(node, 'listLiteral');
      const list = listNode !== undefined ? this.list(listNode) : this.nameRef(nodeOf(node, 'name'));
      if (list === undefined) return undefined;
      return { kind: 'In', subject, negated: tokenOf(node, 'Not') !== undefined, list, range };
    }
    const is = tokenOf(node, 'Is');
    if (is !== undefined) {
      const test = tokenOf(node, 'SetKw') ?? tokenOf(node, 'Missing') ?? tokenOf(node, 'True') ?? tokenOf(node, 'False');
      if (test === undefined) return undefined;
      return { kind: 'Is', subject, test: test.image as A.IsCondition['test'], range };
    }
    const op = tokenOf(node, 'Starts') ?? tokenOf(node, 'Ends') ?? tokenOf(node, 'Contains') ?? tokenOf(node, 'Has');
    if (op === undefined) return undefined;
    const any = tokenOf(node, 'Any') !== undefined;
    const listNode = nodeOf(node, 'listLiteral');
    let values: A.Value | A.ListLiteral | A.NameRef | undefined;
    if (listNode !== undefined) {
      values = this.list(listNode);
    } else {
      const value = this.value(nodeOf(node, 'value'));
      // `starts any NAME` names a list `let`; `starts NAME` is one value (a `let` or text).
      values = any && value?.kind === 'WordValue' ? { kind: 'NameRef', name: value.name, range: value.range } : value;
    }
    if (values === undefined) return undefined;
    const negated = tokenOf(node, 'Not') !== undefined;
    if (op.image === 'has') return negated ? { kind: 'Has', subject, any, values, negated, range } : { kind: 'Has', subject, any, values, range };
    const textOperator = op.image as A.TextOperator;
    return negated
      ? { kind: 'Text', subject, operator: textOperator, any, values, negated, range }
      : { kind: 'Text', subject, operator: textOperator, any, values, range };
  }

  // ---------------------------------------------------------------- statements

  statement(node: CstNode): A.Statement | undefined {
    let kind: string | undefined;
    // The first key of the children, without making their list of entries.
    for (kind in node.children) break;
    const child = kind === undefined ? undefined : node.children[kind];
    const inner = child === undefined ? undefined : (child as Child[]).find((c): c is CstNode => !isToken(c));
    if (inner === undefined) return undefined;
    switch (kind) {
      case 'leadDecl':
        return this.leadDecl(inner);
      case 'eventDecl':
        return this.eventDecl(inner);
      case 'letDecl':
        return this.letDecl(inner);
      case 'segmentDecl':
        return this.segmentDecl(inner);
      case 'groupDecl':
        return this.groupDecl(inner);
      case 'scoreRangeDecl':
        return this.scoreRangeDecl(inner);
      case 'whenRule':
        return this.whenRule(inner);
      case 'eachRule':
        return this.eachRule(inner);
      case 'stageDecl':
        return this.stageDecl(inner);
      case 'tierDecl':
        return this.tierDecl(inner);
      case 'testDecl':
        return this.testDecl(inner);
      case 'dataDecl':
        return this.dataDecl(inner);
      case 'tableDecl':
        return this.tableDecl(inner);
      case 'accountDecl':
        return this.accountDecl(inner);
      case 'accountScoringDecl':
        return this.accountScoringDecl(inner);
      default:
        return undefined;
    }
  }

  /** `account KEY = LEAD_FIELD { fields }` (issue 17). */
  private accountDecl(node: CstNode): A.AccountDecl | undefined {
    const word = tokenOf(node, 'accountWord');
    const key = this.identifier(nodeOf(node, 'name'));
    const leadKey = this.identifier(nodeOf(node, 'leadKey'));
    const range = nodeRange(node);
    const block = nodeOf(node, 'fieldBlock');
    if (word === undefined || key === undefined || leadKey === undefined || range === undefined || block === undefined) return undefined;
    return { kind: 'AccountDecl', keyword: { range: tokenRange(word) }, key, leadKey, fields: this.fields(block), range };
  }

  /** `score accounts { ... }` (issue 17): its statements in source order; broken ones left out. */
  private accountScoringDecl(node: CstNode): A.AccountScoringDecl | undefined {
    const score = tokenOf(node, 'Score');
    const word = tokenOf(node, 'accountsWord');
    const range = nodeRange(node);
    if (score === undefined || word === undefined || range === undefined) return undefined;
    const inner: CstNode[] = [];
    for (const key of ['segmentDecl', 'groupDecl', 'scoreRangeDecl', 'whenRule', 'eachRule', 'stageDecl', 'tierDecl']) for (const n of nodesOf(node, key)) inner.push(n);
    inner.sort((a, b) => firstOffset(a) - firstOffset(b));
    const statements: A.AccountStatement[] = [];
    for (const n of inner) {
      const built = this.accountStatement(n);
      if (built !== undefined) statements.push(built);
    }
    return { kind: 'AccountScoringDecl', keyword: { range: span(tokenRange(score), tokenRange(word)) }, statements, range };
  }

  private accountStatement(node: CstNode): A.AccountStatement | undefined {
    switch (node.name) {
      case 'segmentDecl':
        return this.segmentDecl(node);
      case 'groupDecl':
        return this.groupDecl(node);
      case 'scoreRangeDecl':
        return this.scoreRangeDecl(node);
      case 'whenRule':
        return this.whenRule(node);
      case 'eachRule':
        return this.eachRule(node);
      case 'stageDecl':
        return this.stageDecl(node);
      case 'tierDecl':
        return this.tierDecl(node);
      default:
        return undefined;
    }
  }

  private fields(block: CstNode | undefined): A.FieldDecl[] {
    const out: A.FieldDecl[] = [];
    for (const f of nodesOf(block, 'fieldDecl')) {
      const name = this.identifier(nodeOf(f, 'name'));
      const type = this.typeExpr(nodeOf(f, 'typeExpr'));
      const range = nodeRange(f);
      if (name === undefined || type === undefined || range === undefined) continue;
      const field: Mutable<A.FieldDecl> = { kind: 'FieldDecl', name, type, range };
      const froms = tokensOf(f, 'From');
      const columns = tokensOf(f, 'StringLiteral');
      if (froms.length > 0 && columns.length > 0) field.from = this.string(columns[0]);
      const missingLists = nodesOf(f, 'dataList');
      if (missingLists.length > 0) field.missing = this.dataList(missingLists[0]);
      if (froms.length > 1) this.repeatedModifier(froms[1], 'from', name.name);
      const missingWords = tokensOf(f, 'Missing');
      if (missingWords.length > 1) this.repeatedModifier(missingWords[1], 'missing', name.name);
      out.push(field);
    }
    return out;
  }

  /** A field's `from` or `missing` written a second time: a syntax error (R001) at the second. */
  private repeatedModifier(token: IToken, word: 'from' | 'missing', field: string): void {
    this.diagnostics.push({
      code: 'R001',
      severity: 'error',
      message: `\`${word}\` is written twice on \`${field}\`; a field has at most one`,
      help:
        word === 'from'
          ? 'a field reads one column: keep the `from "COLUMN"` that names it'
          : 'put every placeholder of the field in one list: `missing ["-", "n/a"]`',
      range: tokenRange(token),
    });
  }

  /** A `data` setting's or a field's `missing` list: words (keywords too) are text. */
  private dataList(node: CstNode | undefined): A.ListLiteral | undefined {
    if (node === undefined) return undefined;
    const range = nodeRange(node);
    if (range === undefined) return undefined;
    const items: A.Value[] = [];
    for (const item of nodesOf(node, 'dataItem')) {
      const token = (item as RubricCstNode).first;
      if (token === undefined) continue;
      const type = token.tokenType.name;
      if (type === 'StringLiteral' || type === 'UnterminatedString') {
        const built = this.string(token);
        if (built !== undefined) items.push(built);
      } else if (type === 'NumberLiteral') {
        const built = this.number(token);
        if (built !== undefined) items.push(built);
      } else if (type === 'DateTimeLiteral') {
        const built = this.date(token);
        if (built !== undefined) items.push(built);
      } else {
        const name = this.identifier(item);
        if (name !== undefined) items.push({ kind: 'WordValue', name, range: name.range });
      }
    }
    return { kind: 'ListLiteral', items, range };
  }

  private tableLookup(node: CstNode): A.TableLookup | undefined {
    const table = this.identifier(nodeOf(node, 'name'));
    const input = this.identifier(nodeOf(node, 'tableInput'));
    const range = nodeRange(node);
    if (table === undefined || input === undefined || range === undefined || tokenOf(node, 'RParen') === undefined) return undefined;
    return { kind: 'TableLookup', table, input: { kind: 'NameRef', name: input, range: input.range }, range };
  }

  private tableDecl(node: CstNode): A.TableDecl | undefined {
    const range = nodeRange(node);
    const keyword = tokenOf(node, 'tableWord');
    const name = this.identifier(nodeOf(node, 'name'));
    if (range === undefined || keyword === undefined || name === undefined || tokenOf(node, 'RCurly') === undefined) return undefined;
    const lines: A.TableLine[] = [];
    for (const line of nodesOf(node, 'tableLine')) {
      const patterns = nodesOf(line, 'tablePattern').map((p) => this.tableText(p));
      const output = this.tableText(nodeOf(line, 'tableOutput'));
      const lineRange = nodeRange(line);
      if (output === undefined || lineRange === undefined || patterns.length === 0 || patterns.some((p) => p === undefined)) return undefined;
      lines.push({ kind: 'TableLine', patterns: patterns as A.TableText[], output, range: lineRange });
    }
    return { kind: 'TableDecl', keyword: { range: tokenRange(keyword) }, name, lines, range };
  }

  private tableText(node: CstNode | undefined): A.TableText | undefined {
    if (node === undefined) return undefined;
    const str = tokenOf(node, 'StringLiteral');
    if (str !== undefined) return this.string(str);
    const num = tokenOf(node, 'NumberLiteral');
    if (num !== undefined) return this.number(num);
    // A bare word, or a keyword used as one (`stage`, `no`).
    const word = (node as RubricCstNode).first;
    if (word === undefined || word.image === '') return undefined;
    const part: A.IdentifierPart = { text: word.image, quoted: false, range: tokenRange(word) };
    const name: A.Identifier = { kind: 'Identifier', name: word.image, parts: [part], range: part.range };
    return { kind: 'WordValue', name, range: part.range };
  }

  private dataDecl(node: CstNode): A.DataDecl | undefined {
    const range = nodeRange(node);
    const keyword = tokenOf(node, 'Identifier');
    if (range === undefined || keyword === undefined || tokenOf(node, 'LCurly') === undefined) return undefined;
    const settings: A.DataSetting[] = [];
    for (const setting of nodesOf(node, 'dataSetting')) {
      const built = this.dataSetting(setting);
      if (built !== undefined) settings.push(built);
    }
    return { kind: 'DataDecl', settings, range };
  }

  private dataSetting(node: CstNode): A.DataSetting | undefined {
    const range = nodeRange(node);
    const nameToken = (nodeOf(node, 'dataWord') as RubricCstNode | undefined)?.first;
    const valueNode = nodeOf(node, 'dataValue');
    if (range === undefined || nameToken === undefined || valueNode === undefined) return undefined;
    const name: A.IdentifierPart = { text: nameToken.image, quoted: false, range: tokenRange(nameToken) };
    const listNode = nodeOf(valueNode, 'dataList');
    if (listNode !== undefined) {
      const list = this.dataList(listNode);
      return list === undefined ? undefined : { kind: 'DataSetting', name, value: list, range };
    }
    const words: A.IdentifierPart[] = [];
    for (const w of nodesOf(valueNode, 'dataWord')) {
      const t = (w as RubricCstNode).first;
      if (t !== undefined) words.push({ text: t.image, quoted: false, range: tokenRange(t) });
    }
    if (words.length === 0) return undefined;
    const value: A.DataWords = {
      kind: 'DataWords',
      words,
      text: words.map((w) => w.text).join(' '),
      range: span(words[0].range, words[words.length - 1].range),
    };
    return { kind: 'DataSetting', name, value, range };
  }

  private typeExpr(node: CstNode | undefined): A.TypeExpr | undefined {
    if (node === undefined) return undefined;
    const range = nodeRange(node);
    if (range === undefined) return undefined;
    if (tokenOf(node, 'One') !== undefined) {
      const values = this.list(nodeOf(node, 'listLiteral'));
      return values === undefined ? undefined : { kind: 'OneOfType', values, range };
    }
    if (tokenOf(node, 'ListKw') !== undefined) {
      return tokensOf(node, 'TextKw').length === 0 ? undefined : { kind: 'ListType', element: 'text', range };
    }
    const t = directTokens(node)[0];
    if (t === undefined) return undefined;
    const name = t.image as 'text' | 'number' | 'bool' | 'date';
    return { kind: 'PrimitiveType', name, range };
  }

  private leadDecl(node: CstNode): A.LeadDecl | undefined {
    const range = nodeRange(node);
    if (range === undefined || nodeOf(node, 'fieldBlock') === undefined) return undefined;
    return { kind: 'LeadDecl', fields: this.fields(nodeOf(node, 'fieldBlock')), range };
  }

  private eventDecl(node: CstNode): A.EventDecl | undefined {
    const name = this.identifier(nodeOf(node, 'name'));
    const range = nodeRange(node);
    if (name === undefined || range === undefined) return undefined;
    return { kind: 'EventDecl', name, properties: this.fields(nodeOf(node, 'fieldBlock')), range };
  }

  private letDecl(node: CstNode): A.LetDecl | undefined {
    const name = this.identifier(nodeOf(node, 'name'));
    const listNode = nodeOf(node, 'listLiteral');
    const value = listNode !== undefined ? this.list(listNode) : this.value(nodeOf(node, 'value'));
    const range = nodeRange(node);
    if (name === undefined || value === undefined || range === undefined) return undefined;
    return { kind: 'LetDecl', name, value, range };
  }

  private segmentDecl(node: CstNode): A.SegmentDecl | undefined {
    const name = this.identifier(nodeOf(node, 'name'));
    const condition = this.condition(nodeOf(node, 'condition'));
    const range = nodeRange(node);
    if (name === undefined || condition === undefined || range === undefined) return undefined;
    return { kind: 'SegmentDecl', name, condition, range };
  }

  private groupDecl(node: CstNode): A.GroupDecl | undefined {
    const name = this.identifier(nodeOf(node, 'name'));
    const range = nodeRange(node);
    if (name === undefined || range === undefined) return undefined;
    let max: A.NumberLiteral | undefined;
    let min: A.NumberLiteral | undefined;
    const tokens = directTokens(node);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      const next = tokens[i + 1];
      if ((t.image === 'max' || t.image === 'min') && next?.tokenType.name === 'NumberLiteral') {
        if (t.image === 'max') max = this.number(next);
        else min = this.number(next);
      }
    }
    const ruleNodes = [...nodesOf(node, 'whenRule'), ...nodesOf(node, 'eachRule')].sort((a, b) => firstOffset(a) - firstOffset(b));
    const rules: A.Rule[] = [];
    for (const r of ruleNodes) {
      const built = r.name === 'whenRule' ? this.whenRule(r) : this.eachRule(r);
      if (built !== undefined) rules.push(built);
    }
    const group: A.GroupDecl = { kind: 'GroupDecl', name, rules, range };
    // Both kinds are kept when written (the checker reports the second, R055).
    let decay: { halfLife?: A.Duration; linearDecay?: A.LinearDecay } = {};
    for (const d of nodesOf(node, 'decaySpec')) decay = { ...decay, ...this.decaySpec(d) };
    return { ...group, ...(max !== undefined ? { max } : {}), ...(min !== undefined ? { min } : {}), ...decay };
  }

  private scoreRangeDecl(node: CstNode): A.ScoreRangeDecl | undefined {
    const [min, max] = tokensOf(node, 'NumberLiteral').sort((a, b) => a.startOffset - b.startOffset).map((t) => this.number(t));
    const range = nodeRange(node);
    if (min === undefined || max === undefined || range === undefined) return undefined;
    return { kind: 'ScoreRangeDecl', min, max, range };
  }

  private pointsOf(node: CstNode): { sign: A.PointsSign; points: A.NumberLiteral } | undefined {
    const p = nodeOf(node, 'points');
    const sign = tokenOf(p, 'Add') ?? tokenOf(p, 'Sub');
    const points = this.number(tokenOf(p, 'NumberLiteral'));
    if (sign === undefined || points === undefined) return undefined;
    return { sign: sign.image as A.PointsSign, points };
  }

  /** Sets the rule's decay from its `decaySpec`, if written; false when that part is broken. */
  private setDecay(node: CstNode, rule: { halfLife?: A.Duration; linearDecay?: A.LinearDecay }): boolean {
    const decayNode = nodeOf(node, 'decaySpec');
    if (decayNode === undefined) return true;
    const decay = this.decaySpec(decayNode);
    if (decay === undefined) return false;
    if (decay.halfLife !== undefined) rule.halfLife = decay.halfLife;
    if (decay.linearDecay !== undefined) rule.linearDecay = decay.linearDecay;
    return true;
  }

  /** Sets the rule's `at most` limit, if written; false when that part is broken. */
  private setLimit(node: CstNode, rule: { limit?: A.RunLimit }): boolean {
    const limitNode = nodeOf(node, 'runLimit');
    if (limitNode === undefined) return true;
    const limit = this.runLimit(limitNode);
    if (limit === undefined) return false;
    rule.limit = limit;
    return true;
  }

  private whenRule(node: CstNode): A.WhenRule | undefined {
    const condition = this.condition(nodeOf(node, 'condition'));
    const points = this.pointsOf(node);
    const range = nodeRange(node);
    if (condition === undefined || points === undefined || range === undefined) return undefined;
    const label = this.string(tokenOf(node, 'StringLiteral'));
    // Written out rather than spread: one object per rule, with the fields in the same order.
    const { sign } = points;
    const rule: Mutable<A.WhenRule> =
      label === undefined
        ? { kind: 'WhenRule', condition, sign, points: points.points, range }
        : { kind: 'WhenRule', condition, sign, points: points.points, range, label };
    if (!this.setLimit(node, rule)) return undefined;
    if (!this.setDecay(node, rule)) return undefined;
    return rule;
  }

  private eachRule(node: CstNode): A.EachRule | undefined {
    const event = this.identifier(nodeOf(node, 'name'));
    const points = this.pointsOf(node);
    const range = nodeRange(node);
    if (event === undefined || points === undefined || range === undefined) return undefined;
    // Fields set in place rather than by spreads of copies: a field added goes last, one set
    // again keeps its place, as with the spreads.
    const rule: Mutable<A.EachRule> = { kind: 'EachRule', event, sign: points.sign, points: points.points, range };
    if (tokenOf(node, 'Where') !== undefined) {
      const where = this.whereCondition(nodeOf(node, 'whereCondition'));
      if (where === undefined) return undefined;
      rule.where = where;
    }
    if (tokenOf(node, 'Within') !== undefined) {
      const within = this.duration(nodeOf(node, 'duration'));
      if (within === undefined) return undefined;
      rule.within = within;
    }
    // The decay before the cap: the field order trees had before run limits (golden trees).
    if (!this.setDecay(node, rule)) return undefined;
    if (tokenOf(node, 'Up') !== undefined) {
      const cap = this.number(tokenOf(node, 'NumberLiteral'));
      if (cap === undefined) return undefined;
      rule.upTo = cap;
    }
    if (!this.setLimit(node, rule)) return undefined;
    const label = this.string(tokenOf(node, 'StringLiteral'));
    if (label !== undefined) rule.label = label;
    return rule;
  }

  private stageDecl(node: CstNode): A.StageDecl | undefined {
    const name = this.identifier(nodeOf(node, 'name'));
    const threshold = this.number(tokenOf(node, 'NumberLiteral'));
    const range = nodeRange(node);
    if (name === undefined || threshold === undefined || range === undefined) return undefined;
    const requirements: A.Condition[] = [];
    for (const item of [...nodesOf(node, 'requirement')].sort((a, b) => firstOffset(a) - firstOffset(b))) {
      const built = this.requirement(item);
      if (built !== undefined) requirements.push(built);
    }
    const requires = requirements.flatMap((c) => (c.kind === 'Ref' ? [c.ref.name] : []));
    const stage: A.StageDecl = { kind: 'StageDecl', name, threshold, requires, requirements, range };
    if (tokenOf(node, 'When') !== undefined) {
      const when = this.condition(nodeOf(node, 'condition'));
      if (when === undefined) return undefined;
      return { ...stage, when };
    }
    return stage;
  }

  private tierDecl(node: CstNode): A.TierDecl | undefined {
    const name = this.identifier(nodeOf(node, 'name'));
    const condition = this.condition(nodeOf(node, 'condition'));
    const range = nodeRange(node);
    if (name === undefined || condition === undefined || range === undefined) return undefined;
    return { kind: 'TierDecl', name, condition, range };
  }

  private testFields(block: CstNode | undefined): A.TestField[] {
    const out: A.TestField[] = [];
    for (const f of nodesOf(block, 'testField')) {
      const name = this.identifier(nodeOf(f, 'name'));
      const listNode = nodeOf(f, 'listLiteral');
      const value = listNode !== undefined ? this.list(listNode) : this.value(nodeOf(f, 'value'));
      const range = nodeRange(f);
      if (name !== undefined && value !== undefined && range !== undefined) out.push({ kind: 'TestField', name, value, range });
    }
    return out;
  }

  private testDecl(node: CstNode): A.TestDecl | undefined {
    const name = this.string(tokenOf(node, 'StringLiteral'));
    const range = nodeRange(node);
    if (name === undefined || range === undefined) return undefined;
    let now: A.DateLiteral | undefined;
    const lead: A.TestField[] = [];
    const events: A.TestEvent[] = [];
    const expectations: A.Expectation[] = [];
    let account: A.TestField[] | undefined;
    let contacts: A.TestContact[] | undefined;
    for (const item of nodesOf(node, 'testItem')) {
      if (tokenOf(item, 'accountWord') !== undefined) {
        account ??= [];
        for (const field of this.testFields(nodeOf(item, 'testFieldBlock'))) account.push(field);
        continue;
      }
      const contactNode = nodeOf(item, 'testContact');
      if (contactNode !== undefined) {
        const contact = this.testContact(contactNode);
        if (contact !== undefined) (contacts ??= []).push(contact);
        continue;
      }
      if (tokenOf(item, 'Now') !== undefined) {
        now = this.date(tokenOf(item, 'DateTimeLiteral')) ?? now;
      } else if (tokenOf(item, 'Lead') !== undefined) {
        // A loop, not `push(...)`: spreading a few hundred thousand fields overflows the stack.
        for (const field of this.testFields(nodeOf(item, 'testFieldBlock'))) lead.push(field);
      } else if (nodeOf(item, 'testEventBlock') !== undefined) {
        for (const e of nodesOf(nodeOf(item, 'testEventBlock'), 'testEvent')) {
          const built = this.testEvent(e);
          if (built !== undefined) events.push(built);
        }
      } else {
        const built = this.expectation(nodeOf(item, 'expectation'));
        if (built !== undefined) expectations.push(built);
      }
    }
    const test: Mutable<A.TestDecl> = { kind: 'TestDecl', name, lead, events, expectations, range };
    if (now !== undefined) test.now = now;
    // Only written when the test has them (issue 17): trees of other tests are as before.
    if (account !== undefined) test.account = account;
    if (contacts !== undefined) test.contacts = contacts;
    return test;
  }

  /** `contact { fields } [events { ... }]` (issue 17). */
  private testContact(node: CstNode): A.TestContact | undefined {
    const range = nodeRange(node);
    if (range === undefined) return undefined;
    const events: A.TestEvent[] = [];
    for (const e of nodesOf(nodeOf(node, 'testEventBlock'), 'testEvent')) {
      const built = this.testEvent(e);
      if (built !== undefined) events.push(built);
    }
    return { kind: 'TestContact', fields: this.testFields(nodeOf(node, 'testFieldBlock')), events, range };
  }

  private testEvent(node: CstNode): A.TestEvent | undefined {
    const event = this.identifier(nodeOf(node, 'name'));
    const range = nodeRange(node);
    if (event === undefined || range === undefined) return undefined;
    let at: A.DateLiteral | A.RelativeTime | undefined;
    const date = tokenOf(node, 'DateTimeLiteral');
    if (date !== undefined) {
      at = this.date(date);
    } else {
      const duration = this.duration(nodeOf(node, 'duration'));
      const ago = tokenOf(node, 'Ago');
      if (duration !== undefined && ago !== undefined) {
        at = { kind: 'RelativeTime', duration, direction: 'ago', range: span(duration.range, tokenRange(ago)) };
      }
    }
    if (at === undefined) return undefined;
    return { kind: 'TestEvent', event, properties: this.testFields(nodeOf(node, 'testFieldBlock')), at, range };
  }

  private expectation(node: CstNode | undefined): A.Expectation | undefined {
    const built = this.expectationOf(node);
    const word = tokenOf(node, 'accountWord');
    if (built === undefined || word === undefined) return built;
    // `expect account ...` (issue 17): the field goes first, as the type declares it.
    const { kind, ...rest } = built;
    return { kind, account: { range: tokenRange(word) }, ...rest } as A.Expectation;
  }

  private expectationOf(node: CstNode | undefined): A.Expectation | undefined {
    if (node === undefined) return undefined;
    const range = nodeRange(node);
    if (range === undefined) return undefined;
    const operator = this.compareOperator(nodeOf(node, 'compareOperator')) ?? '=';
    if (tokenOf(node, 'No') !== undefined) {
      if (tokenOf(node, 'Stage') !== undefined) return { kind: 'ExpectStage', range };
      if (tokenOf(node, 'Tier') !== undefined) return { kind: 'ExpectTier', range };
      return undefined;
    }
    if (tokenOf(node, 'ruleWord') !== undefined) {
      const label = this.string(tokenOf(node, 'StringLiteral'));
      const outcome = nodeOf(node, 'ruleOutcome');
      if (label === undefined || tokenOf(outcome, 'firedWord') === undefined) return undefined;
      return { kind: 'ExpectRule', label, fired: tokenOf(outcome, 'Not') === undefined, range };
    }
    if (tokenOf(node, 'Score') !== undefined) {
      const value = this.number(tokenOf(node, 'NumberLiteral'));
      return value === undefined ? undefined : { kind: 'ExpectScore', operator, value, range };
    }
    const name = this.identifier(nodeOf(node, 'name'));
    if (name === undefined) return undefined;
    if (tokenOf(node, 'Group') !== undefined) {
      const value = this.number(tokenOf(node, 'NumberLiteral'));
      return value === undefined ? undefined : { kind: 'ExpectGroup', group: name, operator, value, range };
    }
    if (tokenOf(node, 'Stage') !== undefined) return { kind: 'ExpectStage', stage: name, range };
    if (tokenOf(node, 'Tier') !== undefined) return { kind: 'ExpectTier', tier: name, range };
    return undefined;
  }
}

/**
 * `where` of a test over contacts read with its test at its end (see `overContacts`): the
 * rightmost comparison not in parentheses, taken out as the test. `where` is undefined when
 * nothing is left of it but a subject that is not a name (then `subject` says where).
 */
function splitTrailingTest(where: A.Condition): { where: A.Condition | undefined; test: A.NumericTest; subject: A.Range } | undefined {
  switch (where.kind) {
    case 'Compare': {
      const left = where.left;
      if (left === undefined || where.right === undefined) return undefined;
      // `where job = CEO` is the `where` whole (a word after `=` is a value): no test was written.
      if (where.right.kind !== 'NumberLiteral' && where.right.kind !== 'NameRef') return undefined;
      const value: A.Operand = where.right;
      const test: A.NumericTest = { kind: 'CompareTest', operator: where.operator, value, range: { start: whereOperatorStart(where), end: where.range.end } };
      return { where: left.kind === 'NameRef' ? { kind: 'Ref', ref: left, range: left.range } : undefined, test, subject: left.range };
    }
    case 'Between': {
      const subject = where.subject;
      if (subject === undefined || where.low === undefined || where.high === undefined) return undefined;
      const test: A.NumericTest = { kind: 'BetweenTest', low: where.low, high: where.high, range: { start: subject.range.end, end: where.range.end } };
      return { where: subject.kind === 'NameRef' ? { kind: 'Ref', ref: subject, range: subject.range } : undefined, test, subject: subject.range };
    }
    case 'And':
    case 'Or': {
      const operands = where.operands;
      const last = operands[operands.length - 1];
      const split = last === undefined ? undefined : splitTrailingTest(last);
      if (split === undefined || split.where === undefined) return split;
      const kept = [...operands.slice(0, -1), split.where];
      return { where: { kind: where.kind, operands: kept, range: span(kept[0].range, split.where.range) }, test: split.test, subject: split.subject };
    }
    case 'Not': {
      const split = where.operand === undefined ? undefined : splitTrailingTest(where.operand);
      if (split === undefined || split.where === undefined) return split;
      return { where: { kind: 'Not', operand: split.where, range: span(where.range, split.where.range) }, test: split.test, subject: split.subject };
    }
    default:
      return undefined;
  }
}

/** Where the operator of a comparison starts: just after its left side (the test's range). */
function whereOperatorStart(c: A.CompareCondition): A.Position {
  return c.left.range.end;
}
