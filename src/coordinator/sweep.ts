/**
 * Runs a resolved sweep end to end: opens (or resumes) its store, draws the real-sample
 * pool, trains every pending trial on the worker pool, and regenerates the leaderboard
 * and trial files from the store.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { expandTrials, resolvedSweepToYaml, type ResolvedSweep } from '../config/index.js';
import { buildLeaderboard, type Leaderboard } from '../leaderboard/leaderboard.js';
import { createDirectories } from '../shared/files.js';
import { expectedW1Floor } from '../shared/metrics.js';
import { mixtureStd } from '../shared/mixture.js';
import { deriveSeed } from '../shared/rng.js';
import { GENERATORS_DIRECTORY } from '../shared/artifacts.js';
import type { BackendChoice, EngineChoice, TrialOutcome, TrialSpec } from '../shared/types.js';
import { STORE_FILE, SweepStore, type PlannedTrial, type StoredTrial } from '../store/sweepStore.js';
import { trialKeyOf } from '../store/trialKey.js';
import type { TrialExecutor } from './executor.js';
import type { Logger } from './logger.js';
import { OUTPUT_FILES, writeFileAtomic, writeSweepOutputs } from './output.js';
import { PiscinaExecutor } from './piscinaExecutor.js';
import type { SweepObserver } from './progress.js';
import { createRealPool } from './realPool.js';
import { RETRYABLE_ERROR_CODES, Scheduler, type ScheduleSummary } from './scheduler.js';
import { SweepLog } from './sweepLog.js';

/** Number of Monte Carlo repeats behind the tie tolerance (the W1 of exact samples). */
const TIE_TOLERANCE_REPEATS = 16;

/** Number of first results that, all failed with the same error, stop a sweep. */
export const SYSTEMATIC_FAILURE_WINDOW = 3;

/** File name of the event log inside a sweep directory. */
export const LOG_FILE = 'sweep.log';

export interface SweepRunOptions {
  /** Worker threads of the local pool. */
  workers: number;
  backend: BackendChoice;
  /** Training engine; overrides the grid file's `engine`. */
  engine?: EngineChoice;
  /** Directory under which `<name>/` is written. */
  outputRoot: string;
  logger: Logger;
  observer: SweepObserver;
  /** Seconds a trial may run (0: no limit); overrides the grid file's run.trial_timeout. */
  trialTimeout?: number;
  /** Seconds after which no new trial starts (0: no limit); overrides run.max_time. */
  maxTime?: number;
  /** Extra attempts after a worker crash; overrides run.max_retries. */
  maxRetries?: number;
  /** Aborting stops the sweep: no new trials, running ones end at their next step. */
  stopSignal?: AbortSignal;
  /** gansweep's version, recorded in a new store. */
  version?: string;
  /** Builds the executor from the shared real-sample pool; defaults to a local piscina pool. */
  createExecutor?: (realPool: SharedArrayBuffer) => TrialExecutor;
}

export interface SweepRunResult {
  directory: string;
  leaderboard: Leaderboard;
  /** Results of the current grid's trials, in grid order; trials without one are left out. */
  outcomes: TrialOutcome[];
  /** Number of trials of the current grid. */
  trialCount: number;
  summary: ScheduleSummary;
}

/** Expands a sweep into trial specs, in plan order. */
export function trialSpecs(sweep: ResolvedSweep, backend: BackendChoice, engine: EngineChoice = sweep.engine): TrialSpec[] {
  return expandTrials(sweep).map((plan) => ({
    trialId: plan.trialId,
    configId: plan.configId,
    seed: plan.seed,
    config: plan.config,
    target: sweep.target,
    eval: sweep.eval,
    backend,
    engine,
  }));
}

/** Pairs each trial of the sweep with its store key, in plan order. */
export function plannedTrials(sweep: ResolvedSweep): PlannedTrial[] {
  return expandTrials(sweep).map((plan) => ({ ...plan, trialKey: trialKeyOf(sweep, plan) }));
}

