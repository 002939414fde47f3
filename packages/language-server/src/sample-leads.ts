import { MAX_RECORD_BYTES, stageConditionReasons, type Explanation, type Lead, type Scorer } from '@rubric/core';

/** One lead of a sample file, with the 1-based line (JSONL) or index + 1 (JSON array) it came from. */
export interface SampleLead {
  readonly line: number;
  readonly lead: Lead;
}

/** A line of the sample that is not a lead. */
export interface SampleProblem {
  readonly line: number;
  readonly message: string;
}

/** A parsed sample file: its leads, the lines that were skipped, the latest event instant. */
export interface Sample {
  readonly path: string;
  readonly leads: readonly SampleLead[];
  readonly problems: readonly SampleProblem[];
  /**
   * Entries past the first {@link MAX_SAMPLE_LEADS} that were left out: the non-blank lines of
   * JSON Lines (counted, not parsed) or the items of a JSON array.
   */
  readonly truncated: number;
  /**
   * When only the start of the file was read (it is larger than `MAX_SAMPLE_BYTES`), how many
   * bytes were: the leads are its first ones and `truncated` counts only the lines read. Else null.
   */
  readonly partialBytes: number | null;
  /** The latest `at` of any event in the sample (ISO 8601), or null when there is none. */
  readonly latestEventAt: string | null;
}

/**
 * Previews read at most this many entries of a sample (non-blank lines of JSON Lines, items of a
 * JSON array), leads or not, so that they stay interactive: a file of a million bad lines costs
 * what one of 5,000 does, and no more than 5,000 problems are kept.
 */
export const MAX_SAMPLE_LEADS = 5000;

/**
 * Milliseconds a preview spends scoring its sample (code lenses and `rubric/preview` wait for
 * it): past them the leads left are not scored, and the lens says how many were.
 */
export const MAX_PREVIEW_SCORING_MS = 1000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An event's `at` as epoch milliseconds (NaN when it is not an instant); date-only and zone-less ISO are UTC. */
export function eventInstant(at: unknown): number {
  if (at instanceof Date) return at.getTime();
  if (typeof at !== 'string') return Number.NaN;
  // A date-only or zone-less ISO string is UTC (the language's rule).
  const text = /^\d{4}-\d{2}-\d{2}$/.test(at) ? `${at}T00:00:00Z` : /T[\d:.]+$/.test(at) ? `${at}Z` : at;
  return Date.parse(text);
}

/**
 * Parses sample leads: one JSON object per line (JSONL), or a JSON array of objects when the text
 * starts with `[`. Lines that are not objects are reported, never fatal; blank lines are skipped.
 * Only the first {@link MAX_SAMPLE_LEADS} entries are parsed (the lines after them are counted);
 * a line longer than `MAX_RECORD_BYTES` is reported, not parsed. With `partialBytes` (the text is
 * the first that many bytes of a larger file), the last line, cut short, is left out.
 */
