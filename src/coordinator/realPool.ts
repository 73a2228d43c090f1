/**
 * The pool of real samples drawn once per sweep. It lives in a SharedArrayBuffer so every
 * worker thread reads the same memory without a copy. Each trial draws its minibatches
 * from it with its own seeded index stream.
 */
import { deriveSeed, Rng, STREAM } from '../shared/rng.js';
import { sampleMixture } from '../shared/mixture.js';
import type { DataSettings, Target } from '../shared/types.js';

export function createRealPool(target: Target, data: DataSettings): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(data.poolSize * Float32Array.BYTES_PER_ELEMENT);
  sampleMixture(target, new Rng(deriveSeed(data.seed, STREAM.pool)), new Float32Array(buffer));
  return buffer;
}