/**
 * Computes the mean-W1 difference the leaderboard treats as a tie: the mean W1 of
 * `eval.samples` exact target samples, that is, what the evaluation reports for a perfect
 * generator.
 */
export function tieTolerance(sweep: ResolvedSweep): number {
  // A run ranks the sweep several times (resume check, exports, report), and each estimate
  // draws TIE_TOLERANCE_REPEATS sets of samples, so the value is kept per target and settings.
  const key = JSON.stringify([sweep.target.components, sweep.eval.samples, sweep.eval.seed]);
  let tolerance = tieTolerances.get(key);
  if (tolerance === undefined) {
    tolerance = expectedW1Floor(sweep.target, sweep.eval.samples, TIE_TOLERANCE_REPEATS, deriveSeed(sweep.eval.seed, 0x71e)).mean;
    tieTolerances.set(key, tolerance);
  }
  return tolerance;
}

/** Tie tolerances computed in this process, by target and evaluation settings. */
const tieTolerances = new Map<string, number>();

export function rankSweep(sweep: ResolvedSweep, outcomes: TrialOutcome[]): Leaderboard {
  return buildLeaderboard(
    sweep.name,
    sweep.configs.map(({ configId, config }) => ({ configId, config, seeds: sweep.seeds })),
    outcomes,
    { tieTolerance: tieTolerance(sweep), successW1: sweep.eval.successW1, targetStd: mixtureStd(sweep.target) },
  );
}

/** Turns a stored trial with a result into an outcome; null for a trial still to run. */
export function storedOutcome(trial: StoredTrial): TrialOutcome | null {
  if (trial.status === 'queued' || trial.status === 'running') return null;
  return {
    trialId: trial.trialId,
    configId: trial.configId,
    seed: trial.seed,
    status: trial.status,
    metrics: trial.metrics,
    error: trial.errorCode === null ? null : { code: trial.errorCode, message: trial.errorMessage ?? '' },
    backend: trial.backend,
    engine: trial.engine,
    durationMs: trial.durationMs ?? 0,
    stepsDone: trial.stepsDone ?? 0,
    workerMemory: null,
  };
}

export interface SweepResults {
  leaderboard: Leaderboard;
  /** Results of the current grid's trials, in grid order. */
  outcomes: TrialOutcome[];
  /** Trials in the store that the current grid no longer contains. */
  offGrid: StoredTrial[];
}

/** Collects the current grid's results from the store and ranks them. */
export function readResults(sweep: ResolvedSweep, store: SweepStore): SweepResults {
  const plan = plannedTrials(sweep);
  const byKey = new Map(store.trials().map((trial) => [trial.trialKey, trial]));
  const planKeys = new Set(plan.map((trial) => trial.trialKey));
  const outcomes = plan
    .map((trial) => byKey.get(trial.trialKey))
    .map((trial) => (trial === undefined ? null : storedOutcome(trial)))
    .filter((outcome): outcome is TrialOutcome => outcome !== null);
  const offGrid = [...byKey.values()].filter((trial) => !planKeys.has(trial.trialKey));
  return { leaderboard: rankSweep(sweep, outcomes), outcomes, offGrid };
}

/** Regenerates the leaderboard files and trials.jsonl of a sweep from its store. */
export function exportResults(directory: string, sweep: ResolvedSweep, store: SweepStore): SweepResults {
  const results = readResults(sweep, store);
  const configs = new Map(sweep.configs.map(({ configId, config }) => [configId, config]));
  writeSweepOutputs({
    directory,
    resolvedSweepYaml: resolvedSweepToYaml(sweep),
    leaderboard: results.leaderboard,
    trials: results.outcomes.map((outcome) => ({ outcome, config: configs.get(outcome.configId)! })),
  });
  return results;
}

