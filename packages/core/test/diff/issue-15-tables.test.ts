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
