/**
 * Memory stays flat over many short trials: each trial releases every tensor it made,
 * and neither the worker heap nor the process resident set grows with the trial count.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { SweepStore } from '../src/store/sweepStore.js';
import { runCli, temporaryDirectory, writeGrid } from './helpers.js';

// 2 configurations × 100 seeds of 2 steps: 200 trials that are almost all overhead.
const GRID = `
name: memory
grid:
  latent_dim: 2
  g_hidden: 4
  d_hidden: 4
  batch_size: 8
  steps: 2
  lr_d: [0.001, 0.0003]
seeds: 100
data:
  pool_size: 4096
eval:
  samples: 1000
  checkpoints: 1
`;

const MB = 1024 * 1024;

describe('memory over many trials', () => {
  it('keeps tensors, heap and RSS flat', async () => {
    const directory = temporaryDirectory();
    const out = join(directory, 'runs');

    // The tfjs engine, because the fused engine creates no tensors to count.
    const run = await runCli(['run', writeGrid(directory, 'grid', GRID), '--out', out, '--workers', '2', '--engine', 'tfjs', '--backend', 'wasm']);

    expect(run.code).toBe(0);
    const store = SweepStore.open(join(out, 'memory', 'sweep.db'), { readonly: true });
    const trials = store.trials().sort((a, b) => a.finishedAt!.localeCompare(b.finishedAt!));
    store.close();
    expect(trials).toHaveLength(200);
    for (const trial of trials) {
      expect(trial.engine, trial.trialId).toBe('tfjs');
      expect(trial.workerMemory!.tensors, trial.trialId).toBe(trial.workerMemory!.tensorsBefore);
    }

    const first = trials.slice(20, 70).map((trial) => trial.workerMemory!);
    const last = trials.slice(-50).map((trial) => trial.workerMemory!);
    const max = (values: number[]) => Math.max(...values);
    // Garbage collection makes the heap saw-tooth, so the bound compares peaks with slack.
    expect(max(last.map((m) => m.heapUsedBytes))).toBeLessThan(max(first.map((m) => m.heapUsedBytes)) * 1.5 + 16 * MB);
    expect(max(last.map((m) => m.rssBytes))).toBeLessThan(max(first.map((m) => m.rssBytes)) + 64 * MB);
  });
});
