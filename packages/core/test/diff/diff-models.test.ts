/**
 * The semantic diff: one OLD/NEW pair per kind of change under cases/ (OLD is cases/base.rubric
 * unless the case has its own old.rubric), each with the kinds it must report and its full
 * result as a golden file (cases/NAME/expected.json; `UPDATE_GOLDEN=1` rewrites them).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { Model } from '../../src/checker/model.js';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { diffModels } from '../../src/diff/index.js';
import type { SemanticChangeKind } from '../../src/diff/types.js';
import { format } from '../../src/format/format.js';
import { arbitraryRuleFile } from '../support/arbitrary.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const casesDir = path.join(here, 'cases');
const root = path.resolve(here, '../../../..');
const update = process.env.UPDATE_GOLDEN === '1';

function model(text: string): Model {
  const analysis = analyze(text);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  expect(errors, `no errors expected in:\n${text}`).toEqual([]);
  return analysis.model;
}

function casePair(name: string): { old: string; new: string } {
  const own = path.join(casesDir, name, 'old.rubric');
  return {
    old: readFileSync(existsSync(own) ? own : path.join(casesDir, 'base.rubric'), 'utf8'),
    new: readFileSync(path.join(casesDir, name, 'new.rubric'), 'utf8'),
  };
}

/** Each case and the kinds of change it reports, in order. */
const CASES: Readonly<Record<string, readonly SemanticChangeKind[]>> = {
  'formatting-only': [],
  'rule-added': ['rule-added'],
  'rule-removed': ['rule-removed'],
  'rule-points': ['rule-changed'],
  'rule-condition': ['rule-changed'],
  'rule-condition-by-position': ['rule-changed'],
  'rule-moved': ['rule-changed', 'rule-changed'],
  'rule-label': ['rule-changed', 'rule-changed'],
  'rule-each-options': ['rule-changed'],
  // A `when` rule gains a half-life, an `each` rule a run limit, a group another decay; the
  // same half-life written `1 month` instead of `30 days` is no change.
  'decay-and-limits': ['rule-changed', 'rule-changed', 'rule-changed'],
  'group-bounds': ['group-bounds-changed'],
  'group-added-removed': ['group-added', 'group-removed', 'rule-changed', 'rule-changed'],
  'score-range': ['score-range-changed'],
  'stage-threshold': ['stage-changed'],
  'stage-requires-and-condition': ['stage-changed', 'stage-changed'],
  'stage-requires-condition': ['stage-changed', 'stage-changed'],
  'stage-added-removed': ['stage-added', 'stage-removed'],
  'stage-order': ['stages-reordered'],
  tiers: ['tier-changed', 'tier-added', 'tiers-reordered'],
  'tier-removed': ['tier-removed'],
  lets: ['let-changed', 'let-added', 'rule-changed'],
  segment: ['segment-changed'],
  'schema-fields': ['field-retyped', 'field-added', 'field-removed'],
  'schema-events': ['property-added', 'property-retyped', 'event-added'],
  // Issue 17: account-level changes (level: 'account'): a field, a group's bounds, a rule's
  // points, a rule added, a stage's threshold.
  'account-rules': ['field-added', 'group-bounds-changed', 'rule-changed', 'rule-added', 'stage-changed'],
  'account-added': ['account-added', 'rule-added', 'stage-added'],
  // Tests over contacts compared by what they compute (their contacts#N fields renumber).
  'account-aggregates': ['rule-added', 'rule-changed', 'rule-changed', 'stage-changed'],
  'data-dialect': [
    'field-reading-changed',
    'field-reading-changed',
    'field-reading-changed',
    'data-setting-changed',
    'data-setting-changed',
    'data-words-changed',
    'data-words-changed',
    'data-words-changed',
  ],
};

