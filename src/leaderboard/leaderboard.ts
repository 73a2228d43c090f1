/**
 * Aggregates trial outcomes into one leaderboard row per configuration and ranks them.
 *
 * Ranking, from the first key to the last:
 *   1. configurations with at least one finished seed come before those with none;
 *   2. a larger share of finished seeds (not failed, diverged or timed out) comes first;
 *   3. mean W1 over finished seeds, in tiers. Walking the configurations in order of mean
 *      W1, a tier takes every configuration within the tie tolerance of the tier's first
 *      one. Differences smaller than the evaluation noise do not show which generator is
 *      closer to the target;
 *   4. inside a tier, the lower stability score comes first;
 *   5. then the lower mean W1, then the configuration id, so the order is total.
 */
import type { EngineName, Hyperparameters, StabilityMetrics, TrialOutcome } from '../shared/types.js';

/** A configuration to rank, with every seed it should have run. */
export interface LeaderboardConfig {
  configId: string;
  config: Hyperparameters;
  seeds: number[];
}

export interface LeaderboardSettings {
  /** Mean-W1 differences up to this value are ties (units of x). */
  tieTolerance: number;
  /** A seed is a success when it finished with W1 below this value. */
  successW1: number;
  /** Standard deviation of the target, the unit of the W1 spread in the stability score. */
  targetStd: number;
}

export interface StabilitySummary {
  /** Lower is steadier; 0 means constant losses at ln 2 and constant W1 in the final window. */
  score: number;
  dLossStd: number;
  gLossStd: number;
  dLossGap: number;
  gLossGap: number;
  w1Spread: number;
  /** Seeds flagged as collapsed or with a winning discriminator. */
  collapsedSeeds: number;
  discriminatorWinsSeeds: number;
}

export interface LeaderboardRow {
  rank: number;
  configId: string;
  config: Hyperparameters;
  seeds: number[];
  trials: { done: number; diverged: number; failed: number; timedOut: number; missing: number };
  w1: {
    /** Mean over finished seeds; null when no seed finished. */
    mean: number | null;
    std: number | null;
    /** Largest W1 over all seeds; null when a seed failed, diverged, timed out or is missing (W1 = ∞). */
    worst: number | null;
  };
  successRate: number;
  /** The finished seed with the lowest W1; null when no seed finished. */
  bestSeed: number | null;
  /** Null when no seed finished. */
  stability: StabilitySummary | null;
  /** Engines that ran this configuration's trials, sorted. */
  engines: EngineName[];
}

export interface Leaderboard {
  name: string;
  tieTolerance: number;
  successW1: number;
  rows: LeaderboardRow[];
}

