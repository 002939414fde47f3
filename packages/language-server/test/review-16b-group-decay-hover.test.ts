/**
 * Review 16b: hovering a decaying group's name or its `decay 25% per month` showed only its rule
 * count and clamp, nothing of the decay every one of its rules follows.
 */
import { describe, expect, it } from 'vitest';
import type { MarkupContent } from 'vscode-languageserver';
import { hover } from '../src/features/hover.js';
import { positionOf, stateOf } from './helpers.js';

const FILE = `lead {
  job: text
}
event email_click
event webinar

group engagement max 60 decay 25% per month {
  each email_click add 2 "Clicks"
  when any webinar add 10 "Webinar"
}

group fit max 40 half-life 2 weeks {
  when any webinar add 5
}

group plain max 10 {
  when job = cto add 5
}
`;

function hoverAt(needle: string, delta = 1): string {
  const state = stateOf(FILE);
  const result = hover(state, { textDocument: { uri: state.uri }, position: positionOf(state, needle, 0, delta) });
  return result === null ? '' : (result.contents as MarkupContent).value;
}

describe('hover on a decaying group', () => {
  it('shows the decay its rules follow, on the name and on the decay', () => {
    expect(hoverAt('engagement')).toContain('decay 25% per 30 days');
    expect(hoverAt('decay 25%')).toContain('decay 25% per 30 days');
    expect(hoverAt('fit max')).toContain('half-life 2 weeks');
  });

  it('says nothing of decay on a group without one', () => {
    expect(hoverAt('plain')).not.toMatch(/decay|half-life/);
  });
});
