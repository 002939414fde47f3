#!/usr/bin/env node
/**
 * Deterministic lead generator for the benchmarks.
 *
 * Lead `i` of seed `s` depends only on (s, i): any prefix or subset can be regenerated, streamed
 * to a file, or rebuilt in another process with identical content. The data is deliberately
 * messy in the ways real CRM exports are, because every implementation must agree on it:
 * case and accent variants (`DIRECTEUR GÉNÉRAL`), padding (`\tCFO\u00a0`), numbers as strings,
 * wrong types, blank text, absent fields, dotted keys instead of nested objects, booleans as
 * `yes`/`1`, events in the future (ignored), events with unparseable times (ignored), unknown
 * event types, date-only timestamps that land exactly on `within` boundaries, and Date objects.
 *
 * Usage as a script:
 *   node bench/generate-leads.mjs --count 1000 [--seed 42] [--format jsonl|csv] [--out FILE]
 *     [--events EVENTS.csv]
 * CSV has one row per lead; its events go to a second CSV (`--events`: lead_id, type, at, url,
 * asset, sorted by lead id as `rubric score --events` requires). JSONL carries everything inline
 * (Date objects become ISO strings).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The instant every benchmark scores at: 2026-03-01T00:00:00Z. */
export const BENCH_NOW = new Date(Date.UTC(2026, 2, 1));
export const DEFAULT_SEED = 20260301;

const DAY = 86_400;

/** mulberry32: small, fast, good enough for test data; state is one 32-bit integer. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator of lead `index` for `seed`, independent of every other lead. */
export function rngFor(seed, index) {
  // Mix seed and index so neighbouring leads do not get correlated streams.
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x27d4eb2d);
  h ^= h >>> 15;
  return mulberry32(h);
}

export function pick(rng, items) {
  return items[Math.floor(rng() * items.length)];
}

/** Weighted choice: `pairs` is [[weight, value], ...]. */
export function weighted(rng, pairs) {
  let total = 0;
  for (const [w] of pairs) total += w;
  let r = rng() * total;
  for (const [w, v] of pairs) {
    r -= w;
    if (r < 0) return v;
  }
  return pairs[pairs.length - 1][1];
}

const ABSENT = Symbol('absent');

// Missing in its various spellings: absent, null, blank text; the caller adds wrong types.
function missingValue(rng) {
  return pick(rng, [ABSENT, ABSENT, null, '', '   ']);
}

const JOBS = [
  'CEO', 'ceo', ' CEO ', 'Ceo', 'CTO', 'COO', 'VP Sales', 'vp sales', 'VP  Sales',
  'Directeur Général', 'DIRECTEUR GÉNÉRAL', 'directeur general', '  Directeur achats',
  'Head of Marketing', 'Responsable Marketing', 'IT manager', 'IT Manager ',
  'Developer', 'Consultant', 'Chargé de mission', 'Stagiaire', 'Office manager', 'Comptable',
  '\tCFO\u00a0', 'Sales Manager', 'Product Owner',
];
const FIRST_NAMES = ['ana', 'bruno', 'chloe', 'david', 'elise', 'farid', 'gaelle', 'hugo', 'ines', 'jules'];
const EMAIL_DOMAINS = [
  [30, '@acme.fr'], [10, '@globex.com'], [8, '@initech.io'], [12, '@gmail.com'], [3, '@GMAIL.COM'],
  [5, '@yahoo.com'], [5, '@hotmail.fr'], [4, '@outlook.com'], [3, '@gmail.com.fr'],
  [2, '@société.fr'], [2, '@yahoo.company.com'],
];
const INDUSTRIES = [
  'services', 'Services', ' services ', 'retail', 'RETAIL', 'Logiciel', 'logiciel', 'Santé',
  'sante', 'SANTÉ', 'industrie', 'finance', 'Éducation', 'transport',
];
const COUNTRIES = [
  [30, 'FR'], [8, 'fr'], [6, 'BE'], [5, 'CH'], [2, 'LU'], [8, 'DE'], [10, 'US'], [6, 'GB'],
  [4, 'ES'], [2, '  us'], [2, 'Fr '],
];
const PAGES = [
  [12, '/pricing'], [4, '/Pricing/enterprise'], [2, '/pricing-old'], [2, ' /PRICING'],
  [20, '/blog/lead-scoring'], [8, '/blog/crm-pme'], [3, '/BLOG/Étude'], [15, '/docs'],
  [15, '/'], [6, '/features'], [3, '/about/pricing'],
];
const ASSETS = [
  [10, 'process-guide'], [6, 'Guide-CRM.pdf'], [6, 'case-study-retail'], [4, 'Étude de cas'],
  [3, 'etude-sante'], [8, 'whitepaper'], [5, 'checklist'], [2, 'GUIDE'],
];
const EVENT_TYPES = [
  [35, 'email_open'], [15, 'email_click'], [30, 'page_view'], [8, 'download'],
  [5, 'webinar_attended'], [1.5, 'unsubscribe'], [5, 'form_submit'],
];
const BOOL_TEXT = ['yes', 'no', 'Yes', 'NO', '1', '0', 'TRUE', 'false', ' true '];

