/**
 * Exact quantities of the 1-D target, a mixture of normals: moments, density, CDF,
 * quantiles, exact sampling, and the CDF integrals that make the Wasserstein-1 distance
 * to an empirical distribution exact.
 *
 * Every component must have `variance > 0`. The sweep configuration is validated before
 * a target reaches these functions, so they do not check it again.
 */

import type { Target } from './types.js';
import type { Rng } from './rng.js';

const INV_SQRT_PI = 0.56418958354775628695; // 1/√π
const INV_SQRT_2PI = 0.3989422804014326779; // 1/√(2π)

// Coefficients of W. J. Cody, "Rational Chebyshev approximations for the error
// function", Math. Comp. 23 (1969) 631–638, as in his Fortran routine CALERF (Netlib
// specfun). ERF_A/ERF_B give erf on |x| ≤ 0.46875, ERFC_C/ERFC_D give exp(x²)·erfc(x) on
// (0.46875, 4], and ERFC_P/ERFC_Q give the asymptotic form of x·exp(x²)·erfc(x) beyond 4.
const ERF_A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const ERF_B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const ERFC_C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const ERFC_D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
];
const ERFC_P = [
  0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766,
  6.58749161529837803e-4, 0.0163153871373020978,
];
const ERFC_Q = [2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];

/** Above this x, erfc(x) underflows to zero in double precision. */
const ERFC_UNDERFLOW = 26.543;

/**
 * Computes the complementary error function with Cody's rational approximations.
 *
 * Against mpmath 1.3 at 40 digits, the maximum relative error over 20,001 evenly spaced
 * points of [−6, 26.5] is 8.7e-16 (measured under Node 20 on x86-64), so small tail values
 * keep their relative accuracy instead of being rounded against 1.
 */
export function erfc(x: number): number {
  const y = Math.abs(x);
  let result: number;

  if (y <= 0.46875) {
    const ysq = y * y;
    let numerator = ERF_A[4]! * ysq;
    let denominator = ysq;
    for (let i = 0; i < 3; i++) {
      numerator = (numerator + ERF_A[i]!) * ysq;
      denominator = (denominator + ERF_B[i]!) * ysq;
    }
    return 1 - (x * (numerator + ERF_A[3]!)) / (denominator + ERF_B[3]!);
  }

  if (y <= 4) {
    let numerator = ERFC_C[8]! * y;
    let denominator = y;
    for (let i = 0; i < 7; i++) {
      numerator = (numerator + ERFC_C[i]!) * y;
      denominator = (denominator + ERFC_D[i]!) * y;
    }
    result = (numerator + ERFC_C[7]!) / (denominator + ERFC_D[7]!);
  } else if (y < ERFC_UNDERFLOW) {
    const inverseSquare = 1 / (y * y);
    let numerator = ERFC_P[5]! * inverseSquare;
    let denominator = inverseSquare;
    for (let i = 0; i < 4; i++) {
      numerator = (numerator + ERFC_P[i]!) * inverseSquare;
      denominator = (denominator + ERFC_Q[i]!) * inverseSquare;
    }
    result = (inverseSquare * (numerator + ERFC_P[4]!)) / (denominator + ERFC_Q[4]!);
    result = (INV_SQRT_PI - result) / y;
  } else {
    return x > 0 ? 0 : Number.isNaN(x) ? Number.NaN : 2;
  }

  // exp(−y²) = exp(−r²)·exp(−(y − r)(y + r)) with r = y rounded down to 1/16: r² is exact,
  // so the large exponent carries no rounding error (Cody's splitting).
  const rounded = Math.trunc(16 * y) / 16;
  const remainder = (y - rounded) * (y + rounded);
  result *= Math.exp(-rounded * rounded) * Math.exp(-remainder);
  return x < 0 ? 2 - result : result;
}

/** Standard normal density φ(z). */
export function normalPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/**
 * Standard normal CDF Φ(z) = erfc(−z/√2)/2. The relative error in the lower tail is about
 * z²·ε from the rounding of z/√2 (below 1e-14 at z = −10).
 */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

export function mixtureMean(target: Target): number {
  let mean = 0;
  for (const component of target.components) mean += component.weight * component.mean;
  return mean;
}

