/**
 * Turning a raw lead into clean facts, shared by the two rule-engine peers (json-logic-js and
 * json-rules-engine). Neither engine can fold text, tell a numeric string from garbage or parse
 * an ISO timestamp, so a real integration normalizes the lead in JavaScript first; that work is
 * part of each peer's measured time.
 *
 * Semantics are Rubric's (see bench/peers/handwritten.mjs): folded text or null when missing,
 * numbers or null, booleans or null, events with a parseable time not after `now`.
 */

// Trimmed (space, tab, CR, LF, U+00A0), an optional sign (issue 14: `+5` and ` 50` are numbers).
const NUMBER_TEXT = /^[ \t\r\n\u00a0]*[+-]?\d+(\.\d+)?[ \t\r\n\u00a0]*$/;
const COMBINING_MARKS = /[\u0300-\u036f]/g;

function isTrimmed(code) {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a || code === 0xa0;
}

/** Folded text, or null when the value is not text or is blank. */
export function foldedText(value) {
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

/** A number, or null when missing or of the wrong type. */
export function numberOrNull(value) {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && NUMBER_TEXT.test(value)) return Number(value); // Number() trims the same spaces
  return null;
}

/** true, false, or null when missing or of the wrong type. */
export function boolOrNull(value) {
  if (typeof value === 'boolean') return value;
  const text = foldedText(value);
  if (text === 'true' || text === 'yes' || text === '1') return true;
  if (text === 'false' || text === 'no' || text === '0') return false;
  return null;
}

function own(object, key) {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** A lead field by dotted path: a literal dotted key wins over the nested path; own properties only. */
export function readField(lead, path) {
  if (Object.hasOwn(lead, path)) return lead[path];
  let value = lead;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = value[part];
  }
  return value;
}

/** The lead's fields of bench/reference.rubric (and of the generated rulesets), normalized. */
export function leadFields(lead) {
  return {
    job: foldedText(own(lead, 'job')),
    email: foldedText(own(lead, 'email')),
    phone: foldedText(own(lead, 'phone')),
    size: numberOrNull(readField(lead, 'company.size')),
    industry: foldedText(readField(lead, 'company.industry')),
    country: foldedText(own(lead, 'country')),
    revenue: numberOrNull(own(lead, 'revenue')),
    student: boolOrNull(own(lead, 'student')),
    budget: boolOrNull(own(lead, 'budget_validated')),
  };
}

/**
 * The lead's events that count at `nowMs`: `{type, age, url, asset}` with `age` in seconds
 * (>= 0) and properties folded (null when missing). Unparseable or future times are dropped.
 */
export function leadEvents(lead, nowMs) {
  const events = own(lead, 'events');
  const out = [];
  if (!Array.isArray(events)) return out;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (event === null || typeof event !== 'object') continue;
    const at = event.at;
    const ms = typeof at === 'string' ? Date.parse(at) : at instanceof Date ? at.getTime() : NaN;
    if (!(ms <= nowMs)) continue;
    out.push({ type: event.type, age: (nowMs - ms) / 1000, url: foldedText(event.url), asset: foldedText(event.asset) });
  }
  return out;
}
