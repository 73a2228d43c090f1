/**
 * The gansweep command line as a function of its arguments and streams, so tests can run
 * it in-process; bin/gansweep.js only forwards process.argv and sets the exit code.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { ConfigError, expandTrials, formatConfigError, loadSweepFile, type ResolvedSweep } from '../config/index.js';
import { streamLogger } from '../coordinator/logger.js';
import { ProgressDisplay, trialWork } from '../coordinator/progress.js';
import { runSweep, trialSpecs } from '../coordinator/sweep.js';
import { leaderboardToTable } from '../leaderboard/render.js';
import type { BackendChoice } from '../shared/types.js';

/** Process exit codes. */
export const EXIT = {
  ok: 0,
  /**
   * Some trials failed or diverged (the rest ran and the leaderboard was written), or the
   * sweep itself failed with an unexpected error, printed on stderr.
   */
  trialsFailed: 1,
  /** Invalid command line or grid file; nothing was trained. */
  invalidInput: 2,
} as const;

export interface CliStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const BACKENDS: readonly BackendChoice[] = ['auto', 'node', 'wasm', 'cpu'];

const USAGE = `Usage:
  gansweep run FILE [--workers N] [--out DIR] [--backend B]
      Train every configuration × seed of the grid in FILE and rank the configurations.
      --workers N   worker threads (default: the number of available cores)
      --out DIR     results go to DIR/<name>/ (default: runs)
      --backend B   tfjs backend: auto, node, wasm or cpu (default: auto, which uses
                    tfjs-node when it loads in a worker thread and wasm otherwise)
  gansweep validate FILE
      Check FILE and print the number of configurations and trials; trains nothing.

Exit codes: 0 every trial finished; 1 some trials failed or diverged (the leaderboard
is still written) or the sweep failed with an error; 2 invalid command line or grid file.
Set GANSWEEP_DEBUG=1 to print the stack trace of an unexpected error.
`;

/** A command-line problem: printed with the usage hint, exit code 2. */
class UsageError extends Error {}

function readVersion(): string {
  const manifest = new URL('../../package.json', import.meta.url);
  for (const candidate of [manifest, new URL('../../../package.json', import.meta.url)]) {
    if (existsSync(candidate)) {
      const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === 'gansweep') return parsed.version ?? 'unknown';
    }
  }
  return 'unknown';
}

function parsePositiveInteger(option: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`${option} must be a positive integer, received "${text}"`);
  }
  return value;
}

function singleFile(command: string, positionals: string[]): string {
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? `${command} needs a grid file, for example: gansweep ${command} experiments/mixture-1d.yaml`
        : `${command} takes one grid file, received ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  return positionals[0];
}

/** Moves an earlier sweep's directory aside so that its results are never overwritten. */
function moveAsideExisting(directory: string, stderr: NodeJS.WritableStream): void {
  if (!existsSync(directory)) return;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const aside = `${directory}.${stamp}`;
  renameSync(directory, aside);
  stderr.write(`note: ${directory} already existed; moved it to ${aside}\n`);
}

function loadOrReport(file: string, streams: CliStreams): ResolvedSweep | null {
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

async function validateCommand(args: string[], streams: CliStreams): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
  const sweep = loadOrReport(singleFile('validate', positionals), streams);
  if (sweep === null) return EXIT.invalidInput;
  const trials = expandTrials(sweep).length;
  streams.stdout.write(
    `${sweep.sourceFile}: valid. Sweep "${sweep.name}": ${sweep.configs.length} configurations × ${sweep.seeds.length} seeds = ${trials} trials.\n`,
  );
  return EXIT.ok;
}

async function runCommand(args: string[], streams: CliStreams): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      workers: { type: 'string' },
      out: { type: 'string', default: 'runs' },
      backend: { type: 'string', default: 'auto' },
    },
  });
  const file = singleFile('run', positionals);
  const workers = values.workers === undefined ? availableParallelism() : parsePositiveInteger('--workers', values.workers);
  const backend = values.backend as BackendChoice;
  if (!BACKENDS.includes(backend)) {
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, received "${values.backend}"`);
  }

  const sweep = loadOrReport(file, streams);
  if (sweep === null) return EXIT.invalidInput;

  const directory = join(values.out, sweep.name);
  moveAsideExisting(directory, streams.stderr);
  const specs = trialSpecs(sweep, backend);
  streams.stderr.write(
    `gansweep: sweep "${sweep.name}", ${sweep.configs.length} configurations × ${sweep.seeds.length} seeds = ${specs.length} trials on ${workers} workers\n`,
  );
  const display = new ProgressDisplay({
    stream: streams.stderr,
    totalTrials: specs.length,
    totalSteps: specs.reduce((sum, spec) => sum + trialWork(spec), 0),
  });

  const result = await runSweep(sweep, {
    workers,
    backend,
    outputRoot: values.out,
    logger: streamLogger(streams.stderr),
    observer: display,
  });
  display.finish();

  streams.stdout.write(leaderboardToTable(result.leaderboard));
  const unfinished = result.outcomes.filter((outcome) => outcome.status !== 'done');
  streams.stderr.write(`results written to ${result.directory}/\n`);
  if (unfinished.length > 0) {
    streams.stderr.write(`${unfinished.length} of ${result.outcomes.length} trials failed or diverged; see trials.jsonl\n`);
    return EXIT.trialsFailed;
  }
  return EXIT.ok;
}

export async function main(argv: string[], streams: CliStreams): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest, streams);
      case 'validate':
        return await validateCommand(rest, streams);
      case '--version':
        streams.stdout.write(`${readVersion()}\n`);
        return EXIT.ok;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        streams.stdout.write(USAGE);
        return command === undefined ? EXIT.invalidInput : EXIT.ok;
      default:
        throw new UsageError(`unknown command "${command}"; the commands are run and validate`);
    }
  } catch (error) {
    // parseArgs signals unknown options and missing values with ERR_PARSE_ARGS_* codes.
    const code = (error as { code?: unknown }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      streams.stderr.write(`gansweep: ${(error as Error).message}\n\n${USAGE}`);
      return EXIT.invalidInput;
    }
    const message = error instanceof Error ? error.message : String(error);
    streams.stderr.write(`gansweep: failed: ${message}\n`);
    if (process.env.GANSWEEP_DEBUG && error instanceof Error) streams.stderr.write(`${error.stack}\n`);
    return EXIT.trialsFailed;
  }
}
