import type { RuleInfo } from '../checker/model.js';
import type { RuleMatch } from './types.js';

export interface RulePair {
  readonly old: RuleInfo;
  readonly new: RuleInfo;
  readonly matchedBy: RuleMatch;
}

export interface RuleMatching {
  readonly pairs: readonly RulePair[];
  /** Old rules with no partner, in old file order. */
  readonly removed: readonly RuleInfo[];
  /** New rules with no partner, in new file order. */
  readonly added: readonly RuleInfo[];
}

export interface RuleKeys {
  /** The resolved condition (or counted event query), positions left out. */
  conditionKey(rule: RuleInfo): string;
  /** The condition's canonical text. */
  conditionText(rule: RuleInfo): string;
}

/**
 * Pairs the rules of two versions, in four passes over what is still unpaired:
 * 1. by label, where the label is on one rule only in each version;
 * 2. by condition within the same group (resolved condition, then canonical text);
 * 3. by condition alone: the rule moved to another group;
 * 4. by position: within a group, unpaired rules between the same two paired neighbours are
 *    paired in order (an edited condition), if they are of the same kind (`when` or `each`).
 * What is left was removed or added.
 */
export function matchRules(oldRules: readonly RuleInfo[], newRules: readonly RuleInfo[], keys: RuleKeys): RuleMatching {
  const partnerOfOld = new Map<number, number>();
  const partnerOfNew = new Map<number, number>();
  const how = new Map<number, RuleMatch>();
  const pair = (o: RuleInfo, n: RuleInfo, by: RuleMatch): void => {
    partnerOfOld.set(o.index, n.index);
    partnerOfNew.set(n.index, o.index);
    how.set(o.index, by);
  };
  const unpairedOld = (): RuleInfo[] => oldRules.filter((r) => !partnerOfOld.has(r.index));
  const unpairedNew = (): RuleInfo[] => newRules.filter((r) => !partnerOfNew.has(r.index));

  // 1. Labels unique on both sides.
  const labelCounts = (rules: readonly RuleInfo[]): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const r of rules) if (r.hasLabel) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
    return counts;
  };
  const oldLabels = labelCounts(oldRules);
  const newLabels = labelCounts(newRules);
  const newByLabel = new Map(newRules.filter((r) => r.hasLabel).map((r) => [r.label, r]));
  for (const o of oldRules) {
    if (!o.hasLabel || oldLabels.get(o.label) !== 1 || newLabels.get(o.label) !== 1) continue;
    const n = newByLabel.get(o.label);
    if (n !== undefined) pair(o, n, 'label');
  }

  // 2 and 3. Same condition, first within the same group, then anywhere.
  const byKey = (key: (r: RuleInfo) => string): void => {
    const waiting = new Map<string, RuleInfo[]>();
    for (const n of unpairedNew()) {
      const k = key(n);
      const list = waiting.get(k);
      if (list === undefined) waiting.set(k, [n]);
      else list.push(n);
    }
    for (const o of unpairedOld()) {
      const n = waiting.get(key(o))?.shift();
      if (n !== undefined) pair(o, n, 'condition');
    }
  };
  const group = (r: RuleInfo): string => (r.group === null ? '\u0000' : `g:${r.group}`);
  byKey((r) => `${r.kind}\u0001${group(r)}\u0001${keys.conditionKey(r)}`);
  byKey((r) => `${r.kind}\u0001${group(r)}\u0001${keys.conditionText(r)}`);
  byKey((r) => `${r.kind}\u0001${keys.conditionKey(r)}`);
  byKey((r) => `${r.kind}\u0001${keys.conditionText(r)}`);

  // 4. Position between paired neighbours of the same group.
  const anchorOfOld = (o: RuleInfo): string => {
    for (let i = o.index - 1; i >= 0; i--) {
      const r = oldRules[i];
      const partner = partnerOfOld.get(i);
      if (r.group === o.group && partner !== undefined && newRules[partner].group === o.group) return `${group(o)}@${partner}`;
    }
    return `${group(o)}@start`;
  };
  const anchorOfNew = (n: RuleInfo): string => {
    for (let i = n.index - 1; i >= 0; i--) {
      const r = newRules[i];
      const partner = partnerOfNew.get(i);
      if (r.group === n.group && partner !== undefined && oldRules[partner].group === n.group) return `${group(n)}@${i}`;
    }
    return `${group(n)}@start`;
  };
  const waiting = new Map<string, RuleInfo[]>();
  for (const n of unpairedNew()) {
    const k = anchorOfNew(n);
    const list = waiting.get(k);
    if (list === undefined) waiting.set(k, [n]);
    else list.push(n);
  }
  // Anchors are taken before any positional pairing (pairs made here are no anchors).
  const anchored = unpairedOld().map((o) => [o, anchorOfOld(o)] as const);
  for (const [o, anchor] of anchored) {
    const list = waiting.get(anchor);
    if (list === undefined) continue;
    const at = list.findIndex((n) => n.kind === o.kind);
    if (at === -1) continue;
    const [n] = list.splice(at, 1);
    pair(o, n, 'position');
  }

  const pairs: RulePair[] = [];
  for (const o of oldRules) {
    const n = partnerOfOld.get(o.index);
    if (n !== undefined) pairs.push({ old: o, new: newRules[n], matchedBy: how.get(o.index) ?? 'position' });
  }
  return { pairs, removed: unpairedOld(), added: unpairedNew() };
}
