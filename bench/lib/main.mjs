/**
 * The bench harness: runs every section, prints the markdown report and (full mode) writes it to
 * docs/performance.md. Started by bench/run.mjs (which builds first and adds --expose-gc);
 * `runBench` is also called in process by bench/bench.test.ts with tiny sizes.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateLeads } from '../generate-leads.mjs';
import { generateSimpleLeads } from '../generate-simple-leads.mjs';
import { runAccounts } from './accounts.mjs';
import { runCli } from './cli.mjs';
import { runCompileCost } from './compile-cost.mjs';
import { loadCore, ROOT } from './core.mjs';
import { runLanguageServer } from './language-server.mjs';
import { formatInteger, formatMs } from './measure.mjs';
import { runProfile } from './profile.mjs';
import { renderReport } from './report.mjs';
import { generateRuleset } from './ruleset-generator.mjs';
import { runSql } from './sql.mjs';
import { DisagreementError, runThroughput } from './throughput.mjs';

/** Sizes per mode. `npm run bench -- --quick` must finish in about a minute (57 s at load 5-6). */
export const MODES = {
  full: {
    leads: 200_000,
    rounds: 5,
    jreLeads: 5_000,
    scalingRules: 2_000,
    scalingLeads: 20_000,
    oracleLeads: 500,
    compileSizes: [100, 1_000, 10_000],
    compileRounds: 3,
    cliLeads: 1_000_000,
    cliRounds: 3,
    accountsContacts: 100_000,
    accountsScaleContacts: 1_000_000, // once each, 100,000 accounts (~10 s; files written once, ~16 s)
    accountsRounds: 11, // single rounds' ratios spread over ±0.15 on this machine (1.35x-1.70x in one run): 11 interleaved rounds for a steadier median (~15 s)
    sqlRounds: 3, // the in-process floor and query, alternated (the two engines run once each: ~9 + ~13 s)
    lsLines: 2_000,
    lsEdits: 60,
    profileSeconds: 3,
    minRunMs: 1000,
    settleMs: 300,
    warmupMs: 3000,
  },
  quick: {
    leads: 10_000,
    rounds: 3,
    jreLeads: 1_000,
    scalingRules: 2_000,
    scalingLeads: 2_000,
    oracleLeads: 50,
    compileSizes: [100, 1_000, 10_000],
    compileRounds: 1,
    cliLeads: 20_000,
    cliRounds: 1,
    accountsContacts: 20_000,
    accountsRounds: 1,
    accountsScaleContacts: 0,
    sqlRounds: 1,
    lsLines: 2_000,
    lsEdits: 12,
    profileSeconds: 0.7,
    minRunMs: 200,
    settleMs: 100,
    warmupMs: 600,
  },
  /** For the vitest test: everything runs, nothing takes long. */
  tiny: {
    leads: 600,
    rounds: 1,
    jreLeads: 100,
    scalingRules: 200,
    scalingLeads: 200,
    oracleLeads: 50,
    compileSizes: [100],
    compileRounds: 1,
    cliLeads: 300,
    cliRounds: 1,
    accountsContacts: 300,
    accountsRounds: 1,
    accountsScaleContacts: 600,
    lsLines: 300,
    lsEdits: 3,
    profileSeconds: 0.2,
    minRunMs: 0,
    settleMs: 0,
    warmupMs: 0,
  },
};

const RESULTS_DIR = `${ROOT}bench/results/`;

export const SECTIONS = ['compile', 'throughput', 'profile', 'cli', 'language-server', 'sql', 'accounts'];

/**
 * Runs the bench. `options`: `{mode: 'full'|'quick'|'tiny', sections?: string[], overrides?,
 * log?, command?, build?}`. Returns `{markdown, sections}`. Throws DisagreementError when the
 * implementations disagree.
 */
