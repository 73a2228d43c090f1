import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { loadGenerator, sampleGenerator } from '../../src/sample/generator.js';
import { deriveSeed, Rng, STREAM } from '../../src/shared/rng.js';
import type { Hyperparameters } from '../../src/shared/types.js';
import { temporaryDirectory } from '../../test/helpers.js';
import { selectBackend, tf } from './backend.js';
import { TfjsGanEngine } from './engine.js';
import { saveGenerator, saveTrialGenerator } from './generatorModel.js';

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

beforeAll(async () => {
  await selectBackend('wasm');
});

function newEngine(): TfjsGanEngine {
  return new TfjsGanEngine(CONFIG, new Rng(42), 'wasm');
}

describe('saveGenerator', () => {
  it('writes a LayersModel that computes the engine generator', async () => {
    const engine = newEngine();
    const directory = join(temporaryDirectory(), 'generator');
    const noise = new Rng(deriveSeed(7, STREAM.evalNoise)).fillNormal(new Float32Array(100 * CONFIG.latent_dim));
    try {
      const before = tf.memory().numTensors;
      await saveGenerator(engine.exportGenerator(), directory, { trialId: 't-s1', configId: 't', seed: 1 });
      expect(tf.memory().numTensors).toBe(before);

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

  it('writes model.json in the tfjs layers-model format', async () => {
    const engine = newEngine();
    const directory = join(temporaryDirectory(), 'generator');
    try {
      await saveGenerator(engine.exportGenerator(), directory, { trialId: 't-s1', configId: 't', seed: 1 });
    } finally {
      engine.dispose();
    }

    const modelJson = JSON.parse(readFileSync(join(directory, 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.modelTopology.class_name).toBe('Sequential');
    expect(modelJson.weightsManifest).toEqual([
      {
        paths: ['weights.bin'],
        weights: [
          { name: 'dense1/kernel', shape: [3, 5], dtype: 'float32' },
          { name: 'dense1/bias', shape: [5], dtype: 'float32' },
          { name: 'dense2/kernel', shape: [5, 5], dtype: 'float32' },
          { name: 'dense2/bias', shape: [5], dtype: 'float32' },
          { name: 'dense3/kernel', shape: [5, 1], dtype: 'float32' },
          { name: 'dense3/bias', shape: [1], dtype: 'float32' },
        ],
      },
    ]);
    expect(modelJson.userDefinedMetadata).toEqual({ trialId: 't-s1', configId: 't', seed: 1 });
    // 15 + 5 + 25 + 5 + 5 + 1 = 56 float32 values.
    expect(statSync(join(directory, 'weights.bin')).size).toBe(56 * 4);
  });
});

describe('saveTrialGenerator', () => {
  it('reports a failed write with its code and trial id', async () => {
    const engine = newEngine();
    // A file where the folder should go makes mkdir fail.
    const blocked = join(temporaryDirectory(), 'file');
    writeFileSync(blocked, '');
    const spec = { trialId: 'c1-s3', configId: 'c1', seed: 3 } as Parameters<typeof saveTrialGenerator>[0];
    try {
      await expect(saveTrialGenerator(spec, blocked, engine.exportGenerator())).rejects.toMatchObject({
        code: 'GS_GENERATOR_SAVE_FAILED',
        message: expect.stringContaining('failed to save the generator of trial c1-s3'),
      });
    } finally {
      engine.dispose();
    }
  });
});
