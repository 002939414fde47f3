import { describe, expect, it } from 'vitest';
import type { Cond, RuleInfo } from '../../src/checker/model.js';
import { checkText } from './support.js';

/** A condition without ranges, for comparing shapes. */
function shape(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'range' ? undefined : v)));
}

function conditionOf(rule: RuleInfo): Cond {
  if (rule.kind !== 'when') throw new Error('not a when rule');
  return rule.condition;
}

const SCHEMA = `
lead {
  job: text
  email: text
  company.size: number
  company.industry: one of [Services, "Santé", retail]
  student: bool
  signup: date
  tags: list of text
}
event page_view { url: text, seconds: number }
event email_click
`;

function model(rules: string) {
  const analysis = checkText(`${SCHEMA}\n${rules}\n`);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return analysis.model;
}

describe('resolved conditions', () => {
  it('folds text values and resolves bare words to `let`s, splicing list `let`s into lists', () => {
    const m = model(`
let titles = [CEO, "Directeur Général"]
let leaders = [titles, "  VP Sales "]
let gmail = '@GMAIL.com'
when job in leaders add 1
when job = CEO add 1
when email ends gmail add 1
when job not in [titles, CFO] add 1`);
    expect(shape(m.lets.get('leaders')?.value)).toEqual({
      kind: 'list',
      values: ['CEO', 'Directeur Général', '  VP Sales '],
      folded: ['ceo', 'directeur general', 'vp sales'],
    });
    const field = { kind: 'field', name: 'job', type: { kind: 'text' } };
    expect(shape(conditionOf(m.rules[0]))).toEqual({ kind: 'test', subject: field, test: { kind: 'text-in', values: ['ceo', 'directeur general', 'vp sales'], negated: false } });
    expect(shape(conditionOf(m.rules[1]))).toEqual({ kind: 'test', subject: field, test: { kind: 'text-in', values: ['ceo'], negated: false } });
    expect(shape(conditionOf(m.rules[2]))).toMatchObject({ test: { kind: 'text-match', operator: 'ends', values: ['@gmail.com'] } });
    expect(shape(conditionOf(m.rules[3]))).toMatchObject({ test: { kind: 'text-in', values: ['ceo', 'directeur general', 'cfo'], negated: true } });
  });

  it('reports `= list` and keeps the other rules', () => {
    const analysis = checkText(`${SCHEMA}\nlet titles = [CEO]\nwhen job = titles add 1\nwhen job = CEO add 2\n`);
    expect(analysis.diagnostics.map((d) => d.code)).toContain('R032');
    expect(analysis.model.rules).toHaveLength(2);
    expect(shape(conditionOf(analysis.model.rules[0]))).toEqual({ kind: 'or', operands: [] });
  });

  it('keeps `one of` values folded and as written', () => {
    const m = model('when company.industry = santé add 1');
    expect(m.fields.get('company.industry')?.type).toEqual({ kind: 'one-of', values: ['services', 'sante', 'retail'], written: ['Services', 'Santé', 'retail'] });
    expect(shape(conditionOf(m.rules[0]))).toMatchObject({ test: { kind: 'text-in', values: ['sante'], negated: false } });
  });

  it('turns numbers, dates and relative times into numeric checks', () => {
    const m = model(`
let min_size = 10
when company.size >= min_size add 1
when 250 > company.size add 1
when signup > 30 days ago add 1
when signup <= 2 weeks from now add 1
when signup between 2026-01-01 and 2026-03-01T12:00:00Z add 1
when company.size between 10 and 250.5 add 1`);
    expect(shape(conditionOf(m.rules[0]))).toMatchObject({ test: { kind: 'compare', operator: '>=', value: { kind: 'const', value: 10 } } });
    // A value on the left is turned around.
    expect(shape(conditionOf(m.rules[1]))).toMatchObject({ subject: { name: 'company.size' }, test: { kind: 'compare', operator: '<', value: { kind: 'const', value: 250 } } });
    expect(shape(conditionOf(m.rules[2]))).toMatchObject({ test: { kind: 'compare', operator: '>', value: { kind: 'relative', offsetSeconds: -2592000 } } });
    expect(shape(conditionOf(m.rules[3]))).toMatchObject({ test: { kind: 'compare', operator: '<=', value: { kind: 'relative', offsetSeconds: 1209600 } } });
    expect(shape(conditionOf(m.rules[4]))).toMatchObject({
      test: { kind: 'between', low: { kind: 'const', value: Date.UTC(2026, 0, 1) / 1000 }, high: { kind: 'const', value: Date.UTC(2026, 2, 1, 12) / 1000 } },
    });
    expect(shape(conditionOf(m.rules[5]))).toMatchObject({ test: { kind: 'between', low: { value: 10 }, high: { value: 250.5 } } });
  });

  it('reads booleans alone, with `is`, and with `=`/`!=`', () => {
    const m = model(`
when student sub 1
when student is false add 1
when student = false add 1
when student != true add 1
when student != false add 1
when email is set and tags is missing add 1
when tags has any [SaaS, b2b] add 1`);
    const tests = m.rules.slice(0, 5).map((r) => (shape(conditionOf(r)) as { test: unknown }).test);
    expect(tests).toEqual([{ kind: 'is-true' }, { kind: 'is-false' }, { kind: 'is-false' }, { kind: 'is-false' }, { kind: 'is-true' }]);
    expect(shape(conditionOf(m.rules[5]))).toMatchObject({ kind: 'and', operands: [{ test: { kind: 'is-set' } }, { test: { kind: 'is-missing' } }] });
    expect(shape(conditionOf(m.rules[6]))).toMatchObject({ subject: { name: 'tags', type: { kind: 'list' } }, test: { kind: 'has', values: ['saas', 'b2b'] } });
  });

  it('drops parentheses and keeps `and`, `or`, `not` and segments', () => {
    const m = model(`
segment smb = company.size < 50
when (smb or (job = CEO)) and not (student) add 1`);
    expect(shape(conditionOf(m.rules[0]))).toEqual({
      kind: 'and',
      operands: [
        { kind: 'or', operands: [{ kind: 'segment', name: 'smb' }, { kind: 'test', subject: { kind: 'field', name: 'job', type: { kind: 'text' } }, test: { kind: 'text-in', values: ['ceo'], negated: false } }] },
        { kind: 'not', operand: { kind: 'test', subject: { kind: 'field', name: 'student', type: { kind: 'bool' } }, test: { kind: 'is-true' } } },
      ],
    });
    expect(shape(m.segments.get('smb')?.condition)).toMatchObject({ kind: 'test', test: { kind: 'compare', operator: '<' } });
  });

  it('resolves event conditions against the event properties', () => {
    const m = model(`
let pricing = "/Pricing"
when any page_view where (url starts pricing and seconds > 30) within 7 days add 1
when no email_click within 90 days sub 1
when count page_view where url contains "doc" >= 3 add 1
when days since last email_click between 1 and 7 add 1`);
    const url = { kind: 'property', event: 'page_view', name: 'url', type: { kind: 'text' } };
    expect(shape(conditionOf(m.rules[0]))).toEqual({
      kind: 'event-exists',
      quantifier: 'any',
      query: {
        event: 'page_view',
        where: {
          kind: 'and',
          operands: [
            { kind: 'test', subject: url, test: { kind: 'text-match', operator: 'starts', values: ['/pricing'] } },
            { kind: 'test', subject: { kind: 'property', event: 'page_view', name: 'seconds', type: { kind: 'number' } }, test: { kind: 'compare', operator: '>', value: { kind: 'const', value: 30 } } },
          ],
        },
        withinSeconds: 604800,
      },
    });
    expect(shape(conditionOf(m.rules[1]))).toEqual({ kind: 'event-exists', quantifier: 'no', query: { event: 'email_click', withinSeconds: 7776000 } });
    expect(shape(conditionOf(m.rules[2]))).toMatchObject({ kind: 'event-count', check: { kind: 'compare', operator: '>=', value: { kind: 'const', value: 3 } } });
    expect(shape(conditionOf(m.rules[3]))).toMatchObject({ kind: 'days-since', query: { event: 'email_click' }, check: { kind: 'between', low: { value: 1 }, high: { value: 7 } } });
  });

  it('reads `score` and groups in stages and tiers', () => {
    const m = model(`
group fit max 50 { when job = CEO add 30 }
stage mql at 10 requires email when fit >= 20
tier A when score >= 20 and fit >= 10`);
    expect(shape(m.stages[0])).toMatchObject({ name: 'mql', threshold: 10, requires: ['email'], when: { kind: 'test', subject: { kind: 'group', name: 'fit' } } });
    expect(shape(m.tiers[0].condition)).toMatchObject({ kind: 'and', operands: [{ subject: { kind: 'score' } }, { subject: { kind: 'group', name: 'fit' } }] });
  });
});

