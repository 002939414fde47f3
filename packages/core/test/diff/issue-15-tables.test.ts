/**
 * The semantic diff of issue 15's `count distinct` and synonym tables: a change of what is
 * counted (occurrences or distinct values, which property) is a change in meaning; the same
 * test written with another layout is not.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { Model } from '../../src/checker/model.js';
import { diffModels } from '../../src/diff/index.js';

function model(text: string): Model {
  const analysis = analyze(text);
  expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return analysis.model;
}

const SCHEMA = ['lead {', '  job: text', '}', 'event page_view {', '  url: text', '  title: text', '}'].join('\n');
const file = (rule: string): string => `${SCHEMA}\n${rule}\n`;

describe('rubric diff: count distinct', () => {
  it('reports counting distinct values instead of occurrences, with both conditions', () => {
    const diff = diffModels(model(file('when count page_view >= 3 add 10 "Pages"')), model(file('when count distinct page_view.url >= 3 add 10 "Pages"')));
    expect(diff.changes).toHaveLength(1);
    const change = diff.changes[0];
    if (change.kind !== 'rule-changed') throw new Error(change.kind);
    expect(change.condition).toEqual({ old: 'count page_view >= 3', new: 'count distinct page_view.url >= 3' });
  });

  it('reports another property counted', () => {
    const diff = diffModels(model(file('when count distinct page_view.url >= 3 add 10 "Pages"')), model(file('when count distinct page_view.title >= 3 add 10 "Pages"')));
    const change = diff.changes[0];
    if (change?.kind !== 'rule-changed') throw new Error(String(change?.kind));
    expect(change.condition).toEqual({ old: 'count distinct page_view.url >= 3', new: 'count distinct page_view.title >= 3' });
  });

  it('does not report the same count written with another layout', () => {
    const a = model(file('when count distinct page_view.url within 30 days >= 3 add 10'));
    const b = model(file('when   count  distinct  page_view.`url`   within 30 days>=3 add 10'));
    expect(diffModels(a, b).changes).toEqual([]);
  });
});

const TABLE_BASE = [
  'lead {',
  '  job: text',
  '}',
  'table seniority {',
  '  "ceo", "pdg", "dir* g*n*ral*" -> executive # rubric: allow R056',
  '  "directeur *", "vp *" -> director',
  '}',
  'when seniority(job) = executive add 20 "Décideur"',
  'when seniority(job) = director add 10',
].join('\n');

describe('rubric diff: synonym tables', () => {
  const changed = (next: string) => diffModels(model(TABLE_BASE), model(next)).changes;

  it('reports no change for the same table written with other case, accents, quotes and layout', () => {
    const same = TABLE_BASE.replace('"ceo", "pdg", "dir* g*n*ral*" -> executive', "'CEO',   'PDG','Dir* G*N*RAL*'  ->   Executive");
    expect(changed(same)).toEqual([]);
  });

  it('reports a pattern added to a value, and only the table (the rules read it unchanged)', () => {
    const changes = changed(TABLE_BASE.replace('"ceo", "pdg",', '"ceo", "pdg", "dg",'));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ kind: 'table-changed', name: 'seniority', values: { added: [], removed: [] }, patterns: [{ value: 'executive', added: ['dg'], removed: [] }], reordered: false });
  });

  it('reports a pattern moved to another value as removed from one and added to the other', () => {
    const changes = changed(TABLE_BASE.replace('"ceo", "pdg", "dir* g*n*ral*"', '"ceo", "dir* g*n*ral*"').replace('"directeur *", "vp *"', '"directeur *", "vp *", "pdg"'));
    expect(changes[0]).toMatchObject({
      kind: 'table-changed',
      patterns: [
        { value: 'executive', added: [], removed: ['pdg'] },
        { value: 'director', added: ['pdg'], removed: [] },
      ],
    });
  });

  it('reports a value renamed as a value added and one removed', () => {
    const changes = changed(TABLE_BASE.replace('-> director', '-> manager').replace('= director', '= manager'));
    const table = changes.find((c) => c.kind === 'table-changed');
    expect(table).toMatchObject({ values: { added: ['manager'], removed: ['director'] } });
  });

  it('reports lines reordered: the first matching line wins, so the order is meaning', () => {
    const lines = TABLE_BASE.split('\n');
    const swapped = [...lines.slice(0, 4), lines[5], lines[4], ...lines.slice(6)].join('\n');
    const changes = changed(swapped);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ kind: 'table-changed', reordered: true });
  });

  it('reports a table added and removed with its lines', () => {
    const added = `${TABLE_BASE}\ntable section {\n  "/tarifs*" -> pricing\n}\nwhen section(job) = pricing add 1\n`;
    expect(changed(added).map((c) => c.kind)).toEqual(['table-added', 'rule-added']);
    expect(changed(added)[0]).toMatchObject({ lines: ['"/tarifs*" -> pricing'] });
    expect(diffModels(model(added), model(TABLE_BASE)).changes.map((c) => c.kind)).toEqual(['table-removed', 'rule-removed']);
  });
});
