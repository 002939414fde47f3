/**
 * Issue 13 (compile cost): `ConditionIds` hashes the conditions the resolver makes field by
 * field. Whatever the hash, two conditions (or event queries) get the same id exactly when they
 * are the same apart from ranges, and ids are numbered in order of first appearance.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { ConditionIds, walkCond } from '../../src/checker/cond-utils.js';
import type { Cond, EventQuery, Model } from '../../src/checker/model.js';
import { arbitraryRuleFile } from '../support/arbitrary.js';

/** JSON of `value` with keys sorted and ranges left out: equal exactly for equal structures. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (key === 'range') return undefined;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** Every condition and event query of a model, `where`s and operands included. */
function conditionsOf(model: Model): Array<Cond | EventQuery> {
  const out: Array<Cond | EventQuery> = [];
  const add = (cond: Cond): void =>
    walkCond(cond, (c) => {
      out.push(c);
      if (c.kind === 'event-exists' || c.kind === 'event-count' || c.kind === 'days-since') out.push(c.query);
    });
  for (const rule of model.rules) {
    if (rule.kind === 'when') add(rule.condition);
    else {
      out.push(rule.query);
      if (rule.query.where !== undefined) add(rule.query.where);
    }
  }
  for (const segment of model.segments.values()) add(segment.condition);
  for (const tier of model.tiers) add(tier.condition);
  for (const stage of model.stages) if (stage.when !== undefined) add(stage.when);
  return out;
}

describe('ConditionIds', () => {
  it('gives equal ids exactly to equal conditions and queries, numbered in order of first appearance', () => {
    const files = fc.sample(arbitraryRuleFile(), { seed: 1313, numRuns: 150 });
    let compared = 0;
    let repeated = 0;
    for (const { text } of files) {
      const conditions = conditionsOf(analyze(text).model);
      // Each twice: the second time every one is a repeat of the first.
      const all = [...conditions, ...conditions];
      const ids = new ConditionIds();
      const idByKey = new Map<string, number>();
      for (const value of all) {
        const key = canonical(value);
        const expected = idByKey.get(key) ?? idByKey.size;
        if (idByKey.has(key)) repeated++;
        idByKey.set(key, expected);
        expect(ids.idOf(value), key).toBe(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(2_000);
    expect(repeated).toBeGreaterThan(1_000);
  });
});
