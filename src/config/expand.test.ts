import { createHash } from 'node:crypto';

import { describe, expect, test } from 'vitest';

import { buildConfigs, configIdOf, countConfigs, expandTrials } from './expand.js';
import { parseSweep } from './parse.js';
import type { Hyperparameters } from '../shared/types.js';

const referenceConfig: Hyperparameters = {
  latent_dim: 8,
  g_hidden: 32,
  d_hidden: 32,
  lr_g: 0.001,
  lr_d: 0.001,
  beta1: 0.5,
  beta2: 0.999,
  batch_size: 256,
  steps: 2000,
  d_steps: 1,
};

describe('configIdOf', () => {
  test('hash of sorted-key JSON', () => {
    const canonical =
      '{"batch_size":256,"beta1":0.5,"beta2":0.999,"d_hidden":32,"d_steps":1,"g_hidden":32,"latent_dim":8,"lr_d":0.001,"lr_g":0.001,"steps":2000}';
    const expected = `c${createHash('sha256').update(canonical).digest('hex').slice(0, 12)}`;
    expect(configIdOf(referenceConfig)).toBe(expected);
  });

  test('object key order ignored', () => {
    const reversed = Object.fromEntries(Object.entries(referenceConfig).reverse()) as Hyperparameters;
    expect(configIdOf(reversed)).toBe(configIdOf(referenceConfig));
  });

  test('different values differ', () => {
    expect(configIdOf({ ...referenceConfig, lr_g: 0.0003 })).not.toBe(configIdOf(referenceConfig));
  });

  test('missing key throws', () => {
    const { steps: _steps, ...withoutSteps } = referenceConfig;
    expect(() => configIdOf(withoutSteps as Hyperparameters)).toThrow(TypeError);
  });
});

describe('buildConfigs', () => {
  test('last key varies fastest', () => {
    const grid = parseSweep('name: t\ngrid:\n  latent_dim: [4, 8]\n  d_steps: [1, 2, 3]\n', 'sweep.yaml').grid;
    const configs = buildConfigs(grid);

    expect(countConfigs(grid)).toBe(6);
    expect(configs.map(({ config }) => [config.latent_dim, config.d_steps])).toEqual([
      [4, 1],
      [4, 2],
      [4, 3],
      [8, 1],
      [8, 2],
      [8, 3],
    ]);
    expect(Object.keys(configs[0]!.config)).toEqual([
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
    ]);
  });
});

describe('expandTrials', () => {
  const text = 'name: t\ngrid:\n  lr_g: [0.001, 0.0003]\n  steps: 500\nseeds: 3\n';

  test('two rates by three seeds', () => {
    const sweep = parseSweep(text, 'sweep.yaml');
    const trials = expandTrials(sweep);
    const [first, second] = sweep.configs;

    expect(trials).toHaveLength(6);
    expect(trials.map((trial) => [trial.configId, trial.seed])).toEqual([
      [first!.configId, 0],
      [first!.configId, 1],
      [first!.configId, 2],
      [second!.configId, 0],
      [second!.configId, 1],
      [second!.configId, 2],
    ]);
    expect(trials[4]!.trialId).toBe(`${second!.configId}-s1`);
    expect(trials[4]!.config.lr_g).toBe(0.0003);
    expect(trials[4]!.config.steps).toBe(500);
  });

  test('ids stable across calls', () => {
    const first = expandTrials(parseSweep(text, 'sweep.yaml'));
    const second = expandTrials(parseSweep(text, 'other.yaml'));
    expect(second.map((trial) => trial.trialId)).toEqual(first.map((trial) => trial.trialId));
  });

  test('config id ignores file key order', () => {
    const reordered = 'seeds: 3\ngrid:\n  steps: 500\n  lr_g: [0.001, 0.0003]\nname: t\n';
    const original = parseSweep(text, 'sweep.yaml').configs.map((config) => config.configId);
    const other = parseSweep(reordered, 'sweep.yaml').configs.map((config) => config.configId);
    expect(other).toEqual(original);
  });

  test('config id ignores number spelling', () => {
    const spelled = parseSweep('name: t\ngrid:\n  lr_g: 1e-3\n  steps: 5e2\n', 'sweep.yaml');
    const plain = parseSweep('name: t\ngrid:\n  lr_g: 0.001\n  steps: 500\n', 'sweep.yaml');
    expect(spelled.configs[0]!.configId).toBe(plain.configs[0]!.configId);
  });

  test('trial configs are copies', () => {
    const sweep = parseSweep(text, 'sweep.yaml');
    const trials = expandTrials(sweep);
    trials[0]!.config.lr_g = 1;
    expect(sweep.configs[0]!.config.lr_g).toBe(0.001);
    expect(trials[1]!.config.lr_g).toBe(0.001);
  });
});
