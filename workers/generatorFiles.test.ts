import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { loadGenerator, sampleGenerator } from '../src/sample/generator.js';
import { deriveSeed, Rng, STREAM } from '../src/shared/rng.js';
import type { Hyperparameters } from '../src/shared/types.js';
import { temporaryDirectory } from '../test/helpers.js';
import type { GeneratorWeights } from './engine.js';
import { generatorModelJson, saveGenerator, saveTrialGenerator } from './generatorFiles.js';
import { selectBackend, tf } from './tfjs/backend.js';
import { TfjsGanEngine } from './tfjs/engine.js';

const CONFIG: Hyperparameters = {
  latent_dim: 3,
  g_hidden: 5,
  d_hidden: 4,
  lr_g: 0.001,
  lr_d: 0.001,
  beta1: 0.5,
  beta2: 0.999,
  batch_size: 8,
  steps: 1,
  d_steps: 1,
};

const METADATA = { trialId: 't-s1', configId: 't', seed: 1 };

beforeAll(async () => {
  await selectBackend('wasm');
});

function newEngine(): TfjsGanEngine {
  return new TfjsGanEngine(CONFIG, new Rng(42), 'wasm');
}

/** Saves the same generator with tfjs's own `model.save` and returns what tfjs wrote. */
async function tfjsArtifacts(weights: GeneratorWeights): Promise<tf.io.ModelArtifacts> {
  const [first, second, output] = weights;
  const model = tf.sequential({
    name: 'generator',
    layers: [
      tf.layers.dense({ name: 'dense1', inputShape: [first.inputs], units: first.outputs, activation: 'relu' }),
      tf.layers.dense({ name: 'dense2', units: second.outputs, activation: 'relu' }),
      tf.layers.dense({ name: 'dense3', units: output.outputs, activation: 'linear' }),
    ],
  });
  const tensors = weights.flatMap((layer) => [tf.tensor2d(layer.kernel, [layer.inputs, layer.outputs]), tf.tensor1d(layer.bias)]);
  let saved: tf.io.ModelArtifacts | null = null;
  try {
    model.setWeights(tensors);
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
  } finally {
    tf.dispose(tensors);
    model.dispose();
  }
  return saved!;
}

describe('saveGenerator', () => {
  it('writes a LayersModel that computes the engine generator', async () => {
    const engine = newEngine();
    const directory = join(temporaryDirectory(), 'generator');
    const noise = new Rng(deriveSeed(7, STREAM.evalNoise)).fillNormal(new Float32Array(100 * CONFIG.latent_dim));
    try {
      saveGenerator(engine.exportGenerator(), directory, METADATA);
      const before = tf.memory().numTensors;
      const model = await loadGenerator(directory);
      const samples = sampleGenerator(model, 100, 7);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);

      const expected = engine.generate(noise, 100);
      for (let i = 0; i < 100; i++) expect(samples[i]).toBeCloseTo(expected[i]!, 5);
    } finally {
      engine.dispose();
    }
  });

  it('writes the model.json and weights.bin that tfjs writes', async () => {
    const engine = newEngine();
    const directory = join(temporaryDirectory(), 'generator');
    const weights = engine.exportGenerator();
    engine.dispose();
    saveGenerator(weights, directory, METADATA);
    const reference = await tfjsArtifacts(weights);

    const modelJson = JSON.parse(readFileSync(join(directory, 'model.json'), 'utf8'));
    expect(modelJson.format).toBe(reference.format);
    expect(modelJson.generatedBy).toBe(reference.generatedBy);
    expect(modelJson.modelTopology).toEqual(reference.modelTopology);
    expect(modelJson.weightsManifest).toEqual([{ paths: ['weights.bin'], weights: reference.weightSpecs }]);
    expect(modelJson.userDefinedMetadata).toEqual(METADATA);

    const bytes = readFileSync(join(directory, 'weights.bin'));
    expect(new Uint8Array(bytes)).toEqual(new Uint8Array(tf.io.CompositeArrayBuffer.join(reference.weightData)));
    // 15 + 5 + 25 + 5 + 5 + 1 = 56 float32 values.
    expect(statSync(join(directory, 'weights.bin')).size).toBe(56 * 4);
  });

  it('records the input width only on the first layer', () => {
    const engine = newEngine();
    const json = generatorModelJson(engine.exportGenerator(), METADATA) as {
      modelTopology: { config: { layers: Array<{ config: Record<string, unknown> }> } };
    };
    engine.dispose();
    const layers = json.modelTopology.config.layers.map((layer) => layer.config);
    expect(layers[0].batch_input_shape).toEqual([null, 3]);
    expect(layers[1]).not.toHaveProperty('batch_input_shape');
    expect(layers[2]).not.toHaveProperty('batch_input_shape');
  });
});

describe('saveTrialGenerator', () => {
  it('reports a failed write with its code and trial id', () => {
    const engine = newEngine();
    // A file where the folder should go makes mkdir fail.
    const blocked = join(temporaryDirectory(), 'file');
    writeFileSync(blocked, '');
    const spec = { trialId: 'c1-s3', configId: 'c1', seed: 3 } as Parameters<typeof saveTrialGenerator>[0];
    try {
      expect(() => saveTrialGenerator(spec, blocked, engine.exportGenerator())).toThrow(
        expect.objectContaining({
          code: 'GS_GENERATOR_SAVE_FAILED',
          message: expect.stringContaining('failed to save the generator of trial c1-s3'),
        }),
      );
    } finally {
      engine.dispose();
    }
  });
});
