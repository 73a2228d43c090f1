import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import {
  ConfigError,
  GS_CONFIG_DUPLICATE_KEY,
  GS_CONFIG_EMPTY_LIST,
  GS_CONFIG_FILE,
  GS_CONFIG_INVALID,
  GS_CONFIG_MISSING,
  GS_CONFIG_RANGE,
  GS_CONFIG_TYPE,
  GS_CONFIG_UNKNOWN_KEY,
  GS_CONFIG_WEIGHTS_SUM,
  GS_CONFIG_YAML_SYNTAX,
} from './errors.js';
import { loadSweepFile, parseSweep } from './parse.js';

let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'gansweep-config-'));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function writeSweep(fileName: string, text: string): string {
  const path = join(directory, fileName);
  writeFileSync(path, text);
  return path;
}

/** Runs `load` and returns the ConfigError it must throw. */
function configErrorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadSweepFile', () => {
  test('minimal file fills defaults', () => {
    const path = writeSweep('minimal.yaml', 'name: minimal\n');
    const sweep = loadSweepFile(path);

    expect(sweep.name).toBe('minimal');
    expect(sweep.sourceFile).toBe(path);
    expect(sweep.target).toEqual({
      components: [
        { weight: 0.4, mean: 0, variance: 4 },
        { weight: 0.3, mean: -6, variance: 4 },
        { weight: 0.3, mean: 6, variance: 4 },
      ],
    });
    expect(sweep.grid).toEqual({
      latent_dim: [8],
      g_hidden: [32],
      d_hidden: [32],
      lr_g: [0.001],
      lr_d: [0.001],
      beta1: [0.5],
      beta2: [0.999],
      batch_size: [256],
      steps: [2000],
      d_steps: [1],
    });
    expect(sweep.seeds).toEqual([0, 1, 2]);
    expect(sweep.data).toEqual({ poolSize: 1048576, seed: 20240601 });
    expect(sweep.eval.samples).toBe(10000);
    expect(sweep.eval.checkpoints).toBe(10);
    expect(sweep.eval.finalWindow).toBe(0.2);
    expect(sweep.eval.seed).toBe(20240602);
    // The reference mixture has mean 0 and E[x²] = 0.4·4 + 0.3·(4 + 36) · 2 = 25.6.
    expect(sweep.eval.successW1).toBeCloseTo(0.1 * Math.sqrt(25.6), 12);
    expect(sweep.configs).toHaveLength(1);
  });

  test('seed count expands to range', () => {
    const sweep = loadSweepFile(writeSweep('count.yaml', 'name: count\nseeds: 4\n'));
    expect(sweep.seeds).toEqual([0, 1, 2, 3]);
  });

  test('explicit values override defaults', () => {
    const text = [
      'name: custom',
      'target:',
      '  components:',
      '    - {weight: 1, mean: 2, variance: 9}',
      'grid:',
      '  lr_g: [0.01, 0.001]',
      '  steps: 300',
      'seeds: [7, 3]',
      'data:',
      '  pool_size: 4096',
      '  seed: 11',
      'eval:',
      '  samples: 2000',
      '  checkpoints: 3',
      '  final_window: 1',
      '  success_w1: 0.25',
      '  seed: 12',
      '',
    ].join('\n');
    const sweep = loadSweepFile(writeSweep('custom.yaml', text));

    expect(sweep.target).toEqual({ components: [{ weight: 1, mean: 2, variance: 9 }] });
    expect(sweep.grid.lr_g).toEqual([0.01, 0.001]);
    expect(sweep.grid.steps).toEqual([300]);
    expect(sweep.seeds).toEqual([7, 3]);
    expect(sweep.data).toEqual({ poolSize: 4096, seed: 11 });
    expect(sweep.eval).toEqual({ samples: 2000, checkpoints: 3, finalWindow: 1, successW1: 0.25, seed: 12 });
    expect(sweep.configs).toHaveLength(2);
  });

  test('success_w1 default follows target', () => {
    const text = 'name: narrow\ntarget:\n  components:\n    - {weight: 1, mean: 5, variance: 9}\n';
    const sweep = loadSweepFile(writeSweep('narrow.yaml', text));
    expect(sweep.eval.successW1).toBeCloseTo(0.3, 12);
  });

  test('BOM and CRLF accepted', () => {
    const path = writeSweep('windows.yaml', '\uFEFFname: windows\r\ngrid:\r\n  lr_g: [0.1, 0.2]\r\n');
    const sweep = loadSweepFile(path);
    expect(sweep.name).toBe('windows');
    expect(sweep.grid.lr_g).toEqual([0.1, 0.2]);
  });

  test('CRLF issue position', () => {
    const path = writeSweep('windows-bad.yaml', 'name: windows\r\ngrid:\r\n  lr_g: "0.1"\r\n');
    const issue = configErrorOf(() => loadSweepFile(path)).issues[0]!;
    expect(issue.line).toBe(3);
    expect(issue.column).toBe(9);
  });

  test('missing file names the path', () => {
    const path = join(directory, 'absent.yaml');
    const error = configErrorOf(() => loadSweepFile(path));

    expect(error.code).toBe(GS_CONFIG_INVALID);
    expect(error.issues).toEqual([
      { code: GS_CONFIG_FILE, path: '', line: 0, column: 0, value: path, message: `sweep file not found: ${path}; check the path` },
    ]);
  });

  test('directory rejected as file', () => {
    const path = join(directory, 'a-directory.yaml');
    mkdirSync(path);
    const error = configErrorOf(() => loadSweepFile(path));

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.code).toBe(GS_CONFIG_FILE);
    expect(error.issues[0]!.message).toContain(path);
  });

  test('several problems in one throw', () => {
    const text = [
      'name: bad sweep', //               line 1: name with a space
      'target:',
      '  components:',
      '    - {weight: 0.5, mean: 0, variance: 4}',
      '    - {weight: 0.4, mean: 3, variance: -1}', // line 5: negative variance, weights sum to 0.9
      'grid:',
      '  lr_g: [0.001, "0.0003"]', //     line 7: quoted number
      '  batch_size: 12.5', //            line 8: fraction
      '  lr_gg: 0.1', //                  line 9: unknown key
      '  steps: []', //                   line 10: empty list
      '  steps: [100]', //                line 11: duplicate key
      'eval:',
      '  samples: 10', //                 line 13: below minimum
      '',
    ].join('\n');
    const path = writeSweep('several.yaml', text);
    const error = configErrorOf(() => loadSweepFile(path));

    expect(error.issues.map((issue) => [issue.code, issue.path, issue.line, issue.column])).toEqual([
      [GS_CONFIG_RANGE, 'name', 1, 7],
      [GS_CONFIG_WEIGHTS_SUM, 'target.components', 4, 5],
      [GS_CONFIG_RANGE, 'target.components[1].variance', 5, 40],
      [GS_CONFIG_TYPE, 'grid.lr_g[1]', 7, 17],
      [GS_CONFIG_TYPE, 'grid.batch_size', 8, 15],
      [GS_CONFIG_UNKNOWN_KEY, 'grid.lr_gg', 9, 3],
      [GS_CONFIG_EMPTY_LIST, 'grid.steps', 10, 10],
      [GS_CONFIG_DUPLICATE_KEY, 'grid.steps', 11, 3],
      [GS_CONFIG_RANGE, 'eval.samples', 13, 12],
    ]);
    expect(error.sourceName).toBe(path);
    expect(error.message).toContain('9 problems');
  });

  test('weights and missing name together', () => {
    const text = 'target:\n  components:\n    - {weight: 0.5, mean: 0, variance: 4}\n';
    const error = configErrorOf(() => parseSweep(text, 'sweep.yaml'));
    expect(error.issues.map((issue) => issue.code)).toEqual([GS_CONFIG_MISSING, GS_CONFIG_WEIGHTS_SUM]);
  });

  test('experiments file loads', () => {
    const path = fileURLToPath(new URL('../../experiments/mixture-1d.yaml', import.meta.url));
    const sweep = loadSweepFile(path);

    expect(sweep.name).toBe('mixture-1d');
    expect(sweep.configs).toHaveLength(4);
    expect(sweep.seeds).toHaveLength(5);
    expect(sweep.grid.steps).toEqual([6000]);
    expect(sweep.grid.batch_size).toEqual([256]);
  });
});

