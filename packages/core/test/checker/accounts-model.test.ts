// Issue 17: the checked model of a file with accounts (the design example of docs/language.md,
// "Accounts"): the account fields and key, the synthetic contact fields, the aggregates over
// contacts, the account scoring as a model of its own, and the symbols across the two levels.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/checker/model.js';
import { checkText } from './support.js';

const EXAMPLE = readFileSync(fileURLToPath(new URL('./golden/accounts-design-example.rubric', import.meta.url)), 'utf8');

/** A value without ranges and declarations, for comparing shapes. */
function shape(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'range' || key === 'decl' ? undefined : v)));
}

function analysed(text: string): ReturnType<typeof checkText> {
  const analysis = checkText(text);
  expect(analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return analysis;
}

function account(model: Model): NonNullable<Model['account']> {
  if (model.account === null) throw new Error('no account model');
  return model.account;
}

describe('the account model of the design example', () => {
  const analysis = analysed(EXAMPLE);
  const a = account(analysis.model);

  it('has the key, the account fields and the contact model`s synthetic fields', () => {
    expect(a.key).toEqual({ accountField: 'id', leadField: 'company.id' });
    expect([...a.fields.keys()]).toEqual(['id', 'name', 'industry', 'employees', 'plan']);
    expect(a.scoringDecl?.kind).toBe('AccountScoringDecl');
    const synthetic = [...analysis.model.fields.values()].filter((f) => f.synthetic !== undefined).map((f) => `${f.name} ${f.synthetic} ${f.type.kind}`);
    expect(synthetic).toEqual([
      'account.id account-field text',
      'account.name account-field text',
      'account.industry account-field one-of',
      'account.employees account-field number',
      'account.plan account-field one-of',
      'account.stage account-result one-of',
      'account.score account-result number',
      'account.tier account-result one-of',
    ]);
    // The account field's own declaration, and the account's stage names for `account.stage`.
    expect(analysis.model.fields.get('account.employees')?.decl).toBe(a.fields.get('employees')?.decl);
    expect(shape(analysis.model.fields.get('account.stage')?.type)).toEqual({ kind: 'one-of', values: ['target', 'engaged', 'buying'], written: ['target', 'engaged', 'buying'] });
    expect(shape(analysis.model.fields.get('account.tier')?.type)).toEqual({ kind: 'one-of', values: ['strategic'], written: ['strategic'] });
    expect(a.contactsReadAccountResult).toBe(false);
  });

  it('lists every test over contacts as a synthetic field, with its where in the contact scope', () => {
    expect(a.aggregates.map((g) => [g.field, g.kind, shape(g.of), g.top, g.text])).toEqual([
      ['contacts#1', 'count', null, null, 'count contacts where job in decision_makers'],
      ['contacts#2', 'count', null, null, 'count contacts where engaged_30'],
      ['contacts#3', 'best', { kind: 'score' }, null, 'best score of contacts'],
      ['contacts#4', 'sum', { kind: 'score' }, 3, 'sum score of top 3 contacts'],
      ['contacts#5', 'average', { kind: 'group', name: 'fit' }, null, 'average fit of contacts where job in decision_makers'],
      ['contacts#6', 'count', null, null, 'count contacts where stage >= mql'],
      ['contacts#7', 'count', null, null, 'count contacts where (job in decision_makers and engaged_30)'],
    ]);
    expect(shape(a.aggregates[1].where)).toEqual({ kind: 'segment', name: 'engaged_30' });
    expect(a.aggregates[2].where).toBeNull();
    // `stage >= mql` is `mql` and every later contact stage (there is one).
    expect(shape(a.aggregates[5].where)).toEqual({
      kind: 'test',
      subject: { kind: 'stage', type: { kind: 'one-of', values: ['mql'], written: ['mql'] } },
      test: { kind: 'text-in', values: ['mql'], negated: false },
    });
    expect(shape(a.aggregates[0].where)).toEqual({
      kind: 'test',
      subject: { kind: 'field', name: 'job', type: { kind: 'text' } },
      test: { kind: 'text-in', values: ['ceo', 'cfo', 'cto', 'directeur general', 'daf'], negated: false },
    });
  });

  it('scores accounts with a model of their own: account fields, aggregates, the file`s events', () => {
    const s = a.scoring;
    expect([...s.fields.entries()].map(([name, f]) => `${name}:${f.type.kind}${f.synthetic === undefined ? '' : `/${f.synthetic}`}`)).toEqual([
      'id:text',
      'name:text',
      'industry:one-of',
      'employees:number',
      'plan:one-of',
      ...[1, 2, 3, 4, 5, 6, 7].map((i) => `contacts#${i}:number/aggregate`),
    ]);
    expect(s.events).toBe(analysis.model.events);
    expect(s.lets).toBe(analysis.model.lets);
    expect(s.tables).toBe(analysis.model.tables);
    expect(s.account).toBeNull();
    expect(s.tests).toEqual([]);
    expect(s.groups.map((g) => [g.name, g.max, g.rules.length])).toEqual([['committee', 60, 2]]);
    expect(s.stages.map((st) => [st.name, st.threshold])).toEqual([
      ['target', 0],
      ['engaged', 30],
      ['buying', 60],
    ]);
    expect(s.tiers.map((t) => t.name)).toEqual(['strategic']);
    expect(s.rules.map((r) => `${r.kind} ${r.points} ${r.group ?? '-'}`)).toEqual([
      'when 10 -',
      'when 10 -',
      'when 20 committee',
      'when 20 committee',
      'when 15 -',
      'when 10 -',
      'when 5 -',
      'when 10 -',
      'when 10 -',
      'each 1 -',
    ]);
    // A test over contacts is a numeric test of its field; events are those of all contacts.
    const third = s.rules[2];
    expect(third.kind === 'when' && shape(third.condition)).toEqual({
      kind: 'test',
      subject: { kind: 'field', name: 'contacts#1', type: { kind: 'number' } },
      test: { kind: 'compare', operator: '>=', value: { kind: 'const', value: 1 } },
    });
    const stage = s.stages[2];
    expect(shape(stage.when)).toEqual({ kind: 'test', subject: { kind: 'field', name: 'contacts#7', type: { kind: 'number' } }, test: { kind: 'compare', operator: '>=', value: { kind: 'const', value: 1 } } });
    const each = s.rules[9];
    expect(each.kind === 'each' && each.query.event).toBe('email_click');
    // The contact model keeps its own rules only.
    expect(analysis.model.rules.map((r) => r.points)).toEqual([20, 10]);
    expect(analysis.model.stages.map((st) => st.name)).toEqual(['mql']);
  });

  it('declares account fields as account-field symbols, used from both levels', () => {
    const { declarations, references } = analysis.symbols;
    const keys = declarations.map((d) => d.key);
    expect(keys).toEqual(expect.arrayContaining(['account-field:id', 'account-field:industry', 'account-field:employees', 'group:committee', 'stage:buying', 'tier:strategic', 'group:fit', 'stage:mql']));
    expect(keys.filter((k) => k.startsWith('field:'))).toEqual(['field:email', 'field:job', 'field:company.id']);
    const employees = references.filter((r) => r.key === 'account-field:employees');
    // `account.employees` in the contact group (the name part only), `employees` in two account
    // rules and a tier, and in the account test.
    const text = EXAMPLE;
    expect(employees.map((r) => text.slice(r.range.start.offset, r.range.end.offset))).toEqual(['employees', 'employees', 'employees', 'employees']);
    expect(employees.map((r) => r.range.start.line)).toEqual([23, 29, 43, 48]);
    expect(text.slice(employees[0].range.start.offset - 'account.'.length, employees[0].range.end.offset)).toBe('account.employees');
    // The key: the account field and the lead field after `=`.
    expect(references.filter((r) => r.range.start.line === 10).map((r) => r.key)).toEqual(['account-field:id', 'field:company.id']);
    // Contact names read inside a test over contacts are the contact level's symbols.
    expect(references.filter((r) => r.key === 'segment:engaged_30').length).toBe(2);
    expect(references.filter((r) => r.key === 'stage:mql').length).toBe(1);
    expect(references.filter((r) => r.key === 'stage:buying').length).toBe(1);
    expect(references.some((r) => r.key.startsWith('field:contacts#') || r.key.startsWith('field:account.'))).toBe(false);
  });
});

describe('account model edges', () => {
  it('reads the account result in contact rules without a cycle when the account reads only contact fields', () => {
    const { model } = analysed(`
lead {
  job: text
  company.id: number
}
account id = company.id {
  id: number
}
when job = CEO add 10
when account.stage = hot add 5
when account.score >= 10 add 1
score accounts {
  when count contacts where job = CEO >= 1 add 20
  stage hot at 10
}
`);
    const a = account(model);
    expect(a.contactsReadAccountResult).toBe(true);
    expect(a.key).toEqual({ accountField: 'id', leadField: 'company.id' });
  });

  it('scores an account block without `score accounts` as a model with no rules', () => {
    const { model } = analysed(`
lead {
  job: text
  company.id: text
}
account id = company.id {
  id: text
  size: number
}
when job = CEO and account.size > 10 add 10
`);
    const a = account(model);
    expect(a.scoringDecl).toBeNull();
    expect(a.aggregates).toEqual([]);
    expect(a.scoring.rules).toEqual([]);
    expect([...a.scoring.fields.keys()]).toEqual(['id', 'size']);
    expect(shape(model.fields.get('account.stage')?.type)).toEqual({ kind: 'one-of', values: [], written: [] });
  });

  it('shares one field between identical tests over contacts, and orders stage tests in file order', () => {
    const { model } = analysed(`
lead {
  job: text
  company.id: text
}
account id = company.id {
  id: text
}
when job = CEO add 10
stage a at 0
stage b at 5
stage c at 10
tier t when score >= 10
score accounts {
  when count contacts where stage > a >= 2 add 1
  when count contacts where stage > a >= 3 add 1
  when count contacts where stage <= b and tier != t >= 1 add 1
  when count contacts where stage is missing or tier is set between 1 and 2 add 1
}
`);
    const a = account(model);
    expect(a.aggregates.map((g) => [g.field, g.text])).toEqual([
      ['contacts#1', 'count contacts where stage > a'],
      ['contacts#2', 'count contacts where stage <= b and tier != t'],
      ['contacts#3', 'count contacts where stage is missing or tier is set'],
    ]);
    expect(shape(a.aggregates[0].where)).toMatchObject({ test: { kind: 'text-in', values: ['b', 'c'] } });
    expect(shape(a.aggregates[1].where)).toMatchObject({
      kind: 'and',
      operands: [{ test: { kind: 'text-in', values: ['a', 'b'] } }, { subject: { kind: 'tier' }, test: { kind: 'text-in', values: ['t'], negated: true } }],
    });
    expect(shape(a.aggregates[2].where)).toMatchObject({ kind: 'or', operands: [{ test: { kind: 'is-missing' } }, { test: { kind: 'is-set' } }] });
    expect(a.scoring.rules.map((r) => (r.kind === 'when' ? shape(r.condition) : null))).toMatchObject([
      { subject: { name: 'contacts#1' } },
      { subject: { name: 'contacts#1' }, test: { operator: '>=', value: { value: 3 } } },
      { subject: { name: 'contacts#2' } },
      { subject: { name: 'contacts#3' }, test: { kind: 'between' } },
    ]);
  });

  it('has no account model in a file without an account block', () => {
    expect(checkText('lead {\n  job: text\n}\nwhen job = CEO add 1\n').model.account).toBeNull();
  });
});
