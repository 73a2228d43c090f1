/**
 * Entry point of a piscina worker thread: trains one trial per task and returns its
 * outcome as plain data. A failure inside the trial becomes a `failed` outcome with the
 * error's code and message, because Error objects lose their custom fields when they cross
 * the thread boundary.
 */
import * as Comlink from 'comlink';
import { nodeEndpoint } from '../src/shared/comlinkNode.js';
import type { MessagePort } from 'node:worker_threads';

import { deriveSeed, Rng, STREAM } from '../src/shared/rng.js';
import type { BackendName, ProgressSink, TrialOutcome, TrialSpec } from '../src/shared/types.js';
import { selectBackend } from './tfjs/backend.js';
import { TfjsGanEngine } from './tfjs/engine.js';
import { trainGan } from './trainLoop.js';

/** The task the coordinator sends for one trial. */
export interface TrialTask {
  spec: TrialSpec;
  /** Float32 real samples from the target, shared by every worker without copying. */
  realPool: SharedArrayBuffer;
  /** Port on which the coordinator exposes a ProgressSink through comlink. */
  progressPort: MessagePort;
  /** Minimum milliseconds between two progress reports. */
  progressIntervalMs: number;
}

export default async function runTrialTask(task: TrialTask): Promise<TrialOutcome> {
  const { spec } = task;
  const started = performance.now();
  const sink = Comlink.wrap<ProgressSink>(nodeEndpoint(task.progressPort));
  let backend: BackendName | null = null;
  let stepsDone = 0;

  try {
    const selection = await selectBackend(spec.backend);
    backend = selection.backend;
    if (selection.notice !== null) void sink.notice(spec.trialId, selection.notice);

    const engine = new TfjsGanEngine(spec.config, new Rng(deriveSeed(spec.seed, STREAM.init)), backend);
    let lastReport = 0;
    try {
      const result = trainGan(spec, new Float32Array(task.realPool), engine, {
        onStep(step, dLoss, gLoss) {
          stepsDone = step;
          const now = performance.now();
          if (now - lastReport < task.progressIntervalMs && step !== spec.config.steps) return;
          lastReport = now;
          void sink.report({ trialId: spec.trialId, step, steps: spec.config.steps, dLoss, gLoss });
        },
      });
      return {
        trialId: spec.trialId,
        configId: spec.configId,
        seed: spec.seed,
        status: result.diverged ? 'diverged' : 'done',
        metrics: result.metrics,
        error: result.diverged
          ? { code: 'GS_TRIAL_DIVERGED', message: `a loss or a generated sample became NaN or Inf at step ${result.stepsDone}` }
          : null,
        backend,
        durationMs: performance.now() - started,
        stepsDone: result.stepsDone,
      };
    } finally {
      engine.dispose();
    }
  } catch (error) {
    return {
      trialId: spec.trialId,
      configId: spec.configId,
      seed: spec.seed,
      status: 'failed',
      metrics: null,
      error: {
        code: errorCode(error),
        message: error instanceof Error ? error.message : String(error),
        stack: error instanceof Error ? error.stack : undefined,
      },
      backend,
      durationMs: performance.now() - started,
      stepsDone,
    };
  } finally {
    // Closing the port ends the comlink channel on both sides; reports already posted are
    // still delivered, and the coordinator stops listening once the task settles.
    task.progressPort.close();
  }
}

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return 'GS_TRIAL_ERROR';
}
