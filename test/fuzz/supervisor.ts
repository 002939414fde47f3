/**
 * Runs {@link checkInput} in a separate Node process (worker.ts, under tsx) with a memory cap and a
 * time limit per input: an input that hangs, overflows the stack past recovery or exhausts memory
 * becomes a `hang` or `crash` failure of the stage that was running, the process is killed and a
 * new one takes the next input. Without this, one expansion bomb would end the whole run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CheckOptions, Failure, InputReport, Stage } from './check-input.js';
import { REPOSITORY_ROOT } from './corpus.js';
import type { WorkerAnswer, WorkerRequest } from './worker.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const TSCONFIG = fileURLToPath(new URL('./tsconfig.json', import.meta.url));

export interface SupervisorOptions {
  /** An input not answered within this time (ms) is a hang. */
  readonly inputTimeoutMs: number;
  /** The worker's heap limit (MB); past it the input is a crash. */
  readonly memoryMb: number;
  readonly check: Omit<CheckOptions, 'onStage'>;
}

/** What checking one input gave: the worker's report, or a hang or crash of the worker. */
export type Outcome = { readonly kind: 'report'; readonly report: InputReport } | { readonly kind: 'died'; readonly failure: Failure; readonly elapsedMs: number };

interface Pending {
  readonly id: number;
  readonly started: number;
  stage: Stage;
  readonly resolve: (outcome: Outcome) => void;
  readonly timer: NodeJS.Timeout;
}

/** One worker process, restarted whenever it dies; inputs are checked one at a time. */
export class FuzzWorker {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private pending: Pending | undefined;
  private stderr = '';
  private stdoutRest = '';
  private nextId = 1;
  /** How many times a worker process had to be replaced. */
  restarts = 0;

  constructor(private readonly options: SupervisorOptions) {}

  private start(): Promise<void> {
    this.stderr = '';
    this.stdoutRest = '';
    const child = fork(WORKER, [], {
      cwd: REPOSITORY_ROOT,
      execArgv: ['--import', 'tsx', `--max-old-space-size=${this.options.memoryMb}`],
      env: { ...process.env, TSX_TSCONFIG_PATH: TSCONFIG },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      const text = this.stdoutRest + chunk;
      const lines = text.split('\n');
      this.stdoutRest = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^stage (\d+) (\S+)$/.exec(line);
        if (match !== null && this.pending !== undefined && Number(match[1]) === this.pending.id) this.pending.stage = match[2] as Stage;
      }
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    return new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (this.child === child) this.child = undefined;
        this.ready = undefined;
        reject(new Error(`the fuzz worker exited before it was ready (code ${code}, signal ${signal}):\n${this.stderr}`));
      };
      child.once('exit', onExit);
      child.on('message', (message: WorkerAnswer | { ready: true }) => {
        if ('ready' in message) {
          child.off('exit', onExit);
          child.on('exit', (code, signal) => this.onExit(child, code, signal));
          resolve();
          return;
        }
        const pending = this.pending;
        if (pending === undefined || pending.id !== message.id) return;
        this.pending = undefined;
        clearTimeout(pending.timer);
        pending.resolve({ kind: 'report', report: message.report });
      });
    });
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child === child) {
      this.child = undefined;
      this.ready = undefined;
    }
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    this.restarts++;
    const outOfMemory = /heap out of memory|allocation failed|Reached heap limit/i.test(this.stderr);
    const stackOverflow = /Maximum call stack|stack overflow/i.test(this.stderr);
    const message = outOfMemory
      ? `the worker ran out of memory (heap limit ${this.options.memoryMb} MB)`
      : stackOverflow
        ? 'the worker died of a stack overflow'
        : `the worker died (exit code ${code}, signal ${signal}): ${this.stderr.trim().split('\n').slice(-1)[0] ?? ''}`.slice(0, 300);
    pending.resolve({ kind: 'died', failure: { stage: pending.stage, kind: 'crash', message }, elapsedMs: performance.now() - pending.started });
  }

  /**
   * Checks one text in the worker (with `editFrom`, only the edit from that text to this one).
   * The time limit grows with the text (every stage reads all of it, the formatter several
   * times): `inputTimeoutMs` plus 100 ms per KB by default.
   */
  async check(text: string, timeoutMs = this.options.inputTimeoutMs + Math.ceil(text.length / 1024) * 100, editFrom?: string): Promise<Outcome> {
    if (this.pending !== undefined) throw new Error('FuzzWorker.check: one input at a time');
    this.ready ??= this.start();
    await this.ready;
    const child = this.child;
    if (child === undefined) throw new Error('the fuzz worker is not running');
    const id = this.nextId++;
    return new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => {
        const pending = this.pending;
        if (pending === undefined || pending.id !== id) return;
        this.pending = undefined;
        this.restarts++;
        // Our own child: stop it and let the next input start a fresh one.
        if (this.child === child) {
          this.child = undefined;
          this.ready = undefined;
        }
        child.kill('SIGKILL');
        resolve({ kind: 'died', failure: { stage: pending.stage, kind: 'hang', message: `no answer within ${timeoutMs} ms` }, elapsedMs: timeoutMs });
      }, timeoutMs);
      this.pending = { id, started: performance.now(), stage: 'analyze', resolve, timer };
      const request: WorkerRequest = editFrom === undefined ? { id, text, options: this.options.check } : { id, text, editFrom, options: this.options.check };
      child.send(request);
    });
  }

  /** Stops the worker process. */
  close(): void {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (child !== undefined && child.exitCode === null) child.kill();
  }
}
