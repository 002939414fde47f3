import { CompletionItemKind, InsertTextFormat } from 'vscode-languageserver';
import { describe, expect, it } from 'vitest';
import { completion } from '../src/features/completion.js';
import { cursor } from './helpers.js';

const SCHEMA = `lead {
  job: text
  email: text
  company.size: number
  company.industry: one of [services, retail, "public sector"]
  student: bool
  signup: date
  tags: list of text
}
event page_view { url: text, seconds: number }
event download { asset: text }
let decision_makers = [CEO, CTO]
let threshold = 10
segment big = company.size > 250
group fit max 60 {
  when big add 10
}
stage evaluation at 20
stage purchase at 40
tier A when fit >= 40
`;

function labels(textWithCursor: string, snippetSupport = false): string[] {
  const { state, position } = cursor(textWithCursor);
  return completion(state, { textDocument: { uri: state.uri }, position }, { snippetSupport, today: '2026-03-01' }).items.map(
    (item) => item.label,
  );
}

// Each case: the text after the schema (with `|` at the cursor), labels that must be offered,
// and labels that must not.
const CASES: [string, string, string[], string[]][] = [
  ['statement start', '|', ['lead', 'event', 'when', 'each', 'group', 'stage', 'test', 'segment', 'let', 'tier'], ['job', 'and']],
  ['partial keyword', 'wh|', ['when'], []],
  ['condition start', 'when |', ['job', 'company.size', 'big', 'fit', 'any', 'no', 'count', 'not'], ['score', 'url', 'evaluation']],
  ['partial dotted field', 'when company.|', ['company.size', 'company.industry'], []],
  ['text operators', 'when job |', ['=', 'in', 'not in', 'starts', 'ends any', 'is set'], ['>', 'has']],
  ['number operators', 'when company.size |', ['>', '>=', 'between', 'is missing'], ['starts']],
  ['bool operators', 'when student is |', ['true', 'false', 'set', 'missing'], []],
  ['list operators', 'when tags |', ['has', 'has any'], ['>']],
  ['one-of values after =', 'when company.industry = |', ['services', 'retail', 'public sector'], ['job']],
  ['one-of values in a list', 'when company.industry in [services, |', ['retail', 'public sector'], ['job']],
  ['list lets after in', 'when job in |', ['decision_makers'], ['threshold', 'job']],
  ['events after any', 'when any |', ['page_view', 'download'], ['job']],
  ['events after count', 'when count |', ['page_view'], []],
  ['days since last', 'when days |', ['since last'], []],
  ['event properties inside where', 'when any page_view where |', ['url', 'seconds'], ['job', 'asset']],
  ['property operators inside where', 'when any page_view where url |', ['starts', 'contains'], []],
  ['numeric property inside where', 'when any page_view where seconds |', ['>', 'between'], ['starts']],
  ['after where comparison leaves where', 'when any page_view where url starts "/x" and |', ['job', 'big'], ['url']],
  ['parenthesised where', 'when any page_view where (url starts "/x" and |', ['url', 'seconds'], ['job']],
  ['after an event', 'when any download |', ['where', 'within'], ['add', 'and']],
  ['after a whole condition', 'when job = CEO |', ['and', 'or', 'add', 'sub'], ['job']],
  ['after a segment', 'when big |', ['and', 'add'], []],
  ['each takes an event', 'each |', ['page_view', 'download'], ['job']],
  ['each tail', 'each page_view add 2 |', ['up to', 'half-life'], ['and']],
  ['duration units', 'when any download within 30 |', ['days', 'weeks'], []],
  ['inside a group', 'group engagement {\n  |', ['when', 'each'], ['stage', 'lead']],
  ['stage tail', 'stage sales_ready at 40 |', ['requires', 'when'], []],
  ['stage requires fields', 'stage sales_ready at 40 requires |', ['email', 'job', 'big', 'any', 'not'], ['when', ',']],
  ['stage requires condition operators', 'stage sales_ready at 40 requires job, email |', ['ends', 'not ends', 'not in', 'is set', ',', 'when'], ['job']],
  ['stage requires after an item', 'stage sales_ready at 40 requires job, email ends "@acme.fr" |', [',', 'when'], ['job']],
  ['stage requires next item', 'stage sales_ready at 40 requires job, |', ['email', 'big', 'any'], ['when']],
  ['stage requires after an event item', 'stage sales_ready at 40 requires any page_view where url starts "/p", |', ['job', 'big'], ['url']],
  ['stage requires in a list', 'stage sales_ready at 40 requires job in [CEO, |', [], ['when', ',']],
  ['stage requires: no `and` inside an item (commas are the ands)', 'stage sales_ready at 40 requires student |', ['or', ',', 'when', 'is true'], ['and']],
  ['stage requires: `and` inside parentheses', 'stage sales_ready at 40 requires (job = CEO |', ['and', 'or'], []],
  ['negated text operators after `not`', 'stage sales_ready at 40 requires email not |', ['ends', 'ends any', 'starts', 'contains', 'in'], ['job', 'any']],
  ['negated list operators after `not`', 'when tags not |', ['has', 'has any'], ['job', 'ends']],
  ['`not` after `and` still starts a condition', 'when big and not |', ['job', 'any'], ['ends']],
  ['stage condition has score', 'stage sales_ready at 40 when |', ['score', 'fit', 'job'], []],
  ['lead schema types', 'lead {\n  phone: |', ['text', 'number', 'bool', 'date', 'list of text', 'one of'], ['job']],
  ['test keywords', 'test "x" {\n  |', ['now', 'lead', 'events', 'expect'], ['when']],
  ['test lead fields', 'test "x" {\n  lead { |', ['job', 'company.size'], ['page_view']],
  ['test lead values', 'test "x" {\n  lead { company.industry: |', ['services', 'retail'], []],
  ['test events', 'test "x" {\n  events {\n    |', ['page_view', 'download'], ['job']],
  ['test event properties', 'test "x" {\n  events {\n    page_view { |', ['url', 'seconds'], ['asset']],
  ['expect', 'test "x" {\n  expect |', ['score', 'stage', 'no stage', 'group', 'tier', 'no tier', 'rule'], []],
  ['expect rule outcome', 'test "x" {\n  expect rule "Big" |', ['fired', 'not fired'], ['score']],
  ['expect stage names', 'test "x" {\n  expect stage |', ['evaluation', 'purchase'], []],
  ['expect group names', 'test "x" {\n  expect group |', ['fit'], []],
  ['nothing in a comment', '# when |', [], ['job', 'when']],
  ['nothing in a string', 'when job = "CE|', [], ['job', 'CEO']],
  ['after a broken line', 'when job = = ]\nwhen |', ['job', 'big'], []],
  ['unclosed group before a stage', 'group x {\n  when job = CEO add 1\nstage s at 1 when |', ['score', 'fit'], []],
];

