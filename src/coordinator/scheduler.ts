/**
 * Runs a sweep's pending trials on an executor and records each result in the store as
 * it arrives. It keeps `capacity` trials in flight, retries trials whose worker crashed,
 * enforces the per-trial timeout and the sweep's time budget, stops early when the first
 * trials all fail with the same error, and stops cleanly on request (a signal).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import type { SweepStore } from '../store/sweepStore.js';
import { GS_TRIAL_SETUP_ERROR, type ProgressSink, type TrialError, type TrialOutcome, type TrialSpec } from '../shared/types.js';
import type { TrialExecutor } from './executor.js';
import type { SweepObserver } from './progress.js';
import type { SweepLog } from './sweepLog.js';

/** Code of a trial whose worker thread crashed or exited; a later attempt may succeed. */
export const GS_WORKER_CRASH = 'GS_WORKER_CRASH';
/** Code of a trial stopped because it exceeded the per-trial time limit. */
export const GS_TRIAL_TIMEOUT = 'GS_TRIAL_TIMEOUT';
/** piscina's code for a worker that exceeded its heap limit. */
export const ERR_WORKER_OUT_OF_MEMORY = 'ERR_WORKER_OUT_OF_MEMORY';

/** Failures that a new attempt can fix; a resumed sweep runs such trials again. */
export const RETRYABLE_ERROR_CODES: readonly string[] = [GS_WORKER_CRASH, ERR_WORKER_OUT_OF_MEMORY, GS_TRIAL_SETUP_ERROR];

/** Reason a sweep stopped before running every pending trial. */
export type StopReason = 'signal' | 'max-time' | 'systematic-failure';

export interface ScheduledTrial {
  trialKey: string;
  spec: TrialSpec;
}

export interface SchedulerOptions {
  executor: TrialExecutor;
  store: SweepStore;
  observer: SweepObserver;
  log: SweepLog;
  /** Extra attempts after a worker crash. */
  maxRetries: number;
  /** Milliseconds a trial may run; 0 means no limit. */
  trialTimeoutMs: number;
  /** Time (Date.now()) after which no new trial starts; null means no budget. */
  deadline: number | null;
  /**
   * Number of first results that stop the sweep when all failed with one error and span at
   * least two configurations; 0 disables the check.
   */
  systematicFailureWindow: number;
}

