import { describe, expect, it } from 'vitest';

import {
  evaluateSamples,
  expectedW1Floor,
  ksToTarget,
  responsibilityWeights,
  sampleMeanStd,
  wasserstein1BetweenCdfs,
  wasserstein1ToTarget,
} from './metrics.js';
import { mixtureCdf, normalCdf, normalPdf, sampleMixture } from './mixture.js';
import { Rng } from './rng.js';
import type { Target } from './types.js';

/** 0.4·N(0, 4) + 0.3·N(−6, 4) + 0.3·N(6, 4). */
const REFERENCE: Target = {
  components: [
    { weight: 0.4, mean: 0, variance: 4 },
    { weight: 0.3, mean: -6, variance: 4 },
    { weight: 0.3, mean: 6, variance: 4 },
  ],
};
const STANDARD_NORMAL: Target = { components: [{ weight: 1, mean: 0, variance: 1 }] };
/** The single normal with the reference's mean and variance. */
const MOMENT_MATCHED: Target = { components: [{ weight: 1, mean: 0, variance: 25.6 }] };
/** A generator that covers only the right mode. */
const COLLAPSED: Target = { components: [{ weight: 1, mean: 6, variance: 4 }] };

/** W1 between the reference and MOMENT_MATCHED from mpmath 1.3 quad at 30 digits, split at the CDF crossings. */
const MOMENT_MATCHED_W1 = 0.5071875210527433;

/**
 * Asymptotic mean W1 between 10,000 exact samples of N(μ, σ²) and N(μ, σ²), per unit σ:
 * √(2/π)·∫√(Φ(1 − Φ)) dx / √n with ∫√(Φ(1 − Φ)) dx = 1.6147438534296695 (mpmath 1.3).
 * The spread across sample sets is about 0.4 of the mean, so 3 times the mean is a safe
 * upper bound for one set.
 */
const NORMAL_W1_FLOOR_PER_SIGMA = (Math.sqrt(2 / Math.PI) * 1.6147438534296695) / 100;

/** Composite Simpson rule with `intervals` (even) subintervals. */
function simpson(f: (x: number) => number, lo: number, hi: number, intervals: number): number {
  const h = (hi - lo) / intervals;
  let sum = f(lo) + f(hi);
  for (let j = 1; j < intervals; j++) sum += (j % 2 === 1 ? 4 : 2) * f(lo + j * h);
  return (sum * h) / 3;
}

/**
 * ∫ |F_n − F| by Simpson on a fine grid between consecutive samples, using only mixtureCdf.
 * F_n is constant on each piece, so the only non-smooth points inside a piece are crossings.
 */
function bruteForceW1(samples: ArrayLike<number>, target: Target, lo: number, hi: number): number {
  const sorted = Array.from(samples).sort((a, b) => a - b);
  const n = sorted.length;
  const breaks = [lo, ...sorted, hi];
  let total = 0;
  for (let j = 0; j + 1 < breaks.length; j++) {
    const level = j / n;
    const width = breaks[j + 1]! - breaks[j]!;
    if (width === 0) continue;
    total += simpson((x) => Math.abs(level - mixtureCdf(target, x)), breaks[j]!, breaks[j + 1]!, 2 * Math.ceil(2000 * width));
  }
  return total;
}

/** E|X − x0| for X ~ N(0, 1): 2φ(x0) + x0(2Φ(x0) − 1). */
function meanAbsoluteDeviation(x0: number): number {
  return 2 * normalPdf(x0) + x0 * (2 * normalCdf(x0) - 1);
}

