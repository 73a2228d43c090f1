/**
 * Engine selection: the fused engine where it supports the configuration, on its native
 * kernels when they were built, else the tfjs engine. Both engines start from the same
 * weights and follow the same contract.
 */
import type { Rng } from '../src/shared/rng.js';
import type { BackendChoice, EngineChoice, EngineName, Hyperparameters } from '../src/shared/types.js';
import type { GanEngine } from './engine.js';
import { FusedGanEngine, fusedUnsupportedReason } from './fused/engine.js';
import { nativeKernels, nativeUnavailableReason, wasmKernels, type FusedKernels } from './fused/kernels.js';
import { selectBackend } from './tfjs/backend.js';
import { TfjsGanEngine } from './tfjs/engine.js';

export interface EngineSelection {
  engine: GanEngine;
  name: EngineName;
  /** Human-readable notes about fallbacks, each sent to the coordinator once per trial. */
  notices: string[];
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
 * when the configuration does not fit. The tfjs engine takes `native` as `auto`.
 */
export async function createEngine(
  choice: EngineChoice,
  backend: BackendChoice,
  config: Hyperparameters,
  initRng: Rng,
): Promise<EngineSelection> {
  const notices: string[] = [];
  const wantsFused = choice === 'fused' || (choice === 'auto' && (backend === 'auto' || backend === 'native'));
  if (wantsFused) {
    const reason = fusedUnsupportedReason(config);
    if (reason === null) {
      const kernels = selectFusedKernels(backend, notices);
      return { engine: new FusedGanEngine(config, initRng, kernels), name: 'fused', notices };
    }
    notices.push(`the fused engine cannot run this configuration (${reason}); using the tfjs engine`);
  }

  const selection = await selectBackend(backend === 'native' ? 'auto' : backend);
  if (selection.notice !== null) notices.push(selection.notice);
  return { engine: new TfjsGanEngine(config, initRng, selection.backend), name: 'tfjs', notices };
}
