/**
 * bench/reference.rubric for json-logic-js: rules as JSON data, evaluated by `jsonLogic.apply`.
 *
 * What the measured time includes, per lead: normalizing the lead (folding text, parsing numbers,
 * booleans and event times, see lead-facts.mjs: json-logic has no operators for that), applying
 * each rule's logic (event conditions are json-logic `some`/`none`/`filter`/`reduce` over the
 * event list, so json-logic does the event work itself), summing points per group, clamping,
 * and applying the stage and tier conditions (also json-logic). Points are in hundredths.
 *
 * The only operations added to json-logic are `Math.floor` and `Math.pow` (for the half-life
 * rule), through json-logic's documented `add_operation('Math', Math)`.
 */
import jsonLogic from 'json-logic-js';
import { leadEvents, leadFields } from './lead-facts.mjs';

jsonLogic.add_operation('Math', Math);

const DAY = 86_400;
const v = (name) => ({ var: name });
const set = (name) => ({ '!==': [v(name), null] });
const startsWith = (name, prefix) => ({ '===': [{ substr: [v(name), 0, prefix.length] }, prefix] });
const endsWith = (name, suffix) => ({ '===': [{ substr: [v(name), -suffix.length] }, suffix] });
const contains = (name, part) => ({ in: [part, v(name)] });
const isType = (type) => ({ '===': [v('type'), type] });
const withinDays = (days) => ({ '<=': [v('age'), days * DAY] });
const matching = (conditions) => ({ filter: [v('events'), { and: conditions }] });
const countOf = (conditions) => ({ reduce: [matching(conditions), { '+': [v('accumulator'), 1] }, 0] });

/** Points are hundredths; `group` null means the rule adds to the total directly. */
export const WHEN_RULES = [
  { group: 'fit', points: 1500, logic: { in: [v('job'), ['ceo', 'cto', 'coo', 'vp sales', 'directeur general', 'directeur achats']] } },
  { group: 'fit', points: 800, logic: { in: [v('job'), ['head of marketing', 'responsable marketing', 'it manager']] } },
  {
    group: 'fit',
    points: 1500,
    logic: { and: [set('size'), { '<=': [10, v('size'), 250] }, { in: [v('industry'), ['services', 'retail', 'logiciel', 'sante']] }] },
  },
  { group: 'fit', points: 500, logic: { and: [set('size'), { '>': [v('size'), 1000] }] } },
  { group: 'fit', points: 500, logic: { and: [set('revenue'), { '>=': [v('revenue'), 1_000_000] }] } },
  { group: 'fit', points: -1000, logic: { and: [set('country'), { '!': { in: [v('country'), ['fr', 'be', 'ch', 'lu']] } }] } },
  {
    group: 'fit',
    points: -500,
    logic: { and: [set('email'), { or: ['@gmail.com', '@yahoo.com', '@hotmail.fr', '@outlook.com'].map((d) => endsWith('email', d)) }] },
  },
  { group: 'fit', points: -10000, logic: { '===': [v('student'), true] } },
  { group: 'fit', points: -300, logic: { '===': [v('phone'), null] } },
  { group: 'engagement', points: 500, logic: { '>=': [countOf([isType('email_open'), withinDays(90)]), 3] } },
  { group: 'engagement', points: 500, logic: { '>=': [countOf([isType('email_open'), withinDays(90)]), 10] } },
  {
    group: 'engagement',
    points: 2500,
    logic: { some: [v('events'), { and: [isType('page_view'), withinDays(30), set('url'), startsWith('url', '/pricing')] }] },
  },
  { group: 'engagement', points: 2000, logic: { some: [v('events'), { and: [isType('download'), contains('asset', 'guide')] }] } },
  {
    group: 'engagement',
    points: 1000,
    logic: {
      some: [v('events'), { and: [isType('download'), withinDays(180), { or: [contains('asset', 'case-study'), contains('asset', 'etude')] }] }],
    },
  },
  { group: 'engagement', points: 1500, logic: { some: [v('events'), { and: [isType('webinar_attended'), withinDays(60)] }] } },
  // `days since last page_view <= 7`: floor(age / 1 day) <= 7, i.e. age < 8 days.
  { group: 'engagement', points: 500, logic: { some: [v('events'), { and: [isType('page_view'), { '<': [v('age'), 8 * DAY] }] }] } },
  { group: 'engagement', points: -3000, logic: { some: [v('events'), isType('unsubscribe')] } },
  { group: 'engagement', points: -1000, logic: { none: [v('events'), { and: [isType('email_open'), withinDays(180)] }] } },
  { group: null, points: 1000, logic: { '===': [v('budget'), true] } },
];

