/**
 * `npm run fuzz -- [options]`: a longer fuzz run than CI's (see scripts/fuzz.mjs, which starts this
 * under tsx). Prints the report and writes every failing input, first and shrunk, under `--out`.
 *
 *   --seconds N      run for N seconds (default 60)
 *   --inputs N       or stop after N inputs
 *   --seed N         the seed (default: the current time; printed, to replay)
 *   --input I        check only input I of the seed (replays one input of a report)
 *   --file PATH      check only this file (a minimal input, a regression case)
 *   --before PATH    with --file: check only the editor's re-analysis of the edit from PATH to --file
 *   --ci             CI's input mix (big inputs under 20,000 characters), to replay a CI input
 *   --jobs N         worker processes (default 1)
 *   --stage-limit MS a stage slower than this is a failure (default 2000)
 *   --timeout MS     an input not answered in this time is a hang (default 10000)
 *   --out DIR        where failing inputs go (default test-artifacts/fuzz/seed-N)
 *   --shrink-seconds N  time spent shrinking failing inputs in all (default 300)
 *
 * Exit code 0 when no input failed, 1 when some did, 2 on a usage error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatReport, runCampaign, showText, writeFindings } from './campaign.js';
import { loadSeedFiles, REPOSITORY_ROOT } from './corpus.js';
import { CI_MIX, DEFAULT_MIX, InputSource } from './inputs.js';
import { FuzzWorker } from './supervisor.js';

function usage(message: string): never {
  process.stderr.write(`fuzz: ${message}\nusage: npm run fuzz -- [--seconds N | --inputs N] [--seed N] [--input I | --file PATH] [--jobs N] [--out DIR]\n`);
  process.exit(2);
}

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) usage(`--${name} takes a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

async function main(): Promise<number> {
  const { values } = (() => {
    try {
      return parseArgs({
        options: {
          seconds: { type: 'string' },
          inputs: { type: 'string' },
          seed: { type: 'string' },
          input: { type: 'string' },
          file: { type: 'string' },
          before: { type: 'string' },
          jobs: { type: 'string' },
          ci: { type: 'boolean' },
          'stage-limit': { type: 'string' },
          timeout: { type: 'string' },
          out: { type: 'string' },
          'shrink-seconds': { type: 'string' },
          help: { type: 'boolean' },
        },
        strict: true,
      });
    } catch (error) {
      return usage(error instanceof Error ? error.message : String(error));
    }
  })();
  if (values.help === true) {
    process.stdout.write(`${readFileSync(new URL(import.meta.url), 'utf8').split('*/')[0].replace(/^\/\*\*\n/, '').replace(/^ \* ?/gm, '')}\n`);
    return 0;
  }
  const seed = integer(values.seed, 'seed') ?? Math.floor(Date.now() / 1000) % 1_000_000_007;
  const stageLimitMs = integer(values['stage-limit'], 'stage-limit') ?? 2000;
  const mix = values.ci === true ? CI_MIX : DEFAULT_MIX;
  const inputTimeoutMs = integer(values.timeout, 'timeout') ?? 10_000;

  // One input: replay it and print what fails.
  const index = integer(values.input, 'input');
  if (index !== undefined || values.file !== undefined) {
    const text = values.file !== undefined ? readFileSync(values.file, 'utf8') : new InputSource(seed, loadSeedFiles(), mix).input(index ?? 0).text;
    const worker = new FuzzWorker({ inputTimeoutMs, memoryMb: 1024, check: { stageLimitMs } });
    try {
      if (values.before !== undefined && values.file === undefined) usage('--before needs --file (the text after the edit)');
      const before = values.before === undefined ? undefined : readFileSync(values.before, 'utf8');
      const outcome = await worker.check(text, undefined, before);
      process.stdout.write(`--- input (${text.length} chars) ---\n${showText(text, 20_000)}\n--- result ---\n`);
      const failures = outcome.kind === 'report' ? outcome.report.failures : [outcome.failure];
      if (outcome.kind === 'report') {
        const times = Object.entries(outcome.report.timings).map(([stage, ms]) => `${stage} ${ms.toFixed(1)}`);
        process.stdout.write(`errors: ${outcome.report.hasErrors ? 'yes' : 'no'}; ms: ${times.join(', ')}\n`);
      }
      for (const f of failures) process.stdout.write(`[${f.stage}] ${f.kind}: ${f.message}\n`);
      if (failures.length === 0) process.stdout.write('no failure\n');
      return failures.length === 0 ? 0 : 1;
    } finally {
      worker.close();
    }
  }

  const inputs = integer(values.inputs, 'inputs');
  const seconds = integer(values.seconds, 'seconds') ?? (inputs === undefined ? 60 : undefined);
  process.stdout.write(`fuzz: seed ${seed}, ${inputs !== undefined ? `${inputs} inputs` : `${seconds} s`}\n`);
  const report = await runCampaign({
    seed,
    ...(inputs === undefined ? {} : { inputs }),
    ...(seconds === undefined ? {} : { seconds }),
    jobs: integer(values.jobs, 'jobs') ?? 1,
    mix,
    stageLimitMs,
    inputTimeoutMs,
    maxDeaths: 50,
    shrinkSeconds: 20,
    shrinkTotalSeconds: integer(values['shrink-seconds'], 'shrink-seconds') ?? 300,
    progress: (line) => process.stdout.write(`  ${line}\n`),
  });
  process.stdout.write(`${formatReport(report)}\n`);
  if (report.classes.length > 0) {
    const dir = values.out ?? join(REPOSITORY_ROOT, 'test-artifacts', 'fuzz', `seed-${seed}`);
    const written = writeFindings(report, dir);
    process.stdout.write(`\nwrote ${written.length} files under ${dir}\n`);
  }
  return report.classes.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fuzz: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
