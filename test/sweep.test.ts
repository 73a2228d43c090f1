import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { loadSweepFile } from '../src/config/index.js';
import { readJsonLines, runCli, temporaryDirectory, writeGrid } from './helpers.js';

interface TrialLine {
  trialId: string;
  configId: string;
  seed: number;
  status: string;
  metrics: { w1: number | null; ks: number; modeWeights: number[]; mean: number; std: number; checkpoints: unknown[]; lossHistory: { step: number[] } } | null;
  backend: string | null;
  durationMs: number;
  error: { code: string; message: string } | null;
}

// Few steps and small batches keep each trial well under a second of training.
const SMALL_GRID = `
name: small
grid:
  latent_dim: 4
  g_hidden: 16
  d_hidden: 16
  batch_size: 64
  steps: 40
  lr_d: [0.001, 0.0003]
seeds: [3, 11]
data:
  pool_size: 65536
eval:
  samples: 2000
  checkpoints: 4
`;

describe('gansweep run', () => {
  it('writes a complete leaderboard for a 2 × 2 sweep', async () => {
    const directory = temporaryDirectory();
    const grid = writeGrid(directory, 'small', SMALL_GRID);
    const out = join(directory, 'runs');

    const run = await runCli(['run', grid, '--workers', '2', '--out', out]);

    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const sweepDirectory = join(out, 'small');
    for (const file of ['leaderboard.json', 'leaderboard.csv', 'leaderboard.md', 'trials.jsonl', 'sweep.yaml', 'sweep.db', 'sweep.log', 'report.html']) {
      expect(existsSync(join(sweepDirectory, file)), file).toBe(true);
    }

    const leaderboard = JSON.parse(readFileSync(join(sweepDirectory, 'leaderboard.json'), 'utf8'));
    expect(leaderboard.rows).toHaveLength(2);
    expect(leaderboard.rows.map((row: { rank: number }) => row.rank)).toEqual([1, 2]);
    for (const row of leaderboard.rows) {
      expect(row.seeds).toEqual([3, 11]);
      expect(row.trials.done).toBe(2);
      expect(row.w1.mean).toBeGreaterThan(0);
      expect(row.w1.worst).toBeGreaterThanOrEqual(row.w1.mean);
      expect(row.successRate).toBeGreaterThanOrEqual(0);
      expect(row.stability.score).toBeGreaterThanOrEqual(0);
      expect(Object.keys(row.config).sort()).toEqual(
        ['batch_size', 'beta1', 'beta2', 'd_hidden', 'd_steps', 'g_hidden', 'latent_dim', 'lr_d', 'lr_g', 'steps'],
      );
    }

    const trials = readJsonLines<TrialLine>(join(sweepDirectory, 'trials.jsonl'));
    expect(trials).toHaveLength(4);
    for (const trial of trials) {
      expect(trial.status).toBe('done');
      expect(trial.backend).toBe('native');
      expect(trial.metrics!.modeWeights).toHaveLength(3);
      expect(trial.metrics!.checkpoints).toHaveLength(4);
      expect(trial.metrics!.lossHistory.step.at(-1)).toBe(40);
      expect(trial.durationMs).toBeGreaterThan(0);
    }

    const csv = readFileSync(join(sweepDirectory, 'leaderboard.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(readFileSync(join(sweepDirectory, 'leaderboard.md'), 'utf8')).toContain('| rank |');
    expect(loadSweepFile(join(sweepDirectory, 'sweep.yaml')).configs).toHaveLength(2);
    expect(run.stdout).toContain(leaderboard.rows[0].configId);
  });

  it('gives identical metrics with 1 and 2 workers', async () => {
    const directory = temporaryDirectory();
    const grid = writeGrid(directory, 'small', SMALL_GRID);
    const withoutTimings = (path: string) =>
      readJsonLines<TrialLine>(path).map(({ durationMs: _duration, ...rest }) => rest);

    const one = await runCli(['run', grid, '--workers', '1', '--out', join(directory, 'one')]);
    const two = await runCli(['run', grid, '--workers', '2', '--out', join(directory, 'two')]);

    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    const trialsOne = withoutTimings(join(directory, 'one', 'small', 'trials.jsonl'));
    const trialsTwo = withoutTimings(join(directory, 'two', 'small', 'trials.jsonl'));
    expect(trialsOne).toHaveLength(4);
    expect(trialsTwo).toEqual(trialsOne);
    expect(readFileSync(join(directory, 'two', 'small', 'leaderboard.json'), 'utf8')).toBe(
      readFileSync(join(directory, 'one', 'small', 'leaderboard.json'), 'utf8'),
    );
  });

  it('records a diverging configuration and ranks it last', async () => {
    const directory = temporaryDirectory();
    // A discriminator learning rate of 1e30 overflows float32 within a few steps.
    const grid = writeGrid(directory, 'diverge', SMALL_GRID.replace('name: small', 'name: diverge').replace('lr_d: [0.001, 0.0003]', 'lr_d: [1.0e+30, 0.001]'));
    const out = join(directory, 'runs');

    const run = await runCli(['run', grid, '--workers', '2', '--out', out]);

    expect(run.code).toBe(1);
    const trials = readJsonLines<TrialLine & { config: { lr_d: number } }>(join(out, 'diverge', 'trials.jsonl'));
    const diverging = trials.filter((trial) => trial.config.lr_d === 1e30);
    const healthy = trials.filter((trial) => trial.config.lr_d === 0.001);
    expect(diverging.map((trial) => trial.status)).toEqual(['diverged', 'diverged']);
    expect(diverging[0].error?.code).toBe('GS_TRIAL_DIVERGED');
    expect(healthy.map((trial) => trial.status)).toEqual(['done', 'done']);

    const leaderboard = JSON.parse(readFileSync(join(out, 'diverge', 'leaderboard.json'), 'utf8'));
    expect(leaderboard.rows.at(-1).config.lr_d).toBe(1e30);
    expect(leaderboard.rows.at(-1).successRate).toBe(0);
    expect(leaderboard.rows.at(-1).w1.worst).toBeNull();
    expect(leaderboard.rows[0].config.lr_d).toBe(0.001);
    expect(run.stderr).toContain('2 of 4 trials failed, diverged or timed out');
  });

  it('resumes a finished sweep without training again', async () => {
    const directory = temporaryDirectory();
    const grid = writeGrid(directory, 'small', SMALL_GRID);
    const out = join(directory, 'runs');

    expect((await runCli(['run', grid, '--out', out])).code).toBe(0);
    const leaderboard = readFileSync(join(out, 'small', 'leaderboard.json'), 'utf8');
    const second = await runCli(['run', grid, '--out', out]);

    expect(second.code).toBe(0);
    expect(second.stderr).toContain('4 of 4 trials already finished, 0 to run');
    expect(second.stderr).not.toContain('start ');
    expect(readFileSync(join(out, 'small', 'leaderboard.json'), 'utf8')).toBe(leaderboard);
  });

  it('moves the old directory aside with --fresh', async () => {
    const directory = temporaryDirectory();
    const grid = writeGrid(directory, 'small', SMALL_GRID.replace('lr_d: [0.001, 0.0003]', 'lr_d: 0.001').replace('seeds: [3, 11]', 'seeds: [3]'));
    const out = join(directory, 'runs');

    expect((await runCli(['run', grid, '--out', out])).code).toBe(0);
    const second = await runCli(['run', grid, '--out', out, '--fresh']);

    expect(second.code).toBe(0);
    const moved = second.stderr.match(/moved \S+ to (\S+)/)?.[1];
    expect(moved).toBeDefined();
    expect(existsSync(join(moved!, 'sweep.db'))).toBe(true);
    expect(existsSync(join(moved!, 'trials.jsonl'))).toBe(true);
    expect(second.stderr).toContain('start  ');
    expect(readJsonLines(join(out, 'small', 'trials.jsonl'))).toHaveLength(1);
  });
});

describe('gansweep report', () => {
  it('regenerates missing result files from the store', async () => {
    const directory = temporaryDirectory();
    const grid = writeGrid(directory, 'small', SMALL_GRID.replace('seeds: [3, 11]', 'seeds: [3]'));
    const out = join(directory, 'runs');
    expect((await runCli(['run', grid, '--out', out])).code).toBe(0);
    // A run killed before its exports leaves the store without these files.
    rmSync(join(out, 'small', 'leaderboard.json'));
    rmSync(join(out, 'small', 'trials.jsonl'));

    const report = await runCli(['report', join(out, 'small')]);

    expect(report.code).toBe(0);
    expect(readJsonLines(join(out, 'small', 'trials.jsonl'))).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(out, 'small', 'leaderboard.json'), 'utf8')).rows).toHaveLength(2);
  });
});

