import { describe, expect, it } from 'vitest';

import type { Hyperparameters, StabilityMetrics, TrialOutcome, TrialStatus } from '../shared/types.js';
import { buildLeaderboard, stabilityScore, type LeaderboardConfig } from './leaderboard.js';

const CONFIG: Hyperparameters = {
  latent_dim: 8, g_hidden: 32, d_hidden: 32, lr_g: 0.001, lr_d: 0.001,
  beta1: 0.5, beta2: 0.999, batch_size: 256, steps: 100, d_steps: 1,
};

const SETTINGS = { tieTolerance: 0.05, successW1: 0.5, targetStd: 5 };

function stability(lossStd: number, w1Spread = 0): StabilityMetrics {
  return {
    windowStart: 81, windowEnd: 100, dLossMean: Math.LN2, gLossMean: Math.LN2,
    dLossStd: lossStd, gLossStd: lossStd, dLossGap: 0, gLossGap: 0, w1Spread,
    diverged: false, discriminatorWins: false, collapsed: false,
  };
}

function outcome(configId: string, seed: number, w1: number, lossStd = 0.01, status: TrialStatus = 'done'): TrialOutcome {
  return {
    trialId: `${configId}-s${seed}`, configId, seed, status,
    metrics: status === 'failed' ? null : {
      w1, ks: 0.01, modeWeights: [0.4, 0.3, 0.3], mean: 0, std: 5,
      checkpoints: [], stability: stability(lossStd), lossHistory: { step: [], dLoss: [], gLoss: [] },
    },
    error: status === 'done' ? null : { code: 'GS_TEST', message: status },
    backend: 'wasm', engine: 'fused', durationMs: 1, stepsDone: 100, workerMemory: null,
  };
}

function configs(...ids: string[]): LeaderboardConfig[] {
  return ids.map((configId) => ({ configId, config: CONFIG, seeds: [0, 1] }));
}

const order = (rows: { configId: string }[]) => rows.map((row) => row.configId);

describe('stabilityScore', () => {
  it('adds loss spread, ln 2 gaps and relative W1 spread', () => {
    const record = { ...stability(0.1, 0.5), dLossGap: 0.2, gLossGap: 0.4 };
    expect(stabilityScore(record, 5)).toBeCloseTo(0.1 + 0.3 + 0.1, 12);
  });
});

describe('buildLeaderboard', () => {
  it('aggregates W1 over seeds', () => {
    const board = buildLeaderboard('t', configs('a'), [outcome('a', 0, 0.2), outcome('a', 1, 0.6)], SETTINGS);
    const [row] = board.rows;
    expect(row.w1.mean).toBeCloseTo(0.4, 12);
    expect(row.w1.std).toBeCloseTo(0.2, 12);
    expect(row.w1.worst).toBeCloseTo(0.6, 12);
    expect(row.successRate).toBe(0.5);
    expect(row.bestSeed).toBe(0);
    expect(row.trials).toEqual({ done: 2, diverged: 0, failed: 0, timedOut: 0, missing: 0 });
  });

  it('ranks by mean W1 beyond the tie tolerance', () => {
    const board = buildLeaderboard('t', configs('a', 'b'), [
      outcome('a', 0, 0.5), outcome('a', 1, 0.5),
      outcome('b', 0, 0.2, 0.3), outcome('b', 1, 0.2, 0.3),
    ], SETTINGS);
    expect(order(board.rows)).toEqual(['b', 'a']);
    expect(board.rows.map((row) => row.rank)).toEqual([1, 2]);
  });

  it('breaks W1 ties by stability', () => {
    // 0.22 is within 0.05 of 0.20, so the steadier configuration b wins.
    const board = buildLeaderboard('t', configs('a', 'b'), [
      outcome('a', 0, 0.20, 0.3), outcome('a', 1, 0.20, 0.3),
      outcome('b', 0, 0.22, 0.01), outcome('b', 1, 0.22, 0.01),
    ], SETTINGS);
    expect(order(board.rows)).toEqual(['b', 'a']);
  });

  it('forms tiers from the best W1 of each tier', () => {
    // Tiers: {0.10, 0.14} and {0.18}; 0.18 is within 0.05 of 0.14 but not of 0.10.
    const board = buildLeaderboard('t', configs('a', 'b', 'c'), [
      outcome('a', 0, 0.10, 0.2), outcome('a', 1, 0.10, 0.2),
      outcome('b', 0, 0.14, 0.1), outcome('b', 1, 0.14, 0.1),
      outcome('c', 0, 0.18, 0.0), outcome('c', 1, 0.18, 0.0),
    ], SETTINGS);
    expect(order(board.rows)).toEqual(['b', 'a', 'c']);
  });

  it('ranks a configuration with a diverged seed below complete ones', () => {
    const board = buildLeaderboard('t', configs('a', 'b'), [
      outcome('a', 0, 0.1), outcome('a', 1, 0.1, 0.01, 'diverged'),
      outcome('b', 0, 0.9), outcome('b', 1, 0.9),
    ], SETTINGS);
    expect(order(board.rows)).toEqual(['b', 'a']);
    const diverged = board.rows[1];
    expect(diverged.w1.worst).toBeNull();
    expect(diverged.w1.mean).toBeCloseTo(0.1, 12);
    expect(diverged.successRate).toBe(0.5);
    expect(diverged.trials.diverged).toBe(1);
  });

  it('ranks a configuration with no finished seed last', () => {
    const board = buildLeaderboard('t', configs('a', 'b', 'c'), [
      outcome('a', 0, 0, 0, 'failed'), outcome('a', 1, 0, 0, 'failed'),
      outcome('b', 0, 3.0), outcome('b', 1, 3.0, 0.01, 'diverged'),
      outcome('c', 0, 5.0), outcome('c', 1, 5.0),
    ], SETTINGS);
    expect(order(board.rows)).toEqual(['c', 'b', 'a']);
    expect(board.rows[2].w1).toEqual({ mean: null, std: null, worst: null });
    expect(board.rows[2].stability).toBeNull();
    expect(board.rows[2].successRate).toBe(0);
  });

  it('counts seeds without an outcome as missing', () => {
    const board = buildLeaderboard('t', configs('a'), [outcome('a', 0, 0.1)], SETTINGS);
    expect(board.rows[0].trials.missing).toBe(1);
    expect(board.rows[0].w1.worst).toBeNull();
    expect(board.rows[0].successRate).toBe(0.5);
  });

  it('orders exact ties by configuration id', () => {
    const outcomes = ['b', 'a'].flatMap((id) => [outcome(id, 0, 0.3), outcome(id, 1, 0.3)]);
    expect(order(buildLeaderboard('t', configs('b', 'a'), outcomes, SETTINGS).rows)).toEqual(['a', 'b']);
  });
});
