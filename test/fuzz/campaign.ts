/**
 * A fuzz run: inputs from a seed (inputs.ts), each checked in a supervised worker (supervisor.ts),
 * failures grouped into classes (stage, kind and message with names and numbers blanked), the
 * first input of each class shrunk (shrink.ts), and a report listing every class with its minimal
 * input, so one run shows all distinct failures, not just the first.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Failure, Stage } from './check-input.js';
import { loadSeedFiles } from './corpus.js';
import { CI_MIX, DEFAULT_MIX, InputSource, type FuzzInput, type InputMix } from './inputs.js';
import { shrinkText, type ShrinkBudget } from './shrink.js';
import { FuzzWorker, type Outcome } from './supervisor.js';

export interface CampaignOptions {
  readonly seed: number;
  /** Stop after this many inputs (at least one of `inputs` and `seconds`). */
  readonly inputs?: number;
  /** Stop making new inputs after this many seconds. */
  readonly seconds?: number;
  /** A stage slower than this on an input under 100 KB is a failure. Default 2000 ms. */
  readonly stageLimitMs?: number;
  /** An input not answered within this time is a hang. Default 10 s. */
  readonly inputTimeoutMs?: number;
  /** The worker's heap limit. Default 1024 MB. */
  readonly memoryMb?: number;
  /** Time spent shrinking each failure class. Default 5 s. */
  readonly shrinkSeconds?: number;
  /** Time spent shrinking in all. Default 30 s. */
  readonly shrinkTotalSeconds?: number;
  /** Stop early after this many dead workers (hangs and crashes are slow). Default 8. */
  readonly maxDeaths?: number;
  /** Worker processes checking inputs in parallel. Default 1. */
  readonly jobs?: number;
  readonly mix?: InputMix;
  /** Called now and then with a one-line progress message. */
  readonly progress?: (line: string) => void;
}

/** One distinct failure and the inputs that showed it. */
export interface FailureClass {
  /** Stage, kind and message with names, strings and numbers blanked. */
  readonly key: string;
  readonly stage: Stage;
  readonly kind: Failure['kind'];
  /** The message of the first input that showed it. */
  readonly message: string;
  /** Inputs that showed it. */
  count: number;
  /** Distinct details of its instances (at most 8), e.g. the messages of diagnostics without help. */
  readonly details: string[];
  /** The first input that showed it. */
  readonly first: FuzzInput;
  /** The smallest input that showed it (the one shrunk). */
  smallest: FuzzInput;
  /** For an edit-path failure of the smallest input: the edit that showed it. */
  edit?: Failure['edit'];
  /** The smallest input, shrunk (same class), and the message it gives. */
  minimal?: {
    readonly text: string;
    readonly message: string;
    readonly checks: number;
    readonly exhausted: boolean;
    /** For an edit-path failure: the text before the edit (`text` is the text after it). */
    readonly before?: string;
  };
}

export interface StageTime {
  readonly ms: number;
  readonly index: number;
  readonly origin: string;
  readonly bytes: number;
}

export interface CampaignReport {
  readonly seed: number;
  /** Whether the inputs were CI's mix (replays need `--ci`). */
  readonly ci: boolean;
  readonly inputs: number;
  /** Inputs without error diagnostics (those reach the compiler, the SQL, the module and the oracle). */
  readonly withoutErrors: number;
  readonly elapsedMs: number;
  /** Of which checking the inputs (the rest is shrinking). */
  readonly checkingMs: number;
  /** The slowest input of each stage. */
  readonly slowest: Partial<Record<Stage, StageTime>>;
  readonly classes: readonly FailureClass[];
  /** Why the run stopped before its planned inputs, if it did. */
  readonly stoppedEarly?: string;
}

