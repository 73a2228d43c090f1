/**
 * Engine selection: the fused WebAssembly engine where it supports the configuration,
 * else the tfjs engine. Both start from the same weights and follow the same contract.
 */
import type { Rng } from '../src/shared/rng.js';
import type { BackendChoice, EngineChoice, EngineName, Hyperparameters } from '../src/shared/types.js';
import type { GanEngine } from './engine.js';
import { FusedGanEngine, fusedUnsupportedReason } from './fused/engine.js';
import { selectBackend } from './tfjs/backend.js';
import { TfjsGanEngine } from './tfjs/engine.js';

export interface EngineSelection {
  engine: GanEngine;
  name: EngineName;
  /** Human-readable notes about fallbacks, each sent to the coordinator once per trial. */
  notices: string[];
}

/**
 * Creates the engine a trial requests. `auto` takes the fused engine, which the
 * benchmark measures as the faster one, unless `backend` names a tfjs backend or the
 * configuration does not fit the fused engine. `fused` falls back to tfjs with a notice
 * when the configuration does not fit.
 */
export async function createEngine(
  choice: EngineChoice,
  backend: BackendChoice,
  config: Hyperparameters,
  initRng: Rng,
): Promise<EngineSelection> {
  const notices: string[] = [];
  const wantsFused = choice === 'fused' || (choice === 'auto' && backend === 'auto');
  if (wantsFused) {
    const reason = fusedUnsupportedReason(config);
    if (reason === null) return { engine: new FusedGanEngine(config, initRng), name: 'fused', notices };
    notices.push(`the fused engine cannot run this configuration (${reason}); using the tfjs engine`);
  }

  const selection = await selectBackend(backend);
  if (selection.notice !== null) notices.push(selection.notice);
  return { engine: new TfjsGanEngine(config, initRng, selection.backend), name: 'tfjs', notices };
}
