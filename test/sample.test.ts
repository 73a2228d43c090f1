import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { evaluateSamples } from '../src/shared/metrics.js';
import { REFERENCE_TARGET } from '../src/config/index.js';
import { readJsonLines, runCli, temporaryDirectory, writeGrid } from './helpers.js';

// One configuration trained long enough to approach the target: about 8 s on the wasm backend.
const TRAINED_GRID = `
name: trained
grid:
  batch_size: 128
  steps: 1500
seeds: [1]
data:
  pool_size: 262144
eval:
  samples: 10000
  checkpoints: 5
`;

const SAMPLES = 10_000;

interface TrialLine {
  trialId: string;
  configId: string;
  seed: number;
  metrics: { w1: number };
}

let sweepDirectory = '';
let trial: TrialLine;

beforeAll(async () => {
  const directory = temporaryDirectory();
  const out = join(directory, 'runs');
  const run = await runCli(['run', writeGrid(directory, 'trained', TRAINED_GRID), '--workers', '1', '--out', out]);
  expect(run.code, run.stderr).toBe(0);
  sweepDirectory = join(out, 'trained');
  [trial] = readJsonLines<TrialLine>(join(sweepDirectory, 'trials.jsonl'));
  expect(
    existsSync(join(sweepDirectory, 'generators', trial.trialId, 'model.json')),
    'gansweep run saved no generator; the coordinator must set TrialSpec.artifactDirectory to <sweep directory>/generators',
  ).toBe(true);
}, 120_000);

async function sampleW1(...options: string[]): Promise<number> {
  const run = await runCli(['sample', sweepDirectory, '--config', trial.configId, '--n', String(SAMPLES), '--format', 'json', ...options]);
  expect(run.code, run.stderr).toBe(0);
  const samples = JSON.parse(run.stdout) as number[];
  expect(samples).toHaveLength(SAMPLES);
  return evaluateSamples(samples, REFERENCE_TARGET).w1;
}

describe('gansweep sample', () => {
  it('reproduces the final evaluation with the default noise seed', async () => {
    // The default noise is the evaluation's stream, so these are the samples that were scored,
    // up to the float rounding of the layers' fused ops (measured: |ΔW1| = 5e-9).
    expect(Math.abs((await sampleW1()) - trial.metrics.w1)).toBeLessThan(1e-5);
  });

  it('matches the recorded W1 with other noise', async () => {
    // Only the noise differs, so W1 changes by its sampling error at 10,000 samples. For this
    // trial (recorded W1 0.16), noise seeds 1 to 10 gave values with a std of 0.03, at most
    // 0.078 away from the recorded W1. For comparison, the W1 of 10,000 exact target samples
    // has a std of 0.018.
    const w1 = await sampleW1('--noise-seed', '12345');
    expect(Math.abs(w1 - trial.metrics.w1)).toBeLessThan(0.1);
  });

  it('prints the requested count as CSV lines', async () => {
    const run = await runCli(['sample', sweepDirectory, '--config', trial.configId, '--n', '1000']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1000);
    for (const line of lines) expect(Number.isFinite(Number(line)), line).toBe(true);
  });

  it('writes the samples to --out and repeats them exactly', async () => {
    const file = join(temporaryDirectory(), 'samples.csv');
    const written = await runCli(['sample', sweepDirectory, '--config', trial.configId, '--seed', '1', '--n', '50', '--out', file]);
    const printed = await runCli(['sample', sweepDirectory, '--config', trial.configId, '--n', '50']);
    expect(written.code).toBe(0);
    expect(written.stdout).toBe('');
    expect(written.stderr).toContain(`wrote 50 samples of trial ${trial.trialId}`);
    expect(readFileSync(file, 'utf8')).toBe(printed.stdout);
  });

  it('lists the valid ids for an unknown configuration', async () => {
    const run = await runCli(['sample', sweepDirectory, '--config', 'c000000000000']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown configuration "c000000000000"');
    expect(run.stderr).toContain(`#1 ${trial.configId}`);
  });

  it('rejects a seed the configuration does not have', async () => {
    const run = await runCli(['sample', sweepDirectory, '--config', trial.configId, '--seed', '2']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('has no seed 2; its seeds are 1');
  });

  it('rejects an invalid --n', async () => {
    for (const n of ['0', '-5', '1.5', 'many', '10000001']) {
      const run = await runCli(['sample', sweepDirectory, '--config', trial.configId, `--n=${n}`]);
      expect(run.code, n).toBe(2);
      expect(run.stderr, n).toContain(`--n must be an integer from 1 to 10000000, received "${n}"`);
    }
  });

  it('exits 2 for a missing directory', async () => {
    const missing = join(temporaryDirectory(), 'nothing');
    const run = await runCli(['sample', missing, '--config', trial.configId]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`sweep directory ${missing} not found`);
  });

  it('exits 2 when the weights are missing', async () => {
    const copy = join(temporaryDirectory(), 'trained');
    cpSync(sweepDirectory, copy, { recursive: true });
    rmSync(join(copy, 'generators'), { recursive: true });

    const run = await runCli(['sample', copy, '--config', trial.configId]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`the trained generator of trial ${trial.trialId} is missing`);
  });
});
