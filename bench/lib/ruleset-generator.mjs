/**
 * Generated rule files for the scaling, compile-cost and editor benchmarks: any number of rules
 * of the same kinds as bench/reference.rubric (text lists, numeric ranges, personal e-mail,
 * booleans, presence, event counts and windows, `where` on event properties, `days since last`,
 * `each ... up to`, half-life, `no`), spread over groups with caps.
 *
 * Each generated file comes with an independent oracle: the same rules as json-logic-js logic
 * over the normalized lead (bench/peers/lead-facts.mjs), so the bench can check that Rubric's
 * compiled scorer gives identical results on a 2,000-rule file too, not only on the 21-rule one.
 * Deterministic for a given (rule count, seed).
 */
import jsonLogic from 'json-logic-js';
import { foldedText, leadEvents, leadFields } from '../peers/lead-facts.mjs';

jsonLogic.add_operation('Math', Math);

const DAY = 86_400;

function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const JOBS = [
  'CEO', 'CTO', 'COO', 'CFO', 'VP Sales', 'Directeur Général', 'Directeur achats', 'Head of Marketing',
  'Responsable marketing', 'IT Manager', 'Developer', 'Consultant', 'Comptable', 'Sales Manager',
  'Product Owner', 'Office manager', 'Stagiaire', 'Chargé de mission',
];
const INDUSTRIES = ['services', 'retail', 'logiciel', 'santé', 'industrie', 'finance', 'éducation', 'transport'];
const COUNTRIES = ['FR', 'BE', 'CH', 'LU', 'DE', 'US', 'GB', 'ES'];
const DOMAINS = ['@gmail.com', '@yahoo.com', '@hotmail.fr', '@outlook.com', '@acme.fr', '@globex.com', '@initech.io'];
const PAGES = ['/pricing', '/blog', '/docs', '/features', '/about', '/'];
const ASSETS = ['guide', 'case-study', 'etude', 'whitepaper', 'checklist', 'crm'];

const quote = (text) => JSON.stringify(text);
const list = (items) => '[' + items.map(quote).join(', ') + ']';
const v = (name) => ({ var: name });
const isSet = (name) => ({ '!==': [v(name), null] });
const isType = (type) => ({ '===': [v('type'), type] });
const withinDays = (days) => ({ '<=': [v('age'), days * DAY] });
const startsWith = (name, prefix) => ({ and: [isSet(name), { '===': [{ substr: [v(name), 0, prefix.length] }, prefix] }] });
const contains = (name, part) => ({ in: [part, v(name)] });
const countOf = (conditions) => ({
  reduce: [{ filter: [v('events'), { and: conditions }] }, { '+': [v('accumulator'), 1] }, 0],
});

function picks(rng, items, min, max) {
  const count = min + Math.floor(rng() * (max - min + 1));
  const pool = [...items];
  const out = [];
  while (out.length < count && pool.length > 0) out.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]);
  return out;
}

const pick = (rng, items) => items[Math.floor(rng() * items.length)];
const int = (rng, low, high) => low + Math.floor(rng() * (high - low + 1));

const NUMERIC_OPERATORS = { '>': '>', '>=': '>=', '<': '<', '<=': '<=' };