function textField(rng, present, value) {
  if (rng() < present) return value();
  const r = rng();
  if (r < 0.05) return 42; // wrong type
  return missingValue(rng);
}

function companySize(rng) {
  const r = rng();
  if (r < 0.06) return missingValue(rng);
  if (r < 0.08) return 'n/a';
  if (r < 0.10) return pick(rng, [10, 250, 1000, 9, 251, 1001]); // boundaries
  const size = Math.round(Math.exp(rng() * Math.log(20_000)));
  if (r < 0.20) return String(size); // number as text
  if (r < 0.22) return size + 0.5;
  return size;
}

function revenue(rng) {
  const r = rng();
  if (r < 0.15) return missingValue(rng);
  if (r < 0.17) return pick(rng, [1_000_000, '1000000', 999_999.99]);
  if (r < 0.18) return pick(rng, ['1e6', '1 000 000', true]); // wrong type: missing
  const value = Math.round(Math.exp(Math.log(10_000) + rng() * Math.log(5_000)));
  return r < 0.25 ? String(value) : value;
}

function boolField(rng, trueRate) {
  const r = rng();
  if (r < 0.15) return missingValue(rng);
  if (r < 0.25) return pick(rng, BOOL_TEXT);
  if (r < 0.26) return pick(rng, ['maybe', 2, 'oui']); // wrong type: missing
  return rng() < trueRate;
}

function two(n) {
  return n < 10 ? '0' + n : String(n);
}