describe('diffModels: one pair per kind of change', () => {
  it('covers every case folder', () => {
    const folders = readdirSync(casesDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual(Object.keys(CASES).sort());
  });

  for (const [name, kinds] of Object.entries(CASES)) {
    it(name, () => {
      const pair = casePair(name);
      const diff = diffModels(model(pair.old), model(pair.new));
      expect(diff.changes.map((c) => c.kind)).toEqual(kinds);
      const goldenPath = path.join(casesDir, name, 'expected.json');
      const json = JSON.stringify(diff, null, 2) + '\n';
      if (update) writeFileSync(goldenPath, json);
      expect(existsSync(goldenPath), `missing ${goldenPath}: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(json).toBe(readFileSync(goldenPath, 'utf8'));
      // Reversed, every change comes back the other way (and nothing more or less).
      const back = diffModels(model(pair.new), model(pair.old));
      expect(back.changes.length).toBe(diff.changes.length);
    });
  }
});

describe('diffModels: what is and is not a change in meaning', () => {
  const base = readFileSync(path.join(casesDir, 'base.rubric'), 'utf8');

  it('matches a labelled rule by label whatever else changed, and reports each difference', () => {
    const diff = diffModels(model(base), model(base.replace('when job in decision_makers add 10 "Decision maker"', 'when job = CEO add 12 "Decision maker"')));
    expect(diff.changes).toHaveLength(1);
    const change = diff.changes[0];
    if (change.kind !== 'rule-changed') throw new Error(change.kind);
    expect(change.matchedBy).toBe('label');
    expect(change.points).toEqual({ old: 10, new: 12 });
    expect(change.condition).toEqual({ old: 'job in decision_makers', new: 'job = CEO' });
  });

  it('does not report a condition written differently with the same meaning', () => {
    const inlined = base.replace('when job in decision_makers add 10', 'when job in [ceo, "cto", \'VP SALES\'] add 10');
    expect(diffModels(model(base), model(inlined)).changes).toEqual([]);
  });

  it('does not report rules reordered within a group, but reports stages reordered', () => {
    const swapped = base.replace(
      '  when ideal_company add 15 "Ideal company"\n  when job in decision_makers add 10 "Decision maker"\n',
      '  when job in decision_makers add 10 "Decision maker"\n  when ideal_company add 15 "Ideal company"\n',
    );
    expect(diffModels(model(base), model(swapped)).changes).toEqual([]);
  });

  it('pairs unlabelled edited rules by position between the same neighbours', () => {
    const edited = base
      .replace('when email ends any personal_domains sub 5', 'when email ends "@gmail.com" sub 6')
      .replace('when country not in [FR, BE] sub 10', 'when country = FR sub 1');
    const kinds = diffModels(model(base), model(edited)).changes.map((c) => (c.kind === 'rule-changed' ? `${c.matchedBy}:${c.old.line}` : c.kind));
    expect(kinds).toEqual(['position:21', 'position:22']);
  });

  it('pairs by position when a label is on several rules; the rest is removed', () => {
    const old = 'lead { job: text }\nwhen job = A add 1 "x"\nwhen job = B add 1 "x"\n';
    const next = 'lead { job: text }\nwhen job = C add 1 "x"\n';
    const kinds = diffModels(model(old), model(next)).changes.map((c) => c.kind);
    expect(kinds).toEqual(['rule-changed', 'rule-removed']);
  });

  it('reports a `when` rule turned into an `each` rule with the same label', () => {
    const old = 'lead { job: text }\nevent demo\nwhen any demo add 5 "Demo"\n';
    const next = 'lead { job: text }\nevent demo\neach demo add 5 up to 10 "Demo"\n';
    const [change] = diffModels(model(old), model(next)).changes;
    if (change?.kind !== 'rule-changed') throw new Error(String(change?.kind));
    expect(change.ruleKind).toEqual({ old: 'when', new: 'each' });
    expect(change.cap).toEqual({ old: null, new: 10 });
  });

  it('marks account-level changes and keeps contact-level ones unmarked (issue 17)', () => {
    const pair = casePair('account-rules');
    const changes = diffModels(model(pair.old), model(pair.new)).changes;
    expect(changes.every((c) => c.level === 'account')).toBe(true);
    const contact = diffModels(model(pair.old), model(pair.new.replace('when job in decision_makers add 20', 'when job in decision_makers add 25'))).changes;
    expect(contact.filter((c) => c.level === undefined).map((c) => c.kind)).toEqual(['rule-changed']);
  });

  it('does not report tests over contacts that only renumber, and reports one whose where changed', () => {
    const pair = casePair('account-aggregates');
    const old = model(pair.old);
    const inserted = model(pair.old.replace('score accounts {\n', 'score accounts {\n  when average score of contacts >= 1 add 1 "New"\n'));
    expect(diffModels(old, inserted).changes.map((c) => `${c.level ?? ''}:${c.kind}`)).toEqual(['account:rule-added']);
    const changed = diffModels(old, model(pair.old.replace('job = CEO >= 1', 'job = CFO >= 1'))).changes;
    expect(changed.map((c) => c.kind)).toEqual(['rule-changed']);
    const [change] = changed;
    if (change?.kind !== 'rule-changed') throw new Error(String(change?.kind));
    expect(change.condition).toEqual({ old: 'count contacts where job = CEO >= 1', new: 'count contacts where job = CFO >= 1' });
  });

  it('reports an account block removed, its key changed, and an account field retyped', () => {
    const pair = casePair('account-rules');
    const removed = diffModels(model(pair.old), model(pair.old.replace(/account id = company\.id \{[^}]*\}\n/, '').replace(/score accounts \{[\s\S]*\}\n/, '').replace('  when account.employees >= 200 add 10 "Large account"\n', ''))).changes;
    expect(removed.map((c) => `${c.level ?? ''}:${c.kind}`)).toEqual([
      ':rule-removed',
      'account:account-removed',
      'account:group-removed',
      'account:rule-removed',
      'account:rule-removed',
      'account:rule-removed',
      'account:stage-removed',
      'account:stage-removed',
    ]);
    const rekeyed = pair.old.replace('account id = company.id {\n  id: text', 'account name = company.id {\n  id: text\n  name: text').replace('industry: one of [logiciel, services]', 'industry: text');
    const changes = diffModels(model(pair.old), model(rekeyed)).changes;
    expect(changes).toContainEqual({ kind: 'account-key-changed', key: { old: 'id = company.id', new: 'name = company.id' }, level: 'account' });
    expect(changes).toContainEqual({ kind: 'field-retyped', name: 'industry', type: { old: 'one of [logiciel, services]', new: 'text' }, level: 'account' });
  });

  it('finds no change between a file and itself, and between a file and its formatted text', () => {
    const examples = readdirSync(path.join(root, 'examples'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.rubric'))
      .map((e) => path.join(e.parentPath, e.name));
    expect(examples.length).toBeGreaterThan(0);
    for (const file of examples) {
      const text = readFileSync(file, 'utf8');
      const analysis = analyze(text);
      if (hasErrors(analysis.diagnostics)) continue;
      expect(diffModels(analysis.model, analysis.model).changes).toEqual([]);
      expect(diffModels(analysis.model, analyze(format(text).text).model).changes, file).toEqual([]);
    }
  });

  it('finds no change between any random file and its formatted text', () => {
    fc.assert(
      fc.property(arbitraryRuleFile(), ({ text }) => {
        const before = analyze(text);
        fc.pre(!hasErrors(before.diagnostics));
        const after = analyze(format(text).text);
        expect(diffModels(before.model, after.model).changes).toEqual([]);
      }),
      { numRuns: 40, seed: 3 },
    );
  });
});
