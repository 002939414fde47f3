#!/usr/bin/env node
/**
 * Deterministic leads for the second workload, bench/workloads/simple-fit.rubric: CRM records
 * with engagement already counted into number fields, no events.
 *
 * Lead `i` of seed `s` depends only on (s, i), like bench/generate-leads.mjs (whose random
 * helpers it shares). The mess is the one of a CSV export or a hand-fed CRM: case, accent and
 * padding variants of the listed values (`DIRECTEUR GÉNÉRAL`, ` pdg`, `Conseil `), near misses
 * (`vp  sales`, `SaaS`), numbers as numbers and as numeric strings (`"120"`, `" 12"` with
 * padding, which the scorer API treats as not a number while the CSV reader trims it), blanks,
 * `null`, absent fields and a few wrong types (`"n/a"`, `"1 000 000"`, `42` as a job, `"oui"`
 * as a bool).
 *
 * Usage as a script:
 *   node bench/generate-simple-leads.mjs --count 1000 [--seed 42] [--format jsonl|csv] [--out FILE]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { csvCell, DEFAULT_SEED, pick, rngFor, weighted, writer } from './generate-leads.mjs';

const ABSENT = Symbol('absent');

/** Missing in its usual spellings: absent, null, blank text. */
function missingValue(rng) {
  return pick(rng, [ABSENT, ABSENT, null, '', '  ']);
}

const JOBS = [
  [6, 'CEO'], [2, ' ceo'], [2, 'Pdg'], [2, 'PDG'], [1, 'DG'], [2, 'Directeur Général'],
  [1, 'DIRECTEUR GÉNÉRAL'], [1, 'directeur general'], [2, 'Directeur commercial'], [1, 'CTO'],
  [1, 'CFO\u00a0'], [1, 'COO'], [2, 'VP Sales'], [1, 'vp  sales'], [3, 'Head of Marketing'],
  [2, 'responsable Marketing'], [2, 'IT manager'], [2, 'Chef de Projet'], [2, 'Stagiaire'],
  [1, 'stagiaire marketing'], [1, 'Stagiaire développeur'], [6, 'Developer'], [5, 'Consultant'],
  [3, 'Comptable'], [3, 'Office manager'], [4, 'Sales Manager'], [2, 'Product Owner'],
];
const NAMES = ['ana', 'bruno', 'chloe', 'david', 'elise', 'farid', 'gaelle', 'hugo', 'ines', 'jules'];
const DOMAINS = [
  [30, '@acme.fr'], [10, '@globex.com'], [8, '@initech.io'], [10, '@gmail.com'], [3, '@GMAIL.COM'],
  [3, '@Gmail.com '], [4, '@yahoo.fr'], [3, '@yahoo.com'], [3, '@hotmail.com'], [2, '@hotmail.fr'],
  [3, '@outlook.com'], [4, '@orange.fr'], [2, '@Free.fr'], [2, '@gmail.com.fr'], [2, '@société.fr'],
];
const INDUSTRIES = [
  [5, 'Logiciel'], [3, 'logiciel'], [4, 'software'], [2, 'Software '], [2, 'SaaS'], [4, 'Services'],
  [2, 'services'], [3, 'conseil'], [1, 'Conseil '], [3, 'retail'], [1, 'RETAIL'], [2, 'Santé'],
  [1, 'SANTE'], [1, 'santé '], [4, 'industrie'], [4, 'finance'], [2, 'Éducation'], [2, 'transport'],
];
const COUNTRIES = [
  [30, 'FR'], [6, 'fr'], [2, ' Fr'], [6, 'BE'], [4, 'CH'], [2, 'LU'], [3, 'CA'], [1, 'ca '],
  [8, 'DE'], [10, 'US'], [6, 'GB'], [4, 'ES'],
];
const BOOL_TEXT = ['yes', 'no', 'Yes', 'NO', '1', '0', 'TRUE', 'false', ' true '];

function textField(rng, present, value) {
  if (rng() < present) return value();
  if (rng() < 0.05) return 42; // wrong type
  return missingValue(rng);
}

function companySize(rng) {
  const r = rng();
  if (r < 0.05) return missingValue(rng);
  if (r < 0.07) return pick(rng, ['n/a', ' 120', '50 ', '1,200']); // not numbers to the scorer
  if (r < 0.10) return pick(rng, [9, 10, 49, 50, 249, 250, 5000, 5001]); // thresholds
  const size = Math.round(Math.exp(rng() * Math.log(20_000)));
  if (r < 0.25) return String(size);
  if (r < 0.27) return size + 0.5;
  return size;
}

function revenue(rng) {
  const r = rng();
  if (r < 0.15) return missingValue(rng);
  if (r < 0.17) return pick(rng, [1_000_000, '1000000', 999_999.99, '999999.99']);
  if (r < 0.18) return pick(rng, ['1e6', '1 000 000', true]); // not numbers to the scorer
  const value = Math.round(Math.exp(Math.log(10_000) + rng() * Math.log(5_000)));
  return r < 0.3 ? String(value) : value;
}

