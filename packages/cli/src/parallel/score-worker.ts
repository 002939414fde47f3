/**
 * The worker thread of `rubric score` in pieces: takes the run's setup, then scores the pieces it
 * is sent, in the order sent, and posts each one's result back (see worker-pool.ts).
 */
import { parentPort } from 'node:worker_threads';
import { PieceScorer } from './piece-scorer.js';
import type { WorkerMessage, WorkerRequest } from './worker-pool.js';

const port = parentPort;
if (port === null) throw new Error('score-worker runs as a worker thread');
let scorer: PieceScorer | undefined;
// One piece at a time: the scorer's writer gathers one piece's lines until they are taken.
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: WorkerRequest) => {
  queue = queue.then(async () => {
    if (request.kind === 'setup') {
      scorer = new PieceScorer(request.setup);
      return;
    }
    const { job } = request;
    try {
      if (scorer === undefined) throw new Error('a piece came before the setup');
      const result = await scorer.score(job);
      const message: WorkerMessage = { kind: 'result', result };
      // The output's bytes are moved, not copied, to the main thread.
      port.postMessage(message, [result.output.buffer as ArrayBuffer]);
    } catch (error) {
      const message: WorkerMessage = { kind: 'failed', seq: job.seq, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
      port.postMessage(message);
    }
  });
});
