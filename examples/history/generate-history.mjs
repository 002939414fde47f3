#!/usr/bin/env node
// Writes examples/history/history.sample.jsonl: a year of leads of a B2B software vendor, each
// with the date it was handed over (`as_of`) and what became of it (`outcome`: won or lost), made
// by a SEEDED generator from a PLANTED truth, so a back-test can be checked against what really
// drives winning here:
//
//   node examples/history/generate-history.mjs            # writes the history
//   node examples/history/generate-history.mjs --check    # exits 1 when the file is out of date
//
// The planted truth (PLANTED below) is a logistic model: a lead's log-odds of winning are the
// intercept plus, for each behaviour or trait it has AT ITS `as_of` DATE, that behaviour's weight.
// Each trait is drawn independently, with its own prevalence, then written as the lead fields
// and events that make exactly the matching rule of history.rubric fire. Demo requests and
// pricing-page visits predict winning strongly, being a decision maker moderately, a target
// account and a guide download a little; webinar registrations, e-newsletter opens and having
// an e-mail address do not matter at all; a personal address and an unsubscribe lower the odds.
// history.rubric weighs these by feel, and wrongly on purpose (see examples/history/README.md).
//
// Like real CRM history, some leads also have events AFTER their `as_of` date (the sales cycle
// goes on: demos, pricing visits), mostly the won ones: scoring them at today's date instead of
// `as_of` leaks the outcome into the score. And a few rows have no usable outcome.
//
// Plain Node (>= 20), no dependencies; mulberry32 PRNG with a fixed seed.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../generate-samples.mjs';

export const SEED = 20_260_301;
export const LEADS = 3000;
const HERE = dirname(fileURLToPath(import.meta.url));
export const OUTPUT = join(HERE, 'history.sample.jsonl');
const DAY_MS = 86_400_000;
/** `as_of` dates fall between these (outcomes are known by 2026-03-01). */
const FIRST_AS_OF = Date.parse('2025-03-03T00:00:00Z');
const LAST_AS_OF = Date.parse('2026-01-30T00:00:00Z');

/**
 * The planted truth: log-odds of winning per trait, keyed by the label of the rule in
 * history.rubric that detects the trait. `prevalence` is how often a lead has it.
 * `Newsletter ouverte (90 jours)` is per open (the rule gives points per occurrence, up to 5).
 */
export const PLANTED = {
  intercept: -2.8,
  traits: {
    'Demande de démo (60 jours)': { weight: 2.4, prevalence: 0.12 },
    'Page tarifs (30 jours)': { weight: 1.7, prevalence: 0.22 },
    'Décideur (directeur ou dirigeant)': { weight: 1.0, prevalence: 0.3 },
    'Compte cible (20 à 500 salariés, secteur cible)': { weight: 0.5, prevalence: 0.4 },
    'Guide téléchargé': { weight: 0.5, prevalence: 0.3 },
    'Inscrit à un webinar (90 jours)': { weight: 0, prevalence: 0.3 },
    'Newsletter ouverte (90 jours)': { weight: 0, prevalence: null },
    'E-mail connu': { weight: 0, prevalence: 0.997 },
    'Adresse e-mail personnelle': { weight: -0.7, prevalence: 0.18 },
    'Désabonné': { weight: -1.2, prevalence: 0.1 },
    Stagiaire: { weight: -1.5, prevalence: 0.005 },
  },
};

// ---------------------------------------------------------------------------------------------
// Randomness

function randomness(seed) {
  const next = mulberry32(seed);
  return {
    next,
    chance: (p) => next() < p,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    /** A Poisson-distributed count (Knuth; fine for small means). */
    poisson: (mean) => {
      const limit = Math.exp(-mean);
      let k = 0;
      let p = next();
      while (p > limit) {
        k++;
        p *= next();
      }
      return k;
    },
  };
}

const day = (ms) => new Date(ms).toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------
// Who the leads are

