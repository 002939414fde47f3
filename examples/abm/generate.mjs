#!/usr/bin/env node
// Writes the ABM example's samples, deterministically (same seed, same bytes):
//
//   node examples/abm/generate.mjs            # writes the files below
//   node examples/abm/generate.mjs --check    # exits 1 when a file is out of date
//
// - accounts.csv: the CRM's companies (id, name, industry, employees, country, revenue, plan) and
//   `won` (yes/no: did the company sign within the quarter; blank when the CRM does not know),
//   the account outcome `rubric backtest --accounts --outcome won` reads;
// - contacts.csv: their contacts, one row per person with `company.id` naming the account (a
//   few have none, a few name a company the export left out: scored alone), sorted by id;
// - events.csv: the contacts' e-mail clicks, page views, webinars, demo requests and
//   unsubscribes, one row per event with `lead_id`, sorted like the contacts (the events join);
// - abm.sample.jsonl: the same contacts as leads with their events inline (the editor's preview);
// - abm.sample.accounts.jsonl: one account per line with its `contacts` (each with its `events`),
//   which the editor's account code lenses read.
// Every date is relative to 2026-03-01T00:00:00Z: score with `--now 2026-03-01T00:00:00Z`.
//
// `generateAbm` is also the bench's account workload (bench/workloads): the same shapes at any size.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../generate-samples.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const NOW_MS = Date.parse('2026-03-01T00:00:00Z');
const DAY_MS = 86_400_000;

const FIRST = ['Camille', 'Hélène', 'Stéphane', 'Chloé', 'François', 'Inès', 'Jérôme', 'Anaïs', 'Noël', 'Zoé', 'Loïc', 'Cécile', 'Joël', 'Maëlle', 'Léa', 'Hugo', 'Benoît', 'Amélie', 'Yanis', 'Sofia', 'Mathis', 'Lucie'];
const LAST = ['Lefèvre', 'Girard', 'Bérenger', 'N’Diaye', 'Dupré', 'Rousseau', 'Faure', 'Mercier', 'Chevalier', 'Gauthier', 'Perrin', 'Lemaître', 'Peeters', 'Janssens', 'Dubois', 'Lambert', 'Wouters', 'Hébert'];
const HEADS = ['Batimex', 'Acier du Lot', 'Transports Morel', 'Brasseries de la Meuse', 'Comptoir Lyonnais', 'Groupe Armor', 'Logistique Wallonne', 'Fromageries Réunies', 'Clinique du Parc', 'Soft Méditerranée', 'Menuiseries Vosgiennes', 'Verrerie de Charleroi', 'Primeurs du Sud', 'Câbles & Réseaux', 'Froid Industriel', 'Ardennes Emballages'];
const TAILS = ['', ' SA', ' SAS', ' SPRL', ' Groupe', ' Industries', ' & Fils', ' Benelux'];
// [weight, value]: the CRM's industries (the rule file's `one of`), a few it does not know.
const INDUSTRIES = [[8, 'industrie'], [6, 'distribution'], [5, 'BTP'], [5, 'transport'], [4, 'agroalimentaire'], [3, 'santé'], [3, 'logiciel'], [2, 'services financiers'], [1, 'Industrie'], [1, 'autre'], [1, '']];
const COUNTRIES = [[55, 'FR'], [25, 'BE'], [8, 'LU'], [7, 'CH'], [3, 'DE'], [2, '']];
const PLANS = [[80, 'prospect'], [12, 'essai'], [8, 'client']];
// Each role's jobs as CRMs write them (case, accents and spaces vary: the rule file folds them).
const ROLES = {
  decision: ['Directeur Général', 'Directrice Générale', 'PDG', 'DG', 'CEO', 'Gérant', 'Présidente', 'COO', 'directeur général', ' PDG '],
  finance: ['DAF', 'Directrice Financière', 'Directeur Financier', 'CFO', 'Responsable Comptable', 'Contrôleuse de gestion', 'Trésorier', 'daf'],
  user: ['Responsable Achats', 'Acheteuse', 'Acheteur', 'Comptable', 'Assistante comptable', 'Cheffe de projet', 'Chef de projet', 'Responsable ADV', 'Gestionnaire paie'],
  other: ['Responsable RH', 'Chargée de communication', 'Assistante de direction', 'Responsable marketing', 'Stagiaire', 'Technicien', 'N/A', ''],
};
const ROLE_WEIGHTS = [[20, 'decision'], [15, 'finance'], [35, 'user'], [30, 'other']];
const CAMPAIGNS = ['newsletter-fevrier', 'roi-achats', 'invitation-demo', 'cas-client-batimex', 'relance-webinar', 'facture-electronique-2026'];
const URLS = ['/', '/fonctionnalites', '/fonctionnalites/achats', '/fonctionnalites/notes-de-frais', '/tarifs', '/tarifs/entreprise', '/blog/facture-electronique', '/cas-clients', '/demo'];
// How active a company is: [weight, name, events per contact (max), share of contacts active, days back].
const WIN_RATES = { cold: 0.05, warming: 0.15, active: 0.35, buying: 0.6 };
const INTENTS = [[35, 'cold', 2, 0.2, 180], [30, 'warming', 4, 0.45, 90], [22, 'active', 6, 0.7, 45], [13, 'buying', 8, 0.9, 25]];

