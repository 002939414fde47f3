/**
 * `rubric score` on several threads: the main thread cuts the CSV text into pieces of whole
 * records (piece-reader.ts), worker threads score them ({@link ScoreWorkers}, score-worker.ts),
 * and the main thread writes and reports each piece's result in the file's order, so the output,
 * the problems and the summary are the ones reading on one thread gives.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PieceJob, PieceResult, PieceSetup } from './piece-scorer.js';

/**
 * The default of `--threads`: one thread per core the process may use, the main thread among
 * them (it also reads and writes), at most 8. A container's CPU quota counts (a runner limited
 * to 2 CPUs on a 64-core host sees 64 cores): more threads than that would only take turns.
 */
export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), cpuQuota() ?? Number.POSITIVE_INFINITY, 8));
}

/** The CPUs a cgroup quota (v2 `cpu.max`, else v1 `cpu.cfs_quota_us` and `cpu.cfs_period_us`) allows, rounded up; undefined without one. */
function cpuQuota(): number | undefined {
  const read = (file: string): string | undefined => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  const v2 = read('/sys/fs/cgroup/cpu.max');
  if (v2 !== undefined) return quotaCpus(v2);
  const quota = read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us') ?? read('/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us');
  const period = read('/sys/fs/cgroup/cpu/cpu.cfs_period_us') ?? read('/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us');
  return quota === undefined || period === undefined ? undefined : quotaCpus(`${quota.trim()} ${period.trim()}`);
}

/**
 * `QUOTA PERIOD` (microseconds, as cgroup v2's `cpu.max` writes it; `max` or a negative quota: no
 * limit) as whole CPUs, at least 1; undefined without a limit or for text of another shape.
 */
export function quotaCpus(text: string): number | undefined {
  const match = /^\s*(max|-?\d+)\s+(\d+)\s*$/.exec(text);
  if (match === null || match[1] === 'max') return undefined;
  const quota = Number(match[1]);
  const period = Number(match[2]);
  if (quota <= 0 || period <= 0) return undefined;
  return Math.max(1, Math.ceil(quota / period));
}

/**
 * UTF-16 units of text per piece. Large enough that sending a piece and its output between
 * threads costs little beside scoring it, small enough that the pieces in flight stay a few
 * megabytes. `RUBRIC_PIECE_UNITS` sets it for tests, which cut small files into many pieces.
 */
export function pieceUnits(env: Readonly<Record<string, string | undefined>>): number {
  const asked = Number(env.RUBRIC_PIECE_UNITS);
  return Number.isInteger(asked) && asked >= 1 ? asked : 1024 * 1024;
}

/** What the main thread sends a worker: the run's setup once, then pieces. */
export type WorkerRequest = { readonly kind: 'setup'; readonly setup: PieceSetup } | { readonly kind: 'piece'; readonly job: PieceJob };

/** What a worker sends back for each piece. */
export type WorkerMessage = { readonly kind: 'result'; readonly result: PieceResult } | { readonly kind: 'failed'; readonly seq: number; readonly message: string };

interface Pending {
  readonly resolve: (result: PieceResult) => void;
  readonly reject: (error: Error) => void;
}

/** Worker threads scoring pieces; a piece goes to them in turn, and each scores its pieces in order. */
export class ScoreWorkers {
  private readonly pending: Map<number, Pending>[] = [];
  private next = 0;
  private failure: Error | undefined;

  private constructor(private readonly workers: readonly Worker[]) {
    workers.forEach((worker, index) => {
      const pending = new Map<number, Pending>();
      this.pending.push(pending);
      worker.on('message', (message: WorkerMessage) => {
        const seq = message.kind === 'result' ? message.result.seq : message.seq;
        const waiting = pending.get(seq);
        if (waiting === undefined) return;
        pending.delete(seq);
        if (message.kind === 'result') waiting.resolve(message.result);
        else waiting.reject(new Error(`a scoring thread failed: ${message.message}`));
      });
      const fail = (error: Error): void => {
        this.failure ??= error;
        for (const waiting of pending.values()) waiting.reject(error);
        pending.clear();
      };
      worker.on('error', (error: Error) => fail(new Error(`a scoring thread failed: ${error.message}`)));
      worker.on('exit', (code) => fail(new Error(`scoring thread ${index + 1} stopped (exit code ${code})`)));
    });
  }

  /**
   * Starts `count` workers (their setup comes later: {@link configure}), or undefined when the
   * worker script is not there (an unbuilt checkout). Started before the rule file is compiled,
   * a worker's own start-up runs beside it.
   */
  static spawn(count: number): ScoreWorkers | undefined {
    const script = workerScript();
    if (script === undefined || count < 1) return undefined;
    return new ScoreWorkers(Array.from({ length: count }, () => new Worker(script)));
  }

  /** Gives the workers what every piece of the run shares (before the first {@link run}). */
  configure(setup: PieceSetup): void {
    const message: WorkerRequest = { kind: 'setup', setup };
    for (const worker of this.workers) worker.postMessage(message);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Scores a piece on the next worker in turn. */
  run(job: PieceJob): Promise<PieceResult> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const index = this.next;
    this.next = (this.next + 1) % this.workers.length;
    const result = new Promise<PieceResult>((resolve, reject) => {
      this.pending[index].set(job.seq, { resolve, reject });
      const message: WorkerRequest = { kind: 'piece', job };
      this.workers[index].postMessage(message);
    });
    // Handled here too: a piece whose result is dropped (reading went on on the main thread, or
    // the run stopped) is never awaited, and its rejection is no unhandled one.
    result.catch(() => undefined);
    return result;
  }

  /** Stops the workers (their unfinished pieces are dropped). */
  async close(): Promise<void> {
    for (const pending of this.pending) {
      for (const waiting of pending.values()) waiting.reject(new Error('the scoring threads were stopped'));
      pending.clear();
    }
    this.failure ??= new Error('the scoring threads were stopped');
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/**
 * The worker's script: beside this module in the bundle (dist/score-worker.mjs) or in the
 * compiled package (dist/parallel/score-worker.js); run from the TypeScript sources (tests), the
 * compiled one.
 */
function workerScript(): string | undefined {
  for (const candidate of ['./score-worker.mjs', './score-worker.js', '../../dist/parallel/score-worker.js']) {
    const file = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(file)) return file;
  }
  return undefined;
}
