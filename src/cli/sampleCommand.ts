/**
 * `gansweep sample DIR --config ID`: draws samples from a trained generator of a finished
 * sweep. tfjs is loaded only when this command runs, so other commands start fast.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { configLabel } from '../report/reportData.js';
import { readSweepResultFiles, SweepResultsError, type SweepResultFiles } from '../results/sweepResultFiles.js';
import { generatorDirectory, GENERATOR_FILES, GENERATORS_DIRECTORY } from '../shared/artifacts.js';
import { EXIT, singleArgument, UsageError, type CliStreams } from './shared.js';

/** Samples per call when --n is not given. */
export const DEFAULT_SAMPLE_COUNT = 1000;
/** Largest --n: 10^7 samples are 40 MB as float32 and about 0.2 GB as CSV text. */
export const MAX_SAMPLE_COUNT = 10_000_000;
/** Largest seed, as in grid files. */
const MAX_SEED = 2 ** 32 - 1;
/** Significant digits printed per sample: 9 are enough to restore any float32 exactly. */
const SAMPLE_DIGITS = 9;

/** A sweep directory that cannot serve the request: the message is printed and the exit code is 2. */
class SampleInputError extends Error {}

function parseInteger(option: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${option} must be an integer from ${min} to ${max}, received "${text}"`);
  }
  return value;
}

function roundSample(value: number): number {
  return Number(value.toPrecision(SAMPLE_DIGITS));
}

/** Formats the samples one per line. A non-finite sample prints as NaN, Infinity or -Infinity. */
export function samplesToCsv(samples: Float32Array): string {
  return Array.from(samples, (value) => String(roundSample(value))).join('\n') + '\n';
}

/** Formats the samples as one JSON array. JSON has no NaN or Infinity, so they become null, as in the result files. */
export function samplesToJson(samples: Float32Array): string {
  return JSON.stringify(Array.from(samples, (value) => (Number.isFinite(value) ? roundSample(value) : null))) + '\n';
}

/** Picks the trial to sample from and checks that its generator was saved. */
function generatorOf(results: SweepResultFiles, configId: string, requestedSeed: number | null): { trialId: string; directory: string } {
  const row = results.leaderboard.rows.find((candidate) => candidate.configId === configId);
  if (row === undefined) {
    const known = results.leaderboard.rows.map((candidate) => `  ${configLabel(candidate)}`).join('\n');
    throw new SampleInputError(`unknown configuration "${configId}"; the configurations of ${results.directory}, by rank:\n${known}`);
  }

  const seed = requestedSeed ?? row.bestSeed;
  if (seed === null) {
    throw new SampleInputError(`no seed of configuration ${configId} finished, so it has no trained generator`);
  }
  if (!row.seeds.includes(seed)) {
    throw new SampleInputError(`configuration ${configId} has no seed ${seed}; its seeds are ${row.seeds.join(', ')}`);
  }

  const trialId = `${configId}-s${seed}`;
  const directory = generatorDirectory(join(results.directory, GENERATORS_DIRECTORY), trialId);
  if (!existsSync(join(directory, GENERATOR_FILES.model))) {
    const trial = results.trials.find((candidate) => candidate.trialId === trialId);
    const reason = trial !== undefined && trial.status !== 'done'
      ? `trial ${trialId} ended as ${trial.status}, so its generator was not saved`
      : `the trained generator of trial ${trialId} is missing`;
    throw new SampleInputError(`${reason}: ${join(directory, GENERATOR_FILES.model)} not found`);
  }
  return { trialId, directory };
}

export async function sampleCommand(args: string[], streams: CliStreams): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string' },
      seed: { type: 'string' },
      n: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      out: { type: 'string' },
      'noise-seed': { type: 'string' },
    },
  });

  const sweepDirectory = singleArgument('sample', 'a sweep directory', 'runs/mixture-1d --config c0123456789ab', positionals);
  if (values.config === undefined) throw new UsageError('sample needs --config ID; the leaderboard lists the ids');
  const count = values.n === undefined ? DEFAULT_SAMPLE_COUNT : parseInteger('--n', values.n, 1, MAX_SAMPLE_COUNT);
  const seed = values.seed === undefined ? null : parseInteger('--seed', values.seed, 0, MAX_SEED);
  const noiseSeedOption = values['noise-seed'];
  const noiseSeed = noiseSeedOption === undefined ? null : parseInteger('--noise-seed', noiseSeedOption, 0, MAX_SEED);
  if (values.format !== 'csv' && values.format !== 'json') {
    throw new UsageError(`--format must be csv or json, received "${values.format}"`);
  }

  try {
    const results = readSweepResultFiles(sweepDirectory);
    const { trialId, directory } = generatorOf(results, values.config, seed);

    const { loadGenerator, sampleGenerator, useWasmBackend } = await import('../sample/generator.js');
    await useWasmBackend();
    const model = await loadGenerator(directory);
    let samples: Float32Array;
    try {
      samples = sampleGenerator(model, count, noiseSeed ?? results.sweep.eval.seed);
    } finally {
      model.dispose();
    }

    const text = values.format === 'csv' ? samplesToCsv(samples) : samplesToJson(samples);
    if (values.out === undefined) {
      streams.stdout.write(text);
    } else {
      writeFileSync(values.out, text);
      streams.stderr.write(`wrote ${count} samples of trial ${trialId} to ${values.out}\n`);
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof SampleInputError || error instanceof SweepResultsError || isGeneratorLoadError(error)) {
      streams.stderr.write(`gansweep sample: ${error.message}\n`);
      return EXIT.invalidInput;
    }
    throw error;
  }
}

function isGeneratorLoadError(error: unknown): error is Error {
  return error instanceof Error && (error as { code?: unknown }).code === 'GS_GENERATOR_INVALID';
}
