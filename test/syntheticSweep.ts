/**
 * Writes the result files of a sweep that was never trained (leaderboard.json,
 * trials.jsonl, sweep.yaml) with made-up but well-formed metrics, so report tests can use
 * sweeps of any size without training.
 */
import { join } from 'node:path';

import { expandTrials, parseSweep, resolvedSweepToYaml, type ResolvedSweep } from '../src/config/index.js';
import { writeSweepOutputs } from '../src/coordinator/output.js';
import { buildLeaderboard, type Leaderboard } from '../src/leaderboard/leaderboard.js';
import { mixtureStd, sampleMixture } from '../src/shared/mixture.js';
import { Rng } from '../src/shared/rng.js';
import type { Checkpoint, TrialMetrics, TrialOutcome } from '../src/shared/types.js';
import { DISCRIMINATOR_POINTS, HISTOGRAM_BINS, plotRange, sampleHistogram } from '../workers/plotData.js';

/** 5 × 5 × 2 × 2 = 100 configurations × 5 seeds = 500 trials, with the default 2000 steps. */
export const SYNTHETIC_GRID_500 = `
name: synthetic
grid:
  lr_g: [0.0001, 0.0003, 0.001, 0.003, 0.01]
  lr_d: [0.0001, 0.0003, 0.001, 0.003, 0.01]
  g_hidden: [32, 64]
  d_hidden: [32, 64]
seeds: 5
`;

/** Points of the synthetic loss history: the maximum that a real trial records. */
const LOSS_POINTS = 200;

function syntheticMetrics(sweep: ResolvedSweep, rng: Rng, steps: number): TrialMetrics {
  const w1 = 0.05 + 3 * rng.nextFloat() ** 3;
  const samples = sampleMixture(sweep.target, rng, new Float64Array(sweep.eval.samples));
  // Shrinking the samples toward 0 makes the generated histogram visibly differ from the target.
  for (let i = 0; i < samples.length; i++) samples[i] *= 1 - w1 / 4;
  const { lower, upper } = plotRange(sweep.target);

  const checkpoints: Checkpoint[] = [];
  for (let i = 1; i <= sweep.eval.checkpoints; i++) {
    const step = Math.round((i * steps) / sweep.eval.checkpoints);
    checkpoints.push({ step, w1: w1 * (1 + 4 / i), ks: 0.1, modeWeights: [0.4, 0.3, 0.3], mean: 0, std: mixtureStd(sweep.target) });
  }
  const lossSteps = Array.from({ length: LOSS_POINTS }, (_, i) => Math.round(((i + 1) * steps) / LOSS_POINTS));

  return {
    w1,
    ks: 0.1,
    modeWeights: [0.4, 0.3, 0.3],
    mean: 0,
    std: mixtureStd(sweep.target),
    checkpoints,
    stability: {
      windowStart: Math.round(0.8 * steps),
      windowEnd: steps,
      dLossMean: 0.69,
      gLossMean: 0.7,
      dLossStd: 0.02 * rng.nextFloat(),
      gLossStd: 0.05 * rng.nextFloat(),
      dLossGap: 0.01,
      gLossGap: 0.02,
      w1Spread: 0.1 * rng.nextFloat(),
      diverged: false,
      discriminatorWins: false,
      collapsed: false,
    },
    lossHistory: {
      step: lossSteps,
      dLoss: lossSteps.map(() => 0.65 + 0.1 * rng.nextFloat()),
      gLoss: lossSteps.map(() => 0.7 + 0.2 * rng.nextFloat()),
    },
    plots: {
      histogram: sampleHistogram(samples, lower, upper, HISTOGRAM_BINS),
      discriminator: {
        lower,
        upper,
        values: Array.from({ length: DISCRIMINATOR_POINTS }, (_, i) => Number((0.5 + 0.2 * Math.sin(i / 8)).toFixed(4))),
      },
    },
  };
}

export interface SyntheticSweep {
  directory: string;
  sweep: ResolvedSweep;
  leaderboard: Leaderboard;
}

/**
 * Writes the result files of the grid in `gridYaml` into `<root>/<name>/`. About one trial
 * in 30 is recorded as diverged, so the report's handling of unfinished seeds is exercised.
 */
export function writeSyntheticSweep(root: string, gridYaml: string, seed = 1): SyntheticSweep {
  const sweep = parseSweep(gridYaml, 'synthetic.yaml');
  const rng = new Rng(seed);
  const outcomes = expandTrials(sweep).map((plan) => {
    const diverged = rng.nextFloat() < 1 / 30;
    const outcome: Pick<TrialOutcome, 'trialId' | 'configId' | 'seed' | 'status' | 'metrics' | 'error' | 'backend' | 'durationMs' | 'stepsDone'> = {
      trialId: plan.trialId,
      configId: plan.configId,
      seed: plan.seed,
      status: diverged ? 'diverged' : 'done',
      metrics: diverged ? null : syntheticMetrics(sweep, rng, plan.config.steps),
      error: diverged ? { code: 'GS_TRIAL_DIVERGED', message: 'a loss became NaN at step 17' } : null,
      backend: 'wasm',
      durationMs: 5000 + 1000 * rng.nextFloat(),
      stepsDone: diverged ? 17 : plan.config.steps,
    };
    return { outcome: outcome as TrialOutcome, config: plan.config };
  });

  const leaderboard = buildLeaderboard(
    sweep.name,
    sweep.configs.map(({ configId, config }) => ({ configId, config, seeds: sweep.seeds })),
    outcomes.map(({ outcome }) => outcome),
    { tieTolerance: 0.055, successW1: sweep.eval.successW1, targetStd: mixtureStd(sweep.target) },
  );

  const directory = join(root, sweep.name);
  writeSweepOutputs({ directory, resolvedSweepYaml: resolvedSweepToYaml(sweep), leaderboard, trials: outcomes });
  return { directory, sweep, leaderboard };
}