/** An event time as data arrives: ISO with time, date-only, a Date, or garbage. */
function eventTime(rng, nowSeconds) {
  const r = rng();
  if (r < 0.015) return pick(rng, ['', 'yesterday', null, 'n/a']);
  // Mostly in the past year; a few in the future (they must be ignored).
  const ageDays = r < 0.045 ? -1 - Math.floor(rng() * 10) : Math.floor(Math.pow(rng(), 1.5) * 400);
  if (r < 0.20) {
    // Date-only: 00:00Z, so ages are whole days and `within 30 days` boundaries are hit exactly.
    const d = new Date((nowSeconds - ageDays * DAY) * 1000);
    return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
  }
  const seconds = nowSeconds - ageDays * DAY - Math.floor(rng() * DAY);
  if (r < 0.23) return new Date(seconds * 1000);
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function makeEvent(rng, nowSeconds) {
  const type = weighted(rng, EVENT_TYPES);
  const at = eventTime(rng, nowSeconds);
  switch (type) {
    case 'page_view': {
      const r = rng();
      const url = r < 0.03 ? missingValue(rng) : r < 0.04 ? 404 : weighted(rng, PAGES);
      return url === ABSENT ? { type, at } : { type, at, url };
    }
    case 'download': {
      const r = rng();
      const asset = r < 0.04 ? missingValue(rng) : weighted(rng, ASSETS);
      return asset === ABSENT ? { type, at } : { type, at, asset };
    }
    default:
      return { type, at };
  }
}

function set(lead, key, value) {
  if (value !== ABSENT) lead[key] = value;
}

/**
 * Lead `index` (0-based) of `seed`. Fields follow bench/reference.rubric's `lead` block; events
 * are in `lead.events`. Pure: the same (index, seed) always gives an equal object.
 */
export function generateLead(index, seed = DEFAULT_SEED, now = BENCH_NOW) {
  const rng = rngFor(seed, index);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const lead = { id: `L${String(index + 1).padStart(8, '0')}` };
  set(lead, 'job', textField(rng, 0.88, () => pick(rng, JOBS)));
  set(lead, 'email', textField(rng, 0.92, () => pick(rng, FIRST_NAMES) + weighted(rng, EMAIL_DOMAINS)));
  set(lead, 'phone', textField(rng, 0.7, () => `+33 1 ${two(Math.floor(rng() * 100))} 45 67 89`));
  const size = companySize(rng);
  const industry = textField(rng, 0.85, () => pick(rng, INDUSTRIES));
  if (rng() < 0.06) {
    // Flat export with dotted keys instead of a nested object.
    set(lead, 'company.size', size);
    set(lead, 'company.industry', industry);
  } else if (rng() < 0.97) {
    const company = {};
    set(company, 'size', size);
    set(company, 'industry', industry);
    lead.company = company;
  }
  set(lead, 'country', textField(rng, 0.9, () => weighted(rng, COUNTRIES)));
  set(lead, 'revenue', revenue(rng));
  set(lead, 'student', boolField(rng, 0.04));
  set(lead, 'budget_validated', boolField(rng, 0.2));
  const eventCount = Math.floor(Math.pow(rng(), 2) * 40);
  if (eventCount > 0 || rng() < 0.5) {
    const events = new Array(eventCount);
    for (let e = 0; e < eventCount; e++) events[e] = makeEvent(rng, nowSeconds);
    lead.events = events;
  }
  return lead;
}

/** `count` leads starting at `start`, as an array. */
export function generateLeads(count, { seed = DEFAULT_SEED, start = 0, now = BENCH_NOW } = {}) {
  const leads = new Array(count);
  for (let i = 0; i < count; i++) leads[i] = generateLead(start + i, seed, now);
  return leads;
}

/** The CSV columns: the lead's fields in `reference.rubric`, dotted names for nested ones. */
export const CSV_COLUMNS = [
  'id', 'job', 'email', 'phone', 'company.size', 'company.industry', 'country', 'revenue',
  'student', 'budget_validated',
];

/** One CSV cell: quoted when it holds a quote, comma or line break, or has padding to keep. */
export function csvCell(value) {
  if (value === undefined || value === null) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? '"' + text.replaceAll('"', '""') + '"' : text;
}

function readPath(lead, path) {
  if (Object.hasOwn(lead, path)) return lead[path];
  const dot = path.indexOf('.');
  if (dot < 0) return undefined;
  const parent = lead[path.slice(0, dot)];
  return parent !== null && typeof parent === 'object' ? parent[path.slice(dot + 1)] : undefined;
}

/** One CSV line (no newline) for a lead; events are dropped. */
export function leadToCsvRow(lead) {
  return CSV_COLUMNS.map((column) => csvCell(readPath(lead, column))).join(',');
}

/** The columns of the events CSV: one row per event, sorted by lead id like the leads CSV. */
export const EVENT_CSV_COLUMNS = ['lead_id', 'type', 'at', 'url', 'asset'];

/** The events CSV lines (no newline) of a lead. */
export function eventsToCsvRows(lead) {
  const rows = [];
  for (const event of lead.events ?? []) {
    rows.push([lead.id, event.type, event.at, event.url, event.asset].map(csvCell).join(','));
  }
  return rows;
}

/** A stream writer that waits for `drain`; `close()` resolves when the file is written. */
export function writer(path) {
  const out = createWriteStream(path);
  return {
    async write(chunk) {
      if (!out.write(chunk)) await once(out, 'drain');
    },
    async close() {
      out.end();
      await once(out, 'finish');
    },
  };
}

/**
 * Streams `count` leads to `path` as CSV (header + one row per lead) or JSONL (events inline).
 * With `eventsPath` (CSV only), the leads' events go there, one row per event, in lead order.
 */
export async function writeLeadsFile(path, count, { seed = DEFAULT_SEED, format = 'csv', eventsPath } = {}) {
  const out = writer(path);
  const events = eventsPath === undefined ? null : writer(eventsPath);
  if (format === 'csv') await out.write(CSV_COLUMNS.join(',') + '\n');
  if (events !== null) await events.write(EVENT_CSV_COLUMNS.join(',') + '\n');
  const batch = [];
  const eventBatch = [];
  for (let i = 0; i < count; i++) {
    const lead = generateLead(i, seed);
    batch.push(format === 'csv' ? leadToCsvRow(lead) : JSON.stringify(lead));
    if (events !== null) eventBatch.push(...eventsToCsvRows(lead));
    if (batch.length === 2000 || i === count - 1) {
      await out.write(batch.join('\n') + '\n');
      batch.length = 0;
      if (events !== null && eventBatch.length > 0) await events.write(eventBatch.join('\n') + '\n');
      eventBatch.length = 0;
    }
  }
  await out.close();
  if (events !== null) await events.close();
}

async function main() {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '1000' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      format: { type: 'string', default: 'jsonl' },
      out: { type: 'string', default: '/dev/stdout' },
      events: { type: 'string' },
    },
  });
  const count = Number(values.count);
  const seed = Number(values.seed);
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(seed)) {
    process.stderr.write('usage: node bench/generate-leads.mjs --count N [--seed S] [--format jsonl|csv] [--out FILE] [--events FILE]\n');
    process.exit(2);
  }
  if (values.format !== 'csv' && values.format !== 'jsonl') {
    process.stderr.write(`unknown format \`${values.format}\`; use csv or jsonl\n`);
    process.exit(2);
  }
  if (values.events !== undefined && values.format !== 'csv') {
    process.stderr.write('--events is for --format csv (JSON Lines carries the events inline)\n');
    process.exit(2);
  }
  await writeLeadsFile(values.out, count, { seed, format: values.format, eventsPath: values.events });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
