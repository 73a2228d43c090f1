/**
 * Seeded pseudo-random numbers, identical on every thread and every run.
 *
 * Every random draw in gansweep (weight initialization, minibatch indices, noise, the
 * real-sample pool) comes from these generators, never from Math.random or from tfjs
 * random ops. A trial's random numbers therefore depend only on its seed, not on the
 * engine, the backend or the worker that ran it.
 */

/**
 * Version of the random streams: bumped whenever a seed starts to give different draws, so
 * that results drawn from the old streams get different trial keys (see trialKey.ts).
 * Version 1 drew normal deviates by Box–Muller, version 2 by the ziggurat below.
 */
export const RANDOM_STREAMS_VERSION = 2;

/** Mixes a 32-bit value (the finalizer of MurmurHash3), so nearby seeds give unrelated streams. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Derives an independent 32-bit seed from a base seed and a list of stream labels, for
 * example `deriveSeed(trialSeed, STREAM.noise)`.
 */
export function deriveSeed(base: number, ...labels: number[]): number {
  let h = mix32(base ^ 0x9e3779b9);
  for (const label of labels) {
    h = mix32(h ^ mix32(label + 0x7f4a7c15));
  }
  return h;
}

/** Labels of the independent random streams of one trial. */
export const STREAM = {
  init: 1,
  realIndex: 2,
  noise: 3,
  evalNoise: 4,
  pool: 5,
} as const;

// ---------- Ziggurat tables for standard normal deviates ----------
//
// Marsaglia and Tsang's ziggurat (2000) covers the half-normal density f(x) = e^(−x²/2) with
// 128 layers of equal area: a base layer (a rectangle up to ZIGGURAT_R plus the tail
// beyond it) and 127 rectangles stacked above it. Layer i spans heights f(x_i)..f(x_(i+1))
// and widths 0..x_i. A uniform point in a layer is accepted at once when it lies left of
// x_(i+1), under the layer above, which happens about 99% of the time.

const ZIGGURAT_LAYERS = 128;
/** Right edge of the base rectangle, for 128 layers (Marsaglia and Tsang). */
export const ZIGGURAT_R = 3.442619855899;
/** The area of every layer, for 128 layers: x·f(x) of the base rectangle plus the tail. */
export const ZIGGURAT_AREA = 9.91256303526217e-3;
/** A layer's position is drawn with 24 random bits. */
const POSITION_SCALE = 2 ** 24;

const halfNormal = (x: number) => Math.exp(-0.5 * x * x);

/**
 * Right edges x_0..x_128 of the layers. x_0 = area ÷ f(r) is the width the base layer would
 * have as a rectangle, so that the part of it beyond r has the tail's probability.
 */
export const ZIGGURAT_EDGES = (() => {
  const edges = new Float64Array(ZIGGURAT_LAYERS + 1);
  edges[0] = ZIGGURAT_AREA / halfNormal(ZIGGURAT_R);
  edges[1] = ZIGGURAT_R;
  for (let i = 2; i < ZIGGURAT_LAYERS; i++) {
    edges[i] = Math.sqrt(-2 * Math.log(ZIGGURAT_AREA / edges[i - 1] + halfNormal(edges[i - 1])));
  }
  edges[ZIGGURAT_LAYERS] = 0;
  return edges;
})();
/** Positions (24-bit integers) below which a point of layer i is under layer i + 1. */
const INSIDE = Uint32Array.from({ length: ZIGGURAT_LAYERS }, (_, i) =>
  Math.floor((POSITION_SCALE * ZIGGURAT_EDGES[i + 1]) / ZIGGURAT_EDGES[i]),
);
/** Width of one position step in layer i. */
const STEP = Float64Array.from({ length: ZIGGURAT_LAYERS }, (_, i) => ZIGGURAT_EDGES[i] / POSITION_SCALE);
/** f(x_i), the bottom height of layer i. */
const HEIGHT = Float64Array.from(ZIGGURAT_EDGES, halfNormal);