/** Stability score of one trial: loss spread and distance from ln 2 in nats, plus W1 spread relative to the target std. */
export function stabilityScore(stability: StabilityMetrics, targetStd: number): number {
  return (
    (stability.dLossStd + stability.gLossStd) / 2 +
    (stability.dLossGap + stability.gLossGap) / 2 +
    stability.w1Spread / targetStd
  );
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function populationStd(values: number[]): number {
  const average = mean(values);
  return Math.sqrt(mean(values.map((value) => (value - average) ** 2)));
}

function summarizeStability(finished: TrialOutcome[], targetStd: number): StabilitySummary {
  const records = finished.map((outcome) => outcome.metrics!.stability);
  const average = (pick: (s: StabilityMetrics) => number) => mean(records.map(pick));
  return {
    score: average((s) => stabilityScore(s, targetStd)),
    dLossStd: average((s) => s.dLossStd),
    gLossStd: average((s) => s.gLossStd),
    dLossGap: average((s) => s.dLossGap),
    gLossGap: average((s) => s.gLossGap),
    w1Spread: average((s) => s.w1Spread),
    collapsedSeeds: records.filter((s) => s.collapsed).length,
    discriminatorWinsSeeds: records.filter((s) => s.discriminatorWins).length,
  };
}

function buildRow(config: LeaderboardConfig, outcomes: TrialOutcome[], settings: LeaderboardSettings): LeaderboardRow {
  const bySeed = new Map(outcomes.map((outcome) => [outcome.seed, outcome]));
  const present = config.seeds.map((seed) => bySeed.get(seed)).filter((o): o is TrialOutcome => o !== undefined);
  const finished = present.filter((outcome) => outcome.status === 'done' && outcome.metrics !== null);
  const w1Values = finished.map((outcome) => outcome.metrics!.w1);
  const allFinished = finished.length === config.seeds.length;
  const best = finished.reduce<TrialOutcome | null>(
    (current, outcome) => (current === null || outcome.metrics!.w1 < current.metrics!.w1 ? outcome : current),
    null,
  );

  return {
    rank: 0,
    configId: config.configId,
    config: config.config,
    seeds: config.seeds,
    trials: {
      done: finished.length,
      diverged: present.filter((outcome) => outcome.status === 'diverged').length,
      failed: present.filter((outcome) => outcome.status === 'failed').length,
      timedOut: present.filter((outcome) => outcome.status === 'timed_out').length,
      missing: config.seeds.length - present.length,
    },
    w1: {
      mean: finished.length > 0 ? mean(w1Values) : null,
      std: finished.length > 0 ? populationStd(w1Values) : null,
      worst: allFinished ? Math.max(...w1Values) : null,
    },
    successRate: w1Values.filter((w1) => w1 < settings.successW1).length / config.seeds.length,
    bestSeed: best?.seed ?? null,
    stability: finished.length > 0 ? summarizeStability(finished, settings.targetStd) : null,
    engines: [...new Set(present.flatMap((outcome) => (outcome.engine === null ? [] : [outcome.engine])))].sort(),
  };
}

/** Orders rows inside one group of equal finished share, by W1 tier and then stability. */
function rankByTiers(rows: LeaderboardRow[], tieTolerance: number): LeaderboardRow[] {
  const byW1 = [...rows].sort((a, b) => a.w1.mean! - b.w1.mean! || a.configId.localeCompare(b.configId));
  const ranked: LeaderboardRow[] = [];
  let start = 0;
  while (start < byW1.length) {
    const leaderW1 = byW1[start].w1.mean!;
    let end = start + 1;
    while (end < byW1.length && byW1[end].w1.mean! - leaderW1 <= tieTolerance) end++;
    const tier = byW1.slice(start, end).sort(
      (a, b) =>
        a.stability!.score - b.stability!.score || a.w1.mean! - b.w1.mean! || a.configId.localeCompare(b.configId),
    );
    ranked.push(...tier);
    start = end;
  }
  return ranked;
}

export function buildLeaderboard(
  name: string,
  configs: LeaderboardConfig[],
  outcomes: TrialOutcome[],
  settings: LeaderboardSettings,
): Leaderboard {
  const outcomesByConfig = new Map<string, TrialOutcome[]>();
  for (const outcome of outcomes) {
    const list = outcomesByConfig.get(outcome.configId) ?? [];
    list.push(outcome);
    outcomesByConfig.set(outcome.configId, list);
  }
  const rows = configs.map((config) => buildRow(config, outcomesByConfig.get(config.configId) ?? [], settings));

  const finishedShare = (row: LeaderboardRow) => row.trials.done / row.seeds.length;
  const shares = [...new Set(rows.filter((row) => row.trials.done > 0).map(finishedShare))].sort((a, b) => b - a);
  const ranked = shares.flatMap((share) =>
    rankByTiers(rows.filter((row) => row.trials.done > 0 && finishedShare(row) === share), settings.tieTolerance),
  );
  const unfinished = rows.filter((row) => row.trials.done === 0).sort((a, b) => a.configId.localeCompare(b.configId));
  ranked.push(...unfinished);
  ranked.forEach((row, index) => (row.rank = index + 1));

  return { name, tieTolerance: settings.tieTolerance, successW1: settings.successW1, rows: ranked };
}
