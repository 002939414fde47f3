/**
 * Synonym tables in the generated JavaScript: one function `TB<k>(v)` per table, taking a folded
 * text (`""` = missing) and returning the folded value of the first line with a matching
 * pattern, or `""`. A pattern without `*` is an equality, one with a single `*` a prefix and
 * suffix test; others call `globAt`, which finds the pieces between stars left to right, each
 * at its leftmost place (enough for `*`-only globs: never a retry, so never a blow-up).
 */
import type { ScorerIR, TableIR, ValueSlot } from './ir.js';
import { jsData, jsNumber, jsString } from './js-syntax.js';

/** The JavaScript test of the folded text `v` against one folded pattern. */
function patternTest(pattern: string, constants: string[], table: number): string {
  const pieces = pattern.split('*');
  if (pieces.length === 1) return `v === ${jsString(pattern)}`;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (pieces.length === 2) {
    const tests = [`v.length >= ${jsNumber(first.length + last.length)}`];
    if (first !== '') tests.push(`v.startsWith(${jsString(first)})`);
    if (last !== '') tests.push(`v.endsWith(${jsString(last)})`);
    return tests.join(' && ');
  }
  const name = `TG${table}_${constants.length}`;
  constants.push(`const ${name} = ${jsData(pieces)};`);
  return `globAt(v, ${name})`;
}

function tableFunction(table: TableIR, constants: string[]): string[] {
  const body: string[] = ['if (v === "") return "";'];
  for (const line of table.lines) {
    if (line.patterns.length === 0) continue;
    const test = line.patterns.map((p) => patternTest(p, constants, table.id)).join(' || ');
    body.push(`if (${test}) return ${jsString(line.value)};`);
  }
  body.push('return "";');
  return [`function TB${table.id}(v) {`, ...body.map((l) => `  ${l}`), '}'];
}

/** The module-level code for the file's tables (nothing without tables). */
export function tableFunctions(ir: ScorerIR): string[] {
  if (ir.tables.length === 0) return [];
  const constants: string[] = [];
  const functions = ir.tables.flatMap((table) => tableFunction(table, constants));
  return [
    // pieces: the pattern split at its stars (at least 3): a prefix, middles in order, a suffix.
    'function globAt(v, pieces) {',
    '  const first = pieces[0], last = pieces[pieces.length - 1];',
    '  if (v.length < first.length + last.length || !v.startsWith(first) || !v.endsWith(last)) return false;',
    '  let at = first.length;',
    '  const end = v.length - last.length;',
    '  for (let i = 1; i < pieces.length - 1; i++) {',
    '    const piece = pieces[i];',
    '    if (piece === "") continue;',
    '    const found = v.indexOf(piece, at);',
    '    if (found < 0 || found + piece.length > end) return false;',
    '    at = found + piece.length;',
    '  }',
    '  return true;',
    '}',
    ...constants,
    ...functions,
    '',
  ];
}

/**
 * Statements computing the derived slots among `slots` from their input slots (already read),
 * with `ref(slot)` the storage of a slot (`t[3]`).
 */
export function derivedStatements(slots: readonly ValueSlot[], ref: (slot: number) => string | null): string[] {
  const out: string[] = [];
  for (const slot of slots) {
    if (slot.derived === undefined) continue;
    const target = ref(slot.id);
    const input = ref(slot.derived.input);
    if (target === null || input === null) throw new Error(`internal: derived slot ${slot.id} or its input is not stored`);
    out.push(`${target} = TB${slot.derived.table}(${input});`);
  }
  return out;
}