/** A message with the parts that vary between inputs blanked, so failures group into classes. */
export function normalizeMessage(message: string): string {
  return message
    .replace(/`[^`]*`/g, '`_`')
    .replace(/"(?:[^"\\]|\\.)*"/g, '"_"')
    .replace(/'(?:[^'\\]|\\.)*'/g, "'_'")
    .replace(/\$(?:\.[\w$-]+|\.\d+)+/g, (path) => path.replace(/\.\d+/g, '.N'))
    .replace(/\d+/g, 'N')
    .slice(0, 240);
}

function classKey(failure: Failure): string {
  // Hangs and crashes group by stage alone: their messages say nothing about the cause.
  if (failure.kind === 'hang' || failure.kind === 'crash' || failure.kind === 'slow') return `${failure.stage} ${failure.kind}`;
  return `${failure.stage} ${failure.kind} ${normalizeMessage(failure.message)}`;
}

function failuresOf(outcome: Outcome): readonly Failure[] {
  return outcome.kind === 'report' ? outcome.report.failures : [outcome.failure];
}

/** Runs a campaign and returns its report (never throws for a failing input). */
export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  if (options.inputs === undefined && options.seconds === undefined) throw new Error('runCampaign: give `inputs` or `seconds`');
  const started = performance.now();
  const source = new InputSource(options.seed, loadSeedFiles(), options.mix ?? DEFAULT_MIX);
  const stageLimitMs = options.stageLimitMs ?? 2000;
  const inputTimeoutMs = options.inputTimeoutMs ?? 10_000;
  const supervisorOptions = { inputTimeoutMs, memoryMb: options.memoryMb ?? 1024, check: { stageLimitMs } };
  const jobs = Math.max(1, options.jobs ?? 1);
  const workers = Array.from({ length: jobs }, () => new FuzzWorker(supervisorOptions));
  const maxDeaths = options.maxDeaths ?? 8;
  const endAt = options.seconds === undefined ? Number.POSITIVE_INFINITY : started + options.seconds * 1000;
  const planned = options.inputs ?? Number.POSITIVE_INFINITY;

  const outcomes = new Map<number, { input: FuzzInput; outcome: Outcome }>();
  let next = 0;
  let deaths = 0;
  let stoppedEarly: string | undefined;
  let lastProgress = started;
  const more = (): boolean => {
    if (stoppedEarly !== undefined) return false;
    if (deaths >= maxDeaths) {
      stoppedEarly = `stopped after ${deaths} hangs or crashes (each costs up to ${inputTimeoutMs} ms); fix those first`;
      return false;
    }
    return next < planned && performance.now() < endAt;
  };
  try {
    await Promise.all(
      workers.map(async (worker) => {
        while (more()) {
          const input = source.input(next++);
          const outcome = await worker.check(input.text);
          if (outcome.kind === 'died') deaths++;
          outcomes.set(input.index, { input, outcome });
          const now = performance.now();
          if (options.progress !== undefined && now - lastProgress > 10_000) {
            lastProgress = now;
            options.progress(`${outcomes.size} inputs in ${Math.round((now - started) / 1000)} s`);
          }
        }
      }),
    );

    const checkingMs = performance.now() - started;
    // Classes in input order, so the report does not depend on which worker was faster.
    const classes = new Map<string, FailureClass>();
    const slowest: Partial<Record<Stage, StageTime>> = {};
    let withoutErrors = 0;
    const indexes = [...outcomes.keys()].sort((a, b) => a - b);
    for (const index of indexes) {
      const { input, outcome } = outcomes.get(index)!;
      if (outcome.kind === 'report') {
        if (!outcome.report.hasErrors) withoutErrors++;
        for (const [stage, ms] of Object.entries(outcome.report.timings) as [Stage, number][]) {
          const known = slowest[stage];
          if (known === undefined || ms > known.ms) slowest[stage] = { ms, index, origin: input.origin, bytes: input.text.length };
        }
      }
      for (const failure of failuresOf(outcome)) {
        const key = classKey(failure);
        const known = classes.get(key);
        if (known !== undefined) {
          known.count++;
          if (failure.detail !== undefined && known.details.length < 8 && !known.details.includes(failure.detail)) known.details.push(failure.detail);
          if (input.text.length < known.smallest.text.length) {
            known.smallest = input;
            known.edit = failure.edit;
          }
        } else {
          classes.set(key, { key, stage: failure.stage, kind: failure.kind, message: failure.message, count: 1, details: failure.detail === undefined ? [] : [failure.detail], first: input, smallest: input, edit: failure.edit });
        }
      }
    }

    // Shrink the first input of each class, within the time budget.
    const shrinkEnd = performance.now() + (options.shrinkTotalSeconds ?? 30) * 1000;
    const worker = workers[0];
    for (const failureClass of classes.values()) {
      // A slow stage stays slow only on big inputs: shrinking would cost seconds per check for nothing.
      if (failureClass.kind === 'slow') continue;
      const deadline = Math.min(shrinkEnd, performance.now() + (options.shrinkSeconds ?? 5) * 1000);
      if (performance.now() >= deadline) break;
      let lastMessage = failureClass.message;
      // A hang is checked with a shorter limit while shrinking (it only has to stay a hang).
      const timeout = failureClass.kind === 'hang' ? Math.min(inputTimeoutMs, 3000) : undefined;
      const fails = async (candidate: string): Promise<boolean> => {
        const outcome = await worker.check(candidate, timeout);
        const same = failuresOf(outcome).find((f) => classKey(f) === failureClass.key);
        if (same !== undefined) lastMessage = same.message;
        return same !== undefined;
      };
      if (failureClass.edit !== undefined) {
        const edit = await shrinkEdit(worker, failureClass, failureClass.edit, { deadline, maxChecks: 2000 });
        if (edit !== undefined) {
          failureClass.minimal = edit;
          continue;
        }
      }
      const shrunk = await shrinkText(failureClass.smallest.text, fails, { deadline, maxChecks: 2000 });
      // The message of the minimal text itself (lastMessage may come from a rejected candidate).
      const final = await worker.check(shrunk.text, timeout);
      const finalFailure = failuresOf(final).find((f) => classKey(f) === failureClass.key);
      failureClass.minimal = { text: shrunk.text, message: finalFailure?.message ?? lastMessage, checks: shrunk.checks, exhausted: shrunk.exhausted };
    }
    return {
      seed: options.seed,
      ci: options.mix === CI_MIX,
      inputs: outcomes.size,
      withoutErrors,
      elapsedMs: performance.now() - started,
      checkingMs,
      slowest,
      classes: [...classes.values()],
      ...(stoppedEarly === undefined ? {} : { stoppedEarly }),
    };
  } finally {
    for (const worker of workers) worker.close();
  }
}

/** Separates the parts of an edit while it is shrunk as one text (a private-use character). */
const EDIT_MARK = '\ue000';

/**
 * Shrinks an edit-path failure keeping its edit: the two texts are written as one, common prefix,
 * old middle, new middle, common suffix, with {@link EDIT_MARK}s between, and shrunk as one text
 * whose candidates must keep the three marks. Undefined when the edit alone does not fail (the
 * failure needed the chain of edits before it).
 */
async function shrinkEdit(worker: FuzzWorker, failureClass: FailureClass, edit: NonNullable<Failure['edit']>, budget: ShrinkBudget): Promise<FailureClass['minimal']> {
  const { before, after } = edit;
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < before.length - prefix && suffix < after.length - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  const encoded = [before.slice(0, prefix), before.slice(prefix, before.length - suffix), after.slice(prefix, after.length - suffix), before.slice(before.length - suffix)].join(EDIT_MARK);
  const decode = (candidate: string): { before: string; after: string } | undefined => {
    const parts = candidate.split(EDIT_MARK);
    if (parts.length !== 4) return undefined;
    return { before: parts[0] + parts[1] + parts[3], after: parts[0] + parts[2] + parts[3] };
  };
  let message = failureClass.message;
  const fails = async (candidate: string): Promise<boolean> => {
    const pair = decode(candidate);
    if (pair === undefined) return false;
    const outcome = await worker.check(pair.after, undefined, pair.before);
    const same = failuresOf(outcome).find((f) => classKey(f) === failureClass.key);
    if (same !== undefined) message = same.message;
    return same !== undefined;
  };
  if (!(await fails(encoded))) return undefined;
  const shrunk = await shrinkText(encoded, fails, budget);
  const pair = decode(shrunk.text) ?? edit;
  await fails(shrunk.text);
  return { text: pair.after, before: pair.before, message, checks: shrunk.checks, exhausted: shrunk.exhausted };
}

/** A text shown in a report: escaped so control characters, CR and lone surrogates are visible. */
export function showText(text: string, max = 1500): string {
  const shown = text.length > max ? `${text.slice(0, max)}\n... (${text.length - max} more characters)` : text;
  return shown.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029\ufeff]|\r|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (ch) =>
    ch === '\r' ? '\\r' : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The report as text: the numbers, then each failure class with its minimal input. */
export function formatReport(report: CampaignReport): string {
  const out: string[] = [];
  out.push(
    `fuzz seed ${report.seed}: ${report.inputs} inputs (${report.withoutErrors} without errors) checked in ${(report.checkingMs / 1000).toFixed(1)} s ` +
      `(${(report.elapsedMs / 1000).toFixed(1)} s with shrinking), ` +
      `${report.classes.length} distinct failure${report.classes.length === 1 ? '' : 's'}`,
  );
  if (report.stoppedEarly !== undefined) out.push(`note: ${report.stoppedEarly}`);
  const slow = Object.entries(report.slowest)
    .sort(([, a], [, b]) => b.ms - a.ms)
    .slice(0, 5)
    .map(([stage, t]) => `${stage} ${Math.round(t.ms)} ms (input ${t.index}, ${t.origin}, ${t.bytes} chars)`);
  out.push(`slowest stages: ${slow.join('; ')}`);
  report.classes.forEach((c, i) => {
    out.push('');
    out.push(`${i + 1}. [${c.stage}] ${c.kind}: ${c.message}`);
    out.push(
      `   ${c.count} input${c.count === 1 ? '' : 's'}; first: input ${c.first.index} (${c.first.origin}, ${c.first.text.length} chars); ` +
        `smallest: input ${c.smallest.index} (${c.smallest.origin}, ${c.smallest.text.length} chars)`,
    );
    for (const detail of c.details) out.push(`   e.g. ${showText(detail, 200)}`);
    out.push(`   replay: npm run fuzz -- --seed ${report.seed} --input ${c.smallest.index}${report.ci ? ' --ci' : ''}`);
    const twin = report.classes.findIndex((other) => other.minimal !== undefined && other.minimal.text === c.minimal?.text);
    if (c.minimal !== undefined && twin >= 0 && twin < i) {
      out.push(`   minimal input: the same as ${twin + 1}. (likely the same cause), giving: ${c.minimal.message}`);
    } else if (c.minimal !== undefined) {
      const note = c.minimal.exhausted ? ' (shrinking stopped at its budget)' : '';
      out.push(`   minimal input (${c.minimal.text.length} chars, ${c.minimal.checks} checks${note}), giving: ${c.minimal.message}`);
      const show = (text: string): string =>
        showText(text)
          .split('\n')
          .map((line) => `   | ${line}`)
          .join('\n');
      if (c.minimal.before !== undefined) out.push(`   before the edit:\n${show(c.minimal.before)}\n   after the edit:`);
      out.push(show(c.minimal.text));
    }
  });
  return out.join('\n');
}

/**
 * Writes each failure class's smallest and shrunk inputs and the report under `dir`
 * (`01-compile-compile-rejects-checked-file.min.rubric`, `...input.rubric`, `report.txt`).
 * Returns the paths written.
 */
export function writeFindings(report: CampaignReport, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  // Files of an earlier run in the same directory would read as findings of this one.
  for (const name of readdirSync(dir)) {
    if (/^\d\d-.*\.rubric$/.test(name) || name === 'report.txt') rmSync(join(dir, name));
  }
  const written: string[] = [];
  const write = (name: string, text: string): void => {
    const path = join(dir, name);
    writeFileSync(path, text);
    written.push(path);
  };
  report.classes.forEach((c, i) => {
    const base = `${String(i + 1).padStart(2, '0')}-${c.stage}-${c.kind}`;
    if (c.minimal !== undefined) write(`${base}.min.rubric`, c.minimal.text);
    if (c.minimal?.before !== undefined) write(`${base}.min-before-edit.rubric`, c.minimal.before);
    write(`${base}.input.rubric`, c.smallest.text);
  });
  write('report.txt', `${formatReport(report)}\n`);
  return written;
}
