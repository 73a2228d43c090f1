/** Writes a sweep's result files into its output directory. */
import { closeSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import type { Hyperparameters, TrialOutcome } from '../shared/types.js';
import type { Leaderboard } from '../leaderboard/leaderboard.js';
import { leaderboardToCsv, leaderboardToMarkdown } from '../leaderboard/render.js';
import { createDirectories } from '../shared/files.js';

/** Names of the files a sweep writes, relative to its directory. */
export const OUTPUT_FILES = {
  leaderboardJson: 'leaderboard.json',
  leaderboardCsv: 'leaderboard.csv',
  leaderboardMarkdown: 'leaderboard.md',
  trials: 'trials.jsonl',
  resolvedSweep: 'sweep.yaml',
} as const;

/**
 * Writes a file through a temporary sibling and a rename, so a reader never reads half a file
 * and a crash leaves either the old file or the new one.
 */
export function writeFileAtomic(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

/** Builds one trials.jsonl record. JSON has no Infinity, so a W1 or KS of ∞ (diverged samples) is written as null. */
export function trialRecord(outcome: TrialOutcome, config: Hyperparameters): object {
  return {
    trialId: outcome.trialId,
    configId: outcome.configId,
    seed: outcome.seed,
    config,
    status: outcome.status,
    metrics: outcome.metrics,
    error: outcome.error === null ? null : { code: outcome.error.code, message: outcome.error.message },
    backend: outcome.backend,
    engine: outcome.engine,
    durationMs: Math.round(outcome.durationMs),
    stepsDone: outcome.stepsDone,
  };
}

export interface SweepOutputs {
  directory: string;
  resolvedSweepYaml: string;
  leaderboard: Leaderboard;
  /** Outcomes in plan order, each with its configuration. */
  trials: Array<{ outcome: TrialOutcome; config: Hyperparameters }>;
}

/**
 * Writes JSON Lines through a temporary sibling and a rename, one line at a time, because
 * a large sweep's file can exceed V8's maximum string length.
 */
export function writeJsonLinesAtomic(path: string, records: Iterable<object>): void {
  const temporary = `${path}.${process.pid}.tmp`;
  const descriptor = openSync(temporary, 'w');
  try {
    for (const record of records) writeSync(descriptor, JSON.stringify(record) + '\n');
  } finally {
    closeSync(descriptor);
  }
  renameSync(temporary, path);
}

export function writeSweepOutputs(outputs: SweepOutputs): void {
  const { directory, leaderboard } = outputs;
  createDirectories(directory);
  writeFileAtomic(join(directory, OUTPUT_FILES.resolvedSweep), outputs.resolvedSweepYaml);
  writeJsonLinesAtomic(
    join(directory, OUTPUT_FILES.trials),
    outputs.trials.map(({ outcome, config }) => trialRecord(outcome, config)),
  );
  writeFileAtomic(join(directory, OUTPUT_FILES.leaderboardJson), JSON.stringify(leaderboard, null, 2) + '\n');
  writeFileAtomic(join(directory, OUTPUT_FILES.leaderboardCsv), leaderboardToCsv(leaderboard));
  writeFileAtomic(join(directory, OUTPUT_FILES.leaderboardMarkdown), leaderboardToMarkdown(leaderboard));
}
