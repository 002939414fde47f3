#!/usr/bin/env node
// Writes the messy French CRM export of this example, deterministically (same seed, same bytes):
//
//   node examples/french-crm-export/generate.mjs            # writes the three files
//   node examples/french-crm-export/generate.mjs --check    # exits 1 when a file is out of date
//
// - export-crm.csv: what Excel saves in France: Windows-1252, `;` between columns, CRLF, French
//   column names, `1 200` (space or no-break space) and `8,5`, `oui`/`non`, `20/02/2026`, and
//   placeholders (`N/A`, `n/c`, `-`, `inconnu`, `0000000000`) where nobody typed anything;
// - evenements.csv: the web and webinar events of those leads, UTF-8 with a BOM (Excel's "CSV
//   UTF-8"), CRLF, `;`, times as `27/02/2026 14:03`, sorted like the leads;
// - french-crm-export.sample.jsonl: the same leads as the CRM's JSON export (every value a string,
//   the same column names, events inline), which the editor previews and which must score exactly
//   like the CSV.
// Every date is relative to 2026-03-01T00:00:00Z: score with `--now 2026-03-01T00:00:00Z`.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../generate-samples.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const NOW_MS = Date.parse('2026-03-01T00:00:00Z');
const DAY_MS = 86_400_000;
const LEADS = 200;

const random = mulberry32(0x14_f2);
const pick = (items) => items[Math.floor(random() * items.length)];
const chance = (p) => random() < p;

const FIRST = ['Camille', 'Hélène', 'Stéphane', 'Chloé', 'François', 'Inès', 'Jérôme', 'Anaïs', 'Noël', 'Zoé', 'Loïc', 'Cécile', 'Joël', 'Maëlle', 'Léa', 'Hugo', 'Benoît', 'Amélie'];
const LAST = ['Lefèvre', 'Girard', 'Bérenger', 'N’Diaye', 'Dupré', 'Rousseau', 'Faure', 'Mercier', 'Chevalier', 'Gauthier', 'Perrin', 'Lemaître', 'Boucher', 'Hébert'];
const COMPANIES = ['Groupe Armor', 'Santé Plus', 'Comptoir Lyonnais', 'Bâti Ouest', 'Cabinet Dufour & Associés', 'Logiciels Méditerranée', 'Transports Rhône', 'Clinique du Parc', 'Boulangeries Réunies', 'Mairie de Saint-Étienne'];
const JOBS = [
  ['Directeur Général', 6], ['Directrice Générale', 4], ['PDG', 5], ['DG', 3], ['Gérant', 3], ['DAF', 4],
  ['Directeur d’agence', 3], ['Responsable RH', 8], ['Responsable paie', 6], ['Chargée de communication', 5],
  ['Assistante de direction', 5], ['Stagiaire', 3], ['N/A', 4], ['-', 2], ['', 3],
];
const INDUSTRIES = [['Services', 8], ['Santé', 6], ['Commerce', 6], ['Industrie', 5], ['BTP', 4], ['Secteur public', 3], ['Logiciel', 3], ['inconnu', 3], ['', 3]];
const COUNTRIES = [['FR', 20], ['France', 6], ['BE', 4], ['Belgique', 2], ['CH', 3], ['LU', 1], ['DE', 2], ['ES', 1], ['n/c', 2], ['', 2]];

function weighted(pairs) {
  const total = pairs.reduce((sum, [, weight]) => sum + weight, 0);
  let r = random() * total;
  for (const [value, weight] of pairs) if ((r -= weight) < 0) return value;
  return pairs[pairs.length - 1][0];
}

/** `1 200` with a space or a no-break space (Excel's French format), or plain, or a placeholder. */
function size() {
  if (chance(0.08)) return pick(['n/c', 'N/A', '', 'inconnu']);
  const n = pick([3, 8, 12, 25, 45, 80, 120, 250, 480, 1200, 3500, 15000]) + (chance(0.5) ? Math.floor(random() * 9) : 0);
  if (n < 1000) return String(n);
  const thousands = Math.floor(n / 1000);
  const rest = String(n % 1000).padStart(3, '0');
  return `${thousands}${pick([' ', '\u00a0', '.'])}${rest}`;
}

/** Millions of euros with a decimal comma (`8,5`), or a placeholder. */
function revenue() {
  if (chance(0.15)) return pick(['n/c', '', '-']);
  const value = pick([0.4, 0.75, 1.2, 3, 4.5, 8.5, 12, 25, 140]);
  return String(value).replace('.', ',');
}

function phone() {
  if (chance(0.16)) return pick(['N/A', '0000000000', '00 00 00 00 00', '-', '']);
  const digits = () => String(Math.floor(random() * 100)).padStart(2, '0');
  return pick([`06 ${digits()} ${digits()} ${digits()} ${digits()}`, `01 ${digits()} ${digits()} ${digits()} ${digits()}`, `+33 6 ${digits()} ${digits()} ${digits()} ${digits()}`]);
}

