/**
 * The repeat-and-median scheme every timing in the benchmark uses, the same one that
 * bench/torch_step.py implements in Python: an untimed warm-up, a repeat sized from the
 * warm-up, then the median over repeats of the time per call.
 */

export interface TimingOptions {
  /** Timed repeats, over which the median is taken. */
  repeats: number;
  /** Target length of one repeat in seconds, which sets the number of calls per repeat. */
  repeatSeconds: number;
  /** Minimum untimed warm-up in seconds (at least two calls run in any case). */
  warmupSeconds: number;
}

export const DEFAULT_TIMING: TimingOptions = { repeats: 7, repeatSeconds: 0.2, warmupSeconds: 0.3 };

export interface Timing {
  callsPerRepeat: number;
  /** Median over the repeats of the seconds per call. */
  medianSeconds: number;
  /** Seconds per call of each repeat, in the order they ran. */
  repeatSeconds: number[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Times a synchronous call with the warm-up, repeat and median scheme above. */
export function timeRepeats(run: () => void, options: TimingOptions = DEFAULT_TIMING): Timing {
  let calls = 0;
  let started = performance.now();
  while (calls < 2 || performance.now() - started < options.warmupSeconds * 1000) {
    run();
    calls++;
  }
  const secondsPerCall = (performance.now() - started) / 1000 / calls;
  const callsPerRepeat = Math.max(1, Math.round(options.repeatSeconds / secondsPerCall));

  const repeatSeconds: number[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    started = performance.now();
    for (let call = 0; call < callsPerRepeat; call++) run();
    repeatSeconds.push((performance.now() - started) / 1000 / callsPerRepeat);
  }
  return { callsPerRepeat, medianSeconds: median(repeatSeconds), repeatSeconds };
}
