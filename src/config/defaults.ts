/**
 * Every setting of a sweep file with its default, its allowed values and one line of
 * documentation. The validator and the resolved-sweep writer take their defaults from
 * this table, so a default is written here and nowhere else. The doc lines are written
 * for the settings list of the README.
 */
import type { DataSettings, EvalSettings, HyperparameterKey, Target } from '../shared/types.js';

/** Allowed values of a numeric setting. NaN and ±Inf are always rejected. */
export interface NumberRule {
  integer: boolean;
  min: number;
  minInclusive: boolean;
  max: number;
  maxInclusive: boolean;
  /** Noun phrase for error messages, such as "a positive integer". */
  description: string;
}

export const POSITIVE_INTEGER: NumberRule = {
  integer: true,
  min: 0,
  minInclusive: false,
  max: Number.MAX_SAFE_INTEGER,
  maxInclusive: true,
  description: 'a positive integer',
};

export const POSITIVE_NUMBER: NumberRule = {
  integer: false,
  min: 0,
  minInclusive: false,
  max: Infinity,
  maxInclusive: false,
  description: 'a positive number',
};

export const FINITE_NUMBER: NumberRule = {
  integer: false,
  min: -Infinity,
  minInclusive: false,
  max: Infinity,
  maxInclusive: false,
  description: 'a finite number',
};

/** Maximum per-trial time limit in seconds, because Node's timers accept at most 2^31 − 1 ms (about 24.8 days). */
export const MAX_TIMEOUT_SECONDS = 2147483;

export const NON_NEGATIVE_NUMBER: NumberRule = {
  integer: false,
  min: 0,
  minInclusive: true,
  max: Infinity,
  maxInclusive: false,
  description: 'a number ≥ 0',
};

/** Adam's decay rates: β = 1 would never forget, so 1 itself is excluded. */
export const ADAM_BETA: NumberRule = {
  integer: false,
  min: 0,
  minInclusive: true,
  max: 1,
  maxInclusive: false,
  description: 'a number in [0, 1)',
};

/** Seeds are 32-bit because the generators in src/shared/rng.ts take a 32-bit seed. */
export const SEED: NumberRule = {
  integer: true,
  min: 0,
  minInclusive: true,
  max: 0xffffffff,
  maxInclusive: true,
  description: 'an integer in [0, 4294967295]',
};

/** Maximum trials (configurations × seeds) in one sweep. Validation rejects larger sweeps. */
export const MAX_TRIALS = 100_000;

/** `seeds: n` means seeds 0..n−1, so n is bounded by the trial limit. */
export const SEED_COUNT: NumberRule = {
  integer: true,
  min: 1,
  minInclusive: true,
  max: MAX_TRIALS,
  maxInclusive: true,
  description: 'a seed count (positive integer) or a list of seeds',
};

/** Largest allowed |Σ weights − 1| of the target components. */
export const WEIGHT_SUM_TOLERANCE = 1e-6;

/**
 * Largest name length. The name becomes a directory name (255 bytes on common file
 * systems), and `--fresh` appends a 25-character timestamp when it renames the directory.
 */
export const MAX_NAME_LENGTH = 200;

/** Characters allowed in a sweep name. */
export const NAME_PATTERN = /^[A-Za-z0-9._-]+$/;

/** The reference mixture 0.4·N(0, 4) + 0.3·N(−6, 4) + 0.3·N(6, 4), written with variances σ². */
export const REFERENCE_TARGET: Target = {
  components: [
    { weight: 0.4, mean: 0, variance: 4 },
    { weight: 0.3, mean: -6, variance: 4 },
    { weight: 0.3, mean: 6, variance: 4 },
  ],
};

/** A numeric setting: its default, when the key is absent, and its allowed values. */
export interface NumberSetting {
  default: number;
  rule: NumberRule;
  doc: string;
}

/** A numeric setting of `data` or `eval`, with the name of its field in the resolved sweep. */
export interface SectionSetting<Field extends string> extends NumberSetting {
  field: Field;
}