/** One condition: Rubric text and json-logic over the normalized lead. */
function condition(rng) {
  switch (int(rng, 0, 15)) {
    case 0: {
      const jobs = picks(rng, JOBS, 1, 4);
      return { text: `job in ${list(jobs)}`, logic: { in: [v('job'), jobs.map(foldedText)] } };
    }
    case 1: {
      const low = int(rng, 1, 500);
      const high = low + int(rng, 10, 2000);
      return { text: `company.size between ${low} and ${high}`, logic: { and: [isSet('size'), { '<=': [low, v('size'), high] }] } };
    }
    case 2: {
      const operator = pick(rng, Object.keys(NUMERIC_OPERATORS));
      const value = int(rng, 5, 5000);
      return { text: `company.size ${operator} ${value}`, logic: { and: [isSet('size'), { [operator]: [v('size'), value] }] } };
    }
    case 3: {
      const industries = picks(rng, INDUSTRIES, 1, 4);
      const negated = rng() < 0.3;
      const inList = { in: [v('industry'), industries.map(foldedText)] };
      return {
        text: `company.industry ${negated ? 'not in' : 'in'} ${list(industries)}`,
        logic: negated ? { and: [isSet('industry'), { '!': inList }] } : inList,
      };
    }
    case 4: {
      const countries = picks(rng, COUNTRIES, 1, 4);
      const negated = rng() < 0.5;
      const inList = { in: [v('country'), countries.map(foldedText)] };
      return {
        text: `country ${negated ? 'not in' : 'in'} ${list(countries)}`,
        logic: negated ? { and: [isSet('country'), { '!': inList }] } : inList,
      };
    }
    case 5: {
      const value = pick(rng, [50_000, 100_000, 500_000, 1_000_000, 5_000_000, 20_000_000]);
      const operator = rng() < 0.7 ? '>=' : '<';
      return { text: `revenue ${operator} ${value}`, logic: { and: [isSet('revenue'), { [operator]: [v('revenue'), value] }] } };
    }
    case 6: {
      const domains = picks(rng, DOMAINS, 1, 3);
      return {
        text: `email ends any ${list(domains)}`,
        logic: { and: [isSet('email'), { or: domains.map((d) => ({ '===': [{ substr: [v('email'), -d.length] }, d] })) }] },
      };
    }
    case 7: {
      const [name, field] = pick(rng, [['student', 'student'], ['budget_validated', 'budget']]);
      const value = rng() < 0.7;
      return { text: `${name} is ${value}`, logic: { '===': [v(field), value] } };
    }
    case 8: {
      const [name, field] = pick(rng, [['phone', 'phone'], ['job', 'job'], ['company.size', 'size'], ['email', 'email']]);
      const missing = rng() < 0.5;
      return { text: `${name} is ${missing ? 'missing' : 'set'}`, logic: { [missing ? '===' : '!==']: [v(field), null] } };
    }
    case 9: {
      const type = pick(rng, ['email_open', 'email_click', 'page_view']);
      const days = pick(rng, [7, 14, 30, 60, 90, 180, 365]);
      const atLeast = int(rng, 1, 12);
      return { text: `count ${type} within ${days} days >= ${atLeast}`, logic: { '>=': [countOf([isType(type), withinDays(days)]), atLeast] } };
    }
    case 10: {
      const page = pick(rng, PAGES);
      const days = pick(rng, [7, 14, 30, 60, 90]);
      return {
        text: `any page_view where url starts ${quote(page)} within ${days} days`,
        logic: { some: [v('events'), { and: [isType('page_view'), withinDays(days), startsWith('url', page)] }] },
      };
    }
    case 11: {
      const asset = pick(rng, ASSETS);
      const days = rng() < 0.5 ? pick(rng, [30, 90, 180, 365]) : null;
      const within = days === null ? '' : ` within ${days} days`;
      const conditions = [isType('download'), contains('asset', asset)];
      if (days !== null) conditions.push(withinDays(days));
      return { text: `any download where asset contains ${quote(asset)}${within}`, logic: { some: [v('events'), { and: conditions }] } };
    }
    case 12: {
      const days = pick(rng, [14, 30, 60, 90]);
      return {
        text: `any webinar_attended within ${days} days`,
        logic: { some: [v('events'), { and: [isType('webinar_attended'), withinDays(days)] }] },
      };
    }
    case 13: {
      const atMost = int(rng, 1, 30);
      const page = rng() < 0.5 ? pick(rng, PAGES) : null;
      const conditions = [isType('page_view'), { '<': [v('age'), (atMost + 1) * DAY] }];
      if (page !== null) conditions.push(startsWith('url', page));
      const where = page === null ? '' : ` where url starts ${quote(page)}`;
      return { text: `days since last page_view${where} <= ${atMost}`, logic: { some: [v('events'), { and: conditions }] } };
    }
    case 14: {
      const days = pick(rng, [30, 90, 180, 365]);
      const type = pick(rng, ['email_open', 'page_view', 'unsubscribe']);
      return { text: `no ${type} within ${days} days`, logic: { none: [v('events'), { and: [isType(type), withinDays(days)] }] } };
    }
    default: {
      // A combination: fit and engagement, or an alternative, or a negation.
      const left = condition(rng);
      const right = condition(rng);
      const shape = int(rng, 0, 2);
      if (shape === 0) return { text: `${left.text} and ${right.text}`, logic: { and: [left.logic, right.logic] } };
      if (shape === 1) return { text: `(${left.text} or ${right.text})`, logic: { or: [left.logic, right.logic] } };
      return { text: `not (${left.text})`, logic: { '!': left.logic } };
    }
  }
}

