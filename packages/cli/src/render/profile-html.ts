/**
 * `rubric profile --format html`: one self-contained page (inline CSS, no script, no network: a
 * Content-Security-Policy forbids them), with the same content as the text output. Every text
 * from the data or the rule file is escaped.
 */
import type { DataProfile, FieldProfile } from '@rubric/core';
import { escapeHtml as esc } from '../report/svg.js';
import type { ProfiledFile, ProfileReport } from './profile-report.js';

const STYLE = `
body { margin: 0 auto; max-width: 1040px; padding: 24px 20px 48px; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1f2328; }
h1 { font-size: 1.5em; margin: 0 0 4px; }
h2 { font-size: 1.2em; margin: 28px 0 8px; padding-top: 8px; border-top: 1px solid #d0d7de; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; background: #f6f8fa; border-radius: 3px; }
code { padding: 0 3px; }
pre { padding: 10px 12px; overflow-x: auto; }
.meta { color: #57606a; margin: 0; }
.warning { border-left: 4px solid #bf8700; padding: 6px 12px; background: #fff8c5; margin: 8px 0; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.92em; }
th, td { border-bottom: 1px solid #d0d7de; padding: 4px 12px 4px 0; text-align: left; vertical-align: top; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.bad { color: #cf222e; font-weight: 600; }
.bar { display: inline-block; height: 8px; background: #0072B2; vertical-align: middle; margin-right: 6px; }
ul.findings { margin: 4px 0 12px; }
.top { color: #57606a; font-size: 0.9em; }
`;

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;
}

/** A finding's text with its backticked spans as `<code>`. */
function withCode(text: string): string {
  return text
    .split('`')
    .map((part, index) => (index % 2 === 1 ? `<code>${esc(part)}</code>` : esc(part)))
    .join('');
}

function fileLine(label: string, file: ProfiledFile): string {
  const encoding = file.bom !== undefined ? `${file.encoding}, with a byte order mark` : file.encoding;
  const delimiter = file.delimiter !== undefined ? `, delimiter <code>${esc(file.delimiter === '\t' ? 'tab' : file.delimiter)}</code>` : '';
  return `<p class="meta">${esc(label)}: <code>${esc(file.path)}</code> (${esc(file.format)}, ${esc(encoding)}${delimiter})</p>`;
}

function fileProblems(file: ProfiledFile): string[] {
  const out: string[] = [];
  for (const notice of file.notices) out.push(`<p class="warning">${esc(notice)}</p>`);
  if (file.rejected > 0) {
    const items = file.rejectedExamples.map((example) => `<li>line ${example.line}: ${esc(example.message)}</li>`).join('');
    out.push(`<div class="warning">${count(file.rejected)} ${file.rejected === 1 ? 'record' : 'records'} of <code>${esc(file.path)}</code> could not be read and ${file.rejected === 1 ? 'is' : 'are'} not profiled:<ul>${items}</ul></div>`);
  }
  // The reader's own notice already says it (once per file); say it when it did not.
  if (file.invalidUtf8 && file.encoding === 'utf-8' && !file.notices.some((notice) => notice.includes('--encoding'))) {
    out.push(`<p class="warning"><code>${esc(file.path)}</code> is not valid UTF-8: if it was saved by Excel or a Windows tool, run again with <code>--encoding windows-1252</code>.</p>`);
  }
  return out;
}