function frenchDate(ms, withTime) {
  const d = new Date(ms);
  const two = (n) => String(n).padStart(2, '0');
  const date = `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
  return withTime ? `${date} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}` : date;
}

function plain(text) {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[’ ]/g, '').toLowerCase();
}

const COLUMNS = ['id', 'Prénom', 'Nom', 'Fonction', 'Adresse e-mail', 'Téléphone', 'Société', 'Effectif', "Chiffre d'affaires (M€)", "Secteur d'activité", 'Pays', 'Abonné newsletter', 'Date de création', 'Origine'];

const leads = [];
const events = [];
for (let i = 1; i <= LEADS; i++) {
  const id = `crm-${String(i).padStart(4, '0')}`;
  const first = pick(FIRST);
  const last = pick(LAST);
  const company = pick(COMPANIES);
  const email = chance(0.05)
    ? 'N/A'
    : chance(0.2)
      ? `${plain(first)}.${plain(last)}@${pick(['gmail.com', 'orange.fr', 'free.fr', 'yahoo.fr'])}`
      : `${plain(first)[0]}.${plain(last)}@${plain(company).replace(/[^a-z]/g, '').slice(0, 14)}.fr`;
  const created = NOW_MS - Math.floor(random() * 400) * DAY_MS - Math.floor(random() * 86_400) * 1000;
  const lead = {
    id,
    Prénom: first,
    Nom: last,
    Fonction: weighted(JOBS),
    'Adresse e-mail': email,
    Téléphone: phone(),
    Société: company,
    Effectif: size(),
    "Chiffre d'affaires (M€)": revenue(),
    "Secteur d'activité": weighted(INDUSTRIES),
    Pays: weighted(COUNTRIES),
    'Abonné newsletter': chance(0.1) ? pick(['', '-']) : pick(['oui', 'non', 'Oui', 'NON', 'o', 'n']),
    'Date de création': chance(0.06) ? pick(['', 'n/c']) : frenchDate(created, chance(0.3)),
    Origine: pick(['Salon', 'Site web', 'Partenaire', 'Webinar', 'Achat de fichier']),
  };
  const own = [];
  const engaged = random();
  const eventCount = engaged < 0.35 ? 0 : engaged < 0.75 ? 1 + Math.floor(random() * 3) : 3 + Math.floor(random() * 6);
  for (let e = 0; e < eventCount; e++) {
    const at = NOW_MS - Math.floor(random() * 120 * DAY_MS);
    const type = weighted([['page_view', 10], ['webinar_attendance', 3], ['demo_request', 1], ['email_open', 4]]);
    const url = type === 'page_view' ? pick(['/tarifs', '/tarifs/paie', '/blog/dsn-2026', '/contact', '/fonctionnalites/conges']) : '';
    own.push({ at, type, url });
  }
  own.sort((a, b) => a.at - b.at);
  for (const event of own) events.push({ lead_id: id, type: event.type, at: frenchDate(event.at, true), url: event.url });
  leads.push({ lead, events: own.map((event) => ({ type: event.type, at: frenchDate(event.at, true), ...(event.url === '' ? {} : { url: event.url }) })) });
}

function csvLine(cells) {
  return cells.map((cell) => (/[;"\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(';') + '\r\n';
}

/** Windows-1252: Latin-1 plus the printable characters Microsoft put in 0x80-0x9F. */
const CP1252_EXTRA = { '€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89, 'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b, 'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f };
function encodeWindows1252(text) {
  const bytes = [];
  for (const char of text) {
    const code = char.codePointAt(0);
    if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) bytes.push(code);
    else if (CP1252_EXTRA[char] !== undefined) bytes.push(CP1252_EXTRA[char]);
    else throw new Error(`${JSON.stringify(char)} has no Windows-1252 byte`);
  }
  return Buffer.from(bytes);
}

const leadsCsv = csvLine(COLUMNS) + leads.map(({ lead }) => csvLine(COLUMNS.map((column) => lead[column]))).join('');
const eventsCsv = '\ufeff' + csvLine(['lead_id', 'type', 'at', 'url']) + events.map((e) => csvLine([e.lead_id, e.type, e.at, e.url])).join('');
const sampleJsonl = leads.map(({ lead, events: own }) => JSON.stringify({ ...lead, events: own })).join('\n') + '\n';

const outputs = [
  ['export-crm.csv', encodeWindows1252(leadsCsv)],
  ['evenements.csv', Buffer.from(eventsCsv, 'utf8')],
  ['french-crm-export.sample.jsonl', Buffer.from(sampleJsonl, 'utf8')],
];

if (process.argv.includes('--check')) {
  const stale = outputs.filter(([name, bytes]) => {
    try {
      return !readFileSync(join(HERE, name)).equals(bytes);
    } catch {
      return true;
    }
  });
  for (const [name] of stale) console.error(`examples/french-crm-export/${name} is out of date: run node examples/french-crm-export/generate.mjs`);
  process.exit(stale.length === 0 ? 0 : 1);
}
for (const [name, bytes] of outputs) writeFileSync(join(HERE, name), bytes);
console.log(`wrote ${outputs.map(([name]) => name).join(', ')} (${LEADS} leads, ${events.length} events)`);
