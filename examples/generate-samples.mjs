#!/usr/bin/env node
// Writes the sample leads of every example, deterministically: the same seed gives the same
// bytes on every machine, so the samples can be regenerated and diffed in review.
//
//   node examples/generate-samples.mjs            # writes every sample
//   node examples/generate-samples.mjs --check    # exits 1 when a written sample is out of date
//
// Every timestamp is relative to REFERENCE_NOW (2026-03-01T00:00:00Z): score the samples with
// `--now 2026-03-01T00:00:00Z` to get the stage distribution documented in examples/README.md.
//
// The data is meant to look like a real CRM export, warts included: nested objects and dotted
// keys, missing fields, blank strings, "N/A" where a number belongs, case and accent variants,
// values outside a `one of` set, events of undeclared types, events after `now` and events whose
// date cannot be read. Plain Node (>= 20), no dependencies.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The instant every sample is generated relative to: score at this `now`. */
export const REFERENCE_NOW = '2026-03-01T00:00:00Z';

const NOW_MS = Date.parse(REFERENCE_NOW);
const DAY_MS = 86_400_000;
const HERE = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// Randomness: mulberry32, a tiny 32-bit PRNG, seeded per example (the history generator uses it too).

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

/** Helpers over one PRNG. */
function randomness(seed) {
  const next = mulberry32(seed);
  const rng = {
    next,
    /** True with probability p. */
    chance: (p) => next() < p,
    /** An integer in [min, max]. */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    /** `choices` is a list of [weight, value]. */
    weighted: (choices) => {
      const total = choices.reduce((sum, [w]) => sum + w, 0);
      let r = next() * total;
      for (const [w, value] of choices) {
        r -= w;
        if (r < 0) return value;
      }
      return choices[choices.length - 1][1];
    },
    /** A distinct sample of n items. */
    sample: (items, n) => {
      const pool = [...items];
      const out = [];
      while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(next() * pool.length), 1)[0]);
      return out;
    },
  };
  return rng;
}

// ---------------------------------------------------------------------------------------------
// Dates

/** ISO 8601 UTC instant, to the second (`2026-02-27T14:03:12Z`). */
function isoInstant(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An instant `days` days before now, at a random working-hours time (UTC). */
function daysAgo(rng, days) {
  const base = NOW_MS - days * DAY_MS;
  const dayStart = base - (base % DAY_MS);
  const ms = dayStart + rng.int(6, 19) * 3_600_000 + rng.int(0, 59) * 60_000 + rng.int(0, 59) * 1000;
  return Math.min(ms, NOW_MS - 1000);
}

/** The `at` of an event, mostly ISO with `Z`, sometimes in the other forms exports produce. */
function eventAt(rng, ms) {
  return rng.weighted([
    [96, () => isoInstant(ms)],
    [2, () => isoInstant(ms).slice(0, -1)], // no zone: UTC
    [1.5, () => isoInstant(ms).slice(0, 10)], // date only: 00:00Z
    [0.5, () => rng.pick(['hier', '', null, '27/02/2026 14:03'])], // unreadable: the event is ignored
  ])();
}

/** A date field as a CRM exports it: date-only mostly, sometimes an instant or a French date. */
function dateField(rng, ms) {
  return rng.weighted([
    [85, () => isoInstant(ms).slice(0, 10)],
    [10, () => isoInstant(ms)],
    [3, () => {
      const d = new Date(ms);
      return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
    }],
    [2, () => ''],
  ])();
}

/** Event ages (days before now) for an intent level: hot leads are recent, cold ones old. */
function eventAges(rng, intent, count) {
  const spread = { cold: [60, 400], curious: [15, 240], engaged: [0, 100], hot: [0, 35] }[intent];
  const ages = [];
  for (let i = 0; i < count; i++) ages.push(rng.int(spread[0], spread[1]) + rng.next());
  return ages.sort((x, y) => y - x);
}

// ---------------------------------------------------------------------------------------------
// People and companies (France, Belgium, Switzerland, Luxembourg, with a few from elsewhere)

const FIRST_NAMES = [
  'Camille', 'Léa', 'Chloé', 'Manon', 'Inès', 'Sarah', 'Julie', 'Emma', 'Clémence', 'Hélène', 'Élodie',
  'Sophie', 'Nathalie', 'Aurélie', 'Céline', 'Amélie', 'Margaux', 'Anaïs', 'Zoé', 'Gaëlle', 'Maëlle',
  'Océane', 'Agnès', 'Lucas', 'Hugo', 'Thomas', 'Nicolas', 'Julien', 'Maxime', 'Antoine', 'Théo',
  'François', 'Jérôme', 'Stéphane', 'Benoît', 'Grégoire', 'Loïc', 'Raphaël', 'Joël', 'Sébastien',
  'Laurent', 'Pierre', 'Marc', 'Yannick', 'Frédéric', 'Cédric', 'Régis', 'Hervé', 'Noémie', 'Bastien',
];
const LAST_NAMES = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau',
  'Simon', 'Laurent', 'Lefèvre', 'Michel', 'García', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier',
  'Morel', 'Girard', 'André', 'Lefebvre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Legrand',
  'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Müller', 'Henry', 'Perrin', 'Morin', 'Mathieu',
  'Clément', 'Gauthier', 'Fontaine', 'Chevalier', 'Peeters', 'Janssens', 'Maes', 'Willems', 'Schmit',
  'Weber', 'Hoffmann', 'Favre', 'Rochat', 'Keller', 'Béguin', 'Côté', 'N’Diaye', 'Le Goff', 'Da Silva',
];
const COMPANY_HEADS = [
  'Cabinet', 'Groupe', 'Atelier', 'Maison', 'Société', 'Agence', 'Transports', 'Laboratoires', 'Clinique',
  'Menuiserie', 'Imprimerie', 'Fiduciaire', 'Bureau', 'Comptoir', 'Éditions', 'Solutions', 'Conseil',
];
const COMPANY_TAILS = [
  'du Rhône', 'de Provence', 'Alpes', 'du Léman', 'Armor', 'Atlantique', 'Normandie', 'Lorraine',
  'Wallonie', 'des Ardennes', 'Occitanie', 'Gironde', 'Mosellane', 'Jura', 'Bretagne', 'Vendée',
];