describe('wasserstein1ToTarget', () => {
  it.each([0, 0.3, -1.7, 2.5, 6, -12])('wasserstein1ToTarget single sample at %d', (x0) => {
    expect(wasserstein1ToTarget([x0], STANDARD_NORMAL)).toBeCloseTo(meanAbsoluteDeviation(x0), 13);
  });

  it('wasserstein1ToTarget matches brute force on small sample', () => {
    const samples = sampleMixture(REFERENCE, new Rng(21), new Float64Array(7));
    const exact = wasserstein1ToTarget(samples, REFERENCE);
    expect(Math.abs(exact - bruteForceW1(samples, REFERENCE, -40, 40))).toBeLessThan(1e-9);
  });

  it('wasserstein1ToTarget matches brute force with ties and outlier', () => {
    const samples = new Float32Array([-3.5, 0.25, 0.25, 0.25, 1, 7.75, 7.75, 300]);
    const exact = wasserstein1ToTarget(samples, REFERENCE);
    expect(Math.abs(exact - bruteForceW1(samples, REFERENCE, -40, 340))).toBeLessThan(1e-9);
  });

  it('wasserstein1ToTarget of reference samples is small', () => {
    const samples = sampleMixture(REFERENCE, new Rng(1), new Float64Array(10_000));
    const w1 = wasserstein1ToTarget(samples, REFERENCE);
    expect(w1).toBeGreaterThan(0.03);
    expect(w1).toBeLessThan(0.1);
  });

  it('wasserstein1ToTarget of moment-matched samples', () => {
    const samples = sampleMixture(MOMENT_MATCHED, new Rng(2), new Float64Array(10_000));
    const w1 = wasserstein1ToTarget(samples, REFERENCE);
    // Triangle inequality: |W1(P_n, T) − W1(P, T)| ≤ W1(P_n, P).
    const samplingError = wasserstein1ToTarget(samples, MOMENT_MATCHED);
    expect(Math.abs(w1 - MOMENT_MATCHED_W1)).toBeLessThanOrEqual(samplingError + 1e-12);
    expect(samplingError).toBeLessThan(3 * NORMAL_W1_FLOOR_PER_SIGMA * Math.sqrt(25.6));
  });

  it('wasserstein1ToTarget of collapsed samples', () => {
    const samples = sampleMixture(COLLAPSED, new Rng(3), new Float64Array(10_000));
    const w1 = wasserstein1ToTarget(samples, REFERENCE);
    // The population W1 is exactly 6 (see the wasserstein1BetweenCdfs test).
    const samplingError = wasserstein1ToTarget(samples, COLLAPSED);
    expect(Math.abs(w1 - 6)).toBeLessThanOrEqual(samplingError + 1e-12);
    expect(samplingError).toBeLessThan(3 * NORMAL_W1_FLOOR_PER_SIGMA * 2);
  });

  it('wasserstein1ToTarget rejects empty and non-finite samples', () => {
    expect(() => wasserstein1ToTarget([], REFERENCE)).toThrow(RangeError);
    expect(wasserstein1ToTarget([0, Number.NaN], REFERENCE)).toBe(Infinity);
    expect(wasserstein1ToTarget([0, -Infinity], REFERENCE)).toBe(Infinity);
  });
});

describe('wasserstein1BetweenCdfs', () => {
  it('wasserstein1BetweenCdfs of shifted normals is the shift', () => {
    const w1 = wasserstein1BetweenCdfs(normalCdf, (x) => normalCdf(x - 1), -40, 40, 4000);
    expect(w1).toBeCloseTo(1, 12);
  });

  it('wasserstein1BetweenCdfs of scaled normals', () => {
    // Quantile coupling: W1(N(0, 1), N(0, 4)) = E|2Z − Z| = E|Z| = √(2/π).
    const w1 = wasserstein1BetweenCdfs(normalCdf, (x) => normalCdf(x / 2), -60, 60, 6000);
    expect(w1).toBeCloseTo(Math.sqrt(2 / Math.PI), 9);
  });

  it('wasserstein1BetweenCdfs moment-matched normal to reference', () => {
    const sigma = Math.sqrt(25.6);
    const w1 = wasserstein1BetweenCdfs((x) => mixtureCdf(REFERENCE, x), (x) => normalCdf(x / sigma), -60, 60, 20_000);
    expect(Math.abs(w1 - MOMENT_MATCHED_W1)).toBeLessThan(1e-8);
    expect(Math.abs(w1 - 0.51)).toBeLessThan(0.02);
  });

  it('wasserstein1BetweenCdfs collapsed normal to reference is 6', () => {
    // Each component CDF Φ((x − μ)/2) with μ ≤ 6 is ≥ Φ((x − 6)/2), so the reference CDF lies
    // above the collapsed one everywhere and W1 is the difference of means, 6.
    const w1 = wasserstein1BetweenCdfs((x) => mixtureCdf(REFERENCE, x), (x) => normalCdf((x - 6) / 2), -60, 60, 20_000);
    expect(w1).toBeCloseTo(6, 10);
  });

  it('wasserstein1BetweenCdfs rejects invalid ranges', () => {
    expect(() => wasserstein1BetweenCdfs(normalCdf, normalCdf, 1, 1, 10)).toThrow(RangeError);
    expect(() => wasserstein1BetweenCdfs(normalCdf, normalCdf, 0, 1, 0)).toThrow(RangeError);
    expect(() => wasserstein1BetweenCdfs(normalCdf, normalCdf, 0, 1, 2.5)).toThrow(RangeError);
  });
});

