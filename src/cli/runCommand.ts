/** `gansweep run` and `gansweep validate`. */
import { existsSync, readdirSync, renameSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { ConfigError, expandTrials, formatConfigError, loadSweepFile, MAX_TIMEOUT_SECONDS, type ResolvedSweep } from '../config/index.js';
import { streamLogger } from '../coordinator/logger.js';
import { ProgressDisplay, trialWork } from '../coordinator/progress.js';
import { runSweep, trialSpecs, type SweepRunOptions } from '../coordinator/sweep.js';
import { leaderboardToTable } from '../leaderboard/render.js';
import { createDirectories } from '../shared/files.js';
import type { BackendChoice, EngineChoice } from '../shared/types.js';
import { GS_STORE_LOCKED, StoreError } from '../store/errors.js';
import { STORE_FILE, SweepStore } from '../store/sweepStore.js';
import {
  EXIT,
  parseDuration,
  parseNonNegativeInteger,
  parsePositiveInteger,
  readVersion,
  singleArgument,
  UsageError,
  type CliStreams,
} from './shared.js';

/** Writes `n` with the noun in singular or plural, as in "1 seed" and "3 seeds". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

const BACKENDS: readonly BackendChoice[] = ['auto', 'native', 'node', 'wasm', 'cpu'];
const ENGINES: readonly EngineChoice[] = ['auto', 'tfjs', 'fused'];

/** Renames a directory to `<directory>.<timestamp>` and prints a note; nothing is deleted. */
function moveAside(directory: string, reason: string, stderr: NodeJS.WritableStream): void {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const aside = `${directory}.${stamp}`;
  renameSync(directory, aside);
  stderr.write(`note: ${reason}; moved ${directory} to ${aside}\n`);
}

/**
 * Prepares the sweep directory: `--fresh` renames an existing one, and a non-empty
 * directory without a store (results of an older gansweep, or someone else's files) is
 * renamed too, so that nothing in it is overwritten.
 */
function prepareDirectory(directory: string, fresh: boolean, stderr: NodeJS.WritableStream): void {
  if (!existsSync(directory)) {
    try {
      createDirectories(directory);
    } catch (error) {
      throw new UsageError(
        `failed to create the sweep directory ${directory} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); choose another --out`,
      );
    }
    return;
  }
  if (fresh && existsSync(join(directory, STORE_FILE))) {
    // Renaming a directory that another process is writing would split its results.
    const store = SweepStore.open(join(directory, STORE_FILE), { readonly: true });
    try {
      const holder = store.lockHolder();
      if (holder !== null && store.lockHolderAlive()) {
        throw new StoreError(
          GS_STORE_LOCKED,
          store.path,
          `the sweep in ${directory} is running in process ${holder.pid}; stop it before starting over with --fresh`,
        );
      }
    } finally {
      store.close();
    }
  }
  if (fresh) {
    moveAside(directory, '--fresh starts over', stderr);
  } else if (!existsSync(join(directory, STORE_FILE)) && readdirSync(directory).length > 0) {
    moveAside(directory, `${directory} has files but no ${STORE_FILE} to resume from`, stderr);
  }
}

export function loadOrReport(file: string, streams: CliStreams): ResolvedSweep | null {
  try {
    return loadSweepFile(file);
  } catch (error) {
    if (error instanceof ConfigError) {
      streams.stderr.write(formatConfigError(error) + '\n');
      return null;
    }
    throw error;
  }
}

export async function validateCommand(args: string[], streams: CliStreams): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
  const sweep = loadOrReport(singleArgument('validate', 'a grid file', 'experiments/mixture-1d.yaml', positionals), streams);
  if (sweep === null) return EXIT.invalidInput;
  const trials = expandTrials(sweep).length;
  streams.stdout.write(
    `${sweep.sourceFile}: valid. Sweep "${sweep.name}": ${count(sweep.configs.length, 'configuration')} × ${count(sweep.seeds.length, 'seed')} = ${count(trials, 'trial')}.\n`,
  );
  return EXIT.ok;
}

/**
 * Installs SIGINT and SIGTERM handlers for the duration of a sweep. The first signal
 * aborts `controller` for a clean stop. A second one exits at once, and the store stays
 * consistent because every result is one committed transaction.
 */
