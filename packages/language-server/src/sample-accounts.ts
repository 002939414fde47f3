/**
 * Sample accounts (issue 17): `NAME.sample.accounts.jsonl` beside `NAME.rubric`, one account per
 * line, a JSON object holding the account's fields and a `contacts` array of leads (each with its
 * `events`, like a lead of `NAME.sample.jsonl`). Scored with the file's account scorer for the
 * code lenses over the rules and stages of `score accounts`, as the lead sample is for the
 * contact rules (sample-leads.ts): bounded in entries read and in scoring time.
 */
import type { Lead } from '@rubric/core';
import {
  eventInstant,
  MAX_PREVIEW_SCORING_MS,
  parseSample,
  type NowSource,
  type Sample,
  type SampleProblem,
  type ScoringBudget,
} from './sample-leads.js';

/** What the lenses need of an account scorer (`CompiledScorer.accounts`). */
export interface AccountExplainer {
  explainAccount(
    account: Lead,
    contacts: readonly Lead[],
    options?: { readonly now?: Date | string },
  ): ExplainedResult & { readonly contacts: readonly ExplainedResult[] };
}

/** What the tallies read of an explanation (an account's or a contact's). */
interface ExplainedResult {
  readonly hits: readonly { readonly rule: number }[];
  readonly stages: readonly { readonly name: string; readonly reached: boolean; readonly isStage: boolean }[];
}

/** Rule firings and stage counts over a set of explanations. */
export interface Tally {
  /** Explanations counted (the denominator). */
  readonly count: number;
  /** By rule index: how many of them the rule fired for. */
  readonly ruleFires: readonly number[];
  /** By stage name: how many reach it, and how many end there. */
  readonly stageCounts: ReadonlyMap<string, { readonly reached: number; readonly atStage: number }>;
}

class Tallier {
  count = 0;
  readonly ruleFires: number[];
  readonly stageCounts = new Map<string, { reached: number; atStage: number }>();

  constructor(ruleCount: number, stageNames: readonly string[]) {
    this.ruleFires = new Array<number>(ruleCount).fill(0);
    for (const name of stageNames) this.stageCounts.set(name, { reached: 0, atStage: 0 });
  }

  add(result: ExplainedResult): void {
    this.count++;
    // An `each` rule may hit several times: a result counts once per rule.
    const fired = new Set<number>();
    for (const hit of result.hits) if (hit.rule >= 0 && hit.rule < this.ruleFires.length) fired.add(hit.rule);
    for (const rule of fired) this.ruleFires[rule]++;
    for (const stage of result.stages) {
      const counts = this.stageCounts.get(stage.name);
      if (counts === undefined) continue;
      if (stage.reached) counts.reached++;
      if (stage.isStage) counts.atStage++;
    }
  }
}

/** One account of the sample: its own fields and its contacts. */
export interface SampleAccount {
  readonly line: number;
  readonly account: Lead;
  readonly contacts: readonly Lead[];
}