export const DATA_KEYS = ['pool_size', 'seed'] as const;
export type DataKey = (typeof DATA_KEYS)[number];

export const EVAL_KEYS = ['samples', 'checkpoints', 'final_window', 'success_w1', 'seed'] as const;
export type EvalKey = (typeof EVAL_KEYS)[number];

export const RUN_KEYS = ['trial_timeout', 'max_time', 'max_retries'] as const;
export type RunKey = (typeof RUN_KEYS)[number];

/** Run limits of a sweep. None of these settings changes a trial's metrics. */
export interface RunSettings {
  /** Seconds one trial may run before it is stopped and recorded as timed out; 0 means no limit. */
  trialTimeout: number;
  /** Seconds after which no new trial is started; 0 means no limit. */
  maxTime: number;
  /** Extra attempts for a trial whose worker crashed or ran out of memory. */
  maxRetries: number;
}

export interface SweepSettingsTable {
  name: { doc: string };
  target: { default: Target; doc: string };
  grid: Record<HyperparameterKey, NumberSetting>;
  seeds: { default: number; doc: string };
  data: Record<DataKey, SectionSetting<keyof DataSettings>>;
  /** `success_w1` has a default of null because it is computed from the target by defaultSuccessW1. */
  run: Record<RunKey, SectionSetting<keyof RunSettings>>;
  eval: Record<Exclude<EvalKey, 'success_w1'>, SectionSetting<keyof EvalSettings>> & {
    success_w1: Omit<SectionSetting<keyof EvalSettings>, 'default'> & { default: null };
  };
}

/**
 * Largest layer width: a 16384 × 16384 layer alone has 268 million weights (1 GiB in
 * float32), beyond what a worker can train in useful time.
 */
const LAYER_WIDTH = { ...POSITIVE_INTEGER, max: 16_384, maxInclusive: true, description: 'an integer from 1 to 16384' };
/** Largest minibatch; the engines allocate several float32 activations of this many rows per layer. */
const BATCH_SIZE = { ...POSITIVE_INTEGER, max: 10_000_000, maxInclusive: true, description: 'an integer from 1 to 10000000' };

