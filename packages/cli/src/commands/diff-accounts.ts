/**
 * `rubric diff OLD NEW --leads CONTACTS --accounts ACCOUNTS` (issue 17): both versions score the
 * accounts with all their contacts, and the impact is reported twice with the core's
 * `diffImpact` (its statistics unchanged): on the contacts (each with its account, as
 * `rubric score --accounts` scores them) and on the accounts (stage moves, stage counts, score
 * mean and median, the accounts that move most, by key).
 */
import { compile, diffImpact, type AccountScorer, type Explanation, type ImpactReport, type ImpactScorer, type Lead, type Model, type SemanticDiff } from '@rubric/core';
import { CliError, type CommandContext } from '../context.js';
import { formatProblem } from '../output/problems.js';
import { contactLeadsOf, readAccountData } from '../accounts/account-data.js';
import type { AccountImpact, ImpactSource } from '../render/diff-text.js';
import type { InputEncoding } from '../input/source.js';
import { scoringLead } from './score-accounts.js';

export interface AccountDiffInput {
  readonly contacts: string;
  readonly accounts: string;
  readonly events?: string;
  readonly eventsKey: string;
  readonly idColumn: string;
  readonly encoding?: InputEncoding;
  /** `--events-encoding`, parsed: of the events file (default: `encoding`). */
  readonly eventsEncoding?: InputEncoding;
  /** `--accounts-encoding`: of the accounts file (default: `encoding`). */
  readonly accountsEncoding?: InputEncoding;
  readonly now: Date;
  readonly diff: SemanticDiff;
  readonly top: number;
}

interface VersionModel {
  readonly label: string;
  readonly model: Model;
}

/**
 * An {@link ImpactScorer} that gives the explanations computed beforehand (by unit object), and
 * for any other object (`diffImpact` asks an empty one for the stage names) the version's own.
 */
function precomputed(explained: ReadonlyMap<Lead, Explanation>, fallback: (lead: Lead, now: Date) => Explanation, now: Date): ImpactScorer {
  return { explain: (lead) => explained.get(lead) ?? fallback(lead, now) };
}

/**
 * The object that stands for a contact in `diffImpact`: its id (`--id`, kept even when it is no
 * declared field, as `diff --leads` keeps it), or none (then its position names it).
 */
function unitOf(id: string | undefined, idColumn: string): Lead {
  // A computed key defines an own property, even for `__proto__`.
  return id === undefined ? {} : { [idColumn]: id };
}

function accountScorerOf(version: VersionModel): AccountScorer {
  const { scorer } = compile(version.model);
  const accounts = scorer?.accounts ?? null;
  if (accounts === null) {
    throw new CliError(`\`${version.label}\` has no \`account\` block: --accounts compares the accounts both versions score`, {
      help: 'leave --accounts out to compare the leads only, or compare two versions that both declare `account ... { }`',
    });
  }
  return accounts;
}

/**
 * The changes of the contact side only: a change with `level: 'account'` indexes the account
 * rules, which a contact's explanation does not (its hits index the file's own rules).
 */
export function contactChanges(diff: SemanticDiff): SemanticDiff {
  return { changes: diff.changes.filter((change) => change.level !== 'account') };
}

