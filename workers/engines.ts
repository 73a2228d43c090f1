/**
 * Engine selection: the fused engine where it supports the configuration, on its native
 * kernels when they were built, else the tfjs engine. Both engines start from the same
 * weights and follow the same contract.
 */
import type { Rng } from '../src/shared/rng.js';
import type { BackendChoice, EngineChoice, EngineName, Hyperparameters } from '../src/shared/types.js';
import type { GanEngine } from './engine.js';
import { FusedGanEngine, fusedUnsupportedReason } from './fused/engine.js';
import { nativeKernels, nativeUnavailableReason, resetWasmKernels, wasmKernels, type FusedKernels } from './fused/kernels.js';

export interface EngineSelection {
  engine: GanEngine;
  name: EngineName;
  /** Human-readable notes about fallbacks, each sent to the coordinator once per trial. */
  notices: string[];
  /** tfjs tensors alive before the engine was created; null for the fused engine, which creates none. */
  tensorsBefore: number | null;
  /** Counts the tfjs tensors alive now; returns null for the fused engine. */
  countTensors(): number | null;
}

type TfjsModules = [typeof import('./tfjs/backend.js'), typeof import('./tfjs/engine.js')];

// tfjs is loaded only by a thread that runs a tfjs-engine trial: loading it costs a worker
// thread about 115 ms and 27 MB, which a fused-engine worker does not need.
let tfjsModules: Promise<TfjsModules> | null = null;

function loadTfjs(): Promise<TfjsModules> {
  tfjsModules ??= Promise.all([import('./tfjs/backend.js'), import('./tfjs/engine.js')]);
  return tfjsModules;
}

/**
 * Drops the WebAssembly instances that a failed trial may have left broken: the fused
 * kernels' and, when this thread loaded tfjs, the tfjs wasm backend's.
 */
export async function resetEngines(): Promise<void> {
  resetWasmKernels();
  if (tfjsModules !== null) {
    const [backend] = await tfjsModules;
    backend.resetBackend();
  }
}

/**
 * Picks the fused engine's kernels: WebAssembly when `backend` is `wasm`, else the native
 * kernels, falling back to WebAssembly with a notice when they were not built or do not load.
 */
export function selectFusedKernels(backend: BackendChoice, notices: string[]): FusedKernels {
  if (backend === 'wasm') return wasmKernels();
  const reason = nativeUnavailableReason();
  if (reason === null) return nativeKernels();
  notices.push(
    `the fused engine's native kernels are not available (${reason}); using its WebAssembly kernels, which are slower. ` +
      'Run "npm run build:native" to build the native kernels and see any compiler error',
  );
  return wasmKernels();
}

/**
 * Creates the engine a trial requests. `auto` takes the fused engine, which the
 * benchmark measures as the faster one, unless `backend` names a tfjs backend or the
 * configuration does not fit the fused engine. `fused` falls back to tfjs with a notice
 * when the configuration does not fit. The tfjs engine takes `native` as `auto`. A fused
 * step stops early when one of `stopFlags` is set (see FusedGanEngine).
 */
export async function createEngine(
  choice: EngineChoice,
  backend: BackendChoice,
  config: Hyperparameters,
  initRng: Rng,
  stopFlags: Int32Array[] = [],
): Promise<EngineSelection> {
  const notices: string[] = [];
  const wantsFused = choice === 'fused' || (choice === 'auto' && (backend === 'auto' || backend === 'native'));
  if (wantsFused) {
    const reason = fusedUnsupportedReason(config);
    if (reason === null) {
      const kernels = selectFusedKernels(backend, notices);
      const engine = new FusedGanEngine(config, initRng, kernels, stopFlags);
      return { engine, name: 'fused', notices, tensorsBefore: null, countTensors: () => null };
    }
    notices.push(`the fused engine cannot run this configuration (${reason}); using the tfjs engine`);
  }

  const [{ selectBackend, tf }, { TfjsGanEngine }] = await loadTfjs();
  const selection = await selectBackend(backend === 'native' ? 'auto' : backend);
  if (selection.notice !== null) notices.push(selection.notice);
  // tf.memory() needs an initialized backend, so the count is taken after selection.
  const tensorsBefore = tf.memory().numTensors;
  const engine = new TfjsGanEngine(config, initRng, selection.backend);
  return { engine, name: 'tfjs', notices, tensorsBefore, countTensors: () => tf.memory().numTensors };
}
