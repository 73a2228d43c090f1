/**
 * Layout of the trained generators in a sweep directory. Each trial's generator is a tfjs
 * LayersModel, saved as `<sweep directory>/generators/<trialId>/model.json` with its
 * weights beside it.
 */
import { join } from 'node:path';

/** Folder of the trained generators inside a sweep directory. */
export const GENERATORS_DIRECTORY = 'generators';

/** File names of one saved generator, in the layout that tfjs's own file handlers use. */
export const GENERATOR_FILES = {
  model: 'model.json',
  weights: 'weights.bin',
} as const;

/** Returns the folder of one trial's generator under `artifactDirectory`. */
export function generatorDirectory(artifactDirectory: string, trialId: string): string {
  return join(artifactDirectory, trialId);
}