/** The four core markets and the others that show up in a French vendor's CRM. */
const COUNTRIES = {
  FR: { tld: 'fr', weight: 62, spellings: [[88, 'FR'], [5, 'fr'], [4, 'France'], [3, ' FR ']] },
  BE: { tld: 'be', weight: 13, spellings: [[90, 'BE'], [6, 'be'], [4, 'Belgique']] },
  CH: { tld: 'ch', weight: 10, spellings: [[92, 'CH'], [5, 'ch'], [3, 'Suisse']] },
  LU: { tld: 'lu', weight: 5, spellings: [[95, 'LU'], [5, 'Luxembourg']] },
  ES: { tld: 'es', weight: 3, spellings: [[100, 'ES']] },
  DE: { tld: 'de', weight: 3, spellings: [[100, 'DE']] },
  NL: { tld: 'nl', weight: 2, spellings: [[100, 'NL']] },
  CA: { tld: 'ca', weight: 2, spellings: [[100, 'CA']] },
};

const PERSONAL_DOMAINS = {
  FR: ['gmail.com', 'yahoo.fr', 'hotmail.fr', 'orange.fr', 'free.fr', 'outlook.fr', 'laposte.net', 'wanadoo.fr'],
  BE: ['gmail.com', 'skynet.be', 'hotmail.com'],
  CH: ['gmail.com', 'bluewin.ch'],
  LU: ['gmail.com'],
  ES: ['gmail.com'],
  DE: ['gmail.com'],
  NL: ['gmail.com'],
  CA: ['gmail.com'],
};