export function parseSample(text: string, path: string, options: { readonly partialBytes?: number } = {}): Sample {
  const partialBytes = options.partialBytes ?? null;
  const partial = partialBytes !== null;
  const leads: SampleLead[] = [];
  const problems: SampleProblem[] = [];
  let truncated = 0;
  let examined = 0;
  /** Whether one more entry may be read; past the limit, it is only counted. */
  const take = (): boolean => {
    if (examined >= MAX_SAMPLE_LEADS) {
      truncated++;
      return false;
    }
    examined++;
    return true;
  };
  const add = (line: number, value: unknown): void => {
    if (!isRecord(value)) problems.push({ line, message: 'a lead must be a JSON object' });
    else leads.push({ line, lead: value });
  };
  if (text.trimStart().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) parsed.forEach((value, index) => {
          if (take()) add(index + 1, value);
        });
      else problems.push({ line: 1, message: 'expected a JSON array of leads' });
    } catch (error) {
      problems.push({ line: 1, message: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` });
    }
  } else {
    // Line by line without splitting the whole text: past the leads kept, lines are only counted.
    const end = partial ? text.lastIndexOf('\n') + 1 : text.length;
    let line = 0;
    for (let start = 0; start < end; ) {
      const newline = text.indexOf('\n', start);
      const stop = newline === -1 || newline >= end ? end : newline;
      line++;
      const lineStart = start;
      start = stop + 1;
      if (isBlank(text, lineStart, stop) || !take()) continue;
      if (stop - lineStart > MAX_RECORD_BYTES) {
        problems.push({ line, message: `the line is longer than ${MAX_RECORD_BYTES / (1024 * 1024)} MiB; skipped` });
        continue;
      }
      const lineText = text.slice(lineStart, stop);
      try {
        add(line, JSON.parse(lineText));
      } catch (error) {
        problems.push({ line, message: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
  }
  return { path, leads, problems, truncated, partialBytes, latestEventAt: latestEventAt(leads) };
}

/** The latest instant among the leads' own events (ISO 8601), or null: the previews' default `now`. */
export function latestEventAt(leads: readonly SampleLead[]): string | null {
  let latest = Number.NEGATIVE_INFINITY;
  for (const { lead } of leads) {
    const events = lead.events;
    if (!Array.isArray(events)) continue;
    for (const event of events) {
      if (!isRecord(event)) continue;
      const instant = eventInstant(event.at);
      if (instant > latest) latest = instant;
    }
  }
  return Number.isFinite(latest) ? new Date(latest).toISOString() : null;
}

/** Whether text[start, stop) is only white space (what `trim` removes), looking no further than needed. */
function isBlank(text: string, start: number, stop: number): boolean {
  for (let i = start; i < stop; i++) if (!/\s/.test(text[i])) return false;
  return true;
}

/** `20 MiB`, `512 KiB`, `100 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** `5,000`. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** How much of a sample a preview covers, in words, for its lens and the preview panel. */
export interface SampleCoverage {
  /** Leads scored (or that failed to score): the denominator of the rule and stage counts. */
  readonly leads: number;
  /** `5 leads`, `first 5,000 of 12,345 leads`, `1,234 of 5,000 leads`. */
  readonly text: string;
  /** What was not read or not scored, and why (empty when the whole sample was scored). */
  readonly notes: readonly string[];
}

/** What of `sample` a `run` covers: every lead, or which ones and why not the rest. */
export function sampleCoverage(sample: Sample, run: SampleRun): SampleCoverage {
  const read = sample.leads.length;
  const leads = read - run.unscored;
  const notes: string[] = [];
  let text: string;
  if (run.unscored > 0) {
    text = `${count(leads)} of ${count(read)} leads`;
    notes.push(`scoring stopped after ${run.budgetMs / 1000} s`);
  } else if (sample.truncated > 0) {
    text = `first ${count(leads)} of ${sample.partialBytes !== null ? 'more than ' : ''}${count(read + sample.truncated)} leads`;
  } else {
    text = `${sample.partialBytes !== null ? 'first ' : ''}${count(leads)} ${leads === 1 ? 'lead' : 'leads'}`;
  }
  if (sample.partialBytes !== null) notes.push(`the file is larger than ${formatBytes(sample.partialBytes)}: only its start is read`);
  return { leads, text, notes };
}

/** Where a preview's `now` came from. */
export type NowSource = 'setting' | 'sample' | 'clock';

/**
 * The instant to score a sample at: the `rubric.previewNow` setting when it is a valid instant,
 * else the latest event of the sample, else `clock`.
 */
export function previewNow(setting: string | null, sample: Pick<Sample, 'latestEventAt'>, clock: Date): { now: string; source: NowSource } {
  if (setting !== null) {
    const instant = eventInstant(setting);
    if (Number.isFinite(instant)) return { now: new Date(instant).toISOString(), source: 'setting' };
  }
  if (sample.latestEventAt !== null) return { now: sample.latestEventAt, source: 'sample' };
  return { now: clock.toISOString(), source: 'clock' };
}

/** One scored sample lead. */
export interface ScoredLead {
  readonly line: number;
  readonly lead: Lead;
  readonly explanation: Explanation;
}

/** A sample scored by one version of a rule file. */
export interface SampleRun {
  readonly now: string;
  readonly nowSource: NowSource;
  readonly scored: readonly ScoredLead[];
  /** Leads that made the scorer throw (it should not); kept so every lead is accounted for. */
  readonly failures: readonly SampleProblem[];
  /** Leads of the sample left unscored because scoring took longer than its time budget. */
  readonly unscored: number;
  /** The time budget scoring had, in milliseconds (to say why leads were left unscored). */
  readonly budgetMs: number;
  /** How many leads each rule fired for, by rule index. */
  readonly ruleFires: readonly number[];
  /** By stage name: leads that meet the stage's conditions, and leads whose stage it is. */
  readonly stageCounts: ReadonlyMap<string, StageCounts>;
}

/** A stage's tallies over a sample. */
export interface StageCounts {
  readonly reached: number;
  readonly atStage: number;
  /**
   * For leads whose score reaches the threshold but that do not reach the stage: how many are
   * held back by each reason (`` `phone` is missing ``, `` `email not ends any x` does not
   * hold ``, `` its `when` fails at `country in [FR, BE]` ``), in the order first seen.
   */
  readonly heldBack: ReadonlyMap<string, number>;
}

/** How long scoring a sample may take, and the clock it is measured with (tests pass a fake one). */
export interface ScoringBudget {
  readonly maxMs: number;
  /** Milliseconds from any fixed origin. */
  readonly clock: () => number;
}

const DEFAULT_BUDGET: ScoringBudget = { maxMs: MAX_PREVIEW_SCORING_MS, clock: () => performance.now() };

/**
 * Scores the leads of `sample` with `scorer` at `now` and tallies rule firings and stages, in
 * file order until `budget.maxMs` have passed: the leads after that are counted as `unscored`.
 */
export function scoreSample(
  scorer: Scorer,
  ruleCount: number,
  stageNames: readonly string[],
  sample: Sample,
  now: { now: string; source: NowSource },
  budget: ScoringBudget = DEFAULT_BUDGET,
): SampleRun {
  const scored: ScoredLead[] = [];
  const failures: SampleProblem[] = [];
  const ruleFires = new Array<number>(ruleCount).fill(0);
  const stageCounts = new Map<string, { reached: number; atStage: number; heldBack: Map<string, number> }>();
  for (const name of stageNames) stageCounts.set(name, { reached: 0, atStage: 0, heldBack: new Map() });
  const started = budget.clock();
  let unscored = 0;
  for (let index = 0; index < sample.leads.length; index++) {
    // The clock is read before every lead (it costs far less than scoring one): a sample of a few
    // very large leads cannot overrun the budget by many of them.
    if (index > 0 && budget.clock() - started > budget.maxMs) {
      unscored = sample.leads.length - index;
      break;
    }
    const { line, lead } = sample.leads[index];
    let explanation: Explanation;
    try {
      explanation = scorer.explain(lead, { now: now.now });
    } catch (error) {
      failures.push({ line, message: `scoring failed: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    scored.push({ line, lead, explanation });
    for (const hit of explanation.hits) {
      if (hit.rule >= 0 && hit.rule < ruleCount) ruleFires[hit.rule]++;
    }
    for (const stage of explanation.stages) {
      const counts = stageCounts.get(stage.name);
      if (counts === undefined) continue;
      if (stage.reached) counts.reached++;
      if (stage.isStage) counts.atStage++;
      if (!stage.reached && stage.scoreReached) {
        const reasons = [...stage.missing.map((field) => `\`${field}\` is missing`), ...stageConditionReasons(stage)];
        for (const reason of reasons) counts.heldBack.set(reason, (counts.heldBack.get(reason) ?? 0) + 1);
      }
    }
  }
  return { now: now.now, nowSource: now.source, scored, failures, unscored, budgetMs: budget.maxMs, ruleFires, stageCounts };
}

/** The sample a document previews against, as the server found it. */
export interface SampleContext {
  /** The parsed sample, when one was found and read. */
  readonly sample?: Sample;
  /** Why no sample could be read (a configured file that does not exist, ...). */
  readonly error?: string;
  /** The `rubric.previewNow` setting. */
  readonly nowSetting: string | null;
}
