import { beforeAll, describe, expect, it } from 'vitest';

import { sampleMixture } from '../src/shared/mixture.js';
import { deriveSeed, Rng, STREAM } from '../src/shared/rng.js';
import type { Hyperparameters, TrialSpec } from '../src/shared/types.js';
import { FusedGanEngine } from './fused/engine.js';
import { nativeKernels } from './fused/kernels.js';
import { selectBackend, tf } from './tfjs/backend.js';
import { TfjsGanEngine } from './tfjs/engine.js';
import { checkpointSteps, trainGan, type TrainingResult } from './trainLoop.js';

const REFERENCE_TARGET = {
  components: [
    { weight: 0.4, mean: 0, variance: 4 },
    { weight: 0.3, mean: -6, variance: 4 },
    { weight: 0.3, mean: 6, variance: 4 },
  ],
};

const SMALL_CONFIG: Hyperparameters = {
  latent_dim: 4,
  g_hidden: 8,
  d_hidden: 8,
  lr_g: 0.001,
  lr_d: 0.001,
  beta1: 0.5,
  beta2: 0.999,
  batch_size: 32,
  steps: 12,
  d_steps: 2,
};

function spec(seed: number, config: Partial<Hyperparameters> = {}): TrialSpec {
  return {
    trialId: `test-s${seed}`,
    configId: 'test',
    seed,
    config: { ...SMALL_CONFIG, ...config },
    target: REFERENCE_TARGET,
    eval: { samples: 2000, checkpoints: 4, finalWindow: 0.5, successW1: 0.5, seed: 7 },
    backend: 'wasm',
    engine: 'tfjs',
  };
}

const realPool = sampleMixture(REFERENCE_TARGET, new Rng(1), new Float32Array(4096));

function train(trial: TrialSpec): TrainingResult {
  const engine = new TfjsGanEngine(trial.config, new Rng(deriveSeed(trial.seed, STREAM.init)), 'wasm');
  try {
    const result = trainGan(trial, realPool, engine, { onStep() {} });
    if (result.interrupted === true) throw new Error('training was interrupted without a stop request');
    return result;
  } finally {
    engine.dispose();
  }
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('checkpointSteps', () => {
  it('spreads checkpoints evenly and ends at the last step', () => {
    expect(checkpointSteps(10, 3)).toEqual([3, 7, 10]);
    expect(checkpointSteps(100, 10)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  it('drops duplicates when there are more checkpoints than steps', () => {
    expect(checkpointSteps(3, 10)).toEqual([1, 2, 3]);
  });
});

describe('trainGan', () => {
  it('leaves the tensor count unchanged after a trial', () => {
    const before = tf.memory().numTensors;
    train(spec(1));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('records every step, the checkpoints and the stability window', () => {
    const result = train(spec(1));
    expect(result.stepsDone).toBe(12);
    expect(result.diverged).toBe(false);
    expect(result.metrics.checkpoints.map((c) => c.step)).toEqual([3, 6, 9, 12]);
    expect(result.metrics.stability.windowEnd).toBe(12);
    expect(result.metrics.lossHistory.step.at(-1)).toBe(12);
    expect(result.metrics.w1).toBe(result.metrics.checkpoints[3].w1);
    expect(result.metrics.modeWeights).toHaveLength(3);
  });

  it('gives identical metrics for the same seed', () => {
    expect(train(spec(5))).toEqual(train(spec(5)));
  });

  it('gives different metrics for another seed', () => {
    expect(train(spec(5)).metrics.w1).not.toBe(train(spec(6)).metrics.w1);
  });

  it('reports every step to the hook', () => {
    const steps: number[] = [];
    const trial = spec(2);
    const engine = new TfjsGanEngine(trial.config, new Rng(3), 'wasm');
    trainGan(trial, realPool, engine, { onStep: (step) => steps.push(step) });
    engine.dispose();
    expect(steps).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('stops at the step where a stop is requested', () => {
    const trial = spec(2);
    const before = tf.memory().numTensors;
    const engine = new TfjsGanEngine(trial.config, new Rng(3), 'wasm');
    let step = 0;
    const result = trainGan(trial, realPool, engine, { onStep: (current) => (step = current), shouldStop: () => step === 5 });
    engine.dispose();
    expect(result).toEqual({ interrupted: true, stepsDone: 5 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('discards a step that a stop flag cut short', () => {
    const trial = spec(2);
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const engine = new FusedGanEngine(trial.config, new Rng(3), nativeKernels(), [flag]);
    // The flag is set after step 5 reports, so the kernels cut step 6 short.
    const result = trainGan(trial, realPool, engine, {
      onStep(current) {
        if (current === 5) Atomics.store(flag, 0, 1);
      },
    });
    expect(result).toEqual({ interrupted: true, stepsDone: 5 });
  });
});
