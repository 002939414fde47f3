/**
 * Section 7: account scoring from CSV (issue 17). The ABM example's rule file
 * (examples/abm/abm.rubric) on generated files of `contacts` contacts in `contacts / 10`
 * accounts (examples/abm/generate.mjs, exactly 10 contacts per account, each with its events):
 * `rubric score --accounts ... --accounts-out ...` against contact-only scoring of the same
 * contacts and events (the same command without --accounts: each contact scored alone, the
 * account fields missing). Both spawned, interleaved rounds, median wall time (Node start-up
 * included), peak RSS. Target (issue 17): accounts ≤ 1.5x contact-only.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { abmCsv, generateAbm } from '../../examples/abm/generate.mjs';
import { timedNode } from './cli.mjs';
import { cliEntry, ROOT } from './core.mjs';
import { formatBytes, formatInteger, formatMs, formatRatio, median, rangeText, roundRatios } from './measure.mjs';

const RULES = join(ROOT, 'examples', 'abm', 'abm.rubric');
const NOW = '2026-03-01T00:00:00Z';
export const ACCOUNTS_TARGET = 1.5;
const PER_ACCOUNT = 10;

/** The three CSV files in the temp directory, generated when missing (named with a hash of the generator). */
function abmFiles(contacts, log) {
  const generator = readFileSync(fileURLToPath(new URL('../../examples/abm/generate.mjs', import.meta.url)));
  const version = createHash('sha256').update(generator).digest('hex').slice(0, 10);
  const base = join(tmpdir(), `rubric-bench-abm-${contacts}-${version}`);
  const files = { accounts: `${base}-accounts.csv`, contacts: `${base}-contacts.csv`, events: `${base}-events.csv` };
  if (!Object.values(files).every((file) => existsSync(file))) {
    log(`  writing ${formatInteger(contacts)} contacts in ${formatInteger(contacts / PER_ACCOUNT)} accounts to ${base}-*.csv...`);
    const text = abmCsv(generateAbm({ seed: 0xbe_17, accounts: Math.max(1, Math.round(contacts / PER_ACCOUNT)), contactsPerAccount: PER_ACCOUNT, fixed: true, unattached: 0, strays: 0 }));
    for (const [name, path] of Object.entries(files)) {
      writeFileSync(`${path}.${process.pid}.partial`, text[name]);
      renameSync(`${path}.${process.pid}.partial`, path);
    }
  }
  return files;
}

function unavailable(reason) {
  return { id: 'accounts', data: null, notes: [`Accounts: ${reason}.`], tables: [] };
}

/**
 * Spawns the contact-only and the accounts command on `contacts` contacts, `rounds` interleaved
 * rounds; returns each run's medians, CPU time, peak RSS and summary lines.
 */
