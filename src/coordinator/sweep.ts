/**
 * Runs a resolved sweep end to end: expands it into trials, draws the real-sample pool,
 * trains every trial on the worker pool, ranks the configurations and writes the results.
 */
import { join } from 'node:path';

import { expandTrials, resolvedSweepToYaml, type ResolvedSweep } from '../config/index.js';
import { buildLeaderboard, type Leaderboard } from '../leaderboard/leaderboard.js';
import { expectedW1Floor } from '../shared/metrics.js';
import { mixtureStd } from '../shared/mixture.js';
import { deriveSeed } from '../shared/rng.js';
import type { BackendChoice, TrialOutcome, TrialSpec } from '../shared/types.js';
import type { TrialExecutor } from './executor.js';
import type { Logger } from './logger.js';
import { writeSweepOutputs } from './output.js';
import { PiscinaExecutor } from './piscinaExecutor.js';
import type { SweepObserver } from './progress.js';
import { createRealPool } from './realPool.js';
import { runTrials } from './runTrials.js';

/** Number of Monte Carlo repeats behind the tie tolerance (the W1 of exact samples). */
const TIE_TOLERANCE_REPEATS = 16;

export interface SweepRunOptions {
  /** Worker threads of the local pool. */
  workers: number;
  backend: BackendChoice;
  /** Directory under which `<name>/` is written. */
  outputRoot: string;
  logger: Logger;
  observer: SweepObserver;
  /** Builds the executor from the shared real-sample pool; defaults to a local piscina pool. */
  createExecutor?: (realPool: SharedArrayBuffer) => TrialExecutor;
}

export interface SweepRunResult {
  directory: string;
  leaderboard: Leaderboard;
  /** Outcomes in trial order. */
  outcomes: TrialOutcome[];
}

/** Expands a sweep into trial specs, in plan order. */
export function trialSpecs(sweep: ResolvedSweep, backend: BackendChoice): TrialSpec[] {
  return expandTrials(sweep).map((plan) => ({
    trialId: plan.trialId,
    configId: plan.configId,
    seed: plan.seed,
    config: plan.config,
    target: sweep.target,
    eval: sweep.eval,
    backend,
  }));
}

/**
 * The mean-W1 difference the leaderboard treats as a tie: the mean W1 of `eval.samples`
 * exact target samples, that is, what the evaluation reports for a perfect generator.
 */
export function tieTolerance(sweep: ResolvedSweep): number {
  return expectedW1Floor(sweep.target, sweep.eval.samples, TIE_TOLERANCE_REPEATS, deriveSeed(sweep.eval.seed, 0x71e)).mean;
}

export function rankSweep(sweep: ResolvedSweep, outcomes: TrialOutcome[]): Leaderboard {
  return buildLeaderboard(
    sweep.name,
    sweep.configs.map(({ configId, config }) => ({ configId, config, seeds: sweep.seeds })),
    outcomes,
    { tieTolerance: tieTolerance(sweep), successW1: sweep.eval.successW1, targetStd: mixtureStd(sweep.target) },
  );
}

export async function runSweep(sweep: ResolvedSweep, options: SweepRunOptions): Promise<SweepRunResult> {
  const directory = join(options.outputRoot, sweep.name);
  const specs = trialSpecs(sweep, options.backend);
  const realPool = createRealPool(sweep.target, sweep.data);
  const executor = options.createExecutor?.(realPool) ??
    new PiscinaExecutor({ workers: options.workers, realPool, logger: options.logger });

  let outcomes: TrialOutcome[];
  try {
    outcomes = await runTrials(executor, specs, options.observer);
  } finally {
    await executor.close();
  }

  const leaderboard = rankSweep(sweep, outcomes);
  writeSweepOutputs({
    directory,
    resolvedSweepYaml: resolvedSweepToYaml(sweep),
    leaderboard,
    trials: outcomes.map((outcome, index) => ({ outcome, config: specs[index].config })),
  });
  return { directory, leaderboard, outcomes };
}
