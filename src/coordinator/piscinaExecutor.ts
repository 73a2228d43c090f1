/** Runs trials on a local piscina worker-thread pool. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { nodeEndpoint } from '../shared/comlinkNode.js';
import { Piscina } from 'piscina';

import type { ProgressSink, TrialOutcome, TrialSpec, TrialTask } from '../shared/types.js';
import type { Logger } from './logger.js';
import type { TrialExecutor, TrialRunOptions } from './executor.js';

/** Minimum milliseconds between two progress reports from one trial. */
export const PROGRESS_INTERVAL_MS = 250;

export interface PiscinaExecutorOptions {
  /** Number of worker threads. */
  workers: number;
  /** The sweep's real-sample pool, shared with every worker. */
  realPool: SharedArrayBuffer;
  logger: Logger;
}

/**
 * Finds the compiled worker script. Worker threads load plain JavaScript, so the script is
 * always taken from the package's `dist/` folder, both when the coordinator itself runs
 * compiled (`dist/src/coordinator/`) and when it runs from TypeScript sources under Vitest.
 */
export function workerScriptPath(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'gansweep') break;
    const parent = dirname(directory);
    if (parent === directory) throw new Error('failed to locate the gansweep package root above ' + fileURLToPath(import.meta.url));
    directory = parent;
  }
  const script = join(directory, 'dist', 'workers', 'trialWorker.js');
  if (!existsSync(script)) {
    throw new Error(`worker script not found at ${script}; run "npm run build" first`);
  }
  return script;
}

export class PiscinaExecutor implements TrialExecutor {
  readonly capacity: number;
  private readonly pool: Piscina;
  private readonly realPool: SharedArrayBuffer;
  private readonly stopFlag = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);

  constructor(options: PiscinaExecutorOptions) {
    this.capacity = options.workers;
    this.realPool = options.realPool;
    this.pool = new Piscina({
      filename: workerScriptPath(),
      minThreads: options.workers,
      maxThreads: options.workers,
      // Workers stay alive between trials so each loads tfjs and its backend only once.
      idleTimeout: Number.POSITIVE_INFINITY,
      concurrentTasksPerWorker: 1,
    });
    // Errors outside a task (a worker that fails to start, for example) would otherwise
    // be an unhandled 'error' event and end the process without a word.
    this.pool.on('error', (error: Error) => {
      options.logger.error(`worker thread error: ${error.message}`);
    });
  }

  async run(spec: TrialSpec, progress: ProgressSink, options: TrialRunOptions): Promise<TrialOutcome> {
    const channel = new MessageChannel();
    Comlink.expose(progress, nodeEndpoint(channel.port1));
    const abortFlag = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    // Registered before piscina's own listener, so the flag is set before the worker is terminated.
    options.signal?.addEventListener('abort', () => Atomics.store(new Int32Array(abortFlag), 0, 1), { once: true });
    const task: TrialTask = {
      spec,
      attempt: options.attempt,
      realPool: this.realPool,
      stopFlag: this.stopFlag,
      abortFlag,
      progressPort: channel.port2,
      progressIntervalMs: PROGRESS_INTERVAL_MS,
    };
    try {
      // piscina terminates the worker thread when the signal aborts and starts a new one.
      return await this.pool.run(task, { transferList: [channel.port2], signal: options.signal ?? null });
    } finally {
      channel.port1.close();
    }
  }

  requestStop(): void {
    Atomics.store(new Int32Array(this.stopFlag), 0, 1);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
