/**
 * Delta debugging (ddmin) of a failing text: first over lines, then over characters, keeping every
 * smaller candidate that still fails the same way. Bounded by a deadline and a number of checks,
 * so a slow failure (a hang, a slow stage) cannot stall the run; the smallest text found so far is
 * returned when the budget runs out.
 */

export interface ShrinkBudget {
  /** `performance.now()` after which no more candidates are tried. */
  readonly deadline: number;
  /** At most this many candidates are checked. */
  readonly maxChecks: number;
}

export interface ShrinkResult {
  readonly text: string;
  readonly checks: number;
  /** Whether the budget ran out before the search finished. */
  readonly exhausted: boolean;
}

/** Splits keeping each line's line ending, so joining the pieces gives the text back. */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * The classic ddmin over `units`: tries removing each of `n` chunks, then doubles `n`. Returns
 * the smallest list of units found for which `fails(units.join(''))` holds.
 */
async function ddmin(units: string[], fails: (text: string) => Promise<boolean>, spend: () => boolean): Promise<string[]> {
  let current = units;
  let n = 2;
  while (current.length >= 2) {
    const chunk = Math.ceil(current.length / n);
    let reduced = false;
    for (let start = 0; start < current.length; start += chunk) {
      if (!spend()) return current;
      const complement = [...current.slice(0, start), ...current.slice(start + chunk)];
      if (complement.length > 0 && (await fails(complement.join('')))) {
        current = complement;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= current.length) break;
      n = Math.min(n * 2, current.length);
    }
  }
  if (current.length === 1 && spend() && (await fails(''))) return [];
  return current;
}

/**
 * The smallest text this search finds for which `fails` holds (`text` itself is assumed to fail).
 * Line-level first (cheap, big steps), then character-level on what is left.
 */
export async function shrinkText(text: string, fails: (candidate: string) => Promise<boolean>, budget: ShrinkBudget): Promise<ShrinkResult> {
  let checks = 0;
  let exhausted = false;
  const spend = (): boolean => {
    if (checks >= budget.maxChecks || performance.now() > budget.deadline) {
      exhausted = true;
      return false;
    }
    checks++;
    return true;
  };
  const tried = new Map<string, boolean>();
  const cachedFails = async (candidate: string): Promise<boolean> => {
    const known = tried.get(candidate);
    if (known !== undefined) return known;
    const result = await fails(candidate);
    tried.set(candidate, result);
    return result;
  };
  let current = (await ddmin(linesOf(text), cachedFails, spend)).join('');
  // Characters (as code points, so a surrogate pair stays whole unless the input had a lone one).
  if (!exhausted) current = (await ddmin(Array.from(current), cachedFails, spend)).join('');
  return { text: current, checks, exhausted };
}
