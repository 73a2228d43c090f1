import { afterAll, describe, expect, it } from 'vitest';

import { parseSweep } from '../src/config/index.js';
import { silentLogger } from '../src/coordinator/logger.js';
import { PiscinaExecutor } from '../src/coordinator/piscinaExecutor.js';
import { createRealPool } from '../src/coordinator/realPool.js';
import { trialSpecs } from '../src/coordinator/sweep.js';
import type { ProgressReport, ProgressSink } from '../src/shared/types.js';

const sweep = parseSweep(
  `
name: executor
grid: {latent_dim: 4, g_hidden: 8, d_hidden: 8, batch_size: 32, steps: 30}
seeds: [1, 2, 3]
data: {pool_size: 4096}
eval: {samples: 1000, checkpoints: 3}
`,
  'executor.yaml',
);

const executor = new PiscinaExecutor({ workers: 2, realPool: createRealPool(sweep.target, sweep.data), logger: silentLogger });
afterAll(() => executor.close());

class RecordingSink implements ProgressSink {
  readonly reports: ProgressReport[] = [];
  readonly notices: string[] = [];
  report(report: ProgressReport): void {
    this.reports.push(report);
  }
  notice(_trialId: string, message: string): void {
    this.notices.push(message);
  }
}

describe('PiscinaExecutor', () => {
  it('streams progress through the comlink channel', async () => {
    const sink = new RecordingSink();
    const outcome = await executor.run(trialSpecs(sweep, 'auto')[0], sink, { attempt: 1 });

    expect(outcome.status).toBe('done');
    expect(outcome.engine).toBe('fused');
    const last = sink.reports.at(-1)!;
    expect(last.step).toBe(30);
    expect(last.steps).toBe(30);
    expect(Number.isFinite(last.dLoss)).toBe(true);
  });

  it('runs the tfjs engine when requested', async () => {
    const sink = new RecordingSink();
    const outcome = await executor.run(trialSpecs(sweep, 'auto', 'tfjs')[0], sink, { attempt: 1 });

    expect(outcome.status).toBe('done');
    expect(outcome.engine).toBe('tfjs');
    // tfjs-node is not installed here, so the auto backend falls back to wasm and sends a notice.
    expect(outcome.backend).toBe('wasm');
    expect(sink.notices.join('\n')).toContain('@tensorflow/tfjs-node is not installed; using the wasm backend');
  });

  it('leaves the worker tensor count unchanged', async () => {
    for (const spec of trialSpecs(sweep, 'wasm', 'tfjs')) {
      const outcome = await executor.run(spec, new RecordingSink(), { attempt: 1 });
      expect(outcome.workerMemory!.tensorsBefore).toBeGreaterThanOrEqual(0);
      expect(outcome.workerMemory!.tensors).toBe(outcome.workerMemory!.tensorsBefore);
    }
    // The fused engine creates no tensors, so it reports none.
    for (const spec of trialSpecs(sweep, 'wasm', 'fused')) {
      const outcome = await executor.run(spec, new RecordingSink(), { attempt: 1 });
      expect(outcome.workerMemory!.tensorsBefore).toBeNull();
      expect(outcome.workerMemory!.tensors).toBeNull();
      expect(outcome.workerMemory!.heapUsedBytes).toBeGreaterThan(0);
    }
  });

  it('records a throwing trial as failed', async () => {
    // An evaluation of zero samples makes the metrics code throw inside the worker.
    const spec = trialSpecs(sweep, 'wasm')[1];
    const outcome = await executor.run({ ...spec, eval: { ...spec.eval, samples: 0 } }, new RecordingSink(), { attempt: 1 });

    expect(outcome.status).toBe('failed');
    expect(outcome.error?.code).toBe('GS_TRIAL_ERROR');
    expect(outcome.error?.message).toContain('samples must not be empty');
    expect(outcome.backend).toBe('wasm');
  });

  it('falls back to wasm with a message when tfjs-node is requested', async () => {
    const sink = new RecordingSink();
    const outcome = await executor.run(trialSpecs(sweep, 'node', 'tfjs')[0], sink, { attempt: 1 });
    expect(outcome.status).toBe('done');
    expect(outcome.backend).toBe('wasm');
    expect(sink.notices.join('\n')).toContain('backend "node" requested');
  });
});
