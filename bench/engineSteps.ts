/**
 * Per-step time of the reference GAN step on each engine and tfjs backend, in the calling
 * thread, with fixed inputs: the same real batch and noise at every step.
 */
import { Rng } from '../src/shared/rng.js';
import type { Hyperparameters } from '../src/shared/types.js';
import type { GanEngine } from '../workers/engine.js';
import { FusedGanEngine } from '../workers/fused/engine.js';
import { nativeKernels, nativeUnavailableReason, wasmKernels } from '../workers/fused/kernels.js';
import { selectBackend } from '../workers/tfjs/backend.js';
import { TfjsGanEngine } from '../workers/tfjs/engine.js';
import type { StepSize } from './flops.js';
import { referenceConfig } from './referenceConfig.js';
import { timeRepeats, type Timing, type TimingOptions } from './timing.js';

/** Standard deviation of the fixed real batch, close to the reference mixture's (about 5.1). */
const REAL_BATCH_STD = 5;

export type EngineLabel = 'fused native' | 'fused wasm' | 'tfjs wasm' | 'tfjs cpu' | 'tfjs node';

export const ENGINE_LABELS: readonly EngineLabel[] = ['fused native', 'fused wasm', 'tfjs wasm', 'tfjs cpu', 'tfjs node'];

export interface EngineStepResult {
  engine: EngineLabel;
  size: StepSize;
  /** Null when the engine could not run here, and `unavailable` then contains the reason. */
  timing: Timing | null;
  unavailable: string | null;
}

const TFJS_BACKENDS = { 'tfjs wasm': 'wasm', 'tfjs cpu': 'cpu', 'tfjs node': 'node' } as const;

/** Creates an engine, or returns the reason it cannot run in this process. */
async function createEngine(label: EngineLabel, config: Hyperparameters, initRng: Rng): Promise<GanEngine | string> {
  if (label === 'fused native') {
    const reason = nativeUnavailableReason();
    if (reason !== null) return `the native kernels are not available: ${reason}`;
    return new FusedGanEngine(config, initRng, nativeKernels());
  }
  if (label === 'fused wasm') return new FusedGanEngine(config, initRng, wasmKernels());

  const requested = TFJS_BACKENDS[label];
  const selection = await selectBackend(requested);
  // selectBackend falls back to wasm when tfjs-node cannot load, which must not be timed as "node".
  if (requested === 'node' && selection.backend !== 'tensorflow') {
    return `tfjs-node did not load, and its wasm fallback is not timed as "node" (selectBackend: ${selection.notice ?? 'no notice'})`;
  }
  return new TfjsGanEngine(config, initRng, selection.backend);
}

export async function timeEngineStep(label: EngineLabel, size: StepSize, options: TimingOptions): Promise<EngineStepResult> {
  const config = referenceConfig(size);
  const created = await createEngine(label, config, new Rng(1));
  if (typeof created === 'string') return { engine: label, size, timing: null, unavailable: created };

  const inputs = new Rng(2);
  const real = inputs.fillNormal(new Float32Array(size.batch)).map((value) => value * REAL_BATCH_STD);
  const noise = inputs.fillNormal(new Float32Array(size.batch * size.latent));
  try {
    const timing = timeRepeats(() => {
      created.discriminatorStep(real, noise);
      created.generatorStep(noise);
    }, options);
    return { engine: label, size, timing, unavailable: null };
  } finally {
    created.dispose();
  }
}