/** Reads the files once (with the new version's account block) and scores them with both versions. */
export async function diffAccountImpact(
  context: CommandContext,
  versions: { readonly old: VersionModel; readonly new: VersionModel },
  input: AccountDiffInput,
): Promise<{ contacts: { impact: ImpactReport; source: ImpactSource }; accounts: AccountImpact }> {
  const oldAccounts = accountScorerOf(versions.old);
  const newAccounts = accountScorerOf(versions.new);
  const { scorer } = compile(versions.new.model);
  if (scorer === null) throw new Error('the compiler returned no scorer for a model without errors');
  const data = await readAccountData(
    context,
    versions.new.model,
    scorer,
    {
      accounts: input.accounts,
      contacts: input.contacts,
      ...(input.events !== undefined ? { events: input.events } : {}),
      eventsKey: input.eventsKey,
      idColumn: input.idColumn,
      ...(input.encoding !== undefined ? { encoding: input.encoding } : {}),
      ...(input.eventsEncoding !== undefined ? { eventsEncoding: input.eventsEncoding } : {}),
      ...(input.accountsEncoding !== undefined ? { accountsEncoding: input.accountsEncoding } : {}),
    },
    {
      report: async (problem) => {
        context.io.stderr.write(`${formatProblem(problem, context)}\n`);
      },
      warn: (message) => context.warn(message),
      noAccountBlock: new CliError(`\`${versions.new.label}\` has no \`account\` block: --accounts compares the accounts both versions score`),
    },
  );
  const { accounts, contacts } = data;
  const options = { now: input.now };
  // Units: one object per account (its key as `id`) and per contact (its `--id`), in file order.
  const accountUnits: Lead[] = [];
  const oldByAccount = new Map<Lead, Explanation>();
  const newByAccount = new Map<Lead, Explanation>();
  const contactUnits: Lead[] = new Array<Lead>(contacts.contacts.length);
  const oldByContact = new Map<Lead, Explanation>();
  const newByContact = new Map<Lead, Explanation>();
  for (const account of accounts.rows) {
    const leads = contactLeadsOf(account, contacts);
    const before = oldAccounts.explainAccount(account.record, leads, options);
    const after = newAccounts.explainAccount(account.record, leads, options);
    const unit: Lead = { id: account.key };
    accountUnits.push(unit);
    oldByAccount.set(unit, before);
    newByAccount.set(unit, after);
    account.contacts.forEach((index, k) => {
      const contactUnit = unitOf(contacts.contacts[index].id, input.idColumn);
      contactUnits[index] = contactUnit;
      oldByContact.set(contactUnit, before.contacts[k]);
      newByContact.set(contactUnit, after.contacts[k]);
    });
  }
  // Contacts without an account: scored alone by each version.
  for (let i = 0; i < contacts.contacts.length; i++) {
    if (contactUnits[i] !== undefined) continue;
    const lead = scoringLead(contacts.contacts[i], contacts.leadOf);
    const contactUnit = unitOf(contacts.contacts[i].id, input.idColumn);
    contactUnits[i] = contactUnit;
    oldByContact.set(contactUnit, oldAccounts.explainContact(lead, options));
    newByContact.set(contactUnit, newAccounts.explainContact(lead, options));
  }
  const emptyAccount = (scorer: AccountScorer) => (lead: Lead, now: Date): Explanation => scorer.explainAccount(lead, [], { now });
  const emptyContact = (scorer: AccountScorer) => (lead: Lead, now: Date): Explanation => scorer.explainContact(lead, { now });
  const impactOptions = { now: input.now, top: input.top, idField: input.idColumn };
  const contactImpact = diffImpact(
    precomputed(oldByContact, emptyContact(oldAccounts), input.now),
    precomputed(newByContact, emptyContact(newAccounts), input.now),
    contactUnits,
    { ...impactOptions, diff: contactChanges(input.diff) },
  );
  // The account rules' changes: their indexes are those of `score accounts`, which the account
  // explanations' hits index.
  const accountImpact = diffImpact(
    precomputed(oldByAccount, emptyAccount(oldAccounts), input.now),
    precomputed(newByAccount, emptyAccount(newAccounts), input.now),
    accountUnits,
    { ...impactOptions, idField: 'id', diff: { changes: input.diff.changes.filter((change) => change.level === 'account') } },
  );
  return {
    contacts: { impact: contactImpact, source: { path: contacts.path, skippedRows: contacts.rejected } },
    accounts: { impact: accountImpact, source: { path: accounts.path, skippedRows: accounts.rejected } },
  };
}
