/**
 * Interruptions of a real `gansweep run` child process: SIGINT followed by a resume, and
 * a chaos run killed with SIGKILL at random moments, which must end with exactly one
 * result per trial and the leaderboard of an uninterrupted run.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { Rng } from '../src/shared/rng.js';
import { readJsonLines, runCli, storedTrials, temporaryDirectory, writeGrid } from './helpers.js';

const BIN = fileURLToPath(new URL('../bin/gansweep.js', import.meta.url));

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Starts `gansweep run`; `onStart` gets the child so the test can signal it. */
function startRun(args: string[], onStart?: (child: ReturnType<typeof spawn>) => void): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'run', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
    onStart?.(child);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/**
 * Trials of about a second on native kernels, so that a signal sent a few hundred
 * milliseconds after a result reaches a running trial.
 */
const GRID = `
name: chaos
grid:
  latent_dim: 4
  g_hidden: 64
  d_hidden: 64
  batch_size: 512
  steps: 1500
  lr_d: [0.001, 0.0003, 0.0001]
seeds: [1, 2]
data:
  pool_size: 4096
eval:
  samples: 1000
  checkpoints: 3
`;

describe('gansweep run interrupted', () => {
  it('stops on SIGINT and resumes the unfinished trials', async () => {
    const directory = temporaryDirectory();
    const file = writeGrid(directory, 'grid', GRID);
    const out = join(directory, 'runs');
    const log = join(out, 'chaos', 'sweep.log');

    const interrupted = await startRun([file, '--out', out, '--workers', '1'], (child) => {
      void waitFor(() => existsSync(log) && readFileSync(log, 'utf8').includes(' done '), 60_000).then(() => child.kill('SIGINT'));
    });

    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain('SIGINT: stopping');
    expect(interrupted.stderr).toContain('Run the same command again to resume');
    const afterSignal = storedTrials(join(out, 'chaos'));
    expect(afterSignal.filter((trial) => trial.status === 'running')).toHaveLength(0);
    expect(afterSignal.filter((trial) => trial.status === 'done').length).toBeGreaterThan(0);
    expect(afterSignal.filter((trial) => trial.status === 'queued').length).toBeGreaterThan(0);
    expect(readFileSync(log, 'utf8')).toContain('interrupt');

    const resumed = await startRun([file, '--out', out, '--workers', '2']);

    expect(resumed.code).toBe(0);
    const final = storedTrials(join(out, 'chaos'));
    expect(final.map((trial) => trial.status)).toEqual(Array(6).fill('done'));
    expect(readJsonLines(join(out, 'chaos', 'trials.jsonl'))).toHaveLength(6);
  });

  it('keeps exactly one result per trial across SIGKILLs', async () => {
    const directory = temporaryDirectory();
    const file = writeGrid(directory, 'grid', GRID);
    const baselineOut = join(directory, 'baseline');
    const chaosOut = join(directory, 'chaos');

    const baseline = await runCli(['run', file, '--out', baselineOut, '--workers', '2']);
    expect(baseline.code).toBe(0);

    // Run k is killed once the log shows k + 1 finished trials in all, after a seeded random
    // delay, so every kill lands mid-sweep at a point that a failure can replay.
    const rng = new Rng(20261204);
    const log = join(chaosOut, 'chaos', 'sweep.log');
    const finishedInLog = () => (existsSync(log) ? readFileSync(log, 'utf8').match(/ done +c/g)?.length ?? 0 : 0);
    let kills = 0;
    for (let run = 0; run < 4; run++) {
      const delay = Math.floor(rng.nextFloat() * 300);
      const killed = await startRun([file, '--out', chaosOut, '--workers', '2'], (child) => {
        void waitFor(() => finishedInLog() >= run + 1, 60_000).then(() => setTimeout(() => child.kill('SIGKILL'), delay));
      });
      // A run may finish before its kill point; either way the store must stay consistent.
      expect(killed.signal === 'SIGKILL' || killed.code === 0, `run ${run}, kill ${delay} ms after result ${run + 1}`).toBe(true);
      if (killed.signal === 'SIGKILL') kills++;
    }
    expect(kills).toBeGreaterThanOrEqual(3);
    const final = await startRun([file, '--out', chaosOut, '--workers', '2']);

    expect(final.code).toBe(0);
    const trials = storedTrials(join(chaosOut, 'chaos'));
    expect(trials).toHaveLength(6);
    expect(new Set(trials.map((trial) => trial.trialId)).size).toBe(6);
    expect(trials.every((trial) => trial.status === 'done')).toBe(true);
    expect(readFileSync(join(chaosOut, 'chaos', 'leaderboard.json'), 'utf8')).toBe(
      readFileSync(join(baselineOut, 'chaos', 'leaderboard.json'), 'utf8'),
    );
    const withoutTimings = (path: string) =>
      readJsonLines<{ durationMs: number }>(path).map(({ durationMs: _duration, ...rest }) => rest);
    expect(withoutTimings(join(chaosOut, 'chaos', 'trials.jsonl'))).toEqual(
      withoutTimings(join(baselineOut, 'chaos', 'trials.jsonl')),
    );
  });
});
