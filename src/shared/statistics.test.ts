import { describe, expect, it } from 'vitest';

import { mannWhitneyU } from './statistics.js';

describe('mannWhitneyU', () => {
  it('gives p = 0.1 for two separated samples of three', () => {
    // Of the C(6, 3) = 20 orderings, 2 are as extreme as complete separation.
    const result = mannWhitneyU([4, 5, 6], [1, 2, 3]);
    expect(result.u).toBe(9);
    expect(result.pValue).toBeCloseTo(0.1, 12);
  });

  it('gives p = 1 for interleaved samples at the mean', () => {
    const result = mannWhitneyU([1, 4], [2, 3]);
    expect(result.u).toBe(2);
    expect(result.pValue).toBe(1);
  });

  it('matches brute-force enumeration for 8 and 8', () => {
    const first = [1, 2, 3, 4, 5, 7, 9, 14];
    const second = [6, 8, 10, 11, 12, 13, 15, 16];
    const result = mannWhitneyU(first, second);

    // Reference: enumerate all C(16, 8) = 12870 ways to pick the first sample's ranks.
    const uOf = (ranks: number[]) => ranks.reduce((sum, rank, index) => sum + rank - index, 0);
    let extreme = 0;
    let total = 0;
    const pick = (start: number, chosen: number[]): void => {
      if (chosen.length === 8) {
        total++;
        if (Math.abs(uOf(chosen) - 32) >= Math.abs(result.u - 32)) extreme++;
        return;
      }
      for (let rank = start; rank < 16; rank++) pick(rank + 1, [...chosen, rank]);
    };
    pick(0, []);

    expect(result.u).toBe(9);
    expect(total).toBe(12870);
    expect(result.pValue).toBeCloseTo(extreme / total, 12);
  });
});
