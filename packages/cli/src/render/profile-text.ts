/**
 * `rubric profile` as text: what was read, a table of fill rates, the findings field by field,
 * the columns nobody reads, notes, and LAST the suggested `data { }` block and declarations, so
 * the end of the output is what to paste. Every text from the data or the rule file is escaped
 * for the terminal.
 */
import type { DataProfile, FieldProfile } from '@rubric/core';
import type { Colors } from '../context.js';
import { listNames } from './names.js';
import type { ProfiledFile, ProfileReport } from './profile-report.js';
import { terminalText } from './terminal-text.js';

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function percent(part: number, whole: number): string {
  if (whole === 0) return '-';
  const value = (100 * part) / whole;
  return `${value.toFixed(1)}%`;
}

function plural(n: number, word: string, plural = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : plural}`;
}

const DELIMITER_NAMES: Readonly<Record<string, string>> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

function describeFile(file: ProfiledFile): string {
  const parts: string[] = [file.format === 'csv' ? 'CSV' : file.format === 'jsonl' ? 'JSON Lines' : 'JSON'];
  parts.push(file.bom !== undefined ? `${file.encoding} with a byte order mark` : file.encoding);
  if (file.delimiter !== undefined) parts.push(`${DELIMITER_NAMES[file.delimiter] ?? `\`${file.delimiter}\``}-separated`);
  return parts.join(', ');
}

/** Lines about a file's rejected records, notices and encoding trouble. */
function fileProblems(file: ProfiledFile, c: Colors): string[] {
  const lines: string[] = [];
  for (const notice of file.notices) lines.push(`${c.yellow('warning')}: ${terminalText(notice)}`);
  if (file.rejected > 0) {
    lines.push(`${c.yellow('warning')}: ${plural(file.rejected, 'record')} of \`${terminalText(file.path)}\` could not be read and ${file.rejected === 1 ? 'is' : 'are'} not profiled (as \`rubric score\` rejects them):`);
    for (const example of file.rejectedExamples) lines.push(`  line ${example.line}: ${terminalText(example.message)}`);
    if (file.rejected > file.rejectedExamples.length) lines.push(`  ... and ${count(file.rejected - file.rejectedExamples.length)} more`);
  }
  // The reader's own notice already says it (once per file); say it when it did not.
  if (file.invalidUtf8 && file.encoding === 'utf-8' && !file.notices.some((notice) => notice.includes('--encoding'))) {
    lines.push(`${c.yellow('warning')}: \`${terminalText(file.path)}\` is not valid UTF-8: if it was saved by Excel or a Windows tool, run again with --encoding windows-1252`);
  }
  return lines;
}

function pad(text: string, width: number): string {
  const length = [...text].length;
  return length >= width ? text : text + ' '.repeat(width - length);
}