/** Every key of the sweep file, in file order, with its default and documentation. */
export const SWEEP_SETTINGS: SweepSettingsTable = {
  name: {
    doc: 'Name of the sweep, made of letters, digits, ".", "_" and "-" because it names the results directory. Required.',
  },
  target: {
    default: REFERENCE_TARGET,
    doc: 'Target mixture of normals: a list of {weight, mean, variance} whose weights sum to 1. Default: 0.4·N(0, 4) + 0.3·N(−6, 4) + 0.3·N(6, 4).',
  },
  grid: {
    latent_dim: { default: 8, rule: LAYER_WIDTH, doc: 'Dimension of the noise vector z fed to the generator.' },
    g_hidden: { default: 32, rule: LAYER_WIDTH, doc: 'Hidden-layer width of the generator.' },
    d_hidden: { default: 32, rule: LAYER_WIDTH, doc: 'Hidden-layer width of the discriminator.' },
    lr_g: { default: 0.001, rule: POSITIVE_NUMBER, doc: 'Adam learning rate of the generator.' },
    lr_d: { default: 0.001, rule: POSITIVE_NUMBER, doc: 'Adam learning rate of the discriminator.' },
    beta1: { default: 0.5, rule: ADAM_BETA, doc: 'Adam β1, the decay rate of the first-moment estimate, for both networks.' },
    beta2: { default: 0.999, rule: ADAM_BETA, doc: 'Adam β2, the decay rate of the second-moment estimate, for both networks.' },
    batch_size: { default: 256, rule: BATCH_SIZE, doc: 'Minibatch size, for real and for generated samples.' },
    steps: { default: 2000, rule: POSITIVE_INTEGER, doc: 'Training steps per trial; each step makes d_steps discriminator updates and one generator update.' },
    d_steps: { default: 1, rule: POSITIVE_INTEGER, doc: 'Discriminator updates per training step (k in Goodfellow et al., 2014).' },
  },
  seeds: {
    default: 3,
    doc: 'Seeds run for every configuration: a list of distinct integers in [0, 4294967295], or a count n meaning seeds 0..n−1.',
  },
  data: {
    pool_size: {
      field: 'poolSize',
      default: 2 ** 20,
      // 2^28 float32 samples are 1 GiB of shared memory, far beyond what minibatches need.
      rule: { ...POSITIVE_INTEGER, min: 1024, minInclusive: true, max: 2 ** 28, description: 'an integer from 1024 to 268435456 (2^28)' },
      doc: 'Real samples drawn from the target once per sweep and shared by every trial (at most 2^28, 1 GiB).',
    },
    seed: { field: 'seed', default: 20240601, rule: SEED, doc: 'Seed of the real-sample pool draw.' },
  },
  eval: {
    samples: {
      field: 'samples',
      default: 10000,
      rule: { ...POSITIVE_INTEGER, min: 1000, minInclusive: true, max: 10_000_000, description: 'an integer from 1000 to 10000000' },
      doc: 'Generated samples per evaluation, all from one fixed noise stream.',
    },
    checkpoints: {
      field: 'checkpoints',
      default: 10,
      rule: POSITIVE_INTEGER,
      doc: 'Evaluations spread evenly over training, the last one at the final step; at most the smallest grid.steps.',
    },
    final_window: {
      field: 'finalWindow',
      default: 0.2,
      rule: { ...POSITIVE_NUMBER, max: 1, maxInclusive: true, description: 'a number in (0, 1]' },
      doc: 'Fraction of the final steps over which loss stability is measured.',
    },
    success_w1: {
      field: 'successW1',
      default: null,
      rule: POSITIVE_NUMBER,
      doc: "A seed succeeds when its final W1 distance to the target is below this value (units of x). Default: 0.1 × the target's standard deviation.",
    },
    seed: { field: 'seed', default: 20240602, rule: SEED, doc: 'Seed of the evaluation noise stream, shared by every trial.' },
  },
  run: {
    trial_timeout: {
      field: 'trialTimeout',
      default: 0,
      // Node's timers hold at most 2^31 − 1 ms; a longer delay fires at once.
      rule: { ...NON_NEGATIVE_NUMBER, max: MAX_TIMEOUT_SECONDS, maxInclusive: true, description: `a number of seconds from 0 to ${MAX_TIMEOUT_SECONDS}` },
      doc: 'Seconds one trial may run before it is stopped and recorded as timed out; 0 means no limit. The command line option --trial-timeout overrides it.',
    },
    max_time: {
      field: 'maxTime',
      default: 0,
      rule: NON_NEGATIVE_NUMBER,
      doc: 'Seconds after which the sweep starts no new trial (running trials finish); 0 means no limit. Overridden by --max-time.',
    },
    max_retries: {
      field: 'maxRetries',
      default: 2,
      rule: { ...NON_NEGATIVE_NUMBER, integer: true, max: 100, maxInclusive: true, description: 'an integer from 0 to 100' },
      doc: 'Extra attempts for a trial whose worker thread crashed, exited or ran out of memory. Overridden by --max-retries.',
    },
  },
};

/**
 * Computes the default of `eval.success_w1`: 0.1 × the standard deviation of the mixture,
 * whose variance is Σ w(σ² + (μ − m)²) with m = Σ wμ.
 */
export function defaultSuccessW1(target: Target): number {
  let mean = 0;
  for (const { weight, mean: mu } of target.components) mean += weight * mu;
  // Σ w(σ² + (μ − m)²) rather than Σ w(σ² + μ²) − m², which cancels for large means.
  let variance = 0;
  for (const { weight, mean: mu, variance: componentVariance } of target.components) {
    variance += weight * (componentVariance + (mu - mean) ** 2);
  }
  return 0.1 * Math.sqrt(variance);
}
