/**
 * Leads per stage, counted per scored row without a Map update each (issue 13: a `Map.set` per
 * row was measurable at a million rows): a linear search over the few stage names seen so far.
 * {@link addTo} adds the counts to a summary's Map, which lists every stage in file order.
 */
export class StageCounts {
  private readonly names: (string | null)[] = [];
  private readonly counts: number[] = [];

  /** Counts one lead in `stage` (null: no stage). */
  count(stage: string | null): void {
    const names = this.names;
    for (let i = 0; i < names.length; i++) {
      if (names[i] === stage) {
        this.counts[i] += 1;
        return;
      }
    }
    names.push(stage);
    this.counts.push(1);
  }

  /** Counts `leads` leads in `stage` at once (the counts of a piece scored elsewhere). */
  countMany(stage: string | null, leads: number): void {
    const at = this.names.indexOf(stage);
    if (at === -1) {
      this.names.push(stage);
      this.counts.push(leads);
    } else {
      this.counts[at] += leads;
    }
  }

  /** Adds the counts to `stages` and empties them (a stage not yet in `stages` goes last). */
  addTo(stages: Map<string | null, number>): void {
    for (let i = 0; i < this.names.length; i++) stages.set(this.names[i], (stages.get(this.names[i]) ?? 0) + this.counts[i]);
    this.names.length = 0;
    this.counts.length = 0;
  }
}
