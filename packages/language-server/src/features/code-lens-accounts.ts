/**
 * Code lenses from the accounts sample (issue 17, `NAME.sample.accounts.jsonl`): how many sample
 * accounts each account rule fires for and each account stage is reached by, and how many of
 * their contacts (scored with their account) each contact rule fires for and each contact stage
 * is reached by — like the lead sample's lenses.
 */
import type { CodeLens, Command } from 'vscode-languageserver';
import type { DocumentState } from '../document-state.js';
import type { AccountSampleContext } from '../sample-accounts.js';
import { toLspRange } from '../text.js';
import { basename } from './preview.js';

function lens(range: CodeLens['range'], title: string): CodeLens {
  const command: Command = { title, command: '' };
  return { range, command };
}

function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const value = (100 * part) / whole;
  return `${value < 10 && value > 0 ? value.toFixed(1) : Math.round(value)}%`;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** The lenses of the accounts sample; none without an account scoring block or a sample. */
export function accountSampleLenses(state: DocumentState, context: AccountSampleContext): CodeLens[] {
  const account = state.analysis.model.account;
  const decl = account?.scoringDecl ?? null;
  if (account === null || decl === null) return [];
  const head = toLspRange(decl.keyword.range, state.lines);
  if (context.error !== undefined) return [lens(head, `Sample accounts: ${context.error}`)];
  const sample = context.sample;
  if (sample === undefined) return [];
  const name = basename(sample.path);
  const run = state.accountSampleRun(sample, context.nowSetting);
  if (run === undefined) {
    return [lens(head, `Sample ${name}: ${plural(sample.accounts.length, 'account')}; fix the errors to preview account scores`)];
  }
  const total = run.scored;
  const notes: string[] = [];
  if (run.unscored > 0) notes.push(`${plural(run.unscored, 'account')} not scored: scoring stopped after ${run.budgetMs / 1000} s`);
  if (sample.truncated > 0) notes.push(`${plural(sample.truncated, 'more line')} not read`);
  if (sample.partialBytes !== null) notes.push('only the start of the file is read');
  if (sample.problems.length > 0) notes.push(`${plural(sample.problems.length, 'problem')} (first: line ${sample.problems[0].line}: ${sample.problems[0].message})`);
  if (run.failures.length > 0) notes.push(`${plural(run.failures.length, 'account')} failed to score`);
  const at = run.now.replace(/T00:00:00(\.000)?Z$/, '').replace(/\.000Z$/, 'Z');
  const lenses: CodeLens[] = [
    lens(head, `Sample ${name}: ${plural(total, 'account')} (${plural(sample.contactCount, 'contact')}) scored at ${at}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`),
  ];
  for (const rule of account.scoring.rules) {
    const fires = run.ruleFires[rule.index] ?? 0;
    lenses.push(lens(toLspRange(rule.range, state.lines), `fires for ${fires} of ${total} sample accounts (${percent(fires, total)})`));
  }
  for (const stage of account.scoring.stages) {
    const counts = run.stageCounts.get(stage.name) ?? { reached: 0, atStage: 0 };
    lenses.push(lens(toLspRange(stage.decl.range, state.lines), `reached by ${counts.reached} of ${total} sample accounts (${percent(counts.reached, total)}) · ${counts.atStage} end here`));
  }
  // The contact rules and stages over the sample accounts' contacts, each scored with its
  // account (`account.NAME` set): what a lead sample scored alone cannot show.
  const model = state.analysis.model;
  const contacts = run.contacts;
  for (const rule of model.rules) {
    const fires = contacts.ruleFires[rule.index] ?? 0;
    lenses.push(lens(toLspRange(rule.range, state.lines), `fires for ${fires} of ${contacts.count} contacts of the sample accounts (${percent(fires, contacts.count)})`));
  }
  for (const stage of model.stages) {
    const counts = contacts.stageCounts.get(stage.name) ?? { reached: 0, atStage: 0 };
    lenses.push(lens(toLspRange(stage.decl.range, state.lines), `reached by ${counts.reached} of ${contacts.count} contacts of the sample accounts (${percent(counts.reached, contacts.count)}) · ${counts.atStage} end here`));
  }
  return lenses;
}
