/**
 * The compact plot data that a trial records at its final evaluation for the HTML report:
 * a histogram of the generated samples and D(x) on a grid of x values. Both span a fixed
 * range around the target, so every trial of a sweep is plotted on the same axis.
 */
import { mixtureMean, mixtureStd } from '../src/shared/mixture.js';
import type { SampleHistogram, Target, TrialPlotData } from '../src/shared/types.js';
import type { GanEngine } from './engine.js';

/** Half-width of the plot range, in standard deviations of the target. */
export const PLOT_RANGE_STDS = 4;
/** Histogram bins over the plot range: 0.5 wide for the reference target (std ≈ 5.06). */
export const HISTOGRAM_BINS = 80;
/** Points of the D(x) grid, including both ends of the plot range. */
export const DISCRIMINATOR_POINTS = 101;
/** D(x) is stored with this many decimals, which keeps trials.jsonl small and is finer than any plot. */
const DISCRIMINATOR_DECIMALS = 4;

/** Returns the plot range: the target's mean ± PLOT_RANGE_STDS standard deviations. */
export function plotRange(target: Target): { lower: number; upper: number } {
  const mean = mixtureMean(target);
  const halfWidth = PLOT_RANGE_STDS * mixtureStd(target);
  return { lower: mean - halfWidth, upper: mean + halfWidth };
}

/**
 * Counts `samples` in `bins` equal-width bins over [lower, upper]. Bins are closed on the
 * left; the last bin also contains `upper`. Samples outside the range and non-finite
 * samples are counted separately, so the counts always add up to `samples.length`.
 */
export function sampleHistogram(samples: ArrayLike<number>, lower: number, upper: number, bins: number): SampleHistogram {
  if (!(upper > lower) || !Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`sampleHistogram: needs lower < upper and a positive integer bin count, received [${lower}, ${upper}] and ${bins} bins`);
  }
  const histogram: SampleHistogram = { lower, upper, counts: new Array<number>(bins).fill(0), below: 0, above: 0, nonFinite: 0 };
  const width = (upper - lower) / bins;

  for (let i = 0; i < samples.length; i++) {
    const value = samples[i]!;
    if (!Number.isFinite(value)) histogram.nonFinite++;
    else if (value < lower) histogram.below++;
    else if (value > upper) histogram.above++;
    else histogram.counts[Math.min(bins - 1, Math.floor((value - lower) / width))]!++;
  }
  return histogram;
}

/** Returns `count` evenly spaced values from `lower` to `upper`, both included. */
export function evenlySpaced(lower: number, upper: number, count: number): Float32Array {
  const values = new Float32Array(count);
  const step = count > 1 ? (upper - lower) / (count - 1) : 0;
  for (let i = 0; i < count; i++) values[i] = lower + i * step;
  return values;
}

function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/**
 * Builds a trial's plot data from the generated samples of its final evaluation and the
 * discriminator's current weights.
 */
export function recordPlotData(
  engine: Pick<GanEngine, 'discriminate'>,
  samples: ArrayLike<number>,
  target: Target,
): TrialPlotData {
  const { lower, upper } = plotRange(target);
  const probabilities = engine.discriminate(evenlySpaced(lower, upper, DISCRIMINATOR_POINTS));
  return {
    histogram: sampleHistogram(samples, lower, upper, HISTOGRAM_BINS),
    discriminator: {
      lower,
      upper,
      values: Array.from(probabilities, (value) => roundTo(value, DISCRIMINATOR_DECIMALS)),
    },
  };
}
