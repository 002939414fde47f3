import type { MarkupContent } from 'vscode-languageserver';
import { describe, expect, it } from 'vitest';
import { hover } from '../src/features/hover.js';
import { fixture, positionOf, stateOf } from './helpers.js';

const state = stateOf(fixture('acme.rubric'));

function hoverText(needle: string, n = 0, delta = 1): string {
  const result = hover(state, { textDocument: { uri: state.uri }, position: positionOf(state, needle, n, delta) });
  return result === null ? '' : (result.contents as MarkupContent).value;
}

describe('hover', () => {
  it("shows a field's type and declaration where it is used", () => {
    const text = hoverText('company.size between');
    expect(text).toContain('company.size: number');
    expect(text).toContain('**lead field**');
    expect(text).toMatch(/Declared on line 6/);
  });

  it('shows a one-of field with its values', () => {
    expect(hoverText('company.industry in')).toContain('one of [services, retail, industry, "public sector"]');
  });

  it("shows a let's values", () => {
    const text = hoverText('decision_makers add');
    expect(text).toContain('let decision_makers = [CEO, CTO, "VP Sales", "Directeur achats"]');
    expect(text).toContain('list of 4 values');
  });

  it("shows a segment's condition", () => {
    expect(hoverText('ideal_company add')).toContain(
      'segment ideal_company = company.size between 10 and 250 and company.industry in [services, retail]',
    );
  });

  it("shows a rule's points, group and the group's cap", () => {
    const text = hoverText('add 15', 0, 0);
    expect(text).toContain('`+15` points');
    expect(text).toContain('Ideal company profile');
    expect(text).toContain('Group `fit` (max 60)');
  });

  it('shows an each rule per occurrence with its cap and half-life', () => {
    const text = hoverText('each email_click', 0, 0);
    expect(text).toContain('`+2` points per `email_click`');
    expect(text).toContain('up to 10');
    expect(text).toContain('half-life 30 days');
    expect(text).toContain('Group `engagement` (max 80)');
  });

  it("shows a stage's threshold and requirements", () => {
    const text = hoverText('sales_ready');
    expect(text).toContain('stage sales_ready at 40 requires email, phone when budget_validated');
    expect(text).toContain('at least **40**');
    expect(text).toContain('`email`, `phone` are set');
    expect(text).toContain('`budget_validated` holds');
  });

  it('shows a group where it is read', () => {
    const text = hoverText('fit >= 30');
    expect(text).toContain('group fit max 60');
    expect(text).toMatch(/7 rules/);
  });

  it('shows an event with its properties and a property inside where', () => {
    expect(hoverText('page_view where')).toContain('event page_view { url: text }');
    const property = hoverText('url starts');
    expect(property).toContain('url: text');
    expect(property).toContain('property** of event `page_view`');
  });

  it('says nothing on blank lines', () => {
    expect(hover(state, { textDocument: { uri: state.uri }, position: { line: 14, character: 0 } })).toBeNull();
  });
});

describe('hover: decay and run limits (issue 15)', () => {
  const decayState = stateOf(`lead {
  job: text
}
event email_click
event demo_request

when any demo_request within 90 days add 25 half-life 30 days "Demo"
each email_click add 2 at most once per day decay 25% per month "Clicks"

group engagement max 60 decay 10% per week {
  each email_click add 1 "Engaged"
  when any demo_request add 7 "Demo in group"
  when job = cto add 3 "CTO"
}
`);
  const at = (needle: string): string => {
    const result = hover(decayState, { textDocument: { uri: decayState.uri }, position: positionOf(decayState, needle, 0, 0) });
    return result === null ? '' : (result.contents as MarkupContent).value;
  };

  it("shows a when rule's decay and where its age comes from", () => {
    expect(at('when any demo_request within')).toContain('Decays: half-life 30 days, with the age of the latest `demo_request`');
  });

  it("shows an each rule's run limit and linear decay", () => {
    const text = at('each email_click add 2');
    expect(text).toContain('at most once per day (the latest of each period of age count)');
    expect(text).toContain('decay 25% per 30 days');
  });

  it("shows the group's decay on its rules, and a rule it cannot decay", () => {
    expect(at('each email_click add 1')).toContain('decay 10% per week (from group `engagement`)');
    expect(at('when any demo_request add 7')).toContain('Decays: decay 10% per week (from group `engagement`)');
    expect(at('when job = cto')).toContain('Not decayed');
  });
});
