/**
 * bench/reference.rubric written by hand as one JavaScript function: what a careful engineer
 * would ship without Rubric, and so the practical speed limit the compiled scorer is measured
 * against.
 *
 * It implements the same meaning as the Rubric file for every lead the generator produces:
 * text folding (trim, lowercase, strip accents), missing values (absent, null, wrong type, blank
 * text: every test on them is false), numbers given as numeric strings, booleans given as
 * `yes`/`1`/..., dotted keys, events after `now` or with unparseable times ignored, `within`
 * windows inclusive, half-life weights rounded to hundredths. Points are kept in integer
 * hundredths so sums, caps and thresholds are exact, as the language requires.
 *
 * It reads the events once, computing every event-derived value in one pass, and parses event
 * times with a hand-written ISO 8601 parser ({@link parseIso}); `createScorer({parseTimes:
 * 'Date.parse'})` is the same function with `Date.parse` instead, the baseline of earlier reports.
 * bench/peers/handwritten-naive.mjs is the five-minute version with none of this care.
 */

const DAY_MS = 86_400_000;
// Trimmed (space, tab, CR, LF, U+00A0), an optional sign (issue 14: `+5` and ` 50` are numbers).
const NUMBER_TEXT = /^[ \t\r\n\u00a0]*[+-]?\d+(\.\d+)?[ \t\r\n\u00a0]*$/;
const COMBINING_MARKS = /[\u0300-\u036f]/g;

function isTrimmed(code) {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a || code === 0xa0;
}

/** Folded text, or null when the value is not text or is blank (missing). */
function foldedText(value) {
  if (typeof value !== 'string') return null;
  let start = 0;
  let end = value.length;
  while (start < end && isTrimmed(value.charCodeAt(start))) start++;
  while (end > start && isTrimmed(value.charCodeAt(end - 1))) end--;
  if (start === end) return null;
  const text = start === 0 && end === value.length ? value : value.slice(start, end);
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return text.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
  }
  return text.toLowerCase();
}

/** A number, or NaN when missing or of the wrong type. */
function numberValue(value) {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value === 'string' && NUMBER_TEXT.test(value)) return Number(value); // Number() trims the same spaces
  return NaN;
}

/** true, false, or null when missing or of the wrong type. */
function boolValue(value) {
  if (typeof value === 'boolean') return value;
  const text = foldedText(value);
  if (text === 'true' || text === 'yes' || text === '1') return true;
  if (text === 'false' || text === 'no' || text === '0') return false;
  return null;
}

/**
 * ISO 8601 text to epoch milliseconds, or NaN: `YYYY-MM-DD`, optionally `THH:MM[:SS[.fff]]` and
 * `Z` or `±HH[:MM]`, with real calendar days only (`2026-02-30` is NaN), the forms Rubric
 * accepts. A character loop with no allocation: what a careful engineer writes once a profile
 * shows `Date.parse` (about half of this function's time when it parsed every event with it).
 */
