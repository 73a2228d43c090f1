/**
 * Loads tfjs once per worker thread and selects the backend a trial requests.
 *
 * The module-level state is deliberate: piscina keeps a worker alive between tasks, so the
 * wasm runtime (or the tfjs-node addon) is loaded on the first trial and reused by every
 * later trial that runs on the same thread.
 */
import { createRequire } from 'node:module';

import type * as Tfjs from '@tensorflow/tfjs';

import type { BackendName, TfjsBackendChoice } from '../../src/shared/types.js';

// tfjs is loaded with require() rather than import. To import a CommonJS package, Node's
// ESM loader first scans its whole source for named exports. For tfjs that scan took about
// 150 ms of the 250 ms each new worker thread spent loading it (Node 20, 2-core machine).
const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs') as typeof Tfjs;
require('@tensorflow/tfjs-backend-wasm');

/** The tfjs types that gansweep names as `tf.X`, next to the `tf` value above. */
// eslint-disable-next-line @typescript-eslint/no-namespace
declare namespace tf {
  export type AdamOptimizer = Tfjs.AdamOptimizer;
  export type LayersModel = Tfjs.LayersModel;
  export type NamedTensorMap = Tfjs.NamedTensorMap;
  export type Scalar = Tfjs.Scalar;
  export type Sequential = Tfjs.Sequential;
  export type Tensor<R extends Tfjs.Rank = Tfjs.Rank> = Tfjs.Tensor<R>;
  export type Tensor2D = Tfjs.Tensor2D;
  export type Variable<R extends Tfjs.Rank = Tfjs.Rank> = Tfjs.Variable<R>;
  export namespace io {
    export type ModelArtifacts = Tfjs.io.ModelArtifacts;
  }
}

export { tf };

/** The outcome of a backend selection: the backend in use and any fallback notice. */
export interface BackendSelection {
  backend: BackendName;
  /** A human-readable explanation when the requested backend could not be used. */
  notice: string | null;
}

// PROD silences tfjs's console advice to install tfjs-node (printed by the cpu backend in
// Node) and skips debug-only checks. A worker must not write to the terminal on its own.
tf.env().set('PROD', true);

/** null until tfjs-node has been tried in this thread; then whether it loaded, and why not. */
let nodeBackendProbe: { loaded: boolean; reason: string } | null = null;

/**
 * Tries to load @tensorflow/tfjs-node in this thread. It is an optional dependency: its
 * install step downloads libtensorflow, which fails without network, and its native addon
 * can refuse to load in a second worker thread of the same process. Either failure ends up
 * here as a rejected import, which this function turns into a reason string.
 */
async function probeNodeBackend(): Promise<{ loaded: boolean; reason: string }> {
  if (nodeBackendProbe !== null) return nodeBackendProbe;
  const moduleName = '@tensorflow/tfjs-node';
  try {
    // A variable specifier keeps TypeScript from requiring the optional package's types.
    await import(moduleName);
    nodeBackendProbe = tf.findBackend('tensorflow') !== undefined
      ? { loaded: true, reason: '' }
      : { loaded: false, reason: 'the package loaded but did not register the "tensorflow" backend' };
  } catch (error) {
    const text = error instanceof Error ? error.message.split('\n')[0] : String(error);
    nodeBackendProbe = { loaded: false, reason: text ?? 'unknown error' };
  }
  return nodeBackendProbe;
}

/** Maps a command-line backend name to the name tfjs registers it under. */
function tfjsName(choice: Exclude<TfjsBackendChoice, 'auto'>): BackendName {
  return choice === 'node' ? 'tensorflow' : choice;
}

/**
 * Replaces the current backend with a fresh instance. After a failed trial the wasm
 * backend's memory may be unusable: an allocation that fails inside XNNPACK leaves every
 * later kernel failing with "memory access out of bounds". Registering the backend's
 * factory again makes the next selection instantiate a new WebAssembly module.
 */
export function resetBackend(): void {
  const name = tf.getBackend();
  const factory = tf.findBackendFactory(name);
  if (factory === null || factory === undefined) return;
  try {
    tf.removeBackend(name);
  } catch {
    // Disposing the backend touches its broken memory and throws before tfjs removes it
    // from its registry, so remove it here (public fields of tfjs 4.22's Engine).
    const engine = tf.engine() as unknown as {
      registry: Record<string, unknown>;
      registryFactory: Record<string, unknown>;
      backendName: string | null;
      backendInstance: unknown;
      pendingBackendInit: unknown;
    };
    delete engine.registry[name];
    delete engine.registryFactory[name];
    engine.backendName = null;
    engine.backendInstance = null;
    engine.pendingBackendInit = null;
  }
  tf.registerBackend(name, factory);
}

/**
 * Makes the requested backend current and returns the one actually in use. `auto` and
 * `node` both try tfjs-node first and fall back to wasm with a notice when it cannot load.
 */
export async function selectBackend(choice: TfjsBackendChoice): Promise<BackendSelection> {
  let selected: BackendName = choice === 'auto' ? 'tensorflow' : tfjsName(choice);
  let notice: string | null = null;

  if (selected === 'tensorflow') {
    const probe = await probeNodeBackend();
    if (!probe.loaded) {
      selected = 'wasm';
      notice = choice === 'node'
        ? `backend "node" requested, but @tensorflow/tfjs-node could not be loaded in this worker thread (${probe.reason}); using the wasm backend instead`
        : /Cannot find (package|module)/.test(probe.reason)
          ? '@tensorflow/tfjs-node is not installed; using the wasm backend'
          : `@tensorflow/tfjs-node could not be loaded in this worker thread (${probe.reason}); using the wasm backend`;
    }
  }

  if (tf.getBackend() !== selected) {
    const ok = await tf.setBackend(selected);
    if (!ok) throw new Error(`failed to initialize the tfjs "${selected}" backend in a worker thread`);
  }
  await tf.ready();
  return { backend: selected, notice };
}
