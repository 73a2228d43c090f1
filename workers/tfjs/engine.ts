/** The reference GAN trained with tfjs variables and Adam optimizers. */
import type { Hyperparameters, BackendName } from '../../src/shared/types.js';
import type { Rng } from '../../src/shared/rng.js';
import type { DenseWeights, GanEngine, GeneratorWeights } from '../engine.js';
import { tf } from './backend.js';
import { discriminatorLoss, generatorLoss } from './losses.js';
import {
  createDiscriminator,
  createGenerator,
  discriminate,
  disposeNetwork,
  generate,
  variablesOf,
  type Mlp,
} from './networks.js';

export class TfjsGanEngine implements GanEngine {
  readonly backend: BackendName;
  private readonly latentDim: number;
  private readonly batchSize: number;
  private readonly generator: Mlp;
  private readonly discriminator: Mlp;
  private readonly generatorVariables: tf.Variable[];
  private readonly discriminatorVariables: tf.Variable[];
  private readonly generatorOptimizer: tf.AdamOptimizer;
  private readonly discriminatorOptimizer: tf.AdamOptimizer;

  /** Creates both networks from `initRng` (generator first) and one Adam optimizer each. */
  constructor(config: Hyperparameters, initRng: Rng, backend: BackendName) {
    this.backend = backend;
    this.latentDim = config.latent_dim;
    this.batchSize = config.batch_size;
    this.generator = createGenerator(config.latent_dim, config.g_hidden, initRng);
    this.discriminator = createDiscriminator(config.d_hidden, initRng);
    this.generatorVariables = variablesOf(this.generator);
    this.discriminatorVariables = variablesOf(this.discriminator);
    this.generatorOptimizer = tf.train.adam(config.lr_g, config.beta1, config.beta2);
    this.discriminatorOptimizer = tf.train.adam(config.lr_d, config.beta1, config.beta2);
  }

  tensorCount(): number {
    return tf.memory().numTensors;
  }

  /** Returns false, because a tfjs step runs in JavaScript and a stop takes effect only between steps. */
  interrupted(): boolean {
    return false;
  }

  discriminatorStep(real: Float32Array, noise: Float32Array): number {
    const realBatch = tf.tensor2d(real, [this.batchSize, 1]);
    const z = tf.tensor2d(noise, [this.batchSize, this.latentDim]);
    // The generated batch is a constant for this update: only D's variables are trained.
    const fake = tf.tidy(() => generate(this.generator, z));

    const loss = this.discriminatorOptimizer.minimize(
      () => discriminatorLoss(discriminate(this.discriminator, realBatch), discriminate(this.discriminator, fake)),
      true,
      this.discriminatorVariables,
    );

    return this.readAndDispose(loss, [realBatch, z, fake]);
  }

  generatorStep(noise: Float32Array): number {
    const z = tf.tensor2d(noise, [this.batchSize, this.latentDim]);

    // Gradients flow through D into G, but only G's variables are in the var list.
    const loss = this.generatorOptimizer.minimize(
      () => generatorLoss(discriminate(this.discriminator, generate(this.generator, z))),
      true,
      this.generatorVariables,
    );

    return this.readAndDispose(loss, [z]);
  }

  generate(noise: Float32Array, count: number): Float32Array {
    const samples = tf.tidy(() => generate(this.generator, tf.tensor2d(noise, [count, this.latentDim])));
    const values = samples.dataSync() as Float32Array;
    samples.dispose();
    return values;
  }

  discriminate(x: Float32Array): Float32Array {
    const probabilities = tf.tidy(() => tf.sigmoid(discriminate(this.discriminator, tf.tensor2d(x, [x.length, 1]))));
    const values = probabilities.dataSync() as Float32Array;
    probabilities.dispose();
    return values;
  }

  exportGenerator(): GeneratorWeights {
    const [first, second, output] = this.generator.layers.map((layer): DenseWeights => {
      const [inputs, outputs] = layer.kernel.shape;
      return {
        inputs,
        outputs,
        // Copies, because the cpu backend's dataSync returns the variable's own storage.
        kernel: new Float32Array(layer.kernel.dataSync()),
        bias: new Float32Array(layer.bias.dataSync()),
      };
    });
    return [first, second, output];
  }

  dispose(): void {
    this.generatorOptimizer.dispose();
    this.discriminatorOptimizer.dispose();
    disposeNetwork(this.generator);
    disposeNetwork(this.discriminator);
  }

  private readAndDispose(loss: tf.Scalar | null, inputs: tf.Tensor[]): number {
    const value = loss === null ? Number.NaN : loss.dataSync()[0];
    loss?.dispose();
    for (const tensor of inputs) tensor.dispose();
    return value;
  }
}
