/**
 * Counts of distinct values with bounded memory: once `limit` distinct values are held, a new
 * one is no longer added (values already held keep counting). So a column of a million ids
 * costs `limit` entries, and what is reported says "at least" (see {@link BoundedCounter.full}).
 */
export class BoundedCounter {
  private readonly counts = new Map<string, number>();
  /** Whether some value was not added because the counter was full. */
  full = false;

  constructor(private readonly limit: number) {}

  add(value: string, by = 1): void {
    const current = this.counts.get(value);
    if (current !== undefined) this.counts.set(value, current + by);
    else if (this.counts.size < this.limit) this.counts.set(value, by);
    else this.full = true;
  }

  get size(): number {
    return this.counts.size;
  }

  /** The `n` most frequent values, ties in the order first met. */
  top(n: number): { value: string; count: number }[] {
    const entries = [...this.counts];
    // A stable sort keeps first-met order among equal counts.
    entries.sort((a, b) => b[1] - a[1]);
    return entries.slice(0, n).map(([value, count]) => ({ value, count }));
  }
}
