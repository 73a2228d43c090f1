/**
 * Sweep-level measurements through the real coordinator, piscina pool and SQLite store:
 * throughput with 1 and 2 workers, and the coordinator's overhead per trial.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseSweep } from '../src/config/index.js';
import { silentLogger } from '../src/coordinator/logger.js';
import type { SweepObserver } from '../src/coordinator/progress.js';
import { runSweep } from '../src/coordinator/sweep.js';
import { STORE_FILE, SweepStore } from '../src/store/sweepStore.js';
import { median } from './timing.js';

/** CPU seconds that every core of the machine has spent outside idle, from os.cpus(). */
function machineBusySeconds(): number {
  return cpus().reduce((total, { times }) => total + (times.user + times.nice + times.sys + times.irq) / 1000, 0);
}

/** Clock ticks per second of /proc/stat (USER_HZ), read once from getconf. */
let clockTicks: number | null = null;

/**
 * Returns the seconds of CPU time that the hypervisor gave to other guests while this
 * machine's vCPUs were ready to run (the "steal" column of /proc/stat), summed over
 * cores, or null where /proc/stat or getconf is missing.
 */
function stealSeconds(): number | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (clockTicks === null) {
    const getconf = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    clockTicks = getconf.status === 0 ? Number(getconf.stdout.trim()) : Number.NaN;
  }
  // "cpu  user nice system idle iowait irq softirq steal ...": steal is the 8th value.
  const steal = Number(stat.split('\n')[0].trim().split(/\s+/)[8]);
  const seconds = steal / clockTicks;
  return Number.isFinite(seconds) ? seconds : null;
}

/** CPU seconds of this process, all its threads included. */
function processCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

const quietObserver: SweepObserver = { trialStarted() {}, trialProgress() {}, trialNotice() {}, trialFinished() {} };

/** Grid with 2 configurations × `seedsPerConfig` seeds of the reference GAN at hidden 32, batch 256. */
function benchGrid(name: string, steps: number, seedsPerConfig: number, evalSettings: string): string {
  return [
    `name: ${name}`,
    `grid: {latent_dim: 8, g_hidden: 32, d_hidden: 32, batch_size: 256, steps: ${steps}, lr_d: [0.001, 0.0003]}`,
    `seeds: ${seedsPerConfig}`,
    'data: {pool_size: 65536}',
    evalSettings,
    '',
  ].join('\n');
}

/** Seeds per configuration of the throughput grid, whose 2 configurations make 16 trials. */
export const THROUGHPUT_SEEDS = 8;

export interface SweepRun {
  workers: number;
  trials: number;
  /** Wall time of runSweep: pool and thread start, training, store writes and output files. */
  wallSeconds: number;
  /** From the first trial's dispatch to the last trial's result, from the store's timestamps. */
  trialSpanSeconds: number;
  /** Sum over trials of the duration each worker reported. */
  trialSecondsSum: number;
  /**
   * Mean duration of the first `workers` trials to start, which are the first trial of each
   * worker thread and include its one-time set-up, such as loading the tfjs wasm backend.
   */
  firstTrialSeconds: number;
  /** Median duration of the other trials. */
  laterTrialSeconds: number;
  /**
   * Seconds per result once every worker has finished two trials: the time from the
   * (2 × workers)-th result to the last, divided by the results in between. It leaves out
   * the threads' start-up and JIT warm-up, which a long sweep pays once.
   */
  steadySecondsPerTrial: number;
  /** CPU seconds used by this process (coordinator and workers) during the run. */
  cpuSeconds: number;
  /**
   * CPU seconds used by other processes on the machine during the run: busy time of all
   * cores minus this process's. More than a few percent of the wall time means the run
   * competed with other work for the cores.
   */
  otherCpuSeconds: number;
  /** CPU seconds that the hypervisor gave to other guests during the run; null where it is not reported. */
  stealSeconds: number | null;
  /** Engine and backend of each trial, counted, for example {"fused/wasm": 8}. */
  engines: Record<string, number>;
  /** The grid file the run used. */
  grid: string;
}

