import { describe, expect, it } from 'vitest';

import { DISCRIMINATOR_POINTS, evenlySpaced, HISTOGRAM_BINS, plotRange, recordPlotData, sampleHistogram } from './plotData.js';

const REFERENCE_TARGET = {
  components: [
    { weight: 0.4, mean: 0, variance: 4 },
    { weight: 0.3, mean: -6, variance: 4 },
    { weight: 0.3, mean: 6, variance: 4 },
  ],
};

describe('sampleHistogram', () => {
  it('counts edges, outliers and non-finite samples', () => {
    // Bins of width 0.5 over [-1, 1]: [-1, -0.5), [-0.5, 0), [0, 0.5), [0.5, 1].
    const samples = [-1, -0.5, 0, 0.49, 0.5, 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, -3];

    const histogram = sampleHistogram(samples, -1, 1, 4);

    expect(histogram.counts).toEqual([1, 1, 2, 2]);
    expect(histogram.below).toBe(1);
    expect(histogram.above).toBe(1);
    expect(histogram.nonFinite).toBe(2);
    expect(histogram.lower).toBe(-1);
    expect(histogram.upper).toBe(1);
  });

  it('accounts for every sample', () => {
    const samples = Float32Array.from({ length: 1000 }, (_, i) => (i - 500) / 10);
    const histogram = sampleHistogram(samples, -20, 20, 80);
    const binned = histogram.counts.reduce((sum, count) => sum + count, 0);
    expect(binned + histogram.below + histogram.above + histogram.nonFinite).toBe(1000);
    // 401 samples lie in [-20, 20] (from -20.0 to 20.0 in steps of 0.1), 5 per bin and one more in the last.
    expect(binned).toBe(401);
    expect(histogram.counts[0]).toBe(5);
    expect(histogram.counts[79]).toBe(6);
  });

  it('rejects an empty range and a bad bin count', () => {
    expect(() => sampleHistogram([0], 1, 1, 4)).toThrow(RangeError);
    expect(() => sampleHistogram([0], 0, 1, 0)).toThrow(RangeError);
    expect(() => sampleHistogram([0], 0, 1, 2.5)).toThrow(RangeError);
  });
});

describe('plotRange', () => {
  it('spans 4 standard deviations around the reference mean', () => {
    // Var = Σ w(σ² + μ²) − mean² = 0.4·4 + 0.3·40 + 0.3·40 = 25.6.
    const { lower, upper } = plotRange(REFERENCE_TARGET);
    expect(upper).toBeCloseTo(4 * Math.sqrt(25.6), 12);
    expect(lower).toBeCloseTo(-4 * Math.sqrt(25.6), 12);
  });
});

describe('evenlySpaced', () => {
  it('includes both ends', () => {
    expect(Array.from(evenlySpaced(-1, 1, 5))).toEqual([-1, -0.5, 0, 0.5, 1]);
  });
});

describe('recordPlotData', () => {
  it('records the histogram and a rounded D on the grid', () => {
    const logistic = { discriminate: (x: Float32Array) => x.map((value) => 1 / (1 + Math.exp(-value))) };

    const plots = recordPlotData(logistic, [0, 0.1, 100], REFERENCE_TARGET);

    const { lower, upper } = plotRange(REFERENCE_TARGET);
    expect(plots.histogram.counts).toHaveLength(HISTOGRAM_BINS);
    expect(plots.histogram.counts.reduce((sum, count) => sum + count, 0)).toBe(2);
    expect(plots.histogram.above).toBe(1);
    // Bin width 2·upper/80; 0 and 0.1 both fall in bin 40, which starts at 0.
    expect(plots.histogram.counts[40]).toBe(2);
    expect(plots.discriminator.values).toHaveLength(DISCRIMINATOR_POINTS);
    expect(plots.discriminator.lower).toBe(lower);
    expect(plots.discriminator.upper).toBe(upper);
    // The middle grid point is x = 0, where the logistic is ½; at x = lower it is 1/(1 + e^20.24) ≈ 1.6e-9, which rounds to 0.
    expect(plots.discriminator.values[50]).toBe(0.5);
    expect(plots.discriminator.values[0]).toBe(0);
    expect(plots.discriminator.values[100]).toBe(1);
    // x_51 = lower + 51·(upper − lower)/100 = 0.02·upper ≈ 0.40477; σ(0.40477) = 0.59983 → 0.5998.
    expect(plots.discriminator.values[51]).toBe(0.5998);
  });
});
