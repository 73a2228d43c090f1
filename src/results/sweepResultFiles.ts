/**
 * Reads the result files of a finished sweep directory: leaderboard.json, trials.jsonl and
 * sweep.yaml. The report and sample commands work from these files alone, so they run on
 * any copy of a results directory without the grid file or the training code's state.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { parseDocument } from 'yaml';

import { ConfigError, formatConfigError, parseSweep, type ResolvedSweep } from '../config/index.js';
import type { Leaderboard } from '../leaderboard/leaderboard.js';
import type { Hyperparameters, TrialError, TrialMetrics } from '../shared/types.js';

/** The result files, relative to a sweep directory. */
export const RESULT_FILES = {
  leaderboard: 'leaderboard.json',
  trials: 'trials.jsonl',
  resolvedSweep: 'sweep.yaml',
} as const;

/** A sweep directory or one of its files is missing or unreadable. */
export class SweepResultsError extends Error {
  readonly code = 'GS_RESULTS_INVALID';
}

/** One line of trials.jsonl, as far as the readers of a results directory use it. */
export interface TrialRecord {
  trialId: string;
  configId: string;
  seed: number;
  config: Hyperparameters;
  /** `done`, `failed` or `diverged`; other values from newer versions are kept as they are. */
  status: string;
  /** A W1 or KS of ∞ is null in the file. */
  metrics: TrialMetrics | null;
  error: Pick<TrialError, 'code' | 'message'> | null;
  backend: string | null;
  durationMs: number;
  stepsDone: number;
}

export interface SweepResultFiles {
  directory: string;
  leaderboard: Leaderboard;
  /** Trials in file order. */
  trials: TrialRecord[];
  sweep: ResolvedSweep;
  /** The text of sweep.yaml. */
  resolvedSweepYaml: string;
  /** The grid file the sweep was run from, as named in sweep.yaml's header comment; null when absent. */
  gridFile: string | null;
}

function readResultFile(directory: string, file: string): string {
  const path = join(directory, file);
  if (!existsSync(path)) {
    throw new SweepResultsError(`${path} is missing; gansweep run writes it when the sweep ends`);
  }
  return readFileSync(path, 'utf8');
}

function parseJson<T>(text: string, label: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new SweepResultsError(`failed to parse ${label}: ${(error as Error).message}`);
  }
}

/** Reads the grid file's name from the comment that resolvedSweepToYaml writes at the top of sweep.yaml. */
function gridFileOf(sweepYaml: string): string | null {
  const comment = parseDocument(sweepYaml).commentBefore ?? '';
  return /read from (.+)$/m.exec(comment)?.[1]?.trim() ?? null;
}

/** Checks that `directory` exists and is a directory; throws SweepResultsError otherwise. */
export function requireSweepDirectory(directory: string): void {
  if (!existsSync(directory)) {
    throw new SweepResultsError(`sweep directory ${directory} not found; pass the DIR/<name> folder that gansweep run wrote`);
  }
  if (!statSync(directory).isDirectory()) {
    throw new SweepResultsError(`${directory} is not a directory; pass the DIR/<name> folder that gansweep run wrote`);
  }
}

/** Reads leaderboard.json, sweep.yaml and trials.jsonl; throws SweepResultsError naming the file at fault. */
export function readSweepResultFiles(directory: string): SweepResultFiles {
  requireSweepDirectory(directory);

  const leaderboard = parseJson<Leaderboard>(
    readResultFile(directory, RESULT_FILES.leaderboard),
    join(directory, RESULT_FILES.leaderboard),
  );
  if (!Array.isArray(leaderboard.rows)) {
    throw new SweepResultsError(`${join(directory, RESULT_FILES.leaderboard)} has no "rows" list`);
  }

  const trialsPath = join(directory, RESULT_FILES.trials);
  const trials = readResultFile(directory, RESULT_FILES.trials)
    .split('\n')
    .map((line, index) => ({ line, number: index + 1 }))
    .filter(({ line }) => line.trim().length > 0)
    .map(({ line, number }) => parseJson<TrialRecord>(line, `${trialsPath} line ${number}`));

  const sweepPath = join(directory, RESULT_FILES.resolvedSweep);
  const sweepYaml = readResultFile(directory, RESULT_FILES.resolvedSweep);
  let sweep: ResolvedSweep;
  try {
    sweep = parseSweep(sweepYaml, sweepPath);
  } catch (error) {
    if (error instanceof ConfigError) throw new SweepResultsError(`invalid ${sweepPath}:\n${formatConfigError(error, sweepYaml)}`);
    throw error;
  }

  return { directory, leaderboard, trials, sweep, resolvedSweepYaml: sweepYaml, gridFile: gridFileOf(sweepYaml) };
}
