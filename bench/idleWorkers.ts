/**
 * Child process of the resident-memory benchmark. It starts a piscina pool of N worker
 * threads (N may be 0) and runs one one-step trial on each, so that every thread has
 * loaded tfjs, its wasm backend and the fused engine. Then it waits while they sit idle
 * and prints the process's resident set as JSON on stdout. Each N runs in a fresh
 * process, because a process's RSS does not shrink back when threads exit.
 *
 *   node dist/bench/idleWorkers.js N
 */
import { parseSweep } from '../src/config/index.js';
import { silentLogger } from '../src/coordinator/logger.js';
import { PiscinaExecutor } from '../src/coordinator/piscinaExecutor.js';
import { createRealPool } from '../src/coordinator/realPool.js';
import { trialSpecs } from '../src/coordinator/sweep.js';
import type { ProgressSink } from '../src/shared/types.js';

/** Milliseconds the threads sit idle before the resident set is read. */
const IDLE_MS = 1000;

const workers = Number(process.argv[2]);
if (!Number.isInteger(workers) || workers < 0) {
  throw new RangeError(`idleWorkers: the worker count must be an integer ≥ 0, received ${JSON.stringify(process.argv[2])}`);
}

const sweep = parseSweep(
  [
    'name: bench-idle-workers',
    'grid: {latent_dim: 8, g_hidden: 32, d_hidden: 32, batch_size: 256, steps: 1}',
    `seeds: ${Math.max(workers, 1)}`,
    'data: {pool_size: 65536}',
    'eval: {samples: 1000, checkpoints: 1}',
  ].join('\n'),
  'bench-idle-workers.yaml',
);
const realPool = createRealPool(sweep.target, sweep.data);
const ignoreProgress: ProgressSink = { report() {}, notice() {} };

let engines: string[] = [];
let executor: PiscinaExecutor | null = null;
if (workers > 0) {
  executor = new PiscinaExecutor({ workers, realPool, logger: silentLogger });
  // One trial per thread at once: with one task per worker, piscina gives each its own thread.
  const outcomes = await Promise.all(
    trialSpecs(sweep, 'auto').map((spec) => executor!.run(spec, ignoreProgress, { attempt: 1 })),
  );
  engines = outcomes.map((outcome) => `${outcome.engine ?? '?'}/${outcome.backend ?? '?'}`);
  const failed = outcomes.find((outcome) => outcome.status !== 'done');
  if (failed !== undefined) throw new Error(`idleWorkers: trial ${failed.trialId} ended ${failed.status}: ${failed.error?.message}`);
}

await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
const rssBytes = process.memoryUsage.rss();
await executor?.close();
process.stdout.write(JSON.stringify({ workers, rssBytes, engines }) + '\n');
