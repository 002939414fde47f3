/**
 * Diagnostics as SARIF 2.1.0, the format GitHub code scanning reads: upload the file with
 * `github/codeql-action/upload-sarif` and each diagnostic shows inline on the pull request.
 *
 * Every diagnostic code is a rule (`R010`, with its title and default level); each diagnostic is
 * a result with its exact region. Artifact URIs are relative to `%SRCROOT%` (the directory the
 * command ran in, normally the repository root), which is what code scanning expects.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIAGNOSTIC_CODES, type Diagnostic, type DiagnosticCode, type Range, type Severity } from '@rubric/core';
import { shownDiagnostics, sortDiagnostics } from './code-frame.js';
import type { FileReport } from './json.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

type SarifLevel = 'error' | 'warning' | 'note';

function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'info' ? 'note' : severity;
}

/** `unknown field` -> `UnknownField` (SARIF rule names are identifiers). */
function ruleName(title: string): string {
  return title
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

function region(range: Range): Record<string, number> {
  return {
    startLine: range.start.line,
    startColumn: range.start.column,
    endLine: range.end.line,
    // SARIF's endColumn is the column after the region, like our half-open ranges.
    endColumn: range.end.column,
    charOffset: range.start.offset,
    charLength: Math.max(0, range.end.offset - range.start.offset),
  };
}

/** A URI for a file path shown relative to `cwd`: relative and percent-encoded when inside it. */
function artifactLocation(filePath: string, cwd: string): Record<string, string> {
  const absolute = path.resolve(cwd, filePath);
  const relative = path.relative(cwd, absolute);
  if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) {
    return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(absolute).href };
}

/** The `rubric check --format sarif` document (pretty-printed, ends with a newline). */
export function renderCheckSarif(reports: readonly FileReport[], options: { cwd: string; version: string }): string {
  const codes = Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[];
  const ruleIndex = new Map(codes.map((code, index) => [code, index]));
  const rules = codes.map((code) => {
    const { title, severity } = DIAGNOSTIC_CODES[code];
    return {
      id: code,
      name: ruleName(title),
      shortDescription: { text: title },
      fullDescription: { text: `${code}: ${title}` },
      defaultConfiguration: { level: sarifLevel(severity) },
      properties: { tags: ['rubric', severity === 'error' ? 'correctness' : 'maintainability'] },
    };
  });

  const results = reports.flatMap((report) =>
    // Allowed warnings (`# rubric: allow`) are left out, as in the text output.
    sortDiagnostics(shownDiagnostics(report.diagnostics)).map((diagnostic: Diagnostic) => {
      const location = artifactLocation(report.path, options.cwd);
      return {
        ruleId: diagnostic.code,
        ruleIndex: ruleIndex.get(diagnostic.code) ?? -1,
        level: sarifLevel(diagnostic.severity),
        message: {
          text: diagnostic.help !== undefined ? `${diagnostic.message}\nhelp: ${diagnostic.help}` : diagnostic.message,
        },
        locations: [{ physicalLocation: { artifactLocation: location, region: region(diagnostic.range) } }],
        ...(diagnostic.related !== undefined && diagnostic.related.length > 0
          ? {
              relatedLocations: diagnostic.related.map((related, id) => ({
                id,
                message: { text: related.message },
                physicalLocation: { artifactLocation: location, region: region(related.range) },
              })),
            }
          : {}),
        ...(diagnostic.fixes !== undefined && diagnostic.fixes.length > 0
          ? {
              fixes: diagnostic.fixes.map((fix) => ({
                description: { text: fix.title },
                artifactChanges: [
                  {
                    artifactLocation: location,
                    replacements: fix.edits.map((edit) => ({
                      deletedRegion: region(edit.range),
                      insertedContent: { text: edit.newText },
                    })),
                  },
                ],
              })),
            }
          : {}),
      };
    }),
  );

  const notifications = reports
    .filter((report) => report.readError !== undefined)
    .map((report) => ({
      level: 'error',
      message: { text: report.readError },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(report.path, options.cwd) } }],
    }));

  const document = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'rubric',
            semanticVersion: options.version,
            version: options.version,
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(options.cwd + path.sep).href } },
        invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
