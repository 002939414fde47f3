/**
 * Editor support for issue 15's `count distinct` and synonym tables: completion, hover,
 * outline and semantic tokens.
 */
import { describe, expect, it } from 'vitest';
import type { MarkupContent } from 'vscode-languageserver';
import { completion } from '../src/features/completion.js';
import { hover } from '../src/features/hover.js';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from '../src/features/semantic-tokens.js';
import { cursor, positionOf, stateOf } from './helpers.js';

/** Semantic tokens as `line:character+length type`. */
function tokensOf(text: string): string[] {
  const { data } = semanticTokens(stateOf(text));
  const out: string[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
    out.push(`${line}:${character}+${data[i + 2]} ${SEMANTIC_TOKENS_LEGEND.tokenTypes[data[i + 3]]}`);
  }
  return out;
}

function hoverAt(text: string, needle: string, delta = 1): string {
  const state = stateOf(text);
  const result = hover(state, { textDocument: { uri: state.uri }, position: positionOf(state, needle, 0, delta) });
  return result === null ? '' : (result.contents as MarkupContent).value;
}

const SCHEMA = `lead {
  job: text
}
event page_view { url: text, seconds: number, topics: list of text }
event download { asset: text }
`;

function labels(textWithCursor: string): string[] {
  const { state, position } = cursor(textWithCursor);
  return completion(state, { textDocument: { uri: state.uri }, position }, { snippetSupport: false, today: '2026-03-01' }).items.map((item) => item.label);
}

describe('completion: count distinct', () => {
  it('offers `distinct` with the events after `count`', () => {
    const got = labels(`${SCHEMA}when count |`);
    expect(got).toEqual(expect.arrayContaining(['distinct', 'page_view', 'download']));
  });

  it('offers EVENT.PROPERTY of single-valued properties after `count distinct`', () => {
    const got = labels(`${SCHEMA}when count distinct |`);
    expect(got).toEqual(expect.arrayContaining(['page_view.url', 'page_view.seconds', 'download.asset']));
    expect(got).not.toContain('page_view.topics');
    expect(got).not.toContain('job');
  });

  it('offers where, within and the comparisons after the counted property', () => {
    const got = labels(`${SCHEMA}when count distinct page_view.url |`);
    expect(got).toEqual(expect.arrayContaining(['where', 'within', '>=', 'between']));
    expect(got).not.toContain('add');
  });

  it("offers the event's properties inside its `where`", () => {
    const got = labels(`${SCHEMA}when count distinct page_view.url where |`);
    expect(got).toEqual(expect.arrayContaining(['url', 'seconds']));
    expect(got).not.toContain('asset');
  });
});

describe('hover and semantic tokens: count distinct', () => {
  const text = `${SCHEMA}when count distinct page_view.url >= 3 add 10\nwhen count distinct >= 1 add 1\n`;

  it('colours `distinct` as a keyword, and the event and the property as names', () => {
    const line = 5;
    expect(tokensOf(text)).toEqual(expect.arrayContaining([`${line}:11+8 keyword`, `${line}:20+9 event`, `${line}:30+3 parameter`]));
    // An event named `distinct` is no keyword there (R011 since it is not declared; no keyword token).
    expect(tokensOf(text)).not.toContain(`${line + 1}:11+8 keyword`);
  });

  it('shows the counted property on hover', () => {
    expect(hoverAt(text, 'url >= 3')).toContain('url');
  });
});
