/**
 * The two builds of the fused engine's C core (gan.c) behind one interface: the native
 * addon that node-gyp compiles for this machine at install time, and the committed
 * WebAssembly module that runs anywhere. Both expose a trial's buffers as byte offsets into
 * one ArrayBuffer, which the engine reads through Float32Array views.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Network numbers of the kernels' `which` argument. */
export const GENERATOR = 0;
export const DISCRIMINATOR = 1;
export type NetworkIndex = typeof GENERATOR | typeof DISCRIMINATOR;

/** Trial buffers, numbered as in native/kernels.h. */
export const BUFFER = {
  generatorParams: 0,
  discriminatorParams: 1,
  generatorGrads: 2,
  discriminatorGrads: 3,
  real: 4,
  noise: 5,
  ioIn: 6,
  ioOut: 7,
} as const;
export type BufferIndex = (typeof BUFFER)[keyof typeof BUFFER];

export type FusedKernelName = 'native' | 'wasm';

export interface FusedKernels {
  readonly name: FusedKernelName;
  /** The instruction set the kernels were compiled for, such as "avx2+fma" or "wasm simd128". */
  readonly instructionSet: string;
  /** Lays out a trial; returns 0, or −1 when its memory cannot be allocated. */
  init(latent: number, gHidden: number, dHidden: number, batch: number, chunk: number): number;
  /** Returns the memory that contains the trial. Views must be rebuilt when it changes. */
  memory(): ArrayBuffer;
  bufferOffset(which: BufferIndex): number;
  paramCount(which: NetworkIndex): number;
  discriminatorLossAndGrads(): number;
  generatorLossAndGrads(): number;
  adam(which: NetworkIndex, learningRate: number, beta1: number, beta2: number, epsilon: number): void;
  discriminatorStep(learningRate: number, beta1: number, beta2: number, epsilon: number): number;
  generatorStep(learningRate: number, beta1: number, beta2: number, epsilon: number): number;
  /** Runs the generator on `rows` ≤ chunk noise rows in the ioIn buffer; samples go to ioOut. */
  generate(rows: number): void;
  /** Writes D(x) for `rows` ≤ chunk points in the ioIn buffer to ioOut. */
  discriminate(rows: number): void;
  /**
   * Makes the kernels stop within about a millisecond once the first element of one of
   * `flags` becomes nonzero. The native kernels need this because a thread cannot be
   * terminated while it runs native code; WebAssembly can, so the wasm kernels ignore it.
   */
  watchStopFlags(flags: Int32Array[]): void;
  /** Whether a stop flag cut a call short, which leaves its results and the weights invalid. */
  interrupted(): boolean;
}

/** Finds a file of the package by its path from the package root, from the sources or from dist/. */
function packageFile(...segments: string[]): string | null {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(directory, ...segments);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(directory);
    if (parent === directory) return null;
    directory = parent;
  }
}

// ---------- WebAssembly ----------

interface WasmExports {
  memory: WebAssembly.Memory;
  gan_init(latent: number, gHidden: number, dHidden: number, batch: number, chunk: number): number;
  gan_params(which: NetworkIndex): number;
  gan_grads(which: NetworkIndex): number;
  gan_param_count(which: NetworkIndex): number;
  gan_real(): number;
  gan_noise(): number;
  gan_io_in(): number;
  gan_io_out(): number;
  gan_discriminator_loss_and_grads(): number;
  gan_generator_loss_and_grads(): number;
  gan_adam(which: NetworkIndex, learningRate: number, beta1: number, beta2: number, epsilon: number): void;
  gan_discriminator_step(learningRate: number, beta1: number, beta2: number, epsilon: number): number;
  gan_generator_step(learningRate: number, beta1: number, beta2: number, epsilon: number): number;
  gan_generate(rows: number): void;
  gan_discriminate(rows: number): void;
}

// One instance per thread: a worker runs one trial at a time, and gan_init lays out each
// trial afresh in the instance's memory.
let wasmInstance: WasmExports | null = null;

