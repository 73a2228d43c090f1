/**
 * Distances between a set of samples and the exact target: Wasserstein-1, Kolmogorov–Smirnov
 * and the mean posterior responsibility of each component. Worker threads call
 * `evaluateSamples` at every checkpoint, so it sorts once and allocates nothing per sample.
 */

import type { DistributionMetrics, Target } from './types.js';
import { Rng } from './rng.js';
import {
  createMixturePoint,
  evaluateMixtureAt,
  sampleMixture,
  solveMixtureCdf,
  type MixturePoint,
} from './mixture.js';

export type Samples = ArrayLike<number>;

/**
 * Copies the samples into a new Float64Array sorted ascending. Returns null when a
 * sample is NaN or ±Infinity. Throws RangeError when there are no samples.
 */
function sortFiniteCopy(samples: Samples, caller: string): Float64Array | null {
  if (samples.length === 0) throw new RangeError(`${caller}: samples must not be empty`);
  const sorted = new Float64Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const value = samples[i]!;
    if (!Number.isFinite(value)) return null;
    sorted[i] = value;
  }
  return sorted.sort();
}

/**
 * Computes the exact W1 and KS between the empirical distribution of `sorted` (finite,
 * ascending) and the target in one pass, because both need F at every sample.
 *
 * W1 = ∫ |F_n(x) − F(x)| dx.
 * Below x_0, F_n = 0 and the integral is ∫_{−∞}^{x_0} F. Above x_{n−1}, F_n = 1 and it is
 * ∫_{x_{n−1}}^{∞} (1 − F). On a gap [a, b] = [x_i, x_{i+1}], F_n is the constant
 * c = (i + 1)/n. F increases, so c − F changes sign at most once, at x* = F⁻¹(c), and
 *   ∫_a^b |c − F| = ∫_a^{x*} (c − F) + ∫_{x*}^b (F − c),
 * where each piece comes from the closed-form integrals of F at a, x* and b (see
 * evaluateMixtureAt). When c ≤ 1/2 the pieces use ∫F, as in ∫_a^b (c − F) = c(b − a) − [L(b) − L(a)]
 * with L(x) = ∫_{−∞}^{x} F. Above the median they use U(x) = ∫_{x}^{∞} (1 − F) through the same
 * integrand written as (1 − F) − (1 − c), because U stays small there while L grows like x.
 */
function distancesOfSorted(sorted: Float64Array, target: Target): { w1: number; ks: number } {
  const n = sorted.length;
  let left = evaluateMixtureAt(target, sorted[0]!, createMixturePoint());
  let right = createMixturePoint();
  const split = createMixturePoint();

  let w1 = left.cdfIntegral;
  let ks = ksTerm(left, 0, n);
  for (let i = 0; i + 1 < n; i++) {
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    evaluateMixtureAt(target, b, right);
    ks = Math.max(ks, ksTerm(right, i + 1, n));
    if (b > a) w1 += gapIntegral(target, a, b, (i + 1) / n, (n - i - 1) / n, left, right, split);

    const previous = left;
    left = right;
    right = previous;
  }
  w1 += left.survivalIntegral;
  return { w1, ks };
}

/**
 * ∫_a^b |c − F(x)| dx for a < b, given the target at a and b. `complement` is 1 − c.
 * Each piece is non-negative, so a negative one is rounding and counts as zero.
 */
function gapIntegral(
  target: Target,
  a: number,
  b: number,
  level: number,
  complement: number,
  atA: MixturePoint,
  atB: MixturePoint,
  split: MixturePoint,
): number {
  const useCdfForm = level <= 0.5;
  const piece = useCdfForm ? cdfFormPiece : survivalFormPiece;
  const bound = useCdfForm ? level : complement;

  // F ≤ c on the whole gap, F ≥ c on the whole gap, or F crosses c inside it.
  if (useCdfForm ? atB.cdf <= level : atB.survival >= complement) return piece(bound, a, b, atA, atB, 1);
  if (useCdfForm ? atA.cdf >= level : atA.survival <= complement) return piece(bound, a, b, atA, atB, -1);

  const crossing = solveMixtureCdf(target, level, complement, a, b);
  evaluateMixtureAt(target, crossing, split);
  return piece(bound, a, crossing, atA, split, 1) + piece(bound, crossing, b, split, atB, -1);
}

