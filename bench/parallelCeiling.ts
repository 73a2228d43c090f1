/**
 * The machine's scaling ceiling for two busy threads, measured without gansweep's
 * coordinator: plain worker threads that only run fused-engine steps, one alone and then
 * two at once, each doing the same number of steps. Wall(1) ÷ Wall(2) is the scaling efficiency a
 * perfect scheduler could reach here. On a shared or virtual machine it is often below 1,
 * because other guests, turbo limits or a host SMT sibling slow a core when both are busy.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import { median } from './timing.js';

export interface ParallelCeiling {
  stepsPerThread: number;
  repeats: number;
  /** Wall seconds of each repeat with one thread, in order. */
  oneThreadSeconds: number[];
  /** Wall seconds of each repeat with two threads at once, until both finish. */
  twoThreadSeconds: number[];
  /** median(oneThreadSeconds) ÷ median(twoThreadSeconds). */
  efficiency: number;
}

const WORKER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'stepWorker.js');

/** Starts `threads` step workers, releases them together and resolves with the wall seconds until the last one finishes. */
async function runThreads(threads: number, steps: number): Promise<number> {
  const start = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_SCRIPT, { workerData: { steps, start } }));
  // Each worker posts 'ready' and then, after the timed loop, its seconds.
  const ready: Array<Promise<void>> = [];
  const finished: Array<Promise<number>> = [];
  for (const worker of workers) {
    ready.push(new Promise((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    }));
    finished.push(ready[ready.length - 1].then(() => new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    })));
  }
  await Promise.all(ready);

  const started = performance.now();
  Atomics.store(new Int32Array(start), 0, 1);
  Atomics.notify(new Int32Array(start), 0);
  await Promise.all(finished);
  const seconds = (performance.now() - started) / 1000;

  await Promise.all(workers.map((worker) => worker.terminate()));
  return seconds;
}

/** Runs one thread and then two threads of `stepsPerThread` steps each, alternating, `repeats` times. */
export async function measureParallelCeiling(stepsPerThread: number, repeats: number): Promise<ParallelCeiling> {
  const oneThreadSeconds: number[] = [];
  const twoThreadSeconds: number[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    oneThreadSeconds.push(await runThreads(1, stepsPerThread));
    twoThreadSeconds.push(await runThreads(2, stepsPerThread));
  }
  return {
    stepsPerThread,
    repeats,
    oneThreadSeconds,
    twoThreadSeconds,
    efficiency: median(oneThreadSeconds) / median(twoThreadSeconds),
  };
}
