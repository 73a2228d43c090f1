/**
 * The one interface through which the coordinator runs trials. The local piscina pool is
 * the only implementation today; a distributed queue can implement the same two methods
 * without any change to the training code or to the sweep loop.
 */
import type { ProgressSink, TrialOutcome, TrialSpec } from '../shared/types.js';

export interface TrialExecutor {
  /** Number of trials the executor runs at once; the sweep keeps this many in flight. */
  readonly capacity: number;
  /**
   * Runs one trial and resolves with its outcome. It rejects only when the executor itself
   * fails (a worker thread crashed or could not start); a trial that throws resolves with
   * status `failed`.
   */
  run(spec: TrialSpec, progress: ProgressSink): Promise<TrialOutcome>;
  /** Waits for running trials to settle and releases the workers. */
  close(): Promise<void>;
}
