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
 * The candidate `name` most likely stands for, or undefined when none is close enough.
 * Ties go to the earliest candidate (declaration order). A name that matches the last part of
 * exactly one dotted candidate (`size` for `company.size`) is suggested too.
 */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = fold(name);
  const list = [...new Set(candidates)].filter((c) => c !== name);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of list) {
    const folded = fold(candidate);
    const distance = editDistance(wanted, folded);
    if (distance < bestDistance && distance <= allowedDistance([...wanted].length) && distance < [...folded].length) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined) return best;
  const byLastPart = list.filter((c) => fold(lastPart(c)) === fold(lastPart(name)));
  return byLastPart.length === 1 ? byLastPart[0] : undefined;
}
