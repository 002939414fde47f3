/**
 * Greedy minimisation of a failing (rule file, lead) pair, after fast-check's own shrinking:
 * fast-check shrinks well inside a file but cannot drop declarations a chained generator made,
 * so this removes whole statements, condition branches, lead keys and events one at a time,
 * keeping each removal that still fails. Candidates that no longer check are just skipped
 * (`stillFails` is expected to return false for them).
 */
import type { CondSpec, FileSpec, GroupSpec, RuleSpec } from './rule-spec.js';
import type { LeadCase } from './arbitrary.js';

/** Conditions one step simpler than `cond`: each child in its place. */
function simplerConditions(cond: CondSpec): CondSpec[] {
  switch (cond.kind) {
    case 'and':
    case 'or': {
      const out: CondSpec[] = [...cond.operands];
      if (cond.operands.length > 2) {
        cond.operands.forEach((_, i) => out.push({ ...cond, operands: cond.operands.filter((__, j) => j !== i) }));
      }
      cond.operands.forEach((operand, i) => {
        for (const simpler of simplerConditions(operand)) {
          out.push({ ...cond, operands: cond.operands.map((o, j) => (j === i ? simpler : o)) });
        }
      });
      return out;
    }
    case 'not':
      return [cond.operand, ...simplerConditions(cond.operand).map((operand): CondSpec => ({ kind: 'not', operand }))];
    case 'paren':
      return [cond.inner, ...simplerConditions(cond.inner).map((inner): CondSpec => ({ kind: 'paren', inner }))];
    case 'exists':
    case 'count':
    case 'days-since': {
      const out: CondSpec[] = [];
      if (cond.where !== undefined) out.push(withoutKey(cond, 'where'));
      if ('within' in cond && cond.within !== undefined) out.push(withoutKey(cond, 'within'));
      return out;
    }
    default:
      return [];
  }
}

function withoutKey<T extends object, K extends keyof T>(value: T, key: K): T {
  const copy = { ...value };
  delete copy[key];
  return copy;
}

function simplerRules(rule: RuleSpec): RuleSpec[] {
  if (rule.kind === 'when') return simplerConditions(rule.condition).map((condition) => ({ ...rule, condition }));
  const out: RuleSpec[] = [];
  for (const key of ['where', 'within', 'upTo', 'halfLife', 'label'] as const) {
    if (rule[key] !== undefined) out.push(withoutKey(rule, key));
  }
  return out;
}

function without<T>(items: readonly T[], index: number): T[] {
  return items.filter((_, i) => i !== index);
}

function replaced<T>(items: readonly T[], index: number, item: T): T[] {
  return items.map((x, i) => (i === index ? item : x));
}