/**
 * Returns sign · ∫_s^t (c − F) = sign · (c(t − s) − [L(t) − L(s)]), where sign is +1 when F ≤ c
 * on [s, t] and −1 when F ≥ c.
 */
function cdfFormPiece(level: number, s: number, t: number, atS: MixturePoint, atT: MixturePoint, sign: 1 | -1): number {
  return Math.max(0, sign * (level * (t - s) - (atT.cdfIntegral - atS.cdfIntegral)));
}

/**
 * Returns the same piece as cdfFormPiece from the survival integral U:
 * sign · ∫_s^t ((1 − F) − (1 − c)) = sign · ([U(s) − U(t)] − (1 − c)(t − s)), with `complement` = 1 − c.
 */
function survivalFormPiece(
  complement: number,
  s: number,
  t: number,
  atS: MixturePoint,
  atT: MixturePoint,
  sign: 1 | -1,
): number {
  return Math.max(0, sign * (atS.survivalIntegral - atT.survivalIntegral - complement * (t - s)));
}

/**
 * Returns max(F(x_i) − i/n, (i + 1)/n − F(x_i)) for the i-th sorted sample (0-based).
 * F_n jumps from i/n to (i + 1)/n at x_i, so KS = sup_x |F_n − F| is the maximum of these
 * terms over i, which stays correct with ties. Above the median the terms use 1 − F to
 * keep their precision.
 */
function ksTerm(point: MixturePoint, i: number, n: number): number {
  if (point.cdf <= 0.5) return Math.max(point.cdf - i / n, (i + 1) / n - point.cdf);
  return Math.max((n - i) / n - point.survival, point.survival - (n - i - 1) / n);
}

/**
 * Exact Wasserstein-1 distance between the empirical distribution of the samples and the
 * target. Returns Infinity when a sample is NaN or ±Infinity.
 */
export function wasserstein1ToTarget(samples: Samples, target: Target): number {
  const sorted = sortFiniteCopy(samples, 'wasserstein1ToTarget');
  return sorted === null ? Infinity : distancesOfSorted(sorted, target).w1;
}

/** Kolmogorov–Smirnov statistic against the target. Returns Infinity when a sample is NaN or ±Infinity. */
export function ksToTarget(samples: Samples, target: Target): number {
  const sorted = sortFiniteCopy(samples, 'ksToTarget');
  return sorted === null ? Infinity : distancesOfSorted(sorted, target).ks;
}

/**
 * Returns the mean over the samples of each component's posterior responsibility
 * r_k(x) = w_k N(x; μ_k, σ_k²) / Σ_j w_j N(x; μ_j, σ_j²), in component order.
 *
 * For X drawn from the target, E[r_k(X)] = ∫ r_k(x) Σ_j w_j N(x; μ_j, σ_j²) dx = w_k exactly,
 * so a perfect generator scores the true weights even where components overlap, which
 * assigning each sample to the nearest mean does not.
 * The log densities go through log-sum-exp, so samples far in the tails, where every density
 * underflows, are still assigned to the component whose tail is heaviest there.
 */
export function responsibilityWeights(samples: Samples, target: Target): number[] {
  if (samples.length === 0) throw new RangeError('responsibilityWeights: samples must not be empty');
  const components = target.components;
  const count = components.length;
  const logScale = new Float64Array(count); // ln w_k − ln σ_k (the 1/√(2π) cancels)
  const halfPrecision = new Float64Array(count); // 1/(2σ_k²)
  const logDensity = new Float64Array(count);
  const sums = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const component = components[k]!;
    logScale[k] = Math.log(component.weight) - 0.5 * Math.log(component.variance);
    halfPrecision[k] = 0.5 / component.variance;
  }

  for (let i = 0; i < samples.length; i++) {
    const x = samples[i]!;
    let maxLog = -Infinity;
    for (let k = 0; k < count; k++) {
      const offset = x - components[k]!.mean;
      logDensity[k] = logScale[k]! - halfPrecision[k]! * offset * offset;
      if (logDensity[k]! > maxLog) maxLog = logDensity[k]!;
    }
    let normalizer = 0;
    for (let k = 0; k < count; k++) normalizer += Math.exp(logDensity[k]! - maxLog);
    for (let k = 0; k < count; k++) sums[k] += Math.exp(logDensity[k]! - maxLog) / normalizer;
  }

  return Array.from(sums, (sum) => sum / samples.length);
}

