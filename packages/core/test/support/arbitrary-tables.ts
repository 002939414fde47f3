/**
 * Random synonym tables for issue 15's property tests: patterns over a small alphabet that holds
 * every character a naive translation mishandles (`*`, `%`, `_`, `\`, quotes, accents and case
 * that fold, spaces), and texts made by filling a pattern's stars (so they match it, and often
 * others) or at random (so most match nothing). Shared by the compiled-vs-interpreted property
 * (packages/core/test/property) and the SQL differential (test/sql).
 */
import fc from 'fast-check';

/** Characters of patterns and texts: letters (with case/accents that fold), SQL's wildcards, quotes. */
const ALPHABET = ['a', 'b', 'A', 'é', 'E', ' ', '%', '_', '\\', "'", '"', '.', '-'];

export interface TableCase {
  /** Lines of the table: patterns (as the values of rule-file strings) and the value. */
  readonly lines: ReadonlyArray<{ readonly patterns: readonly string[]; readonly value: string }>;
  /** Texts to look up (a lead's `job`, an event's `title`). */
  readonly texts: readonly string[];
}

const arbChunk = fc.array(fc.constantFrom(...ALPHABET), { minLength: 0, maxLength: 3 }).map((cs) => cs.join(''));

/** A pattern: chunks joined by `*` (0 to 3 stars), never blank once folded. */
const arbPattern: fc.Arbitrary<string> = fc
  .array(arbChunk, { minLength: 1, maxLength: 4 })
  .map((chunks) => chunks.join('*'))
  .filter((p) => p.replace(/[\s*]/g, '') !== '' || p.includes('*'));

/** A text matching `pattern`: each star filled with a random run. */
function fill(pattern: string): fc.Arbitrary<string> {
  const pieces = pattern.split('*');
  return fc.array(arbChunk, { minLength: pieces.length - 1, maxLength: pieces.length - 1 }).map((fills) => pieces.map((p, i) => p + (fills[i] ?? '')).join(''));
}

const VALUES = ['executive', 'manager', 'intern', 'Été', "it's", '50%_x'];

export const arbTableCase: fc.Arbitrary<TableCase> = fc
  .array(fc.record({ patterns: fc.array(arbPattern, { minLength: 1, maxLength: 3 }), value: fc.constantFrom(...VALUES) }), { minLength: 1, maxLength: 4 })
  .chain((lines) => {
    const patterns = lines.flatMap((l) => l.patterns);
    const text = fc.oneof(
      { arbitrary: fc.constantFrom(...patterns).chain(fill), weight: 3 },
      { arbitrary: fc.array(fc.constantFrom(...ALPHABET), { maxLength: 6 }).map((cs) => cs.join('')), weight: 1 },
    );
    return fc.array(text, { minLength: 1, maxLength: 6 }).map((texts) => ({ lines, texts }));
  });

/** A rule-file string literal of `text`. */
export function rubricString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * A rule file reading `c` on a lead field (`job`) and an event property (`page_view.title`):
 * one rule per value, a missing test, and a count of events by value; R056/R057 allowed.
 */
export function tableRuleFile(c: TableCase): string {
  const values = [...new Set(c.lines.map((l) => l.value))];
  const out = ['lead {', '  job: text', '}', 'event page_view {', '  title: text', '}', '# rubric: allow R056, R057', 'table kind {'];
  for (const line of c.lines) out.push(`  ${line.patterns.map(rubricString).join(', ')} -> ${rubricString(line.value)}`);
  out.push('}');
  values.forEach((value, i) => out.push(`when kind(job) = ${rubricString(value)} add ${i + 1}`));
  out.push('when kind(job) is missing add 0.5');
  values.forEach((value, i) => out.push(`when count page_view where kind(title) = ${rubricString(value)} >= 1 add ${10 * (i + 1)}`));
  out.push('when count distinct page_view.title where kind(title) is set = 2 add 1000');
  return `${out.join('\n')}\n`;
}
