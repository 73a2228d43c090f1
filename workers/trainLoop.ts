/**
 * Trains one trial with any GanEngine: draws every minibatch and noise vector from the
 * trial's seeded streams, records both losses at every step, evaluates at checkpoints and
 * returns the trial's metrics. Nothing here depends on the backend or on the worker that
 * runs it, which is what makes a trial's metrics reproducible.
 */
import { deriveSeed, Rng, STREAM } from '../src/shared/rng.js';
import { evaluateSamples } from '../src/shared/metrics.js';
import { mixtureStd } from '../src/shared/mixture.js';
import { computeStability, downsampleLosses } from '../src/shared/stability.js';
import type { Checkpoint, TrialMetrics, TrialSpec } from '../src/shared/types.js';
import type { GanEngine } from './engine.js';
import { recordPlotData } from './plotData.js';

/** Callbacks the loop uses to report progress and to ask whether it should stop early. */
export interface TrainingHooks {
  /** Called after every step; the caller decides how often to forward it. */
  onStep(step: number, dLoss: number, gLoss: number): void;
  /** Asked after every step; true ends training early and the result is marked interrupted. */
  shouldStop?(): boolean;
}

/** Training that ended early because `shouldStop` returned true; it has no metrics. */
export interface InterruptedTraining {
  interrupted: true;
  stepsDone: number;
}

export interface TrainingResult {
  interrupted?: false;
  metrics: TrialMetrics;
  stepsDone: number;
  /** True when a loss or a generated sample became NaN or ±Inf. */
  diverged: boolean;
}

/** Steps (1-based) at which the generator is evaluated: `count` evenly spaced, the last one at `steps`. */
export function checkpointSteps(steps: number, count: number): number[] {
  const result = new Set<number>();
  for (let i = 1; i <= count; i++) result.add(Math.max(1, Math.round((i * steps) / count)));
  return [...result].sort((a, b) => a - b);
}

/**
 * Fixed evaluation noise, identical for every checkpoint and every trial with the same
 * latent size and evaluation seed, so checkpoints differ only by the generator's weights.
 */
export function evaluationNoise(spec: TrialSpec): Float32Array {
  const rng = new Rng(deriveSeed(spec.eval.seed, STREAM.evalNoise));
  return rng.fillNormal(new Float32Array(spec.eval.samples * spec.config.latent_dim));
}

function fillRealBatch(pool: Float32Array, rng: Rng, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = pool[rng.nextInt(pool.length)];
}

export function trainGan(
  spec: TrialSpec,
  realPool: Float32Array,
  engine: GanEngine,
  hooks: TrainingHooks,
): TrainingResult | InterruptedTraining {
  const { steps, d_steps: dSteps, batch_size: batchSize, latent_dim: latentDim } = spec.config;
  const indexRng = new Rng(deriveSeed(spec.seed, STREAM.realIndex));
  const noiseRng = new Rng(deriveSeed(spec.seed, STREAM.noise));
  const realBatch = new Float32Array(batchSize);
  const noiseBatch = new Float32Array(batchSize * latentDim);
  const evalNoise = evaluationNoise(spec);
  const evalSteps = new Set(checkpointSteps(steps, spec.eval.checkpoints));

  // Losses of every step; index i is step i + 1. The D loss is the mean over the d_steps updates.
  const dLosses = new Float64Array(steps);
  const gLosses = new Float64Array(steps);
  const checkpoints: Checkpoint[] = [];
  let stepsDone = 0;
  let diverged = false;

  for (let step = 1; step <= steps; step++) {
    let dLossSum = 0;
    for (let k = 0; k < dSteps; k++) {
      fillRealBatch(realPool, indexRng, realBatch);
      noiseRng.fillNormal(noiseBatch);
      dLossSum += engine.discriminatorStep(realBatch, noiseBatch);
    }

    noiseRng.fillNormal(noiseBatch);
    const gLoss = engine.generatorStep(noiseBatch);
    // A step that a stop request cut short left invalid losses and weights behind.
    if (engine.interrupted()) return { interrupted: true, stepsDone: step - 1 };

    const dLoss = dLossSum / dSteps;
    dLosses[step - 1] = dLoss;
    gLosses[step - 1] = gLoss;
    stepsDone = step;
    hooks.onStep(step, dLoss, gLoss);
    if (hooks.shouldStop?.() === true && step < steps) return { interrupted: true, stepsDone };

    const lossesFinite = Number.isFinite(dLoss) && Number.isFinite(gLoss);
    if (evalSteps.has(step) || !lossesFinite) {
      const samples = engine.generate(evalNoise, spec.eval.samples);
      if (engine.interrupted()) return { interrupted: true, stepsDone };
      const metrics = evaluateSamples(samples, spec.target);
      checkpoints.push({ step, ...metrics });
      if (!lossesFinite || !Number.isFinite(metrics.w1)) {
        diverged = true;
        break;
      }
    }
  }

  const final = checkpoints[checkpoints.length - 1];
  if (final === undefined) {
    throw new Error(`trial ${spec.trialId} ended without an evaluation`);
  }
  const stability = computeStability(
    dLosses,
    gLosses,
    stepsDone,
    checkpoints,
    spec.eval.finalWindow,
    final.std,
    mixtureStd(spec.target),
  );
  const { step: _finalStep, ...finalMetrics } = final;
  const finalSamples = engine.generate(evalNoise, spec.eval.samples);
  const plots = recordPlotData(engine, finalSamples, spec.target);
  if (engine.interrupted()) return { interrupted: true, stepsDone };

  return {
    metrics: {
      ...finalMetrics,
      checkpoints,
      stability,
      lossHistory: downsampleLosses(dLosses, gLosses, stepsDone),
      // Training stops right after the final checkpoint, so these are that checkpoint's samples.
      plots,
    },
    stepsDone,
    diverged: diverged || stability.diverged,
  };
}
