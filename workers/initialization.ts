/** Weight initialization shared by every engine, so that all of them start a trial from identical weights. */
import type { Rng } from '../src/shared/rng.js';

/**
 * Draws a Glorot-uniform kernel [inputs × outputs] in row-major order: uniform on
 * ±√(6 / (inputs + outputs)), the Keras Dense default. Biases start at zero.
 */
export function glorotUniform(inputs: number, outputs: number, rng: Rng): Float32Array {
  const limit = Math.sqrt(6 / (inputs + outputs));
  const values = new Float32Array(inputs * outputs);
  for (let i = 0; i < values.length; i++) values[i] = (2 * rng.nextFloat() - 1) * limit;
  return values;
}
