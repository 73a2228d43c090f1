/**
 * Saves a trained generator as a standard tfjs LayersModel (model.json + weights.bin), so
 * `tf.loadLayersModel` in any tfjs program can load it. tfjs's own file:// handler ships
 * only with tfjs-node, which is optional here, so a save handler writes the two files.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

import { generatorDirectory, GENERATOR_FILES } from '../../src/shared/artifacts.js';
import type { TrialSpec } from '../../src/shared/types.js';
import type { GeneratorWeights } from '../engine.js';
import { tf } from './backend.js';

/** Provenance of a generator, stored as the model's `userDefinedMetadata`. */
export interface GeneratorMetadata {
  trialId: string;
  configId: string;
  seed: number;
}

/**
 * Builds a `tf.sequential` that computes the same function as the engine's generator:
 * dense → ReLU → dense → ReLU → dense (linear). The caller disposes the model.
 */
export function generatorModel(weights: GeneratorWeights): tf.Sequential {
  const [first, second, output] = weights;
  const model = tf.sequential({
    name: 'generator',
    layers: [
      tf.layers.dense({ name: 'dense1', inputShape: [first.inputs], units: first.outputs, activation: 'relu' }),
      tf.layers.dense({ name: 'dense2', units: second.outputs, activation: 'relu' }),
      tf.layers.dense({ name: 'dense3', units: output.outputs, activation: 'linear' }),
    ],
  });

  // setWeights copies the values into the layers' own variables.
  const tensors = weights.flatMap((layer) => [tf.tensor2d(layer.kernel, [layer.inputs, layer.outputs]), tf.tensor1d(layer.bias)]);
  try {
    model.setWeights(tensors);
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    tf.dispose(tensors);
  }
  return model;
}

/**
 * Writes through a temporary sibling and a rename, so a reader sees the old file or the new
 * one, never half a file. Worker threads share one process id, hence the thread id.
 */
function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}-${threadId}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

/** Writes the artifacts of `model.save` as model.json and weights.bin, weights first. */
function writeModelArtifacts(directory: string, artifacts: tf.io.ModelArtifacts): void {
  const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const modelJson = {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [GENERATOR_FILES.weights], weights: artifacts.weightSpecs ?? [] }],
    userDefinedMetadata: artifacts.userDefinedMetadata,
  };

  mkdirSync(directory, { recursive: true });
  // model.json is written last: once it is there, the weights it names are complete.
  writeFileAtomic(join(directory, GENERATOR_FILES.weights), new Uint8Array(weights));
  writeFileAtomic(join(directory, GENERATOR_FILES.model), JSON.stringify(modelJson) + '\n');
}

/** Saves the generator to `directory` (created when missing) as model.json and weights.bin. */
export async function saveGenerator(weights: GeneratorWeights, directory: string, metadata: GeneratorMetadata): Promise<void> {
  const model = generatorModel(weights);
  try {
    model.setUserDefinedMetadata({ ...metadata });
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        writeModelArtifacts(directory, artifacts);
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
  } finally {
    model.dispose();
  }
}

/** A trained generator could not be saved; the code survives the thread boundary in the trial's outcome. */
export class GeneratorSaveError extends Error {
  readonly code = 'GS_GENERATOR_SAVE_FAILED';
}

/** Saves a trial's trained generator to `<artifactDirectory>/<trialId>/`. */
export async function saveTrialGenerator(spec: TrialSpec, artifactDirectory: string, weights: GeneratorWeights): Promise<void> {
  const directory = generatorDirectory(artifactDirectory, spec.trialId);
  try {
    await saveGenerator(weights, directory, { trialId: spec.trialId, configId: spec.configId, seed: spec.seed });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GeneratorSaveError(`failed to save the generator of trial ${spec.trialId} to ${directory}: ${reason}`, { cause: error });
  }
}