describe('completion', () => {
  for (const [name, text, present, absent] of CASES) {
    it(name, () => {
      const got = labels(SCHEMA + text);
      for (const label of present) expect(got, `expected ${label} in ${got.join(', ')}`).toContain(label);
      for (const label of absent) expect(got, `did not expect ${label}`).not.toContain(label);
    });
  }

  it('offers the labels of the rules after `expect rule`, quoted', () => {
    const { state, position } = cursor(`${SCHEMA}when job = CEO add 5 "Décideur \\"DG\\""\ntest "x" {\n  expect rule |`);
    const items = completion(state, { textDocument: { uri: state.uri }, position }, { snippetSupport: false, today: '2026-03-01' }).items;
    const label = items.find((item) => item.label === 'Décideur "DG"');
    expect(label?.textEdit).toMatchObject({ newText: '"Décideur \\"DG\\""' });
    expect(items.map((item) => item.label)).not.toContain('score');
  });

  it('gives fields their type and replaces the word being typed', () => {
    const { state, position } = cursor(SCHEMA + 'when company.si|');
    const items = completion(state, { textDocument: { uri: state.uri }, position }, { snippetSupport: false, today: '2026-03-01' }).items;
    const size = items.find((item) => item.label === 'company.size');
    expect(size?.kind).toBe(CompletionItemKind.Field);
    expect(size?.detail).toBe('number');
    expect(size?.textEdit).toMatchObject({ newText: 'company.size', range: { start: { character: 5 }, end: { character: 15 } } });
    expect(items.find((item) => item.label === 'company.industry')?.detail).toBe('one of [services, retail, public sector]');
  });

  it('quotes one-of values that are not plain words', () => {
    const { state, position } = cursor(SCHEMA + 'when company.industry = |');
    const items = completion(state, { textDocument: { uri: state.uri }, position }, { snippetSupport: false, today: '2026-03-01' }).items;
    expect(items.find((item) => item.label === 'public sector')?.textEdit).toMatchObject({ newText: '"public sector"' });
  });

  it('offers snippets only to clients that take them', () => {
    const { state, position } = cursor(SCHEMA + '|');
    const withSnippets = completion(state, { textDocument: { uri: state.uri }, position }, { snippetSupport: true, today: '2026-03-01' }).items;
    const test = withSnippets.find((item) => item.label === 'test' && item.kind === CompletionItemKind.Snippet);
    expect(test?.insertTextFormat).toBe(InsertTextFormat.Snippet);
    expect(test?.textEdit?.newText).toContain('now ${2:2026-03-01}');
    const each = withSnippets.find((item) => item.label === 'each' && item.kind === CompletionItemKind.Snippet);
    expect(each?.textEdit?.newText).toContain('${1|page_view,download|}');
    const plain = labels(SCHEMA + '|', false);
    expect(plain).toContain('test');
    const { state: s2, position: p2 } = cursor(SCHEMA + '|');
    const items = completion(s2, { textDocument: { uri: s2.uri }, position: p2 }, { snippetSupport: false, today: '2026-03-01' }).items;
    expect(items.every((item) => item.insertTextFormat !== InsertTextFormat.Snippet)).toBe(true);
  });

  it('writes names that need backticks in backticks', () => {
    const { state, position } = cursor('lead {\n  `Lead Source`: text\n  `stage`: text\n}\nwhen |');
    const items = completion(state, { textDocument: { uri: state.uri }, position }, { snippetSupport: false, today: '2026-03-01' }).items;
    expect(items.find((item) => item.label === 'Lead Source')?.textEdit?.newText).toBe('`Lead Source`');
    expect(items.find((item) => item.label === 'stage')?.textEdit?.newText).toBe('`stage`');
  });
});