/** A parsed accounts sample. */
export interface AccountSample {
  readonly path: string;
  readonly accounts: readonly SampleAccount[];
  /** Lines that are no account, and contacts that are no object (skipped). */
  readonly problems: readonly SampleProblem[];
  /** Entries past the first `MAX_SAMPLE_LEADS`, left out. */
  readonly truncated: number;
  readonly partialBytes: number | null;
  /** The latest `at` of any contact's event (ISO 8601), or null: the default `now`. */
  readonly latestEventAt: string | null;
  readonly contactCount: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses an accounts sample: JSON Lines (or a JSON array) of account objects, each with a
 * `contacts` array of lead objects. An account without `contacts` has none; a contact that is no
 * object is reported and skipped.
 */
export function parseAccountSample(text: string, path: string, options: { readonly partialBytes?: number } = {}): AccountSample {
  const raw: Sample = parseSample(text, path, options);
  const problems: SampleProblem[] = raw.problems.map((p) => ({ line: p.line, message: p.message.replace('a lead must', 'an account must') }));
  const accounts: SampleAccount[] = [];
  let latest = Number.NEGATIVE_INFINITY;
  let contactCount = 0;
  for (const { line, lead } of raw.leads) {
    const { contacts: rawContacts, ...account } = lead;
    const contacts: Lead[] = [];
    if (rawContacts !== undefined && !Array.isArray(rawContacts)) {
      problems.push({ line, message: '`contacts` must be an array of leads; the account is scored without contacts' });
    } else {
      (rawContacts ?? []).forEach((contact: unknown, index: number) => {
        if (!isRecord(contact)) {
          problems.push({ line, message: `contact ${index + 1} is not a JSON object; skipped` });
          return;
        }
        contacts.push(contact);
        const events = contact.events;
        if (!Array.isArray(events)) return;
        for (const event of events) {
          if (!isRecord(event)) continue;
          const instant = eventInstant(event.at);
          if (instant > latest) latest = instant;
        }
      });
    }
    contactCount += contacts.length;
    accounts.push({ line, account, contacts });
  }
  return {
    path,
    accounts,
    // In file order: the lines that are no account and the accounts with bad contacts together.
    problems: problems.sort((a, b) => a.line - b.line),
    truncated: raw.truncated,
    partialBytes: raw.partialBytes,
    latestEventAt: Number.isFinite(latest) ? new Date(latest).toISOString() : null,
    contactCount,
  };
}

/** An accounts sample scored by one version of a rule file. */
export interface AccountSampleRun {
  readonly now: string;
  readonly nowSource: NowSource;
  /** Accounts scored (the denominator of the account counts). */
  readonly scored: number;
  /** Accounts that made the scorer throw (it should not). */
  readonly failures: readonly SampleProblem[];
  /** Accounts left unscored when scoring took longer than its budget. */
  readonly unscored: number;
  readonly budgetMs: number;
  /** By account rule index (`model.account.scoring.rules`): accounts it fired for. */
  readonly ruleFires: readonly number[];
  /** By account stage name: accounts reaching it, and accounts whose stage it is. */
  readonly stageCounts: ReadonlyMap<string, { readonly reached: number; readonly atStage: number }>;
  /**
   * The contacts of the scored accounts, each scored with its account's fields (and result when
   * contact rules read it), over the file's own rules and stages.
   */
  readonly contacts: Tally;
}

const DEFAULT_BUDGET: ScoringBudget = { maxMs: MAX_PREVIEW_SCORING_MS, clock: () => performance.now() };

/**
 * Scores the sample's accounts at `now`, in file order until the budget is spent; tallies the
 * account rules and stages over the accounts, and the contact rules and stages over their contacts.
 */
export function scoreAccountSample(
  scorer: AccountExplainer,
  counts: {
    readonly accountRules: number;
    readonly accountStages: readonly string[];
    readonly contactRules: number;
    readonly contactStages: readonly string[];
  },
  sample: AccountSample,
  now: { now: string; source: NowSource },
  budget: ScoringBudget = DEFAULT_BUDGET,
): AccountSampleRun {
  const accounts = new Tallier(counts.accountRules, counts.accountStages);
  const contacts = new Tallier(counts.contactRules, counts.contactStages);
  const failures: SampleProblem[] = [];
  const started = budget.clock();
  let unscored = 0;
  for (let index = 0; index < sample.accounts.length; index++) {
    if (index > 0 && budget.clock() - started > budget.maxMs) {
      unscored = sample.accounts.length - index;
      break;
    }
    const { line, account, contacts: leads } = sample.accounts[index];
    let explanation: ReturnType<AccountExplainer['explainAccount']>;
    try {
      explanation = scorer.explainAccount(account, leads, { now: now.now });
    } catch (error) {
      failures.push({ line, message: `scoring failed: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    accounts.add(explanation);
    for (const contact of explanation.contacts) contacts.add(contact);
  }
  return {
    now: now.now,
    nowSource: now.source,
    scored: accounts.count,
    failures,
    unscored,
    budgetMs: budget.maxMs,
    ruleFires: accounts.ruleFires,
    stageCounts: accounts.stageCounts,
    contacts,
  };
}

/** The accounts sample a document previews against, as the server found it. */
export interface AccountSampleContext {
  readonly sample?: AccountSample;
  readonly error?: string;
  readonly nowSetting: string | null;
}
