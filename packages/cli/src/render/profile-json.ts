/**
 * `rubric profile --format json`: one JSON object, stable for scripts (`version: 1`). Its keys:
 * `rows`, `fields` (each with `name`, `type`, `filled`, `missing`, `invalid`, `placeholders`,
 * `examples` and more), `unusedColumns`, `missingColumns`, `suggestions`, `findings`, `dialect`,
 * `events` when events were read, what reading the files learnt (`files`), and with `--accounts`
 * the accounts file's own profile (`accounts`: `rows`, `keyColumn`, `fields`, `unusedColumns`,
 * `missingColumns`, `findings`, `suggestions`). Values are the
 * data's exact text (JSON escapes it).
 */
import type { ProfileReport } from './profile-report.js';

/** The profile as pretty-printed JSON, with a final newline. */
export function renderProfileJson(report: ProfileReport): string {
  const { profile } = report;
  const document = {
    version: 1,
    rules: report.rules,
    rows: profile.rows,
    fields: profile.fields,
    unusedColumns: profile.unusedColumns,
    missingColumns: profile.missingColumns,
    ...(profile.events !== undefined ? { events: profile.events } : {}),
    dialect: profile.dialect,
    findings: profile.findings,
    suggestions: profile.suggestions,
    files: { data: report.data, ...(report.events !== undefined ? { events: report.events } : {}), ...(report.accounts !== undefined ? { accounts: report.accounts.file } : {}) },
    // Issue 17, --accounts: the accounts file's own profile (its `suggestions.block` is the one above).
    ...(report.accounts !== undefined
      ? {
          accounts: {
            rows: report.accounts.profile.rows,
            keyColumn: report.accounts.keyColumn,
            fields: report.accounts.profile.fields,
            unusedColumns: report.accounts.profile.unusedColumns,
            missingColumns: report.accounts.profile.missingColumns,
            findings: report.accounts.profile.findings,
            suggestions: report.accounts.profile.suggestions,
          },
        }
      : {}),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
