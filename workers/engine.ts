/**
 * The contract between the training loop and a tensor engine. The loop owns every random
 * draw and all bookkeeping; an engine only owns the two networks and their optimizers,
 * so a different engine can be swapped in without changing what a trial computes.
 */
import type { BackendName } from '../src/shared/types.js';

export interface GanEngine {
  /** The backend the engine runs on, recorded with the trial's result. */
  readonly backend: BackendName;
  /** Number of tensors the engine's runtime holds, for leak checks; null when not tracked. */
  tensorCount(): number | null;
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
  /** Releases every network, optimizer and tensor the engine created. */
  dispose(): void;
}
