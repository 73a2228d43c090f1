import { describe, expect, it } from 'vitest';

import {
  createMixturePoint,
  erfc,
  evaluateMixtureAt,
  mixtureCdf,
  mixtureMean,
  mixturePdf,
  mixtureQuantile,
  mixtureStd,
  mixtureSurvival,
  mixtureVariance,
  normalCdf,
  sampleMixture,
} from './mixture.js';
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

/** Composite Simpson rule with `intervals` (even) subintervals. */
function simpson(f: (x: number) => number, lo: number, hi: number, intervals: number): number {
  const h = (hi - lo) / intervals;
  let sum = f(lo) + f(hi);
  for (let j = 1; j < intervals; j++) sum += (j % 2 === 1 ? 4 : 2) * f(lo + j * h);
  return (sum * h) / 3;
}

describe('erfc', () => {
  // Values from mpmath 1.3 erfc at 30 significant digits, rounded to 17.
  const cases: Array<[number, number]> = [
    [-3, 1.9999779095030014],
    [-0.5, 1.5204998778130465],
    [0, 1],
    [0.25, 0.72367360983176307],
    [0.46875, 0.50738652678206201],
    [1, 0.15729920705028513],
    [2.5, 0.00040695201744495894],
    [4, 1.5417257900280019e-8],
    [5, 1.5374597944280349e-12],
    [10, 2.0884875837625448e-45],
    [26, 5.6631924088561428e-296],
  ];

  it.each(cases)('erfc(%d) matches mpmath to 2e-15 relative', (x, expected) => {
    expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(2e-15);
  });

  it('erfc limits and NaN', () => {
    expect(erfc(30)).toBe(0);
    expect(erfc(-30)).toBe(2);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erfc(Number.NaN)).toBeNaN();
  });
});

describe('normalCdf', () => {
  it('normalCdf known values', () => {
    expect(normalCdf(1)).toBeCloseTo(0.841344746, 9);
    expect(normalCdf(-3)).toBeCloseTo(0.001349898, 9);
    expect(normalCdf(0)).toBe(0.5);
  });

  it('normalCdf keeps relative accuracy in the lower tail', () => {
    // mpmath 1.3 ncdf at 30 digits. Rounding z/√2 costs about z²·ε of relative accuracy.
    expect(Math.abs(normalCdf(-10) / 7.619853024160526e-24 - 1)).toBeLessThan(1e-13);
    expect(Math.abs(normalCdf(-37) / 5.725571222524577e-300 - 1)).toBeLessThan(1e-12);
  });
});

describe('mixture moments', () => {
  it('mixtureMean of reference is 0', () => {
    expect(mixtureMean(REFERENCE)).toBeCloseTo(0, 15);
  });

  it('mixtureVariance of reference is 25.6', () => {
    // Σ w(σ² + μ²) = 0.4·4 + 0.3·40 + 0.3·40 = 25.6, and the mean is 0.
    expect(mixtureVariance(REFERENCE)).toBeCloseTo(25.6, 12);
  });

  it('mixtureStd of reference is √25.6', () => {
    expect(mixtureStd(REFERENCE)).toBeCloseTo(Math.sqrt(25.6), 12);
    expect(mixtureStd(REFERENCE)).toBeCloseTo(5.0596, 4);
  });

  it('mixtureVariance of shifted components', () => {
    const target: Target = {
      components: [
        { weight: 0.25, mean: 1, variance: 0.5 },
        { weight: 0.75, mean: 3, variance: 2 },
      ],
    };
    // mean = 2.5 and E[X²] = 0.25·(0.5 + 1) + 0.75·(2 + 9) = 8.625, so variance = 8.625 − 6.25.
    expect(mixtureMean(target)).toBeCloseTo(2.5, 14);
    expect(mixtureVariance(target)).toBeCloseTo(2.375, 13);
  });
});

describe('mixtureCdf', () => {
  it.each([-12, -6, -1.5, 0, 2, 6, 9])('mixtureCdf at %d matches integral of pdf', (x) => {
    const integral = simpson((t) => mixturePdf(REFERENCE, t), -40, x, 20_000);
    expect(Math.abs(mixtureCdf(REFERENCE, x) - integral)).toBeLessThan(1e-11);
  });

  it('mixtureSurvival is 1 − cdf and accurate in the upper tail', () => {
    for (const x of [-8, 0, 3, 7]) {
      expect(mixtureSurvival(REFERENCE, x) + mixtureCdf(REFERENCE, x)).toBeCloseTo(1, 15);
    }
    // At x = 40 only the N(6, 4) component matters: 0.3·(1 − Φ(17)) = 0.3·Φ(−17).
    expect(mixtureSurvival(REFERENCE, 40) / (0.3 * normalCdf(-17))).toBeCloseTo(1, 12);
    expect(mixtureSurvival(REFERENCE, 40)).toBeGreaterThan(0);
  });

  it('mixtureCdf of reference is symmetric', () => {
    for (const x of [0.5, 3, 6, 11]) {
      expect(mixtureCdf(REFERENCE, -x)).toBeCloseTo(mixtureSurvival(REFERENCE, x), 15);
    }
  });
});