/** Variance of the mixture: E[X²] − E[X]² with E[X²] = Σ w(σ² + μ²). */
export function mixtureVariance(target: Target): number {
  // Σ w(σ² + (μ − m)²) equals Σ w(σ² + μ²) − m² but does not cancel to 0 or below when
  // the means are large compared with the spread.
  const mean = mixtureMean(target);
  let variance = 0;
  for (const component of target.components) {
    variance += component.weight * (component.variance + (component.mean - mean) ** 2);
  }
  return variance;
}

export function mixtureStd(target: Target): number {
  return Math.sqrt(mixtureVariance(target));
}

export function mixturePdf(target: Target, x: number): number {
  let density = 0;
  for (const component of target.components) {
    const sigma = Math.sqrt(component.variance);
    density += (component.weight / sigma) * normalPdf((x - component.mean) / sigma);
  }
  return density;
}

export function mixtureCdf(target: Target, x: number): number {
  let cdf = 0;
  for (const component of target.components) {
    cdf += component.weight * normalCdf((x - component.mean) / Math.sqrt(component.variance));
  }
  return cdf;
}

/** Survival function 1 − F(x), computed without the cancellation of 1 − mixtureCdf(x). */
export function mixtureSurvival(target: Target, x: number): number {
  let survival = 0;
  for (const component of target.components) {
    survival += component.weight * normalCdf((component.mean - x) / Math.sqrt(component.variance));
  }
  return survival;
}

/** Values of the target at one point x. */
export interface MixturePoint {
  /** F(x). */
  cdf: number;
  /** 1 − F(x), accurate in the upper tail. */
  survival: number;
  /** ∫_{−∞}^{x} F(t) dt. */
  cdfIntegral: number;
  /** ∫_{x}^{∞} (1 − F(t)) dt. */
  survivalIntegral: number;
}

export function createMixturePoint(): MixturePoint {
  return { cdf: 0, survival: 0, cdfIntegral: 0, survivalIntegral: 0 };
}

/**
 * Writes F, 1 − F and both CDF integrals at x into `out`, which callers reuse to avoid
 * an allocation per sample. Returns `out`.
 *
 * For one normal component with z = (x − μ)/σ, integrating by parts with φ' = −zφ gives
 *   ∫_{−∞}^{x} Φ((t − μ)/σ) dt = (x − μ)Φ(z) + σφ(z),
 *   ∫_{x}^{∞} (1 − Φ((t − μ)/σ)) dt = σφ(z) − (x − μ)(1 − Φ(z)),
 * and the mixture values are the weighted sums. Their difference is x − E[X] exactly.
 * Φ(z) and 1 − Φ(z) both come from one erfc(|z|/√2), so each is accurate in its own tail.
 */
export function evaluateMixtureAt(target: Target, x: number, out: MixturePoint): MixturePoint {
  let cdf = 0;
  let survival = 0;
  let cdfIntegral = 0;
  let survivalIntegral = 0;

  for (const component of target.components) {
    const sigma = Math.sqrt(component.variance);
    const offset = x - component.mean;
    const z = offset / sigma;
    const tail = 0.5 * erfc(Math.abs(z) / Math.SQRT2); // P(Z > |z|)
    const lower = z < 0 ? tail : 1 - tail;
    const upper = z < 0 ? 1 - tail : tail;
    const scaledDensity = sigma * normalPdf(z);

    cdf += component.weight * lower;
    survival += component.weight * upper;
    cdfIntegral += component.weight * (offset * lower + scaledDensity);
    survivalIntegral += component.weight * (scaledDensity - offset * upper);
  }

  out.cdf = cdf;
  out.survival = survival;
  out.cdfIntegral = cdfIntegral;
  out.survivalIntegral = survivalIntegral;
  return out;
}

/**
 * Returns the end of an interval that contains the p-quantile: the lower end for
 * side = −1, the upper end for side = +1.
 *
 * With m = min(p, 1 − p) and r = √(−2 ln 2m), the normal tail bound Φ(−r) ≤ exp(−r²/2)/2 = m
 * makes every component CDF at most p at min_k(μ_k − rσ_k), and every one at least p at
 * max_k(μ_k + rσ_k), so the mixture CDF is too.
 */
