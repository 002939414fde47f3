/**
 * bench/reference.rubric for json-rules-engine: facts plus rules whose events carry points.
 *
 * json-rules-engine compares facts with fixed operators; it cannot count events in a window or
 * weight them by age. As its documentation suggests, those values are computed in JavaScript
 * and passed as facts (see `engagementFacts`: one pass over the events). That work, the lead
 * normalization (lead-facts.mjs), `engine.run`, summing the points of the fired events per group,
 * clamping, and choosing the stage and tier (plain JavaScript: json-rules-engine has no notion of
 * "last stage reached") are all part of the measured time. Points are in hundredths.
 *
 * One engine is built once and reused for every lead. `engine.run` is asynchronous.
 */
import { Engine, Operator } from 'json-rules-engine';
import { leadEvents, leadFields } from './lead-facts.mjs';

const DAY = 86_400;

/** Event-derived facts, computed the way a json-rules-engine user would: in one JS pass. */
export function engagementFacts(events) {
  let opens90 = 0;
  let opens180 = 0;
  let clicks90 = 0;
  let pricing30 = false;
  let guide = false;
  let caseStudy180 = false;
  let webinar60 = false;
  let unsubscribed = false;
  let lastViewAge = Infinity;
  let blogCents = 0;
  for (const event of events) {
    const age = event.age;
    switch (event.type) {
      case 'email_open':
        if (age <= 90 * DAY) opens90++;
        if (age <= 180 * DAY) opens180++;
        break;
      case 'email_click':
        if (age <= 90 * DAY) clicks90++;
        break;
      case 'page_view':
        if (age < lastViewAge) lastViewAge = age;
        if (event.url !== null) {
          if (age <= 30 * DAY && event.url.startsWith('/pricing')) pricing30 = true;
          if (event.url.startsWith('/blog')) blogCents += Math.floor(100 * Math.pow(0.5, age / (30 * DAY)) + 0.5);
        }
        break;
      case 'download':
        if (event.asset !== null) {
          if (event.asset.includes('guide')) guide = true;
          if (age <= 180 * DAY && (event.asset.includes('case-study') || event.asset.includes('etude'))) caseStudy180 = true;
        }
        break;
      case 'webinar_attended':
        if (age <= 60 * DAY) webinar60 = true;
        break;
      case 'unsubscribe':
        unsubscribed = true;
        break;
    }
  }
  return {
    opens90,
    opens180,
    pricing30,
    guide,
    caseStudy180,
    webinar60,
    unsubscribed,
    daysSinceLastView: lastViewAge === Infinity ? null : Math.floor(lastViewAge / DAY),
    clickPoints: Math.min(200 * clicks90, 1000),
    blogPoints: Math.min(blogCents, 800),
  };
}

const points = (group, cents) => ({ type: 'points', params: { group, points: cents } });
const fact = (name, operator, value) => ({ fact: name, operator, value });

