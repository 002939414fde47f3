/**
 * CSV samples (`NAME.sample.csv` beside `NAME.rubric`) for the previews, code lenses and data
 * hints: each row becomes the lead `rubric score` hands the scorer — its cells as the raw strings
 * they are, keyed by column (an empty cell left out), the `events` column parsed as a JSON array —
 * so the editor reads a CSV export as the command line does.
 *
 * The reader follows the CLI's CSV rules (packages/cli/src/input/csv.ts) in what matters for a
 * preview: the delimiter (`,`, `;` or tab) is the most frequent one outside quotes in the header's
 * first line; a line ends at `\n`, `\r\n` or `\r`; a quoted field may hold `""` and line ends;
 * blank records are skipped; a record with the wrong number of fields, a character after a closing
 * quote, a quote that never closes, or bytes that were not UTF-8 (decoded as U+FFFD) is a problem
 * of the sample, not a lead.
 */
import { detectCsvDelimiter } from '@rubric/core';
import { latestEventAt, MAX_SAMPLE_LEADS, type Sample, type SampleLead, type SampleProblem } from './sample-leads.js';

/** The delimiter of a header line, chosen exactly as `rubric score` chooses it (`detectCsvDelimiter` in core). */
export const detectDelimiter = detectCsvDelimiter;

/** One record: its fields, its first line, where the next one starts, or why it is unreadable. */
interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
  readonly next: number;
  /** Lines the record spans (line ends inside quotes count). */
  readonly lines: number;
  readonly problem?: string;
}

/** The index after the line end at or after `i` (the text's length when there is none). */
function afterLineEnd(text: string, i: number): number {
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  if (text[i] === '\r' && text[i + 1] === '\n') return i + 2;
  return i < text.length ? i + 1 : i;
}

function readRecord(text: string, start: number, line: number, delimiter: string): CsvRecord {
  const fields: string[] = [];
  let i = start;
  let lines = 1;
  for (;;) {
    let value = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) return { fields, line, next: text.length, lines, problem: 'a quote that never closes' };
        const ch = text[i];
        if (ch === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) lines++;
        value += ch;
        i++;
      }
      const after = text[i];
      if (i < text.length && after !== delimiter && after !== '\n' && after !== '\r') {
        return { fields, line, next: afterLineEnd(text, i), lines, problem: `a character after a closing quote (\`${after}\`)` };
      }
    } else {
      const begin = i;
      while (i < text.length && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') i++;
      value = text.slice(begin, i);
    }
    fields.push(value);
    if (i >= text.length) return { fields, line, next: i, lines };
    if (text[i] === delimiter) {
      i++;
      continue;
    }
    return { fields, line, next: text[i] === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1, lines };
  }
}

function isBlankRecord(fields: readonly string[]): boolean {
  return fields.every((field) => field.trim() === '');
}

/** Sets an own property, `__proto__` included (as data, never the prototype). */
function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * Parses a CSV sample: the header, then one lead per row (at most {@link MAX_SAMPLE_LEADS}
 * records are parsed; later ones are counted). With `partialBytes` (the text is the start of a
 * larger file) the last record, possibly cut short, is left out.
 */
export function parseCsvSample(text: string, path: string, options: { readonly partialBytes?: number } = {}): Sample {
  const partialBytes = options.partialBytes ?? null;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const end = partialBytes !== null ? Math.max(body.lastIndexOf('\n'), body.lastIndexOf('\r')) + 1 : body.length;
  const source = body.slice(0, end);
  const leads: SampleLead[] = [];
  const problems: SampleProblem[] = [];
  let truncated = 0;
  let examined = 0;
  let columns: string[] | undefined;
  let delimiter = ',';
  let line = 1;
  for (let at = 0; at < source.length; ) {
    if (columns === undefined) delimiter = detectDelimiter(source.slice(at, afterLineEnd(source, at)));
    const record = readRecord(source, at, line, delimiter);
    at = record.next;
    line += record.lines;
    if (record.problem === undefined && isBlankRecord(record.fields)) continue;
    if (columns === undefined) {
      if (record.problem !== undefined) {
        problems.push({ line: record.line, message: `the header is unreadable: ${record.problem}` });
        break;
      }
      columns = record.fields;
      // As the CLI says of such a header: its accented column names are not those of the rule file.
      if (columns.some((column) => column.includes('\ufffd'))) {
        problems.push({ line: record.line, message: 'the header has bytes that are not valid UTF-8: if the sample is Windows-1252 (as Excel saves it), set `rubric.sampleEncoding` to `windows-1252`, or save it as UTF-8' });
      }
      continue;
    }
    if (examined >= MAX_SAMPLE_LEADS) {
      truncated++;
      continue;
    }
    examined++;
    if (record.problem !== undefined) {
      problems.push({ line: record.line, message: `unreadable row: ${record.problem}` });
      continue;
    }
    if (record.fields.length !== columns.length) {
      problems.push({ line: record.line, message: `${record.fields.length} fields, but the header has ${columns.length}` });
      continue;
    }
    if (record.fields.some((field) => field.includes('\ufffd'))) {
      problems.push({ line: record.line, message: 'bytes that are not valid UTF-8: if the sample is Windows-1252 (as Excel saves it), set `rubric.sampleEncoding` to `windows-1252`, or save it as UTF-8' });
      continue;
    }
    const lead: Record<string, unknown> = {};
    for (let index = 0; index < columns.length; index++) {
      const cell = record.fields[index];
      if (cell === '') continue;
      if (columns[index] === 'events') {
        try {
          const events: unknown = JSON.parse(cell);
          if (Array.isArray(events)) setOwn(lead, 'events', events);
          else problems.push({ line: record.line, message: 'the `events` cell is not a JSON array; its events are left out' });
        } catch {
          problems.push({ line: record.line, message: 'the `events` cell is not valid JSON; its events are left out' });
        }
        continue;
      }
      setOwn(lead, columns[index], cell);
    }
    leads.push({ line: record.line, lead });
  }
  return { path, leads, problems, truncated, partialBytes, latestEventAt: latestEventAt(leads) };
}
