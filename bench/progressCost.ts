/**
 * Cost of progress reporting inside a trial.
 *
 * gansweep has no switch that turns reporting off, and a trial sends only 4 reports/s
 * (one per 250 ms progress interval), which is far below the run-to-run noise of a whole
 * trial. So the report path is timed directly: bursts of reports through comlink over a
 * MessageChannel, the way a worker sends them, with the sink exposed on the other port.
 * Both ports are in this thread, so the time per report covers sending, receiving and
 * replying, an upper bound on what the worker thread pays. The worker also calls
 * performance.now() after every step to check the interval. The fraction of a trial's
 * time spent on reporting is then
 *
 *   4 × (seconds per report) + (seconds per performance.now() call) / (seconds per step).
 */
import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';

import { nodeEndpoint } from '../src/shared/comlinkNode.js';
import type { ProgressReport, ProgressSink } from '../src/shared/types.js';
import { median } from './timing.js';

/** Reports per second at the coordinator's progress interval of 250 ms. */
export const REPORTS_PER_SECOND = 4;

export interface ProgressCost {
  reportsPerBurst: number;
  bursts: number;
  /** Median seconds per report of the synchronous send, the part that runs inside the training loop. */
  sendSeconds: number;
  /** Median seconds per report from the first send until the last reply is handled. */
  roundTripSeconds: number;
  /** Seconds per performance.now() call. */
  intervalCheckSeconds: number;
  /** Seconds per training step the overhead is computed against. */
  stepSeconds: number;
  /** Fraction of training time spent on reporting at REPORTS_PER_SECOND, from roundTripSeconds. */
  overheadFraction: number;
}

interface Burst {
  sendSeconds: number;
  roundTripSeconds: number;
}

async function sendBurst(remote: Comlink.Remote<ProgressSink>, count: number): Promise<Burst> {
  const report: ProgressReport = { trialId: 'c000000000000-s0', step: 0, steps: count, dLoss: 0.69, gLoss: 0.7 };
  const started = performance.now();
  for (let step = 1; step <= count; step++) void remote.report({ ...report, step });
  const sent = performance.now();
  // Messages on one port are handled in order, so once this reply arrives every earlier
  // report has been received and replied to.
  await remote.report(report);
  const finished = performance.now();
  return { sendSeconds: (sent - started) / 1000 / count, roundTripSeconds: (finished - started) / 1000 / (count + 1) };
}

function timeIntervalCheck(calls: number): number {
  let total = 0;
  const started = performance.now();
  for (let i = 0; i < calls; i++) total += performance.now();
  const seconds = (performance.now() - started) / 1000;
  // Using the sum keeps the calls from being optimized away.
  if (!Number.isFinite(total)) throw new Error('performance.now() returned a non-finite value');
  return seconds / calls;
}

/**
 * Times `bursts` bursts of `reportsPerBurst` reports after one untimed burst. `stepSeconds`
 * is the training step the overhead is computed against.
 */
export async function measureProgressCost(reportsPerBurst: number, bursts: number, stepSeconds: number): Promise<ProgressCost> {
  const channel = new MessageChannel();
  let received = 0;
  const sink: ProgressSink = {
    report() {
      received++;
    },
    notice() {},
  };
  Comlink.expose(sink, nodeEndpoint(channel.port1));
  const remote = Comlink.wrap<ProgressSink>(nodeEndpoint(channel.port2));

  try {
    await sendBurst(remote, reportsPerBurst);
    const results: Burst[] = [];
    for (let burst = 0; burst < bursts; burst++) results.push(await sendBurst(remote, reportsPerBurst));
    if (received !== (bursts + 1) * (reportsPerBurst + 1)) {
      throw new Error(`progress benchmark: sent ${(bursts + 1) * (reportsPerBurst + 1)} reports, received ${received}`);
    }

    const roundTripSeconds = median(results.map((result) => result.roundTripSeconds));
    const intervalCheckSeconds = timeIntervalCheck(1_000_000);
    return {
      reportsPerBurst,
      bursts,
      sendSeconds: median(results.map((result) => result.sendSeconds)),
      roundTripSeconds,
      intervalCheckSeconds,
      stepSeconds,
      overheadFraction: REPORTS_PER_SECOND * roundTripSeconds + intervalCheckSeconds / stepSeconds,
    };
  } finally {
    channel.port1.close();
    channel.port2.close();
  }
}
