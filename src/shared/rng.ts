/**
 * Seeded pseudo-random numbers, identical on every thread and every run.
 *
 * Every random draw in gansweep (weight initialization, minibatch indices, noise, the
 * real-sample pool) comes from these generators, never from Math.random or from tfjs
 * random ops. A trial's random numbers therefore depend only on its seed, not on the
 * engine, the backend or the worker that ran it.
 */

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

/**
 * A small, fast generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator),
 * 128 bits of state, period at least 2^32. Its stream is defined by the 32-bit seed alone.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Second normal deviate of the last Box–Muller pair, or NaN when none is stored. */
  private spareNormal = Number.NaN;

  constructor(seed: number) {
    this.a = mix32(seed ^ 0x243f6a88);
    this.b = mix32(seed ^ 0x85a308d3);
    this.c = mix32(seed ^ 0x13198a2e);
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

  /** Standard normal deviate (Box–Muller, both values of each pair used). */
  nextNormal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const spare = this.spareNormal;
      this.spareNormal = Number.NaN;
      return spare;
    }
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * v;
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Fills `out` with standard normal deviates and returns it. */
  fillNormal(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.nextNormal();
    return out;
  }
}
