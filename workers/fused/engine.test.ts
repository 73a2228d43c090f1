import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';

import { Rng } from '../../src/shared/rng.js';
import type { Hyperparameters } from '../../src/shared/types.js';
import { selectBackend, tf } from '../tfjs/backend.js';
import { discriminatorLoss, generatorLoss } from '../tfjs/losses.js';
import { createDiscriminator, createGenerator, discriminate, generate, variablesOf, type Mlp } from '../tfjs/networks.js';
import { ADAM_EPSILON, DISCRIMINATOR, FusedGanEngine, fusedUnsupportedReason, GENERATOR } from './engine.js';
import { nativeKernels, wasmKernels, type FusedKernels } from './kernels.js';

/**
 * Float32 tolerance of the parity checks. The engines sum in different orders and the
 * fused engine uses its own exp, log and tanh (relative error about 2e-7), so values agree
 * to a few units in the 5th or 6th significant digit: |a − b| ≤ ABSOLUTE + RELATIVE·|b|.
 */
const RELATIVE = 2e-4;
const ABSOLUTE = 2e-6;

const REFERENCE: Hyperparameters = {
  latent_dim: 8, g_hidden: 32, d_hidden: 32, lr_g: 0.001, lr_d: 0.002,
  beta1: 0.5, beta2: 0.999, batch_size: 64, steps: 10, d_steps: 1,
};

/**
 * Sizes that are not multiples of any SIMD width or block size, so that every edge path of
 * the blocked matrix products runs, with the generator and discriminator of different widths.
 */
const UNEVEN: Hyperparameters = { ...REFERENCE, latent_dim: 3, g_hidden: 13, d_hidden: 21, batch_size: 37 };

/** Each build of the kernels, with the backend name its trials record. */
const KERNELS: Array<[string, 'native' | 'wasm', () => FusedKernels]> = [
  ['native', 'native', () => nativeKernels('best')],
  ['native baseline', 'native', () => nativeKernels('baseline')],
  ['wasm', 'wasm', wasmKernels],
];

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  let worst = 0;
  let worstIndex = -1;
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(actual[i] - expected[i]) - (ABSOLUTE + RELATIVE * Math.abs(expected[i]));
    if (excess > worst) {
      worst = excess;
      worstIndex = i;
    }
  }
  expect(worstIndex, `${label}: index ${worstIndex}: ${actual[worstIndex]} vs ${expected[worstIndex]}`).toBe(-1);
}

function flatten(tensors: tf.Tensor[]): Float32Array {
  const parts = tensors.map((tensor) => tensor.dataSync() as Float32Array);
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

interface Pair {
  fused: FusedGanEngine;
  generator: Mlp;
  discriminator: Mlp;
  real: Float32Array;
  noise: Float32Array;
}

/** Builds both engines from the same seed, and one batch of real samples and noise. */
function pair(config: Hyperparameters, kernels: () => FusedKernels, seed: number): Pair {
  const generator = createGenerator(config.latent_dim, config.g_hidden, new Rng(seed));
  const rngForD = new Rng(seed);
  createGenerator(config.latent_dim, config.g_hidden, rngForD).layers.forEach((layer) => tf.dispose([layer.kernel, layer.bias]));
  const discriminator = createDiscriminator(config.d_hidden, rngForD);
  const fused = new FusedGanEngine(config, new Rng(seed), kernels());

  const batchRng = new Rng(seed + 1000);
  const real = new Float32Array(config.batch_size).map(() => 6 * batchRng.nextNormal());
  const noise = batchRng.fillNormal(new Float32Array(config.batch_size * config.latent_dim));
  fused.loadBatch(real, noise);
  return { fused, generator, discriminator, real, noise };
}

function disposePair({ generator, discriminator }: Pair): void {
  tf.dispose([...variablesOf(generator), ...variablesOf(discriminator)]);
}

function named(grads: tf.NamedTensorMap): Array<{ name: string; tensor: tf.Tensor }> {
  return Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));
}

