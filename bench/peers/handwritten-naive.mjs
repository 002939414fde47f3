/**
 * bench/reference.rubric written by hand the way a developer writes it in five minutes: the
 * lists as written in the rule file compared with `Set.has` on the raw values (no folding), no
 * care for missing or wrong-typed values (JavaScript's coercions decide: `"no"` is a truthy
 * `student`, `"120" > 100` is true), event times read with `new Date(at)` and future events not
 * left out, floating-point points, the group caps and the score range as written.
 *
 * It is the speed a team gets for free, and the bench reports how many generated leads it
 * scores differently from Rubric: that is its price on messy data.
 */

const DAY_MS = 86_400_000;
const DECISION_MAKERS = new Set(['CEO', 'CTO', 'COO', 'VP Sales', 'Directeur général', 'Directeur achats']);
const MANAGERS = new Set(['Head of Marketing', 'Responsable marketing', 'IT Manager']);
const TARGET_INDUSTRIES = new Set(['services', 'retail', 'logiciel', 'santé']);
const HOME_MARKETS = new Set(['FR', 'BE', 'CH', 'LU']);
const PERSONAL_DOMAINS = ['@gmail.com', '@yahoo.com', '@hotmail.fr', '@outlook.com'];

/** Scores one lead at `nowMs`; the same result shape as Rubric's `score`. */
export function scoreLead(lead, nowMs) {
  const size = lead.company?.size;
  const industry = lead.company?.industry;
  const email = lead.email;

  let fit = 0;
  if (DECISION_MAKERS.has(lead.job)) fit += 15;
  if (MANAGERS.has(lead.job)) fit += 8;
  if (size >= 10 && size <= 250 && TARGET_INDUSTRIES.has(industry)) fit += 15;
  if (size > 1000) fit += 5;
  if (lead.revenue >= 1_000_000) fit += 5;
  if (!HOME_MARKETS.has(lead.country)) fit -= 10;
  if (typeof email === 'string' && PERSONAL_DOMAINS.some((domain) => email.endsWith(domain))) fit -= 5;
  if (lead.student) fit -= 100;
  if (!lead.phone) fit -= 3;
  fit = Math.min(fit, 60);

  let opens90 = 0;
  let opens180 = 0;
  let clicks90 = 0;
  let pricing = false;
  let guide = false;
  let caseStudy = false;
  let webinar = false;
  let unsubscribed = false;
  let lastView = -Infinity;
  let blog = 0;
  for (const event of lead.events ?? []) {
    const at = new Date(event.at).getTime();
    const days = (nowMs - at) / DAY_MS;
    switch (event.type) {
      case 'email_open':
        if (days <= 90) opens90++;
        if (days <= 180) opens180++;
        break;
      case 'email_click':
        if (days <= 90) clicks90++;
        break;
      case 'page_view':
        if (at > lastView) lastView = at;
        if (typeof event.url === 'string') {
          if (days <= 30 && event.url.startsWith('/pricing')) pricing = true;
          if (event.url.startsWith('/blog')) blog += Math.pow(0.5, days / 30);
        }
        break;
      case 'download':
        if (typeof event.asset === 'string') {
          if (event.asset.includes('guide')) guide = true;
          if (days <= 180 && (event.asset.includes('case-study') || event.asset.includes('etude'))) caseStudy = true;
        }
        break;
      case 'webinar_attended':
        if (days <= 60) webinar = true;
        break;
      case 'unsubscribe':
        unsubscribed = true;
        break;
    }
  }
  let engagement = 0;
  if (opens90 >= 3) engagement += 5;
  if (opens90 >= 10) engagement += 5;
  if (pricing) engagement += 25;
  if (guide) engagement += 20;
  if (caseStudy) engagement += 10;
  if (webinar) engagement += 15;
  if ((nowMs - lastView) / DAY_MS <= 7) engagement += 5;
  engagement += Math.min(2 * clicks90, 10);
  engagement += Math.min(blog, 8);
  if (unsubscribed) engagement -= 30;
  if (opens180 === 0) engagement -= 10;
  engagement = Math.min(engagement, 80);

  let score = fit + engagement;
  if (lead.budget_validated) score += 10;
  score = Math.max(0, Math.min(100, score));

  let stage = 'discovery';
  if (score >= 20) stage = 'evaluation';
  if (score >= 40) stage = 'purchase';
  if (score >= 50 && email && lead.phone && lead.budget_validated) stage = 'sales_ready';
  const tier = fit >= 30 && engagement >= 30 ? 'hot' : fit >= 15 || engagement >= 30 ? 'warm' : null;
  return { score, stage, tier, groups: { fit, engagement } };
}

/** The same interface as a compiled Rubric scorer's `score`. */
export function createScorer() {
  return {
    score(lead, options) {
      const now = options.now;
      return scoreLead(lead, now instanceof Date ? now.getTime() : Date.parse(now));
    },
  };
}