function slug(text) {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function person(rng) {
  const countryCode = rng.weighted(Object.entries(COUNTRIES).map(([code, c]) => [c.weight, code]));
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const company = rng.chance(0.5) ? `${rng.pick(COMPANY_HEADS)} ${last}` : `${rng.pick(COMPANY_HEADS)} ${rng.pick(COMPANY_TAILS)}`;
  return { countryCode, first, last, company, domain: `${slug(company)}.${COUNTRIES[countryCode].tld}` };
}

/** The country as the CRM has it (code, lowercase, full name, padded, blank or absent). */
function countryValue(rng, code) {
  if (rng.chance(0.04)) return rng.pick([undefined, '', null]);
  return rng.weighted(COUNTRIES[code].spellings);
}

function emailOf(rng, p, personal) {
  const local = rng.weighted([
    [5, `${slug(p.first)}.${slug(p.last)}`],
    [3, `${slug(p.first)[0]}.${slug(p.last)}`],
    [1, `${slug(p.first)}${slug(p.last)}`],
  ]);
  const domain = personal ? rng.pick(PERSONAL_DOMAINS[p.countryCode]) : p.domain;
  const address = `${local}@${domain}`;
  return rng.weighted([
    [92, address],
    [4, address.replace(/^./, (c) => c.toUpperCase()).replace(/@.*/, (d) => d.toUpperCase())],
    [4, ` ${address} `],
  ]);
}

function phoneOf(rng, code) {
  const d = (n) => Array.from({ length: n }, () => rng.int(0, 9)).join('');
  const pairs = (n) => Array.from({ length: n }, () => d(2)).join(' ');
  switch (code) {
    case 'FR':
      return rng.weighted([
        [4, `+33 6 ${pairs(4)}`],
        [3, `06 ${pairs(4)}`],
        [2, `01 ${pairs(4)}`],
        [1, `+33${rng.int(1, 7)}${d(8)}`],
        [1, `0${rng.int(1, 7)}.${pairs(4).replaceAll(' ', '.')}`],
      ]);
    case 'BE':
      return rng.pick([`+32 4${d(2)} ${pairs(3)}`, `+32 2 ${d(3)} ${pairs(2)}`]);
    case 'CH':
      return rng.pick([`+41 79 ${d(3)} ${pairs(2)}`, `+41 22 ${d(3)} ${pairs(2)}`]);
    case 'LU':
      return `+352 6${d(2)} ${d(3)} ${d(3)}`;
    default:
      return `+${rng.int(1, 49)} ${d(3)} ${d(3)} ${d(3)}`;
  }
}

/** A contact field that may be missing, null, or blank (the CRM's "known" flag is unreliable). */
function maybe(rng, value, pMissing) {
  if (!rng.chance(pMissing)) return value;
  return rng.pick([undefined, null, '', '   ']);
}

/** A job title with the case and spacing variants real exports have. */
function jobVariant(rng, title) {
  return rng.weighted([
    [80, title],
    [8, title.toUpperCase()],
    [5, title.toLowerCase()],
    [4, ` ${title} `],
    [3, title.normalize('NFD').replace(/[\u0300-\u036f]/g, '')],
  ]);
}

/** A company size as exported: a number, a numeric string, a range or "N/A" (wrong type). */
function sizeValue(rng, size) {
  return rng.weighted([
    [80, size],
    [12, String(size)],
    [3, 'N/A'],
    [2, `${Math.max(1, Math.floor(size / 10) * 10)}-${Math.floor(size / 10) * 10 + 49}`],
    [3, undefined],
  ]);
}

/** Puts `value` at a dotted path: nested (`company: {size}`) or a literal dotted key, per lead. */
function setPath(lead, path, value, dotted) {
  if (value === undefined) return;
  if (dotted || !path.includes('.')) {
    lead[path] = value;
    return;
  }
  const [head, ...rest] = path.split('.');
  lead[head] ??= {};
  lead[head][rest.join('.')] = value;
}

/** Events that exist in the CRM but that the rule files do not declare (they are ignored). */
function noiseEvents(rng, ages) {
  const events = [];
  for (const age of ages) {
    const ms = daysAgo(rng, age);
    events.push(rng.pick([
      { type: 'chat_started', at: isoInstant(ms) },
      { type: 'form_submit', at: isoInstant(ms), form: rng.pick(['contact', 'newsletter', 'livre-blanc']) },
      { type: 'linkedin_ad_click', at: isoInstant(ms), campaign: 'notoriete-q1' },
    ]));
  }
  return events;
}

function byTime(events) {
  const time = (e) => {
    const t = typeof e.at === 'string' ? Date.parse(e.at.length === 10 ? `${e.at}T00:00:00Z` : e.at) : NaN;
    return Number.isNaN(t) ? Number.MAX_SAFE_INTEGER : t;
  };
  return events.sort((x, y) => time(x) - time(y) || x.type.localeCompare(y.type));
}

/** One event in the future (clock skew in the tracking pixel): scoring ignores it. */
function futureEvent(rng, type, props = {}) {
  return { type, at: isoInstant(NOW_MS + rng.int(1, 72) * 3_600_000), ...props };
}

const INTENTS = [[30, 'cold'], [30, 'curious'], [25, 'engaged'], [15, 'hot']];

// ---------------------------------------------------------------------------------------------
// examples/smb-software — Acme, management software for SMEs

const SMB_INDUSTRIES = [
  [30, 'services'], [6, 'Services'], [2, 'SERVICES '], [14, 'retail'], [4, 'Retail'], [10, 'industrie'],
  [6, 'BTP'], [6, 'transport'], [6, 'santé'], [2, 'Sante'], [5, 'secteur public'],
  [4, 'Commerce de gros'], [3, ''], [2, undefined],
];
const SMB_JOBS = [
  [10, 'Directeur Général'], [6, 'Directrice Générale'], [6, 'CEO'], [5, 'PDG'], [7, 'Gérant'], [4, 'Gérante'],
  [6, 'DAF'], [8, 'Responsable administratif et financier'], [8, 'Comptable'], [6, 'Office manager'],
  [6, 'Assistante de direction'], [5, 'Responsable des achats'], [5, 'Chargé de mission'], [4, 'Commercial'],
  [3, 'Étudiant'], [2, 'Stagiaire comptabilité'],
];

function smbLead(rng, index) {
  const p = person(rng);
  const intent = rng.weighted(INTENTS);
  const job = rng.weighted(SMB_JOBS);
  const student = /tudiant|stagiaire/i.test(job);
  const size = rng.weighted([[45, rng.int(10, 250)], [25, rng.int(1, 9)], [20, rng.int(251, 3000)], [10, rng.int(20, 80)]]);
  const dotted = rng.chance(0.3);
  const lead = { id: `smb-${String(index + 1).padStart(4, '0')}` };
  lead.first_name = p.first;
  lead.last_name = p.last;
  lead.job = maybe(rng, jobVariant(rng, job), 0.05);
  lead.email = maybe(rng, emailOf(rng, p, student || rng.chance(0.15)), 0.04);
  lead.phone = maybe(rng, phoneOf(rng, p.countryCode), 0.3);
  setPath(lead, 'company.name', p.company, dotted);
  setPath(lead, 'company.size', sizeValue(rng, size), dotted);
  setPath(lead, 'company.industry', rng.weighted(SMB_INDUSTRIES), dotted);
  const country = countryValue(rng, p.countryCode);
  if (country !== undefined) lead.country = country;
  if (student || rng.chance(0.6)) {
    lead.student = student
      ? rng.weighted([[6, true], [2, 'yes'], [1, 'oui'], [1, 'Oui']])
      : rng.weighted([[8, false], [2, 'no'], [1, 0]]);
  }

  const events = [];
  const visits = { cold: [0, 2], curious: [1, 5], engaged: [3, 10], hot: [5, 14] }[intent];
  const urls = ['/', '/logiciel-gestion', '/fonctionnalites', '/fonctionnalites/facturation', '/blog/tresorerie-pme',
    '/blog/digitaliser-sa-pme', '/clients', '/contact', '/tarifs', '/pricing'];
  for (const age of eventAges(rng, intent, rng.int(...visits))) {
    const url = intent === 'hot' && rng.chance(0.35) ? rng.pick(['/tarifs', '/tarifs/pme', '/pricing']) : rng.pick(urls);
    events.push({ type: 'page_view', at: eventAt(rng, daysAgo(rng, age)), url });
  }
  const downloadChance = { cold: 0.05, curious: 0.35, engaged: 0.6, hot: 0.75 }[intent];
  if (rng.chance(downloadChance)) {
    const [age] = eventAges(rng, intent, 1);
    const asset = rng.weighted([[5, 'guide-optimisation-processus'], [2, 'Guide-Facturation-Electronique-2026'], [3, 'checklist-cloture-annuelle'], [2, 'etude-de-cas-transports-morel']]);
    events.push({ type: 'download', at: eventAt(rng, daysAgo(rng, age)), asset });
  }
  const opens = { cold: [0, 2], curious: [0, 4], engaged: [2, 6], hot: [2, 8] }[intent];
  for (const age of eventAges(rng, intent, rng.int(...opens))) {
    events.push({ type: 'email_open', at: eventAt(rng, daysAgo(rng, age)) });
  }
  if (rng.chance(intent === 'cold' ? 0.02 : 0.12)) {
    events.push({ type: 'webinar_registration', at: eventAt(rng, daysAgo(rng, rng.int(2, 120))) });
  }
  if (rng.chance({ cold: 0.2, curious: 0.1, engaged: 0.06, hot: 0.03 }[intent])) {
    events.push({ type: 'unsubscribe', at: eventAt(rng, daysAgo(rng, rng.int(1, 200))), newsletter: 'actus-gestion' });
  }
  if (rng.chance(0.1)) events.push(...noiseEvents(rng, eventAges(rng, intent, rng.int(1, 2))));
  if (rng.chance(0.02)) events.push(futureEvent(rng, 'page_view', { url: '/tarifs' }));
  lead.events = byTime(events);
  return lead;
}

// ---------------------------------------------------------------------------------------------
// examples/score-vs-qualification — scoring says who, qualification says why and when

const SVQ_JOBS = [
  [8, 'CEO'], [6, 'PDG'], [6, 'Directeur Général'], [4, 'Directrice Générale'], [3, 'Fondateur'], [2, 'Présidente'],
  [8, 'Responsable administratif'], [6, 'Responsable commercial'], [5, 'Manager des opérations'], [5, 'Chef de projet'],
  [4, 'Office Manager'], [4, 'Responsable RH'], [6, 'Comptable'], [4, 'Assistant de direction'], [3, 'Consultant'],
];
const HORIZONS = ['immédiat', 'moins de 3 mois', '3 à 6 mois', '6 à 12 mois', 'plus de 12 mois'];

function svqLead(rng, index) {
  const p = person(rng);
  const intent = rng.weighted(INTENTS);
  const dotted = rng.chance(0.25);
  const lead = { id: `svq-${String(index + 1).padStart(4, '0')}` };
  lead.first_name = p.first;
  lead.last_name = p.last;
  lead.job = maybe(rng, jobVariant(rng, rng.weighted(SVQ_JOBS)), 0.04);
  lead.email = maybe(rng, emailOf(rng, p, rng.chance(0.12)), 0.03);
  lead.phone = maybe(rng, phoneOf(rng, p.countryCode), 0.25);
  const size = rng.weighted([[40, rng.int(10, 50)], [35, rng.int(51, 1500)], [25, rng.int(1, 9)]]);
  setPath(lead, 'company.name', p.company, dotted);
  setPath(lead, 'company.size', sizeValue(rng, size), dotted);
  const country = countryValue(rng, p.countryCode);
  if (country !== undefined) lead.country = country;

  // Qualification answers: a third never answered the form; the rest split between real
  // projects, benchmarks, and answers the CRM mangled.
  const qualification = rng.weighted([[34, 'none'], [30, 'project'], [26, 'benchmark'], [10, 'messy']]);
  if (qualification === 'project') {
    lead.budget_validated = rng.weighted([[6, true], [2, 'yes'], [1, '1'], [3, false]]);
    lead.need_urgency = rng.weighted([[5, 'urgent'], [4, 'important'], [1, 'Urgent'], [1, 'à explorer']]);
    lead.project_horizon = jobVariant(rng, rng.weighted([[3, 'immédiat'], [5, 'moins de 3 mois'], [4, '3 à 6 mois'], [1, '6 à 12 mois']]));
    if (rng.chance(0.7)) lead.decision_date = dateField(rng, NOW_MS + rng.int(5, 200) * DAY_MS);
  } else if (qualification === 'benchmark') {
    lead.budget_validated = rng.weighted([[6, false], [2, 'no'], [1, null], [1, true]]);
    lead.need_urgency = rng.weighted([[6, 'à explorer'], [2, 'A explorer'], [2, 'important']]);
    lead.project_horizon = rng.weighted([[4, '6 à 12 mois'], [5, 'plus de 12 mois'], [1, 'Plus de 12 mois']]);
    if (rng.chance(0.3)) lead.decision_date = dateField(rng, NOW_MS + rng.int(200, 600) * DAY_MS);
  } else if (qualification === 'messy') {
    lead.budget_validated = rng.pick(['Oui', 'non', 'N/A', '', 'en cours', true]);
    lead.need_urgency = rng.pick(['très urgent', '', 'Urgent', 'urgent ']);
    lead.project_horizon = rng.pick(['18 mois', 'T3 2026', '', 'Immediat', '6-12 mois']);
    if (rng.chance(0.5)) lead.decision_date = rng.pick(['fin du trimestre', '2026-06-31', dateField(rng, NOW_MS + rng.int(10, 120) * DAY_MS)]);
  }

  const events = [];
  const visits = { cold: [0, 2], curious: [1, 5], engaged: [3, 9], hot: [5, 16] }[intent];
  const urls = ['/', '/solutions', '/solutions/crm', '/solutions/facturation', '/clients', '/integrations', '/blog/crm-pme',
    '/blog/qualification', '/a-propos', '/contact', '/tarifs'];
  for (const age of eventAges(rng, intent, rng.int(...visits))) {
    const url = intent === 'hot' && rng.chance(0.25) ? '/tarifs' : rng.pick(urls);
    events.push({ type: 'page_view', at: eventAt(rng, daysAgo(rng, age)), url });
  }
  const downloads = { cold: [0, 0], curious: [0, 1], engaged: [0, 2], hot: [1, 3] }[intent];
  for (const age of eventAges(rng, intent, rng.int(...downloads))) {
    events.push({ type: 'download', at: eventAt(rng, daysAgo(rng, age)), asset: rng.pick(['livre-blanc-crm', 'comparatif-crm-2026', 'guide-qualification', 'modele-roi']) });
  }
  const opens = { cold: [0, 3], curious: [0, 4], engaged: [1, 6], hot: [2, 8] }[intent];
  for (const age of eventAges(rng, intent, rng.int(...opens))) events.push({ type: 'email_open', at: eventAt(rng, daysAgo(rng, age)) });
  if (rng.chance(0.08)) events.push(...noiseEvents(rng, eventAges(rng, intent, 1)));
  if (rng.chance(0.02)) events.push(futureEvent(rng, 'email_open'));
  lead.events = byTime(events);
  return lead;
}

// ---------------------------------------------------------------------------------------------
// examples/three-stage-mql — a marketing-automation vendor's 0-20 / 20-40 / 40+ scale and MQL

const MQL_INDUSTRIES = [
  [14, 'logiciel'], [4, 'Logiciel'], [10, 'SaaS'], [8, 'services informatiques'], [8, 'conseil'],
  [6, 'Expertise comptable'], [6, 'e-commerce'], [5, 'santé'], [8, 'industrie'], [5, 'BTP'], [4, 'immobilier'],
  [4, 'enseignement'], [3, 'Éditeur de logiciels'], [3, ''], [2, undefined],
];
const MQL_PROFILES = [
  // [weight, job, seniority]
  [6, 'Directrice marketing', 'directeur'], [6, 'Directeur marketing', 'directeur'], [4, 'CMO', 'dirigeant'],
  [4, 'Head of Growth', 'manager'], [3, 'Head of Marketing', 'directeur'], [7, 'Responsable marketing', 'manager'],
  [5, 'Responsable acquisition', 'manager'], [4, 'Responsable communication', 'manager'], [4, 'CEO', 'dirigeant'],
  [3, 'Fondatrice', 'dirigeant'], [6, 'Chargée de marketing digital', 'confirmé'], [5, 'Chef de projet marketing', 'senior'],
  [4, 'Traffic manager', 'confirmé'], [4, 'Business developer', 'junior'], [3, 'Commercial sédentaire', 'junior'],
  [3, 'Consultant SEO', 'senior'], [3, 'Étudiant', 'stagiaire'], [2, 'Étudiante en master marketing', undefined],
  [2, 'Stagiaire marketing', 'stagiaire'], [2, 'Alternant chargé de communication', 'junior'],
];
const SENIORITY_SPELLINGS = {
  directeur: [[8, 'directeur'], [2, 'Directeur']], dirigeant: [[8, 'dirigeant'], [2, 'Dirigeant']],
  manager: [[9, 'manager'], [1, 'Manager']], senior: [[1, 'senior']], 'confirmé': [[7, 'confirmé'], [3, 'confirme']],
  junior: [[1, 'junior']], stagiaire: [[1, 'stagiaire']],
};
const SOURCES = [
  [20, 'Formulaire site'], [12, 'Google Ads'], [8, 'google ads'], [10, 'LinkedIn Ads'], [6, 'Capterra'], [10, 'Salon'],
  [10, 'Webinar'], [8, 'Partenaire'], [6, 'Recommandation'], [10, ''],
];
const TAGS = ['newsletter', 'client-concurrent', 'partenaire', 'salon-vivatech-2025', 'salon-e-marketing-2026', 'webinar-2026-01', 'rgpd-ok'];
const CAMPAIGNS = ['newsletter-janvier', 'newsletter-fevrier', 'relance-webinar', 'nurturing-etape-2', 'invitation-salon'];
const MQL_URLS = ['/', '/fonctionnalites', '/fonctionnalites/scoring', '/fonctionnalites/emailing', '/integrations/hubspot',
  '/clients', '/blog/mql', '/blog/lead-scoring', '/blog/smarketing', '/ressources', '/a-propos', '/contact'];

function mqlLead(rng, index) {
  const p = person(rng);
  const intent = rng.weighted(INTENTS);
  const [, jobTitle, seniority] = rng.weighted(MQL_PROFILES.map((profile) => [profile[0], profile]));
  const student = seniority === 'stagiaire' || /tudiant/i.test(jobTitle);
  const competitor = rng.chance(0.02);
  const dotted = rng.chance(0.3);
  const lead = { id: `mql-${String(index + 1).padStart(4, '0')}` };
  lead.first_name = p.first;
  lead.last_name = p.last;
  lead.email = maybe(rng, emailOf(rng, p, student || rng.chance(0.14)), 0.03);
  lead.phone = maybe(rng, phoneOf(rng, p.countryCode), intent === 'hot' ? 0.2 : 0.45);
  lead.job = maybe(rng, jobVariant(rng, jobTitle), 0.04);
  if (seniority !== undefined && rng.chance(0.85)) lead.seniority = rng.weighted(SENIORITY_SPELLINGS[seniority]);
  const size = rng.weighted([[50, rng.int(20, 500)], [15, rng.int(501, 5000)], [25, rng.int(2, 19)], [10, rng.int(20, 80)]]);
  setPath(lead, 'company.name', competitor ? 'Concurrent SAS' : p.company, dotted);
  setPath(lead, 'company.size', sizeValue(rng, size), dotted);
  setPath(lead, 'company.industry', rng.weighted(MQL_INDUSTRIES), dotted);
  const revenue = size * rng.int(60_000, 180_000);
  setPath(lead, 'company.revenue', rng.weighted([[70, revenue], [10, String(revenue)], [5, 'N/A'], [3, `${Math.round(revenue / 1e6)} M€`], [12, undefined]]), dotted);
  const country = countryValue(rng, p.countryCode);
  if (country !== undefined) lead.country = country;
  const tags = rng.sample(TAGS, rng.weighted([[40, 0], [35, 1], [20, 2], [5, 3]]));
  if (competitor) tags.push('concurrent');
  if (tags.length > 0 || rng.chance(0.3)) {
    lead.tags = rng.weighted([[90, tags.map((t) => (rng.chance(0.1) ? t.toUpperCase() : t))], [5, tags.join(';')], [5, []]]);
  }
  lead['Lead Source'] = rng.weighted(SOURCES);
  if (student || rng.chance(0.5)) lead.student = student ? rng.weighted([[5, true], [2, 'yes'], [1, 'Oui']]) : rng.weighted([[6, false], [2, 'no'], [1, '0']]);
  const createdDaysAgo = { cold: rng.int(120, 700), curious: rng.int(20, 400), engaged: rng.int(5, 250), hot: rng.int(1, 120) }[intent];
  lead.created_at = dateField(rng, NOW_MS - createdDaysAgo * DAY_MS);

  const events = [];
  const within = (age) => Math.min(age, createdDaysAgo);
  const opens = { cold: [0, 3], curious: [1, 6], engaged: [3, 10], hot: [4, 12] }[intent];
  for (const age of eventAges(rng, intent, rng.int(...opens))) events.push({ type: 'email_open', at: eventAt(rng, daysAgo(rng, within(age))) });
  const clicks = { cold: [0, 0], curious: [0, 2], engaged: [1, 4], hot: [2, 6] }[intent];
  for (const age of eventAges(rng, intent, rng.int(...clicks))) {
    events.push({ type: 'email_click', at: eventAt(rng, daysAgo(rng, within(age))), campaign: rng.pick(CAMPAIGNS) });
  }
  const visits = { cold: [0, 2], curious: [1, 6], engaged: [3, 12], hot: [6, 18] }[intent];
  for (const age of eventAges(rng, intent, rng.int(...visits))) {
    const url = intent !== 'cold' && rng.chance(intent === 'hot' ? 0.3 : 0.1) ? rng.pick(['/tarifs', '/pricing', '/demo']) : rng.pick(MQL_URLS);
    events.push({ type: 'page_view', at: eventAt(rng, daysAgo(rng, within(age))), url });
  }
  const downloads = { cold: [0, 1], curious: [0, 2], engaged: [1, 3], hot: [1, 3] }[intent];
  for (const age of eventAges(rng, intent, rng.int(...downloads))) {
    const asset = rng.pick(['livre-blanc-lead-scoring', 'guide-mql', 'Guide-Smarketing-2026', 'etude-de-cas-saas', 'comparatif-outils', 'modele-roi']);
    events.push({ type: 'download', at: eventAt(rng, daysAgo(rng, within(age))), asset });
  }
  if (rng.chance({ cold: 0.03, curious: 0.15, engaged: 0.3, hot: 0.4 }[intent])) {
    const age = within(rng.int(3, 90));
    const topic = rng.pick(['Le lead scoring en 2026', 'Aligner sales et marketing', 'Définir son MQL']);
    events.push({ type: 'webinar_registration', at: eventAt(rng, daysAgo(rng, age + 7)), topic });
    if (rng.chance(0.55)) {
      const minutes = rng.weighted([[70, rng.int(5, 60)], [20, String(rng.int(10, 60))], [10, `${rng.int(10, 60)} min`]]);
      events.push({ type: 'webinar_attendance', at: eventAt(rng, daysAgo(rng, age)), minutes });
    }
  }
  if (rng.chance({ cold: 0, curious: 0.02, engaged: 0.1, hot: 0.45 }[intent])) {
    events.push({ type: 'demo_request', at: eventAt(rng, daysAgo(rng, within(rng.int(0, 80)))) });
  }
  if (rng.chance({ cold: 0.15, curious: 0.08, engaged: 0.04, hot: 0.02 }[intent])) {
    events.push({ type: 'unsubscribe', at: eventAt(rng, daysAgo(rng, within(rng.int(1, 300)))) });
  }
  if (rng.chance(0.03)) events.push({ type: 'bounce', at: eventAt(rng, daysAgo(rng, rng.int(1, 500))), reason: 'mailbox-full' });
  if (rng.chance(0.1)) events.push(...noiseEvents(rng, eventAges(rng, intent, rng.int(1, 2))));
  if (rng.chance(0.02)) events.push(futureEvent(rng, 'demo_request'));
  lead.events = byTime(events);
  return lead;
}

// ---------------------------------------------------------------------------------------------
// Output

/** A CSV cell (RFC 4180): quoted when it holds a comma, a quote, a line break or edge spaces. */
function csvCell(value) {
  if (value === undefined || value === null) return '';
  const text = Array.isArray(value) ? value.join(';') : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The lead's fields as dotted paths (`company.size`), leaving out `id` and `events`. */
function flatten(object, prefix = '', out = {}) {
  for (const [key, value] of Object.entries(object)) {
    if (prefix === '' && (key === 'id' || key === 'events')) continue;
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) flatten(value, path, out);
    else out[path] = value;
  }
  return out;
}

const EXAMPLES = [
  { name: 'smb-software', seed: 0x5eed_0001, count: 520, make: smbLead },
  { name: 'score-vs-qualification', seed: 0x5eed_0002, count: 520, make: svqLead },
  {
    name: 'three-stage-mql',
    seed: 0x5eed_0003,
    count: 540,
    make: mqlLead,
    // The CSV form: one column per lead field (dotted headers, no events), and the events in a
    // separate file with `lead_id`, sorted by lead id.
    csvColumns: ['id', 'first_name', 'last_name', 'email', 'phone', 'job', 'seniority', 'company.name', 'company.size',
      'company.industry', 'company.revenue', 'country', 'tags', 'Lead Source', 'student', 'created_at'],
  },
];

function render(example) {
  const rng = randomness(example.seed);
  const leads = Array.from({ length: example.count }, (_, i) => example.make(rng, i));
  const files = new Map();
  files.set(`${example.name}.sample.jsonl`, leads.map((lead) => JSON.stringify(lead)).join('\n') + '\n');
  if (example.csvColumns !== undefined) {
    const rows = [example.csvColumns.map(csvCell).join(',')];
    for (const lead of leads) {
      const flat = { id: lead.id, ...flatten(lead) };
      rows.push(example.csvColumns.map((column) => csvCell(flat[column])).join(','));
    }
    files.set(`${example.name}.sample.csv`, rows.join('\n') + '\n');
    const events = [];
    for (const lead of [...leads].sort((x, y) => (x.id < y.id ? -1 : 1))) {
      for (const event of lead.events) events.push(JSON.stringify({ lead_id: lead.id, ...event }));
    }
    files.set(`${example.name}.events.jsonl`, events.join('\n') + '\n');
  }
  return files;
}

function main() {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const example of EXAMPLES) {
    for (const [file, text] of render(example)) {
      const path = join(HERE, example.name, file);
      if (check) {
        let current = null;
        try {
          current = readFileSync(path, 'utf8');
        } catch {
          // a missing file is out of date
        }
        if (current !== text) {
          stale++;
          process.stderr.write(`out of date: examples/${example.name}/${file}\n`);
        }
      } else {
        writeFileSync(path, text);
        const lines = text.split('\n').length - 1;
        process.stdout.write(`wrote examples/${example.name}/${file} (${lines} lines, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB)\n`);
      }
    }
  }
  if (check && stale > 0) {
    process.stderr.write('run `node examples/generate-samples.mjs` to regenerate\n');
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
