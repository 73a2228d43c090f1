import { describe, expect, it } from 'vitest';

import { COLLAPSE_STD_RATIO, DISCRIMINATOR_WINS_LOSS, computeStability, downsampleLosses } from './stability.js';
import type { Checkpoint } from './types.js';

const TARGET_STD = Math.sqrt(25.6);

function checkpoint(step: number, w1: number): Checkpoint {
  return { step, w1, ks: 0, modeWeights: [], mean: 0, std: 1 };
}

function constantLosses(steps: number, value: number): Float32Array {
  return new Float32Array(steps).fill(value);
}

describe('computeStability', () => {
  it('computeStability window bounds', () => {
    const losses = constantLosses(1000, 0.7);
    const tenth = computeStability(losses, losses, 1000, [], 0.1, 1, TARGET_STD);
    expect(tenth.windowStart).toBe(901);
    expect(tenth.windowEnd).toBe(1000);

    // round(0.25 × 7) = 2 steps: 6 and 7.
    const short = computeStability(losses, losses, 7, [], 0.25, 1, TARGET_STD);
    expect(short.windowStart).toBe(6);
    expect(short.windowEnd).toBe(7);

    // A window that rounds to zero steps keeps the last step.
    const tiny = computeStability(losses, losses, 40, [], 0.001, 1, TARGET_STD);
    expect(tiny.windowStart).toBe(40);
    expect(tiny.windowEnd).toBe(40);

    const whole = computeStability(losses, losses, 30, [], 1, 1, TARGET_STD);
    expect(whole.windowStart).toBe(1);
  });

  it('computeStability losses at ln 2', () => {
    const losses = new Float64Array(500).fill(Math.LN2);
    const stability = computeStability(losses, losses, 500, [], 0.2, 3, TARGET_STD);
    // The window sum of 100 copies of ln 2 rounds, so zero means below 5e-15 here.
    expect(stability.dLossMean).toBeCloseTo(Math.LN2, 14);
    expect(stability.gLossMean).toBeCloseTo(Math.LN2, 14);
    expect(stability.dLossGap).toBeCloseTo(0, 14);
    expect(stability.gLossGap).toBeCloseTo(0, 14);
    expect(stability.dLossStd).toBeCloseTo(0, 14);
    expect(stability.gLossStd).toBeCloseTo(0, 14);
    expect(stability.diverged).toBe(false);
    expect(stability.discriminatorWins).toBe(false);
    expect(stability.collapsed).toBe(false);
  });

  it('computeStability window mean and std', () => {
    // Steps 1..90 at 5 (outside the window), steps 91..100 alternate 0.5 and 0.9.
    const dLoss = new Float64Array(100).fill(5);
    const gLoss = new Float64Array(100).fill(5);
    for (let step = 91; step <= 100; step++) {
      dLoss[step - 1] = step % 2 === 0 ? 0.5 : 0.9;
      gLoss[step - 1] = 2;
    }
    const stability = computeStability(dLoss, gLoss, 100, [], 0.1, 1, TARGET_STD);
    expect(stability.dLossMean).toBeCloseTo(0.7, 15);
    expect(stability.dLossStd).toBeCloseTo(0.2, 15);
    expect(stability.dLossGap).toBeCloseTo(Math.abs(0.7 - Math.LN2), 15);
    expect(stability.gLossMean).toBe(2);
    expect(stability.gLossGap).toBeCloseTo(2 - Math.LN2, 15);
  });

  it('computeStability ignores steps after stepsDone', () => {
    const losses = constantLosses(100, 0.7);
    losses.fill(Number.NaN, 50);
    const stability = computeStability(losses, losses, 50, [], 0.1, 1, TARGET_STD);
    expect(stability.diverged).toBe(false);
    expect(stability.windowEnd).toBe(50);
    expect(stability.dLossMean).toBeCloseTo(0.7, 6);
  });

  it('computeStability NaN loss diverges', () => {
    const dLoss = constantLosses(100, 0.7);
    const gLoss = constantLosses(100, 0.7);
    dLoss[10] = Number.NaN; // before the window: still divergence
    const stability = computeStability(dLoss, gLoss, 100, [], 0.1, 1, TARGET_STD);
    expect(stability.diverged).toBe(true);
    expect(stability.dLossMean).toBeCloseTo(0.7, 6);
  });

  it('computeStability infinite loss diverges', () => {
    const dLoss = constantLosses(100, 0.7);
    const gLoss = constantLosses(100, 0.7);
    gLoss[99] = Infinity;
    const stability = computeStability(dLoss, gLoss, 100, [], 0.1, 1, TARGET_STD);
    expect(stability.diverged).toBe(true);
    expect(stability.gLossMean).toBe(Infinity);
  });

  it('computeStability non-finite generated std diverges', () => {
    const losses = constantLosses(100, 0.7);
    const stability = computeStability(losses, losses, 100, [], 0.1, Number.NaN, TARGET_STD);
    expect(stability.diverged).toBe(true);
    expect(stability.collapsed).toBe(false);
  });

  it('computeStability discriminator wins threshold', () => {
    expect(DISCRIMINATOR_WINS_LOSS).toBe(0.05);
    const gLoss = constantLosses(100, 3);
    const below = computeStability(new Float64Array(100).fill(0.0499), gLoss, 100, [], 0.1, 1, TARGET_STD);
    const above = computeStability(new Float64Array(100).fill(0.0501), gLoss, 100, [], 0.1, 1, TARGET_STD);
    const equilibrium = computeStability(new Float64Array(100).fill(Math.LN2), gLoss, 100, [], 0.1, 1, TARGET_STD);
    expect(below.discriminatorWins).toBe(true);
    expect(above.discriminatorWins).toBe(false);
    expect(equilibrium.discriminatorWins).toBe(false);
  });

  it('computeStability collapse threshold', () => {
    expect(COLLAPSE_STD_RATIO).toBe(0.1);
    const losses = constantLosses(100, 0.7);
    const threshold = COLLAPSE_STD_RATIO * TARGET_STD; // 0.50596
    expect(computeStability(losses, losses, 100, [], 0.1, 0.5, TARGET_STD).collapsed).toBe(true);
    expect(computeStability(losses, losses, 100, [], 0.1, threshold, TARGET_STD).collapsed).toBe(false);
    expect(computeStability(losses, losses, 100, [], 0.1, 0.6, TARGET_STD).collapsed).toBe(false);
  });

  it('computeStability w1Spread in window', () => {
    const losses = constantLosses(1000, 0.7);
    const checkpoints = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000].map((step) =>
      checkpoint(step, step >= 800 ? [0.1, 0.2, 0.3][(step - 800) / 100]! : 5),
    );
    // Window 801..1000 contains steps 900 and 1000 only: W1 0.2 and 0.3, population std 0.05.
    const stability = computeStability(losses, losses, 1000, checkpoints, 0.2, 1, TARGET_STD);
    expect(stability.w1Spread).toBeCloseTo(0.05, 15);
  });

  it('computeStability w1Spread falls back to last 3', () => {
    const losses = constantLosses(1000, 0.7);
    // Only step 1000 is in the window 951..1000, so the last 3 checkpoints are used.
    const checkpoints = [checkpoint(700, 9), checkpoint(1000, 0.4), checkpoint(800, 0.1), checkpoint(900, 0.1)];
    const stability = computeStability(losses, losses, 1000, checkpoints, 0.05, 1, TARGET_STD);
    // W1 0.1, 0.1, 0.4: mean 0.2, population std √0.02.
    expect(stability.w1Spread).toBeCloseTo(Math.sqrt(0.02), 15);
  });

  it('computeStability w1Spread with few checkpoints', () => {
    const losses = constantLosses(100, 0.7);
    expect(computeStability(losses, losses, 100, [checkpoint(100, 0.3)], 0.1, 1, TARGET_STD).w1Spread).toBe(0);
    expect(computeStability(losses, losses, 100, [], 0.1, 1, TARGET_STD).w1Spread).toBe(0);
  });

  it('computeStability w1Spread with infinite W1', () => {
    const losses = constantLosses(100, 0.7);
    const checkpoints = [checkpoint(95, 0.3), checkpoint(100, Infinity)];
    expect(computeStability(losses, losses, 100, checkpoints, 0.1, 1, TARGET_STD).w1Spread).toBe(Infinity);
  });

  it('computeStability rejects invalid arguments', () => {
    const losses = constantLosses(10, 0.7);
    expect(() => computeStability(losses, losses, 0, [], 0.1, 1, TARGET_STD)).toThrow(RangeError);
    expect(() => computeStability(losses, losses, 11, [], 0.1, 1, TARGET_STD)).toThrow(RangeError);
    expect(() => computeStability(losses, losses, 10, [], 0, 1, TARGET_STD)).toThrow(RangeError);
    expect(() => computeStability(losses, losses, 10, [], 1.5, 1, TARGET_STD)).toThrow(RangeError);
  });
});