describe('rules and groups', () => {
  it('numbers every rule in file order with its group, signed points, line and label', () => {
    const m = model(`
when job = CEO add 10
group fit max 60 min -10 {
  when student sub 5 "Student"
  when job   in [CTO,  # finance too
     CFO]   add 2.5
}
each email_click within 30 days add 2 up to 10 half-life 7 days`);
    expect(m.rules.map((r) => [r.index, r.group, r.points, r.line, r.label, r.hasLabel])).toEqual([
      [0, null, 10, 15, 'when job = CEO add 10', false],
      [1, 'fit', -5, 17, 'Student', true],
      [2, 'fit', 2.5, 18, 'when job in [CTO, CFO] add 2.5', false],
      [3, null, 2, 21, 'each email_click within 30 days add 2 up to 10 half-life 7 days', false],
    ]);
    const each = m.rules[3];
    expect(each.kind === 'each' && { cap: each.cap, halfLife: each.halfLifeSeconds, query: shape(each.query) }).toEqual({
      cap: 10,
      halfLife: 604800,
      query: { event: 'email_click', withinSeconds: 2592000 },
    });
    expect(m.groups.map((g) => [g.name, g.min, g.max, g.rules.map((r) => r.index)])).toEqual([['fit', -10, 60, [1, 2]]]);
    expect(m.rules[1]).toBe(m.groups[0].rules[0]);
  });

  it('orders groups so each comes after the groups it reads', () => {
    const m = model(`
segment engaged = engagement >= 10
group tier_bonus { when fit >= 10 and engaged add 5 }
group fit max 50 { when job = CEO add 20 }
group engagement max 50 { each email_click add 5 }
when tier_bonus > 0 add 1`);
    expect(m.groupOrder).toEqual(['fit', 'engagement', 'tier_bonus']);
    expect(m.groups.map((g) => [g.name, g.dependsOn])).toEqual([
      ['tier_bonus', ['fit', 'engagement']],
      ['fit', []],
      ['engagement', []],
    ]);
  });

  it('keeps the score range, stages in file order, and the tests', () => {
    const m = model(`
when job = CEO add 10
score range 0 to 100
stage a at 0
stage b at 10
test "t" { lead { job: CEO } expect score 10 }`);
    expect(m.scoreRange).toEqual({ min: 0, max: 100 });
    expect(m.stages.map((s) => s.name)).toEqual(['a', 'b']);
    expect(m.tests.map((t) => t.name.value)).toEqual(['t']);
  });
});

describe('a file with errors', () => {
  it('still yields a model: every rule, unresolved parts false', () => {
    const analysis = checkText(`${SCHEMA}\nwhen compnay.size > 10 and job = CEO add 1\nwhen job = CTO add 2\n`);
    expect(analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual(['unknown field `compnay.size`; did you mean `company.size`?']);
    expect(analysis.model.rules).toHaveLength(2);
    expect(shape(conditionOf(analysis.model.rules[0]))).toMatchObject({ kind: 'and', operands: [{ kind: 'or', operands: [] }, { kind: 'test' }] });
  });
});
