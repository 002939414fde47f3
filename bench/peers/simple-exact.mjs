/**
 * bench/workloads/simple-fit.rubric written by hand with Rubric's exact value rules: what a
 * careful engineer ships when the scores must match the rule file on messy CRM data.
 *
 * - Text is folded before every comparison: trimmed (space, tab, CR, LF, U+00A0), lowercased,
 *   accents removed (`Directeur Général` = `directeur general`); text already folded (lowercase
 *   ASCII, nothing to trim: most values) is used as is. Blank text, `null`, an absent field or a
 *   value that is not text is missing, and every test on a missing value is false.
 * - Numbers are numbers or numeric strings, trimmed, written `[+-]?\d+(\.\d+)?` (`"120"`, `" 12"`
 *   and `"+5"` yes, `"1e6"` and `"1 000 000"` no: missing).
 * - Bools are `true`/`false` or the folded text `true/yes/1` / `false/no/0`.
 * - Points are integer hundredths, the total is clamped to 0..100, the stage is the highest one
 *   whose threshold is reached and whose `requires` fields are set.
 * Fields are read as own properties only (a lead is untrusted data).
 *
 * Folding agrees with Rubric's table for the letters of Latin-1 and Latin Extended-A, which is
 * all the generated data holds; the bench checks every generated lead against Rubric before
 * timing.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;

function isTrimmed(code) {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a || code === 0xa0;
}

/** Folded text, or null when the value is not text or is blank (missing). */
export function foldedText(value) {
  if (typeof value !== 'string') return null;
  const n = value.length;
  if (n === 0) return null;
  // Fast path: nothing to trim and no upper case or non-ASCII letter.
  if (!isTrimmed(value.charCodeAt(0)) && !isTrimmed(value.charCodeAt(n - 1))) {
    let plain = true;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if ((c >= 65 && c <= 90) || c > 127) {
        plain = false;
        break;
      }
    }
    if (plain) return value;
  }
  let start = 0;
  let end = n;
  while (start < end && isTrimmed(value.charCodeAt(start))) start++;
  while (end > start && isTrimmed(value.charCodeAt(end - 1))) end--;
  if (start === end) return null;
  const text = value.slice(start, end);
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return text.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
  }
  return text.toLowerCase();
}

/** `-?\d+(\.\d+)?` exactly. */
function isNumeric(s) {
  const n = s.length;
  let i = n > 0 && s.charCodeAt(0) === 45 ? 1 : 0;
  let start = i;
  while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  if (i === start) return false;
  if (i === n) return true;
  if (s.charCodeAt(i) !== 46) return false;
  start = ++i;
  while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  return i > start && i === n;
}

/** A number, or NaN when missing or not a number (every comparison with NaN is false). */
export function numberValue(value) {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value === 'string') {
    if (isNumeric(value)) return Number(value);
    // Trimmed (space, tab, CR, LF, U+00A0), and a leading `+` (issue 14: ` 50` and `+5` are
    // numbers); text with nothing to trim and no `+` is told without a copy.
    const n = value.length;
    if (n === 0 || (value.charCodeAt(0) !== 43 && !isTrimmed(value.charCodeAt(0)) && !isTrimmed(value.charCodeAt(n - 1)))) return NaN;
    let start = 0;
    let end = n;
    while (start < end && isTrimmed(value.charCodeAt(start))) start++;
    while (end > start && isTrimmed(value.charCodeAt(end - 1))) end--;
    if (value.charCodeAt(start) === 43) {
      const digit = value.charCodeAt(start + 1);
      if (!(digit >= 48 && digit <= 57)) return NaN;
      start++;
    }
    const text = value.slice(start, end);
    if (isNumeric(text)) return Number(text);
  }
  return NaN;
}

/** true, false, or null when missing or not a bool. */
export function boolValue(value) {
  if (value === true || value === false) return value;
  const text = foldedText(value);
  if (text === 'true' || text === 'yes' || text === '1') return true;
  if (text === 'false' || text === 'no' || text === '0') return false;
  return null;
}

const hasOwn = Object.prototype.hasOwnProperty;