/** Drops this thread's WebAssembly instance, so the next trial starts with fresh memory. */
export function resetWasmKernels(): void {
  wasmInstance = null;
}

export function wasmKernels(): FusedKernels {
  if (wasmInstance === null) {
    const path = packageFile('workers', 'fused', 'gan.wasm');
    if (path === null) throw new Error(`gan.wasm not found above ${fileURLToPath(import.meta.url)}`);
    wasmInstance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(path)), {}).exports as unknown as WasmExports;
  }
  const wasm = wasmInstance;
  const offsets: Record<BufferIndex, () => number> = {
    [BUFFER.generatorParams]: () => wasm.gan_params(GENERATOR),
    [BUFFER.discriminatorParams]: () => wasm.gan_params(DISCRIMINATOR),
    [BUFFER.generatorGrads]: () => wasm.gan_grads(GENERATOR),
    [BUFFER.discriminatorGrads]: () => wasm.gan_grads(DISCRIMINATOR),
    [BUFFER.real]: () => wasm.gan_real(),
    [BUFFER.noise]: () => wasm.gan_noise(),
    [BUFFER.ioIn]: () => wasm.gan_io_in(),
    [BUFFER.ioOut]: () => wasm.gan_io_out(),
  };
  return {
    name: 'wasm',
    instructionSet: 'wasm simd128',
    init: (latent, gHidden, dHidden, batch, chunk) => wasm.gan_init(latent, gHidden, dHidden, batch, chunk),
    memory: () => wasm.memory.buffer,
    bufferOffset: (which) => offsets[which](),
    paramCount: (which) => wasm.gan_param_count(which),
    discriminatorLossAndGrads: () => wasm.gan_discriminator_loss_and_grads(),
    generatorLossAndGrads: () => wasm.gan_generator_loss_and_grads(),
    adam: (which, learningRate, beta1, beta2, epsilon) => wasm.gan_adam(which, learningRate, beta1, beta2, epsilon),
    discriminatorStep: (learningRate, beta1, beta2, epsilon) => wasm.gan_discriminator_step(learningRate, beta1, beta2, epsilon),
    generatorStep: (learningRate, beta1, beta2, epsilon) => wasm.gan_generator_step(learningRate, beta1, beta2, epsilon),
    generate: (rows) => wasm.gan_generate(rows),
    discriminate: (rows) => wasm.gan_discriminate(rows),
    watchStopFlags: () => {},
    interrupted: () => false,
  };
}

// ---------- Native addon ----------

/** The interface version of native/addon.c that this file calls (ADDON_INTERFACE_VERSION there). */
const NATIVE_INTERFACE_VERSION = 3;

/** The functions of native/addon.c. Each takes the trial's ArrayBuffer first. */
interface NativeAddon {
  kernels: string;
  interfaceVersion: number;
  requiredBytes(latent: number, gHidden: number, dHidden: number, batch: number, chunk: number): number;
  init(arena: ArrayBuffer, latent: number, gHidden: number, dHidden: number, batch: number, chunk: number): number;
  bufferOffset(arena: ArrayBuffer, which: BufferIndex): number;
  paramCount(arena: ArrayBuffer, which: NetworkIndex): number;
  discriminatorLossAndGrads(arena: ArrayBuffer): number;
  generatorLossAndGrads(arena: ArrayBuffer): number;
  adam(arena: ArrayBuffer, which: NetworkIndex, learningRate: number, beta1: number, beta2: number, epsilon: number): void;
  discriminatorStep(arena: ArrayBuffer, learningRate: number, beta1: number, beta2: number, epsilon: number): number;
  generatorStep(arena: ArrayBuffer, learningRate: number, beta1: number, beta2: number, epsilon: number): number;
  generate(arena: ArrayBuffer, rows: number): void;
  discriminate(arena: ArrayBuffer, rows: number): void;
  watchStopFlags(arena: ArrayBuffer, first: Int32Array | undefined, second: Int32Array | undefined): void;
  interrupted(arena: ArrayBuffer): boolean;
  useInstructionSet(name: 'baseline' | 'best'): string;
}