/** `each` rules: logic that yields the rule's points (hundredths, capped). */
export const EACH_RULES = [
  { group: 'engagement', logic: { min: [{ '*': [200, countOf([isType('email_click'), withinDays(90)])] }, 1000] } },
  {
    group: 'engagement',
    logic: {
      min: [
        {
          reduce: [
            matching([isType('page_view'), set('url'), startsWith('url', '/blog')]),
            {
              '+': [
                v('accumulator'),
                { 'Math.floor': [{ '+': [0.5, { '*': [100, { 'Math.pow': [0.5, { '/': [v('current.age'), 30 * DAY] }] }] }] }] },
              ],
            },
            0,
          ],
        },
        800,
      ],
    },
  },
];

/** Stages in file order (the last one that holds wins); `score` etc. in hundredths. */
export const STAGES = [
  { name: 'discovery', logic: { '>=': [v('score'), 0] } },
  { name: 'evaluation', logic: { '>=': [v('score'), 2000] } },
  { name: 'purchase', logic: { '>=': [v('score'), 4000] } },
  { name: 'sales_ready', logic: { and: [{ '>=': [v('score'), 5000] }, set('email'), set('phone'), { '===': [v('budget'), true] }] } },
];

/** Tiers in file order (the first one that holds wins). */
export const TIERS = [
  { name: 'hot', logic: { and: [{ '>=': [v('fit'), 3000] }, { '>=': [v('engagement'), 3000] }] } },
  { name: 'warm', logic: { or: [{ '>=': [v('fit'), 1500] }, { '>=': [v('engagement'), 3000] }] } },
];

/** Scores one lead at `nowMs` (epoch milliseconds). */
export function scoreLead(lead, nowMs) {
  const data = leadFields(lead);
  data.events = leadEvents(lead, nowMs);
  let fit = 0;
  let engagement = 0;
  let ungrouped = 0;
  for (const rule of WHEN_RULES) {
    if (!jsonLogic.truthy(jsonLogic.apply(rule.logic, data))) continue;
    if (rule.group === 'fit') fit += rule.points;
    else if (rule.group === 'engagement') engagement += rule.points;
    else ungrouped += rule.points;
  }
  for (const rule of EACH_RULES) engagement += jsonLogic.apply(rule.logic, data);
  if (fit > 6000) fit = 6000;
  if (engagement > 8000) engagement = 8000;
  let score = fit + engagement + ungrouped;
  if (score < 0) score = 0;
  if (score > 10000) score = 10000;
  const outcome = { score, fit, engagement, email: data.email, phone: data.phone, budget: data.budget };
  let stage = null;
  for (const s of STAGES) if (jsonLogic.truthy(jsonLogic.apply(s.logic, outcome))) stage = s.name;
  let tier = null;
  for (const t of TIERS) {
    if (jsonLogic.truthy(jsonLogic.apply(t.logic, outcome))) {
      tier = t.name;
      break;
    }
  }
  return { score: score / 100, stage, tier, groups: { fit: fit / 100, engagement: engagement / 100 } };
}

/** The same interface as a compiled Rubric scorer's fast path. */
export function createScorer() {
  return {
    score(lead, options) {
      const now = options.now;
      return scoreLead(lead, now instanceof Date ? now.getTime() : Date.parse(now));
    },
  };
}
