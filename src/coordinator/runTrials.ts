/**
 * Runs a list of trials on an executor, keeping `capacity` of them in flight, and returns
 * every outcome in the order of the list, whatever order the trials finish in.
 */
import type { ProgressSink, TrialOutcome, TrialSpec } from '../shared/types.js';
import type { TrialExecutor } from './executor.js';
import type { SweepObserver } from './progress.js';

/** Turns an executor failure (a crashed worker, say) into a failed outcome for that trial. */
export function executorFailure(spec: TrialSpec, error: unknown, durationMs: number): TrialOutcome {
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : 'GS_WORKER_ERROR';
  const message = error instanceof Error ? error.message : String(error);
  return {
    trialId: spec.trialId,
    configId: spec.configId,
    seed: spec.seed,
    status: 'failed',
    metrics: null,
    error: { code, message: `worker failed while running the trial: ${message}` },
    backend: null,
    durationMs,
    stepsDone: 0,
  };
}

export async function runTrials(
  executor: TrialExecutor,
  specs: TrialSpec[],
  observer: SweepObserver,
): Promise<TrialOutcome[]> {
  const outcomes: TrialOutcome[] = new Array(specs.length);
  let next = 0;

  const runOne = async (index: number): Promise<void> => {
    const spec = specs[index];
    const sink: ProgressSink = {
      report: (progress) => observer.trialProgress(progress),
      notice: (trialId, message) => observer.trialNotice(trialId, message),
    };
    observer.trialStarted(spec);
    const started = performance.now();
    let outcome: TrialOutcome;
    try {
      outcome = await executor.run(spec, sink);
    } catch (error) {
      outcome = executorFailure(spec, error, performance.now() - started);
    }
    outcomes[index] = outcome;
    observer.trialFinished(outcome, spec);
  };

  // Each lane takes the next trial as soon as its previous one settles.
  const lane = async (): Promise<void> => {
    while (next < specs.length) await runOne(next++);
  };
  await Promise.all(Array.from({ length: Math.min(executor.capacity, specs.length) }, lane));
  return outcomes;
}