/** Mean and population standard deviation (two passes). Non-finite samples give NaN or Infinity. */
export function sampleMeanStd(samples: Samples): { mean: number; std: number } {
  if (samples.length === 0) throw new RangeError('sampleMeanStd: samples must not be empty');
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]!;
  const mean = sum / samples.length;

  let squares = 0;
  for (let i = 0; i < samples.length; i++) {
    const deviation = samples[i]! - mean;
    squares += deviation * deviation;
  }
  return { mean, std: Math.sqrt(squares / samples.length) };
}

/**
 * Computes W1, KS, responsibilities, mean and std of the samples with one sort.
 *
 * When a sample is NaN or ±Infinity, returns w1 = ks = Infinity and NaN for the mode weights,
 * mean and std instead of throwing; the caller marks the trial as diverged.
 */
export function evaluateSamples(samples: Samples, target: Target): DistributionMetrics {
  const sorted = sortFiniteCopy(samples, 'evaluateSamples');
  if (sorted === null) {
    return {
      w1: Infinity,
      ks: Infinity,
      modeWeights: target.components.map(() => Number.NaN),
      mean: Number.NaN,
      std: Number.NaN,
    };
  }

  const { w1, ks } = distancesOfSorted(sorted, target);
  const { mean, std } = sampleMeanStd(sorted);
  return {
    w1,
    ks,
    modeWeights: responsibilityWeights(sorted, target),
    mean,
    std,
  };
}

// Five-point Gauss–Legendre rule on [−1, 1], exact for polynomials up to degree 9.
const GAUSS_NODES = [-0.906179845938664, -0.5384693101056831, 0, 0.5384693101056831, 0.906179845938664];
const GAUSS_WEIGHTS = [0.2369268850561891, 0.4786286704993665, 0.5688888888888889, 0.4786286704993665, 0.2369268850561891];

/**
 * Approximates W1 = ∫_lo^hi |F_A(x) − F_B(x)| dx between two continuous distributions by
 * five-point Gauss–Legendre quadrature on `intervals` equal subintervals.
 *
 * The mass outside [lo, hi] is ignored, so both CDFs must be 0 below lo and 1 above hi to
 * the accuracy wanted. Where the CDFs cross, |F_A − F_B| has a kink and the rule drops to
 * second order on that subinterval; use many intervals.
 */
export function wasserstein1BetweenCdfs(
  cdfA: (x: number) => number,
  cdfB: (x: number) => number,
  lo: number,
  hi: number,
  intervals: number,
): number {
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new RangeError(`wasserstein1BetweenCdfs: lo and hi must be finite with lo < hi, received lo=${lo}, hi=${hi}`);
  }
  if (!Number.isInteger(intervals) || intervals < 1) {
    throw new RangeError(`wasserstein1BetweenCdfs: intervals must be a positive integer, received ${intervals}`);
  }

  const width = (hi - lo) / intervals;
  let total = 0;
  for (let j = 0; j < intervals; j++) {
    const center = lo + (j + 0.5) * width;
    for (let g = 0; g < GAUSS_NODES.length; g++) {
      const x = center + 0.5 * width * GAUSS_NODES[g]!;
      total += GAUSS_WEIGHTS[g]! * Math.abs(cdfA(x) - cdfB(x));
    }
  }
  return 0.5 * width * total;
}

/**
 * Estimates the evaluation noise floor: the W1 of n exact target samples, averaged over
 * `repeats` independent sets drawn from `new Rng(seed)`. `std` is the sample standard
 * deviation across repeats (denominator repeats − 1), or 0 for a single repeat.
 */
export function expectedW1Floor(target: Target, n: number, repeats: number, seed: number): { mean: number; std: number } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`expectedW1Floor: n must be a positive integer, received ${n}`);
  if (!Number.isInteger(repeats) || repeats < 1) {
    throw new RangeError(`expectedW1Floor: repeats must be a positive integer, received ${repeats}`);
  }

  const rng = new Rng(seed);
  const buffer = new Float64Array(n);
  const values = new Float64Array(repeats);
  for (let r = 0; r < repeats; r++) {
    sampleMixture(target, rng, buffer);
    values[r] = distancesOfSorted(buffer.sort(), target).w1;
  }

  const { mean, std } = sampleMeanStd(values);
  const sampleStd = repeats > 1 ? std * Math.sqrt(repeats / (repeats - 1)) : 0;
  return { mean, std: sampleStd };
}
