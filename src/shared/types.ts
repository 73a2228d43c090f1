import type { MessagePort } from 'node:worker_threads';

/**
 * Shapes shared by the coordinator and the worker threads. Everything here crosses the
 * thread boundary by structured clone, so it contains plain data only: no classes, no
 * functions, no Error instances (their custom fields would be lost in the copy).
 */

/** One normal component of the target mixture. `variance` is σ², not σ. */
export interface MixtureComponent {
  weight: number;
  mean: number;
  variance: number;
}

/** The 1-D target distribution: a mixture of normals whose weights sum to 1. */
export interface Target {
  components: MixtureComponent[];
}

/** Names of the grid keys, as written in the YAML file. */
export const HYPERPARAMETER_KEYS = [
  'latent_dim',
  'g_hidden',
  'd_hidden',
  'lr_g',
  'lr_d',
  'beta1',
  'beta2',
  'batch_size',
  'steps',
  'd_steps',
] as const;

export type HyperparameterKey = (typeof HYPERPARAMETER_KEYS)[number];

/** One configuration of the reference GAN: one value per grid key. */
export type Hyperparameters = Record<HyperparameterKey, number>;

/** Settings of the real-sample pool that the coordinator draws once per sweep. */
export interface DataSettings {
  /** Number of real samples drawn from the target into shared memory. */
  poolSize: number;
  /** Seed of the pool draw. */
  seed: number;
}

/** Settings of the per-trial evaluation. */
export interface EvalSettings {
  /** Generated samples per evaluation, all from one fixed noise stream. */
  samples: number;
  /** Number of evaluations spread evenly over training; the last one is at the final step. */
  checkpoints: number;
  /** Fraction of the final steps over which loss stability is measured. */
  finalWindow: number;
  /** A seed counts as a success when its final W1 is below this value (units of x). */
  successW1: number;
  /** Seed of the evaluation noise stream, shared by every trial of the sweep. */
  seed: number;
}

/**
 * Requested backend of a worker. For the tfjs engine, `auto` tries tfjs-node, then wasm,
 * and `node`, `wasm` and `cpu` name a tfjs backend. For the fused engine, `auto` and
 * `native` take the kernels compiled for this machine at install time, and `wasm` its
 * WebAssembly kernels.
 */
export type BackendChoice = 'auto' | 'native' | 'node' | 'wasm' | 'cpu';

/** The backends the tfjs engine can be asked for. */
export type TfjsBackendChoice = Exclude<BackendChoice, 'native'>;

/** Requested training engine of a trial. `auto` takes the fused engine where it fits. */
export type EngineChoice = 'auto' | 'tfjs' | 'fused';

/** The engine a trial actually ran on. */
export type EngineName = 'tfjs' | 'fused';

/** The backend a trial actually ran on. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu' | 'native';

/** Everything a worker needs to train one trial: one configuration and one seed. */
export interface TrialSpec {
  /** Stable id of the trial: `<configId>-s<seed>`. */
  trialId: string;
  /** Stable id of the configuration, a hash of its hyperparameters. */
  configId: string;
  seed: number;
  config: Hyperparameters;
  target: Target;
  eval: EvalSettings;
  backend: BackendChoice;
  engine: EngineChoice;
  /**
   * Directory under which the worker saves the trained generator, in
   * `<artifactDirectory>/<trialId>/`. When it is null or absent, nothing is saved.
   */
  artifactDirectory?: string | null;
}

/** The task the coordinator sends for one trial. */
export interface TrialTask {
  spec: TrialSpec;
  /** 1 for the first attempt at this trial in this sweep run, 2 for the first retry, and so on. */
  attempt: number;
  /** Float32 real samples from the target, shared by every worker without copying. */
  realPool: SharedArrayBuffer;
  /**
   * One Int32 shared by the coordinator and every worker. The coordinator sets it to 1 to
   * stop the sweep, and a trial then ends at its next step, so the worker can release its
   * tensors instead of being terminated mid-step.
   */
  stopFlag: SharedArrayBuffer;
  /**
   * One Int32 of this task only. The coordinator sets it to 1 just before it terminates
   * the worker (a trial timeout), so that a native step, which termination cannot
   * interrupt, ends within about a millisecond.
   */
  abortFlag: SharedArrayBuffer;
  /** Port on which the coordinator exposes a ProgressSink through comlink. */
  progressPort: MessagePort;
  /** Minimum milliseconds between two progress reports. */
  progressIntervalMs: number;
}

/** A progress report sent from a worker at most a few times per second. */
export interface ProgressReport {
  trialId: string;
  step: number;
  steps: number;
  dLoss: number;
  gLoss: number;
}

/** Receiver of progress reports; the coordinator exposes one per trial through comlink. */
export interface ProgressSink {
  report(progress: ProgressReport): void;
  /** Called once per worker-side notice, such as a backend fallback. */
  notice(trialId: string, message: string): void;
}