describe('mixtureQuantile', () => {
  it.each([1e-300, 1e-12, 1e-4, 0.01, 0.3, 0.5, 0.77, 0.999, 1 - 1e-9])('mixtureQuantile inverts cdf at p=%d', (p) => {
    const x = mixtureQuantile(REFERENCE, p);
    if (p <= 0.5) {
      expect(Math.abs(mixtureCdf(REFERENCE, x) - p) / p).toBeLessThan(1e-12);
    } else {
      const q = 1 - p;
      expect(Math.abs(mixtureSurvival(REFERENCE, x) - q) / q).toBeLessThan(1e-12);
    }
  });

  it('mixtureQuantile of reference median is 0', () => {
    expect(mixtureQuantile(REFERENCE, 0.5)).toBeCloseTo(0, 12);
  });

  it('mixtureQuantile of one normal matches known z', () => {
    const normal: Target = { components: [{ weight: 1, mean: 2, variance: 9 }] };
    // Φ⁻¹(0.975) = 1.959963984540054.
    expect(mixtureQuantile(normal, 0.975)).toBeCloseTo(2 + 3 * 1.959963984540054, 12);
  });

  it('mixtureQuantile ends and invalid p', () => {
    expect(mixtureQuantile(REFERENCE, 0)).toBe(-Infinity);
    expect(mixtureQuantile(REFERENCE, 1)).toBe(Infinity);
    expect(() => mixtureQuantile(REFERENCE, 1.5)).toThrow(RangeError);
    expect(() => mixtureQuantile(REFERENCE, Number.NaN)).toThrow(RangeError);
  });
});

describe('evaluateMixtureAt', () => {
  it.each([-15, -4, 0, 1.3, 8])('evaluateMixtureAt integrals at %d match quadrature', (x) => {
    const point = evaluateMixtureAt(REFERENCE, x, createMixturePoint());
    const cdfIntegral = simpson((t) => mixtureCdf(REFERENCE, t), -50, x, 20_000);
    const survivalIntegral = simpson((t) => mixtureSurvival(REFERENCE, t), x, 50, 20_000);

    expect(point.cdf).toBeCloseTo(mixtureCdf(REFERENCE, x), 15);
    expect(point.survival).toBeCloseTo(mixtureSurvival(REFERENCE, x), 15);
    expect(Math.abs(point.cdfIntegral - cdfIntegral)).toBeLessThan(1e-10);
    expect(Math.abs(point.survivalIntegral - survivalIntegral)).toBeLessThan(1e-10);
  });

  it('evaluateMixtureAt integrals differ by x − mean', () => {
    const point = createMixturePoint();
    for (const x of [-9, -1, 0, 2.5, 12]) {
      evaluateMixtureAt(REFERENCE, x, point);
      expect(point.cdfIntegral - point.survivalIntegral).toBeCloseTo(x - mixtureMean(REFERENCE), 13);
    }
  });

  it('evaluateMixtureAt normal closed form', () => {
    // For N(0, 1) at x = 0: ∫_{−∞}^0 Φ = φ(0) = 1/√(2π).
    const point = evaluateMixtureAt({ components: [{ weight: 1, mean: 0, variance: 1 }] }, 0, createMixturePoint());
    expect(point.cdfIntegral).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 15);
    expect(point.survivalIntegral).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 15);
  });
});

describe('sampleMixture', () => {
  it('sampleMixture moments match reference', () => {
    const n = 200_000;
    const samples = sampleMixture(REFERENCE, new Rng(11), new Float64Array(n));
    let sum = 0;
    for (const x of samples) sum += x;
    const mean = sum / n;
    let squares = 0;
    for (const x of samples) squares += (x - mean) ** 2;
    const variance = squares / n;

    // Standard errors: √(25.6/n) = 0.011 for the mean, √((μ4 − σ⁴)/n) = 0.059 for the
    // variance, with fourth central moment μ4 = 0.4·48 + 0.6·2208 = 1344. Allow 4 of each.
    expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt(25.6 / n));
    expect(Math.abs(variance - 25.6)).toBeLessThan(4 * Math.sqrt((1344 - 25.6 ** 2) / n));
  });

  it('sampleMixture tail fraction matches survival', () => {
    const n = 200_000;
    const samples = sampleMixture(REFERENCE, new Rng(12), new Float64Array(n));
    for (const x of [-6, 1, 4]) {
      const expected = mixtureSurvival(REFERENCE, x);
      const observed = samples.filter((value) => value > x).length / n;
      expect(Math.abs(observed - expected)).toBeLessThan(4 * Math.sqrt((expected * (1 - expected)) / n));
    }
  });

  it('sampleMixture is reproducible by seed', () => {
    const first = sampleMixture(REFERENCE, new Rng(5), new Float64Array(1000));
    const second = sampleMixture(REFERENCE, new Rng(5), new Float64Array(1000));
    const single = sampleMixture(REFERENCE, new Rng(5), new Float32Array(1000));
    expect(second).toEqual(first);
    expect(single).toEqual(Float32Array.from(first));
  });

  it('sampleMixture returns its output array', () => {
    const out = new Float32Array(16);
    expect(sampleMixture(REFERENCE, new Rng(1), out)).toBe(out);
  });
});
