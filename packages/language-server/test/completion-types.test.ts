import { analyze } from '@rubric/core';
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver';
import { describe, expect, it } from 'vitest';
import { completion } from '../src/features/completion.js';
import { cursor } from './helpers.js';

// Issue 15 (editor): values offered only where they type-check; snippets only at the start of a
// statement, one entry per keyword.
const SCHEMA = `lead {
  job: text
  company.size: number
  company.industry: one of [services, retail, "public sector"]
  student: bool
  signup: date
  tags: list of text
}
event page_view { url: text, seconds: number }
let titles = [CEO, CTO]
let sectors = [services, retail]
let mixed = [services, mining]
let ceo = CEO
let trade = retail
let threshold = 10
let launch = 2026-01-01
let yes = true
group fit max 60 {
  when job = CEO add 10
}
`;

function items(textWithCursor: string, snippetSupport: boolean): CompletionItem[] {
  const { state, position } = cursor(textWithCursor);
  return completion(state, { textDocument: { uri: state.uri }, position }, { snippetSupport, today: '2026-03-01' }).items;
}

/** The labels offered, sorted as the client sorts them. */
function labels(text: string, snippetSupport = true): string[] {
  return items(SCHEMA + text, snippetSupport)
    .sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label))
    .map((item) => item.label);
}

// `account` (issue 17) while the file has no account block.
const STATEMENTS = ['account', 'data', 'each', 'event', 'group', 'lead', 'let', 'score range', 'segment', 'stage', 'table', 'test', 'tier', 'when'];
const CONDITION_START = ['company.industry', 'company.size', 'fit', 'job', 'signup', 'student', 'tags', 'any', 'count', 'days since last', 'no', 'not'];

describe('value completion offers only what type-checks', () => {
  const cases: [string, string, string[]][] = [
    // `ceo` (CEO) is text but not one of the values: R015 there.
    ['one-of field after =', 'when company.industry = |', ['public sector', 'retail', 'services', 'trade']],
    ['one-of field after !=', 'when company.industry != |', ['public sector', 'retail', 'services', 'trade']],
    ['text field after =', 'when job = |', ['ceo', 'trade']],
    ['text field after in', 'when job in |', ['mixed', 'sectors', 'titles']],
    ['text field after not in', 'when job not in |', ['mixed', 'sectors', 'titles']],
    ['one-of field after in: lists of its values only', 'when company.industry in |', ['sectors']],
    ['inside a list on a one-of field', 'when company.industry in [services, |', ['public sector', 'retail', 'sectors', 'services', 'trade']],
    ['number field after >=', 'when company.size >= |', ['threshold']],
    ['number field after <', 'when company.size < |', ['threshold']],
    ['number field after between', 'when company.size between |', ['threshold']],
    ['number field, the high bound of between', 'when company.size between 1 and |', ['threshold']],
    ['date field after >', 'when signup > |', ['launch']],
    ['bool field after =', 'when student = |', ['yes', 'false', 'true']],
    ['a group is a number', 'when fit > |', ['threshold']],
    ['an event count is a number', 'when count page_view within 30 days >= |', ['threshold']],
    ['a number property inside where', 'when any page_view where seconds > |', ['threshold']],
    ['text operators take one text', 'when job starts |', ['ceo', 'trade', 'any']],
    ['text operators with any take a list', 'when job starts any |', ['mixed', 'sectors', 'titles']],
    ['starts on a one-of field matches any text', 'when company.industry starts |', ['ceo', 'trade', 'any']],
    ['has takes one text', 'when tags has |', ['ceo', 'trade', 'any']],
    ['has any takes a list', 'when tags has any |', ['mixed', 'sectors', 'titles']],
    ['a list field compares with nothing', 'when tags = |', []],
    ['test value of a number field', 'test "x" {\n  lead { company.size: |', ['threshold']],
    ['test value of a one-of field', 'test "x" {\n  lead { company.industry: |', ['public sector', 'retail', 'services', 'trade']],
    ['a let may name any let', 'let other = |', ['ceo', 'launch', 'mixed', 'sectors', 'threshold', 'titles', 'trade', 'yes']],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      expect(labels(text)).toEqual(expected);
    });
  }
});