function tfjsDiscriminatorGradients(config: Hyperparameters, p: Pair) {
  return tf.variableGrads(() => {
    const real = tf.tensor2d(p.real, [config.batch_size, 1]);
    const fake = generate(p.generator, tf.tensor2d(p.noise, [config.batch_size, config.latent_dim]));
    return discriminatorLoss(discriminate(p.discriminator, real), discriminate(p.discriminator, fake));
  }, variablesOf(p.discriminator));
}

function tfjsGeneratorGradients(config: Hyperparameters, p: Pair) {
  return tf.variableGrads(() => {
    const z = tf.tensor2d(p.noise, [config.batch_size, config.latent_dim]);
    return generatorLoss(discriminate(p.discriminator, generate(p.generator, z)));
  }, variablesOf(p.generator));
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe.each(KERNELS)('FusedGanEngine on %s kernels', (_build, backend, kernels) => {
  describe.each([['reference', REFERENCE], ['uneven', UNEVEN]] as const)('%s sizes', (_sizes, config) => {
    it('records its kernels as the backend', () => {
      const p = pair(config, kernels, 2);
      expect(p.fused.backend).toBe(backend);
      disposePair(p);
    });

    it('starts from the tfjs engine weights', () => {
      const p = pair(config, kernels, 3);
      expect(p.fused.parameters(GENERATOR)).toEqual(flatten(variablesOf(p.generator)));
      expect(p.fused.parameters(DISCRIMINATOR)).toEqual(flatten(variablesOf(p.discriminator)));
      disposePair(p);
    });

    it('matches the tfjs discriminator loss and gradients', () => {
      const p = pair(config, kernels, 4);
      const { value, grads } = tfjsDiscriminatorGradients(config, p);
      const loss = p.fused.discriminatorLossAndGradients();

      expect(Math.abs(loss - value.dataSync()[0])).toBeLessThan(ABSOLUTE + RELATIVE * Math.abs(loss));
      expectClose(p.fused.gradients(DISCRIMINATOR), flatten(variablesOf(p.discriminator).map((v) => grads[v.name])), 'D gradients');
      tf.dispose([value, ...Object.values(grads)]);
      disposePair(p);
    });

    it('matches the tfjs generator loss and gradients', () => {
      const p = pair(config, kernels, 5);
      const { value, grads } = tfjsGeneratorGradients(config, p);
      const loss = p.fused.generatorLossAndGradients();

      expect(Math.abs(loss - value.dataSync()[0])).toBeLessThan(ABSOLUTE + RELATIVE * Math.abs(loss));
      expectClose(p.fused.gradients(GENERATOR), flatten(variablesOf(p.generator).map((v) => grads[v.name])), 'G gradients');
      tf.dispose([value, ...Object.values(grads)]);
      disposePair(p);
    });

    it('matches tfjs Adam updates over several steps', () => {
      const p = pair(config, kernels, 6);
      const dOptimizer = tf.train.adam(config.lr_d, config.beta1, config.beta2, ADAM_EPSILON);
      const gOptimizer = tf.train.adam(config.lr_g, config.beta1, config.beta2, ADAM_EPSILON);
      for (let step = 0; step < 3; step++) {
        const d = tfjsDiscriminatorGradients(config, p);
        dOptimizer.applyGradients(named(d.grads));
        p.fused.discriminatorLossAndGradients();
        p.fused.applyAdam(DISCRIMINATOR, config.lr_d);

        const g = tfjsGeneratorGradients(config, p);
        gOptimizer.applyGradients(named(g.grads));
        p.fused.generatorLossAndGradients();
        p.fused.applyAdam(GENERATOR, config.lr_g);
        tf.dispose([d.value, g.value, ...Object.values(d.grads), ...Object.values(g.grads)]);
      }

      expectClose(p.fused.parameters(DISCRIMINATOR), flatten(variablesOf(p.discriminator)), 'D weights');
      expectClose(p.fused.parameters(GENERATOR), flatten(variablesOf(p.generator)), 'G weights');
      dOptimizer.dispose();
      gOptimizer.dispose();
      disposePair(p);
    });

    it('generates what the tfjs generator generates', () => {
      const p = pair(config, kernels, 7);
      const noise = new Rng(8).fillNormal(new Float32Array(3000 * config.latent_dim));
      const expected = tf.tidy(() => generate(p.generator, tf.tensor2d(noise, [3000, config.latent_dim])).dataSync());
      expectClose(p.fused.generate(noise, 3000), expected, 'samples');
      disposePair(p);
    });

    it('computes D(x) like tfjs', () => {
      const p = pair(config, kernels, 9);
      const x = new Float32Array(101).map((_, i) => -20 + 0.4 * i);
      const expected = tf.tidy(() => tf.sigmoid(discriminate(p.discriminator, tf.tensor2d(x, [101, 1]))).dataSync());
      expectClose(p.fused.discriminate(x), expected, 'D(x)');
      disposePair(p);
    });

    it('rejects configurations too large for its memory', () => {
      expect(fusedUnsupportedReason(config)).toBeNull();
      expect(fusedUnsupportedReason({ ...config, d_hidden: 20000 })).toMatch(/needs about \d+ MiB/);
    });
  });
});

describe('FusedGanEngine stop flags', () => {
  it('skips a native step when a flag is already set', () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const engine = new FusedGanEngine(REFERENCE, new Rng(1), nativeKernels(), [flag]);
    const batch = new Rng(2).fillNormal(new Float32Array(REFERENCE.batch_size * REFERENCE.latent_dim));
    engine.discriminatorStep(batch.subarray(0, REFERENCE.batch_size), batch);
    expect(engine.interrupted()).toBe(false);

    Atomics.store(flag, 0, 1);
    engine.generatorStep(batch);
    expect(engine.interrupted()).toBe(true);
  });

  it('ends a long native step that another thread stops', async () => {
    // One step at hidden 2048 and batch 2048 is about 200 GFLOP, seconds on any CPU, while
    // the other thread sets the flag after 50 ms.
    const config = { ...REFERENCE, g_hidden: 2048, d_hidden: 2048, batch_size: 2048 };
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const engine = new FusedGanEngine(config, new Rng(1), nativeKernels(), [new Int32Array(new SharedArrayBuffer(4)), flag]);
    const noise = new Rng(2).fillNormal(new Float32Array(config.batch_size * config.latent_dim));
    const stopper = new Worker(
      `const { workerData } = require('node:worker_threads');
       Atomics.wait(workerData, 0, 0, 50);
       Atomics.store(workerData, 0, 1);`,
      { eval: true, workerData: flag },
    );
    try {
      engine.discriminatorStep(noise.subarray(0, config.batch_size), noise);
      expect(engine.interrupted()).toBe(true);
    } finally {
      await stopper.terminate();
    }
  });

  it('leaves the WebAssembly kernels to thread termination', () => {
    const flag = new Int32Array([1]);
    const engine = new FusedGanEngine(REFERENCE, new Rng(1), wasmKernels(), [flag]);
    engine.generatorStep(new Float32Array(REFERENCE.batch_size * REFERENCE.latent_dim));
    expect(engine.interrupted()).toBe(false);
  });
});

describe('nativeKernels', () => {
  it('runs the baseline copy when asked', () => {
    expect(nativeKernels('baseline').instructionSet).toMatch(/^(sse2|neon|baseline)$/);
    // The best copy is the AVX2 one where the processor has AVX2 and FMA, else the baseline.
    expect(nativeKernels('best').instructionSet).toMatch(/^(avx2\+fma|sse2|neon|baseline)$/);
  });
});