describe('ksToTarget', () => {
  it('ksToTarget of point mass', () => {
    // F_n jumps from 0 to 1 at x0, so KS = max(F(x0), 1 − F(x0)).
    expect(ksToTarget(new Float64Array(50).fill(0.7), STANDARD_NORMAL)).toBeCloseTo(normalCdf(0.7), 15);
    expect(ksToTarget(new Float64Array(50).fill(-2), STANDARD_NORMAL)).toBeCloseTo(1 - normalCdf(-2), 15);
  });

  it('ksToTarget with ties', () => {
    // F_n: 0 below 0, 2/3 on [0, 1), 1 from 1 on. Candidates: Φ(0) − 0, 2/3 − Φ(0),
    // Φ(1) − 2/3 and 1 − Φ(1). The largest is 0.5.
    expect(ksToTarget([1, 0, 0], STANDARD_NORMAL)).toBeCloseTo(0.5, 15);
    // F_n: 1/3 on [0, 1). Candidates: Φ(0), 1/3 − Φ(0), Φ(1) − 1/3 = 0.508 and 1 − Φ(1).
    expect(ksToTarget([0, 1, 1], STANDARD_NORMAL)).toBeCloseTo(normalCdf(1) - 1 / 3, 15);
  });

  it('ksToTarget of reference samples is small', () => {
    const samples = sampleMixture(REFERENCE, new Rng(1), new Float64Array(10_000));
    expect(ksToTarget(samples, REFERENCE)).toBeLessThan(0.02);
  });
});