describe('the checker agrees with what is offered', () => {
  const LISTS = ['titles', 'sectors', 'mixed'];
  const LETS = [...LISTS, 'ceo', 'trade', 'threshold', 'launch', 'yes'];
  // Each position is completed into a whole rule; `|` is where a `let` goes. Where a list is
  // expected (`in`, `any`) the checker also takes one text, and `starts`/`has` also take a list
  // (any of its values): completion offers the form that reads as meant (a list after `in` and
  // `any`, one text after `starts` and `has`), so completeness is checked over that form only.
  const positions: [string, 'list' | 'text' | undefined][] = [
    ['when company.industry = |', undefined],
    ['when company.industry in |', 'list'],
    ['when job = |', undefined],
    ['when job not in |', 'list'],
    ['when company.size >= |', undefined],
    ['when company.size between 1 and |', undefined],
    ['when signup > |', undefined],
    ['when student = |', undefined],
    ['when fit > |', undefined],
    ['when count page_view >= |', undefined],
    ['when job starts |', 'text'],
    ['when job ends any |', 'list'],
    ['when tags has |', 'text'],
    ['when tags has any |', 'list'],
  ];
  for (const [position, form] of positions) {
    it(position, () => {
      const offered = new Set(labels(position));
      for (const name of LETS) {
        const rule = position.replace('|', name) + ' add 1';
        const errors = analyze(SCHEMA + rule).diagnostics.filter((d) => d.severity === 'error');
        const why = `${rule}: ${errors.map((d) => `${d.code} ${d.message}`).join('; ') || 'no error'}`;
        // Sound: whatever is offered type-checks.
        if (offered.has(name)) expect(errors, why).toEqual([]);
        // Complete: whatever type-checks (in the form offered there) is offered.
        const ofForm = form === undefined || (form === 'list') === LISTS.includes(name);
        if (errors.length === 0 && ofForm) expect(offered.has(name), why).toBe(true);
      }
    });
  }
});

describe('snippets only at the start of a statement, one entry per keyword', () => {
  it('start of a line: each statement keyword once', () => {
    const got = labels('|');
    expect(got).toEqual(STATEMENTS);
    expect(new Set(got).size).toBe(got.length);
  });

  it('a keyword with a template is its snippet, showing the shape', () => {
    const all = items(SCHEMA + '|', true);
    const when = all.filter((item) => item.label === 'when');
    expect(when).toHaveLength(1);
    expect(when[0]).toMatchObject({ kind: CompletionItemKind.Snippet, detail: 'when CONDITION add N "label"', insertTextFormat: InsertTextFormat.Snippet });
    expect(all.find((item) => item.label === 'data')).toMatchObject({ kind: CompletionItemKind.Keyword });
  });

  it('a client without snippets gets each keyword once, as a keyword', () => {
    const all = items(SCHEMA + '|', false);
    expect(all.map((item) => item.label).sort()).toEqual(STATEMENTS);
    expect(all.every((item) => item.kind === CompletionItemKind.Keyword && item.insertTextFormat === undefined)).toBe(true);
    expect(all.find((item) => item.label === 'when')?.textEdit?.newText).toBe('when ');
  });

  it('a partly typed keyword at the start of a line', () => {
    expect(labels('wh|')).toEqual(STATEMENTS);
  });

  it('inside a group: when and each once', () => {
    expect(labels('group engagement {\n  |')).toEqual(['each', 'when']);
  });

  it('a blank document also offers a whole new file, which checks cleanly', () => {
    for (const text of ['|', '  \n|\n', 'rub|']) {
      const all = items(text, true);
      const file = all.find((item) => item.label === 'rubric-file');
      expect(file, JSON.stringify(text)).toMatchObject({ kind: CompletionItemKind.Snippet, insertTextFormat: InsertTextFormat.Snippet });
      expect(all.filter((item) => item.label === 'rubric-file')).toHaveLength(1);
      // The template with each placeholder replaced by its default.
      const body = (file?.textEdit?.newText ?? '').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$0/g, '');
      expect(body).toContain('now 2026-03-01');
      expect(analyze(body).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    }
    expect(items('|', false).map((item) => item.label)).not.toContain('rubric-file');
    expect(labels('|')).not.toContain('rubric-file');
    expect(items('when job = CEO add 1\n|', true).map((item) => item.label)).not.toContain('rubric-file');
  });

  it('after when: the condition, no snippet', () => {
    const got = items(SCHEMA + 'when |', true);
    expect(got.filter((item) => item.kind === CompletionItemKind.Snippet)).toEqual([]);
    expect(labels('when |')).toEqual(CONDITION_START);
  });

  it('after an operator and after =: no snippet', () => {
    for (const text of ['when job |', 'when job = |', 'when company.size >= |', 'when job in |', 'segment big = |', 'stage s at 10 when |']) {
      const got = items(SCHEMA + text, true);
      expect(got.filter((item) => item.kind === CompletionItemKind.Snippet || STATEMENTS.includes(item.label)), text).toEqual([]);
    }
  });
});
