/**
 * The fuzzer's worker process: checks the inputs the supervisor sends (see supervisor.ts) one at a
 * time and answers with their reports. It runs apart from the supervisor so an input that hangs or
 * exhausts memory kills only this process, and the supervisor reports it and starts a new one.
 *
 * Before each stage it writes `stage ID NAME` on stdout (synchronous for a pipe on Linux and
 * macOS), so the supervisor knows which stage was running when the process stopped answering.
 */
import { checkEditPair, checkInput, describeError, type CheckOptions, type InputReport } from './check-input.js';

/** A request from the supervisor. */
export interface WorkerRequest {
  readonly id: number;
  readonly text: string;
  /** Check only the edit from this text to `text` (checkEditPair), not every stage. */
  readonly editFrom?: string;
  readonly options: Omit<CheckOptions, 'onStage'>;
}

/** The answer to a request. */
export interface WorkerAnswer {
  readonly id: number;
  readonly report: InputReport;
}

/**
 * With RUBRIC_FUZZ_WORKER_SELF_TEST=1 (harness.test.ts only), these texts make the worker hang,
 * run out of memory or exit, to test that the supervisor survives each.
 */
function selfTest(text: string): void {
  if (process.env.RUBRIC_FUZZ_WORKER_SELF_TEST !== '1') return;
  if (text === '\u0000hang') for (;;);
  if (text === '\u0000exit') process.exit(3);
  if (text === '\u0000oom') {
    const hoard: string[][] = [];
    for (;;) hoard.push(Array.from({ length: 1e5 }, (_, i) => `${i}-${hoard.length}`));
  }
}

process.on('message', (request: WorkerRequest) => {
  selfTest(request.text);
  let report: InputReport;
  try {
    report =
      request.editFrom !== undefined
        ? { failures: checkEditPair(request.editFrom, request.text), timings: {}, hasErrors: true }
        : checkInput(request.text, { ...request.options, onStage: (stage) => void process.stdout.write(`stage ${request.id} ${stage}\n`) });
  } catch (error) {
    // checkInput catches every stage's errors; this is a bug in the fuzzer itself.
    report = { failures: [{ stage: 'analyze', kind: 'throws', message: `the fuzzer itself failed: ${describeError(error)}` }], timings: {}, hasErrors: true };
  }
  const answer: WorkerAnswer = { id: request.id, report };
  process.send?.(answer);
});
process.send?.({ ready: true });
