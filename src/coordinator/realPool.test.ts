import { describe, expect, it } from 'vitest';

import { sampleMeanStd } from '../shared/metrics.js';
import { mixtureStd } from '../shared/mixture.js';
import { createRealPool } from './realPool.js';

const TARGET = {
  components: [
    { weight: 0.4, mean: 0, variance: 4 },
    { weight: 0.3, mean: -6, variance: 4 },
    { weight: 0.3, mean: 6, variance: 4 },
  ],
};

describe('createRealPool', () => {
  it('fills shared memory with float32 target samples', () => {
    const pool = createRealPool(TARGET, { poolSize: 65536, seed: 1 });
    expect(pool).toBeInstanceOf(SharedArrayBuffer);
    expect(pool.byteLength).toBe(65536 * 4);
    const { mean, std } = sampleMeanStd(new Float32Array(pool));
    // Standard error of the mean is 5.06 / 256 ≈ 0.02.
    expect(Math.abs(mean)).toBeLessThan(0.08);
    expect(std).toBeCloseTo(mixtureStd(TARGET), 1);
  });

  it('draws the same pool for the same seed', () => {
    const first = new Float32Array(createRealPool(TARGET, { poolSize: 1024, seed: 9 }));
    const second = new Float32Array(createRealPool(TARGET, { poolSize: 1024, seed: 9 }));
    const other = new Float32Array(createRealPool(TARGET, { poolSize: 1024, seed: 10 }));
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
  });
});
