// Issue 15: conditions in a stage's `requires` and explanations that say which requirement and
// which part of a stage's `when` failed, by source text.
import { describe, expect, it } from 'vitest';
import { compile, type CompiledScorer } from '../../src/compiler/compile.js';
import { stageConditionReasons } from '../../src/explain/stage-failures.js';
import { rubricString } from '../../src/profile/suggest.js';
import { HOSTILE_STRINGS } from '../support/hostile.js';

function compileText(text: string): CompiledScorer {
  const { scorer, diagnostics } = compile(text);
  if (scorer === null) throw new Error(diagnostics.map((d) => `${d.range.start.line}: ${d.message}`).join('\n'));
  return scorer;
}

const RULES = `
lead {
  email: text
  phone: text
  mobile: text
  opted_in: bool
  country: text
  company.size: number
}
let personal_domains = ["gmail.com", "yahoo.fr"]
when company.size > 50 add 60
stage contact at 10 requires phone or mobile
stage mql at 50 requires phone, email not ends any personal_domains when country in [FR, BE] and company.size < 1000
stage sql at 55 when (country = FR or country = BE) and company.size >= 500
`;

describe('stage requires conditions', () => {
  const scorer = compileText(RULES);
  const now = '2026-03-01T00:00:00Z';

  it('a condition in requires must hold; a missing value fails `not ends`', () => {
    expect(scorer.score({ 'company.size': 60, phone: '1', email: 'a@acme.fr', country: 'FR' }, { now }).stage).toBe('mql');
    expect(scorer.score({ 'company.size': 60, phone: '1', email: 'a@gmail.com', country: 'FR' }, { now }).stage).toBe('contact');
    // No email: `email not ends any ...` is false (like `not in`), so not mql.
    expect(scorer.score({ 'company.size': 60, phone: '1', country: 'FR' }, { now }).stage).toBe('contact');
    // `requires phone`: a bare field must be set.
    expect(scorer.score({ 'company.size': 60, mobile: '1', email: 'a@acme.fr', country: 'FR' }, { now }).stage).toBe('contact');
  });

  it('`requires phone or mobile`: a bare field in an `or` means it is set', () => {
    expect(scorer.score({ 'company.size': 1, mobile: '06' }, { now }).stage).toBe(null);
    expect(scorer.score({ 'company.size': 60, mobile: '06' }, { now }).stage).toBe('contact');
    expect(scorer.score({ 'company.size': 60 }, { now }).stage).toBe(null);
  });

  it('explain says which requirement and which part of `when` failed', () => {
    const explanation = scorer.explain({ 'company.size': 2000, phone: '1', email: 'a@gmail.com', country: 'DE' }, { now });
    const mql = explanation.stages.find((s) => s.name === 'mql');
    expect(mql).toMatchObject({
      reached: false,
      scoreReached: true,
      missing: [],
      failedRequirements: [{ text: 'email not ends any personal_domains', alternatives: [] }],
      conditionHolds: false,
      failedWhen: [
        { text: 'country in [FR, BE]', alternatives: [] },
        { text: 'company.size < 1000', alternatives: [] },
      ],
    });
    expect(stageConditionReasons(mql!)).toEqual([
      '`email not ends any personal_domains` does not hold',
      'its `when` fails at `country in [FR, BE]` and `company.size < 1000`',
    ]);
    const sql = explanation.stages.find((s) => s.name === 'sql');
    expect(sql?.failedWhen).toEqual([{ text: 'country = FR or country = BE', alternatives: ['country = FR', 'country = BE'] }]);
    expect(stageConditionReasons(sql!)).toEqual(['its `when` fails at `country = FR or country = BE` (neither holds)']);
    const contact = scorer.explain({ 'company.size': 60 }, { now }).stages.find((s) => s.name === 'contact');
    expect(contact?.failedRequirements).toEqual([{ text: 'phone or mobile', alternatives: ['phone', 'mobile'] }]);
    expect(stageConditionReasons(contact!)).toEqual(['neither `phone` nor `mobile` holds']);
  });

  it('a reached stage and a stage that holds report no failures', () => {
    const explanation = scorer.explain({ 'company.size': 600, phone: '1', email: 'a@acme.fr', country: 'FR' }, { now });
    for (const stage of explanation.stages) {
      expect(stage.failedRequirements).toEqual([]);
      expect(stage.failedWhen).toEqual([]);
    }
    expect(explanation.stage).toBe('sql');
  });

  it('source text with hostile strings is inert data in the scorer and its module', () => {
    for (const hostile of HOSTILE_STRINGS) {
      const text = `lead {\n  email: text\n}\nwhen email is set add 10\nstage s at 5 requires email not contains ${rubricString(hostile)} when email != ${rubricString(hostile)} and email != "x"\n`;
      const { scorer: compiled, diagnostics } = compile(text);
      expect(diagnostics.filter((d) => d.severity === 'error'), hostile).toEqual([]);
      expect(compiled!.javascript).not.toMatch(/[^\x20-\x7e\n]/);
      const stage = compiled!.explain({ email: hostile }, { now }).stages[0];
      expect(stage.reached).toBe(false);
      // Source text as one line: white space runs (also inside quotes) shown as one space.
      const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
      expect(stage.failedRequirements[0]?.text).toBe(oneLine(`email not contains ${rubricString(hostile)}`));
      expect(stage.failedWhen[0]?.text).toBe(oneLine(`email != ${rubricString(hostile)}`));
    }
  });
});
