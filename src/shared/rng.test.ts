import { describe, expect, it } from 'vitest';

import { normalCdf } from './mixture.js';
import { Rng, ZIGGURAT_AREA, ZIGGURAT_EDGES, ZIGGURAT_R } from './rng.js';

const halfNormal = (x: number) => Math.exp(-0.5 * x * x);

/** Kolmogorov–Smirnov distance between sorted samples and a continuous CDF. */
function ksDistance(sorted: Float64Array, cdf: (x: number) => number): number {
  let distance = 0;
  for (let i = 0; i < sorted.length; i++) {
    const p = cdf(sorted[i]);
    distance = Math.max(distance, Math.abs(p - i / sorted.length), Math.abs((i + 1) / sorted.length - p));
  }
  return distance;
}

/** KS distance above which the 0.1% test rejects, for n samples (asymptotic, 1.949/√n). */
const ksCritical = (n: number) => 1.949 / Math.sqrt(n);

describe('Rng', () => {
  it('streams depend only on the seed', () => {
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 20 }, () => [rng.nextUint32(), rng.nextNormal()]).flat();
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(8)).not.toEqual(draw(7));
  });

  it('fills an array with the values that nextNormal draws one by one', () => {
    // 100,000 draws include about 2,800 outside the layer above and 60 from the tail.
    const drawnOneByOne = new Rng(5);
    const expected = Float32Array.from({ length: 100_000 }, () => drawnOneByOne.nextNormal());
    const filled = new Rng(5);
    expect(filled.fillNormal(new Float32Array(100_000))).toEqual(expected);
    // Both generators end in the same state.
    expect(filled.nextUint32()).toBe(drawnOneByOne.nextUint32());
  });

  it('draws uniform integers below n without bias', () => {
    const rng = new Rng(3);
    const counts = new Array(6).fill(0);
    const n = 600_000;
    for (let i = 0; i < n; i++) counts[rng.nextInt(6)]++;
    // Each count is binomial(n, 1/6): standard deviation about 289.
    for (const count of counts) expect(Math.abs(count - n / 6)).toBeLessThan(5 * 289);
  });
});

describe('ziggurat', () => {
  it('has layers of equal area that cover the half-normal density', () => {
    // The base layer is the rectangle up to r plus the tail beyond it.
    const tail = Math.sqrt(Math.PI / 2) * 2 * (1 - normalCdf(ZIGGURAT_R));
    expect(ZIGGURAT_R * halfNormal(ZIGGURAT_R) + tail).toBeCloseTo(ZIGGURAT_AREA, 9);
    for (let i = 1; i < 128; i++) {
      const area = ZIGGURAT_EDGES[i] * (halfNormal(ZIGGURAT_EDGES[i + 1]) - halfNormal(ZIGGURAT_EDGES[i]));
      expect(area, `layer ${i}`).toBeCloseTo(ZIGGURAT_AREA, 6);
    }
  });

  it('draws standard normal deviates', () => {
    const n = 1_000_000;
    const rng = new Rng(11);
    const samples = new Float64Array(n);
    for (let i = 0; i < n; i++) samples[i] = rng.nextNormal();

    let sum = 0;
    let squares = 0;
    let fourth = 0;
    let negative = 0;
    for (const x of samples) {
      sum += x;
      squares += x * x;
      fourth += x ** 4;
      if (x < 0) negative++;
    }
    // Standard errors of the mean, the variance and the fourth moment: 1/√n, √(2/n), √(96/n).
    expect(Math.abs(sum / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(squares / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(fourth / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
    expect(Math.abs(negative - n / 2)).toBeLessThan(5 * Math.sqrt(n / 4));

    expect(ksDistance(samples.sort(), normalCdf)).toBeLessThan(ksCritical(n));
  });

  it('draws the tail beyond r with the normal tail probability and shape', () => {
    const rng = new Rng(12);
    const n = 4_000_000;
    const tail: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = Math.abs(rng.nextNormal());
      if (x > ZIGGURAT_R) tail.push(x);
    }
    const expected = 2 * (1 - normalCdf(ZIGGURAT_R)) * n;
    expect(Math.abs(tail.length - expected)).toBeLessThan(5 * Math.sqrt(expected));

    // Conditional on exceeding r, |x| has CDF (Φ(x) − Φ(r)) ÷ (1 − Φ(r)).
    const survival = 1 - normalCdf(ZIGGURAT_R);
    const sorted = Float64Array.from(tail).sort();
    expect(ksDistance(sorted, (x) => (normalCdf(x) - normalCdf(ZIGGURAT_R)) / survival)).toBeLessThan(ksCritical(sorted.length));
  });
});
