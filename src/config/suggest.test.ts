import { describe, expect, test } from 'vitest';

import { levenshtein, suggestKey } from './suggest.js';

describe('levenshtein', () => {
  test.each([
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['lr_g', 'lr_g', 0],
    ['lr_g', 'lr_d', 1],
    ['steps', 'd_steps', 2],
  ])('%s to %s', (a, b, distance) => {
    expect(levenshtein(a, b)).toBe(distance);
  });
});

describe('suggestKey', () => {
  const keys = ['pool_size', 'seed'];

  test('typo within distance', () => {
    expect(suggestKey('pool_sise', keys)).toBe('pool_size');
  });

  test('camelCase read as snake_case', () => {
    expect(suggestKey('poolSize', keys)).toBe('pool_size');
  });

  test('upper case ignored', () => {
    expect(suggestKey('SEED', keys)).toBe('seed');
  });

  test('distant key has none', () => {
    expect(suggestKey('samples_per_eval', keys)).toBeUndefined();
  });

  test('tie goes to earlier key', () => {
    expect(suggestKey('lr_x', ['lr_g', 'lr_d'])).toBe('lr_g');
  });
});