/** Path of the addon that node-gyp builds, relative to the package root. */
export const NATIVE_ADDON_PATH = join('build', 'Release', 'gansweep_fused.node');

// Loaded once per thread: the addon itself, or why it could not be loaded.
let nativeAddon: NativeAddon | string | null = null;
let nativeAddonOverride: string | null = null;

/**
 * Loads the addon from `path` instead of the package's build directory from now on in this
 * thread, or searches the package again when `path` is null. Tests use it to check the
 * fallback when the addon is missing.
 */
export function useNativeAddonPath(path: string | null): void {
  nativeAddonOverride = path;
  nativeAddon = null;
}

function loadNativeAddon(): NativeAddon | string {
  if (nativeAddon === null) {
    const path = nativeAddonOverride ?? packageFile(NATIVE_ADDON_PATH);
    if (path === null || !existsSync(path)) {
      nativeAddon = `${path ?? NATIVE_ADDON_PATH} was not built`;
    } else {
      try {
        const addon = createRequire(import.meta.url)(path) as Partial<NativeAddon>;
        nativeAddon =
          addon.interfaceVersion === NATIVE_INTERFACE_VERSION
            ? (addon as NativeAddon)
            : `${path} is not the addon these sources expect (interface version ${String(addon.interfaceVersion)}, expected ${NATIVE_INTERFACE_VERSION})`;
      } catch (error) {
        nativeAddon = `${path} did not load: ${(error as Error).message.split('\n')[0]}`;
      }
    }
  }
  return nativeAddon;
}

/** Returns why the native kernels cannot be used in this thread, or null when they can. */
export function nativeUnavailableReason(): string | null {
  const addon = loadNativeAddon();
  return typeof addon === 'string' ? addon : null;
}

/**
 * Creates native kernels for one trial; each trial gets its own memory. `instructionSet`
 * `baseline` runs the copy compiled for the architecture's baseline even where the
 * processor has AVX2 and FMA, so that tests can check that copy too. It applies to every
 * native trial that this thread creates afterwards.
 */
export function nativeKernels(instructionSet: 'best' | 'baseline' = 'best'): FusedKernels {
  const addon = loadNativeAddon();
  if (typeof addon === 'string') throw new Error(`the native fused kernels are not available: ${addon}`);
  const compiledFor = addon.useInstructionSet(instructionSet);
  let arena = new ArrayBuffer(0);
  return {
    name: 'native',
    instructionSet: compiledFor,
    init(latent, gHidden, dHidden, batch, chunk) {
      try {
        arena = new ArrayBuffer(addon.requiredBytes(latent, gHidden, dHidden, batch, chunk));
      } catch (error) {
        if (error instanceof RangeError) return -1;
        throw error;
      }
      return addon.init(arena, latent, gHidden, dHidden, batch, chunk);
    },
    memory: () => arena,
    bufferOffset: (which) => addon.bufferOffset(arena, which),
    paramCount: (which) => addon.paramCount(arena, which),
    discriminatorLossAndGrads: () => addon.discriminatorLossAndGrads(arena),
    generatorLossAndGrads: () => addon.generatorLossAndGrads(arena),
    adam: (which, learningRate, beta1, beta2, epsilon) => addon.adam(arena, which, learningRate, beta1, beta2, epsilon),
    discriminatorStep: (learningRate, beta1, beta2, epsilon) => addon.discriminatorStep(arena, learningRate, beta1, beta2, epsilon),
    generatorStep: (learningRate, beta1, beta2, epsilon) => addon.generatorStep(arena, learningRate, beta1, beta2, epsilon),
    generate: (rows) => addon.generate(arena, rows),
    discriminate: (rows) => addon.discriminate(arena, rows),
    watchStopFlags: (flags) => addon.watchStopFlags(arena, flags[0], flags[1]),
    interrupted: () => addon.interrupted(arena),
  };
}
