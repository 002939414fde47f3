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

const TABLES = `${SCHEMA}table seniority {
  "ceo", "pdg", "dir* g*n*ral*" -> executive
  "vp *", "directeur *" -> manager # rubric: allow R056
}
table section {
  "/tarifs*" -> pricing
}
`;

describe('completion: synonym tables', () => {
  it('offers the tables at the start of a condition, inserting `NAME(`', () => {
    const { state, position } = cursor(`${TABLES}when |`);
    const items = completion(state, { textDocument: { uri: state.uri }, position }, { snippetSupport: false, today: '2026-03-01' }).items;
    const item = items.find((i) => i.label === 'seniority');
    expect(item?.insertText ?? item?.textEdit?.newText).toBe('seniority(');
    expect(item?.detail).toContain('executive, manager');
  });

  it('offers the text fields inside `TABLE(`, and properties inside a `where`', () => {
    expect(labels(`${TABLES}when seniority(|`)).toEqual(['job']);
    const inWhere = labels(`${TABLES}when any page_view where section(|`);
    expect(inWhere).toContain('url');
    expect(inWhere).not.toContain('seconds');
  });

  it("offers the table's operators and then its values after `=` and in a list", () => {
    expect(labels(`${TABLES}when seniority(job) |`)).toEqual(expect.arrayContaining(['=', 'in', 'is missing']));
    const values = labels(`${TABLES}when seniority(job) = |`);
    expect(values).toEqual(expect.arrayContaining(['executive', 'manager']));
    expect(values).not.toContain('pricing');
    expect(labels(`${TABLES}when seniority(job) in [executive, |`)).toContain('manager');
  });
});

describe('hover, outline and semantic tokens: synonym tables', () => {
  const text = `${TABLES}when seniority(job) = executive add 20\nwhen any page_view where section(url) = pricing add 1\n`;

  it("shows the table's lines on hover, where it is declared and used", () => {
    const used = hoverAt(text, 'seniority(job)');
    expect(used).toContain('table seniority {');
    expect(used).toContain('"vp *", "directeur *" -> manager');
    expect(used).toContain('**table**');
  });

  it('colours `table` as a keyword and the table names as functions', () => {
    const tokens = tokensOf(text);
    expect(tokens).toContain('5:0+5 keyword');
    expect(tokens).toContain('5:6+9 function');
    expect(tokens).toContain('12:5+9 function');
  });
});

describe('outline: synonym tables', () => {
  it('lists a table with one child per line, named by its value', async () => {
    const { documentSymbols } = await import('../src/features/document-symbols.js');
    const symbols = documentSymbols(stateOf(`${TABLES}when seniority(job) = executive add 20\n`));
    const table = symbols.find((s) => s.name === 'seniority');
    expect(table?.detail).toBe('table, 2 lines');
    expect(table?.children?.map((c) => [c.name, c.detail])).toEqual([
      ['executive', '"ceo", "pdg", "dir* g*n*ral*"'],
      ['manager', '"vp *", "directeur *"'],
    ]);
  });
});
