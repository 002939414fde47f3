/**
 * Where the cursor is, for completion, from the text alone: the parser's tree is of little help
 * on the line being typed. A tolerant scan of the text before the cursor finds the enclosing
 * block (lead schema, group, test, ...) and the tokens of the statement being written.
 */

export type TokenKind = 'word' | 'number' | 'date' | 'string' | 'punct' | 'newline' | 'block' | 'other';

export interface ScanToken {
  readonly kind: TokenKind;
  /** The text; for words the name without backticks; `{}` for a closed nested block. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export type BlockKind =
  | 'lead-schema'
  | 'event-schema'
  | 'group'
  | 'test'
  | 'test-lead'
  | 'test-events'
  | 'test-event-props'
  /** `data { }`: the data dialect's settings. */
  | 'data'
  /** `account KEY = FIELD { }` (issue 17): the account fields' declarations. */
  | 'account-schema'
  /** `score accounts { }` (issue 17): the account's rules. */
  | 'account-scoring'
  /** `account { }` in a test: the account's fields. */
  | 'test-account'
  /** `contact { }` in a test: a contact's (lead) fields. */
  | 'test-contact'
  | 'other';

export interface Block {
  readonly kind: BlockKind;
  /** The event of a test event's `{ props }` block. */
  readonly event?: string;
}

export interface CursorContext {
  /** The innermost open block; undefined at the top level. */
  readonly block: Block | undefined;
  /** Issue 17: the cursor is inside `score accounts { }` (account rules), else in contact rules. */
  readonly level: 'contact' | 'account';
  /** The tokens of the statement being written, before the word under the cursor. */
  readonly statement: readonly ScanToken[];
  /** The word being typed (possibly empty) and where it starts. */
  readonly prefix: string;
  readonly prefixStart: number;
  /** The cursor is in a comment or a string: nothing to complete. */
  readonly inCommentOrString: boolean;
}

const WORD_START = /[\p{L}_]/u;
const WORD_PART = /[\p{L}\p{N}_]/u;
const PUNCT2 = new Set(['!=', '<=', '>=']);
const PUNCT1 = new Set(['=', '<', '>', '{', '}', '[', ']', '(', ')', ',', ':', ';']);

/** Tokens after which a line break does not end the statement. */
const CONTINUATION = new Set(['and', 'or', 'not', ',', '=', '!=', '<', '<=', '>', '>=']);
/** Keywords that start a top-level statement: seeing one at a statement start closes open blocks. */
const TOP_ONLY = new Set(['event', 'let', 'segment', 'group', 'stage', 'tier', 'test', 'score']);

interface ScanResult {
  readonly tokens: ScanToken[];
  readonly inCommentOrString: boolean;
  /** A backticked name still open at the cursor. */
  readonly openBacktick: { start: number; text: string } | undefined;
}

/** Tokenizes `text` up to `end`, tolerating anything. */
export function scan(text: string, end: number): ScanResult {
  const tokens: ScanToken[] = [];
  let i = 0;
  let inCommentOrString = false;
  let openBacktick: { start: number; text: string } | undefined;
  while (i < end) {
    const ch = text[i];
    if (ch === '\n' || ch === '\r') {
      tokens.push({ kind: 'newline', text: '\n', start: i, end: i + 1 });
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\u00a0' || ch === '\ufeff') {
      i++;
      continue;
    }
    if (ch === '#') {
      let j = i;
      while (j < text.length && text[j] !== '\n' && text[j] !== '\r') j++;
      if (j >= end) inCommentOrString = true;
      i = j;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      let closed = false;
      while (j < text.length && text[j] !== '\n' && text[j] !== '\r') {
        if (text[j] === '\\') {
          j += 2;
          continue;
        }
        if (text[j] === ch) {
          closed = true;
          j++;
          break;
        }
        j++;
      }
      if (!closed ? j >= end : j > end) inCommentOrString = true;
      tokens.push({ kind: 'string', text: text.slice(i, Math.min(j, end)), start: i, end: Math.min(j, end) });
      i = j;
      continue;
    }
    if (ch === '`' || WORD_START.test(ch)) {
      // A name: plain or backticked parts joined by dots.
      let j = i;
      let name = '';
      for (;;) {
        if (text[j] === '`') {
          const close = text.indexOf('`', j + 1);
          const lineEnd = text.slice(j + 1).search(/[\r\n]/);
          const stop = lineEnd < 0 ? text.length : j + 1 + lineEnd;
          if (close < 0 || close > stop || close >= end) {
            if (stop >= end) openBacktick = { start: i, text: name + text.slice(j + 1, end) };
            name += text.slice(j + 1, Math.min(stop, end));
            j = Math.min(stop, end);
            break;
          }
          name += text.slice(j + 1, close);
          j = close + 1;
        } else if (j < text.length && WORD_START.test(text[j])) {
          const s = j;
          while (j < text.length && WORD_PART.test(text[j])) j++;
          name += text.slice(s, j);
          if (name.endsWith('half') && text.startsWith('-life', j)) {
            name += '-life';
            j += 5;
          }
        } else {
          break;
        }
        if (text[j] === '.' && j + 1 <= text.length) {
          name += '.';
          j++;
          if (j >= end) break;
          continue;
        }
        break;
      }
      if (openBacktick !== undefined && j >= end) {
        i = j;
        break;
      }
      tokens.push({ kind: 'word', text: name, start: i, end: Math.min(j, end) });
      i = j;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const match = /^-?(\d{4}-\d{2}-\d{2}(T[0-9:.]+Z?)?|[0-9][0-9_]*(\.[0-9]+)?)/.exec(text.slice(i, i + 40));
      const length = match ? match[0].length : 1;
      const isDate = match !== null && match[1] !== undefined && /^\d{4}-\d{2}-\d{2}/.test(match[1]);
      tokens.push({ kind: isDate ? 'date' : 'number', text: text.slice(i, i + length), start: i, end: i + length });
      i += length;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCT2.has(two)) {
      tokens.push({ kind: 'punct', text: two, start: i, end: i + 2 });
      i += 2;
      continue;
    }
    if (PUNCT1.has(ch)) {
      tokens.push({ kind: 'punct', text: ch, start: i, end: i + 1 });
      i++;
      continue;
    }
    tokens.push({ kind: 'other', text: ch, start: i, end: i + 1 });
    i++;
  }
  return { tokens, inCommentOrString, openBacktick };
}

function blockFor(parent: Block | undefined, statement: readonly ScanToken[]): Block {
  const first = statement[0]?.kind === 'word' ? statement[0].text : '';
  const parentKind = parent?.kind;
  if (parentKind === undefined || parentKind === 'group' || parentKind === 'account-scoring') {
    if (first === 'lead') return { kind: 'lead-schema' };
    if (first === 'event') return { kind: 'event-schema' };
    if (first === 'group') return { kind: 'group' };
    if (first === 'test') return { kind: 'test' };
    // `data`, `account` and `accounts` are no keywords: blocks only in their exact positions.
    if (first === 'data' && statement.length === 1 && parentKind === undefined) return { kind: 'data' };
    if (first === 'account' && statement[2]?.text === '=' && parentKind === undefined) return { kind: 'account-schema' };
    if (first === 'score' && statement[1]?.text === 'accounts' && statement.length === 2 && parentKind === undefined) return { kind: 'account-scoring' };
    return { kind: 'other' };
  }
  if (parentKind === 'test') {
    const lastWord = statement[statement.length - 1]?.text;
    if (first === 'lead') return { kind: 'test-lead' };
    // `contact { } events {`: the contact's events.
    if (first === 'events' || (first === 'contact' && lastWord === 'events')) return { kind: 'test-events' };
    if (first === 'account' && statement.length === 1) return { kind: 'test-account' };
    if (first === 'contact' && statement.length === 1) return { kind: 'test-contact' };
    return { kind: 'other' };
  }
  if (parentKind === 'test-events' && first !== '') return { kind: 'test-event-props', event: first };
  return { kind: 'other' };
}

/** Blocks whose entries may also be separated by commas. */
const COMMA_SEPARATED: ReadonlySet<BlockKind> = new Set(['lead-schema', 'event-schema', 'test-lead', 'test-event-props', 'data', 'account-schema', 'test-account', 'test-contact']);

/** Statement words that `score accounts { }` holds: they do not close it. */
const ACCOUNT_STATEMENTS = new Set(['segment', 'group', 'stage', 'tier', 'score']);

/** Words that start a statement: in a `data` block (settings only) one means the block was left open. */
const STATEMENT_WORDS = new Set([...TOP_ONLY, 'lead', 'when', 'each']);

/** The completion context at `offset` in `text`. */
export function cursorContext(text: string, offset: number): CursorContext {
  const { tokens, inCommentOrString, openBacktick } = scan(text, offset);
  let prefix = '';
  let prefixStart = offset;
  let body = tokens;
  if (openBacktick !== undefined) {
    prefix = openBacktick.text;
    prefixStart = openBacktick.start;
  } else {
    const last = tokens[tokens.length - 1];
    if (last !== undefined && last.kind === 'word' && last.end === offset) {
      prefix = last.text;
      prefixStart = last.start;
      body = tokens.slice(0, -1);
    }
  }

  const stack: { block: Block; saved: ScanToken[]; savedDepth: number }[] = [];
  let statement: ScanToken[] = [];
  let depth = 0;
  let pendingBoundary = false;
  const top = (): Block | undefined => stack[stack.length - 1]?.block;
  for (const token of body) {
    if (token.kind === 'newline') {
      const last = statement[statement.length - 1];
      if (depth === 0 && last !== undefined && !CONTINUATION.has(last.text)) pendingBoundary = true;
      continue;
    }
    if (pendingBoundary) {
      pendingBoundary = false;
      if (!(token.kind === 'word' && (token.text === 'and' || token.text === 'or'))) {
        statement = [];
        depth = 0;
      }
    }
    if (statement.length === 0 && token.kind === 'word') {
      // A statement keyword that cannot be inside the open block: the block was left unclosed.
      const current = top();
      if (current !== undefined) {
        const inScoring = stack.some((entry) => entry.block.kind === 'account-scoring');
        const closesAll =
          (TOP_ONLY.has(token.text) && !(inScoring && ACCOUNT_STATEMENTS.has(token.text) && current.kind !== 'group')) ||
          (current.kind === 'data' && STATEMENT_WORDS.has(token.text)) ||
          (token.text === 'lead' && current.kind !== 'test') ||
          ((token.text === 'when' || token.text === 'each') && current.kind !== 'group' && current.kind !== 'other' && current.kind !== 'account-scoring');
        if (closesAll) stack.length = 0;
      }
    }
    if (token.kind === 'punct') {
      if (token.text === ';') {
        statement = [];
        depth = 0;
        continue;
      }
      if (token.text === '{') {
        stack.push({ block: blockFor(top(), statement), saved: statement, savedDepth: depth });
        statement = [];
        depth = 0;
        continue;
      }
      if (token.text === '}') {
        const popped = stack.pop();
        statement = popped ? [...popped.saved, { kind: 'block', text: '{}', start: token.start, end: token.end }] : [];
        depth = popped ? popped.savedDepth : 0;
        continue;
      }
      if (token.text === ',' && depth === 0 && COMMA_SEPARATED.has(top()?.kind ?? 'other')) {
        statement = [];
        continue;
      }
      if (token.text === '(' || token.text === '[') depth++;
      if (token.text === ')' || token.text === ']') depth = Math.max(0, depth - 1);
    }
    statement.push(token);
  }
  // The cursor is on a new line after a finished statement: a new statement starts here.
  if (pendingBoundary) statement = [];
  const level = stack.some((entry) => entry.block.kind === 'account-scoring') ? 'account' : 'contact';
  return { block: top(), level, statement, prefix, prefixStart, inCommentOrString };
}