export async function runBench(options) {
  const started = performance.now();
  const loadBefore = loadavg()[0];
  const sizes = { ...MODES[options.mode], ...(options.overrides ?? {}) };
  const log = options.log ?? (() => {});
  const wanted = new Set(options.sections ?? SECTIONS);
  const coreState = await loadCore();
  if (coreState.core === null) log(`  note: ${coreState.error}`);
  const sections = {};

  // Compile cost runs first, before the leads take up the heap, so its heap figures are clean.
  if (wanted.has('compile')) {
    log('2. compile cost');
    sections.compile = await runCompileCost(coreState, { sizes: sizes.compileSizes, rounds: sizes.compileRounds, log });
  }
  if (wanted.has('throughput') || wanted.has('profile')) {
    const start = performance.now();
    let leads = generateLeads(sizes.leads);
    // A profile-only run makes its own (fewer) simple-fit leads.
    let simpleLeads = wanted.has('throughput') ? generateSimpleLeads(sizes.leads) : [];
    log(`generated ${formatInteger(leads.length)} + ${formatInteger(simpleLeads.length)} leads in ${formatMs(performance.now() - start)}`);
    if (wanted.has('throughput')) {
      log('1. scoring throughput');
      sections.throughput = await runThroughput(coreState, {
        leads,
        simpleLeads,
        rounds: sizes.rounds,
        jreLeads: sizes.jreLeads,
        scalingRules: sizes.scalingRules,
        scalingLeads: sizes.scalingLeads,
        oracleLeads: sizes.oracleLeads,
        minRunMs: sizes.minRunMs,
        settleMs: sizes.settleMs,
        warmupMs: sizes.warmupMs,
        log,
      });
    }
    if (wanted.has('profile')) {
      log('6. profile');
      const compileRules = sizes.compileSizes[sizes.compileSizes.length - 1];
      sections.profile = await runProfile(coreState, leads.slice(0, 20_000), {
        simpleLeads: simpleLeads.length > 0 ? simpleLeads.slice(0, 20_000) : generateSimpleLeads(Math.min(sizes.leads, 20_000)),
        seconds: sizes.profileSeconds,
        compileRules,
        compileText: generateRuleset(compileRules).text,
      });
    }
    leads = null;
    simpleLeads = null;
  }
  if (wanted.has('cli')) {
    log('3. CLI');
    sections.cli = await runCli({ count: sizes.cliLeads, rounds: sizes.cliRounds, log });
  }
  if (wanted.has('language-server')) {
    log('4. language server');
    sections['language-server'] = await runLanguageServer({ lines: sizes.lsLines, edits: sizes.lsEdits, log });
  }
  if (wanted.has('sql')) {
    log('5. DuckDB engine');
    // The DuckDB engine runs on the CLI section's files and reuses its JavaScript-engine run.
    const js = sections.cli?.data?.leads === sizes.cliLeads ? sections.cli.data.runs.withEvents : undefined;
    sections.sql = await runSql(coreState, { leads: sizes.cliLeads, rounds: sizes.sqlRounds, log, js });
  }

  if (wanted.has('accounts')) {
    log('7. accounts');
    sections.accounts = await runAccounts({ contacts: sizes.accountsContacts, rounds: sizes.accountsRounds, scaleContacts: sizes.accountsScaleContacts, log });
  }

  const run = {
    mode: options.mode,
    command: options.command ?? (options.mode === 'quick' ? 'npm run bench -- --quick' : 'npm run bench'),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    build: options.build ?? 'not checked',
    durationMs: performance.now() - started,
    // The machine is shared: the 1-minute load average before and after says how busy it was.
    loadAverage: [loadBefore, loadavg()[0]],
  };
  return { markdown: render(run, sections), run, sections };
}

const NOTES_PATH = `${ROOT}bench/notes.md`;

/**
 * The report of a run. A full run also includes bench/notes.md (the maintainers' reading of the
 * numbers: goals missed, what the profiles show), which `--render` can refresh without
 * re-measuring.
 */
export function render(run, sections) {
  const full = run.mode === 'full';
  return renderReport(
    {
      ...run,
      mode: full ? 'full' : `${run.mode} (smaller sizes; numbers are indicative only)`,
      analysis: full && existsSync(NOTES_PATH) ? readFileSync(NOTES_PATH, 'utf8').trim() : undefined,
    },
    sections,
  );
}

async function main() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      only: { type: 'string' },
      leads: { type: 'string' },
      rounds: { type: 'string' },
      build: { type: 'string' },
      render: { type: 'string' },
    },
  });
  const mode = values.quick ? 'quick' : 'full';
  const overrides = {};
  if (values.leads !== undefined) overrides.leads = Number(values.leads);
  if (values.rounds !== undefined) overrides.rounds = Number(values.rounds);
  const sections = values.only?.split(',').map((s) => s.trim());
  for (const s of sections ?? []) {
    if (!SECTIONS.includes(s)) {
      process.stderr.write(`unknown section \`${s}\`; use one of ${SECTIONS.join(', ')}\n`);
      process.exit(2);
    }
  }
  const started = performance.now();
  const log = (line) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);
  if (values.render !== undefined) {
    // Re-render a saved run (e.g. after editing bench/notes.md); measures nothing.
    const saved = JSON.parse(readFileSync(values.render, 'utf8'));
    const markdown = render(saved.run, saved.sections);
    process.stdout.write(markdown);
    const out = values.out ?? (saved.run.mode === 'full' && saved.complete ? `${ROOT}docs/performance.md` : undefined);
    if (out !== undefined && !values['no-write']) {
      writeFileSync(out, markdown);
      log(`wrote ${out}`);
    }
    return;
  }
  let result;
  try {
    result = await runBench({ mode, sections, overrides, log, build: values.build, command: ['npm run bench', values.quick ? '-- --quick' : ''].join(' ').trim() });
  } catch (error) {
    if (error instanceof DisagreementError) {
      process.stderr.write(`\n!!! BENCH ABORTED: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  process.stdout.write(result.markdown);
  // A full run of every section is what docs/performance.md shows; partial or quick runs only
  // print, unless --out says where to write. Every run is also saved (gitignored) for --render;
  // a partial run under its own name, so it never replaces the last complete one.
  const complete = sections === undefined && Object.keys(overrides).length === 0;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const saved = `${RESULTS_DIR}${mode}-${complete ? 'latest' : 'partial'}.json`;
  writeFileSync(saved, JSON.stringify({ run: result.run, sections: result.sections, complete }, null, 1));
  log(`saved ${saved}`);
  const out = values.out ?? (mode === 'full' && complete ? `${ROOT}docs/performance.md` : undefined);
  if (out !== undefined && !values['no-write']) {
    writeFileSync(out, result.markdown);
    log(`wrote ${out}`);
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  await main();
}