export function parseIso(s) {
  const len = s.length;
  if (len < 10) return NaN;
  const y = digits(s, 0, 4);
  if (y < 0 || s.charCodeAt(4) !== 45) return NaN;
  const mo = digits(s, 5, 2);
  if (mo < 1 || mo > 12 || s.charCodeAt(7) !== 45) return NaN;
  const d = digits(s, 8, 2);
  if (d < 1 || d > (mo === 2 && (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 29 : MONTH_DAYS[mo - 1])) return NaN;
  let ms = 0;
  if (len > 10) {
    if (s.charCodeAt(10) !== 84) return NaN;
    const h = digits(s, 11, 2);
    if (h < 0 || h > 23 || s.charCodeAt(13) !== 58) return NaN;
    const mi = digits(s, 14, 2);
    if (mi < 0 || mi > 59) return NaN;
    ms = h * 3_600_000 + mi * 60_000;
    let i = 16;
    if (s.charCodeAt(16) === 58) {
      const se = digits(s, 17, 2);
      if (se < 0 || se > 59) return NaN;
      ms += se * 1000;
      i = 19;
      if (s.charCodeAt(19) === 46) {
        i = 20;
        let scale = 100;
        while (i < len && i < 29 && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
          ms += (s.charCodeAt(i) - 48) * scale;
          scale = scale === 1 ? 0 : scale / 10;
          i++;
        }
        if (i === 20) return NaN;
      }
    }
    if (i < len) {
      const z = s.charCodeAt(i);
      if (z === 90) {
        i++;
      } else if (z === 43 || z === 45) {
        const oh = digits(s, i + 1, 2);
        if (oh < 0 || oh > 23) return NaN;
        i += 3;
        let om = 0;
        if (i < len) {
          if (s.charCodeAt(i) === 58) i++;
          om = digits(s, i, 2);
          if (om < 0 || om > 59) return NaN;
          i += 2;
        }
        ms += (z === 43 ? -1 : 1) * (oh * 60 + om) * 60_000;
      } else {
        return NaN;
      }
    }
    if (i !== len) return NaN;
  }
  return daysFromCivil(y, mo, d) * DAY_MS + ms;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by `count` digits at `at`, or -1. */
function digits(s, at, count) {
  let v = 0;
  for (let k = 0; k < count; k++) {
    const c = s.charCodeAt(at + k) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y, m, d) {
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/** Epoch milliseconds of an event time with the fast parser, or NaN. */
function instantFast(value) {
  if (typeof value === 'string') return parseIso(value);
  if (value instanceof Date) return value.getTime();
  return NaN;
}

/** Epoch milliseconds of an event time with `Date.parse`, or NaN (the first version of this file). */
function instantDateParse(value) {
  if (typeof value === 'string') return Date.parse(value);
  if (value instanceof Date) return value.getTime();
  return NaN;
}

function field(lead, dotted, parent, child) {
  if (Object.hasOwn(lead, dotted)) return lead[dotted];
  const object = Object.hasOwn(lead, parent) ? lead[parent] : undefined;
  return object !== null && typeof object === 'object' && Object.hasOwn(object, child) ? object[child] : undefined;
}

function own(lead, key) {
  return Object.hasOwn(lead, key) ? lead[key] : undefined;
}

const DECISION_MAKERS = new Set(['ceo', 'cto', 'coo', 'vp sales', 'directeur general', 'directeur achats']);
const MANAGERS = new Set(['head of marketing', 'responsable marketing', 'it manager']);
const TARGET_INDUSTRIES = new Set(['services', 'retail', 'logiciel', 'sante']);
const HOME_MARKETS = new Set(['fr', 'be', 'ch', 'lu']);
const PERSONAL_DOMAINS = ['@gmail.com', '@yahoo.com', '@hotmail.fr', '@outlook.com'];

const HALF_LIFE_MS = 30 * DAY_MS;

/** Rounds to an integer, halves away from zero. */
function roundHalfAway(x) {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/**
 * Scores one lead. `nowMs` is the instant to score at (epoch milliseconds); `instant` turns an
 * event's `at` into epoch milliseconds (the fast ISO parser by default). Returns the same shape
 * as Rubric's `score`.
 */
export function scoreLead(lead, nowMs, instant = instantFast) {
  const job = foldedText(own(lead, 'job'));
  const email = foldedText(own(lead, 'email'));
  const phone = foldedText(own(lead, 'phone'));
  const size = numberValue(field(lead, 'company.size', 'company', 'size'));
  const industry = foldedText(field(lead, 'company.industry', 'company', 'industry'));
  const country = foldedText(own(lead, 'country'));
  const revenue = numberValue(own(lead, 'revenue'));
  const student = boolValue(own(lead, 'student'));
  const budgetValidated = boolValue(own(lead, 'budget_validated'));

  // Everything the engagement rules need, from one pass over the events.
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
  const events = own(lead, 'events');
  if (Array.isArray(events)) {
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      if (event === null || typeof event !== 'object') continue;
      const at = instant(event.at);
      if (!(at <= nowMs)) continue; // NaN or in the future
      const age = nowMs - at;
      switch (event.type) {
        case 'email_open':
          if (age <= 90 * DAY_MS) opens90++;
          if (age <= 180 * DAY_MS) opens180++;
          break;
        case 'email_click':
          if (age <= 90 * DAY_MS) clicks90++;
          break;
        case 'page_view': {
          if (age < lastViewAge) lastViewAge = age;
          const url = foldedText(event.url);
          if (url !== null) {
            if (age <= 30 * DAY_MS && url.startsWith('/pricing')) pricing30 = true;
            if (url.startsWith('/blog')) blogCents += roundHalfAway(100 * Math.pow(0.5, age / HALF_LIFE_MS));
          }
          break;
        }
        case 'download': {
          const asset = foldedText(event.asset);
          if (asset !== null) {
            if (asset.includes('guide')) guide = true;
            if (age <= 180 * DAY_MS && (asset.includes('case-study') || asset.includes('etude'))) caseStudy180 = true;
          }
          break;
        }
        case 'webinar_attended':
          if (age <= 60 * DAY_MS) webinar60 = true;
          break;
        case 'unsubscribe':
          unsubscribed = true;
          break;
      }
    }
  }

  let fit = 0;
  if (job !== null && DECISION_MAKERS.has(job)) fit += 1500;
  if (job !== null && MANAGERS.has(job)) fit += 800;
  if (size >= 10 && size <= 250 && industry !== null && TARGET_INDUSTRIES.has(industry)) fit += 1500;
  if (size > 1000) fit += 500;
  if (revenue >= 1_000_000) fit += 500;
  if (country !== null && !HOME_MARKETS.has(country)) fit -= 1000;
  if (email !== null) {
    for (const domain of PERSONAL_DOMAINS) {
      if (email.endsWith(domain)) {
        fit -= 500;
        break;
      }
    }
  }
  if (student === true) fit -= 10000;
  if (phone === null) fit -= 300;
  if (fit > 6000) fit = 6000;

  let engagement = 0;
  if (opens90 >= 3) engagement += 500;
  if (opens90 >= 10) engagement += 500;
  if (pricing30) engagement += 2500;
  if (guide) engagement += 2000;
  if (caseStudy180) engagement += 1000;
  if (webinar60) engagement += 1500;
  if (Math.floor(lastViewAge / DAY_MS) <= 7) engagement += 500;
  engagement += Math.min(200 * clicks90, 1000);
  engagement += Math.min(blogCents, 800);
  if (unsubscribed) engagement -= 3000;
  if (opens180 === 0) engagement -= 1000;
  if (engagement > 8000) engagement = 8000;

  let total = fit + engagement;
  if (budgetValidated === true) total += 1000;
  if (total < 0) total = 0;
  if (total > 10000) total = 10000;

  let stage = null;
  if (total >= 0) stage = 'discovery';
  if (total >= 2000) stage = 'evaluation';
  if (total >= 4000) stage = 'purchase';
  if (total >= 5000 && email !== null && phone !== null && budgetValidated === true) stage = 'sales_ready';

  let tier = null;
  if (fit >= 3000 && engagement >= 3000) tier = 'hot';
  else if (fit >= 1500 || engagement >= 3000) tier = 'warm';

  return { score: total / 100, stage, tier, groups: { fit: fit / 100, engagement: engagement / 100 } };
}

/**
 * The same interface as a compiled Rubric scorer's fast path. `parseTimes`: `'fast'` (default,
 * {@link parseIso}) or `'Date.parse'` (the baseline of earlier reports, kept for comparison).
 */
export function createScorer({ parseTimes = 'fast' } = {}) {
  const instant = parseTimes === 'Date.parse' ? instantDateParse : instantFast;
  return {
    score(lead, options) {
      const now = options.now;
      return scoreLead(lead, now instanceof Date ? now.getTime() : Date.parse(now), instant);
    },
  };
}