export interface ScheduleSummary {
  stopReason: StopReason | null;
  /** The error shared by the first trials when the sweep stopped for a systematic failure. */
  systematicError: TrialError | null;
  /** Trials that got a result in this run. */
  finished: number;
  /** Trials interrupted or never started; they stay queued for the next run. */
  unfinished: number;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class Scheduler {
  private readonly options: SchedulerOptions;
  private stopReason: StopReason | null = null;
  private systematicError: TrialError | null = null;
  private readonly firstResults: TrialOutcome[] = [];
  private systematicCheckDone = false;
  private finished = 0;
  /** Notices already written to sweep.log: every worker sends the same fallback notice. */
  private readonly loggedNotices = new Set<string>();

  constructor(options: SchedulerOptions) {
    this.options = options;
  }

  /** Stops dispatching and requests that running trials end at their next step. */
  stop(reason: StopReason): void {
    if (this.stopReason !== null) return;
    this.stopReason = reason;
    this.options.log.write('stop', `sweep stopping: ${reason}`);
    if (reason !== 'max-time') this.options.executor.requestStop();
  }

  async run(trials: ScheduledTrial[]): Promise<ScheduleSummary> {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < trials.length && this.stopReason === null) {
        if (this.options.deadline !== null && Date.now() >= this.options.deadline) {
          this.stop('max-time');
          break;
        }
        await this.runTrial(trials[next++]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.executor.capacity, trials.length) }, lane));
    return {
      stopReason: this.stopReason,
      systematicError: this.systematicError,
      finished: this.finished,
      unfinished: trials.length - this.finished,
    };
  }

  private async runTrial(trial: ScheduledTrial): Promise<void> {
    const { store, log, observer, maxRetries } = this.options;
    const { spec, trialKey } = trial;

    // A generator saved by an earlier run of this trial (for another grid, or before a
    // crash) must not outlive the rerun, or `gansweep sample` would serve stale weights.
    if (spec.artifactDirectory) rmSync(join(spec.artifactDirectory, spec.trialId), { recursive: true, force: true });

    for (let attempt = 1; ; attempt++) {
      const totalAttempts = store.markRunning(trialKey);
      log.write('start', `${spec.trialId} attempt ${attempt} (attempt ${totalAttempts} overall)`);
      observer.trialStarted(spec);

      const result = await this.attempt(spec, attempt);
      if (result.kind === 'crash' && this.stopReason !== null) {
        // A worker lost while the sweep stops leaves the trial for the next run.
        this.settle(trialKey, failedOutcome(spec, 'interrupted', result.durationMs, 0, { code: result.code, message: result.message }), spec);
        return;
      }
      if (result.kind === 'crash' && attempt <= maxRetries) {
        log.write('retry', `${spec.trialId} worker crashed (${result.message}); retrying, attempt ${attempt + 1} of ${maxRetries + 1}`);
        store.markQueued(trialKey);
        continue;
      }

      const outcome =
        result.kind === 'crash'
          ? this.crashOutcome(spec, result.message, result.code, attempt, result.durationMs)
          : result.outcome;
      this.settle(trialKey, outcome, spec);
      return;
    }
  }

  /** Runs one attempt and classifies how it ended. */
  private async attempt(
    spec: TrialSpec,
    attempt: number,
  ): Promise<{ kind: 'outcome'; outcome: TrialOutcome } | { kind: 'crash'; code: string; message: string; durationMs: number }> {
    const { executor, observer, trialTimeoutMs } = this.options;
    let lastStep = 0;
    const sink: ProgressSink = {
      report: (progress) => {
        lastStep = progress.step;
        observer.trialProgress(progress);
      },
      notice: (trialId, message) => {
        if (!this.loggedNotices.has(message)) {
          this.loggedNotices.add(message);
          this.options.log.write('notice', `${trialId}: ${message}`);
        }
        observer.trialNotice(trialId, message);
      },
    };

    const controller = trialTimeoutMs > 0 ? new AbortController() : null;
    let timedOut = false;
    const timer = controller === null ? null : setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, trialTimeoutMs);
    const started = performance.now();

    try {
      const outcome = await executor.run(spec, sink, { attempt, signal: controller?.signal });
      return { kind: 'outcome', outcome };
    } catch (error) {
      const durationMs = performance.now() - started;
      if (timedOut) {
        return {
          kind: 'outcome',
          outcome: failedOutcome(spec, 'timed_out', durationMs, lastStep, {
            code: GS_TRIAL_TIMEOUT,
            message: `the trial exceeded the time limit of ${trialTimeoutMs / 1000} s near step ${lastStep}; raise --trial-timeout or lower grid.steps`,
          }),
        };
      }
      const code = (error as { code?: unknown }).code;
      return {
        kind: 'crash',
        code: code === ERR_WORKER_OUT_OF_MEMORY ? ERR_WORKER_OUT_OF_MEMORY : GS_WORKER_CRASH,
        message: describeError(error),
        durationMs,
      };
    } finally {
      if (timer !== null) clearTimeout(timer);
    }
  }

  private crashOutcome(spec: TrialSpec, message: string, code: string, attempts: number, durationMs: number): TrialOutcome {
    return failedOutcome(spec, 'failed', durationMs, 0, {
      code,
      message: `the worker thread crashed on every attempt (${attempts}); last error: ${message}`,
    });
  }

  /** Records a trial's final outcome for this run and checks for a systematic failure. */
  private settle(trialKey: string, outcome: TrialOutcome, spec: TrialSpec): void {
    const { store, log, observer } = this.options;

    if (outcome.status === 'interrupted') {
      store.markQueued(trialKey);
      log.write('interrupt', `${spec.trialId} stopped at step ${outcome.stepsDone}; it stays queued for the next run`);
      observer.trialFinished(outcome, spec);
      return;
    }

    store.recordResult(trialKey, outcome.status, outcome);
    this.finished++;
    const detail =
      outcome.error !== null
        ? `${outcome.error.code}: ${outcome.error.message}`
        : `W1 ${outcome.metrics?.w1.toFixed(4)} in ${(outcome.durationMs / 1000).toFixed(1)} s on ${outcome.backend}`;
    log.write(outcome.status, `${spec.trialId} ${detail}`);
    observer.trialFinished(outcome, spec);
    this.checkSystematicFailure(outcome);
  }

  /**
   * Stops the sweep when its first results all failed with one error: at least
   * `systematicFailureWindow` of them, from at least two configurations, because failures
   * confined to one configuration may be that configuration's own problem. Trials run
   * configuration by configuration, so the check keeps collecting until a second
   * configuration appears, and gives up at the first result that breaks the pattern.
   */
  private checkSystematicFailure(outcome: TrialOutcome): void {
    const window = this.options.systematicFailureWindow;
    if (window === 0 || this.systematicCheckDone) return;

    const first = this.firstResults[0]?.error ?? outcome.error;
    const matches =
      (outcome.status === 'failed' || outcome.status === 'timed_out') &&
      outcome.error !== null &&
      first !== null &&
      outcome.error.code === first.code &&
      outcome.error.message === first.message;
    if (!matches) {
      this.systematicCheckDone = true;
      return;
    }
    this.firstResults.push(outcome);

    const configurations = new Set(this.firstResults.map((result) => result.configId)).size;
    if (this.firstResults.length >= window && configurations >= 2 && first !== null) {
      this.systematicCheckDone = true;
      this.systematicError = first;
      this.options.log.write(
        'error',
        `the first ${this.firstResults.length} trials, from ${configurations} configurations, all failed with ${first.code}: ${first.message}`,
      );
      this.stop('systematic-failure');
    }
  }
}

/** Builds the outcome of a trial that ended without a result from its worker. */
function failedOutcome(
  spec: TrialSpec,
  status: 'failed' | 'timed_out' | 'interrupted',
  durationMs: number,
  stepsDone: number,
  error: TrialError,
): TrialOutcome {
  return {
    trialId: spec.trialId,
    configId: spec.configId,
    seed: spec.seed,
    status,
    metrics: null,
    error,
    backend: null,
    engine: null,
    durationMs,
    stepsDone,
    workerMemory: null,
  };
}
