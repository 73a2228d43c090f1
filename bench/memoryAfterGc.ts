/**
 * Memory after garbage collection: runs many short trials through the worker's trial
 * function in this thread, forcing a full collection every 500 trials, and prints the
 * heap and resident set after each collection. Without forced collections V8 lets the
 * heap grow to higher peaks before it collects, which hides whether memory is retained.
 *
 *   npm run build && node --expose-gc dist/bench/memoryAfterGc.js [TRIALS]   (default 5000)
 */
import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';

import { parseSweep } from '../src/config/index.js';
import { createRealPool } from '../src/coordinator/realPool.js';
import { trialSpecs } from '../src/coordinator/sweep.js';
import { nodeEndpoint } from '../src/shared/comlinkNode.js';
import runTrialTask from '../workers/trialWorker.js';

const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) {
  console.error('run with node --expose-gc so that the benchmark can force collections');
  process.exit(2);
}

const trials = Number(process.argv[2] ?? 5000);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

for (const engine of ['tfjs', 'fused'] as const) {
  const sweep = parseSweep(
    `name: gc\ngrid: {latent_dim: 2, g_hidden: 4, d_hidden: 4, batch_size: 8, steps: 2}\nseeds: ${trials}\n` +
      'data: {pool_size: 4096}\neval: {samples: 1000, checkpoints: 1}\n',
    'gc.yaml',
  );
  const realPool = createRealPool(sweep.target, sweep.data);
  const stopFlag = new SharedArrayBuffer(4);
  const specs = trialSpecs(sweep, engine === 'tfjs' ? 'wasm' : 'auto', engine);
  const lines: string[] = [];
  for (let i = 0; i < specs.length; i++) {
    const channel = new MessageChannel();
    Comlink.expose({ report() {}, notice() {} }, nodeEndpoint(channel.port1));
    await runTrialTask({ spec: specs[i], attempt: 1, realPool, stopFlag, abortFlag: stopFlag, progressPort: channel.port2, progressIntervalMs: 250 });
    channel.port1.close();
    if ((i + 1) % 500 === 0) {
      collect();
      await new Promise((resolve) => setTimeout(resolve, 10));
      collect();
      const usage = process.memoryUsage();
      lines.push(`${String(i + 1).padStart(6)} trials: heap ${mb(usage.heapUsed)} MB, RSS ${mb(usage.rss)} MB`);
    }
  }
  console.log(`${engine} engine, after forced collections:\n${lines.join('\n')}`);
}
