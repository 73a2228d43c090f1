import { describe, expect, test } from 'vitest';

import { HYPERPARAMETER_KEYS } from '../shared/types.js';
import { DATA_KEYS, defaultSuccessW1, EVAL_KEYS, REFERENCE_TARGET, SWEEP_SETTINGS, type NumberRule } from './defaults.js';

function satisfies(value: number, rule: NumberRule): boolean {
  const aboveMin = rule.minInclusive ? value >= rule.min : value > rule.min;
  const belowMax = rule.maxInclusive ? value <= rule.max : value < rule.max;
  return aboveMin && belowMax && (!rule.integer || Number.isInteger(value));
}

describe('SWEEP_SETTINGS', () => {
  test('grid covers every hyperparameter', () => {
    expect(Object.keys(SWEEP_SETTINGS.grid)).toEqual([...HYPERPARAMETER_KEYS]);
  });

  test('sections list their keys', () => {
    expect(Object.keys(SWEEP_SETTINGS.data)).toEqual([...DATA_KEYS]);
    expect(Object.keys(SWEEP_SETTINGS.eval)).toEqual([...EVAL_KEYS]);
  });

  test('defaults satisfy their rules', () => {
    const settings = [...Object.values(SWEEP_SETTINGS.grid), ...Object.values(SWEEP_SETTINGS.data), ...Object.values(SWEEP_SETTINGS.eval)];
    for (const setting of settings) {
      if (setting.default === null) continue;
      expect(satisfies(setting.default, setting.rule), setting.doc).toBe(true);
    }
  });

  test('every setting documented', () => {
    const settings = [
      SWEEP_SETTINGS.name,
      SWEEP_SETTINGS.target,
      SWEEP_SETTINGS.seeds,
      ...Object.values(SWEEP_SETTINGS.grid),
      ...Object.values(SWEEP_SETTINGS.data),
      ...Object.values(SWEEP_SETTINGS.eval),
    ];
    for (const setting of settings) expect(setting.doc.length).toBeGreaterThan(10);
  });
});

describe('defaultSuccessW1', () => {
  test('reference mixture', () => {
    // Mean 0; E[x²] = 0.4·(4 + 0) + 0.3·(4 + 36) + 0.3·(4 + 36) = 25.6.
    expect(defaultSuccessW1(REFERENCE_TARGET)).toBeCloseTo(0.1 * Math.sqrt(25.6), 12);
  });

  test('single normal uses its sigma', () => {
    expect(defaultSuccessW1({ components: [{ weight: 1, mean: -3, variance: 16 }] })).toBeCloseTo(0.4, 12);
  });

  test('two point-like modes', () => {
    // Modes at ±1 with tiny variance: the mixture variance is about 1.
    const target = { components: [{ weight: 0.5, mean: -1, variance: 1e-12 }, { weight: 0.5, mean: 1, variance: 1e-12 }] };
    expect(defaultSuccessW1(target)).toBeCloseTo(0.1, 9);
  });
});
