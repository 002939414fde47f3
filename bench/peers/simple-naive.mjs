/**
 * bench/workloads/simple-fit.rubric written by hand the way a developer writes it in five
 * minutes: the lists as written in the rule file, compared with `Set.has` on the raw values, no
 * folding (`' ceo'` and `'Directeur Général'` with other accents or case do not match), no care
 * for missing or wrong-typed values (JavaScript's coercions decide: `"120" >= 10` is true,
 * `"no"` is a truthy `unsubscribed`), plain number arithmetic.
 *
 * It is the speed a team gets for free, and the bench reports how many generated leads it
 * scores differently from Rubric: that is its price on messy data.
 */

const DECISION_MAKERS = new Set(['CEO', 'CTO', 'CFO', 'COO', 'PDG', 'DG', 'Directeur général', 'Directeur commercial', 'VP Sales']);
const MANAGERS = new Set(['Head of Marketing', 'Responsable marketing', 'IT Manager', 'Chef de projet']);
const TARGET_INDUSTRIES = new Set(['logiciel', 'software', 'services', 'conseil', 'retail', 'santé']);
const HOME_MARKETS = new Set(['FR', 'BE', 'CH', 'LU', 'CA']);
const PERSONAL_DOMAINS = ['@gmail.com', '@yahoo.com', '@yahoo.fr', '@hotmail.com', '@hotmail.fr', '@outlook.com', '@orange.fr', '@free.fr'];

/** Scores one lead; the same result shape as Rubric's `score`. */
export function scoreLead(lead) {
  const job = lead.job;
  const email = lead.email;
  const size = lead.company?.size;
  const industry = lead.company?.industry;
  let score = 0;
  if (DECISION_MAKERS.has(job)) score += 20;
  if (MANAGERS.has(job)) score += 10;
  if (typeof job === 'string' && job.toLowerCase().includes('stagiaire')) score -= 20;
  if (size >= 10) score += 5;
  if (size >= 50) score += 5;
  if (size >= 250) score += 5;
  if (size > 5000) score -= 5;
  if (TARGET_INDUSTRIES.has(industry)) score += 10;
  if (HOME_MARKETS.has(lead.country)) score += 5;
  if (!lead.country) score -= 2;
  if (lead.revenue >= 1_000_000) score += 5;
  if (typeof email === 'string' && PERSONAL_DOMAINS.some((domain) => email.endsWith(domain))) score -= 10;
  if (!email) score -= 5;
  if (lead.phone) score += 3;
  if (lead.emails_opened_90d >= 3) score += 5;
  if (lead.emails_opened_90d >= 10) score += 5;
  if (lead.emails_clicked_90d >= 1) score += 5;
  if (lead.pages_viewed_30d >= 5) score += 10;
  if (lead.webinars_attended >= 1) score += 10;
  if (lead.downloads >= 2) score += 5;
  if (lead.unsubscribed) score -= 30;
  if (DECISION_MAKERS.has(job) && size >= 50) score += 10;
  if (TARGET_INDUSTRIES.has(industry) && lead.pages_viewed_30d >= 5) score += 5;
  score = Math.max(0, Math.min(100, score));
  const stage = score >= 55 && email && lead.phone ? 'mql' : score >= 30 ? 'warm' : 'cold';
  return { score, stage, tier: null, groups: {} };
}

/** The same interface as a compiled Rubric scorer's `score`. */
export function createScorer() {
  return { score: (lead) => scoreLead(lead) };
}
