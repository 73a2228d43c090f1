/**
 * The fused engine: the reference GAN's whole training step (forward, backward and Adam
 * for both networks) in one call into compiled kernels (native or WebAssembly, see
 * kernels.ts) over buffers allocated once per trial. It follows the same contract as the
 * tfjs engine, from the same initial weights, and the parity tests check both against
 * each other.
 */
import type { Rng } from '../../src/shared/rng.js';
import type { BackendName, Hyperparameters } from '../../src/shared/types.js';
import type { DenseWeights, GanEngine, GeneratorWeights } from '../engine.js';
import { glorotUniform } from '../initialization.js';
import { BUFFER, DISCRIMINATOR, GENERATOR, type BufferIndex, type FusedKernels, type NetworkIndex } from './kernels.js';

export { DISCRIMINATOR, GENERATOR } from './kernels.js';

/** Rows evaluated per kernel call by generate and discriminate. */
const CHUNK_ROWS = 1024;

/** Adam's ε, the value tfjs uses on float32 backends (KernelBackend.epsilon() in tfjs 4.22). */
export const ADAM_EPSILON = 1e-7;

/**
 * Largest memory the engine may allocate for one trial, for both kernels. WebAssembly
 * memory is limited to 4 GiB; a configuration that needs more than this runs on the tfjs
 * engine instead.
 */
export const FUSED_MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024;

/** Estimates the bytes the engine allocates for a configuration. */
export function fusedMemoryBytes(config: Hyperparameters): number {
  const parameters = (inputs: number, hidden: number) => inputs * hidden + hidden + hidden * hidden + hidden + hidden + 1;
  const widest = Math.max(config.g_hidden, config.d_hidden);
  const floats =
    4 * (parameters(config.latent_dim, config.g_hidden) + parameters(1, config.d_hidden)) +
    config.batch_size * (config.latent_dim + 4 * config.g_hidden + 6 * config.d_hidden + 6) +
    CHUNK_ROWS * (Math.max(config.latent_dim, 1) + 1 + 2 * widest);
  return floats * 4;
}

/** Returns why the fused engine cannot run a configuration, or null when it can. */
export function fusedUnsupportedReason(config: Hyperparameters): string | null {
  const bytes = fusedMemoryBytes(config);
  if (bytes > FUSED_MEMORY_LIMIT_BYTES) {
    return `the configuration needs about ${Math.round(bytes / 2 ** 20)} MiB, above the fused engine's ${FUSED_MEMORY_LIMIT_BYTES / 2 ** 20} MiB`;
  }
  return null;
}

export class FusedGanEngine implements GanEngine {
  readonly backend: BackendName;
  private readonly kernels: FusedKernels;
  private readonly config: Hyperparameters;
  /** Kept here so that the native kernels never poll the memory of a collected array. */
  private readonly stopFlags: Int32Array[];

  /**
   * Creates both networks with Glorot-uniform kernels from `initRng` (generator first) and
   * zero biases. A step stops early once the first element of one of `stopFlags` (at most
   * two) becomes nonzero; interrupted() then returns true.
   */
  constructor(config: Hyperparameters, initRng: Rng, kernels: FusedKernels, stopFlags: Int32Array[] = []) {
    const reason = fusedUnsupportedReason(config);
    if (reason !== null) throw new RangeError(`fused engine: ${reason}`);
    this.kernels = kernels;
    this.backend = kernels.name;
    this.config = config;
    const status = kernels.init(config.latent_dim, config.g_hidden, config.d_hidden, config.batch_size, CHUNK_ROWS);
    if (status !== 0) throw new RangeError(`fused engine: failed to allocate ${kernels.name} memory for the trial`);
    if (stopFlags.length > 2) throw new RangeError(`fused engine: at most 2 stop flags, received ${stopFlags.length}`);
    this.stopFlags = stopFlags;
    kernels.watchStopFlags(stopFlags);

    const networks: Array<[NetworkIndex, number[]]> = [
      [GENERATOR, [config.latent_dim, config.g_hidden, config.g_hidden, 1]],
      [DISCRIMINATOR, [1, config.d_hidden, config.d_hidden, 1]],
    ];
    for (const [which, widths] of networks) {
      const params = this.parameters(which);
      let offset = 0;
      for (let layer = 0; layer < 3; layer++) {
        const kernel = glorotUniform(widths[layer], widths[layer + 1], initRng);
        params.set(kernel, offset);
        offset += kernel.length + widths[layer + 1];
      }
    }
  }

  tensorCount(): null {
    return null;
  }

