import { beforeAll, describe, expect, it } from 'vitest';

import { Rng } from '../../src/shared/rng.js';
import type { Hyperparameters } from '../../src/shared/types.js';
import { selectBackend, tf } from './backend.js';
import { TfjsGanEngine } from './engine.js';

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

describe('TfjsGanEngine.discriminate', () => {
  it('returns ½ at x = 0 before training and keeps the tensor count', () => {
    const engine = new TfjsGanEngine(CONFIG, new Rng(1), 'wasm');
    try {
      const before = tf.memory().numTensors;
      // With zero biases, x = 0 gives tanh(0) = 0, ReLU(0) = 0 and a logit of 0, so D = sigmoid(0) = ½.
      const probabilities = engine.discriminate(Float32Array.from([0, -3, 3]));
      expect(tf.memory().numTensors).toBe(before);
      expect(probabilities).toHaveLength(3);
      expect(probabilities[0]).toBe(0.5);
      for (const value of probabilities) {
        expect(value).toBeGreaterThan(0);
        expect(value).toBeLessThan(1);
      }
    } finally {
      engine.dispose();
    }
  });
});

describe('TfjsGanEngine.exportGenerator', () => {
  it('copies the three layers with their shapes', () => {
    const engine = new TfjsGanEngine(CONFIG, new Rng(1), 'wasm');
    try {
      const noise = new Rng(2).fillNormal(new Float32Array(4 * CONFIG.latent_dim));
      const before = engine.generate(noise, 4);

      const layers = engine.exportGenerator();

      expect(layers.map(({ inputs, outputs }) => [inputs, outputs])).toEqual([[3, 5], [5, 5], [5, 1]]);
      expect(layers.map(({ kernel, bias }) => [kernel.length, bias.length])).toEqual([[15, 5], [25, 5], [5, 1]]);
      // Changing the copies leaves the engine's variables as they were.
      for (const layer of layers) layer.kernel.fill(0);
      expect(engine.generate(noise, 4)).toEqual(before);
    } finally {
      engine.dispose();
    }
  });
});
