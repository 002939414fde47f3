/**
 * One hint after a run's problems when values reported as invalid look like what a French (or
 * other European) CRM export writes and a `data` block reads: numbers with a decimal comma or
 * spaced thousands (`1 200,50`), day-first dates (`15/03/2026`), yes/no words of another
 * language (`oui`), placeholders (`n/c`). Without it, a user meets one "expected number" per row
 * and no word of `rubric profile`, which writes the block for them.
 */
import { terminalText } from '../render/terminal-text.js';

/** A problem as the hint reads it (a subset of `RowProblem`). */
export interface HintedProblem {
  readonly field?: string;
  readonly value?: string;
  readonly message: string;
  readonly action: string;
}

type HintKind = 'numbers' | 'dates' | 'words' | 'placeholder';

const DECIMAL_COMMA = /^[+-]?(?:\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+)?|\d+,\d+)$/;
const SLASHED_DATE = /^\d{1,2}[/.]\d{1,2}[/.]\d{4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/;
/** Placeholders CRM exports write for "unknown", folded (lower case, no accents). */
const PLACEHOLDERS = new Set(['n/c', 'nc', 'n.c.', 'n/a', 'na', 'n.a.', '#n/a', '-', '--', '?', '/', 'inconnu', 'non communique', 'non renseigne', 'nr', 'null', 'none', 'unknown']);
const BOOL_WORDS = new Set(['oui', 'non', 'vrai', 'faux', 'ja', 'nein', 'si', 'sí', 'x']);

function folded(text: string): string {
  return text.trim().toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

function kindOf(problem: HintedProblem): HintKind | undefined {
  if (problem.action !== 'treated as missing' || problem.value === undefined || problem.field === undefined) return undefined;
  if (!problem.message.startsWith('expected ')) return undefined;
  const value = problem.value.trim();
  // A placeholder is missing in any field (a list of words too); the other kinds are read by type.
  if (PLACEHOLDERS.has(folded(value))) return 'placeholder';
  const expected = /^expected (number|date|bool)\b/.exec(problem.message)?.[1];
  if (expected === 'number' && DECIMAL_COMMA.test(value)) return 'numbers';
  if (expected === 'date' && SLASHED_DATE.test(value)) return 'dates';
  if (expected === 'bool' && BOOL_WORDS.has(folded(value))) return 'words';
  return undefined;
}

const WHAT: Record<HintKind, string> = {
  numbers: 'a number with a decimal comma or spaced thousands (`numbers: decimal comma`)',
  dates: 'a day-first or month-first date (`dates: day first`)',
  words: 'a yes/no word of another language (`true: [...]`, `false: [...]`)',
  placeholder: 'a placeholder for "unknown" (`missing: [...]`)',
};

/**
 * Collects, from the problems a run reports, the first value of each kind a `data` block could
 * read, and says so once at the end. Only the problems passed to {@link observe} count (the ones
 * shown, or all of them with `--errors`).
 */
export class DataHints {
  private readonly first = new Map<HintKind, { readonly field: string; readonly value: string }>();

  observe(problem: HintedProblem): void {
    if (this.first.size === 4) return;
    const kind = kindOf(problem);
    if (kind !== undefined && !this.first.has(kind) && problem.field !== undefined && problem.value !== undefined) {
      this.first.set(kind, { field: problem.field, value: problem.value });
    }
  }

  /** The hint line (none when no value looked readable), escaped for the terminal. */
  line(): string | undefined {
    if (this.first.size === 0) return undefined;
    const seen = (['numbers', 'dates', 'words', 'placeholder'] as const).flatMap((kind) => {
      const first = this.first.get(kind);
      return first === undefined ? [] : [`${JSON.stringify(first.value)} in \`${first.field}\` looks like ${WHAT[kind]}`];
    });
    return terminalText(
      `hint: ${seen.join('; ')}. A \`data\` block in the rule file reads such values; \`rubric profile RULES DATA\` suggests one from the data (docs/data.md)`,
    );
  }
}
