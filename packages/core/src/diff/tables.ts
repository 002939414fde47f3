/**
 * The semantic diff of synonym tables: what changed in the value a text gets. Lines, patterns
 * and values compare folded (a change of case, accents or spacing in a pattern is no change in
 * meaning); anything else is reported, by value: patterns added and removed, values added and
 * removed, and lines reordered (the first matching line wins, so order is meaning too).
 */
import type { Model, TableInfo } from '../checker/model.js';
import type { SemanticChange } from './types.js';

/** A line as the diff shows it: `"ceo", "pdg" -> executive` (patterns as written, quoted). */
export function tableLineText(line: TableInfo['lines'][number]): string {
  return `${line.patterns.map((p) => JSON.stringify(p.written)).join(', ')} -> ${line.output}`;
}

/** The folded meaning of a table: its lines in order, each value and its patterns. */
function meaning(table: TableInfo): string {
  return JSON.stringify(table.lines.map((line) => [line.folded, line.patterns.map((p) => p.folded)]));
}

/** Patterns (folded -> as first written) of each value (folded), over all its lines. */
function patternsByValue(table: TableInfo): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const line of table.lines) {
    let patterns = out.get(line.folded);
    if (patterns === undefined) out.set(line.folded, (patterns = new Map()));
    for (const p of line.patterns) if (!patterns.has(p.folded)) patterns.set(p.folded, p.written);
  }
  return out;
}

function writtenValue(table: TableInfo, folded: string): string {
  return table.lines.find((line) => line.folded === folded)?.output ?? folded;
}

/** Appends the changes between the tables of two versions (added, removed, changed). */
export function diffTables(a: Model, b: Model, out: SemanticChange[]): void {
  const before = a.tables ?? new Map<string, TableInfo>();
  const after = b.tables ?? new Map<string, TableInfo>();
  for (const [name, table] of after) {
    const old = before.get(name);
    if (old === undefined) {
      out.push({ kind: 'table-added', name, lines: table.lines.map(tableLineText) });
      continue;
    }
    if (meaning(old) === meaning(table)) continue;
    const oldPatterns = patternsByValue(old);
    const newPatterns = patternsByValue(table);
    const valuesAdded = [...newPatterns.keys()].filter((v) => !oldPatterns.has(v)).map((v) => writtenValue(table, v));
    const valuesRemoved = [...oldPatterns.keys()].filter((v) => !newPatterns.has(v)).map((v) => writtenValue(old, v));
    const patterns: Array<{ value: string; added: string[]; removed: string[] }> = [];
    for (const [value, now] of newPatterns) {
      const was = oldPatterns.get(value) ?? new Map<string, string>();
      const added = [...now].filter(([folded]) => !was.has(folded)).map(([, written]) => written);
      const removed = [...was].filter(([folded]) => !now.has(folded)).map(([, written]) => written);
      if (added.length + removed.length > 0) patterns.push({ value: writtenValue(table, value), added, removed });
    }
    for (const [value, was] of oldPatterns) {
      if (newPatterns.has(value)) continue;
      patterns.push({ value: writtenValue(old, value), added: [], removed: [...was.values()] });
    }
    // Same values and patterns, in another order: which value a text matching two lines gets
    // may have changed.
    const reordered = valuesAdded.length === 0 && valuesRemoved.length === 0 && patterns.length === 0;
    out.push({
      kind: 'table-changed',
      name,
      values: { added: valuesAdded, removed: valuesRemoved },
      patterns,
      reordered,
      lines: { old: old.lines.map(tableLineText), new: table.lines.map(tableLineText) },
    });
  }
  for (const [name, table] of before) if (!after.has(name)) out.push({ kind: 'table-removed', name, lines: table.lines.map(tableLineText) });
}
