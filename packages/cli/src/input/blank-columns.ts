/**
 * Columns with no name: a CSV header cell that is empty or only whitespace, as CRM and Excel
 * exports write them (trailing separators `id;job;email;;`, an unnamed column in the middle).
 * Such a column is no lead field and no duplicate of another: every command that reads lead
 * CSVs accepts any number of them, reads nothing from them, and says once where they are.
 * CSV output keeps their cells as read; output with one key per name (JSON Lines) leaves them
 * out, since several columns could not keep one empty key each.
 */
import { CliError } from '../context.js';

/** Whether a header cell names no column: empty or whitespace only (JavaScript's `trim`). */
export function isBlankColumn(name: string): boolean {
  return name.trim() === '';
}

/**
 * Throws the refusal of a header with two columns of one (non-blank) name, `shown` being the
 * file as messages name it; columns with no name are never duplicates.
 */
export function refuseDuplicateColumns(shown: string, columns: readonly string[]): void {
  const duplicate = duplicateColumnName(columns);
  if (duplicate !== undefined) {
    throw new CliError(`\`${shown}\` has two columns named \`${duplicate}\``, { help: 'rename one of them: each column is one lead field' });
  }
}

/** The first name two columns share, columns with no name aside; undefined when there is none. */
export function duplicateColumnName(columns: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const column of columns) {
    if (isBlankColumn(column)) continue;
    if (seen.has(column)) return column;
    seen.add(column);
  }
  return undefined;
}

/** At most this many positions are listed; the rest are counted. */
const MAX_POSITIONS = 8;

/**
 * What happens to the cells of the columns with no name, for {@link blankColumnsNotice}: `kept`
 * (CSV output: as read), `left-out` (JSON Lines output), `read` (a command with no scored output).
 */
export type BlankColumnsOutput = 'kept' | 'left-out' | 'read';

/**
 * The one warning about a header's columns with no name (1-based positions), or undefined when
 * every column has a name: `columns 4 and 5 of \`x.csv\` have no name: they are kept as they
 * are and read as no field`.
 */
export function blankColumnsNotice(columns: readonly string[], shown: string, output: BlankColumnsOutput): string | undefined {
  const positions: number[] = [];
  columns.forEach((column, index) => {
    if (isBlankColumn(column)) positions.push(index + 1);
  });
  if (positions.length === 0) return undefined;
  const one = positions.length === 1;
  const listed = positions.slice(0, MAX_POSITIONS).map(String);
  const list =
    positions.length > MAX_POSITIONS
      ? `${listed.join(', ')} and ${positions.length - MAX_POSITIONS} more`
      : listed.length === 1
        ? listed[0]
        : `${listed.slice(0, -1).join(', ')} and ${listed[listed.length - 1]}`;
  const what = {
    kept: one ? 'it is kept as it is and read as no field' : 'they are kept as they are and read as no field',
    'left-out': one ? 'it is left out of the output and read as no field' : 'they are left out of the output and read as no field',
    read: one ? 'it is read as no field' : 'they are read as no field',
  }[output];
  return `${one ? 'column' : 'columns'} ${list} of \`${shown}\` ${one ? 'has' : 'have'} no name: ${what}`;
}