/** One rule: text (without indentation) and its oracle. Points in hundredths. */
function rule(rng) {
  const kind = rng();
  if (kind < 0.06) {
    const days = pick(rng, [30, 60, 90, 180]);
    const points = int(rng, 1, 5);
    const cap = points * int(rng, 2, 6);
    const type = pick(rng, ['email_click', 'email_open']);
    const count = countOf([isType(type), withinDays(days)]);
    return {
      text: `each ${type} within ${days} days add ${points} up to ${cap}`,
      each: { min: [{ '*': [points * 100, count] }, cap * 100] },
    };
  }
  if (kind < 0.09) {
    const page = pick(rng, ['/blog', '/docs', '/pricing']);
    const points = int(rng, 1, 4);
    const cap = points * int(rng, 3, 10);
    const halfLife = pick(rng, [7, 14, 30, 60]);
    const weighted = {
      'Math.floor': [{ '+': [0.5, { '*': [points * 100, { 'Math.pow': [0.5, { '/': [v('current.age'), halfLife * DAY] }] }] }] }],
    };
    return {
      text: `each page_view where url starts ${quote(page)} add ${points} up to ${cap} half-life ${halfLife} days`,
      each: {
        min: [
          { reduce: [{ filter: [v('events'), { and: [isType('page_view'), startsWith('url', page)] }] }, { '+': [v('accumulator'), weighted] }, 0] },
          cap * 100,
        ],
      },
    };
  }
  const { text, logic } = condition(rng);
  const points = rng() < 0.1 ? int(rng, 1, 20) + 0.5 : int(rng, 1, 25);
  const subtract = rng() < 0.2;
  return { text: `when ${text} ${subtract ? 'sub' : 'add'} ${points}`, when: logic, points: Math.round(points * 100) * (subtract ? -1 : 1) };
}

const HEADER = `lead {
  job: text
  email: text
  phone: text
  company.size: number
  company.industry: text
  country: text
  revenue: number
  student: bool
  budget_validated: bool
}

event email_open
event email_click
event page_view { url: text }
event download { asset: text }
event webinar_attended
event unsubscribe
`;

/**
 * A rule file with `ruleCount` rules in `ceil(ruleCount / 100)` groups (max 20) with caps, about
 * 5% of the rules outside any group, and four stages. Returns the text, its line count, and the
 * oracle `score(lead, nowMs)` (json-logic-js; same result shape as Rubric's `score`).
 */
export function generateRuleset(ruleCount, seed = 7) {
  const rng = mulberry32(seed * 7919 + ruleCount);
  const groupCount = Math.min(20, Math.max(1, Math.ceil(ruleCount / 100)));
  const groups = [];
  for (let g = 0; g < groupCount; g++) {
    const max = int(rng, 20, 80);
    const min = rng() < 0.3 ? -int(rng, 10, 40) : null;
    groups.push({ name: `g${String(g + 1).padStart(2, '0')}`, max, min, rules: [] });
  }
  const ungrouped = [];
  for (let r = 0; r < ruleCount; r++) {
    const generated = rule(rng);
    if (rng() < 0.05) ungrouped.push(generated);
    else groups[Math.floor(rng() * groupCount)].rules.push(generated);
  }
  const usedGroups = groups.filter((g) => g.rules.length > 0);
  const top = usedGroups.reduce((sum, g) => sum + g.max, 0);
  const stages = [
    { name: 'discovery', at: 0 },
    { name: 'evaluation', at: Math.round(top * 0.1) },
    { name: 'purchase', at: Math.round(top * 0.25) },
    { name: 'sales_ready', at: Math.round(top * 0.4) },
  ];

  const lines = [`# Generated by bench/lib/ruleset-generator.mjs: ${ruleCount} rules, seed ${seed}.`, HEADER];
  for (const group of usedGroups) {
    lines.push(`group ${group.name} max ${group.max}${group.min === null ? '' : ` min ${group.min}`} {`);
    for (const r of group.rules) lines.push('  ' + r.text);
    lines.push('}', '');
  }
  for (const r of ungrouped) lines.push(r.text);
  lines.push('');
  for (const s of stages) lines.push(`stage ${s.name} at ${s.at}`);
  const text = lines.join('\n') + '\n';

  function score(lead, nowMs) {
    const data = leadFields(lead);
    data.events = leadEvents(lead, nowMs);
    const value = (r) => (r.each !== undefined ? jsonLogic.apply(r.each, data) : jsonLogic.truthy(jsonLogic.apply(r.when, data)) ? r.points : 0);
    const groupValues = {};
    let total = 0;
    for (const group of usedGroups) {
      let sum = 0;
      for (const r of group.rules) sum += value(r);
      if (sum > group.max * 100) sum = group.max * 100;
      if (group.min !== null && sum < group.min * 100) sum = group.min * 100;
      groupValues[group.name] = sum / 100;
      total += sum;
    }
    for (const r of ungrouped) total += value(r);
    let stage = null;
    for (const s of stages) if (total >= s.at * 100) stage = s.name;
    return { score: total / 100, stage, tier: null, groups: groupValues };
  }

  return { text, lineCount: text.split('\n').length - 1, ruleCount, score };
}
