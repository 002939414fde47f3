import type { Range } from '../syntax/ast.js';

export type Severity = 'error' | 'warning' | 'info';

/** A text replacement, for quick fixes. */
export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

/** A quick fix: a title and the edits that apply it. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

export interface RelatedInformation {
  readonly message: string;
  readonly range: Range;
}

/**
 * The one diagnostic type of Rubric: created by the parser and the checker, rendered by the CLI
 * (code frame, JSON, SARIF) and the language server (LSP). `code` is stable across versions;
 * `message` says where and what is wrong (lowercase, names in backticks, one sentence);
 * `help` says what to do.
 */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
  readonly help?: string;
  readonly related?: readonly RelatedInformation[];
  readonly fixes?: readonly Fix[];
  /**
   * Set on a warning a `# rubric: allow CODE` comment accepts (checker/allow-comments.ts): it is
   * still reported by `rubric check --format json` (with `"allowed": true`), and left out of the
   * text and SARIF outputs, of every warning count and of the editor's diagnostics.
   */
  readonly allowed?: true;
}

/**
 * Every diagnostic code, with its default severity and a one-line title (docs/language.md has a
 * section per code). Parse errors are R00x, checker errors and warnings R01x and up.
 */
export const DIAGNOSTIC_CODES = {
  R001: { severity: 'error', title: 'syntax error' },
  R002: { severity: 'error', title: 'invalid character or unterminated string' },
  R003: { severity: 'error', title: 'nesting too deep' },
  R004: { severity: 'error', title: 'invalid escape in a string' },
  R010: { severity: 'error', title: 'unknown field' },
  R011: { severity: 'error', title: 'unknown event' },
  R012: { severity: 'error', title: 'unknown event property' },
  R013: { severity: 'error', title: 'unknown name' },
  R014: { severity: 'error', title: 'operator not valid for the type' },
  R015: { severity: 'error', title: 'value outside a `one of` set' },
  R016: { severity: 'error', title: 'date that does not exist' },
  R017: { severity: 'error', title: 'duplicate name' },
  R018: { severity: 'error', title: 'segment or group cycle' },
  R019: { severity: 'error', title: 'name outside `where` scope' },
  R020: { severity: 'warning', title: 'rule can never fire' },
  R021: { severity: 'warning', title: 'duplicate rule' },
  R022: { severity: 'error', title: 'points of 0' },
  R023: { severity: 'warning', title: 'group cap below one rule' },
  R024: { severity: 'warning', title: 'stage threshold above the highest reachable score' },
  R025: { severity: 'warning', title: 'stage can never be reached' },
  R026: { severity: 'warning', title: 'unused declaration' },
  R027: { severity: 'error', title: 'missing or repeated `lead` block' },
  R028: { severity: 'error', title: 'field is also a parent' },
  R029: { severity: 'error', title: 'reserved name' },
  R030: { severity: 'error', title: 'value must be quoted' },
  R031: { severity: 'error', title: 'too many decimals' },
  R032: { severity: 'error', title: 'value of the wrong type' },
  R033: { severity: 'warning', title: 'stage threshold below an earlier stage' },
  R034: { severity: 'error', title: '`score` outside stage and tier conditions' },
  R035: { severity: 'error', title: 'invalid bounds' },
  R036: { severity: 'error', title: 'invalid test' },
  R037: { severity: 'error', title: 'condition reads a stage or tier' },
  R038: { severity: 'warning', title: 'negative points' },
  R039: { severity: 'error', title: 'expansion too large' },
  R040: { severity: 'error', title: 'rule file too large' },
  R041: { severity: 'error', title: 'number out of range' },
  R042: { severity: 'error', title: 'invalid `data` block' },
  // A `missing` value listed twice is the one R043 reported as a warning.
  R043: { severity: 'error', title: 'conflicting data words' },
  R044: { severity: 'warning', title: 'placeholder compared or allowed' },
  R045: { severity: 'error', title: 'column read twice or blank' },
  R050: { severity: 'warning', title: '`rubric: allow` names an error or an unknown code' },
  R051: { severity: 'warning', title: 'nothing to allow' },
  R052: { severity: 'error', title: 'decay on a `when` rule without one `any` event' },
  R053: { severity: 'warning', title: 'rule of a decaying group not decayed' },
  R054: { severity: 'error', title: 'invalid run limit' },
  R055: { severity: 'error', title: 'invalid decay' },
  R056: { severity: 'warning', title: 'table patterns overlap' },
  R057: { severity: 'warning', title: 'table pattern never used' },
  R058: { severity: 'error', title: 'empty table, pattern or value' },
  R059: { severity: 'error', title: '`count distinct` without a property' },
  R060: { severity: 'warning', title: 'bool field required only to be set' },
  R061: { severity: 'warning', title: 'requirement listed twice' },
  // Issue 17: accounts.
  R062: { severity: 'error', title: 'account test outside `score accounts`' },
  R063: { severity: 'error', title: 'invalid account key' },
  R064: { severity: 'error', title: 'account name clash' },
  R065: { severity: 'error', title: 'cycle between contact and account rules' },
  R066: { severity: 'error', title: 'name not readable at this level' },
  R067: { severity: 'error', title: 'invalid test over contacts' },
  R068: { severity: 'error', title: 'invalid account test' },
  R069: { severity: 'error', title: 'second `account` or `score accounts` block' },
} as const satisfies Record<string, { severity: Severity; title: string }>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Whether any diagnostic is an error (errors stop compilation; warnings never do). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