/** Distances between a set of generated samples and the target, and its moments. */
export interface DistributionMetrics {
  /** Wasserstein-1 distance between the empirical distribution and the exact target CDF. */
  w1: number;
  /** Kolmogorov–Smirnov statistic against the exact target CDF. */
  ks: number;
  /** Mean posterior responsibility of each target component, in component order. */
  modeWeights: number[];
  mean: number;
  std: number;
}

/** Evaluation at one step of training. */
export interface Checkpoint extends DistributionMetrics {
  step: number;
}

/** Loss behaviour over the final window of steps and the flags derived from it. */
export interface StabilityMetrics {
  /** First and last step (1-based, inclusive) of the final window. */
  windowStart: number;
  windowEnd: number;
  dLossMean: number;
  gLossMean: number;
  dLossStd: number;
  gLossStd: number;
  /** |mean D loss − ln 2|: both losses equal ln 2 at the equilibrium D = 1/2. */
  dLossGap: number;
  /** |mean G loss − ln 2|. */
  gLossGap: number;
  /** Standard deviation of W1 over the checkpoints that fall in the final window. */
  w1Spread: number;
  /** A loss or a generated sample was NaN or ±Inf. */
  diverged: boolean;
  /** Mean D loss in the final window below the threshold: the discriminator wins. */
  discriminatorWins: boolean;
  /** Generated std below 0.1 × target std: the generator collapsed. */
  collapsed: boolean;
}

/** Loss history downsampled to at most a few hundred points by averaging consecutive steps. */
export interface LossHistory {
  /** Last step of each averaged block. */
  step: number[];
  dLoss: number[];
  gLoss: number[];
}

/** Counts of samples in equal-width bins over [lower, upper]. */
export interface SampleHistogram {
  lower: number;
  upper: number;
  /** One count per bin. Bin i covers [lower + i·width, lower + (i + 1)·width), and the last bin also includes `upper`. */
  counts: number[];
  /** Finite samples below `lower`. */
  below: number;
  /** Finite samples above `upper`. */
  above: number;
  /** NaN or ±Inf samples, counted in no bin. */
  nonFinite: number;
}

/** D(x) = sigmoid(logit) on evenly spaced x values from `lower` to `upper`, both included. */
export interface DiscriminatorCurve {
  lower: number;
  upper: number;
  /** D at x_i = lower + i·(upper − lower)/(values.length − 1), rounded to 4 decimals. It is NaN (null in JSON) when D's output is NaN. */
  values: number[];
}

/** Plot data of one trial for the HTML report, recorded at the final evaluation. */
export interface TrialPlotData {
  /** Histogram of the final evaluation's generated samples. */
  histogram: SampleHistogram;
  discriminator: DiscriminatorCurve;
}

export interface TrialMetrics extends DistributionMetrics {
  checkpoints: Checkpoint[];
  stability: StabilityMetrics;
  lossHistory: LossHistory;
  /** Absent in results written before plot data was recorded. */
  plots?: TrialPlotData;
}

/**
 * Final state of a trial. `timed_out` is set by the coordinator when a trial exceeds its time
 * limit; `interrupted` means the sweep was stopped and the trial must run again.
 */
export type TrialStatus = 'done' | 'failed' | 'diverged' | 'timed_out' | 'interrupted';

/** A worker's memory right after a trial released everything it created. */
export interface WorkerMemory {
  /** tfjs tensors alive in the worker before the trial started; null for the fused engine, which creates none. */
  tensorsBefore: number | null;
  /** tfjs tensors alive in the worker after the trial; equal to tensorsBefore unless a tensor leaked. */
  tensors: number | null;
  /** V8 heap in use by the worker thread, in bytes. */
  heapUsedBytes: number;
  /** Resident set of the whole process (coordinator and every worker), in bytes. */
  rssBytes: number;
}

/** Code of a trial that failed before its first training step, most likely for a reason outside it. */
export const GS_TRIAL_SETUP_ERROR = 'GS_TRIAL_SETUP_ERROR';

/** An error as plain data, so its code survives the thread boundary. */
export interface TrialError {
  code: string;
  message: string;
  stack?: string;
}

/** Result a worker returns for one trial. */
export interface TrialOutcome {
  trialId: string;
  configId: string;
  seed: number;
  status: TrialStatus;
  /** Present when training reached evaluation; a diverged trial may carry partial metrics. */
  metrics: TrialMetrics | null;
  error: TrialError | null;
  backend: BackendName | null;
  /** The engine the trial ran on; null when it failed before one was created. */
  engine: EngineName | null;
  durationMs: number;
  /** Steps completed before the trial ended. */
  stepsDone: number;
  /** Null when the worker did not report it (a crashed worker, say). */
  workerMemory: WorkerMemory | null;
}
