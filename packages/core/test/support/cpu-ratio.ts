/**
 * Load-independent guards of time complexity: instead of a wall time against a fixed bound (which
 * the machine's load decides), tests compare the CPU time of two inputs of known sizes, measured
 * in this process, interleaved, after a warm-up, as a ratio of the fastest rounds. Waiting for a
 * core does not count in CPU time, and the load slows both inputs alike; what it adds to a round
 * (a collection, a compilation on V8's other threads, which this process's CPU time counts) only
 * ever adds, so each input's fastest round is the steadiest estimate of its cost (a ratio of
 * medians of 5 rounds read 8.5 for a linear check of 4x the input in one CI run, beside 7
 * other test files).
 */

/** CPU time of this process (user + system), in milliseconds. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Runs `small` and `large` once each to warm up, then `rounds` times interleaved, and returns the
 * fastest CPU time of `large` over that of `small` (the denominator at least `floorMs`, so that a
 * near-zero sample cannot blow the ratio up). Each run may repeat its work to be long enough to time.
 */
export function cpuRatio(small: () => void, large: () => void, options: { readonly rounds?: number; readonly floorMs?: number } = {}): number {
  const { rounds = 7, floorMs = 0 } = options;
  const time = (run: () => void): number => {
    const start = cpuMs();
    run();
    return cpuMs() - start;
  };
  small();
  large();
  const smallTimes: number[] = [];
  const largeTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    smallTimes.push(time(small));
    largeTimes.push(time(large));
  }
  return Math.min(...largeTimes) / Math.max(Math.min(...smallTimes), floorMs);
}
