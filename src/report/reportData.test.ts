import { describe, expect, it } from 'vitest';

import { mixturePdf } from '../shared/mixture.js';
import type { TrialPlotData } from '../shared/types.js';
import { checkpointRows, densityData, discriminatorRows, lossRows, round } from './reportData.js';

const TARGET = { components: [{ weight: 1, mean: 1, variance: 1 }] };

function plots(counts: number[], outside: { below?: number; above?: number; nonFinite?: number } = {}): TrialPlotData {
  return {
    histogram: { lower: 0, upper: 2, counts, below: outside.below ?? 0, above: outside.above ?? 0, nonFinite: outside.nonFinite ?? 0 },
    discriminator: { lower: -1, upper: 1, values: [0.1, 0.5, 0.9] },
  };
}

describe('round', () => {
  it('keeps five significant digits and maps non-finite values to null', () => {
    expect(round(0.123456789)).toBe(0.12346);
    expect(round(123456.7)).toBe(123460);
    expect(round(Number.NaN)).toBeNull();
    expect(round(Number.POSITIVE_INFINITY)).toBeNull();
    expect(round(null)).toBeNull();
  });
});

describe('densityData', () => {
  it('divides counts by all samples times the bin width', () => {
    // 5 samples, bins of width 1: densities 1/5 and 3/5; the sample below the range counts in the total.
    const data = densityData(plots([1, 3], { below: 1 }), TARGET);

    expect(data.bins).toEqual([
      { x0: 0, x1: 1, density: 0.2 },
      { x0: 1, x1: 2, density: 0.6 },
    ]);
    expect(data.samples).toBe(5);
    expect(data.outside).toBe(1);
  });

  it('counts non-finite and out-of-range samples as outside', () => {
    const data = densityData(plots([2, 2], { above: 3, nonFinite: 1 }), TARGET);
    expect(data.outside).toBe(4);
    expect(data.samples).toBe(8);
    expect(data.bins[0]!.density).toBe(0.25);
  });

  it('draws the target density across the histogram range', () => {
    const data = densityData(plots([1, 1]), TARGET);
    expect(data.target[0]).toEqual({ x: 0, density: round(mixturePdf(TARGET, 0)) });
    expect(data.target.at(-1)).toEqual({ x: 2, density: round(mixturePdf(TARGET, 2)) });
    // N(1, 1) peaks at x = 1 with density 1/√(2π) ≈ 0.39894.
    expect(data.target[(data.target.length - 1) / 2]).toEqual({ x: 1, density: 0.39894 });
  });
});

describe('discriminatorRows', () => {
  it('places the values evenly from lower to upper', () => {
    expect(discriminatorRows(plots([1]))).toEqual([
      { x: -1, d: 0.1 },
      { x: 0, d: 0.5 },
      { x: 1, d: 0.9 },
    ]);
  });
});

describe('lossRows', () => {
  it('pairs each step with both losses', () => {
    expect(lossRows({ step: [10, 20], dLoss: [0.7, 0.69], gLoss: [0.8, 0.71] })).toEqual([
      { step: 10, D: 0.7, G: 0.8 },
      { step: 20, D: 0.69, G: 0.71 },
    ]);
  });
});

describe('checkpointRows', () => {
  it('leaves out a W1 of infinity, written as null', () => {
    const base = { ks: 0, modeWeights: [], mean: 0, std: 1 };
    const rows = checkpointRows([
      { step: 5, w1: 0.5, ...base },
      { step: 10, w1: null as unknown as number, ...base },
    ]);
    expect(rows).toEqual([{ step: 5, w1: 0.5 }]);
  });
});