function quantileBracketEnd(target: Target, p: number, side: -1 | 1): number {
  const m = Math.min(p, 1 - p);
  const radius = Math.sqrt(Math.max(0, -2 * Math.log(2 * m)));
  let end = side * -Infinity;
  for (const component of target.components) {
    const candidate = component.mean + side * radius * Math.sqrt(component.variance);
    end = side < 0 ? Math.min(end, candidate) : Math.max(end, candidate);
  }
  return end;
}

const MAX_SOLVER_ITERATIONS = 200;

/**
 * Solves F(x) = p for x in [lo, hi]. `q` is 1 − p as the caller knows it exactly, for
 * example (n − i)/n. Assumes 0 < p < 1 and F(lo) ≤ p ≤ F(hi); the bracket is first narrowed
 * to the analytic one of quantileBracketEnd.
 *
 * Newton steps run on g(x) = ln F(x) − ln p below the median and on g(x) = ln(1 − p) − ln(1 − F(x))
 * above it, with g' = f/F or f/(1 − F). In a normal tail ln F is close to quadratic, so these
 * steps converge where Newton on F itself would crawl, and each residual keeps its relative
 * accuracy. A step that leaves the bracket is replaced by bisection.
 */
export function solveMixtureCdf(target: Target, p: number, q: number, lo: number, hi: number): number {
  let low = Math.max(lo, quantileBracketEnd(target, p, -1));
  let high = Math.min(hi, quantileBracketEnd(target, p, 1));
  if (!(low < high)) return Math.min(Math.max(low, lo), hi);

  const useLowerTail = p <= 0.5;
  const logLevel = Math.log(useLowerTail ? p : q);
  let x = 0.5 * (low + high);
  for (let iteration = 0; iteration < MAX_SOLVER_ITERATIONS; iteration++) {
    const tailProbability = useLowerTail ? mixtureCdf(target, x) : mixtureSurvival(target, x);
    const logTail = Math.log(tailProbability);
    const residual = useLowerTail ? logTail - logLevel : logLevel - logTail;
    if (residual === 0) return x;
    if (residual < 0) low = x;
    else high = x;

    // An underflowed tail gives an infinite residual and a NaN step, which bisects.
    let next = x - (residual * tailProbability) / mixturePdf(target, x);
    if (!(next > low && next < high)) next = 0.5 * (low + high);

    const tolerance = 4 * Number.EPSILON * Math.max(1, Math.abs(next));
    if (Math.abs(next - x) <= tolerance || high - low <= tolerance) return next;
    x = next;
  }
  return x;
}

/**
 * Returns the p-quantile F⁻¹(p). Returns −Infinity for p = 0 and +Infinity for p = 1.
 * Throws RangeError for p outside [0, 1].
 */
export function mixtureQuantile(target: Target, p: number): number {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`mixtureQuantile: p must be in [0, 1], received ${p}`);
  }
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  return solveMixtureCdf(target, p, 1 - p, -Infinity, Infinity);
}

/**
 * Fills `out` with independent draws from the target and returns it. Each draw takes one
 * `rng.nextFloat()` to pick a component by weight, then one `rng.nextNormal()`.
 */
export function sampleMixture<T extends Float32Array | Float64Array>(target: Target, rng: Rng, out: T): T {
  const components = target.components;
  const sigmas = new Float64Array(components.length);
  let totalWeight = 0;
  for (let k = 0; k < components.length; k++) {
    sigmas[k] = Math.sqrt(components[k]!.variance);
    totalWeight += components[k]!.weight;
  }
  const last = components.length - 1;

  for (let i = 0; i < out.length; i++) {
    // Scaling by the total keeps a weight sum of 1 − ε from skipping the last component.
    const u = rng.nextFloat() * totalWeight;
    let k = 0;
    let cumulative = components[0]!.weight;
    while (k < last && u >= cumulative) {
      k++;
      cumulative += components[k]!.weight;
    }
    out[i] = components[k]!.mean + sigmas[k]! * rng.nextNormal();
  }
  return out;
}