export async function runSweep(resolved: ResolvedSweep, options: SweepRunOptions): Promise<SweepRunResult> {
  // The written sweep.yaml records the engine that actually ran, so rerunning it repeats the sweep.
  const sweep = { ...resolved, engine: options.engine ?? resolved.engine };
  const directory = join(options.outputRoot, sweep.name);
  createDirectories(directory);
  const resuming = existsSync(join(directory, STORE_FILE));
  const store = SweepStore.open(join(directory, STORE_FILE), { create: true, version: options.version });
  const log = new SweepLog(join(directory, LOG_FILE));

  try {
    store.acquireLock();
    // Written first, so `gansweep status` and `leaderboard` can read the grid while it runs.
    writeFileAtomic(join(directory, OUTPUT_FILES.resolvedSweep), resolvedSweepToYaml(sweep));

    const plan = plannedTrials(sweep);
    const added = store.addTrials(plan);
    const requeued = store.requeueUnfinished(RETRYABLE_ERROR_CODES);
    const pendingKeys = store.pendingAmong(plan.map((trial) => trial.trialKey));
    const offGrid = readResults(sweep, store).offGrid.length;
    log.write('sweep', `${resuming ? 'resume' : 'start'} ${sweep.name} from ${sweep.sourceFile} (pid ${process.pid}): ` +
      `${plan.length} trials in the grid, ${added} new, ${requeued} requeued, ${pendingKeys.length} to run`);
    if (resuming) {
      options.logger.info(
        `resuming ${directory}: ${plan.length - pendingKeys.length} of ${plan.length} trials already finished, ${pendingKeys.length} to run`,
      );
    }
    if (offGrid > 0) {
      options.logger.info(
        `${offGrid} trials in ${STORE_FILE} are not in the current grid, or were trained with an older version of gansweep's random streams; ` +
          'they are kept in the store but left off the leaderboard',
      );
    }

    const artifactDirectory = join(directory, GENERATORS_DIRECTORY);
    const specs = new Map(trialSpecs(sweep, options.backend, options.engine ?? sweep.engine).map((spec) => [spec.trialId, { ...spec, artifactDirectory }]));
    const trialIds = new Map(plan.map((trial) => [trial.trialKey, trial.trialId]));
    const pending = pendingKeys.map((trialKey) => ({ trialKey, spec: specs.get(trialIds.get(trialKey)!)! }));
    options.observer.sweepPlanned?.(pending.map((trial) => trial.spec));

    const summary = await runPending(sweep, pending, store, log, options);
    const results = exportResults(directory, sweep, store);
    log.write('sweep', `end: ${summary.finished} trials finished in this run, ${summary.unfinished} unfinished` +
      (summary.stopReason === null ? '' : `, stopped by ${summary.stopReason}`));
    return { directory, leaderboard: results.leaderboard, outcomes: results.outcomes, trialCount: plan.length, summary };
  } finally {
    store.releaseLock();
    store.close();
  }
}

async function runPending(
  sweep: ResolvedSweep,
  pending: Array<{ trialKey: string; spec: TrialSpec }>,
  store: SweepStore,
  log: SweepLog,
  options: SweepRunOptions,
): Promise<ScheduleSummary> {
  if (pending.length === 0) return { stopReason: null, systematicError: null, finished: 0, unfinished: 0 };

  const realPool = createRealPool(sweep.target, sweep.data);
  // More threads than trials would each load tfjs for nothing.
  const workers = Math.min(options.workers, pending.length);
  const executor = options.createExecutor?.(realPool) ??
    new PiscinaExecutor({ workers, realPool, logger: options.logger });
  const maxTime = options.maxTime ?? sweep.run.maxTime;
  const scheduler = new Scheduler({
    executor,
    store,
    observer: options.observer,
    log,
    maxRetries: options.maxRetries ?? sweep.run.maxRetries,
    trialTimeoutMs: (options.trialTimeout ?? sweep.run.trialTimeout) * 1000,
    deadline: maxTime > 0 ? Date.now() + maxTime * 1000 : null,
    systematicFailureWindow: SYSTEMATIC_FAILURE_WINDOW,
  });

  const onStop = () => scheduler.stop('signal');
  options.stopSignal?.addEventListener('abort', onStop, { once: true });
  if (options.stopSignal?.aborted) onStop();
  try {
    return await scheduler.run(pending);
  } finally {
    options.stopSignal?.removeEventListener('abort', onStop);
    await executor.close();
  }
}
