/**
 * "Did you mean": the closest declared name to a misspelt one, by Damerau–Levenshtein distance
 * (optimal string alignment) on folded text, so case and accents do not count.
 */
import { fold } from '../runtime/fold.js';

/** The edit distance between `a` and `b`: insertions, deletions, substitutions, transpositions. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const rows = x.length + 1;
  const cols = y.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) best = Math.min(best, d[i - 2][j - 2] + 1);
      d[i][j] = best;
    }
  }
  return d[rows - 1][cols - 1];
}

/**
 * The edit distance between `a` and `b` (arrays of characters) when it is at most `max`, else
 * `max + 1`. Only the diagonal band of width `2 * max + 1` is computed, and the computation
 * stops as soon as a whole row is past `max`: comparing a name with a candidate costs
 * O(length * max), not O(length^2).
 */
export function editDistanceWithin(a: readonly string[], b: readonly string[], max: number): number {
  return codeDistanceWithin(a.map(codeOf), b.map(codeOf), max);
}

function codeOf(character: string): number {
  return character.codePointAt(0) ?? 0;
}

// Three rows of the band, reused across comparisons (one check compares many names).
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** {@link editDistanceWithin} over code points, without allocating. */
function codeDistanceWithin(a: ArrayLike<number>, b: ArrayLike<number>, max: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  const over = max + 1;
  if (rows[0].length < m + 2) rows = [new Int32Array(2 * m + 2), new Int32Array(2 * m + 2), new Int32Array(2 * m + 2)];
  // The transposition looks two rows back; cells outside the band hold `over`.
  let before = rows[0];
  let previous = rows[1];
  let current = rows[2];
  before.fill(over, 0, m + 1);
  current.fill(over, 0, m + 1);
  previous.fill(over, 0, m + 1);
  for (let j = 0; j <= Math.min(m, max); j++) previous[j] = j;
  for (let i = 1; i <= n; i++) {
    const from = Math.max(1, i - max);
    const to = Math.min(m, i + max);
    // Later rows read this one only inside the band and one cell either side of it.
    current[0] = i <= max ? i : over;
    if (from - 1 >= 1) current[from - 1] = over;
    if (to + 1 <= m) current[to + 1] = over;
    let rowMin = current[0];
    const ai = a[i - 1];
    for (let j = from; j <= to; j++) {
      const cost = ai === b[j - 1] ? 0 : 1;
      let best = previous[j] + 1;
      if (current[j - 1] + 1 < best) best = current[j - 1] + 1;
      if (previous[j - 1] + cost < best) best = previous[j - 1] + cost;
      if (i > 1 && j > 1 && ai === b[j - 2] && a[i - 2] === b[j - 1] && before[j - 2] + 1 < best) best = before[j - 2] + 1;
      current[j] = best < over ? best : over;
      if (current[j] < rowMin) rowMin = current[j];
    }
    if (rowMin > max) return over;
    const spare = before;
    before = previous;
    previous = current;
    current = spare;
  }
  return Math.min(previous[m], over);
}

/** How far a name may be from a candidate and still be suggested, by the name's length. */
function allowedDistance(length: number): number {
  if (length <= 3) return 1;
  if (length <= 7) return 2;
  return 3;
}

function lastPart(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot === -1 ? name : name.slice(dot + 1);
}

/**
 * At most this many candidates are compared for one name (those of a fitting length, in
 * declaration order): with tens of thousands of declarations, a suggestion is then looked for
 * among the first ones only.
 */
export const SUGGEST_CANDIDATES_PER_NAME = 5_000;

/**
 * At most this many name-candidate comparisons in one check, however many names are misspelt;
 * past it, unknown names are still reported, without a suggestion. Bounds the time of "did you
 * mean" on hostile files (each comparison is a banded edit distance of a few hundred steps).
 */
export const SUGGEST_COMPARISONS_PER_CHECK = 2_000_000;

/** The comparisons left in one check, shared by every {@link Suggester} of the check. */
export interface SuggestBudget {
  comparisons: number;
}

interface Candidate {
  readonly name: string;
  readonly index: number;
  /** The folded name, as code points. */
  readonly chars: Int32Array;
}

/**
 * "Did you mean" over one fixed set of candidates: folded once, bucketed by length (a name of
 * length L can only be within distance d of candidates of length L - d to L + d), and each
 * name's answer memoised, so a thousand uses of the same misspelling cost one lookup.
 */
export class Suggester {
  private readonly byLength = new Map<number, Candidate[]>();
  private readonly byLastPart = new Map<string, string[]>();
  private readonly memo = new Map<string, string | undefined>();

  constructor(
    candidates: Iterable<string>,
    private readonly budget: SuggestBudget = { comparisons: SUGGEST_COMPARISONS_PER_CHECK },
  ) {
    let index = 0;
    for (const name of new Set(candidates)) {
      const chars = Int32Array.from([...fold(name)], codeOf);
      const bucket = this.byLength.get(chars.length);
      const candidate = { name, index: index++, chars };
      if (bucket === undefined) this.byLength.set(chars.length, [candidate]);
      else bucket.push(candidate);
      const last = fold(lastPart(name));
      const same = this.byLastPart.get(last);
      // Only whether exactly one other than the name itself matches: three are enough to keep.
      if (same === undefined) this.byLastPart.set(last, [name]);
      else if (same.length < 3) same.push(name);
    }
  }

  /**
   * The candidate `name` most likely stands for, or undefined when none is close enough.
   * Ties go to the earliest candidate (declaration order). A name that matches the last part
   * of exactly one dotted candidate (`size` for `company.size`) is suggested too.
   */
  suggest(name: string): string | undefined {
    if (this.memo.has(name)) return this.memo.get(name);
    const answer = this.find(name);
    this.memo.set(name, answer);
    return answer;
  }

  private find(name: string): string | undefined {
    const wanted = Int32Array.from([...fold(name)], codeOf);
    const allowed = allowedDistance(wanted.length);
    let best: Candidate | undefined;
    let bestDistance = Infinity;
    let compared = 0;
    // The nearest lengths first: they are the likeliest and the cheapest to compare.
    const lengths = [wanted.length];
    for (let d = 1; d <= allowed; d++) lengths.push(wanted.length - d, wanted.length + d);
    for (const length of lengths) {
      for (const candidate of this.byLength.get(length) ?? []) {
        if (candidate.name === name) continue;
        if (compared >= SUGGEST_CANDIDATES_PER_NAME || this.budget.comparisons <= 0) break;
        compared++;
        this.budget.comparisons--;
        const limit = Math.min(allowed, candidate.chars.length - 1, bestDistance);
        if (limit < 0) continue;
        const distance = codeDistanceWithin(wanted, candidate.chars, limit);
        if (distance > limit) continue;
        if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate.index < best.index)) {
          best = candidate;
          bestDistance = distance;
        }
      }
    }
    if (best !== undefined) return best.name;
    const byLastPart = (this.byLastPart.get(fold(lastPart(name))) ?? []).filter((c) => c !== name);
    return byLastPart.length === 1 ? byLastPart[0] : undefined;
  }
}

/**
 * The candidate `name` most likely stands for, or undefined when none is close enough (see
 * {@link Suggester}; for many names over the same candidates, build one `Suggester`).
 */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  return new Suggester(candidates).suggest(name);
}