async function runBenchSweep(grid: string, workers: number): Promise<SweepRun> {
  const sweep = parseSweep(grid, 'bench.yaml');
  const outputRoot = mkdtempSync(join(tmpdir(), 'gansweep-bench-'));
  try {
    const stealBefore = stealSeconds();
    const busyBefore = machineBusySeconds();
    const cpuBefore = processCpuSeconds();
    const started = performance.now();
    const result = await runSweep(sweep, { workers, backend: 'auto', outputRoot, logger: silentLogger, observer: quietObserver });
    const wallSeconds = (performance.now() - started) / 1000;
    const cpuSeconds = processCpuSeconds() - cpuBefore;
    const otherCpuSeconds = machineBusySeconds() - busyBefore - cpuSeconds;
    const stealAfter = stealSeconds();

    const notDone = result.outcomes.filter((outcome) => outcome.status !== 'done');
    if (notDone.length > 0 || result.outcomes.length !== result.trialCount) {
      const first = notDone[0];
      throw new Error(
        `benchmark sweep ${sweep.name}: ${result.trialCount - result.outcomes.length + notDone.length} of ${result.trialCount} trials did not finish` +
          (first === undefined ? '' : `; ${first.trialId}: ${first.status} ${first.error?.message ?? ''}`),
      );
    }

    const store = SweepStore.open(join(result.directory, STORE_FILE), { readonly: true });
    const stored = store.trials();
    store.close();
    const startTimes = stored.map((trial) => Date.parse(trial.startedAt!));
    const byStart = [...stored].sort((a, b) => Date.parse(a.startedAt!) - Date.parse(b.startedAt!));
    const durations = byStart.map((trial) => trial.durationMs! / 1000);
    const firstDurations = durations.slice(0, workers);
    const finishTimes = stored.map((trial) => Date.parse(trial.finishedAt!));
    const finishOrder = [...finishTimes].sort((a, b) => a - b);
    const warmUp = 2 * workers;
    if (finishOrder.length <= warmUp) throw new Error(`benchmark sweep ${sweep.name}: ${finishOrder.length} trials leave none after the warm-up`);

    const engines: Record<string, number> = {};
    for (const outcome of result.outcomes) {
      const key = `${outcome.engine ?? '?'}/${outcome.backend ?? '?'}`;
      engines[key] = (engines[key] ?? 0) + 1;
    }

    return {
      workers,
      trials: result.outcomes.length,
      wallSeconds,
      trialSpanSeconds: (Math.max(...finishTimes) - Math.min(...startTimes)) / 1000,
      trialSecondsSum: result.outcomes.reduce((total, outcome) => total + outcome.durationMs, 0) / 1000,
      firstTrialSeconds: firstDurations.reduce((total, seconds) => total + seconds, 0) / firstDurations.length,
      laterTrialSeconds: median(durations.slice(workers)),
      steadySecondsPerTrial: (finishOrder.at(-1)! - finishOrder[warmUp - 1]) / 1000 / (finishOrder.length - warmUp),
      cpuSeconds,
      otherCpuSeconds,
      stealSeconds: stealBefore === null || stealAfter === null ? null : stealAfter - stealBefore,
      engines,
      grid,
    };
  } finally {
    rmSync(outputRoot, { recursive: true, force: true });
  }
}

/** Runs the same 16-trial grid (default evaluation settings) with 1 and 2 workers, alternating, `repeats` times each. */
export async function measureThroughput(steps: number, repeats: number): Promise<SweepRun[]> {
  const grid = benchGrid('bench-throughput', steps, THROUGHPUT_SEEDS, '');
  const runs: SweepRun[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const workers of [1, 2]) runs.push(await runBenchSweep(grid, workers));
  }
  return runs;
}

/**
 * Computes throughput with 2 workers ÷ (2 × throughput with 1 worker) from the median
 * seconds of each worker count, with `seconds` picking wall time or trial span.
 */
export function scalingEfficiency(runs: SweepRun[], seconds: (run: SweepRun) => number): number {
  const medianSeconds = (workers: number) => median(runs.filter((run) => run.workers === workers).map(seconds));
  return medianSeconds(1) / (2 * medianSeconds(2));
}

export interface CoordinatorOverhead {
  smallRuns: SweepRun[];
  largeRuns: SweepRun[];
  /** Median over the large runs of (wall − Σ trial durations / workers) / trials, in seconds. */
  perTrialSeconds: number;
  /**
   * The difference between the median excess of the large and of the small runs, divided by
   * the difference in trials, so that start-up costs paid once per run cancel out.
   */
  marginalPerTrialSeconds: number;
}

/** Wall time not covered by the workers' own trial durations: wall − Σ trial durations / workers. */
export function excessSeconds(run: SweepRun): number {
  return run.wallSeconds - run.trialSecondsSum / run.workers;
}

/**
 * Runs sweeps of one-step trials on 2 workers, `repeats` times each of `smallTrials` and
 * `largeTrials` trials (even counts), alternating between the two sizes.
 */
export async function measureCoordinatorOverhead(smallTrials: number, largeTrials: number, repeats: number): Promise<CoordinatorOverhead> {
  const evalSettings = 'eval: {samples: 1000, checkpoints: 1}';
  const smallRuns: SweepRun[] = [];
  const largeRuns: SweepRun[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    smallRuns.push(await runBenchSweep(benchGrid('bench-overhead', 1, smallTrials / 2, evalSettings), 2));
    largeRuns.push(await runBenchSweep(benchGrid('bench-overhead', 1, largeTrials / 2, evalSettings), 2));
  }

  const smallExcess = median(smallRuns.map(excessSeconds));
  const largeExcess = median(largeRuns.map(excessSeconds));
  return {
    smallRuns,
    largeRuns,
    perTrialSeconds: median(largeRuns.map((run) => excessSeconds(run) / run.trials)),
    marginalPerTrialSeconds: (largeExcess - smallExcess) / (largeTrials - smallTrials),
  };
}
