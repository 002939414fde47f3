/**
 * Review 16b: R052/R053 said "it tests no event" for rules that DO test an event (`no EVENT`,
 * `count distinct EVENT.prop`), which sent a user looking for a missing event test.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';

const FILE = `lead {
  size: number
}
event page_view { url: text }
event demo_request

when no demo_request add 5 half-life 7 days
group engagement max 60 decay 25% per month {
  when count distinct page_view.url within 30 days >= 3 add 4 "Pages"
  when size > 100 add 3
}
`;

describe('R052/R053 on a rule with no `any EVENT` test', () => {
  const diagnostics = analyze(FILE).diagnostics.filter((d) => d.code === 'R052' || d.code === 'R053');

  it('never claims that a rule testing an event tests none', () => {
    expect(diagnostics.map((d) => d.code)).toEqual(['R052', 'R053', 'R053']);
    for (const d of diagnostics) {
      expect(d.message).not.toContain('tests no event');
      expect(d.message).toContain('no `any EVENT` test');
    }
  });
});
