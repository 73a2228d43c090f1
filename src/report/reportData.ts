/**
 * Turns a sweep's result files into the rows the report's tables and charts show. Numbers
 * embedded in the page are rounded to a few significant digits, which no plot or table
 * can tell apart and which keeps the page small for large sweeps.
 */
import type { LeaderboardRow } from '../leaderboard/leaderboard.js';
import { mixturePdf } from '../shared/mixture.js';
import { HYPERPARAMETER_KEYS, type Checkpoint, type HyperparameterKey, type LossHistory, type Target, type TrialPlotData } from '../shared/types.js';
import type { SweepResultFiles, TrialRecord } from '../results/sweepResultFiles.js';

/** Significant digits of the numbers embedded in chart data. */
const DATA_DIGITS = 5;
/** Points at which the target density is drawn across the histogram's range. */
const TARGET_DENSITY_POINTS = 241;

export type DataRow = Record<string, number | string | null>;

/** Rounds to DATA_DIGITS significant digits; non-finite values become null, as in the result files. */
export function round(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return Number(value.toPrecision(DATA_DIGITS));
}

/** Hyperparameters that take more than one value in the grid, in grid order. */
export function variedKeys(results: SweepResultFiles): HyperparameterKey[] {
  return HYPERPARAMETER_KEYS.filter((key) => results.sweep.grid[key].length > 1);
}

/** Returns the label of a configuration on chart axes: its rank and id. */
export function configLabel(row: Pick<LeaderboardRow, 'rank' | 'configId'>): string {
  return `#${row.rank} ${row.configId}`;
}

export interface SweepSummary {
  trials: number;
  /** Number of trials per status, in first-seen order (`done`, `failed`, `diverged`, ...). */
  statuses: Array<[string, number]>;
  /** Number of trials per backend; trials that never selected one count under "none". */
  backends: Array<[string, number]>;
  /** Sum of the trials' durations, which is the compute time, not the wall-clock time of the sweep. */
  trialMilliseconds: number;
  longestTrialMilliseconds: number;
}

function countBy(values: string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts];
}

export function summarize(results: SweepResultFiles): SweepSummary {
  const durations = results.trials.map((trial) => trial.durationMs ?? 0);
  return {
    trials: results.trials.length,
    statuses: countBy(results.trials.map((trial) => trial.status)),
    backends: countBy(results.trials.map((trial) => trial.backend ?? 'none')),
    trialMilliseconds: durations.reduce((sum, value) => sum + value, 0),
    longestTrialMilliseconds: durations.reduce((max, value) => Math.max(max, value), 0),
  };
}

/** Returns the trial of `row`'s best seed, or null when no seed finished or the trial is not in trials.jsonl. */
export function bestTrial(results: SweepResultFiles, row: LeaderboardRow): TrialRecord | null {
  if (row.bestSeed === null) return null;
  return results.trials.find((trial) => trial.configId === row.configId && trial.seed === row.bestSeed) ?? null;
}

/**
 * Returns one row per finished trial with a finite W1: its configuration's label and rank,
 * the seed, W1 and every varied hyperparameter. The seed-spread and hyperparameter charts
 * share these rows.
 */
export function finishedTrialRows(results: SweepResultFiles): DataRow[] {
  const rowsById = new Map(results.leaderboard.rows.map((row) => [row.configId, row]));
  const keys = variedKeys(results);
  const rows: DataRow[] = [];
  for (const trial of results.trials) {
    const row = rowsById.get(trial.configId);
    const w1 = trial.metrics?.w1;
    if (trial.status !== 'done' || row === undefined || typeof w1 !== 'number' || !Number.isFinite(w1)) continue;
    const dataRow: DataRow = { config: configLabel(row), rank: row.rank, seed: trial.seed, w1: round(w1) };
    for (const key of keys) dataRow[key] = trial.config[key];
    rows.push(dataRow);
  }
  return rows;
}

/** Mean W1 of every configuration that has one, for the tick marks of the seed-spread chart. */
export function configMeanRows(results: SweepResultFiles): DataRow[] {
  return results.leaderboard.rows
    .filter((row) => row.w1.mean !== null)
    .map((row) => ({ config: configLabel(row), rank: row.rank, w1: round(row.w1.mean) }));
}

export interface DensityData {
  /** One row per histogram bin: its edges and the density of generated samples in it. */
  bins: DataRow[];
  /** The target density on a fine grid over the same range. */
  target: DataRow[];
  /** Generated samples outside the range, or NaN or infinite, which no bin shows. */
  outside: number;
  samples: number;
}

/**
 * Normalizes the histogram to a density: count / (all samples × bin width), so that bars and
 * the target density share one axis and the bars' area is the share of samples in range.
 */
export function densityData(plots: TrialPlotData, target: Target): DensityData {
  const { lower, upper, counts, below, above, nonFinite } = plots.histogram;
  const outside = below + above + nonFinite;
  const samples = counts.reduce((sum, count) => sum + count, 0) + outside;
  const width = (upper - lower) / counts.length;

  const bins = counts.map((count, i) => ({
    x0: round(lower + i * width),
    x1: round(lower + (i + 1) * width),
    density: round(count / (samples * width)),
  }));
  const targetRows: DataRow[] = [];
  for (let i = 0; i < TARGET_DENSITY_POINTS; i++) {
    const x = lower + ((upper - lower) * i) / (TARGET_DENSITY_POINTS - 1);
    targetRows.push({ x: round(x), density: round(mixturePdf(target, x)) });
  }
  return { bins, target: targetRows, outside, samples };
}

/** D(x) at the recorded grid points. */
export function discriminatorRows(plots: TrialPlotData): DataRow[] {
  const { lower, upper, values } = plots.discriminator;
  const step = values.length > 1 ? (upper - lower) / (values.length - 1) : 0;
  return values.map((d, i) => ({ x: round(lower + i * step), d: round(d) }));
}

/** Block means of both losses, one row per block, with the networks as columns `D` and `G`. */
export function lossRows(history: LossHistory): DataRow[] {
  return history.step.map((step, i) => ({ step, D: round(history.dLoss[i]), G: round(history.gLoss[i]) }));
}

/** W1 at each evaluation checkpoint; a W1 of ∞ (null in the file) is left out. */
export function checkpointRows(checkpoints: Checkpoint[]): DataRow[] {
  return checkpoints
    .filter((checkpoint) => typeof checkpoint.w1 === 'number' && Number.isFinite(checkpoint.w1))
    .map((checkpoint) => ({ step: checkpoint.step, w1: round(checkpoint.w1) }));
}
