/**
 * Lexical colouring of Rubric (what the TextMate grammar does in VS Code: comments, strings,
 * numbers, dates, keywords); names get their colour from the server's semantic tokens. The
 * keyword list is the core lexer's own (`KEYWORDS`, injected at build time as `RUBRIC_KEYWORDS`),
 * so it cannot drift from the language; which of them read as operators follows the grammar.
 */
import { HighlightStyle, StreamLanguage, syntaxHighlighting, type StreamParser } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import type { Extension } from '@codemirror/state';

declare const RUBRIC_KEYWORDS: readonly string[];

const KEYWORDS = new Set(RUBRIC_KEYWORDS);
const OPERATOR_WORDS = new Set(['and', 'or', 'not', 'in', 'is', 'between', 'starts', 'ends', 'contains', 'has']);
const CONSTANTS = new Set(['true', 'false']);
const DECLARATIONS = new Set(['lead', 'event', 'events', 'let', 'segment', 'group', 'stage', 'tier', 'test', 'score']);

/** Every token is on one line (strings do not span lines), so the tokenizer keeps no state. */
type NoState = Record<string, never>;

const parser: StreamParser<NoState> = {
  name: 'rubric',
  startState: () => ({}),
  token(stream) {
    if (stream.eatSpace()) return null;
    if (stream.peek() === '#') {
      stream.skipToEnd();
      return 'comment';
    }
    const quote = stream.peek();
    if (quote === '"' || quote === "'") {
      stream.next();
      let escaped = false;
      for (let ch = stream.next(); ch !== undefined && ch !== null; ch = stream.next()) {
        if (!escaped && ch === quote) return 'string';
        escaped = !escaped && ch === '\\';
      }
      return 'string'; // unterminated: the server reports it
    }
    if (stream.peek() === '`') {
      stream.next();
      stream.skipTo('`') ? stream.next() : stream.skipToEnd();
      return 'variableName';
    }
    if (stream.match(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?/)) return 'number';
    if (stream.match(/^\d[\d_]*(\.\d+)?%?/)) return 'number';
    const word = stream.match(/^[\p{L}_][\p{L}\p{N}_-]*/u);
    if (word !== null && word !== false && word !== true) {
      const text = word[0];
      if (CONSTANTS.has(text)) return 'bool';
      if (OPERATOR_WORDS.has(text)) return 'operatorKeyword';
      if (DECLARATIONS.has(text)) return 'definitionKeyword';
      if (KEYWORDS.has(text)) return 'keyword';
      return 'variableName';
    }
    if (stream.match(/^(!=|<=|>=|=|<|>|->)/)) return 'compareOperator';
    stream.next();
    return 'punctuation';
  },
  languageData: { commentTokens: { line: '#' } },
};

export const rubricLanguage = StreamLanguage.define(parser);

const style = HighlightStyle.define([
  { tag: tags.comment, class: 'lex-comment' },
  { tag: tags.string, class: 'lex-string' },
  { tag: tags.number, class: 'lex-number' },
  { tag: tags.bool, class: 'lex-constant' },
  { tag: tags.keyword, class: 'lex-keyword' },
  { tag: tags.definitionKeyword, class: 'lex-declaration' },
  { tag: tags.operatorKeyword, class: 'lex-operator' },
  { tag: tags.compareOperator, class: 'lex-operator' },
]);

/** The language and its lexical highlighting. */
export function rubric(): Extension {
  return [rubricLanguage, syntaxHighlighting(style)];
}
