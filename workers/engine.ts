/**
 * The contract between the training loop and a tensor engine. The loop owns every random
 * draw and all bookkeeping. An engine only owns the two networks and their optimizers,
 * so a different engine can be swapped in without changing what a trial computes.
 */
import type { BackendName } from '../src/shared/types.js';

/** One dense layer's weights: `kernel` is [inputs, outputs] in row-major order, `bias` is [outputs]. */
export interface DenseWeights {
  inputs: number;
  outputs: number;
  kernel: Float32Array;
  bias: Float32Array;
}

/** The generator's three dense layers, input first: ReLU, ReLU, then a linear output. */
export type GeneratorWeights = [DenseWeights, DenseWeights, DenseWeights];

export interface GanEngine {
  /** The backend the engine runs on, recorded with the trial's result. */
  readonly backend: BackendName;
  /** Number of tensors the engine's runtime holds, for leak checks; null when not tracked. */
  tensorCount(): number | null;
  /**
   * Whether a stop request cut a step, generate or discriminate call short. Its results and
   * the weights are then invalid, and the trial must end as interrupted.
   */
  interrupted(): boolean;
  /**
   * Updates the discriminator once. `real` contains `batch` samples, `noise` contains
   * `batch × latent` standard normal values in row-major order. Returns the D loss before
   * the update.
   */
  discriminatorStep(real: Float32Array, noise: Float32Array): number;
  /** Updates the generator once from `batch × latent` noise values; returns the G loss. */
  generatorStep(noise: Float32Array): number;
  /** Runs the generator on `count × latent` noise values and returns `count` samples. */
  generate(noise: Float32Array, count: number): Float32Array;
  /** Runs the discriminator on `x.length` points and returns D(x) = sigmoid(logit) for each. */
  discriminate(x: Float32Array): Float32Array;
  /** Copies the generator's current weights out of the engine. */
  exportGenerator(): GeneratorWeights;
  /** Releases every network, optimizer and tensor the engine created. */
  dispose(): void;
}