describe('downsampleLosses', () => {
  it('downsampleLosses preserves mean for divisible lengths', () => {
    const dLoss = new Float64Array(1000);
    const gLoss = new Float64Array(1000);
    for (let i = 0; i < 1000; i++) {
      dLoss[i] = Math.sin(i) + 1;
      gLoss[i] = (i % 7) * 0.1;
    }
    const history = downsampleLosses(dLoss, gLoss, 1000);

    expect(history.step).toHaveLength(200);
    expect(history.step[0]).toBe(5);
    expect(history.step[199]).toBe(1000);
    const mean = (values: ArrayLike<number>): number => Array.from(values).reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean(history.dLoss)).toBeCloseTo(mean(dLoss), 12);
    expect(mean(history.gLoss)).toBeCloseTo(mean(gLoss), 12);
  });

  it('downsampleLosses short last block', () => {
    const losses = new Float64Array(1001);
    for (let i = 0; i < 1001; i++) losses[i] = i + 1; // loss = step
    const history = downsampleLosses(losses, losses, 1001);

    // Block size ceil(1001/200) = 6: 166 full blocks and one of 5 steps (997..1001).
    expect(history.step).toHaveLength(167);
    expect(history.step[0]).toBe(6);
    expect(history.dLoss[0]).toBe(3.5);
    expect(history.step[166]).toBe(1001);
    expect(history.dLoss[166]).toBe(999);
  });

  it('downsampleLosses keeps short histories', () => {
    const dLoss = new Float32Array([0.5, 0.6, 0.7]);
    const gLoss = new Float32Array([1, 2, 3]);
    const history = downsampleLosses(dLoss, gLoss, 3);
    expect(history.step).toEqual([1, 2, 3]);
    expect(history.gLoss).toEqual([1, 2, 3]);
    expect(downsampleLosses(dLoss, gLoss, 0)).toEqual({ step: [], dLoss: [], gLoss: [] });
  });

  it('downsampleLosses marks NaN blocks', () => {
    const dLoss = constantLosses(100, 0.7);
    const gLoss = constantLosses(100, 0.7);
    dLoss[42] = Number.NaN; // step 43, in block 41..50
    const history = downsampleLosses(dLoss, gLoss, 100, 10);

    expect(history.step[4]).toBe(50);
    expect(history.dLoss[4]).toBeNaN();
    expect(history.dLoss.filter(Number.isNaN)).toHaveLength(1);
    expect(history.gLoss.every(Number.isFinite)).toBe(true);
  });

  it('downsampleLosses rejects invalid arguments', () => {
    const losses = constantLosses(10, 0.7);
    expect(() => downsampleLosses(losses, losses, 11)).toThrow(RangeError);
    expect(() => downsampleLosses(losses, losses, 10, 0)).toThrow(RangeError);
  });
});
