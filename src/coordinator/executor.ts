/**
 * The one interface through which the coordinator runs trials. The local piscina pool is
 * the only implementation today. A distributed queue can implement the same interface
 * without any change to the training code or to the sweep loop.
 */
import type { ProgressSink, TrialOutcome, TrialSpec } from '../shared/types.js';

export interface TrialRunOptions {
  /** 1 for the first attempt at the trial in this sweep run, 2 for the first retry, and so on. */
  attempt: number;
  /** Aborting ends the trial at once (the worker thread is terminated); used for timeouts. */
  signal?: AbortSignal;
}

export interface TrialExecutor {
  /** Number of trials the executor runs at once; the sweep keeps this many in flight. */
  readonly capacity: number;
  /**
   * Runs one trial and resolves with its outcome. It rejects when the executor itself
   * fails (a worker thread crashed, exited or could not start) and when `signal` aborts.
   * A trial that throws resolves with status `failed`.
   */
  run(spec: TrialSpec, progress: ProgressSink, options: TrialRunOptions): Promise<TrialOutcome>;
  /**
   * Asks every running trial to stop at its next step. Each then resolves with status
   * `interrupted` after releasing its resources. New trials started afterwards stop at
   * their first step.
   */
  requestStop(): void;
  /** Waits for running trials to settle and releases the workers. */
  close(): Promise<void>;
}