function handleSignals(controller: AbortController, note: (line: string) => void, stderr: NodeJS.WritableStream): () => void {
  let received = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    received++;
    if (received === 1) {
      note(`${signal}: stopping; running trials end at their next step (within milliseconds on native kernels) and stay queued. Send it again to exit at once.`);
      controller.abort();
      return;
    }
    stderr.write(`\n${signal} again: exiting now; finished results are in the store, unfinished trials rerun on the next run\n`);
    process.exit(EXIT.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/**
 * Writes report.html for a finished run. The report is loaded lazily because its charting
 * library takes a noticeable time to load, and a failure only costs the report: the
 * results are already stored, and `gansweep report` can retry.
 */
async function writeRunReport(directory: string, stderr: NodeJS.WritableStream): Promise<void> {
  try {
    const { writeReport } = await import('../report/index.js');
    stderr.write(`report written to ${writeReport(directory)}\n`);
  } catch (error) {
    stderr.write(`warning: failed to write the HTML report: ${(error as Error).message}; run "gansweep report ${directory}" to retry\n`);
  }
}

export async function runCommand(args: string[], streams: CliStreams): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      workers: { type: 'string' },
      out: { type: 'string', default: 'runs' },
      backend: { type: 'string', default: 'auto' },
      engine: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      'trial-timeout': { type: 'string' },
      'max-time': { type: 'string' },
      'max-retries': { type: 'string' },
    },
  });
  const file = singleArgument('run', 'a grid file', 'experiments/mixture-1d.yaml', positionals);
  if (values.out.trim() === '') throw new UsageError('--out must name a directory, received an empty string; omit it to use runs');
  const workers = values.workers === undefined ? availableParallelism() : parsePositiveInteger('--workers', values.workers);
  const backend = values.backend as BackendChoice;
  if (!BACKENDS.includes(backend)) {
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, received "${values.backend}"`);
  }
  const engine = values.engine as EngineChoice | undefined;
  if (engine !== undefined && !ENGINES.includes(engine)) {
    throw new UsageError(`--engine must be one of ${ENGINES.join(', ')}, received "${values.engine}"`);
  }
  const trialTimeout = values['trial-timeout'] === undefined ? undefined : parseDuration('--trial-timeout', values['trial-timeout']);
  if (trialTimeout !== undefined && trialTimeout > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(`--trial-timeout must be at most ${MAX_TIMEOUT_SECONDS} s (about 24.8 days), received "${values['trial-timeout']}"; use 0 for no limit`);
  }
  const maxTime = values['max-time'] === undefined ? undefined : parseDuration('--max-time', values['max-time']);
  const maxRetries = values['max-retries'] === undefined ? undefined : parseNonNegativeInteger('--max-retries', values['max-retries']);

  const sweep = loadOrReport(file, streams);
  if (sweep === null) return EXIT.invalidInput;
  const engineSource = engine === undefined ? `the grid file ${file}` : '--engine';
  if ((backend === 'node' || backend === 'cpu') && (engine ?? sweep.engine) === 'fused') {
    throw new UsageError(
      `--backend ${backend} names a tfjs backend, but the engine is fused (from ${engineSource}); ` +
        'use --backend auto, native or wasm with the fused engine, or --engine tfjs',
    );
  }
  if (backend === 'native' && (engine ?? sweep.engine) === 'tfjs') {
    throw new UsageError(
      `--backend native selects the fused engine's compiled kernels, but the engine is tfjs (from ${engineSource}); ` +
        'use --backend auto, node, wasm or cpu with the tfjs engine, or --engine fused',
    );
  }

  const directory = join(values.out, sweep.name);
  prepareDirectory(directory, values.fresh, streams.stderr);
  const specs = trialSpecs(sweep, backend);
  streams.stderr.write(
    `gansweep: sweep "${sweep.name}", ${count(sweep.configs.length, 'configuration')} × ${count(sweep.seeds.length, 'seed')} = ${count(specs.length, 'trial')} on ${count(workers, 'worker')}\n`,
  );
  const display = new ProgressDisplay({
    stream: streams.stderr,
    totalTrials: specs.length,
    totalSteps: specs.reduce((sum, spec) => sum + trialWork(spec), 0),
  });

  // The handlers stay until the command returns, so a signal during the final exports
  // still ends with exit code 130 instead of killing the process half-way.
  const controller = new AbortController();
  const removeHandlers = handleSignals(controller, (line) => display.note(line), streams.stderr);
  try {
    return await runAndReport(sweep, controller, display, streams, {
      workers,
      backend,
      engine,
      outputRoot: values.out,
      logger: streamLogger(streams.stderr),
      observer: display,
      trialTimeout,
      maxTime,
      maxRetries,
      stopSignal: controller.signal,
      version: readVersion(),
    });
  } finally {
    removeHandlers();
  }
}

async function runAndReport(
  sweep: ResolvedSweep,
  controller: AbortController,
  display: ProgressDisplay,
  streams: CliStreams,
  options: SweepRunOptions,
): Promise<number> {
  let result;
  try {
    result = await runSweep(sweep, options);
  } finally {
    display.finish();
  }

  streams.stdout.write(leaderboardToTable(result.leaderboard));
  await writeRunReport(result.directory, streams.stderr);
  streams.stderr.write(`results written to ${result.directory}/\n`);
  const { summary } = result;
  const missing = result.trialCount - result.outcomes.length;
  if (summary.stopReason === 'signal' || controller.signal.aborted) {
    streams.stderr.write(`stopped by a signal; ${missing} trials are unfinished. Run the same command again to resume.\n`);
    return EXIT.interrupted;
  }
  if (summary.stopReason === 'systematic-failure' && summary.systematicError !== null) {
    const error = summary.systematicError;
    streams.stderr.write(
      `the first trials all failed with the same error, so the sweep stopped: ${error.code}: ${error.message}\n` +
        'Fix the cause, then run the same command again to resume.\n',
    );
    return EXIT.trialsFailed;
  }
  if (summary.stopReason === 'max-time') {
    streams.stderr.write(`the time budget ran out; ${missing} trials did not run. Run the same command again to resume.\n`);
    return EXIT.trialsFailed;
  }
  const unsuccessful = result.outcomes.filter((outcome) => outcome.status !== 'done');
  if (unsuccessful.length > 0 || missing > 0) {
    streams.stderr.write(`${unsuccessful.length} of ${result.trialCount} trials failed, diverged or timed out; see trials.jsonl and sweep.log\n`);
    return EXIT.trialsFailed;
  }
  return EXIT.ok;
}
