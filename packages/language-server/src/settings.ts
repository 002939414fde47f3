/** The server's settings (`rubric.*` in the editor), from initialization options or the client. */
export interface RubricSettings {
  /** A JSONL (or JSON array) file of sample leads; relative paths resolve against the workspace folder. */
  readonly sampleLeads: string | null;
  /** The instant previews score at (ISO 8601); default: the latest event in the sample. */
  readonly previewNow: string | null;
  /** Milliseconds to wait after an edit before re-checking (debounce). */
  readonly diagnosticsDelay: number;
  /** How many scored rows `rubric/preview` returns by default. */
  readonly previewRows: number;
}

export const DEFAULT_SETTINGS: RubricSettings = {
  sampleLeads: null,
  previewNow: null,
  diagnosticsDelay: 150,
  previewRows: 50,
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads settings from whatever the client sent: `{rubric: {...}}`, `{...}` or nothing. Unknown
 * keys and values of the wrong type are ignored (the default stays).
 */
export function readSettings(value: unknown, base: RubricSettings = DEFAULT_SETTINGS): RubricSettings {
  if (!isRecord(value)) return base;
  const source = isRecord(value.rubric) ? value.rubric : value;
  const text = (key: string, fallback: string | null): string | null => {
    const v = source[key];
    if (v === null || v === '') return null;
    return typeof v === 'string' ? v : fallback;
  };
  const number = (key: string, fallback: number, min: number, max: number): number => {
    const v = source[key];
    return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
  };
  return {
    sampleLeads: text('sampleLeads', base.sampleLeads),
    previewNow: text('previewNow', base.previewNow),
    diagnosticsDelay: number('diagnosticsDelay', base.diagnosticsDelay, 0, 5000),
    previewRows: number('previewRows', base.previewRows, 1, 10_000),
  };
}