function own(object, key) {
  return hasOwn.call(object, key) ? object[key] : undefined;
}

/** A nested field: a literal dotted key wins over the nested object, as in Rubric. */
function nested(lead, dotted, parent, child) {
  if (hasOwn.call(lead, dotted)) return lead[dotted];
  const object = hasOwn.call(lead, parent) ? lead[parent] : undefined;
  return object !== null && typeof object === 'object' && !Array.isArray(object) && hasOwn.call(object, child) ? object[child] : undefined;
}

const fold = (list) => new Set(list.map((text) => foldedText(text)));
const DECISION_MAKERS = fold(['CEO', 'CTO', 'CFO', 'COO', 'PDG', 'DG', 'Directeur général', 'Directeur commercial', 'VP Sales']);
const MANAGERS = fold(['Head of Marketing', 'Responsable marketing', 'IT Manager', 'Chef de projet']);
const TARGET_INDUSTRIES = fold(['logiciel', 'software', 'services', 'conseil', 'retail', 'santé']);
const HOME_MARKETS = fold(['FR', 'BE', 'CH', 'LU', 'CA']);
const PERSONAL_DOMAINS = ['@gmail.com', '@yahoo.com', '@yahoo.fr', '@hotmail.com', '@hotmail.fr', '@outlook.com', '@orange.fr', '@free.fr'];

/** Scores one lead; the same result shape as Rubric's `score`. */
export function scoreLead(lead) {
  const job = foldedText(own(lead, 'job'));
  const email = foldedText(own(lead, 'email'));
  const phone = foldedText(own(lead, 'phone'));
  const size = numberValue(nested(lead, 'company.size', 'company', 'size'));
  const industry = foldedText(nested(lead, 'company.industry', 'company', 'industry'));
  const country = foldedText(own(lead, 'country'));

  let points = 0; // hundredths
  const decisionMaker = job !== null && DECISION_MAKERS.has(job);
  if (decisionMaker) points += 2000;
  if (job !== null && MANAGERS.has(job)) points += 1000;
  if (job !== null && job.includes('stagiaire')) points -= 2000;
  if (size >= 10) points += 500;
  if (size >= 50) points += 500;
  if (size >= 250) points += 500;
  if (size > 5000) points -= 500;
  const targetIndustry = industry !== null && TARGET_INDUSTRIES.has(industry);
  if (targetIndustry) points += 1000;
  if (country !== null && HOME_MARKETS.has(country)) points += 500;
  if (country === null) points -= 200;
  if (numberValue(own(lead, 'revenue')) >= 1_000_000) points += 500;
  if (email !== null) {
    for (let i = 0; i < PERSONAL_DOMAINS.length; i++) {
      if (email.endsWith(PERSONAL_DOMAINS[i])) {
        points -= 1000;
        break;
      }
    }
  } else {
    points -= 500;
  }
  if (phone !== null) points += 300;
  const opened = numberValue(own(lead, 'emails_opened_90d'));
  if (opened >= 3) points += 500;
  if (opened >= 10) points += 500;
  if (numberValue(own(lead, 'emails_clicked_90d')) >= 1) points += 500;
  const pages = numberValue(own(lead, 'pages_viewed_30d'));
  if (pages >= 5) points += 1000;
  if (numberValue(own(lead, 'webinars_attended')) >= 1) points += 1000;
  if (numberValue(own(lead, 'downloads')) >= 2) points += 500;
  if (boolValue(own(lead, 'unsubscribed')) === true) points -= 3000;
  if (decisionMaker && size >= 50) points += 1000;
  if (targetIndustry && pages >= 5) points += 500;

  if (points < 0) points = 0;
  if (points > 10000) points = 10000;
  const stage = points >= 5500 && email !== null && phone !== null ? 'mql' : points >= 3000 ? 'warm' : 'cold';
  return { score: points / 100, stage, tier: null, groups: {} };
}

/** The same interface as a compiled Rubric scorer's `score` (no `now`: no rule needs it). */
export function createScorer() {
  return { score: (lead) => scoreLead(lead) };
}
