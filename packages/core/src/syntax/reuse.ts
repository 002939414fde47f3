/**
 * What one parse leaves for the next parse of the same document (what an editor re-parses on
 * every keystroke), and the reuse of unchanged statements' trees. A statement is reused when its
 * exact text, its start column and its token types are unchanged and it was read without error;
 * a reused statement that moved is copied with its positions shifted, one that did not move is
 * the same object. Nothing here is changed by a parse that reads it: parsing twice from the
 * same previous tree gives equal trees.
 */
import type { IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Comment, Position, Range, RubricFile, Statement } from './ast.js';

/** One statement of a parse, with where its tokens were. */
export interface StatementRecord {
  readonly statement: Statement;
  /** Offset of its first token. */
  readonly start: number;
  /** Offset just after its last token. */
  readonly end: number;
  /** Line and column of its first token. */
  readonly line: number;
  readonly column: number;
  /** The `tokenTypeIdx` of each of its tokens (a typed array: no pointers for the collector to follow). */
  readonly tokenTypes: Readonly<Uint16Array>;
  /** Read without any syntax error: its tree depends on its tokens alone. */
  readonly clean: boolean;
}

/** A parse, as the next parse of the same document may reuse it. */
export interface ParseMemory {
  readonly text: string;
  readonly statements: readonly StatementRecord[];
  readonly comments: readonly Comment[];
  readonly diagnostics: readonly Diagnostic[];
  /** Set when reading stopped there after too many syntax errors: nothing after it is known. */
  readonly stoppedAt?: Position;
}

/** The record of a statement read from `tokens` (a non-empty statement). */
export function recordStatement(statement: Statement, tokens: readonly IToken[], clean: boolean): StatementRecord {
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  return {
    statement,
    start: first.startOffset,
    end: (last.endOffset ?? last.startOffset) + 1,
    line: first.startLine ?? 1,
    column: first.startColumn ?? 1,
    tokenTypes: tokenTypesOf(tokens),
    clean,
  };
}

/** `record` moved by `offsetDelta` and `lineDelta`, its tree shifted to match. */
export function shiftRecord(record: StatementRecord, offsetDelta: number, lineDelta: number): StatementRecord {
  if (offsetDelta === 0 && lineDelta === 0) return record;
  return {
    ...record,
    statement: shiftPositions(record.statement, offsetDelta, lineDelta),
    start: record.start + offsetDelta,
    end: record.end + offsetDelta,
    line: record.line + lineDelta,
  };
}

/** The clean statements of an earlier parse, found by their text. */
export class StatementCache {
  private readonly byKey = new Map<string, StatementRecord[]>();

  /** `records`, statements of `text`; only the clean ones can be reused. */
  constructor(text: string, records: readonly StatementRecord[]) {
    for (const record of records) {
      if (!record.clean) continue;
      const key = `${record.column}:${text.slice(record.start, record.end)}`;
      const list = this.byKey.get(key);
      if (list === undefined) this.byKey.set(key, [record]);
      else list.push(record);
    }
  }

  /**
   * The record of a statement with the same text as `tokens` of `text`, shifted to where they
   * are, when one is not in `used` (two equal statements stay two trees); adds it to `used`.
   */
  take(text: string, tokens: readonly IToken[], used: Set<StatementRecord>): StatementRecord | undefined {
    const first = tokens[0];
    const last = tokens[tokens.length - 1];
    const list = this.byKey.get(`${first.startColumn ?? 1}:${text.slice(first.startOffset, (last.endOffset ?? last.startOffset) + 1)}`);
    if (list === undefined) return undefined;
    const offset = first.startOffset;
    let record = list.find((r) => r.start === offset && !used.has(r));
    record ??= list.find((r) => !used.has(r));
    if (record === undefined || !sameTypes(record.tokenTypes, tokens)) return undefined;
    used.add(record);
    return shiftRecord(record, offset - record.start, (first.startLine ?? 1) - record.line);
  }
}

function tokenTypesOf(tokens: readonly IToken[]): Uint16Array {
  const types = new Uint16Array(tokens.length);
  // Chevrotain numbers token types from 0 up; Rubric has about a hundred.
  for (let i = 0; i < tokens.length; i++) types[i] = tokens[i].tokenTypeIdx;
  return types;
}

function sameTypes(types: Readonly<Uint16Array>, tokens: readonly IToken[]): boolean {
  if (types.length !== tokens.length) return false;
  for (let i = 0; i < types.length; i++) if (types[i] !== tokens[i].tokenTypeIdx) return false;
  return true;
}

/**
 * A copy of `node` with every position moved by `offsetDelta` and `lineDelta` (columns kept).
 * Positions shared by neighbouring nodes stay shared in the copy.
 */
export function shiftPositions<T>(node: T, offsetDelta: number, lineDelta: number): T {
  return new PositionShifter(offsetDelta, lineDelta).copy(node) as T;
}

// The tree is followed generically (any node kind, any field), with ranges and positions copied
// by literal: they are half the objects of a tree, and one shape for them keeps the copy and its
// readers fast. A node and its first child usually start at the same token, so remembering the
// last two positions keeps most sharing.
class PositionShifter {
  private lastFrom: Position | undefined;
  private lastTo: Position | undefined;
  private prevFrom: Position | undefined;
  private prevTo: Position | undefined;

  constructor(
    private readonly offsetDelta: number,
    private readonly lineDelta: number,
  ) {}

  copy(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = this.copy(value[i]);
      return out;
    }
    const record = value as Record<string, unknown>;
    if (isPosition(record)) return this.position(record);
    // A spread copies the object with its shape in one step; only the fields holding objects
    // are then replaced.
    const out: Record<string, unknown> = { ...record };
    if (record.range !== undefined && isRange(record.range)) out.range = this.range(record.range);
    for (const key in out) {
      if (key === 'range') continue;
      const field = out[key];
      if (typeof field === 'object' && field !== null) out[key] = this.copy(field);
    }
    return out;
  }

  private range(range: Range): Range {
    return { start: this.position(range.start), end: this.position(range.end) };
  }

  private position(position: Position): Position {
    if (position === this.lastFrom) return this.lastTo as Position;
    if (position === this.prevFrom) return this.prevTo as Position;
    const moved: Position = { offset: position.offset + this.offsetDelta, line: position.line + this.lineDelta, column: position.column };
    this.prevFrom = this.lastFrom;
    this.prevTo = this.lastTo;
    this.lastFrom = position;
    this.lastTo = moved;
    return moved;
  }
}

function isPosition(value: Record<string, unknown>): value is Record<string, unknown> & Position {
  return typeof value.offset === 'number' && typeof value.line === 'number' && typeof value.column === 'number';
}

function isRange(value: unknown): value is Range {
  if (typeof value !== 'object' || value === null) return false;
  const { start, end } = value as { start?: unknown; end?: unknown };
  return typeof start === 'object' && start !== null && typeof end === 'object' && end !== null && isPosition(start as Record<string, unknown>) && isPosition(end as Record<string, unknown>);
}

// One memory per parsed file, found by its tree: the next parse of the same document passes the
// previous tree.
const MEMORIES = new WeakMap<RubricFile, ParseMemory>();

export function remember(file: RubricFile, memory: ParseMemory): void {
  MEMORIES.set(file, memory);
}

/** What was remembered when `file` was parsed. */
export function memoryOf(file: RubricFile | undefined): ParseMemory | undefined {
  return file === undefined ? undefined : MEMORIES.get(file);
}
