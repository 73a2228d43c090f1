/** Expansion of a grid into configurations and of a sweep into trials, with stable ids. */
import { createHash } from 'node:crypto';

import { HYPERPARAMETER_KEYS, type HyperparameterKey, type Hyperparameters } from '../shared/types.js';
import type { ResolvedSweep, SweepConfig, TrialPlan } from './sweep.js';

/**
 * Hex digits of the sha256 kept in a configuration id. By the birthday approximation
 * n²/2^(bits+1), 12 digits (48 bits) keep the chance of two ids colliding below 2·10⁻⁵
 * even at the 100,000-trial limit, where 8 digits would collide more often than not.
 */
export const CONFIG_ID_HEX_DIGITS = 12;

/**
 * Computes the stable id of a configuration: `c` + the first CONFIG_ID_HEX_DIGITS hex
 * digits of the sha256 of its canonical JSON, which lists the hyperparameters with keys
 * sorted. The id depends only on the values, so key order in the file does not matter
 * and `0.001` and `1e-3` give the same id.
 */
export function configIdOf(config: Hyperparameters): string {
  const sortedKeys = [...HYPERPARAMETER_KEYS].sort();
  const canonical: Record<string, number> = {};
  for (const key of sortedKeys) {
    const value = config[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new TypeError(`configIdOf: config.${key} must be a finite number, received ${String(value)}`);
    }
    canonical[key] = value;
  }

  const digest = createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
  return `c${digest.slice(0, CONFIG_ID_HEX_DIGITS)}`;
}

/** Counts the configurations of a grid: the product of its list lengths. */
export function countConfigs(grid: Record<HyperparameterKey, number[]>): number {
  return HYPERPARAMETER_KEYS.reduce((count, key) => count * grid[key].length, 1);
}

/**
 * Builds the Cartesian product of a grid in HYPERPARAMETER_KEYS order, the last key
 * varying fastest and each key's values in the order given. Values within a key must be
 * distinct, as validation ensures, because a repeated configuration raises an internal error.
 */
export function buildConfigs(grid: Record<HyperparameterKey, number[]>): SweepConfig[] {
  let partials: Array<Partial<Hyperparameters>> = [{}];
  for (const key of HYPERPARAMETER_KEYS) {
    const next: Array<Partial<Hyperparameters>> = [];
    for (const partial of partials) {
      for (const value of grid[key]) next.push({ ...partial, [key]: value });
    }
    partials = next;
  }

  const configs = partials.map((partial) => {
    const config = partial as Hyperparameters;
    return { configId: configIdOf(config), config };
  });

  const seen = new Set<string>();
  for (const { configId } of configs) {
    if (seen.has(configId)) {
      throw new Error(`Internal error: two configurations share the id ${configId}; raise CONFIG_ID_HEX_DIGITS`);
    }
    seen.add(configId);
  }
  return configs;
}

/** Expands a sweep into its trials: configurations in order, and each configuration's seeds in order. */
export function expandTrials(sweep: ResolvedSweep): TrialPlan[] {
  const trials: TrialPlan[] = [];
  for (const { configId, config } of sweep.configs) {
    for (const seed of sweep.seeds) {
      trials.push({ trialId: `${configId}-s${seed}`, configId, seed, config: { ...config } });
    }
  }
  return trials;
}
