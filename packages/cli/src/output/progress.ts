import cliProgress from 'cli-progress';
import type { CommandContext } from '../context.js';

/**
 * The progress bar of `rubric score`: bytes read against the file size (so the ETA holds for
 * any row size), rows so far and rows per second. Only on a terminal; when stderr is piped or
 * redirected there is no bar at all.
 */
export class ScoreProgress {
  private readonly started = Date.now();
  private lastDraw = 0;

  private constructor(
    private readonly bars: cliProgress.MultiBar,
    private readonly bar: cliProgress.SingleBar,
    private readonly total: number | undefined,
  ) {}

  /** A progress bar on stderr when it is a terminal (and not disabled); otherwise undefined. */
  static create(context: CommandContext, total: number | undefined, enabled: boolean): ScoreProgress | undefined {
    if (!enabled || !context.io.isTTY.stderr || context.io.env.CI) return undefined;
    const known = total !== undefined && total > 0;
    const bars = new cliProgress.MultiBar(
      {
        stream: context.io.stderr,
        format: known
          ? 'scoring {bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}'
          : 'scoring | {rows} rows | {rate} rows/s | {duration_formatted}',
        hideCursor: true,
        clearOnComplete: true,
        fps: 8,
        etaBuffer: 50,
        barsize: 30,
      },
      cliProgress.Presets.shades_classic,
    );
    const bar = bars.create(known ? total : 1, 0, { rows: 0, rate: 0 });
    return new ScoreProgress(bars, bar, known ? total : undefined);
  }

  /** Updates the bar (cheap to call for every row: it redraws at most ten times a second). */
  update(rows: number, bytes: number): void {
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    this.bar.update(this.total === undefined ? 0 : Math.min(bytes, this.total), { rows, rate: Math.round(rows / seconds) });
    // Drawn now rather than on the bar's own timer: a run can end before that timer first fires
    // (then no progress was ever shown), and this is at most ten times a second anyway.
    this.bars.update();
  }

  /** Prints a line above the bar. */
  log(line: string): void {
    this.bars.log(line.endsWith('\n') ? line : `${line}\n`);
  }

  stop(): void {
    this.bars.stop();
  }
}
