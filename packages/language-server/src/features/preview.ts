import type { Lead } from '@rubric/core';
import type { DocumentState } from '../document-state.js';
import { sampleCoverage, type NowSource, type SampleContext, type SampleProblem } from '../sample-leads.js';

/** The `rubric/preview` request. */
export const PREVIEW_REQUEST = 'rubric/preview';

export interface PreviewParams {
  readonly textDocument: { readonly uri: string };
  /** How many scored rows to return (the first N leads of the sample). */
  readonly rows?: number;
}

export interface PreviewRow {
  /** The sample line (JSONL) or position (JSON array), 1-based. */
  readonly line: number;
  /** A short name for the lead: its `id`, `email` or `name`, else `line N`. */
  readonly label: string;
  readonly score: number;
  readonly stage: string | null;
  readonly tier: string | null;
  readonly groups: Readonly<Record<string, number>>;
}

export interface HistogramBin {
  /** Inclusive lower bound. */
  readonly from: number;
  /** Exclusive upper bound (inclusive for the last bin). */
  readonly to: number;
}

export interface StageHistogram {
  /** The stage, or null for leads that reach no stage. */
  readonly stage: string | null;
  readonly threshold: number | null;
  /** Leads whose stage this is. */
  readonly count: number;
  /** How many of them fall in each bin of {@link PreviewResult.bins}. */
  readonly counts: readonly number[];
}

export interface PreviewResult {
  readonly uri: string;
  readonly version: number;
  /** `ok`, or why there is nothing to show (`message` says what to do). */
  readonly status: 'ok' | 'no-sample' | 'sample-error' | 'file-errors';
  readonly message?: string;
  readonly sample?: {
    readonly path: string;
    readonly leads: number;
    readonly problems: readonly SampleProblem[];
    readonly truncated: number;
    /** Leads left unscored because scoring ran out of time. */
    readonly unscored?: number;
    /**
     * What of the sample is covered (`first 5,000 of 12,345 leads`) and what was not read or
     * scored, and why (`the file is larger than 20 MiB: only its start is read`); only when
     * something was left out.
     */
    readonly coverage?: string;
    readonly notes?: readonly string[];
  };
  readonly now?: string;
  readonly nowSource?: NowSource;
  readonly groups: readonly string[];
  readonly stages: readonly { readonly name: string; readonly threshold: number }[];
  readonly rows: readonly PreviewRow[];
  readonly totalRows: number;
  readonly bins: readonly HistogramBin[];
  readonly histograms: readonly StageHistogram[];
  readonly stats?: { readonly min: number; readonly max: number; readonly mean: number; readonly median: number };
  /**
   * The file has an `account` block: the sample's leads were scored as contacts without their
   * accounts (their `account.…` values are missing), as the sample's code lens says.
   */
  readonly withoutAccounts?: true;
}

/** The last segment of a path (no Node `path`: features stay pure). */
export function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

function leadLabel(lead: Lead, line: number): string {
  for (const key of ['id', 'email', 'name']) {
    const value = Object.prototype.hasOwnProperty.call(lead, key) ? lead[key] : undefined;
    if (typeof value === 'string' && value.trim() !== '') return value.length > 60 ? `${value.slice(0, 59)}…` : value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return `line ${line}`;
}

/** Equal-width bins over [min, max], about `target` of them, with integer widths. */
export function histogramBins(scores: readonly number[], target = 10): HistogramBin[] {
  if (scores.length === 0) return [];
  let low = Math.floor(Math.min(...scores));
  let high = Math.ceil(Math.max(...scores));
  if (high === low) high = low + 1;
  const width = Math.max(1, Math.ceil((high - low) / target));
  // Start on a multiple of the width so the edges read well (0, 10, 20 rather than 3, 13, 23).
  low = Math.floor(low / width) * width;
  const bins: HistogramBin[] = [];
  for (let from = low; from < high || bins.length === 0; from += width) bins.push({ from, to: from + width });
  return bins;
}

function binIndex(bins: readonly HistogramBin[], score: number): number {
  for (let i = 0; i < bins.length; i++) if (score < bins[i].to) return i;
  return bins.length - 1;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * The sample's scored table (first `rows` leads) and, per stage, a histogram of the scores of the
 * leads whose stage it is (plus leads with no stage), over bins shared by every stage.
 */
export function preview(state: DocumentState, params: PreviewParams, context: SampleContext, defaultRows = 50): PreviewResult {
  const model = state.analysis.model;
  const base = {
    uri: state.uri,
    version: state.version,
    groups: model.groups.map((g) => g.name),
    stages: model.stages.map((s) => ({ name: s.name, threshold: s.threshold })),
    rows: [],
    totalRows: 0,
    bins: [],
    histograms: [],
  };
  if (context.error !== undefined) return { ...base, status: 'sample-error', message: context.error };
  const sample = context.sample;
  if (sample === undefined) {
    return {
      ...base,
      status: 'no-sample',
      message: 'no sample leads: set `rubric.sampleLeads` or put NAME.sample.jsonl beside NAME.rubric',
    };
  }
  const sampleInfo = { path: sample.path, leads: sample.leads.length, problems: sample.problems, truncated: sample.truncated };
  const run = state.sampleRun(sample, context.nowSetting);
  if (run === undefined) {
    return { ...base, status: 'file-errors', message: 'the rule file has errors; fix them to preview scores', sample: sampleInfo };
  }
  const limit = Math.max(0, Math.min(params.rows ?? defaultRows, 10_000));
  const rows: PreviewRow[] = run.scored.slice(0, limit).map(({ line, lead, explanation }) => ({
    line,
    label: leadLabel(lead, line),
    score: explanation.score,
    stage: explanation.stage,
    tier: explanation.tier,
    groups: explanation.groups,
  }));
  const scores = run.scored.map((s) => s.explanation.score);
  const bins = histogramBins(scores);
  const stageNames: (string | null)[] = [...model.stages.map((s) => s.name), null];
  const histograms: StageHistogram[] = stageNames.map((name) => {
    const counts = new Array<number>(bins.length).fill(0);
    let count = 0;
    for (const { explanation } of run.scored) {
      if (explanation.stage !== name) continue;
      count++;
      counts[binIndex(bins, explanation.score)]++;
    }
    const stage = name === null ? undefined : model.stages.find((s) => s.name === name);
    return { stage: name, threshold: stage?.threshold ?? null, count, counts };
  });
  const sorted = [...scores].sort((a, b) => a - b);
  const stats =
    sorted.length === 0
      ? undefined
      : {
          min: sorted[0],
          max: sorted[sorted.length - 1],
          mean: round2(sorted.reduce((sum, s) => sum + s, 0) / sorted.length),
          median: sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2] : round2((sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2),
        };
  const problems = [...sample.problems, ...run.failures];
  const coverage = sampleCoverage(sample, run);
  const limited = coverage.notes.length > 0 || sample.truncated > 0;
  const result: PreviewResult = {
    ...base,
    status: 'ok',
    sample: { ...sampleInfo, problems, ...(limited ? { unscored: run.unscored, coverage: coverage.text, notes: coverage.notes } : {}) },
    now: run.now,
    nowSource: run.nowSource,
    rows,
    totalRows: run.scored.length,
    bins,
    histograms,
    ...(model.account === null ? {} : { withoutAccounts: true as const }),
  };
  return stats === undefined ? result : { ...result, stats };
}
