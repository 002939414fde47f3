/** Timing helpers: medians, percentiles, interleaved rounds, garbage collection between runs. */

/** Runs a full GC when node was started with --expose-gc (bench/run.mjs does); else nothing. */
export function collectGarbage() {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The p-th percentile (0..100) by nearest rank. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/**
 * Scores the leads with a synchronous scorer, in passes over all of them until at least `minMs`
 * have passed (at least one pass). Returns elapsed ms, leads scored and a checksum (so the work
 * cannot be optimized away).
 */
export function timeSync(scorer, leads, options, minMs = 0) {
  let checksum = 0;
  let scored = 0;
  const start = performance.now();
  let ms;
  do {
    for (let i = 0; i < leads.length; i++) checksum += scorer.score(leads[i], options).score;
    scored += leads.length;
    ms = performance.now() - start;
  } while (ms < minMs);
  return { ms, scored, checksum };
}

/** Same for an asynchronous scorer, one lead at a time (as a request handler would). */
export async function timeAsync(scorer, leads, options, minMs = 0) {
  let checksum = 0;
  let scored = 0;
  const start = performance.now();
  let ms;
  do {
    for (let i = 0; i < leads.length; i++) checksum += (await scorer.score(leads[i], options)).score;
    scored += leads.length;
    ms = performance.now() - start;
  } while (ms < minMs);
  return { ms, scored, checksum };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Interleaved rounds: round 1 runs every contender once in order, then round 2, and so on, so a
 * slow period of a shared machine hurts all of them alike. Before each run: a full GC, then
 * `settleMs` of idle time, because V8 finishes the collection (sweeping) on background threads
 * and a run started at once pays for it — on a large heap that halved the speed of short runs.
 * Each contender is `{name, run: () => Promise<{ms, scored}>|{ms, scored}}`; returns, per
 * contender, the leads/s of each round.
 */
export async function interleavedRounds(contenders, rounds, { settleMs = 0, onRound = () => {} } = {}) {
  const rates = new Map(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const contender of contenders) {
      collectGarbage();
      if (settleMs > 0) await sleep(settleMs);
      const { ms, scored } = await contender.run();
      rates.get(contender.name).push(scored / (ms / 1000));
    }
    onRound(round + 1);
  }
  return rates;
}

/** Heap used (bytes) after a full GC. */
export function heapUsed() {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

export function formatInteger(n) {
  return Math.round(n).toLocaleString('en-US');
}

export function formatMs(ms) {
  if (ms >= 100) return `${Math.round(ms).toLocaleString('en-US')} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(3)} ms`;
}

export function formatBytes(bytes) {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function formatRatio(x) {
  if (!Number.isFinite(x)) return 'n/a';
  return x >= 10 ? `${x.toFixed(0)}x` : `${x.toFixed(2)}x`;
}

/**
 * `a[i] / b[i]` for each round: the ratio of two commands run one after the other in the same
 * round (so under the same load), which shows how far a single measurement moves.
 */
export function roundRatios(a, b) {
  const ratios = [];
  const count = Math.min(a.length, b.length);
  for (let i = 0; i < count; i++) if (b[i] > 0) ratios.push(a[i] / b[i]);
  return ratios;
}

/** "1.45x – 1.61x" (lowest – highest), or "—" with fewer than two rounds. */
export function rangeText(ratios) {
  if (ratios.length < 2) return '—';
  return `${formatRatio(Math.min(...ratios))} – ${formatRatio(Math.max(...ratios))}`;
}
