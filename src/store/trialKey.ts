/** The stable identity of a trial in the results store. */
import { createHash } from 'node:crypto';

import type { ResolvedSweep, TrialPlan } from '../config/index.js';
import { RANDOM_STREAMS_VERSION } from '../shared/rng.js';
import { HYPERPARAMETER_KEYS } from '../shared/types.js';

/**
 * Computes a trial's key: the sha256 of the canonical JSON of everything that determines
 * its metrics (hyperparameters, seed, target, real-sample pool, evaluation settings other
 * than the success threshold, which only affects the leaderboard, and the version of the
 * random streams that turn seeds into draws).
 * Run limits such as timeouts are left out because they do not change a finished
 * trial's result. Editing the target or the evaluation therefore gives new keys, and the
 * old results stay in the store without counting for the new grid.
 */
export function trialKeyOf(sweep: ResolvedSweep, plan: TrialPlan): string {
  const config: Record<string, number> = {};
  for (const key of [...HYPERPARAMETER_KEYS].sort()) config[key] = plan.config[key];
  const identity = {
    config,
    seed: plan.seed,
    target: sweep.target.components.map(({ weight, mean, variance }) => [weight, mean, variance]),
    data: [sweep.data.poolSize, sweep.data.seed],
    eval: [sweep.eval.samples, sweep.eval.checkpoints, sweep.eval.finalWindow, sweep.eval.seed],
    randomStreams: RANDOM_STREAMS_VERSION,
  };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}
