import { describe, expect, test } from 'vitest';

import { ConfigError, formatConfigError, GS_CONFIG_FILE, GS_CONFIG_INVALID, GS_CONFIG_TYPE } from './errors.js';
import { parseSweep } from './parse.js';

function configErrorOf(text: string): ConfigError {
  try {
    parseSweep(text, 'sweep.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('formatConfigError', () => {
  test('caret under quoted value', () => {
    const error = configErrorOf('name: t\ngrid:\n  lr_g: [0.001, "0.001"]\n');
    expect(formatConfigError(error)).toBe(
      [
        'sweep.yaml:3:17  GS_CONFIG_TYPE  grid.lr_g[1] must be a positive number, received the string "0.001"; remove the quotes',
        '  lr_g: [0.001, "0.001"]',
        '                ^^^^^^^',
      ].join('\n'),
    );
  });

  test('issues separated by blank line', () => {
    const error = configErrorOf('name: t\nseeds: 0\ndata:\n  seed: -1\n');
    const blocks = formatConfigError(error).split('\n\n');
    expect(blocks).toHaveLength(2);
    expect(blocks[0]!.startsWith('sweep.yaml:2:8  GS_CONFIG_RANGE  seeds must be')).toBe(true);
    expect(blocks[1]!.startsWith('sweep.yaml:4:9  GS_CONFIG_RANGE  data.seed must be')).toBe(true);
  });

  test('missing key gets single caret', () => {
    const error = configErrorOf('seeds: 2\n');
    expect(formatConfigError(error).split('\n').slice(1)).toEqual(['seeds: 2', '^']);
  });

  test('tabs kept in caret line', () => {
    const error = configErrorOf('name: t\ngrid: {lr_g:\t"x"}\n');
    const lines = formatConfigError(error).split('\n');
    expect(lines[1]).toBe('grid: {lr_g:\t"x"}');
    expect(lines[2]).toBe('            \t^^^');
  });

  test('explicit source text wins', () => {
    const error = new ConfigError('other.yaml', [
      { code: GS_CONFIG_TYPE, path: 'name', line: 1, column: 7, value: '2', message: 'name must be a string' },
    ]);
    expect(formatConfigError(error, 'name: 2\n')).toBe('other.yaml:1:7  GS_CONFIG_TYPE  name must be a string\nname: 2\n      ^');
    expect(formatConfigError(error)).toBe('other.yaml:1:7  GS_CONFIG_TYPE  name must be a string');
  });

  test('file issue has no position', () => {
    const error = new ConfigError('gone.yaml', [
      { code: GS_CONFIG_FILE, path: '', line: 0, column: 0, value: 'gone.yaml', message: 'sweep file not found: gone.yaml; check the path' },
    ]);
    expect(formatConfigError(error, 'name: t\n')).toBe('gone.yaml  GS_CONFIG_FILE  sweep file not found: gone.yaml; check the path');
  });
});

describe('ConfigError', () => {
  test('message lists every issue', () => {
    const error = configErrorOf('name: t\nseeds: 0\ndata:\n  seed: -1\n');
    expect(error.code).toBe(GS_CONFIG_INVALID);
    expect(error).toBeInstanceOf(Error);
    expect(error.message.split('\n')).toHaveLength(3);
    expect(error.message.split('\n')[0]).toBe('invalid sweep file sweep.yaml: 2 problems');
    expect(error.message.split('\n')[1]).toMatch(/^ {2}sweep\.yaml:2:8 {2}GS_CONFIG_RANGE {2}seeds must be/);
  });
});
