/**
 * `rubric explain --account ID` (issue 17): the account's breakdown as `rubric explain` prints a
 * lead's (rules that fired, groups, stages with their reasons), then the values over contacts its
 * rules read (each aggregate as written, its value and how many contacts met its `where`), then
 * its contacts in brief. Names and values from the files are escaped for the terminal.
 */
import type { Colors } from '../context.js';
import type { AccountExplanation } from '../accounts/api.js';
import { formatNumber, renderExplanation, type ExplainedRecord } from './explanation.js';
import { terminalText } from './terminal-text.js';

/** Where one contact of the explained account was read. */
export interface ContactWhere {
  readonly file: string;
  readonly line: number;
  readonly id?: string;
}

export function renderAccountExplanation(
  explanation: AccountExplanation,
  options: { rulesPath: string; nowSource: string; data: ExplainedRecord; contacts: readonly ContactWhere[] },
  c: Colors,
): string {
  const t = terminalText;
  const out: string[] = [renderExplanation(explanation, { rulesPath: options.rulesPath, nowSource: options.nowSource, data: options.data, subject: 'account' }, c).trimEnd()];
  const total = explanation.contacts.length;
  out.push('');
  out.push(`${c.bold('over its contacts')} ${c.dim('(the values the account rules read)')}`);
  if (explanation.aggregates.length === 0) out.push(c.dim('  none'));
  const texts = explanation.aggregates.map((aggregate) => t(aggregate.text));
  const textWidth = Math.min(70, Math.max(10, ...texts.map((text) => text.length)));
  const values = explanation.aggregates.map((aggregate) => (aggregate.value === null ? 'missing' : formatNumber(aggregate.value)));
  const valueWidth = Math.max(1, ...values.map((value) => value.length));
  explanation.aggregates.forEach((aggregate, i) => {
    const met = `${aggregate.contacts} of ${total} ${total === 1 ? 'contact' : 'contacts'}`;
    const value = aggregate.value === null ? c.yellow(values[i].padStart(valueWidth)) : c.bold(values[i].padStart(valueWidth));
    out.push(`  ${texts[i].padEnd(textWidth)}  ${value}  ${c.dim(met)}`);
  });
  out.push('');
  out.push(`${c.bold(`contacts (${total})`)}${total === 0 ? c.dim('  none: scored from its own fields') : ''}`);
  const heads = explanation.contacts.map((_, i) => {
    const where = options.contacts[i];
    return where === undefined ? `contact ${i + 1}` : `${where.id === undefined ? 'lead (no id)' : `lead ${t(where.id)}`}`;
  });
  const headWidth = Math.max(0, ...heads.map((head) => head.length));
  const scores = explanation.contacts.map((contact) => `score ${formatNumber(contact.score)}`);
  const stages = explanation.contacts.map((contact) => `stage ${t(contact.stage ?? 'none')}`);
  const tiers = explanation.contacts.map((contact) => `tier ${t(contact.tier ?? 'none')}`);
  const width = (texts: readonly string[]): number => Math.max(0, ...texts.map((text) => text.length));
  explanation.contacts.forEach((contact, i) => {
    const where = options.contacts[i];
    const place = where === undefined ? '' : c.dim(`  ${t(where.file)} line ${where.line}`);
    const groups = contact.groupDetails.map((group) => `${t(group.name)} ${formatNumber(group.value)}`).join(', ');
    out.push(
      `  ${heads[i].padEnd(headWidth)}  ${scores[i].padEnd(width(scores))}  ${stages[i].padEnd(width(stages))}  ${tiers[i].padEnd(width(tiers))}${groups === '' ? '' : `  (${groups})`}${place}`,
    );
  });
  return `${out.join('\n')}\n`;
}