  interrupted(): boolean {
    return this.kernels.interrupted();
  }

  discriminatorStep(real: Float32Array, noise: Float32Array): number {
    this.loadBatch(real, noise);
    const { lr_d: learningRate, beta1, beta2 } = this.config;
    return this.kernels.discriminatorStep(learningRate, beta1, beta2, ADAM_EPSILON);
  }

  generatorStep(noise: Float32Array): number {
    this.view(BUFFER.noise, noise.length).set(noise);
    const { lr_g: learningRate, beta1, beta2 } = this.config;
    return this.kernels.generatorStep(learningRate, beta1, beta2, ADAM_EPSILON);
  }

  generate(noise: Float32Array, count: number): Float32Array {
    const latent = this.config.latent_dim;
    const samples = new Float32Array(count);
    for (let start = 0; start < count; start += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, count - start);
      this.view(BUFFER.ioIn, rows * latent).set(noise.subarray(start * latent, (start + rows) * latent));
      this.kernels.generate(rows);
      samples.set(this.view(BUFFER.ioOut, rows), start);
    }
    return samples;
  }

  discriminate(x: Float32Array): Float32Array {
    const probabilities = new Float32Array(x.length);
    for (let start = 0; start < x.length; start += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, x.length - start);
      this.view(BUFFER.ioIn, rows).set(x.subarray(start, start + rows));
      this.kernels.discriminate(rows);
      probabilities.set(this.view(BUFFER.ioOut, rows), start);
    }
    return probabilities;
  }

  exportGenerator(): GeneratorWeights {
    const widths = [this.config.latent_dim, this.config.g_hidden, this.config.g_hidden, 1];
    const params = this.parameters(GENERATOR);
    let offset = 0;
    const layers = [0, 1, 2].map((layer): DenseWeights => {
      const inputs = widths[layer];
      const outputs = widths[layer + 1];
      const kernel = params.slice(offset, offset + inputs * outputs);
      offset += inputs * outputs;
      const bias = params.slice(offset, offset + outputs);
      offset += outputs;
      return { inputs, outputs, kernel, bias };
    });
    return [layers[0], layers[1], layers[2]];
  }

  dispose(): void {
    // WebAssembly memory is reused by the thread's next trial, and native memory is an
    // ArrayBuffer that is collected with the engine, so nothing is released here.
  }

  /** Returns a live view of one network's parameters: kernel and bias of each layer in order. */
  parameters(which: NetworkIndex): Float32Array {
    return this.view(which === GENERATOR ? BUFFER.generatorParams : BUFFER.discriminatorParams, this.kernels.paramCount(which));
  }

  /** Returns a live view of one network's gradients, in the order of `parameters`. */
  gradients(which: NetworkIndex): Float32Array {
    return this.view(which === GENERATOR ? BUFFER.generatorGrads : BUFFER.discriminatorGrads, this.kernels.paramCount(which));
  }

  /** Copies a real batch and a noise batch into the engine without training. */
  loadBatch(real: Float32Array, noise: Float32Array): void {
    this.view(BUFFER.real, real.length).set(real);
    this.view(BUFFER.noise, noise.length).set(noise);
  }

  /** Computes the D loss and leaves its gradients in `gradients(DISCRIMINATOR)`, without an update. */
  discriminatorLossAndGradients(): number {
    return this.kernels.discriminatorLossAndGrads();
  }

  /** Computes the G loss and leaves its gradients in `gradients(GENERATOR)`, without an update. */
  generatorLossAndGradients(): number {
    return this.kernels.generatorLossAndGrads();
  }

  /** Applies one Adam step to a network from its current gradients. */
  applyAdam(which: NetworkIndex, learningRate: number): void {
    this.kernels.adam(which, learningRate, this.config.beta1, this.config.beta2, ADAM_EPSILON);
  }

  private viewBuffer: ArrayBuffer | null = null;
  private readonly views = new Map<number, Float32Array>();

  /**
   * Returns a cached view of a trial buffer, so that a training step allocates nothing.
   * Growing WebAssembly memory replaces its buffer, which empties the cache.
   */
  private view(which: BufferIndex, length: number): Float32Array {
    const buffer = this.kernels.memory();
    if (buffer !== this.viewBuffer) {
      this.views.clear();
      this.viewBuffer = buffer;
    }
    const key = which * 4294967296 + length;
    let view = this.views.get(key);
    if (view === undefined) {
      view = new Float32Array(buffer, this.kernels.bufferOffset(which), length);
      this.views.set(key, view);
    }
    return view;
  }
}