async function timePair(entry, contacts, rounds, log, tag) {
  const files = abmFiles(contacts, log);
  const out = join(tmpdir(), `rubric-bench-abm-contacts-${process.pid}.csv`);
  const accountsOut = join(tmpdir(), `rubric-bench-abm-accounts-${process.pid}.csv`);
  const common = ['score', RULES, files.contacts, '--events', files.events, '--now', NOW, '--out', out, '--no-progress'];
  const commands = {
    contactOnly: { label: 'contact-only: `rubric score abm.rubric contacts.csv --events events.csv`', args: [entry, ...common] },
    accounts: { label: 'accounts: the same with `--accounts accounts.csv --accounts-out scored-accounts.csv`', args: [entry, ...common, '--accounts', files.accounts, '--accounts-out', accountsOut] },
  };
  const runs = {};
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [key, command] of Object.entries(commands)) {
        if (runs[key]?.code !== undefined && runs[key].code !== 0) continue;
        log(`  ${tag}${command.label}${rounds === 1 ? '' : ` (round ${round + 1}/${rounds})`}...`);
        const result = await timedNode(command.args);
        const previous = runs[key] ?? { label: command.label, wallMsRounds: [], cpuMsRounds: [], peakRssBytes: null };
        const wallMsRounds = [...previous.wallMsRounds, result.wallMs];
        const clean = result.stderr.replace(/\x1b\[[0-9;]*m/g, '');
        // CPU time (user + system, from /usr/bin/time -v): steadier than wall time on a shared machine.
        const user = /User time \(seconds\): ([\d.]+)/.exec(clean);
        const system = /System time \(seconds\): ([\d.]+)/.exec(clean);
        const cpuMs = user === null || system === null ? null : (Number(user[1]) + Number(system[1])) * 1000;
        const cpuMsRounds = cpuMs === null ? previous.cpuMsRounds : [...previous.cpuMsRounds, cpuMs];
        runs[key] = {
          ...previous,
          wallMsRounds,
          wallMs: median(wallMsRounds),
          cpuMsRounds,
          cpuMs: cpuMsRounds.length === 0 ? null : median(cpuMsRounds),
          peakRssBytes: result.peakRssBytes === null ? previous.peakRssBytes : Math.max(previous.peakRssBytes ?? 0, result.peakRssBytes),
          code: result.code,
          rows: Number(/rows: (\d+) read = (\d+) written/.exec(clean)?.[2] ?? NaN),
          accountsLine: /accounts: .*/.exec(clean)?.[0] ?? null,
          contactsLine: /contacts: .*/.exec(clean)?.[0] ?? null,
          error: result.code === 0 ? null : (clean.split('\n').find((line) => /error/i.test(line)) ?? clean.split('\n')[0]),
        };
      }
    }
  } finally {
    rmSync(out, { force: true });
    rmSync(accountsOut, { force: true });
  }
  return runs;
}

/** The two runs' ratios (accounts ÷ contact-only) of the medians and of each round's pair. */
function ratiosOf(runs) {
  const ok = runs.contactOnly?.code === 0 && runs.accounts?.code === 0;
  const ratio = ok ? runs.accounts.wallMs / runs.contactOnly.wallMs : null;
  const cpuRatio = ok && runs.accounts.cpuMs !== null && runs.contactOnly.cpuMs !== null ? runs.accounts.cpuMs / runs.contactOnly.cpuMs : null;
  // Each round runs the two commands one after the other: the ratio of each round's pair shows how
  // far one measurement moves on this machine, which the ratio of the medians alone hides.
  const pairRatios = (key) => (ok ? roundRatios(runs.accounts[key], runs.contactOnly[key]) : []);
  return { ratio, cpuRatio, spread: { wall: pairRatios('wallMsRounds'), cpu: pairRatios('cpuMsRounds') } };
}

function runRows(runs, contacts) {
  return Object.values(runs).map((run) => [
    run.label,
    formatInteger(contacts),
    run.code === 0 ? formatMs(run.wallMs) : '—',
    run.code === 0 && run.cpuMs !== null ? formatMs(run.cpuMs) : 'n/a',
    run.code === 0 ? formatInteger(contacts / (run.wallMs / 1000)) : '—',
    run.peakRssBytes === null ? 'n/a' : formatBytes(run.peakRssBytes),
    run.code === 0 ? formatInteger(run.rows) : `FAILED: ${run.error}`,
  ]);
}

/**
 * Runs section 7. `options`: `{contacts, rounds?, scaleContacts?, log}`; with `scaleContacts`
 * (0: none), the pair once more, one round, on that many contacts (ten times the accounts too):
 * how the ratio grows with the number of accounts, which the target's size alone does not show.
 */