const FIRST_NAMES = ['camille', 'lea', 'manon', 'ines', 'chloe', 'julie', 'sarah', 'lucas', 'hugo', 'louis', 'nathan', 'thomas', 'marc', 'paul', 'anne', 'eric', 'sophie', 'julien', 'claire', 'nicolas'];
const LAST_NAMES = ['martin', 'bernard', 'dubois', 'thomas', 'robert', 'richard', 'petit', 'durand', 'leroy', 'moreau', 'simon', 'laurent', 'lefebvre', 'michel', 'garcia', 'roux', 'fontaine', 'peeters', 'muller', 'weber'];
const COMPANY_WORDS = ['logisoft', 'alpinvest', 'batipro', 'datanova', 'medilab', 'transalp', 'agrinov', 'cabinet-roux', 'optimo', 'vetorix', 'lumea', 'nexa', 'pixelis', 'conseil-plus', 'artisania'];
const PERSONAL_DOMAINS = ['gmail.com', 'yahoo.fr', 'hotmail.fr', 'orange.fr', 'free.fr'];
const TARGET_INDUSTRIES = ['logiciel', 'SaaS', 'conseil', 'services informatiques', 'e-commerce'];
const OTHER_INDUSTRIES = ['industrie', 'BTP', 'santé', 'transport', 'agriculture', 'commerce de gros', 'administration'];
const SENIOR = ['directeur', 'dirigeant'];
const OTHERS = ['junior', 'manager', 'manager', 'junior', 'manager'];

function companyFor(rng, target) {
  if (target) return { size: rng.int(20, 500), industry: rng.pick(TARGET_INDUSTRIES) };
  // Not a target account: the wrong size, the wrong industry, or both.
  const smallOrHuge = rng.chance(0.5) ? rng.int(1, 19) : rng.int(501, 5000);
  return rng.chance(0.5)
    ? { size: smallOrHuge, industry: rng.pick([...TARGET_INDUSTRIES, ...OTHER_INDUSTRIES]) }
    : { size: rng.int(1, 3000), industry: rng.pick(OTHER_INDUSTRIES) };
}

// ---------------------------------------------------------------------------------------------
// One lead

