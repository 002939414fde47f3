import type { Explanation, Lead, Scorer } from '@rubric/core';

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
  /** Leads past {@link MAX_SAMPLE_LEADS} that were left out. */
  readonly truncated: number;
  /** The latest `at` of any event in the sample (ISO 8601), or null when there is none. */
  readonly latestEventAt: string | null;
}

/** Previews score at most this many sample leads, so that they stay interactive. */
export const MAX_SAMPLE_LEADS = 5000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function eventInstant(at: unknown): number {
  if (at instanceof Date) return at.getTime();
  if (typeof at !== 'string') return Number.NaN;
  // A date-only or zone-less ISO string is UTC (the language's rule).
  const text = /^\d{4}-\d{2}-\d{2}$/.test(at) ? `${at}T00:00:00Z` : /T[\d:.]+$/.test(at) ? `${at}Z` : at;
  return Date.parse(text);
}

/**
 * Parses sample leads: one JSON object per line (JSONL), or a JSON array of objects when the text
 * starts with `[`. Lines that are not objects are reported, never fatal; blank lines are skipped.
 */
export function parseSample(text: string, path: string): Sample {
  const leads: SampleLead[] = [];
  const problems: SampleProblem[] = [];
  let truncated = 0;
  const add = (line: number, value: unknown): void => {
    if (!isRecord(value)) {
      problems.push({ line, message: 'a lead must be a JSON object' });
    } else if (leads.length >= MAX_SAMPLE_LEADS) {
      truncated++;
    } else {
      leads.push({ line, lead: value });
    }
  };
  if (text.trimStart().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) parsed.forEach((value, index) => add(index + 1, value));
      else problems.push({ line: 1, message: 'expected a JSON array of leads' });
    } catch (error) {
      problems.push({ line: 1, message: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` });
    }
  } else {
    const lines = text.split(/\r?\n/);
    lines.forEach((lineText, index) => {
      if (lineText.trim() === '') return;
      try {
        add(index + 1, JSON.parse(lineText));
      } catch (error) {
        problems.push({ line: index + 1, message: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` });
      }
    });
  }
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
  return {
    path,
    leads,
    problems,
    truncated,
    latestEventAt: Number.isFinite(latest) ? new Date(latest).toISOString() : null,
  };
}

/** Where a preview's `now` came from. */
export type NowSource = 'setting' | 'sample' | 'clock';

/**
 * The instant to score a sample at: the `rubric.previewNow` setting when it is a valid instant,
 * else the latest event of the sample, else `clock`.
 */
export function previewNow(setting: string | null, sample: Sample, clock: Date): { now: string; source: NowSource } {
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
  /** How many leads each rule fired for, by rule index. */
  readonly ruleFires: readonly number[];
  /** By stage name: leads that meet the stage's conditions, and leads whose stage it is. */
  readonly stageCounts: ReadonlyMap<string, { readonly reached: number; readonly atStage: number }>;
}

/** Scores every lead of `sample` with `scorer` at `now` and tallies rule firings and stages. */
export function scoreSample(
  scorer: Scorer,
  ruleCount: number,
  stageNames: readonly string[],
  sample: Sample,
  now: { now: string; source: NowSource },
): SampleRun {
  const scored: ScoredLead[] = [];
  const failures: SampleProblem[] = [];
  const ruleFires = new Array<number>(ruleCount).fill(0);
  const stageCounts = new Map<string, { reached: number; atStage: number }>();
  for (const name of stageNames) stageCounts.set(name, { reached: 0, atStage: 0 });
  for (const { line, lead } of sample.leads) {
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
    }
  }
  return { now: now.now, nowSource: now.source, scored, failures, ruleFires, stageCounts };
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