function fieldRows(fields: readonly FieldProfile[]): string {
  const rows = fields.map((field) => {
    const width = field.rows === 0 ? 0 : Math.round((80 * field.filled) / field.rows);
    const own = field.event !== undefined && field.name.startsWith(`${field.event}.`) ? field.name.slice(field.event.length + 1) : field.name;
    const column = field.column === own ? '' : `<code>${esc(field.column)}</code>`;
    const noColumn = field.hasColumn || field.rows === 0 ? '' : ' <span class="bad">no column</span>';
    return (
      `<tr><th scope="row"><code>${esc(field.name)}</code></th><td><code>${esc(field.type)}</code></td><td>${column}${noColumn}</td>` +
      `<td class="num"><span class="bar" style="width:${width}px"></span>${count(field.filled)} (${percent(field.filled, field.rows)})</td>` +
      `<td class="num">${count(field.missing)}</td><td class="num${field.invalid > 0 ? ' bad' : ''}">${count(field.invalid)}</td></tr>`
    );
  });
  return `<table><thead><tr><th>field</th><th>type</th><th>column</th><th class="num">filled</th><th class="num">missing</th><th class="num">invalid</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function list(names: readonly string[]): string {
  return names.map((name) => `<code>${esc(name)}</code>`).join(', ');
}

/** The findings, field by field, with the field's top values (nothing when there is none). */
function findingsHtml(profile: DataProfile, title: string): string[] {
  const body: string[] = [];
  const byField = new Map<string, string[]>();
  for (const finding of profile.findings) byField.set(finding.field, [...(byField.get(finding.field) ?? []), finding.message]);
  const detailed = profile.fields.filter((field) => byField.has(field.name));
  if (detailed.length > 0) {
    body.push(`<h2>${esc(title)}</h2>`);
    for (const field of detailed) {
      body.push(`<h3><code>${esc(field.name)}</code></h3>`);
      body.push(`<ul class="findings">${(byField.get(field.name) ?? []).map((message) => `<li>${withCode(message)}</li>`).join('')}</ul>`);
      if (field.topValues.length > 0) {
        const top = field.topValues.slice(0, 5).map((entry) => `<code>${esc(entry.value)}</code> ${count(entry.count)}`).join(', ');
        body.push(`<p class="top">Top values: ${top} (${field.distinctAtLeast ? 'at least ' : ''}${count(field.distinct)} distinct)</p>`);
      }
    }
  }
  return body;
}

/** The columns no field reads and the fields' columns the file does not have. */
function columnsHtml(profile: DataProfile, title: string, file: string): string[] {
  const body = [`<h2>${esc(title)}</h2>`];
  body.push(profile.unusedColumns.length === 0 ? `<p>Every column of the ${esc(file)} is read by a field.</p>` : `<p>Columns no field reads: ${list(profile.unusedColumns)}</p>`);
  if (profile.missingColumns.length > 0) body.push(`<p>Columns fields read that the ${esc(file)} does not have: ${list(profile.missingColumns)}</p>`);
  return body;
}

/** The profile as one HTML page. */
export function renderProfileHtml(report: ProfileReport): string {
  const { profile } = report;
  const body: string[] = [];
  body.push(`<h1>Data profile: ${count(profile.rows)} leads</h1>`);
  body.push(`<p class="meta">Read against <code>${esc(report.rules)}</code>, exactly as <code>rubric score</code> reads the data.</p>`);
  body.push(fileLine('Data', report.data));
  if (report.events !== undefined) body.push(fileLine('Events', report.events));
  body.push(...fileProblems(report.data));
  if (report.events !== undefined) body.push(...fileProblems(report.events));

  const leadFields = profile.fields.filter((field) => field.source === 'lead');
  const eventFields = profile.fields.filter((field) => field.source === 'event');
  body.push('<h2>Lead fields</h2>', fieldRows(leadFields));
  if (eventFields.length > 0 && profile.events !== undefined) body.push(`<h2>Event properties (${count(profile.events.rows)} events)</h2>`, fieldRows(eventFields));

  body.push(...findingsHtml(profile, 'Findings'));
  body.push(...columnsHtml(profile, 'Columns', 'data'));

  // Issue 17, --accounts: the accounts file in a part of its own.
  const accounts = report.accounts;
  if (accounts !== undefined) {
    body.push(`<h2>Accounts: ${count(accounts.profile.rows)} accounts</h2>`);
    body.push(fileLine('Accounts', accounts.file), `<p class="meta">Key column: <code>${esc(accounts.keyColumn)}</code></p>`);
    body.push(...fileProblems(accounts.file));
    body.push('<h3>Account fields</h3>', fieldRows(accounts.profile.fields));
    body.push(...findingsHtml(accounts.profile, 'Account findings'));
    body.push(...columnsHtml(accounts.profile, 'Account columns', 'accounts file'));
  }

  const { suggestions } = profile;
  const accountDeclarations = accounts?.profile.suggestions.declarations ?? [];
  if (suggestions.notes.length > 0) body.push('<h2>To decide</h2>', `<ul>${suggestions.notes.map((note) => `<li>${withCode(note)}</li>`).join('')}</ul>`);
  body.push('<h2>Suggested declarations</h2>');
  if (suggestions.block === '' && suggestions.declarations.length === 0 && accountDeclarations.length === 0) {
    body.push(
      suggestions.notes.length > 0
        ? '<p>Nothing more to declare for sure: settle the points under “To decide” first.</p>'
        : '<p>Nothing to declare: the data reads as the rule file says.</p>',
    );
  }
  if (suggestions.block !== '') body.push('<p>Review it, then paste it into the rule file (in place of any <code>data</code> block):</p>', `<pre>${esc(suggestions.block)}</pre>`);
  if (suggestions.declarations.length > 0) {
    body.push('<p>In the <code>lead</code> block, in place of these fields’ lines:</p>', `<pre>${esc(suggestions.declarations.join('\n'))}</pre>`);
  }
  if (accountDeclarations.length > 0) {
    body.push('<p>In the <code>account</code> block, in place of these fields’ lines:</p>', `<pre>${esc(accountDeclarations.join('\n'))}</pre>`);
  }

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Data profile: ${esc(report.data.path)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
