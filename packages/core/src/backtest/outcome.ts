/**
 * Reading a lead's outcome from a history export: won/lost, opportunity yes/no, 1/0, true/false,
 * in English or French, in any case and with any accents.
 */
import { fold } from '../runtime/fold.js';

/** Values (folded) that mean the lead converted: it became an opportunity, a deal was won. */
export const POSITIVE_OUTCOMES: readonly string[] = [
  'won', 'win', 'closed won', 'closed-won', 'closed_won', 'yes', 'y', 'true', '1', 'opportunity', 'converted',
  'oui', 'o', 'vrai', 'gagne', 'gagnee', 'opportunite', 'converti',
];

/** Values (folded) that mean it did not. */
export const NEGATIVE_OUTCOMES: readonly string[] = [
  'lost', 'lose', 'closed lost', 'closed-lost', 'closed_lost', 'no', 'n', 'false', '0', 'not converted',
  'non', 'faux', 'perdu', 'perdue', 'non converti',
];

const POSITIVE = new Set(POSITIVE_OUTCOMES);
const NEGATIVE = new Set(NEGATIVE_OUTCOMES);

/** An outcome read from a value: known, missing, or not one of the accepted values. */
export type OutcomeReading =
  | { readonly kind: 'known'; readonly positive: boolean }
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid' };

/**
 * Reads an outcome: `true`/`false`, the numbers 1/0, or text among {@link POSITIVE_OUTCOMES} and
 * {@link NEGATIVE_OUTCOMES} after folding (`"Won"`, `" OUI "`, `"Gagné"`). Absent, null and
 * blank text are missing; anything else is invalid.
 */
export function readOutcome(value: unknown): OutcomeReading {
  if (value === undefined || value === null) return { kind: 'missing' };
  if (typeof value === 'boolean') return { kind: 'known', positive: value };
  if (typeof value === 'number') return value === 1 ? { kind: 'known', positive: true } : value === 0 ? { kind: 'known', positive: false } : { kind: 'invalid' };
  if (typeof value !== 'string') return { kind: 'invalid' };
  const folded = fold(value);
  if (folded === '') return { kind: 'missing' };
  if (POSITIVE.has(folded)) return { kind: 'known', positive: true };
  if (NEGATIVE.has(folded)) return { kind: 'known', positive: false };
  return { kind: 'invalid' };
}