function generateLead(rng, index) {
  const t = PLANTED.traits;
  const has = {};
  for (const [label, trait] of Object.entries(t)) if (trait.prevalence !== null) has[label] = rng.chance(trait.prevalence);
  // Opens of the e-newsletter in the 90 days before `as_of`: how many counts, the rule stops at 5.
  const opens = rng.poisson(1.6);

  const asOf = FIRST_AS_OF + rng.int(0, Math.round((LAST_AS_OF - FIRST_AS_OF) / DAY_MS)) * DAY_MS;
  const before = (minDays, maxDays) => day(asOf - rng.int(minDays, maxDays) * DAY_MS);
  const after = (minDays, maxDays) => day(asOf + rng.int(minDays, maxDays) * DAY_MS);

  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const companyWord = rng.pick(COMPANY_WORDS);
  let email;
  if (!has['E-mail connu']) email = rng.pick([null, '', '  ']);
  else if (has['Adresse e-mail personnelle']) email = `${first}.${last}@${rng.pick(PERSONAL_DOMAINS)}`;
  else email = `${first[0]}.${last}@${companyWord}.${rng.pick(['fr', 'fr', 'com', 'be', 'ch'])}`;

  const seniority = has.Stagiaire ? 'stagiaire' : has['Décideur (directeur ou dirigeant)'] ? rng.pick(SENIOR) : rng.pick(OTHERS);
  const lead = {
    id: `h-${String(index + 1).padStart(4, '0')}`,
    email,
    phone: rng.chance(0.75) ? `+33 ${rng.int(1, 9)} ${rng.int(10, 99)} ${rng.int(10, 99)} ${rng.int(10, 99)} ${rng.int(10, 99)}` : null,
    seniority,
    company: companyFor(rng, has['Compte cible (20 à 500 salariés, secteur cible)']),
    as_of: day(asOf),
  };
  // A few CRM warts: a size that is not a number counts as missing (so the lead is no target).
  if (!has['Compte cible (20 à 500 salariés, secteur cible)'] && rng.chance(0.02)) lead.company.size = rng.pick(['N/A', '50-99', null]);

  const events = [];
  const add = (type, at, props = {}) => events.push({ type, at, ...props });
  if (has['Page tarifs (30 jours)']) add('page_view', before(0, 28), { url: rng.pick(['/tarifs', '/pricing', '/tarifs/equipes']) });
  else if (rng.chance(0.15)) add('page_view', before(35, 200), { url: '/tarifs' }); // too old to count
  const pages = rng.int(0, 2);
  for (let i = 0; i < pages; i++) add('page_view', before(0, 120), { url: rng.pick(['/', '/blog/mql', '/fonctionnalites', '/clients', '/blog/scoring']) });
  if (has['Demande de démo (60 jours)']) add('demo_request', before(0, 55));
  else if (rng.chance(0.05)) add('demo_request', before(70, 300));
  if (has['Inscrit à un webinar (90 jours)']) add('webinar_registration', before(0, 85), { topic: rng.pick(['Le lead scoring en 2026', 'Aligner sales et marketing']) });
  for (let i = 0; i < opens; i++) add('newsletter_open', before(0, 85));
  if (rng.chance(0.3)) add('newsletter_open', before(95, 300));
  if (has['Guide téléchargé']) add('download', before(0, 300), { asset: rng.pick(['guide-lead-scoring', 'guide-crm-pme']) });
  else if (rng.chance(0.2)) add('download', before(0, 300), { asset: rng.pick(['etude-de-cas-pme', 'livre-blanc-mql']) });
  if (has['Désabonné']) add('unsubscribe', before(0, 200));

  // The planted truth decides the outcome from the traits as of `as_of`.
  let logOdds = PLANTED.intercept;
  for (const [label, trait] of Object.entries(t)) if (trait.prevalence !== null && has[label]) logOdds += trait.weight;
  logOdds += t['Newsletter ouverte (90 jours)'].weight * Math.min(opens, 5);
  const won = rng.next() < 1 / (1 + Math.exp(-logOdds));

  // The sales cycle after `as_of`: won deals see demos and pricing visits, lost ones a little.
  if (rng.chance(won ? 0.6 : 0.08)) add('demo_request', after(3, 25));
  if (rng.chance(won ? 0.5 : 0.1)) add('page_view', after(1, 20), { url: '/tarifs' });

  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  lead.outcome = won ? 'won' : 'lost';
  lead.events = events;
  return lead;
}

/** Every line of the history file. */
export function generateHistory() {
  const rng = randomness(SEED);
  const leads = [];
  for (let i = 0; i < LEADS; i++) leads.push(generateLead(rng, i));
  // A few rows whose outcome was never recorded, or recorded as something else.
  const broken = [[17, null], [403, ''], [958, 'pending'], [1500, '?'], [2211, undefined], [2890, 'en cours']];
  for (const [index, value] of broken) {
    if (value === undefined) delete leads[index].outcome;
    else leads[index].outcome = value;
  }
  return `${leads.map((lead) => JSON.stringify(lead)).join('\n')}\n`;
}

function main() {
  const text = generateHistory();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(OUTPUT, 'utf8');
    } catch {
      current = '';
    }
    if (current !== text) {
      process.stderr.write(`${OUTPUT} is out of date: run node examples/history/generate-history.mjs\n`);
      process.exit(1);
    }
    process.stdout.write(`${OUTPUT} is up to date\n`);
    return;
  }
  writeFileSync(OUTPUT, text);
  process.stdout.write(`wrote ${OUTPUT} (${LEADS} leads, ${Buffer.byteLength(text)} bytes)\n`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