describe('gansweep validate', () => {
  it('prints the number of configurations and trials', async () => {
    const directory = temporaryDirectory();
    const run = await runCli(['validate', writeGrid(directory, 'small', SMALL_GRID)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 configurations × 2 seeds = 4 trials');
  });

  it('exits 2 on an invalid grid and trains nothing', async () => {
    const directory = temporaryDirectory();
    const grid = writeGrid(directory, 'bad', 'name: bad\ngrid:\n  lr_g: "0.001"\n  stepz: 10\n');
    const out = join(directory, 'runs');

    const run = await runCli(['run', grid, '--out', out]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('3:9');
    expect(run.stderr).toContain('4:3');
    expect(run.stderr).toContain('steps');
    expect(existsSync(out)).toBe(false);
  });
});

describe('gansweep command line', () => {
  it('rejects a non-numeric worker count with exit code 2', async () => {
    const run = await runCli(['run', 'experiments/mixture-1d.yaml', '--workers', 'two']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--workers must be a positive integer, received "two"');
  });

  it('rejects an unknown backend with exit code 2', async () => {
    const run = await runCli(['run', 'experiments/mixture-1d.yaml', '--backend', 'gpu']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('received "gpu"');
  });

  it('writes each distinct worker notice to sweep.log once', async () => {
    const directory = temporaryDirectory();
    const out = join(directory, 'runs');
    // tfjs-node is not installed here, so every tfjs worker falls back to wasm with a notice.
    const run = await runCli(['run', writeGrid(directory, 'small', SMALL_GRID), '--workers', '2', '--out', out, '--engine', 'tfjs']);
    expect(run.code).toBe(0);
    const notices = readFileSync(join(out, 'small', 'sweep.log'), 'utf8').split('\n').filter((line) => / notice /.test(line));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('@tensorflow/tfjs-node is not installed; using the wasm backend');
  });

  it('rejects --backend native for the tfjs engine with exit code 2', async () => {
    const run = await runCli(['run', 'experiments/mixture-1d.yaml', '--engine', 'tfjs', '--backend', 'native']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--backend native selects the fused engine's compiled kernels, but the engine is tfjs (from --engine)");
  });

  it('rejects a tfjs backend for the fused engine with exit code 2', async () => {
    const run = await runCli(['run', 'experiments/mixture-1d.yaml', '--engine', 'fused', '--backend', 'cpu']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--backend cpu names a tfjs backend, but the engine is fused (from --engine)');
  });

  it('rejects an empty --out with exit code 2', async () => {
    const run = await runCli(['run', 'experiments/mixture-1d.yaml', '--out', '']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--out must name a directory, received an empty string');
  });

  it('prints the usage for run --help', async () => {
    const run = await runCli(['run', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('gansweep run FILE [options]');
  });

  it('rejects an unknown option with exit code 2', async () => {
    const run = await runCli(['run', 'experiments/mixture-1d.yaml', '--wokers', '2']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--wokers');
  });
});