/**
 * A small, fast generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator),
 * 128 bits of state, period at least 2^32. Its stream is defined by the 32-bit seed alone.
 */
export class Rng {
  // `declare` keeps these out of the emitted class fields. A declared field starts as
  // undefined, and V8 then keeps it tagged, which made each draw about twice as slow.
  private declare a: number;
  private declare b: number;
  private declare c: number;
  private declare d: number;

  constructor(seed: number) {
    // Signed 32-bit state: unsigned values above 2^31 would not be small integers in V8.
    this.a = mix32(seed ^ 0x243f6a88) | 0;
    this.b = mix32(seed ^ 0x85a308d3) | 0;
    this.c = mix32(seed ^ 0x13198a2e) | 0;
    this.d = 1;
    // Discard the first outputs: sfc32's authors recommend it so the state mixes.
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform integer in [0, n), without modulo bias. */
  nextInt(n: number): number {
    if (n <= 0 || n > 0x100000000) throw new RangeError(`Rng.nextInt: n must be in 1..2^32, received ${n}`);
    const limit = 0x100000000 - (0x100000000 % n);
    let value = this.nextUint32();
    while (value >= limit) value = this.nextUint32();
    return value % n;
  }

  /**
   * Standard normal deviate by the ziggurat. One 32-bit draw gives the layer (bits 0–6),
   * the sign (bit 7) and the position in the layer (bits 8–31), so the three are independent.
   * This function holds only the common case, so that V8 inlines it into its callers.
   */
  nextNormal(): number {
    const bits = this.nextUint32();
    const layer = bits & 127;
    const position = bits >>> 8;
    if (position >= INSIDE[layer]) return this.normalOutsideLayerAbove(bits);
    const x = position * STEP[layer];
    return (bits & 128) === 0 ? x : -x;
  }

  /** Finishes a draw whose point lies right of the layer above; draws again when it is rejected. */
  private normalOutsideLayerAbove(bits: number): number {
    for (;;) {
      const layer = bits & 127;
      const position = bits >>> 8;
      let x = position * STEP[layer];
      if (position >= INSIDE[layer]) {
        if (layer === 0) {
          x = this.normalTail();
        } else {
          // Accept the point when a uniform height in the layer falls under the density.
          const height = HEIGHT[layer] + this.nextFloat() * (HEIGHT[layer + 1] - HEIGHT[layer]);
          if (height >= halfNormal(x)) {
            bits = this.nextUint32();
            continue;
          }
        }
      }
      return (bits & 128) === 0 ? x : -x;
    }
  }

  /** A deviate from the half-normal tail beyond ZIGGURAT_R, by Marsaglia's method (1964). */
  private normalTail(): number {
    for (;;) {
      // 1 − u lies in (0, 1], so the logarithms are finite.
      const x = -Math.log(1 - this.nextFloat()) / ZIGGURAT_R;
      const y = -Math.log(1 - this.nextFloat());
      if (2 * y > x * x) return ZIGGURAT_R + x;
    }
  }

  /**
   * Fills `out` with standard normal deviates and returns it: the same values as calling
   * nextNormal() `out.length` times. The sfc32 step of nextUint32 and the common case of
   * nextNormal are repeated here on local copies of the state, which halves the time per
   * deviate. The training loop draws thousands of deviates per step.
   */
  fillNormal(out: Float32Array): Float32Array {
    let { a, b, c, d } = this;
    for (let i = 0; i < out.length; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      const layer = t & 127;
      const position = t >>> 8;
      if (position < INSIDE[layer]) {
        const x = position * STEP[layer];
        out[i] = (t & 128) === 0 ? x : -x;
      } else {
        this.a = a;
        this.b = b;
        this.c = c;
        this.d = d;
        out[i] = this.normalOutsideLayerAbove(t >>> 0);
        ({ a, b, c, d } = this);
      }
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return out;
  }
}