/** An engagement count: usually a number, sometimes a numeric string, blank or garbage. */
function count(rng, scale) {
  const r = rng();
  if (r < 0.08) return missingValue(rng);
  if (r < 0.09) return pick(rng, ['n/a', '-', ' 3', '2.0.1']);
  const value = Math.floor(Math.pow(rng(), 2) * scale);
  return r < 0.2 ? String(value) : value;
}

function boolField(rng, trueRate) {
  const r = rng();
  if (r < 0.15) return missingValue(rng);
  if (r < 0.25) return pick(rng, BOOL_TEXT);
  if (r < 0.26) return pick(rng, ['maybe', 2, 'oui']); // not bools to the scorer
  return rng() < trueRate;
}

function set(lead, key, value) {
  if (value !== ABSENT) lead[key] = value;
}

/**
 * Lead `index` (0-based) of `seed` for simple-fit.rubric: its `lead` block's fields, `company`
 * nested (absent for a few leads). Pure: the same (index, seed) always gives an equal object.
 */
export function generateSimpleLead(index, seed = DEFAULT_SEED) {
  // A different stream from the reference leads of the same index.
  const rng = rngFor(seed ^ 0x5f1e7, index);
  const lead = { id: `S${String(index + 1).padStart(8, '0')}` };
  set(lead, 'job', textField(rng, 0.9, () => weighted(rng, JOBS)));
  set(lead, 'email', textField(rng, 0.9, () => pick(rng, NAMES) + weighted(rng, DOMAINS)));
  set(lead, 'phone', textField(rng, 0.65, () => `+33 6 ${String(Math.floor(rng() * 1e8)).padStart(8, '0')}`));
  if (rng() < 0.96) {
    const company = {};
    set(company, 'size', companySize(rng));
    set(company, 'industry', textField(rng, 0.85, () => weighted(rng, INDUSTRIES)));
    lead.company = company;
  }
  set(lead, 'country', textField(rng, 0.88, () => weighted(rng, COUNTRIES)));
  set(lead, 'revenue', revenue(rng));
  set(lead, 'emails_opened_90d', count(rng, 25));
  set(lead, 'emails_clicked_90d', count(rng, 6));
  set(lead, 'pages_viewed_30d', count(rng, 15));
  set(lead, 'webinars_attended', count(rng, 3));
  set(lead, 'downloads', count(rng, 5));
  set(lead, 'unsubscribed', boolField(rng, 0.06));
  return lead;
}

/** `count` simple-fit leads starting at `start`, as an array. */
export function generateSimpleLeads(n, { seed = DEFAULT_SEED, start = 0 } = {}) {
  const leads = new Array(n);
  for (let i = 0; i < n; i++) leads[i] = generateSimpleLead(start + i, seed);
  return leads;
}

/** The CSV columns: simple-fit.rubric's fields, dotted names for the nested ones. */
export const SIMPLE_CSV_COLUMNS = [
  'id', 'job', 'email', 'phone', 'company.size', 'company.industry', 'country', 'revenue',
  'emails_opened_90d', 'emails_clicked_90d', 'pages_viewed_30d', 'webinars_attended', 'downloads',
  'unsubscribed',
];

/** One CSV line (no newline) of a simple-fit lead. */
export function simpleLeadToCsvRow(lead) {
  const company = lead.company ?? {};
  const values = [
    lead.id, lead.job, lead.email, lead.phone, company.size, company.industry, lead.country, lead.revenue,
    lead.emails_opened_90d, lead.emails_clicked_90d, lead.pages_viewed_30d, lead.webinars_attended,
    lead.downloads, lead.unsubscribed,
  ];
  return values.map(csvCell).join(',');
}

/** Streams `n` simple-fit leads to `path` as CSV (header + one row per lead) or JSON Lines. */
export async function writeSimpleLeadsFile(path, n, { seed = DEFAULT_SEED, format = 'csv' } = {}) {
  const out = writer(path);
  if (format === 'csv') await out.write(SIMPLE_CSV_COLUMNS.join(',') + '\n');
  const batch = [];
  for (let i = 0; i < n; i++) {
    const lead = generateSimpleLead(i, seed);
    batch.push(format === 'csv' ? simpleLeadToCsvRow(lead) : JSON.stringify(lead));
    if (batch.length === 2000 || i === n - 1) {
      await out.write(batch.join('\n') + '\n');
      batch.length = 0;
    }
  }
  await out.close();
}

async function main() {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '1000' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      format: { type: 'string', default: 'jsonl' },
      out: { type: 'string', default: '/dev/stdout' },
    },
  });
  const n = Number(values.count);
  const seed = Number(values.seed);
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(seed) || (values.format !== 'csv' && values.format !== 'jsonl')) {
    process.stderr.write('usage: node bench/generate-simple-leads.mjs --count N [--seed S] [--format jsonl|csv] [--out FILE]\n');
    process.exit(2);
  }
  await writeSimpleLeadsFile(values.out, n, { seed, format: values.format });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