function padStart(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

/** The key a field is read from without a `from`: its name, or an event property's own name (`at` for the instant). */
function ownName(field: FieldProfile): string {
  return field.event !== undefined && field.name.startsWith(`${field.event}.`) ? field.name.slice(field.event.length + 1) : field.name;
}

function fieldTable(fields: readonly FieldProfile[], c: Colors): string[] {
  const names = fields.map((field) => terminalText(field.name));
  const types = fields.map((field) => terminalText(field.type.length > 30 ? `${field.type.slice(0, 29)}…` : field.type));
  // The column is shown when it is not the field's (or property's) own name: a `from`.
  const columns = fields.map((field) => (field.column === ownName(field) ? '' : `← "${terminalText(field.column)}"`));
  const nameWidth = Math.max(5, ...names.map((name) => [...name].length));
  const typeWidth = Math.max(4, ...types.map((type) => [...type].length));
  const columnWidth = Math.max(0, ...columns.map((column) => [...column].length));
  const lines = [
    c.bold(`  ${pad('field', nameWidth)}  ${pad('type', typeWidth)}  ${columnWidth > 0 ? `${pad('column', columnWidth)}  ` : ''}${padStart('filled', 16)}  ${padStart('missing', 8)}  ${padStart('invalid', 8)}`),
  ];
  fields.forEach((field, index) => {
    const filled = `${count(field.filled)} ${padStart(percent(field.filled, field.rows), 6)}`;
    const invalid = field.invalid > 0 ? c.red(padStart(count(field.invalid), 8)) : padStart(count(field.invalid), 8);
    const row = `  ${pad(names[index], nameWidth)}  ${pad(types[index], typeWidth)}  ${columnWidth > 0 ? `${pad(columns[index], columnWidth)}  ` : ''}${padStart(filled, 16)}  ${padStart(count(field.missing), 8)}  ${invalid}`;
    lines.push(field.hasColumn || field.rows === 0 ? row : `${row}  ${c.yellow('no column')}`);
  });
  return lines;
}

function topValues(field: FieldProfile): string | undefined {
  if (field.topValues.length === 0) return undefined;
  const values = field.topValues.slice(0, 5).map((entry) => `\`${terminalText(entry.value)}\` ${count(entry.count)}`);
  const distinct = field.distinctAtLeast ? `at least ${count(field.distinct)} distinct` : `${count(field.distinct)} distinct`;
  return `top: ${values.join(', ')} (${distinct})`;
}

/** Findings, field by field, with the field's top values (nothing when there is none). */
function findingLines(profile: DataProfile, title: string, c: Colors): string[] {
  const out: string[] = [];
  const byField = new Map<string, string[]>();
  for (const finding of profile.findings) {
    const list = byField.get(finding.field) ?? [];
    // `!` marks a problem; a declared placeholder met is only information.
    list.push(`${finding.kind === 'declared' ? c.dim('·') : c.yellow('!')} ${terminalText(finding.message)}`);
    byField.set(finding.field, list);
  }
  const detailed = profile.fields.filter((field) => byField.has(field.name));
  if (detailed.length > 0) {
    out.push('', c.bold(title));
    for (const field of detailed) {
      out.push(`  ${c.bold(terminalText(field.name))}`);
      for (const line of byField.get(field.name) ?? []) out.push(`    ${line}`);
      const top = topValues(field);
      if (top !== undefined) out.push(`    ${c.dim(top)}`);
    }
  }
  return out;
}

/** The columns no field reads and the fields' columns the file does not have. */
function columnLines(profile: DataProfile, title: string, file: string, c: Colors): string[] {
  const out: string[] = ['', c.bold(title)];
  const leadFields = profile.fields.filter((field) => field.source === 'lead');
  const noColumnRead = leadFields.length > 0 && leadFields.every((field) => !field.hasColumn);
  out.push(
    profile.unusedColumns.length === 0
      ? profile.rows === 0 && profile.missingColumns.length === leadFields.length
        ? `  the ${file} has no columns`
        : `  every column of the ${file} is read by a field`
      : // Every one is named when fields lack a column: the user picks their `from` among them.
        `  ${profile.unusedColumns.length === 1 ? 'column' : 'columns'} no field reads: ${terminalText(listNames(profile.unusedColumns, noColumnRead ? 100 : 8))}`,
  );
  if (profile.missingColumns.length > 0) {
    out.push(`  ${profile.missingColumns.length === 1 ? 'column' : 'columns'} fields read that the ${file} does not have: ${terminalText(listNames(profile.missingColumns))}`);
  }
  return out;
}

/** The profile as text for a terminal or a file. */
export function renderProfileText(report: ProfileReport, c: Colors): string {
  const { profile } = report;
  const out: string[] = [];
  out.push(
    `${c.bold('rubric profile')}: ${plural(profile.rows, 'lead')} in \`${terminalText(report.data.path)}\` (${describeFile(report.data)}) read against \`${terminalText(report.rules)}\``,
  );
  if (report.events !== undefined && profile.events !== undefined) {
    const types = profile.events.types;
    out.push(
      `events: ${plural(profile.events.rows, 'event')} in \`${terminalText(report.events.path)}\` (${describeFile(report.events)}), ${plural(types.length, 'type')}`,
    );
  } else if (profile.events !== undefined) {
    out.push(`events: ${plural(profile.events.rows, 'event')} inside the leads`);
  }
  out.push(...fileProblems(report.data, c));
  if (report.events !== undefined) out.push(...fileProblems(report.events, c));

  const leadFields = profile.fields.filter((field) => field.source === 'lead');
  const eventFields = profile.fields.filter((field) => field.source === 'event');
  out.push('', c.bold('Lead fields'), ...fieldTable(leadFields, c));
  if (eventFields.length > 0 && profile.events !== undefined) {
    out.push('', c.bold('Event properties'), ...fieldTable(eventFields, c));
    const undeclared = profile.events.types.filter((type) => !type.declared);
    if (undeclared.length > 0) {
      out.push(`  event types the rules do not declare (ignored): ${undeclared.slice(0, 10).map((type) => `\`${terminalText(type.type === '' ? '(no type)' : type.type)}\` ${count(type.count)}`).join(', ')}`);
    }
  }

  out.push(...findingLines(profile, 'Findings', c));
  out.push(...columnLines(profile, 'Columns', 'data', c));
  if (profile.events !== undefined && profile.events.unusedColumns.length > 0) {
    out.push(`  event columns no property reads: ${terminalText(listNames(profile.events.unusedColumns))}`);
  }

  // Issue 17, --accounts: the accounts file in a part of its own, before what to paste.
  const accounts = report.accounts;
  if (accounts !== undefined) {
    const accountProfile = accounts.profile;
    out.push(
      '',
      `${c.bold('Accounts')}: ${plural(accountProfile.rows, 'account')} in \`${terminalText(accounts.file.path)}\` (${describeFile(accounts.file)}), key column \`${terminalText(accounts.keyColumn)}\``,
    );
    out.push(...fileProblems(accounts.file, c));
    out.push('', c.bold('Account fields'), ...fieldTable(accountProfile.fields, c));
    out.push(...findingLines(accountProfile, 'Account findings', c));
    out.push(...columnLines(accountProfile, 'Account columns', 'accounts file', c));
  }

  const { suggestions } = profile;
  const accountDeclarations = accounts?.profile.suggestions.declarations ?? [];
  if (suggestions.notes.length > 0) {
    out.push('', c.bold('To decide'));
    for (const note of suggestions.notes) out.push(`  - ${terminalText(note)}`);
  }

  // Last: what to paste.
  out.push('');
  const hasDeclarations = suggestions.declarations.length > 0 || accountDeclarations.length > 0;
  // Values cannot be profiled in columns nobody reads: when no field found its column, naming
  // the columns comes first (fields missing here and there are said field by field above).
  const noColumn = leadFields.length > 0 && leadFields.every((field) => !field.hasColumn && field.rows > 0);
  if (profile.rows === 0 && (accounts === undefined || accounts.profile.rows === 0)) {
    // An empty file (or one whose every row was rejected) shows nothing about how values are written.
    out.push(c.bold('No lead was read, so there is nothing to profile: check the file (and the warnings above).'));
  } else if (suggestions.block === '' && !hasDeclarations && noColumn && accounts === undefined) {
    out.push(
      c.bold(
        'No field found its column in the data: say which column each one reads (`job: text from "Job Title"`), ' +
          'then profile again to see how the values are written.',
      ),
    );
  } else if (suggestions.block === '' && !hasDeclarations) {
    out.push(
      c.bold(
        suggestions.notes.length > 0
          ? 'Nothing more to declare for sure: settle the points under "To decide" first.'
          : 'Nothing to declare: the data reads as the rule file says.',
      ),
    );
  } else {
    if (suggestions.block !== '') {
      out.push(c.bold('SUGGESTED data block') + ' (review it, then paste it into the rule file, in place of any `data` block):', '');
      for (const line of suggestions.block.split('\n')) out.push(terminalText(line));
    }
    if (suggestions.declarations.length > 0) {
      if (suggestions.block !== '') out.push('');
      out.push(c.bold('SUGGESTED field declarations') + ' (in the `lead` block, in place of these fields\' lines):', '');
      for (const line of suggestions.declarations) out.push(`  ${terminalText(line)}`);
    }
    if (accountDeclarations.length > 0) {
      if (suggestions.block !== '' || suggestions.declarations.length > 0) out.push('');
      out.push(c.bold('SUGGESTED account field declarations') + ' (in the `account` block, in place of these fields\' lines):', '');
      for (const line of accountDeclarations) out.push(`  ${terminalText(line)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
