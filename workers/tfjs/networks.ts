/**
 * The reference GAN's two networks as tfjs variables, initialized from the trial's seeded
 * generator so that the initial weights do not depend on the backend.
 *
 * Generator:     z [B, latent] → dense(g_hidden) → ReLU → dense(g_hidden) → ReLU → dense(1)
 * Discriminator: x [B, 1] → dense(d_hidden) → tanh → dense(d_hidden) → ReLU → dense(1) logit
 */
import type { Rng } from '../../src/shared/rng.js';
import { glorotUniform } from '../initialization.js';
import { tf } from './backend.js';

export interface DenseLayer {
  /** [inputs, outputs] */
  kernel: tf.Variable;
  /** [outputs] */
  bias: tf.Variable;
}

/** A three-layer fully connected network. */
export interface Mlp {
  layers: [DenseLayer, DenseLayer, DenseLayer];
}

/** Glorot-uniform kernel and zero bias (the Keras Dense defaults). */
function denseLayer(inputs: number, outputs: number, rng: Rng, name: string): DenseLayer {
  return {
    kernel: trainableVariable(tf.tensor2d(glorotUniform(inputs, outputs, rng), [inputs, outputs]), `${name}/kernel`),
    bias: trainableVariable(tf.zeros([outputs]), `${name}/bias`),
  };
}

/** Wraps an initial value in a variable and releases the initial tensor. */
function trainableVariable(initial: tf.Tensor, name: string): tf.Variable {
  const variable = tf.variable(initial, true, name);
  initial.dispose();
  return variable;
}

function mlp(widths: [number, number, number, number], rng: Rng, name: string): Mlp {
  return {
    layers: [
      denseLayer(widths[0], widths[1], rng, `${name}/dense1`),
      denseLayer(widths[1], widths[2], rng, `${name}/dense2`),
      denseLayer(widths[2], widths[3], rng, `${name}/dense3`),
    ],
  };
}

// Variable names must be unique per tfjs engine; a counter keeps successive trials on the
// same worker from colliding.
let networkCounter = 0;

export function createGenerator(latentDim: number, hidden: number, rng: Rng): Mlp {
  return mlp([latentDim, hidden, hidden, 1], rng, `generator${++networkCounter}`);
}

export function createDiscriminator(hidden: number, rng: Rng): Mlp {
  return mlp([1, hidden, hidden, 1], rng, `discriminator${++networkCounter}`);
}

function dense(layer: DenseLayer, input: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(input, layer.kernel), layer.bias);
}

/** z [B, latent] → samples [B, 1]. */
export function generate(generator: Mlp, z: tf.Tensor2D): tf.Tensor2D {
  const [first, second, output] = generator.layers;
  const h1 = tf.relu(dense(first, z));
  const h2 = tf.relu(dense(second, h1));
  return dense(output, h2);
}

/** x [B, 1] → logits [B, 1]. */
export function discriminate(discriminator: Mlp, x: tf.Tensor2D): tf.Tensor2D {
  const [first, second, output] = discriminator.layers;
  const h1 = tf.tanh(dense(first, x));
  const h2 = tf.relu(dense(second, h1));
  return dense(output, h2);
}

/** Lists the variables of a network, for an optimizer's var list. */
export function variablesOf(network: Mlp): tf.Variable[] {
  return network.layers.flatMap((layer) => [layer.kernel, layer.bias]);
}

export function disposeNetwork(network: Mlp): void {
  for (const variable of variablesOf(network)) variable.dispose();
}