function randomness(seed) {
  const next = mulberry32(seed);
  return {
    next,
    chance: (p) => next() < p,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted: (choices) => {
      const total = choices.reduce((sum, [w]) => sum + w, 0);
      let r = next() * total;
      for (const choice of choices) {
        r -= choice[0];
        if (r < 0) return choice.length === 2 ? choice[1] : choice.slice(1);
      }
      const last = choices[choices.length - 1];
      return last.length === 2 ? last[1] : last.slice(1);
    },
  };
}

function slug(text) {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function isoAt(ms) {
  return new Date(Math.round(ms / 60_000) * 60_000).toISOString().replace('.000Z', 'Z');
}

/**
 * Accounts, and contacts with their events. `contactsPerAccount` is the average (1 to twice
 * it, minus one), or exactly it with `fixed`; `unattached` is the share of contacts with no
 * account key, `strays` the share naming an account not in the file.
 */
export function generateAbm({ seed = 0xab_0017, accounts: accountCount = 60, contactsPerAccount = 5, fixed = false, unattached = 0.04, strays = 0.03 } = {}) {
  const rng = randomness(seed);
  // The outcome has its own stream, so adding it left every other value as it was.
  const outcomes = randomness(seed ^ 0x5eed);
  const accounts = [];
  const contacts = [];
  const width = Math.max(4, String(accountCount).length);
  for (let a = 0; a < accountCount; a++) {
    const id = `ACC-${String(a + 1).padStart(width, '0')}`;
    const name = `${rng.pick(HEADS)}${rng.pick(TAILS)}`;
    const employees = rng.weighted([[30, [10, 49]], [40, [50, 499]], [20, [500, 2999]], [10, [3000, 12000]]]);
    const size = rng.int(employees[0], employees[1]);
    const account = {
      id,
      name,
      industry: rng.weighted(INDUSTRIES),
      employees: size,
      country: rng.weighted(COUNTRIES),
      revenue: rng.chance(0.15) ? '' : size * rng.int(90, 260) * 1000,
      plan: rng.weighted(PLANS),
    };
    accounts.push(account);
    const [intent, maxEvents, activeShare, daysBack] = rng.weighted(INTENTS);
    // Won more often the more the company intends to buy (what a back-test should find).
    account.won = outcomes.chance(0.04) ? '' : outcomes.chance(WIN_RATES[intent]) ? 'yes' : 'no';
    const count = fixed ? contactsPerAccount : rng.int(1, Math.max(1, 2 * contactsPerAccount - 1));
    for (let c = 0; c < count; c++) {
      const role = rng.weighted(ROLE_WEIGHTS);
      const first = rng.pick(FIRST);
      const last = rng.pick(LAST);
      const domain = `${slug(name)}.${account.country === 'BE' ? 'be' : account.country === 'LU' ? 'lu' : account.country === 'CH' ? 'ch' : 'fr'}`;
      const roll = rng.next();
      const key = roll < unattached ? '' : roll < unattached + strays ? `ACC-${String(accountCount + rng.int(1, 50)).padStart(width, '0')}` : id;
      const contact = {
        email: rng.chance(0.08) ? '' : `${slug(first)}.${slug(last)}@${domain}`,
        job: rng.pick(ROLES[role]),
        'company.id': key,
        events: [],
      };
      // A buying company's committee is more often engaged; others less.
      const active = rng.chance(intent === 'buying' && role !== 'other' ? 0.95 : activeShare);
      if (active) {
        const events = rng.int(1, maxEvents);
        for (let e = 0; e < events; e++) {
          const at = isoAt(NOW_MS - rng.next() * daysBack * DAY_MS);
          const type = rng.weighted([[40, 'page_view'], [35, 'email_click'], [8, 'webinar_attendance'], [intent === 'buying' || intent === 'active' ? 6 : 1, 'demo_request'], [2, 'unsubscribe']]);
          if (type === 'page_view') contact.events.push({ type, at, url: rng.pick(URLS) });
          else if (type === 'email_click') contact.events.push({ type, at, campaign: rng.pick(CAMPAIGNS) });
          else if (type === 'webinar_attendance') contact.events.push({ type, at, minutes: rng.int(3, 55) });
          else contact.events.push({ type, at });
        }
        contact.events.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
      }
      contacts.push(contact);
    }
  }
  // Contact ids in a shuffled order of accounts, so a company's contacts are spread through the
  // file as in a real export (sorted by contact id, not by company).
  const order = contacts.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const idWidth = Math.max(5, String(contacts.length).length);
  const sorted = order.map((index, position) => ({ id: `C${String(position + 1).padStart(idWidth, '0')}`, ...contacts[index] }));
  return { accounts, contacts: sorted };
}

function csvCell(value) {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\n\r]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(columns, rows) {
  return [columns.map(csvCell).join(','), ...rows.map((row) => columns.map((column) => csvCell(row[column])).join(','))].join('\n') + '\n';
}

export const ACCOUNT_COLUMNS = ['id', 'name', 'industry', 'employees', 'country', 'revenue', 'plan'];
/** accounts.csv's columns: the account fields, then the outcome (not an account field). */
export const ACCOUNT_CSV_COLUMNS = [...ACCOUNT_COLUMNS, 'won'];
export const CONTACT_COLUMNS = ['id', 'email', 'job', 'company.id'];
export const EVENT_COLUMNS = ['lead_id', 'type', 'at', 'campaign', 'url', 'minutes'];

/** The three CSV files' text (events sorted by contact id, as the contacts are). */
export function abmCsv({ accounts, contacts }) {
  const events = contacts.flatMap((contact) => contact.events.map((event) => ({ lead_id: contact.id, ...event })));
  return { accounts: csv(ACCOUNT_CSV_COLUMNS, accounts), contacts: csv(CONTACT_COLUMNS, contacts), events: csv(EVENT_COLUMNS, events) };
}

/** A contact as a lead of the JSON samples: only what it has (blank cells left out), events inline. */
function contactLead(contact) {
  const lead = {};
  for (const column of CONTACT_COLUMNS) if (contact[column] !== '') lead[column] = contact[column];
  lead.events = contact.events;
  return lead;
}

function render() {
  const data = generateAbm();
  const files = new Map();
  const text = abmCsv(data);
  files.set('accounts.csv', text.accounts);
  files.set('contacts.csv', text.contacts);
  files.set('events.csv', text.events);
  files.set('abm.sample.jsonl', data.contacts.map((contact) => JSON.stringify(contactLead(contact))).join('\n') + '\n');
  const lines = data.accounts.map((account) => {
    const record = {};
    for (const column of ACCOUNT_COLUMNS) if (account[column] !== '') record[column] = account[column];
    record.contacts = data.contacts.filter((contact) => contact['company.id'] === account.id).map(contactLead);
    return JSON.stringify(record);
  });
  files.set('abm.sample.accounts.jsonl', lines.join('\n') + '\n');
  return files;
}

function main() {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [file, text] of render()) {
    const path = join(HERE, file);
    if (check) {
      let current = null;
      try {
        current = readFileSync(path, 'utf8');
      } catch {
        // a missing file is out of date
      }
      if (current !== text) {
        stale++;
        process.stderr.write(`out of date: examples/abm/${file}\n`);
      }
    } else {
      writeFileSync(path, text);
      process.stdout.write(`wrote examples/abm/${file} (${text.split('\n').length - 1} lines)\n`);
    }
  }
  if (check && stale > 0) {
    process.stderr.write('run `node examples/abm/generate.mjs` to regenerate\n');
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