export async function runAccounts(options) {
  const entry = cliEntry();
  if (entry === null) return unavailable('not available yet (the CLI is not built)');
  const { contacts, log } = options;
  const runs = await timePair(entry, contacts, Math.max(1, options.rounds ?? 1), log, '');
  const { ratio, cpuRatio, spread } = ratiosOf(runs);
  const verdict = (value) => (value === null ? 'not measured' : value < ACCOUNTS_TARGET ? 'met' : 'missed');
  const data = { contacts, accounts: Math.round(contacts / PER_ACCOUNT), runs, ratio, cpuRatio, spread, target: ACCOUNTS_TARGET, result: verdict(ratio), cpuResult: verdict(cpuRatio) };
  const rows = runRows(runs, contacts);
  const scaleContacts = options.scaleContacts ?? 0;
  let scale = null;
  if (scaleContacts > 0) {
    const scaleRuns = await timePair(entry, scaleContacts, 1, log, 'at scale, ');
    scale = { contacts: scaleContacts, accounts: Math.round(scaleContacts / PER_ACCOUNT), runs: scaleRuns, ...ratiosOf(scaleRuns) };
    data.scale = scale;
  }
  return {
    id: 'accounts',
    data,
    notes: [
      `Files: examples/abm/generate.mjs with exactly ${PER_ACCOUNT} contacts per account (${formatInteger(data.accounts)} accounts), every contact in an account, events joined from a separate CSV sorted by contact id; rules examples/abm/abm.rubric; \`--now ${NOW}\`.`,
      ...(spread.wall.length >= 2 && Math.min(...spread.wall) < ACCOUNTS_TARGET && Math.max(...spread.wall) >= ACCOUNTS_TARGET
        ? [`The wall-time target lies inside this run's spread: single rounds gave ${rangeText(spread.wall)}, so one run does not settle the verdict (the ratio of the two medians); compare it across runs.`]
        : []),
      ...(runs.accounts?.accountsLine ? [`Accounts run summary: \`${runs.accounts.accountsLine}\`; \`${runs.accounts.contactsLine}\`.`] : []),
      'Both runs stream the contacts: these contact rules read no account result, so the accounts run scores each contact with its account\'s fields as it is read and writes it, its account keeping only what the account rules read of it (`AccountScorer.beginAccounts`: each account\'s tests over contacts\' values and its event tests, folded contact by contact, in flat arrays by account number); the accounts are scored (and validated, in one evaluation) once the contacts file is read.',
      ...(scale === null
        ? []
        : [
            `At scale (no target: issue 17 sets its target at ${formatInteger(contacts)} contacts): ${formatInteger(scale.contacts)} contacts in ${formatInteger(scale.accounts)} accounts, one run each, accounts ÷ contact-only ${scale.ratio === null ? '—' : formatRatio(scale.ratio)} in wall time, ${scale.cpuRatio === null ? '—' : formatRatio(scale.cpuRatio)} in CPU time. The contacts meet their accounts in random order: each contact reaches its key cell's slot, its account's values and its account's state, and with ten times the accounts these no longer stay in the processor's caches; reading, beginning, scoring and writing ten times the accounts is the rest (see bench/notes.md, Accounts).`,
          ]),
    ],
    tables: [
      { caption: `Account scoring from CSV (${(options.rounds ?? 1) === 1 ? 'one run each' : `median of ${options.rounds} interleaved rounds`})`, header: ['Run', 'Contacts', 'Wall time', 'CPU time', 'Contacts/s', 'Peak RSS', 'Rows out'], rows },
      {
        caption: 'Target (issue 17)',
        header: ['Target', 'Goal', 'Measured (ratio of the medians)', "Each round's pair, lowest – highest", 'Result'],
        rows: [
          ['accounts ÷ contact-only, wall time', `< ${formatRatio(ACCOUNTS_TARGET)}`, ratio === null ? '—' : formatRatio(ratio), rangeText(spread.wall), data.result],
          ['accounts ÷ contact-only, CPU time (user + system)', `< ${formatRatio(ACCOUNTS_TARGET)}`, cpuRatio === null ? '—' : formatRatio(cpuRatio), rangeText(spread.cpu), data.cpuResult],
        ],
      },
      ...(scale === null
        ? []
        : [
            {
              caption: `At scale: ${formatInteger(scale.contacts)} contacts in ${formatInteger(scale.accounts)} accounts (one run each; accounts ÷ contact-only ${scale.ratio === null ? '—' : formatRatio(scale.ratio)} wall, ${scale.cpuRatio === null ? '—' : formatRatio(scale.cpuRatio)} CPU)`,
              header: ['Run', 'Contacts', 'Wall time', 'CPU time', 'Contacts/s', 'Peak RSS', 'Rows out'],
              rows: runRows(scale.runs, scale.contacts),
            },
          ]),
    ],
  };
}
