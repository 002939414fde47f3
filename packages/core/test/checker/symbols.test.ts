import { describe, expect, it } from 'vitest';
import { checkText, renderRange } from './support.js';

const TEXT = `lead {
  job: text
  email: text
  company.size: number
  plan: one of [free, pro]
}
event page_view { url: text }
let titles = [CEO, CTO]
segment smb = company.size < 50
group fit max 60 {
  when smb and job in titles add 10
  when any page_view where url starts "/pricing" add 5
}
stage mql at 10 requires email when fit >= 10
tier A when score >= 10
test "ceo" {
  now 2026-03-01
  lead { job: CEO, plan: pro }
  events { page_view { url: "/pricing" } at 2026-02-01 }
  expect stage mql
  expect group fit 15
  expect tier A
}
`;

describe('symbol table', () => {
  const { symbols } = checkText(TEXT);
  const slice = (range: { start: { offset: number }; end: { offset: number } }) => TEXT.slice(range.start.offset, range.end.offset);

  it('declares every field, event, property, let, segment, group, stage, tier and test', () => {
    expect(symbols.declarations.map((d) => [d.key, d.kind, d.name, slice(d.nameRange), d.detail, d.container ?? null])).toEqual([
      ['field:job', 'field', 'job', 'job', 'text', null],
      ['field:email', 'field', 'email', 'email', 'text', null],
      ['field:company.size', 'field', 'company.size', 'company.size', 'number', null],
      ['field:plan', 'field', 'plan', 'plan', 'one of [free, pro]', null],
      ['event:page_view', 'event', 'page_view', 'page_view', 'event { url: text }', null],
      ['property:page_view.url', 'property', 'url', 'url', 'text', 'page_view'],
      ['let:titles', 'let', 'titles', 'titles', 'list [CEO, CTO]', null],
      ['segment:smb', 'segment', 'smb', 'smb', 'company.size < 50', null],
      ['group:fit', 'group', 'fit', 'fit', 'max 60', null],
      ['stage:mql', 'stage', 'mql', 'mql', 'at 10', null],
      ['tier:A', 'tier', 'A', 'A', 'score >= 10', null],
      ['test:ceo', 'test', 'ceo', '"ceo"', 'test', null],
    ]);
    const group = symbols.declarations.find((d) => d.key === 'group:fit');
    expect(group && slice(group.range).startsWith('group fit max 60 {')).toBe(true);
  });

  it('records every resolved use, in source order, at the exact range of the name', () => {
    expect(symbols.references.map((r) => `${r.key} ${renderRange(r.range)} ${slice(r.range)}`)).toEqual([
      'field:company.size 9:15..9:27 company.size',
      'segment:smb 11:8..11:11 smb',
      'field:job 11:16..11:19 job',
      'let:titles 11:23..11:29 titles',
      'event:page_view 12:12..12:21 page_view',
      'property:page_view.url 12:28..12:31 url',
      'field:email 14:26..14:31 email',
      'group:fit 14:37..14:40 fit',
      'field:job 18:10..18:13 job',
      'field:plan 18:20..18:24 plan',
      'event:page_view 19:12..19:21 page_view',
      'property:page_view.url 19:24..19:27 url',
      'stage:mql 20:16..20:19 mql',
      'group:fit 21:16..21:19 fit',
      'tier:A 22:15..22:16 A',
    ]);
  });

  it('keeps one declaration per name when a name is declared twice', () => {
    const { symbols: dup } = checkText('lead { job: text }\nlet a = [x]\nlet a = [y]\nwhen job in a add 1\n');
    expect(dup.declarations.filter((d) => d.key === 'let:a')).toHaveLength(1);
    expect(dup.references.map((r) => r.key)).toEqual(['field:job', 'let:a']);
  });
});
