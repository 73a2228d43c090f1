/**
 * Memory benchmark: runs many short trials through the real pool and store, then prints
 * the resident set and the worker tensor counts at the start and at the end of the sweep.
 *
 *   npm run build && node dist/bench/memory.js [TRIALS]   (default 1000 trials)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseSweep } from '../src/config/index.js';
import { silentLogger } from '../src/coordinator/logger.js';
import type { SweepObserver } from '../src/coordinator/progress.js';
import { runSweep } from '../src/coordinator/sweep.js';
import { SweepStore } from '../src/store/sweepStore.js';

const trials = Number(process.argv[2] ?? 1000);
const seedsPerConfig = Math.ceil(trials / 2);
const sweep = parseSweep(
  `
name: memory-bench
grid: {latent_dim: 2, g_hidden: 4, d_hidden: 4, batch_size: 8, steps: 2, lr_d: [0.001, 0.0003]}
seeds: ${seedsPerConfig}
data: {pool_size: 4096}
eval: {samples: 1000, checkpoints: 1}
`,
  'memory-bench.yaml',
);

const quiet: SweepObserver = { trialStarted() {}, trialProgress() {}, trialNotice() {}, trialFinished() {} };
const out = mkdtempSync(join(tmpdir(), 'gansweep-memory-'));
const coordinatorRssBefore = process.memoryUsage.rss();
const started = performance.now();
await runSweep(sweep, { workers: 2, backend: 'wasm', outputRoot: out, logger: silentLogger, observer: quiet });
const seconds = (performance.now() - started) / 1000;
const coordinatorRssAfter = process.memoryUsage.rss();

const store = SweepStore.open(join(out, 'memory-bench', 'sweep.db'), { readonly: true });
const finished = store.trials().sort((a, b) => a.finishedAt!.localeCompare(b.finishedAt!));
store.close();

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const window = Math.max(1, Math.floor(finished.length / 20));
const head = finished.slice(0, window).map((trial) => trial.workerMemory!);
const tail = finished.slice(-window).map((trial) => trial.workerMemory!);
const peak = (values: number[]) => Math.max(...values);
const leaks = finished.filter((trial) => trial.workerMemory!.tensors !== trial.workerMemory!.tensorsBefore).length;

console.log(`${finished.length} trials in ${seconds.toFixed(1)} s on 2 workers (${(finished.length / seconds).toFixed(1)} trials/s)`);
console.log(`process RSS before the sweep:            ${mb(coordinatorRssBefore)} MB`);
console.log(`process RSS, peak over the first ${window} trials: ${mb(peak(head.map((m) => m.rssBytes)))} MB`);
console.log(`process RSS, peak over the last ${window} trials:  ${mb(peak(tail.map((m) => m.rssBytes)))} MB`);
console.log(`process RSS after the sweep:             ${mb(coordinatorRssAfter)} MB`);
console.log(`worker heap, peak first / last ${window} trials:   ${mb(peak(head.map((m) => m.heapUsedBytes)))} / ${mb(peak(tail.map((m) => m.heapUsedBytes)))} MB`);
console.log(`worker tensors after the first / last trial:  ${head[0].tensors} / ${tail[tail.length - 1].tensors}`);
console.log(`trials whose worker ended with more tensors than it started with: ${leaks}`);
console.log(`results in ${out}`);
