/**
 * Fault injection for the crash-recovery tests. The environment variable
 * GANSWEEP_TEST_FAULT makes a real worker thread fail in a chosen way at a chosen step,
 * so the tests exercise the real pool's recovery rather than a mock of it. Without the
 * variable nothing here runs.
 *
 * Format: `MODE:TRIAL_ID:STEP:ATTEMPTS`, where MODE is `exit` (the worker thread calls
 * process.exit, as a native crash would end it) or `hang` (the step never returns, as a
 * deadlocked kernel would), and the fault fires on attempts 1..ATTEMPTS of that trial.
 * TRIAL_ID `*` matches every trial.
 */
export const FAULT_VARIABLE = 'GANSWEEP_TEST_FAULT';

export interface InjectedFault {
  atStep(step: number): void;
}

export function injectedFault(trialId: string, attempt: number): InjectedFault | null {
  const spec = process.env[FAULT_VARIABLE];
  if (spec === undefined || spec === '') return null;
  const [mode, faultTrialId, stepText, attemptsText] = spec.split(':');
  if ((faultTrialId !== '*' && faultTrialId !== trialId) || attempt > Number(attemptsText)) return null;
  const faultStep = Number(stepText);

  return {
    atStep(step: number): void {
      if (step !== faultStep) return;
      if (mode === 'exit') process.exit(70);
      if (mode === 'hang') {
        // Blocks this thread without returning to the event loop, so only termination ends it.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      }
    },
  };
}
