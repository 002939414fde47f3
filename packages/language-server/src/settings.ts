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
  /**
   * The encoding of a sample without a byte order mark (a mark decides), as `rubric score
   * --encoding` takes it: an export saved by Excel in Western Europe is `windows-1252`.
   */
  readonly sampleEncoding: SampleEncoding;
}

/** The encodings a sample may be read in. */
export type SampleEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/** The names the setting accepts (any case), as `--encoding` accepts them. */
const SAMPLE_ENCODINGS: ReadonlyMap<string, SampleEncoding> = new Map([
  ['utf-8', 'utf-8'],
  ['utf8', 'utf-8'],
  ['windows-1252', 'windows-1252'],
  ['cp1252', 'windows-1252'],
  ['latin1', 'windows-1252'],
  ['iso-8859-1', 'windows-1252'],
  ['utf-16le', 'utf-16le'],
  ['utf-16be', 'utf-16be'],
]);

export const DEFAULT_SETTINGS: RubricSettings = {
  sampleLeads: null,
  previewNow: null,
  diagnosticsDelay: 150,
  previewRows: 50,
  sampleEncoding: 'utf-8',
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
    sampleEncoding: SAMPLE_ENCODINGS.get((text('sampleEncoding', null) ?? '').trim().toLowerCase()) ?? base.sampleEncoding,
  };
}
