import { describe, expect, test } from 'vitest';

import {
  ConfigError,
  GS_CONFIG_DUPLICATE_VALUE,
  GS_CONFIG_EMPTY_LIST,
  GS_CONFIG_MISSING,
  GS_CONFIG_RANGE,
  GS_CONFIG_TYPE,
  GS_CONFIG_UNKNOWN_KEY,
  GS_CONFIG_WEIGHTS_SUM,
  GS_CONFIG_YAML_SYNTAX,
  type ConfigIssue,
} from './errors.js';
import { parseSweep } from './parse.js';

/** Parses `text` and returns the issues of the ConfigError it must throw. */
function issuesOf(text: string): ConfigIssue[] {
  try {
    parseSweep(text, 'sweep.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected parseSweep to throw a ConfigError');
}

/** Parses `text` and returns its only issue. */
function onlyIssueOf(text: string): ConfigIssue {
  const issues = issuesOf(text);
  expect(issues).toHaveLength(1);
  return issues[0]!;
}

interface Case {
  name: string;
  text: string;
  expected: Omit<ConfigIssue, 'message'>;
  message: string;
}

const cases: Case[] = [
  {
    name: 'quoted number in grid list',
    text: 'name: t\ngrid:\n  lr_g: [0.001, "0.001"]\n',
    expected: { code: GS_CONFIG_TYPE, path: 'grid.lr_g[1]', line: 3, column: 17, value: '"0.001"' },
    message: 'grid.lr_g[1] must be a positive number, received the string "0.001"; remove the quotes',
  },
  {
    name: 'single-quoted integer',
    text: "name: t\ngrid:\n  steps: '100'\n",
    expected: { code: GS_CONFIG_TYPE, path: 'grid.steps', line: 3, column: 10, value: "'100'" },
    message: "grid.steps must be a positive integer, received the string '100'; remove the quotes",
  },
  {
    name: 'plain word for a number',
    text: 'name: t\ngrid:\n  lr_g: fast\n',
    expected: { code: GS_CONFIG_TYPE, path: 'grid.lr_g', line: 3, column: 9, value: 'fast' },
    message: 'grid.lr_g must be a positive number, received the string "fast"; write a number such as 0.001',
  },
  {
    name: 'unknown grid key near valid key',
    text: 'name: t\ngrid:\n  lr_gen: 0.1\n',
    expected: { code: GS_CONFIG_UNKNOWN_KEY, path: 'grid.lr_gen', line: 3, column: 3, value: 'lr_gen' },
    message: 'unknown key "lr_gen" in grid; did you mean "lr_g"?',
  },
  {
    name: 'unknown top-level key far from all',
    text: 'name: t\nlearning_rates: 1\n',
    expected: { code: GS_CONFIG_UNKNOWN_KEY, path: 'learning_rates', line: 2, column: 1, value: 'learning_rates' },
    message: 'unknown key "learning_rates" at the top level; allowed keys are name, target, grid, seeds, data, eval, run, engine',
  },
  {
    name: 'camelCase data key',
    text: 'name: t\ndata:\n  poolSize: 2048\n',
    expected: { code: GS_CONFIG_UNKNOWN_KEY, path: 'data.poolSize', line: 3, column: 3, value: 'poolSize' },
    message: 'unknown key "poolSize" in data; did you mean "pool_size"?',
  },
  {
    name: 'unknown eval key',
    text: 'name: t\neval:\n  sample: 2000\n',
    expected: { code: GS_CONFIG_UNKNOWN_KEY, path: 'eval.sample', line: 3, column: 3, value: 'sample' },
    message: 'unknown key "sample" in eval; did you mean "samples"?',
  },
  {
    name: 'zero hidden size',
    text: 'name: t\ngrid:\n  g_hidden: 0\n',
    expected: { code: GS_CONFIG_RANGE, path: 'grid.g_hidden', line: 3, column: 13, value: '0' },
    message: 'grid.g_hidden must be an integer from 1 to 16384, received 0; use a value > 0 and ≤ 16384',
  },
  {
    name: 'negative learning rate',
    text: 'name: t\ngrid:\n  lr_d: -0.001\n',
    expected: { code: GS_CONFIG_RANGE, path: 'grid.lr_d', line: 3, column: 9, value: '-0.001' },
    message: 'grid.lr_d must be a positive number, received -0.001; use a value > 0',
  },
  {
    name: 'zero steps in list',
    text: 'name: t\ngrid:\n  steps: [100, 0]\n',
    expected: { code: GS_CONFIG_RANGE, path: 'grid.steps[1]', line: 3, column: 16, value: '0' },
    message: 'grid.steps[1] must be a positive integer, received 0; use a value > 0',
  },
  {
    name: 'beta1 equal to one',
    text: 'name: t\ngrid:\n  beta1: 1\n',
    expected: { code: GS_CONFIG_RANGE, path: 'grid.beta1', line: 3, column: 10, value: '1' },
    message: 'grid.beta1 must be a number in [0, 1), received 1; use a value ≥ 0 and < 1',
  },
  {
    name: 'empty grid list',
    text: 'name: t\ngrid:\n  lr_g: []\n',
    expected: { code: GS_CONFIG_EMPTY_LIST, path: 'grid.lr_g', line: 3, column: 9, value: '[]' },
    message: 'grid.lr_g must list at least one value, received an empty list; add a value or delete the key to use the default 0.001',
  },
  {
    name: 'empty seeds list',
    text: 'name: t\nseeds: []\n',
    expected: { code: GS_CONFIG_EMPTY_LIST, path: 'seeds', line: 2, column: 8, value: '[]' },
    message: 'seeds must list at least one value, received an empty list; list at least one seed, or give a count such as 3',
  },
  {
    name: 'weights not summing to one',
    text: [
      'name: t',
      'target:',
      '  components:',
      '    - {weight: 0.5, mean: 0, variance: 1}',
      '    - {weight: 0.3, mean: 1, variance: 1}',
      '    - {weight: 0.1, mean: 2, variance: 1}',
      '',
    ].join('\n'),
    expected: { code: GS_CONFIG_WEIGHTS_SUM, path: 'target.components', line: 4, column: 5, value: '0.5 + 0.3 + 0.1' },
    message: 'target.components weights must sum to 1 (within 0.000001), received 0.5 + 0.3 + 0.1 = 0.9; adjust the weights',
  },
  {
    name: 'zero variance',
    text: 'name: t\ntarget:\n  components:\n    - {weight: 1, mean: 0, variance: 0}\n',
    expected: { code: GS_CONFIG_RANGE, path: 'target.components[0].variance', line: 4, column: 38, value: '0' },
    message: 'target.components[0].variance must be a positive number (the variance σ², not σ), received 0; use a value > 0',
  },
  {
    name: 'component missing variance',
    text: 'name: t\ntarget:\n  components:\n    - weight: 1\n      mean: 0\n',
    expected: { code: GS_CONFIG_MISSING, path: 'target.components[0].variance', line: 4, column: 7, value: '' },
    message: 'target.components[0].variance is missing; add variance: 4 to the component',
  },
  {
    name: 'target without components',
    text: 'name: t\ntarget:\n  {}\n',
    expected: { code: GS_CONFIG_MISSING, path: 'target.components', line: 3, column: 3, value: '' },
    message: 'target.components is missing; list the components as {weight, mean, variance}, or delete target to use the reference mixture',
  },
  {
    name: 'empty components list',
    text: 'name: t\ntarget:\n  components: []\n',
    expected: { code: GS_CONFIG_EMPTY_LIST, path: 'target.components', line: 3, column: 15, value: '[]' },
    message: 'target.components must list at least one component, received an empty list; add components or delete target to use the reference mixture',
  },
  {
    name: 'components as mapping',
    text: 'name: t\ntarget:\n  components: {weight: 1}\n',
    expected: { code: GS_CONFIG_TYPE, path: 'target.components', line: 3, column: 15, value: '{weight: 1}' },
    message: 'target.components must be a list of {weight, mean, variance}, received a mapping; write one "- {weight: 0.4, mean: 0, variance: 4}" line per component',
  },
  {
    name: 'list at top level',
    text: '- a\n- b\n',
    expected: { code: GS_CONFIG_TYPE, path: '', line: 1, column: 1, value: '- a…' },
    message: 'the sweep file must be a mapping with keys name, target, grid, seeds, data, eval, run, engine, received a list; write one "key: value" per line',
  },
  {
    name: 'empty document',
    text: '# only a comment\n',
    expected: { code: GS_CONFIG_TYPE, path: '', line: 1, column: 1, value: '' },
    message: 'the sweep file is empty; it must be a mapping with at least a line "name: <sweep name>"',
  },
  {
    name: 'grid as a number',
    text: 'name: t\ngrid: 5\n',
    expected: { code: GS_CONFIG_TYPE, path: 'grid', line: 2, column: 7, value: '5' },
    message: 'grid must be a mapping with keys latent_dim, g_hidden, d_hidden, lr_g, lr_d, beta1, beta2, batch_size, steps, d_steps, received 5; write one "key: value" per line',
  },
  {
    name: 'missing name',
    text: 'grid:\n  lr_g: 0.1\n',
    expected: { code: GS_CONFIG_MISSING, path: 'name', line: 1, column: 1, value: '' },
    message: 'name is missing; add a line such as "name: mixture-1d" (it names the results directory)',
  },
  {
    name: 'name with a space',
    text: 'name: my sweep\n',
    expected: { code: GS_CONFIG_RANGE, path: 'name', line: 1, column: 7, value: 'my sweep' },
    message: 'name may contain only letters, digits, ".", "_" and "-" because it names the results directory, received the string "my sweep"; replace the other characters, for example with "-"',
  },
  {
    name: 'name as dot-dot',
    text: 'name: ..\n',
    expected: { code: GS_CONFIG_RANGE, path: 'name', line: 1, column: 7, value: '..' },
    message: 'name must not be "." or ".." because it names the results directory, received the string ".."; choose another name',
  },
  {
    name: 'name as a number',
    text: 'name: 2024\n',
    expected: { code: GS_CONFIG_TYPE, path: 'name', line: 1, column: 7, value: '2024' },
    message: 'name must be a string, received 2024; put it in quotes: name: "2024"',
  },
  {
    name: 'fractional batch size',
    text: 'name: t\ngrid:\n  batch_size: 12.5\n',
    expected: { code: GS_CONFIG_TYPE, path: 'grid.batch_size', line: 3, column: 15, value: '12.5' },
    message: 'grid.batch_size must be an integer from 1 to 10000000, received 12.5; write a whole number such as 256',
  },
  {
    name: 'hidden size too large',
    text: 'name: t\ngrid:\n  d_hidden: [32, 100000]\n',
    expected: { code: GS_CONFIG_RANGE, path: 'grid.d_hidden[1]', line: 3, column: 18, value: '100000' },
    message: 'grid.d_hidden[1] must be an integer from 1 to 16384, received 100000; use a value > 0 and ≤ 16384',
  },
  {
    name: 'boolean learning rate',
    text: 'name: t\ngrid:\n  lr_g: true\n',
    expected: { code: GS_CONFIG_TYPE, path: 'grid.lr_g', line: 3, column: 9, value: 'true' },
    message: 'grid.lr_g must be a positive number, received the boolean true; write a number such as 0.001',
  },
  {
    name: 'null steps',
    text: 'name: t\ngrid:\n  steps: ~\n',
    expected: { code: GS_CONFIG_TYPE, path: 'grid.steps', line: 3, column: 10, value: '~' },
    message: 'grid.steps must be a positive integer, received null (~); write a number such as 2000',
  },
  {
    name: 'empty steps value',
    text: 'name: t\ngrid:\n  steps:\n',
    expected: { code: GS_CONFIG_TYPE, path: 'grid.steps', line: 3, column: 9, value: '' },
    message: 'grid.steps must be a positive integer, received an empty value; write a number such as 2000',
  },
  {
    name: 'infinite learning rate',
    text: 'name: t\ngrid:\n  lr_g: .inf\n',
    expected: { code: GS_CONFIG_TYPE, path: 'grid.lr_g', line: 3, column: 9, value: '.inf' },
    message: 'grid.lr_g must be a positive number, received .inf; write a finite number such as 0.001',
  },
  {
    name: 'NaN component mean',
    text: 'name: t\ntarget:\n  components:\n    - {weight: 1, mean: .nan, variance: 1}\n',
    expected: { code: GS_CONFIG_TYPE, path: 'target.components[0].mean', line: 4, column: 25, value: '.nan' },
    message: 'target.components[0].mean must be a finite number, received .nan; write a finite number such as 0',
  },
  {
    name: 'nested list in grid',
    text: 'name: t\ngrid:\n  lr_g: [[0.1, 0.2]]\n',
    expected: { code: GS_CONFIG_TYPE, path: 'grid.lr_g[0]', line: 3, column: 10, value: '[0.1, 0.2]' },
    message: 'grid.lr_g[0] must be a positive number, received a list; write a single number such as 0.001',
  },
  {
    name: 'repeated grid value',
    text: 'name: t\ngrid:\n  lr_g: [0.001, 0.01, 1e-3]\n',
    expected: { code: GS_CONFIG_DUPLICATE_VALUE, path: 'grid.lr_g[2]', line: 3, column: 23, value: '1e-3' },
    message: 'grid.lr_g[2] must differ from the other values, received 1e-3, equal to grid.lr_g[0]; remove one of them',
  },
  {
    name: 'repeated seed',
    text: 'name: t\nseeds: [4, 7, 4]\n',
    expected: { code: GS_CONFIG_DUPLICATE_VALUE, path: 'seeds[2]', line: 2, column: 15, value: '4' },
    message: 'seeds[2] must differ from the other values, received 4, equal to seeds[0]; remove one of them',
  },
  {
    name: 'seed above 32 bits',
    text: 'name: t\nseeds: [0, 4294967296]\n',
    expected: { code: GS_CONFIG_RANGE, path: 'seeds[1]', line: 2, column: 12, value: '4294967296' },
    message: 'seeds[1] must be an integer in [0, 4294967295], received 4294967296; use a value ≥ 0 and ≤ 4294967295',
  },
  {
    name: 'zero seed count',
    text: 'name: t\nseeds: 0\n',
    expected: { code: GS_CONFIG_RANGE, path: 'seeds', line: 2, column: 8, value: '0' },
    message: 'seeds must be a seed count (positive integer) or a list of seeds, received 0; use a value ≥ 1 and ≤ 100000',
  },
  {
    name: 'pool size below minimum',
    text: 'name: t\ndata:\n  pool_size: 1000\n',
    expected: { code: GS_CONFIG_RANGE, path: 'data.pool_size', line: 3, column: 14, value: '1000' },
    message: 'data.pool_size must be an integer from 1024 to 268435456 (2^28), received 1000; use a value ≥ 1024 and ≤ 268435456',
  },
  {
    name: 'final window above one',
    text: 'name: t\neval:\n  final_window: 1.5\n',
    expected: { code: GS_CONFIG_RANGE, path: 'eval.final_window', line: 3, column: 17, value: '1.5' },
    message: 'eval.final_window must be a number in (0, 1], received 1.5; use a value > 0 and ≤ 1',
  },
  {
    name: 'zero success threshold',
    text: 'name: t\neval:\n  success_w1: 0\n',
    expected: { code: GS_CONFIG_RANGE, path: 'eval.success_w1', line: 3, column: 15, value: '0' },
    message: 'eval.success_w1 must be a positive number, received 0; use a value > 0',
  },
  {
    name: 'checkpoints above steps',
    text: 'name: t\ngrid:\n  steps: [50, 5]\neval:\n  checkpoints: 6\n',
    expected: { code: GS_CONFIG_RANGE, path: 'eval.checkpoints', line: 5, column: 16, value: '6' },
    message: 'eval.checkpoints must be at most the smallest grid.steps value (5), received 6; lower it or raise grid.steps',
  },
  {
    name: 'default checkpoints above steps',
    text: 'name: t\ngrid:\n  steps: 5\n',
    expected: { code: GS_CONFIG_RANGE, path: 'grid.steps', line: 3, column: 10, value: '5' },
    message: 'grid.steps must be at least eval.checkpoints (default 10), received 5; raise the steps or set eval.checkpoints to at most 5',
  },
  {
    name: 'alias without anchor',
    text: 'name: t\ngrid:\n  lr_g: *rates\n',
    expected: { code: GS_CONFIG_YAML_SYNTAX, path: 'grid.lr_g', line: 3, column: 9, value: '*rates' },
    message: 'alias *rates refers to no anchor; define &rates on an earlier value',
  },
];

describe('validateSweep', () => {
  test.each(cases)('$name', ({ text, expected, message }) => {
    const issue = onlyIssueOf(text);
    expect(issue).toEqual({ ...expected, message });
  });

  test('trial limit names the count', () => {
    const list = '[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]';
    const text = `name: t\ngrid:\n  latent_dim: ${list}\n  g_hidden: ${list}\n  d_hidden: ${list}\n  batch_size: ${list}\nseeds: 11\n`;
    const issue = onlyIssueOf(text);
    expect(issue.code).toBe(GS_CONFIG_RANGE);
    expect(issue.path).toBe('grid');
    expect(issue.line).toBe(2);
    expect(issue.column).toBe(1);
    expect(issue.message).toBe(
      'the sweep must have at most 100,000 trials, received 110,000 (10,000 configurations × 11 seeds); shorten the grid lists or use fewer seeds',
    );
  });

  test('trial limit from seeds list', () => {
    // The grid has one configuration, so the seeds list is the cause.
    const seeds = Array.from({ length: 100_001 }, (_, seed) => seed).join(', ');
    const issue = onlyIssueOf(`name: t\ngrid:\n  steps: 500\nseeds: [${seeds}]\n`);
    expect(issue.code).toBe(GS_CONFIG_RANGE);
    expect(issue.path).toBe('seeds');
    expect(issue.line).toBe(4);
    expect(issue.column).toBe(1);
    expect(issue.message).toContain('received 100,001 (1 configuration × 100,001 seeds)');
  });

  test('seed count above limit', () => {
    const issue = onlyIssueOf('name: t\nseeds: 100001\n');
    expect(issue.code).toBe(GS_CONFIG_RANGE);
    expect(issue.path).toBe('seeds');
  });

  test('unknown component key and missing variance', () => {
    const issues = issuesOf('name: t\ntarget:\n  components:\n    - {weight: 1, mean: 0, varaince: 4}\n');
    expect(issues.map((issue) => [issue.code, issue.path, issue.line, issue.column])).toEqual([
      [GS_CONFIG_MISSING, 'target.components[0].variance', 4, 7],
      [GS_CONFIG_UNKNOWN_KEY, 'target.components[0].varaince', 4, 28],
    ]);
    expect(issues[1]!.message).toBe('unknown key "varaince" in target.components[0]; did you mean "variance"?');
  });

  test('aliased list used twice', () => {
    const sweep = parseSweep('name: t\ngrid:\n  lr_g: &rates [0.01, 0.001]\n  lr_d: *rates\n', 'sweep.yaml');
    expect(sweep.grid.lr_g).toEqual([0.01, 0.001]);
    expect(sweep.grid.lr_d).toEqual([0.01, 0.001]);
  });

  test('quoted name accepted', () => {
    const sweep = parseSweep('name: "2024.run_1"\n', 'sweep.yaml');
    expect(sweep.name).toBe('2024.run_1');
  });

  test('weights summing within tolerance accepted', () => {
    const text = 'name: t\ntarget:\n  components:\n    - {weight: 0.3333333, mean: 0, variance: 1}\n    - {weight: 0.6666667, mean: 1, variance: 1}\n';
    const sweep = parseSweep(text, 'sweep.yaml');
    expect(sweep.target.components).toHaveLength(2);
  });

  test('beta1 zero accepted', () => {
    const sweep = parseSweep('name: t\ngrid:\n  beta1: 0\n', 'sweep.yaml');
    expect(sweep.grid.beta1).toEqual([0]);
  });
});

describe('run section', () => {
  test('defaults to no limits and two retries', () => {
    const sweep = parseSweep('name: t\n', 't.yaml');
    expect(sweep.run).toEqual({ trialTimeout: 0, maxTime: 0, maxRetries: 2 });
  });

  test('reads limits in seconds', () => {
    const sweep = parseSweep('name: t\nrun:\n  trial_timeout: 90\n  max_time: 3600\n  max_retries: 0\n', 't.yaml');
    expect(sweep.run).toEqual({ trialTimeout: 90, maxTime: 3600, maxRetries: 0 });
  });

  test('rejects a fractional retry count', () => {
    expect(() => parseSweep('name: t\nrun:\n  max_retries: 1.5\n', 't.yaml')).toThrow(/run\.max_retries must be an integer from 0 to 100/);
  });

  test('rejects a negative timeout', () => {
    expect(() => parseSweep('name: t\nrun:\n  trial_timeout: -1\n', 't.yaml')).toThrow(/run\.trial_timeout must be a number of seconds from 0 to 2147483, received -1/);
  });
});
