/**
 * Synonym tables in SQL: each derived slot (`seniority(job)`) is a column computed from its
 * input column, `CASE WHEN <a pattern of line 1 matches> THEN 'value 1' WHEN ... END` (NULL when
 * no line matches or the input is NULL, as MISSING). A pattern without `*` is an equality; with
 * stars it is, in PostgreSQL, `LIKE` with `%`, `_` and the escape character `\` escaped and each
 * `*` made `%`, `ESCAPE '\'` (PostgreSQL's LIKE gives up early instead of backtracking); in DuckDB,
 * whose LIKE backtracks (`a%a%...%b` on a long value runs for minutes), a full match of an RE2
 * expression, which RE2 runs in linear time. The same whole-value match as in JavaScript.
 */
import type { ScorerIR, ValueSlot } from '../ir.js';
import { SqlEmitError, type SqlDialect } from './dialect.js';
import type { StepColumn } from './values.js';

/** `pattern` (folded, `*` = any run) as a LIKE pattern for `ESCAPE '\'`. */
export function likePattern(pattern: string): string {
  return pattern.replace(/[\\%_]/g, (ch) => `\\${ch}`).replace(/\*+/g, '%');
}

/**
 * `pattern` (folded, `*` = any run) as an RE2 expression for a whole-value match: every ASCII
 * character other than a letter or digit written `\x{hh}` (never an escape RE2 could refuse),
 * each run of `*` made `.*`, `.` matching line ends too (`(?s)`).
 */
export function re2Pattern(pattern: string): string {
  const pieces = pattern.split(/\*+/).map((piece) => piece.replace(/[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]/g, (ch) => `\\x{${ch.charCodeAt(0).toString(16)}}`));
  return `(?s)${pieces.join('.*')}`;
}

function patternTest(d: SqlDialect, input: string, pattern: string): string | undefined {
  // A pattern the engine cannot hold can match none of its data (which cannot hold it either).
  if (!d.canHold(pattern)) return undefined;
  if (!pattern.includes('*')) return `${d.binary(input)} = ${d.text(pattern)}`;
  if (d.name === 'duckdb') return `regexp_full_match(${input}, ${d.text(re2Pattern(pattern))})`;
  return `${input} LIKE ${d.text(likePattern(pattern))} ESCAPE ${d.text('\\')}`;
}

/** The columns of the derived slots among `slots`, reading their inputs as `p.v<input>`. */
export function derivedColumns(d: SqlDialect, ir: ScorerIR, slots: readonly ValueSlot[]): StepColumn[] {
  const out: StepColumn[] = [];
  for (const slot of slots) {
    if (slot.derived === undefined) continue;
    const table = ir.tables[slot.derived.table];
    const input = `p.v${slot.derived.input}`;
    const whens: string[] = [];
    for (const line of table.lines) {
      if (!d.canHold(line.value)) {
        throw new SqlEmitError(`the value ${JSON.stringify(line.value)} of table \`${table.name}\` cannot be stored by ${d.name === 'postgres' ? 'PostgreSQL' : 'DuckDB'}`, 'remove the NUL character from the value');
      }
      const tests = line.patterns.map((p) => patternTest(d, input, p)).filter((t): t is string => t !== undefined);
      if (tests.length > 0) whens.push(`WHEN ${tests.length === 1 ? tests[0] : `(${tests.join(' OR ')})`} THEN ${d.text(line.value)}`);
    }
    const expression = whens.length === 0 ? `CAST(NULL AS ${d.textType})` : `CASE ${whens.join(' ')} END`;
    out.push({ name: `v${slot.id}`, expression });
  }
  return out;
}