describe('parseSweep', () => {
  test('duplicate top-level key', () => {
    const error = configErrorOf(() => parseSweep('name: a\nseeds: 2\nname: b\n', 'sweep.yaml'));
    expect(error.issues).toEqual([
      {
        code: GS_CONFIG_DUPLICATE_KEY,
        path: 'name',
        line: 3,
        column: 1,
        value: 'name',
        message: 'name must appear once in its mapping, received it again (first at line 1); remove one of them',
      },
    ]);
  });

  test('duplicate key in flow mapping', () => {
    const error = configErrorOf(() => parseSweep('name: a\ngrid: {lr_g: 0.1, lr_g: 0.2}\n', 'sweep.yaml'));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.code).toBe(GS_CONFIG_DUPLICATE_KEY);
    expect(error.issues[0]!.path).toBe('grid.lr_g');
    expect(error.issues[0]!.line).toBe(2);
    expect(error.issues[0]!.column).toBe(19);
  });

  test('unclosed flow list', () => {
    const error = configErrorOf(() => parseSweep('name: t\ngrid:\n  lr_g: [0.1, 0.2\n', 'sweep.yaml'));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.code).toBe(GS_CONFIG_YAML_SYNTAX);
    expect(error.issues[0]!.line).toBe(4);
    expect(error.issues[0]!.column).toBe(1);
    expect(error.issues[0]!.message).toMatch(/^invalid YAML: Flow sequence .*; fix the syntax at this position$/);
  });

  test('unclosed quote', () => {
    const error = configErrorOf(() => parseSweep('name: "unterminated\n', 'sweep.yaml'));
    expect(error.issues.map((issue) => [issue.code, issue.line, issue.column])).toEqual([[GS_CONFIG_YAML_SYNTAX, 2, 1]]);
  });

  test('tab indentation', () => {
    const error = configErrorOf(() => parseSweep('name: t\ngrid:\n\tlr_g: 0.1\n', 'sweep.yaml'));
    expect(error.issues[0]!.code).toBe(GS_CONFIG_YAML_SYNTAX);
    expect(error.issues[0]!.line).toBe(3);
    expect(error.issues[0]!.column).toBe(1);
  });

  test('syntax error skips schema checks', () => {
    const error = configErrorOf(() => parseSweep('grid:\n  lr_g: [0.1\nunknown: 1\n', 'sweep.yaml'));
    expect(error.issues.every((issue) => issue.code === GS_CONFIG_YAML_SYNTAX)).toBe(true);
  });

  test('two documents rejected', () => {
    const error = configErrorOf(() => parseSweep('name: a\n---\nname: b\n', 'sweep.yaml'));
    expect(error.issues[0]!.code).toBe(GS_CONFIG_YAML_SYNTAX);
    expect(error.issues[0]!.line).toBe(2);
  });

  test('error keeps source text', () => {
    const text = 'name: t\nseeds: -1\n';
    const error = configErrorOf(() => parseSweep(text, 'sweep.yaml'));
    expect(error.sourceText).toBe(text);
    expect(error.name).toBe('ConfigError');
  });
});
