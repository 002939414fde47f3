/**
 * The editor surface of the data dialect (issue 14): completion in a `data` block and after a
 * field's type, hover on settings, values, `data` and fields read with `from`/`missing`, semantic
 * tokens of the block, and a recovered parse of a broken block never breaking a feature.
 */
import type { MarkupContent } from 'vscode-languageserver';
import { describe, expect, it } from 'vitest';
import { completion } from '../src/features/completion.js';
import { computeDiagnostics } from '../src/features/diagnostics.js';
import { documentSymbols } from '../src/features/document-symbols.js';
import { hover } from '../src/features/hover.js';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from '../src/features/semantic-tokens.js';
import { cursor, positionOf, stateOf } from './helpers.js';

const SCHEMA = `lead {
  job: text from "Job Title"
  phone: text from "Téléphone" missing ["0000"]
  newsletter: bool
}
`;

function labels(textWithCursor: string): string[] {
  const { state, position } = cursor(textWithCursor);
  return completion(state, { textDocument: { uri: state.uri }, position }, { snippetSupport: false, today: '2026-03-01' }).items.map((item) => item.label);
}

const CASES: [string, string, string[], string[]][] = [
  ['setting names in a data block', 'data {\n  |', ['missing', 'numbers', 'dates', 'true', 'false'], ['when', 'job']],
  ['a partial setting name', 'data {\n  num|', ['numbers'], []],
  ['setting names after a comma', 'data { dates: iso, |', ['numbers'], []],
  ['values of numbers', 'data {\n  numbers: |', ['plain', 'decimal comma', 'decimal point'], ['iso', 'missing']],
  ['the rest of a value', 'data {\n  numbers: decimal |', ['comma', 'point'], ['plain', 'decimal comma']],
  ['values of dates', 'data {\n  dates: |', ['iso', 'day first', 'month first'], ['plain']],
  ['nothing to offer in a list setting', 'data {\n  missing: |', [], ['plain', 'iso', 'missing']],
  ['statements after a closed data block', 'data {\n  dates: iso\n}\n|', ['when', 'data'], ['numbers']],
  ['statements after a data block left open', 'data {\n  dates: iso\nwhen |', ['job', 'newsletter'], ['numbers']],
  ['`data` is a value word elsewhere', 'when job in [data, |', [], ['numbers', 'missing']],
  ['from and missing after a field type', 'lead {\n  email: text |', ['from', 'missing'], ['text']],
  ['after a one-of type', 'lead {\n  plan: one of [a, b] |', ['from', 'missing'], []],
  ['missing after from', 'lead {\n  email: text from "E-mail" |', ['missing'], ['from']],
  ['from after missing', 'lead {\n  email: text missing ["-"] |', ['from'], ['missing']],
  ['nothing while typing a missing list', 'lead {\n  email: text missing ["-", |', [], ['from', 'missing']],
  ['in an event property', 'event visit { url: text |', ['from', 'missing'], []],
  ['types still offered', 'lead {\n  email: |', ['text', 'number'], ['from']],
];

describe('completion for the data dialect', () => {
  for (const [name, text, present, absent] of CASES) {
    it(name, () => {
      const got = labels(SCHEMA + text);
      for (const label of present) expect(got, `expected ${label} in ${got.join(', ')}`).toContain(label);
      for (const label of absent) expect(got, `did not expect ${label}`).not.toContain(label);
    });
  }

  it('inserts a setting with its colon and documents it', () => {
    const { state, position } = cursor(SCHEMA + 'data {\n  da|');
    const items = completion(state, { textDocument: { uri: state.uri }, position }, { snippetSupport: false, today: '2026-03-01' }).items;
    const dates = items.find((item) => item.label === 'dates');
    expect(dates?.textEdit?.newText).toBe('dates: ');
    expect(String(dates?.documentation)).toContain('day first');
  });
});

const FILE = `${SCHEMA}data {
  missing: ["N/A", "-"]
  numbers: decimal comma
  dates: day first
  colour: red
}
when job = CTO add 5
when phone is set add 1
`;

function hoverAt(text: string, needle: string, delta = 1): string {
  const state = stateOf(text);
  const result = hover(state, { textDocument: { uri: state.uri }, position: positionOf(state, needle, 0, delta) });
  return result === null ? '' : (result.contents as MarkupContent).value;
}

describe('hover in the data dialect', () => {
  it('explains a setting, a value, an unknown setting and the block', () => {
    expect(hoverAt(FILE, 'numbers:')).toContain('decimal comma');
    expect(hoverAt(FILE, 'numbers:')).toContain('(data setting)');
    expect(hoverAt(FILE, 'day first')).toContain('`20/02/2026`');
    expect(hoverAt(FILE, 'colour')).toContain('is not a setting');
    const block = hoverAt(FILE, 'data {');
    expect(block).toContain('**data block**');
    expect(block).toContain('Numbers: `decimal comma`; dates: `day first`');
    expect(block).toContain('`n/a`, `-`');
  });

  it("shows a field's column and placeholders", () => {
    const text = hoverAt(FILE, 'phone is set');
    expect(text).toContain('Read from the column `Téléphone`.');
    expect(text).toContain('Missing when it is `n/a`, `-`, `0000`');
    expect(hoverAt(FILE, 'job = CTO')).toContain('Read from the column `Job Title`.');
  });
});

describe('semantic tokens of the data block', () => {
  it('marks `data`, the known setting names and the words of known values', () => {
    const state = stateOf('lead { a: text }\ndata {\n  numbers: decimal comma\n  nope: x\n  dates: day frist\n}\nwhen a = data add 1\n');
    const { data } = semanticTokens(state);
    const tokens: string[] = [];
    let line = 0;
    let character = 0;
    for (let i = 0; i < data.length; i += 5) {
      line += data[i];
      character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
      tokens.push(`${line}:${character}+${data[i + 2]} ${SEMANTIC_TOKENS_LEGEND.tokenTypes[data[i + 3]]}`);
    }
    expect(tokens).toEqual([
      '0:7+1 property',
      '1:0+4 keyword',
      '2:2+7 keyword',
      '2:11+7 enumMember',
      '2:19+5 enumMember',
      '4:2+5 keyword',
      '6:5+1 property',
    ]);
  });
});

describe('a broken data block', () => {
  const BROKEN = [
    'data {\n  missing: ["a", \n',
    'data {\n  numbers:\n  dates: day first\n}\nwhen job = x add 1\n',
    'data {\n  5: [x]\n}\n',
    'data\nwhen job = x add 1\n',
    'data { numbers decimal comma }\n',
    'lead {\n  job: text from\n  phone: text missing [\n}\n',
    'data {\n  missing: ["a"]\nwhen job = x add 1\n',
  ];
  it('never breaks diagnostics, outline, hover, semantic tokens or completion', () => {
    for (const tail of BROKEN) {
      const text = SCHEMA + tail;
      const state = stateOf(text);
      const diagnostics = computeDiagnostics(state);
      expect(diagnostics.some((d) => d.code === 'R001'), tail).toBe(true);
      expect(diagnostics.some((d) => d.code === 'R999'), tail).toBe(false);
      expect(() => documentSymbols(state)).not.toThrow();
      expect(() => semanticTokens(state)).not.toThrow();
      for (let offset = SCHEMA.length; offset <= text.length; offset++) {
        const position = state.lines.positionAt(offset);
        expect(() => hover(state, { textDocument: { uri: state.uri }, position })).not.toThrow();
        expect(() => completion(state, { textDocument: { uri: state.uri }, position }, { snippetSupport: true, today: '2026-03-01' })).not.toThrow();
      }
    }
  });
});
