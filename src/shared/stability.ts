/**
 * Loss behaviour over the final steps of a trial, the flags derived from it, and the
 * downsampled loss history. Loss arrays are indexed by step − 1 (step 1 is index 0) and
 * may be longer than `stepsDone`. Entries past `stepsDone` are ignored.
 */

import type { Checkpoint, LossHistory, StabilityMetrics } from './types.js';

export type LossArray = Float32Array | Float64Array;

/**
 * Mean D loss below which the discriminator wins. The D loss (mean binary cross-entropy
 * over real and fake batches) tends to 0 when D separates real and fake samples
 * perfectly, and equals ln 2 at the equilibrium D = 1/2.
 */
export const DISCRIMINATOR_WINS_LOSS = 0.05;

/** The generator collapsed when its sample std is below this fraction of the target std. */
export const COLLAPSE_STD_RATIO = 0.1;

/** Number of most recent checkpoints used for w1Spread when fewer than 2 fall in the final window. */
const FALLBACK_CHECKPOINTS = 3;

function checkStepsDone(caller: string, stepsDone: number, minimum: number, dLoss: LossArray, gLoss: LossArray): void {
  const maximum = Math.min(dLoss.length, gLoss.length);
  if (!Number.isInteger(stepsDone) || stepsDone < minimum || stepsDone > maximum) {
    throw new RangeError(
      `${caller}: stepsDone must be an integer in ${minimum}..${maximum} (the loss array length), received ${stepsDone}`,
    );
  }
}

/** Mean and population std of values[start..end) (two passes). */
function meanStd(values: ArrayLike<number>, start: number, end: number): { mean: number; std: number } {
  const count = end - start;
  let sum = 0;
  for (let i = start; i < end; i++) sum += values[i]!;
  const mean = sum / count;

  let squares = 0;
  for (let i = start; i < end; i++) {
    const deviation = values[i]! - mean;
    squares += deviation * deviation;
  }
  return { mean, std: Math.sqrt(squares / count) };
}

/**
 * Population std of W1 over the checkpoints whose step lies in [windowStart, windowEnd].
 * When fewer than 2 do, the last 3 checkpoints by step are used instead, so a short window
 * still measures how W1 moves late in training. Fewer than 2 checkpoints in all give 0.
 * A non-finite W1 among the used checkpoints gives Infinity.
 */
function w1Spread(checkpoints: Checkpoint[], windowStart: number, windowEnd: number): number {
  const byStep = [...checkpoints].sort((first, second) => first.step - second.step);
  let used = byStep.filter((checkpoint) => checkpoint.step >= windowStart && checkpoint.step <= windowEnd);
  if (used.length < 2) used = byStep.slice(-FALLBACK_CHECKPOINTS);
  if (used.length < 2) return 0;

  const values = used.map((checkpoint) => checkpoint.w1);
  if (!values.every(Number.isFinite)) return Infinity;
  return meanStd(values, 0, values.length).std;
}

function allFinite(values: LossArray, end: number): boolean {
  for (let i = 0; i < end; i++) {
    if (!Number.isFinite(values[i]!)) return false;
  }
  return true;
}

/**
 * Summarizes the losses over the final window and derives the divergence, discriminator-wins
 * and collapse flags.
 *
 * The final window is the last max(1, round(finalWindow × stepsDone)) steps. A NaN or ±Infinity
 * loss in steps 1..stepsDone, or a non-finite generatedStd, sets `diverged`. Such a loss inside
 * the window also makes its mean NaN or infinite. A NaN D-loss mean or generatedStd leaves its flag false.
 * Throws RangeError when stepsDone is not in 1..(loss array length) or finalWindow is not in (0, 1].
 */
export function computeStability(
  dLoss: LossArray,
  gLoss: LossArray,
  stepsDone: number,
  checkpoints: Checkpoint[],
  finalWindow: number,
  generatedStd: number,
  targetStd: number,
): StabilityMetrics {
  checkStepsDone('computeStability', stepsDone, 1, dLoss, gLoss);
  if (!(finalWindow > 0 && finalWindow <= 1)) {
    throw new RangeError(`computeStability: finalWindow must be in (0, 1], received ${finalWindow}`);
  }

  const windowLength = Math.min(stepsDone, Math.max(1, Math.round(finalWindow * stepsDone)));
  const windowStart = stepsDone - windowLength + 1;
  const windowEnd = stepsDone;

  // Step s is at index s − 1, so the window is indices windowStart − 1 .. stepsDone − 1.
  const d = meanStd(dLoss, windowStart - 1, stepsDone);
  const g = meanStd(gLoss, windowStart - 1, stepsDone);

  const diverged = !allFinite(dLoss, stepsDone) || !allFinite(gLoss, stepsDone) || !Number.isFinite(generatedStd);

  return {
    windowStart,
    windowEnd,
    dLossMean: d.mean,
    gLossMean: g.mean,
    dLossStd: d.std,
    gLossStd: g.std,
    dLossGap: Math.abs(d.mean - Math.LN2),
    gLossGap: Math.abs(g.mean - Math.LN2),
    w1Spread: w1Spread(checkpoints, windowStart, windowEnd),
    diverged,
    discriminatorWins: d.mean < DISCRIMINATOR_WINS_LOSS,
    collapsed: generatedStd < COLLAPSE_STD_RATIO * targetStd,
  };
}

/**
 * Averages the losses of steps 1..stepsDone over consecutive blocks of ceil(stepsDone / maxPoints)
 * steps, so the history has at most maxPoints points. The last block may be shorter. Each
 * point records the last step of its block. A NaN or infinite loss makes its block's mean
 * NaN or infinite, so divergence stays visible in the history.
 */
export function downsampleLosses(dLoss: LossArray, gLoss: LossArray, stepsDone: number, maxPoints = 200): LossHistory {
  checkStepsDone('downsampleLosses', stepsDone, 0, dLoss, gLoss);
  if (!Number.isInteger(maxPoints) || maxPoints < 1) {
    throw new RangeError(`downsampleLosses: maxPoints must be a positive integer, received ${maxPoints}`);
  }

  const history: LossHistory = { step: [], dLoss: [], gLoss: [] };
  if (stepsDone === 0) return history;

  const blockSize = Math.ceil(stepsDone / maxPoints);
  for (let start = 0; start < stepsDone; start += blockSize) {
    const end = Math.min(start + blockSize, stepsDone);
    let dSum = 0;
    let gSum = 0;
    for (let i = start; i < end; i++) {
      dSum += dLoss[i]!;
      gSum += gLoss[i]!;
    }
    history.step.push(end);
    history.dLoss.push(dSum / (end - start));
    history.gLoss.push(gSum / (end - start));
  }
  return history;
}