/** The rules of the reference file. `points` events carry hundredths; group null = ungrouped. */
export function referenceRules() {
  return [
    { conditions: { all: [fact('job', 'in', ['ceo', 'cto', 'coo', 'vp sales', 'directeur general', 'directeur achats'])] }, event: points('fit', 1500) },
    { conditions: { all: [fact('job', 'in', ['head of marketing', 'responsable marketing', 'it manager'])] }, event: points('fit', 800) },
    {
      conditions: {
        all: [
          fact('size', 'greaterThanInclusive', 10),
          fact('size', 'lessThanInclusive', 250),
          fact('industry', 'in', ['services', 'retail', 'logiciel', 'sante']),
        ],
      },
      event: points('fit', 1500),
    },
    { conditions: { all: [fact('size', 'greaterThan', 1000)] }, event: points('fit', 500) },
    { conditions: { all: [fact('revenue', 'greaterThanInclusive', 1_000_000)] }, event: points('fit', 500) },
    // `notIn` is true for null, so a missing country must be excluded explicitly.
    { conditions: { all: [fact('country', 'notEqual', null), fact('country', 'notIn', ['fr', 'be', 'ch', 'lu'])] }, event: points('fit', -1000) },
    { conditions: { all: [fact('email', 'endsWithAny', ['@gmail.com', '@yahoo.com', '@hotmail.fr', '@outlook.com'])] }, event: points('fit', -500) },
    { conditions: { all: [fact('student', 'equal', true)] }, event: points('fit', -10000) },
    { conditions: { all: [fact('phone', 'equal', null)] }, event: points('fit', -300) },
    { conditions: { all: [fact('opens90', 'greaterThanInclusive', 3)] }, event: points('engagement', 500) },
    { conditions: { all: [fact('opens90', 'greaterThanInclusive', 10)] }, event: points('engagement', 500) },
    { conditions: { all: [fact('pricing30', 'equal', true)] }, event: points('engagement', 2500) },
    { conditions: { all: [fact('guide', 'equal', true)] }, event: points('engagement', 2000) },
    { conditions: { all: [fact('caseStudy180', 'equal', true)] }, event: points('engagement', 1000) },
    { conditions: { all: [fact('webinar60', 'equal', true)] }, event: points('engagement', 1500) },
    { conditions: { all: [fact('daysSinceLastView', 'lessThanInclusive', 7)] }, event: points('engagement', 500) },
    // `each` rules: the capped total is a fact, copied into the event by replaceFactsInEventParams.
    {
      conditions: { all: [fact('clickPoints', 'greaterThan', 0)] },
      event: { type: 'points', params: { group: 'engagement', points: { fact: 'clickPoints' } } },
    },
    {
      conditions: { all: [fact('blogPoints', 'greaterThan', 0)] },
      event: { type: 'points', params: { group: 'engagement', points: { fact: 'blogPoints' } } },
    },
    { conditions: { all: [fact('unsubscribed', 'equal', true)] }, event: points('engagement', -3000) },
    { conditions: { all: [fact('opens180', 'equal', 0)] }, event: points('engagement', -1000) },
    { conditions: { all: [fact('budget', 'equal', true)] }, event: points(null, 1000) },
  ];
}

/** An engine with the reference rules and the one custom operator they need. */
export function createEngine(rules = referenceRules()) {
  const engine = new Engine(rules, { allowUndefinedFacts: true, replaceFactsInEventParams: true });
  engine.addOperator(
    new Operator('endsWithAny', (value, suffixes) => suffixes.some((suffix) => value.endsWith(suffix)), (value) => typeof value === 'string'),
  );
  return engine;
}

/** Returns an async scorer with the same shape of result as Rubric's `score`. */
export function createScorer() {
  const engine = createEngine();
  return {
    async score(lead, options) {
      const now = options.now;
      const nowMs = now instanceof Date ? now.getTime() : Date.parse(now);
      const facts = leadFields(lead);
      Object.assign(facts, engagementFacts(leadEvents(lead, nowMs)));
      const { events } = await engine.run(facts);
      let fit = 0;
      let engagement = 0;
      let ungrouped = 0;
      for (const event of events) {
        const { group, points: cents } = event.params;
        if (group === 'fit') fit += cents;
        else if (group === 'engagement') engagement += cents;
        else ungrouped += cents;
      }
      if (fit > 6000) fit = 6000;
      if (engagement > 8000) engagement = 8000;
      let score = fit + engagement + ungrouped;
      if (score < 0) score = 0;
      if (score > 10000) score = 10000;
      let stage = null;
      if (score >= 0) stage = 'discovery';
      if (score >= 2000) stage = 'evaluation';
      if (score >= 4000) stage = 'purchase';
      if (score >= 5000 && facts.email !== null && facts.phone !== null && facts.budget === true) stage = 'sales_ready';
      let tier = null;
      if (fit >= 3000 && engagement >= 3000) tier = 'hot';
      else if (fit >= 1500 || engagement >= 3000) tier = 'warm';
      return { score: score / 100, stage, tier, groups: { fit: fit / 100, engagement: engagement / 100 } };
    },
  };
}