describe('responsibilityWeights', () => {
  it('responsibilityWeights of reference samples match weights', () => {
    const samples = sampleMixture(REFERENCE, new Rng(1), new Float64Array(10_000));
    const weights = responsibilityWeights(samples, REFERENCE);
    expect(weights).toHaveLength(3);
    expect(Math.abs(weights[0]! - 0.4)).toBeLessThan(0.02);
    expect(Math.abs(weights[1]! - 0.3)).toBeLessThan(0.02);
    expect(Math.abs(weights[2]! - 0.3)).toBeLessThan(0.02);
  });

  it('responsibilityWeights at isolated component mean', () => {
    const separated: Target = {
      components: [
        { weight: 0.2, mean: -50, variance: 1 },
        { weight: 0.5, mean: 0, variance: 1 },
        { weight: 0.3, mean: 50, variance: 1 },
      ],
    };
    const weights = responsibilityWeights(new Float32Array(100).fill(50), separated);
    expect(weights[0]).toBeLessThan(1e-300);
    expect(weights[1]).toBeLessThan(1e-300);
    expect(weights[2]).toBeCloseTo(1, 15);
  });

  it('responsibilityWeights far in the tails stay finite', () => {
    // Every density underflows at 1e4; the heaviest tail there belongs to the right mode.
    const reference = responsibilityWeights([1e4, 1e4], REFERENCE);
    expect(reference).toEqual([0, 0, 1]);

    // With unequal variances the wide component owns both far tails.
    const wide: Target = {
      components: [
        { weight: 0.9, mean: 0, variance: 1 },
        { weight: 0.1, mean: 0, variance: 100 },
      ],
    };
    expect(responsibilityWeights([-1e3, 1e3], wide)).toEqual([0, 1]);
  });

  it('responsibilityWeights sum to 1', () => {
    const samples = [-20, -6, -3, 0, 1.5, 6, 25];
    const weights = responsibilityWeights(samples, REFERENCE);
    expect(weights.reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(1, 15);
  });
});

describe('sampleMeanStd', () => {
  it('sampleMeanStd of small set', () => {
    const { mean, std } = sampleMeanStd(new Float32Array([1, 2, 3, 4]));
    expect(mean).toBe(2.5);
    expect(std).toBeCloseTo(Math.sqrt(1.25), 15);
  });

  it('sampleMeanStd with large offset', () => {
    // Two passes avoid the cancellation of E[X²] − E[X]² at a large offset.
    const { mean, std } = sampleMeanStd([1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4]);
    expect(mean).toBe(1e9 + 2.5);
    expect(std).toBeCloseTo(Math.sqrt(1.25), 12);
  });

  it('sampleMeanStd rejects empty samples', () => {
    expect(() => sampleMeanStd([])).toThrow(RangeError);
  });
});

describe('evaluateSamples', () => {
  it('evaluateSamples matches separate metrics', () => {
    const samples = sampleMixture(REFERENCE, new Rng(4), new Float32Array(5000));
    const metrics = evaluateSamples(samples, REFERENCE);
    const { mean, std } = sampleMeanStd(samples);

    expect(metrics.w1).toBeCloseTo(wasserstein1ToTarget(samples, REFERENCE), 13);
    expect(metrics.ks).toBe(ksToTarget(samples, REFERENCE));
    const weights = responsibilityWeights(samples, REFERENCE);
    for (let k = 0; k < 3; k++) expect(metrics.modeWeights[k]).toBeCloseTo(weights[k]!, 13);
    expect(metrics.mean).toBeCloseTo(mean, 12);
    expect(metrics.std).toBeCloseTo(std, 12);
  });

  it('evaluateSamples with NaN sample', () => {
    const samples = new Float32Array([0.5, Number.NaN, 2]);
    const metrics = evaluateSamples(samples, REFERENCE);
    expect(metrics.w1).toBe(Infinity);
    expect(metrics.ks).toBe(Infinity);
    expect(metrics.mean).toBeNaN();
    expect(metrics.std).toBeNaN();
    expect(metrics.modeWeights).toHaveLength(3);
    for (const weight of metrics.modeWeights) expect(weight).toBeNaN();
  });

  it('evaluateSamples with infinite sample', () => {
    const metrics = evaluateSamples([0.5, Infinity], REFERENCE);
    expect(metrics.w1).toBe(Infinity);
    expect(metrics.ks).toBe(Infinity);
  });

  it('evaluateSamples rejects empty samples', () => {
    expect(() => evaluateSamples(new Float32Array(0), REFERENCE)).toThrow(RangeError);
  });
});

describe('expectedW1Floor', () => {
  it('expectedW1Floor of standard normal matches asymptotics', () => {
    // √n·W1 tends in law to ∫|B(F(x))| dx for a Brownian bridge B, whose mean is
    // √(2/π)·∫√(F(1 − F)) dx.
    const n = 10_000;
    const repeats = 100;
    const asymptotic = NORMAL_W1_FLOOR_PER_SIGMA;
    const floor = expectedW1Floor(STANDARD_NORMAL, n, repeats, 3);

    // Allow 4 standard errors of the Monte Carlo mean plus 2% for the finite-n bias.
    expect(Math.abs(floor.mean - asymptotic)).toBeLessThan((4 * floor.std) / Math.sqrt(repeats) + 0.02 * asymptotic);
    expect(floor.std).toBeGreaterThan(0);
  });

  it('expectedW1Floor is reproducible by seed', () => {
    const first = expectedW1Floor(REFERENCE, 500, 5, 9);
    expect(expectedW1Floor(REFERENCE, 500, 5, 9)).toEqual(first);
    expect(expectedW1Floor(REFERENCE, 500, 5, 10)).not.toEqual(first);
  });

  it('expectedW1Floor of single repeat', () => {
    const samples = sampleMixture(REFERENCE, new Rng(8), new Float64Array(300));
    const floor = expectedW1Floor(REFERENCE, 300, 1, 8);
    expect(floor.mean).toBeCloseTo(wasserstein1ToTarget(samples, REFERENCE), 14);
    expect(floor.std).toBe(0);
  });

  it('expectedW1Floor rejects invalid counts', () => {
    expect(() => expectedW1Floor(REFERENCE, 0, 5, 1)).toThrow(RangeError);
    expect(() => expectedW1Floor(REFERENCE, 100, 1.5, 1)).toThrow(RangeError);
  });
});
