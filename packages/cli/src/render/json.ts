/**
 * Diagnostics as JSON, for scripts and other tools. The shape is stable (`version: 1`); ranges are
 * 1-based line and column (UTF-16 code units) plus the 0-based offset, end exclusive.
 */
import { DIAGNOSTIC_CODES, type Diagnostic, type Range } from '@rubric/core';
import { shownDiagnostics, sortDiagnostics } from './code-frame.js';

export interface PositionJson {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface RangeJson {
  readonly start: PositionJson;
  readonly end: PositionJson;
}

export interface DiagnosticJson {
  readonly file: string;
  readonly code: string;
  readonly severity: string;
  /** The code's one-line title (`unknown field`). */
  readonly title: string;
  readonly message: string;
  readonly help?: string;
  readonly range: RangeJson;
  /** `true` on a warning a `# rubric: allow` comment accepts (left out of `summary`'s counts). */
  readonly allowed?: true;
  readonly related?: readonly { readonly message: string; readonly range: RangeJson }[];
  readonly fixes?: readonly {
    readonly title: string;
    readonly edits: readonly { readonly range: RangeJson; readonly newText: string }[];
  }[];
}

/** The result of checking one file: its diagnostics, or why it could not be read. */
export interface FileReport {
  readonly path: string;
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
  /** Set when the file could not be read (then `diagnostics` is empty). */
  readonly readError?: string;
}

export function rangeToJson(range: Range): RangeJson {
  return {
    start: { line: range.start.line, column: range.start.column, offset: range.start.offset },
    end: { line: range.end.line, column: range.end.column, offset: range.end.offset },
  };
}

export function diagnosticToJson(diagnostic: Diagnostic, file: string): DiagnosticJson {
  return {
    file,
    code: diagnostic.code,
    severity: diagnostic.severity,
    title: DIAGNOSTIC_CODES[diagnostic.code]?.title ?? '',
    message: diagnostic.message,
    ...(diagnostic.help !== undefined ? { help: diagnostic.help } : {}),
    range: rangeToJson(diagnostic.range),
    ...(diagnostic.allowed === true ? { allowed: true } : {}),
    ...(diagnostic.related !== undefined && diagnostic.related.length > 0
      ? { related: diagnostic.related.map((r) => ({ message: r.message, range: rangeToJson(r.range) })) }
      : {}),
    ...(diagnostic.fixes !== undefined && diagnostic.fixes.length > 0
      ? {
          fixes: diagnostic.fixes.map((fix) => ({
            title: fix.title,
            edits: fix.edits.map((edit) => ({ range: rangeToJson(edit.range), newText: edit.newText })),
          })),
        }
      : {}),
  };
}

/** Counts of a set of reports, as every output format states them. */
export interface ReportCounts {
  readonly files: number;
  readonly errors: number;
  readonly warnings: number;
  readonly notes: number;
  readonly unreadable: number;
}

/** Counts of `reports`; allowed warnings (`# rubric: allow`) are not counted. */
export function countReports(reports: readonly FileReport[]): ReportCounts {
  const all = reports.flatMap((report) => shownDiagnostics(report.diagnostics));
  return {
    files: reports.length,
    errors: all.filter((d) => d.severity === 'error').length,
    warnings: all.filter((d) => d.severity === 'warning').length,
    notes: all.filter((d) => d.severity === 'info').length,
    unreadable: reports.filter((report) => report.readError !== undefined).length,
  };
}

/** The `rubric check --format json` document (pretty-printed, ends with a newline). */
export function renderCheckJson(reports: readonly FileReport[]): string {
  const document = {
    version: 1,
    files: reports.map((report) =>
      report.readError !== undefined
        ? { path: report.path, error: report.readError, diagnostics: [] }
        : { path: report.path, diagnostics: sortDiagnostics(report.diagnostics).map((d) => diagnosticToJson(d, report.path)) },
    ),
    summary: countReports(reports),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
