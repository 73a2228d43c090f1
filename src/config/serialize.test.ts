import { describe, expect, test } from 'vitest';

import { parseSweep } from './parse.js';
import { resolvedSweepToYaml } from './serialize.js';

describe('resolvedSweepToYaml', () => {
  test('defaults round trip', () => {
    const sweep = parseSweep('name: defaults\n', 'in.yaml');
    const reread = parseSweep(resolvedSweepToYaml(sweep), 'in.yaml');
    expect(reread).toEqual(sweep);
  });

  test('full sweep round trip', () => {
    const text = [
      'name: "2024"',
      'target:',
      '  components:',
      '    - {weight: 0.25, mean: -1.5, variance: 0.5}',
      '    - {weight: 0.75, mean: 3, variance: 2}',
      'grid:',
      '  lr_g: [0.01, 1e-7]',
      '  d_hidden: [16, 64, 32]',
      '  beta1: 0',
      'seeds: [9, 4294967295, 0]',
      'eval:',
      '  checkpoints: 4',
      '  success_w1: 0.123456789',
      '',
    ].join('\n');
    const sweep = parseSweep(text, 'in.yaml');
    const reread = parseSweep(resolvedSweepToYaml(sweep), 'in.yaml');
    expect(reread).toEqual(sweep);
  });

  test('writes every key', () => {
    const sweep = parseSweep('name: shown\ngrid:\n  lr_d: [0.001, 0.0003]\nseeds: 2\n', 'experiments/shown.yaml');
    const yaml = resolvedSweepToYaml(sweep);

    expect(yaml).toContain('# Resolved sweep with every default filled in, read from experiments/shown.yaml\n');
    expect(yaml).toContain('\nname: shown\n');
    expect(yaml).toContain('    - {weight: 0.4, mean: 0, variance: 4}\n');
    expect(yaml).toContain('  lr_d: [0.001, 0.0003]\n');
    expect(yaml).toContain('  latent_dim: 8\n');
    expect(yaml).toContain('\nseeds: [0, 1]\n');
    expect(yaml).toContain('  pool_size: 1048576\n');
    expect(yaml).toMatch(/\n {2}success_w1: 0\.505964\d*\n/);
    expect(yaml).toContain('  final_window: 0.2\n');
  });
});