/** Every spec one step smaller than `spec`. */
function smallerSpecs(spec: FileSpec): FileSpec[] {
  const out: FileSpec[] = [];
  spec.body.forEach((item, i) => {
    out.push({ ...spec, body: without(spec.body, i) });
    if (item.kind === 'group') {
      const group: GroupSpec = item;
      group.rules.forEach((rule, j) => {
        out.push({ ...spec, body: replaced(spec.body, i, { ...group, rules: without(group.rules, j) }) });
        for (const simpler of simplerRules(rule)) {
          out.push({ ...spec, body: replaced(spec.body, i, { ...group, rules: replaced(group.rules, j, simpler) }) });
        }
      });
      if (group.max !== undefined) out.push({ ...spec, body: replaced(spec.body, i, withoutKey(group, 'max')) });
      if (group.min !== undefined) out.push({ ...spec, body: replaced(spec.body, i, withoutKey(group, 'min')) });
    } else {
      for (const simpler of simplerRules(item)) out.push({ ...spec, body: replaced(spec.body, i, simpler) });
    }
  });
  spec.stages.forEach((stage, i) => {
    out.push({ ...spec, stages: without(spec.stages, i) });
    if (stage.when !== undefined) {
      out.push({ ...spec, stages: replaced(spec.stages, i, withoutKey(stage, 'when')) });
      for (const when of simplerConditions(stage.when)) out.push({ ...spec, stages: replaced(spec.stages, i, { ...stage, when }) });
    }
    if (stage.requires.length > 0) out.push({ ...spec, stages: replaced(spec.stages, i, { ...stage, requires: [] }) });
    (stage.conditions ?? []).forEach((_, k) => {
      const conditions = (stage.conditions ?? []).filter((__, j) => j !== k);
      out.push({ ...spec, stages: replaced(spec.stages, i, { ...stage, conditions }) });
    });
  });
  spec.tiers.forEach((tier, i) => {
    out.push({ ...spec, tiers: without(spec.tiers, i) });
    for (const condition of simplerConditions(tier.condition)) out.push({ ...spec, tiers: replaced(spec.tiers, i, { ...tier, condition }) });
  });
  spec.segments.forEach((segment, i) => {
    out.push({ ...spec, segments: without(spec.segments, i) });
    for (const condition of simplerConditions(segment.condition)) {
      out.push({ ...spec, segments: replaced(spec.segments, i, { ...segment, condition }) });
    }
  });
  if (spec.scoreRange !== undefined) out.push(withoutKey(spec, 'scoreRange'));
  if (spec.tests !== undefined && spec.tests.length > 0) out.push(withoutKey(spec, 'tests'));
  spec.lets.forEach((_, i) => out.push({ ...spec, lets: without(spec.lets, i) }));
  spec.events.forEach((_, i) => out.push({ ...spec, events: without(spec.events, i) }));
  spec.fields.forEach((_, i) => out.push({ ...spec, fields: without(spec.fields, i) }));
  if (spec.layout.comments || spec.layout.semicolons || spec.layout.split !== 'none') {
    out.push({ ...spec, layout: { comments: false, semicolons: false, split: 'none' } });
  }
  return out;
}

function copyOwn(source: Record<string, unknown>, skip: string): Record<string, unknown> {
  const copy = Object.create(Object.getPrototypeOf(source) as object | null) as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    if (key !== skip) Object.defineProperty(copy, key, { value: source[key], enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** Every lead case one step smaller: a top-level key, a nested key or an event fewer. */
function smallerLeads(leadCase: LeadCase): LeadCase[] {
  const out: LeadCase[] = [];
  const { lead } = leadCase;
  for (const key of Object.keys(lead)) {
    out.push({ ...leadCase, lead: copyOwn(lead, key) });
    const value = lead[key];
    if (Array.isArray(value)) {
      value.forEach((_, i) => {
        const copy = copyOwn(lead, '');
        Object.defineProperty(copy, key, { value: without(value, i), enumerable: true, writable: true, configurable: true });
        out.push({ ...leadCase, lead: copy });
      });
    } else if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
      for (const inner of Object.keys(value)) {
        const copy = copyOwn(lead, '');
        Object.defineProperty(copy, key, { value: copyOwn(value as Record<string, unknown>, inner), enumerable: true, writable: true, configurable: true });
        out.push({ ...leadCase, lead: copy });
      }
    }
  }
  if (Object.getPrototypeOf(lead) !== Object.prototype) out.push({ ...leadCase, lead: Object.assign({}, lead) });
  if (leadCase.events !== undefined) {
    leadCase.events.forEach((_, i) => out.push({ ...leadCase, events: without(leadCase.events ?? [], i) }));
  }
  return out;
}

/**
 * The smallest (spec, lead) this greedy search finds for which `stillFails` holds. Stops after
 * `budget` calls of `stillFails`.
 */
export function minimizeCounterexample(
  spec: FileSpec,
  leadCase: LeadCase,
  stillFails: (spec: FileSpec, leadCase: LeadCase) => boolean,
  budget = 3000,
): { spec: FileSpec; leadCase: LeadCase } {
  let calls = 0;
  let current = { spec, leadCase };
  let progress = true;
  while (progress && calls < budget) {
    progress = false;
    for (const smaller of smallerSpecs(current.spec)) {
      if (calls++ >= budget) break;
      if (stillFails(smaller, current.leadCase)) {
        current = { spec: smaller, leadCase: current.leadCase };
        progress = true;
        break;
      }
    }
    if (progress) continue;
    for (const smaller of smallerLeads(current.leadCase)) {
      if (calls++ >= budget) break;
      if (stillFails(current.spec, smaller)) {
        current = { spec: current.spec, leadCase: smaller };
        progress = true;
        break;
      }
    }
  }
  return current;
}
