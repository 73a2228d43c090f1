/**
 * Crash safety of `gansweep run` against real worker threads and a real SQLite store:
 * worker crashes and retries, timeouts, the time budget, systematic failures and damaged
 * stores. Faults are injected into real workers through GANSWEEP_TEST_FAULT.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { expandTrials, parseSweep } from '../src/config/index.js';
import { Rng } from '../src/shared/rng.js';
import { SweepStore } from '../src/store/sweepStore.js';
import { FAULT_VARIABLE } from '../workers/faults.js';
import { readJsonLines, runCli, runCliProcess, storedTrials, temporaryDirectory, writeGrid } from './helpers.js';

const GRID = `
name: resilience
grid:
  latent_dim: 4
  g_hidden: 8
  d_hidden: 8
  batch_size: 32
  steps: 30
  lr_d: [0.001, 0.0003]
seeds: [3, 11]
data:
  pool_size: 4096
eval:
  samples: 1000
  checkpoints: 3
`;

const trialIds = expandTrials(parseSweep(GRID, 'grid.yaml')).map((trial) => trial.trialId);

async function runWithFault(fault: string, extraArgs: string[] = [], grid = GRID) {
  const directory = temporaryDirectory();
  const file = writeGrid(directory, 'grid', grid);
  const out = join(directory, 'runs');
  const run = await runCliProcess(['run', file, '--workers', '2', '--out', out, ...extraArgs], { [FAULT_VARIABLE]: fault });
  return { run, file, out, sweepDirectory: join(out, 'resilience') };
}

// NOTE: Node 20 once aborted the whole process with "Assertion failed: (data.first) !=
// nullptr" in NodePlatform::ForIsolate while a worker thread was terminated mid-trial.
// The tests that crash or terminate workers therefore run gansweep in a child process
// and retry, so that this rare runtime failure fails one attempt, not the test runner.
const RUNTIME_RETRY = { retry: 2 };

describe('worker crashes', RUNTIME_RETRY, () => {
  it('retries a trial whose worker exited', async () => {
    const { run, sweepDirectory } = await runWithFault(`exit:${trialIds[1]}:10:1`);

    expect(run.code).toBe(0);
    const trials = storedTrials(sweepDirectory);
    expect(trials.map((trial) => trial.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(trials.find((trial) => trial.trialId === trialIds[1])!.attempts).toBe(2);
    expect(trials.filter((trial) => trial.trialId !== trialIds[1]).map((trial) => trial.attempts)).toEqual([1, 1, 1]);
    const log = readFileSync(join(sweepDirectory, 'sweep.log'), 'utf8');
    expect(log).toMatch(new RegExp(`retry +${trialIds[1]} worker crashed`));
  });

  it('records a trial as failed after the last retry', async () => {
    const { run, sweepDirectory } = await runWithFault(`exit:${trialIds[2]}:5:99`, ['--max-retries', '1']);

    expect(run.code).toBe(1);
    const crashed = storedTrials(sweepDirectory).find((trial) => trial.trialId === trialIds[2])!;
    expect(crashed.status).toBe('failed');
    expect(crashed.attempts).toBe(2);
    expect(crashed.errorCode).toBe('GS_WORKER_CRASH');
    expect(crashed.errorMessage).toContain('crashed on every attempt (2)');
    const others = storedTrials(sweepDirectory).filter((trial) => trial.trialId !== trialIds[2]);
    expect(others.map((trial) => trial.status)).toEqual(['done', 'done', 'done']);
    const lines = readJsonLines<{ status: string }>(join(sweepDirectory, 'trials.jsonl'));
    expect(lines.map((line) => line.status).sort()).toEqual(['done', 'done', 'done', 'failed']);
  });

  it('reruns a crashed trial when the sweep is resumed', async () => {
    const { file, out, sweepDirectory } = await runWithFault(`exit:${trialIds[0]}:5:99`, ['--max-retries', '0']);
    expect(storedTrials(sweepDirectory).find((trial) => trial.trialId === trialIds[0])!.status).toBe('failed');

    const resumed = await runCli(['run', file, '--out', out]);

    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('3 of 4 trials already finished, 1 to run');
    expect(storedTrials(sweepDirectory).map((trial) => trial.status)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('stops when the first trials fail with one error', async () => {
    // Two configurations × four seeds: the first four results all come from one
    // configuration, so the check must wait for the second one.
    const grid = GRID.replace('seeds: [3, 11]', 'seeds: [3, 11, 12, 13]');
    const { run, sweepDirectory } = await runWithFault('exit:*:3:99', ['--max-retries', '0'], grid);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the first trials all failed with the same error, so the sweep stopped: GS_WORKER_CRASH');
    const statuses = storedTrials(sweepDirectory).map((trial) => trial.status);
    expect(statuses.filter((status) => status === 'failed').length).toBeGreaterThanOrEqual(5);
    expect(statuses.filter((status) => status === 'queued').length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((status) => status === 'done')).toHaveLength(0);
  });
});

describe('failed trials', RUNTIME_RETRY, () => {
  it('leave the next trial on the same worker unharmed', async () => {
    // An allocation beyond the tfjs wasm heap fails inside XNNPACK and breaks that
    // module's memory. The worker must start the next trial on a fresh module.
    const directory = temporaryDirectory();
    const grid = writeGrid(directory, 'grid', `
name: resilience
engine: tfjs
grid: {latent_dim: 4, g_hidden: 8, d_hidden: [8192, 8], batch_size: 60000, steps: 2}
seeds: [1]
data: {pool_size: 4096}
eval: {samples: 1000, checkpoints: 1}
`);
    const out = join(directory, 'runs');

    const run = await runCliProcess(['run', grid, '--workers', '1', '--out', out, '--backend', 'wasm']);

    expect(run.code).toBe(1);
    const [large, small] = storedTrials(join(out, 'resilience'));
    expect(large.config.d_hidden).toBe(8192);
    expect(large.status).toBe('failed');
    expect(small.status).toBe('done');
    expect(small.engine).toBe('tfjs');
  });
});

describe('time limits', RUNTIME_RETRY, () => {
  it('records a hung trial as timed out', async () => {
    const { run, sweepDirectory } = await runWithFault(`hang:${trialIds[3]}:5:99`, ['--trial-timeout', '3']);

    expect(run.code).toBe(1);
    const trials = storedTrials(sweepDirectory);
    const hung = trials.find((trial) => trial.trialId === trialIds[3])!;
    expect(hung.status).toBe('timed_out');
    expect(hung.errorCode).toBe('GS_TRIAL_TIMEOUT');
    expect(hung.errorMessage).toContain('time limit of 3 s');
    expect(trials.filter((trial) => trial.status === 'done')).toHaveLength(3);
    expect(readFileSync(join(sweepDirectory, 'sweep.log'), 'utf8')).toContain('timed_out');
  });

  it('starts no trial after the time budget and resumes later', async () => {
    const directory = temporaryDirectory();
    // 16 trials of 2000 steps at batch 256 take several seconds, far beyond the budget,
    // while 30-step trials could all finish within it on a fast engine.
    const grid = GRID.replace('seeds: [3, 11]', 'seeds: [1, 2, 3, 4, 5, 6, 7, 8]')
      .replace('steps: 30', 'steps: 2000')
      .replace('batch_size: 32', 'batch_size: 256');
    const file = writeGrid(directory, 'grid', grid);
    const out = join(directory, 'runs');

    const limited = await runCli(['run', file, '--workers', '1', '--out', out, '--max-time', '0.3s']);

    expect(limited.code).toBe(1);
    expect(limited.stderr).toContain('the time budget ran out');
    const afterBudget = storedTrials(join(out, 'resilience'));
    const done = afterBudget.filter((trial) => trial.status === 'done').length;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(16);

    const resumed = await runCli(['run', file, '--workers', '2', '--out', out]);
    expect(resumed.code).toBe(0);
    expect(storedTrials(join(out, 'resilience')).every((trial) => trial.status === 'done')).toBe(true);
  });
});

describe('damaged stores', () => {
  function sweepDirectoryWith(content: Buffer | string) {
    const directory = temporaryDirectory();
    const file = writeGrid(directory, 'grid', GRID);
    const out = join(directory, 'runs');
    mkdirSync(join(out, 'resilience'), { recursive: true });
    writeFileSync(join(out, 'resilience', 'sweep.db'), content);
    return { file, out, db: join(out, 'resilience', 'sweep.db') };
  }

  it('rejects a file that is not a database', async () => {
    const garbage = Buffer.from('this is not a SQLite database '.repeat(200));
    const { file, out, db } = sweepDirectoryWith(garbage);

    const run = await runCli(['run', file, '--out', out]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('GS_STORE_DAMAGED');
    expect(run.stderr).toContain(db);
    expect(run.stderr).toContain('--fresh');
    expect(readFileSync(db)).toEqual(garbage);
  });

  it('rejects a store of another schema version', async () => {
    const { file, out, db } = sweepDirectoryWith('');
    const sqlite = new Database(db);
    sqlite.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '99'), ('created_by', 'gansweep 9.0.0')");
    sqlite.close();
    const before = readFileSync(db);

    const run = await runCli(['run', file, '--out', out]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('GS_STORE_VERSION');
    expect(run.stderr).toContain('gansweep 9.0.0 with store schema 99');
    expect(readFileSync(db)).toEqual(before);
  });
});

describe('command-line guards', () => {
  it('rejects a trial timeout beyond the timer range', async () => {
    const directory = temporaryDirectory();
    const run = await runCli(['run', writeGrid(directory, 'grid', GRID), '--out', join(directory, 'runs'), '--trial-timeout', '600h']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--trial-timeout must be at most 2147483 s');
  });

  it('refuses --fresh while the sweep is running', async () => {
    const directory = temporaryDirectory();
    const file = writeGrid(directory, 'grid', GRID.replace('seeds: [3, 11]', 'seeds: [3]'));
    const out = join(directory, 'runs');
    expect((await runCli(['run', file, '--out', out])).code).toBe(0);

    // This process takes the lock, as a running sweep would.
    const store = SweepStore.open(join(out, 'resilience', 'sweep.db'));
    store.acquireLock();
    try {
      const fresh = await runCli(['run', file, '--out', out, '--fresh']);
      expect(fresh.code).toBe(2);
      expect(fresh.stderr).toContain('GS_STORE_LOCKED');
      expect(existsSync(join(out, 'resilience', 'trials.jsonl'))).toBe(true);
    } finally {
      store.releaseLock();
      store.close();
    }
  });

  it('reports a store damaged inside as damaged', async () => {
    const directory = temporaryDirectory();
    const file = writeGrid(directory, 'grid', GRID);
    const out = join(directory, 'runs');
    expect((await runCli(['run', file, '--out', out])).code).toBe(0);
    const db = join(out, 'resilience', 'sweep.db');
    // Overwrite every page after the first with noise; the header stays valid.
    const bytes = readFileSync(db);
    const noise = new Rng(1);
    for (let i = 4096; i < bytes.length; i++) bytes[i] = noise.nextInt(256);
    writeFileSync(db, bytes);

    const status = await runCli(['status', join(out, 'resilience')]);

    expect(status.code).toBe(2);
    expect(status.stderr).toContain('GS_STORE_DAMAGED');
    expect(status.stderr).toContain(db);
  });
});
