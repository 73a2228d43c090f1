/** The validated, fully defaulted form of a sweep file, and the trials it expands to. */
import type { RunSettings } from './defaults.js';
import type { EngineChoice, DataSettings, EvalSettings, Hyperparameters, HyperparameterKey, Target } from '../shared/types.js';

/** One configuration of the grid with its stable id. */
export interface SweepConfig {
  configId: string;
  config: Hyperparameters;
}

/** A sweep file after validation, with every default filled in. */
export interface ResolvedSweep {
  /** Name of the results directory, made of [A-Za-z0-9._-]. */
  name: string;
  /** The path or label the sweep was read from. */
  sourceFile: string;
  target: Target;
  /** Values of every grid key in the order written. A single value becomes a one-element list. */
  grid: Record<HyperparameterKey, number[]>;
  seeds: number[];
  data: DataSettings;
  eval: EvalSettings;
  run: RunSettings;
  /** Training engine: auto (the default) takes the fused engine where it supports the configuration. */
  engine: EngineChoice;
  /** Cartesian product of the grid, keys in HYPERPARAMETER_KEYS order, the last key varying fastest. */
  configs: SweepConfig[];
}

/** One trial to run: a configuration and a seed. */
export interface TrialPlan {
  /** `<configId>-s<seed>`. */
  trialId: string;
  configId: string;
  seed: number;
  config: Hyperparameters;
}
