/**
 * `rubric profile --format json`: one JSON object, stable for scripts (`version: 1`). Its keys:
 * `rows`, `fields` (each with `name`, `type`, `filled`, `missing`, `invalid`, `placeholders`,
 * `examples` and more), `unusedColumns`, `missingColumns`, `suggestions`, `findings`, `dialect`,
 * `events` when events were read, and what reading the files learnt (`files`). Values are the
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
    files: { data: report.data, ...(report.events !== undefined ? { events: report.events } : {}) },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
