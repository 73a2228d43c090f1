/**
 * Loads a trained generator saved by a worker (tfjs LayersModel: model.json + weights.bin)
 * and draws samples from it on the main thread with the tfjs wasm backend.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import { GENERATOR_FILES } from '../shared/artifacts.js';
import { deriveSeed, Rng, STREAM } from '../shared/rng.js';

/** Rows of noise per forward pass, which bounds the memory of a large draw. */
const SAMPLE_BATCH_ROWS = 65_536;

/** A generator that cannot be loaded from its folder. */
export class GeneratorLoadError extends Error {
  readonly code = 'GS_GENERATOR_INVALID';
}

/** Makes the wasm backend current in this thread, as the workers use it for training. */
export async function useWasmBackend(): Promise<void> {
  // PROD skips tfjs's debug checks and its console advice to install tfjs-node.
  tf.env().set('PROD', true);
  if (tf.getBackend() !== 'wasm' && !(await tf.setBackend('wasm'))) {
    throw new Error('failed to initialize the tfjs "wasm" backend');
  }
  await tf.ready();
}

/**
 * Reads the weight files that model.json lists, in manifest order, as tfjs's file handlers do.
 * A listed path must be a plain file name in the model's folder.
 */
function readWeights(directory: string, manifest: tf.io.WeightsManifestConfig): [tf.io.WeightsManifestEntry[], ArrayBuffer] {
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of manifest) {
    specs.push(...group.weights);
    for (const path of group.paths) {
      if (basename(path) !== path) {
        throw new GeneratorLoadError(`${join(directory, GENERATOR_FILES.model)} lists the weight file "${path}", which is not a file name in that folder`);
      }
      const bytes = readFileSync(join(directory, path));
      buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    }
  }
  return [specs, tf.io.concatenateArrayBuffers(buffers)];
}

/** Loads the LayersModel saved in `directory`; throws GeneratorLoadError when its files are missing or invalid. */
export async function loadGenerator(directory: string): Promise<tf.LayersModel> {
  const modelPath = join(directory, GENERATOR_FILES.model);
  if (!existsSync(modelPath)) throw new GeneratorLoadError(`${modelPath} not found`);

  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(readFileSync(modelPath, 'utf8')) as tf.io.ModelJSON;
  } catch (error) {
    throw new GeneratorLoadError(`failed to parse ${modelPath}: ${(error as Error).message}`);
  }

  const handler: tf.io.IOHandler = {
    load: () => tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => readWeights(directory, manifest)),
  };
  try {
    return await tf.loadLayersModel(handler);
  } catch (error) {
    if (error instanceof GeneratorLoadError) throw error;
    throw new GeneratorLoadError(`failed to load the generator in ${directory}: ${(error as Error).message}`);
  }
}

/** The latent size a generator expects: the width of its input. */
export function latentDimOf(model: tf.LayersModel): number {
  const width = model.inputs[0]?.shape[1];
  if (typeof width !== 'number') throw new GeneratorLoadError(`the generator's input has no fixed width: shape ${JSON.stringify(model.inputs[0]?.shape)}`);
  return width;
}

/**
 * Draws `count` samples. The noise comes from the stream that the evaluation derives from
 * its seed, so with `noiseSeed` = the sweep's eval.seed the first samples are exactly the
 * ones the final evaluation scored (up to float rounding of the layers' fused ops).
 */
export function sampleGenerator(model: tf.LayersModel, count: number, noiseSeed: number): Float32Array {
  const latentDim = latentDimOf(model);
  const rng = new Rng(deriveSeed(noiseSeed, STREAM.evalNoise));
  const samples = new Float32Array(count);

  for (let start = 0; start < count; start += SAMPLE_BATCH_ROWS) {
    const rows = Math.min(SAMPLE_BATCH_ROWS, count - start);
    // Noise is drawn row by row in order, so batching does not change the stream.
    const noise = rng.fillNormal(new Float32Array(rows * latentDim));
    const output = tf.tidy(() => model.predict(tf.tensor2d(noise, [rows, latentDim])) as tf.Tensor);
    samples.set(output.dataSync() as Float32Array, start);
    output.dispose();
  }
  return samples;
}
