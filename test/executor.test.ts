import { afterAll, describe, expect, it } from 'vitest';

import { parseSweep } from '../src/config/index.js';
import { silentLogger } from '../src/coordinator/logger.js';
import { PiscinaExecutor } from '../src/coordinator/piscinaExecutor.js';
import type { SweepObserver } from '../src/coordinator/progress.js';
import { createRealPool } from '../src/coordinator/realPool.js';
import { runTrials } from '../src/coordinator/runTrials.js';
import { trialSpecs } from '../src/coordinator/sweep.js';
import type { ProgressReport, TrialOutcome } from '../src/shared/types.js';

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

class RecordingObserver implements SweepObserver {
  readonly reports: ProgressReport[] = [];
  readonly notices: string[] = [];
  readonly finished: string[] = [];
  trialStarted(): void {}
  trialProgress(report: ProgressReport): void {
    this.reports.push(report);
  }
  trialNotice(_trialId: string, message: string): void {
    this.notices.push(message);
  }
  trialFinished(outcome: TrialOutcome): void {
    this.finished.push(outcome.trialId);
  }
}

describe('PiscinaExecutor', () => {
  it('streams progress through the comlink channel', async () => {
    const observer = new RecordingObserver();
    const [outcome] = await runTrials(executor, trialSpecs(sweep, 'auto').slice(0, 1), observer);

    expect(outcome.status).toBe('done');
    const last = observer.reports.at(-1)!;
    expect(last.step).toBe(30);
    expect(last.steps).toBe(30);
    expect(Number.isFinite(last.dLoss)).toBe(true);
    // tfjs-node is not installed here, so auto falls back to wasm and sends a notice.
    expect(outcome.backend).toBe('wasm');
    expect(observer.notices.join('\n')).toContain('using the wasm backend');
  });

  it('records a throwing trial as failed while the others finish', async () => {
    const specs = trialSpecs(sweep, 'wasm');
    // An evaluation of zero samples makes the metrics code throw inside the worker.
    specs[1] = { ...specs[1], eval: { ...specs[1].eval, samples: 0 } };
    const observer = new RecordingObserver();

    const outcomes = await runTrials(executor, specs, observer);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['done', 'failed', 'done']);
    expect(outcomes.map((outcome) => outcome.trialId)).toEqual(specs.map((spec) => spec.trialId));
    expect(outcomes[1].error?.code).toBe('GS_TRIAL_ERROR');
    expect(outcomes[1].error?.message).toContain('samples must not be empty');
    expect(outcomes[1].backend).toBe('wasm');
    expect(observer.finished.sort()).toEqual(specs.map((spec) => spec.trialId).sort());
  });

  it('falls back to wasm with a message when tfjs-node is requested', async () => {
    const observer = new RecordingObserver();
    const [outcome] = await runTrials(executor, trialSpecs(sweep, 'node').slice(0, 1), observer);
    expect(outcome.status).toBe('done');
    expect(outcome.backend).toBe('wasm');
    expect(observer.notices.join('\n')).toContain('backend "node" requested');
  });
});
