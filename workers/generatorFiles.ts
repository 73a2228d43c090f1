/**
 * Saves a trained generator as a standard tfjs LayersModel (model.json + weights.bin), so
 * `tf.loadLayersModel` in any tfjs program can load it. The files are written here without
 * tfjs: loading tfjs costs a worker thread about 115 ms and 27 MB, which a fused-engine
 * worker needs for nothing else. generatorFiles.test.ts checks that model.json matches what
 * tfjs's own `model.save` writes for the same network.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

import { generatorDirectory, GENERATOR_FILES } from '../src/shared/artifacts.js';
import { createDirectories } from '../src/shared/files.js';
import type { TrialSpec } from '../src/shared/types.js';
import type { DenseWeights, GeneratorWeights } from './engine.js';

/** Provenance of a generator, stored as the model's `userDefinedMetadata`. */
export interface GeneratorMetadata {
  trialId: string;
  configId: string;
  seed: number;
}

/** Names and activations of the generator's layers, as the tfjs engine builds them. */
const LAYERS = [
  { name: 'dense1', activation: 'relu' },
  { name: 'dense2', activation: 'relu' },
  { name: 'dense3', activation: 'linear' },
] as const;

let layersVersion: string | null = null;

/** Returns the version of the tfjs-layers that @tensorflow/tfjs uses, which tfjs records as the model's `keras_version`. */
function tfjsLayersVersion(): string {
  if (layersVersion === null) {
    const fromTfjs = createRequire(createRequire(import.meta.url).resolve('@tensorflow/tfjs'));
    const manifest = readFileSync(fromTfjs.resolve('@tensorflow/tfjs-layers/package.json'), 'utf8');
    layersVersion = (JSON.parse(manifest) as { version: string }).version;
  }
  return layersVersion;
}

/** Builds the Keras config of one dense layer, with the default initializers that tfjs records. */
function denseConfig(layer: DenseWeights, index: number): object {
  return {
    class_name: 'Dense',
    config: {
      units: layer.outputs,
      activation: LAYERS[index].activation,
      use_bias: true,
      kernel_initializer: {
        class_name: 'VarianceScaling',
        config: { scale: 1, mode: 'fan_avg', distribution: 'normal', seed: null },
      },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
      name: LAYERS[index].name,
      trainable: true,
      // Only the first layer of a Sequential model records its input shape.
      ...(index === 0 ? { batch_input_shape: [null, layer.inputs], dtype: 'float32' } : {}),
    },
  };
}

/** Builds model.json of a generator: its topology, the manifest of weights.bin and the metadata. */
export function generatorModelJson(weights: GeneratorWeights, metadata: GeneratorMetadata): object {
  const version = tfjsLayersVersion();
  return {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${version}`,
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'generator', layers: weights.map(denseConfig) },
      keras_version: `tfjs-layers ${version}`,
      backend: 'tensor_flow.js',
    },
    weightsManifest: [
      {
        paths: [GENERATOR_FILES.weights],
        weights: weights.flatMap((layer, index) => [
          { name: `${LAYERS[index].name}/kernel`, shape: [layer.inputs, layer.outputs], dtype: 'float32' },
          { name: `${LAYERS[index].name}/bias`, shape: [layer.outputs], dtype: 'float32' },
        ]),
      },
    ],
    userDefinedMetadata: { ...metadata },
  };
}

/** Concatenates every kernel and bias, in manifest order, as little-endian float32. */
function weightBytes(weights: GeneratorWeights): Uint8Array {
  const values = new Float32Array(weights.reduce((total, layer) => total + layer.kernel.length + layer.bias.length, 0));
  let offset = 0;
  for (const layer of weights) {
    values.set(layer.kernel, offset);
    offset += layer.kernel.length;
    values.set(layer.bias, offset);
    offset += layer.bias.length;
  }
  // tfjs reads weights.bin as little-endian, the byte order of every platform Node.js supports.
  return new Uint8Array(values.buffer);
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

/** Saves the generator to `directory` (created when missing) as model.json and weights.bin. */
export function saveGenerator(weights: GeneratorWeights, directory: string, metadata: GeneratorMetadata): void {
  createDirectories(directory);
  // model.json is written last: once it is there, the weights it names are complete.
  writeFileAtomic(join(directory, GENERATOR_FILES.weights), weightBytes(weights));
  writeFileAtomic(join(directory, GENERATOR_FILES.model), JSON.stringify(generatorModelJson(weights, metadata)) + '\n');
}

/** A trained generator could not be saved; the code survives the thread boundary in the trial's outcome. */
export class GeneratorSaveError extends Error {
  readonly code = 'GS_GENERATOR_SAVE_FAILED';
}

/** Saves a trial's trained generator to `<artifactDirectory>/<trialId>/`. */
export function saveTrialGenerator(spec: TrialSpec, artifactDirectory: string, weights: GeneratorWeights): void {
  const directory = generatorDirectory(artifactDirectory, spec.trialId);
  try {
    saveGenerator(weights, directory, { trialId: spec.trialId, configId: spec.configId, seed: spec.seed });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GeneratorSaveError(`failed to save the generator of trial ${spec.trialId} to ${directory}: ${reason}`, { cause: error });
  }
}
