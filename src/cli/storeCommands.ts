/**
 * `gansweep status` and `gansweep leaderboard`: read a sweep's store, also while the sweep
 * runs in another process (the store is in WAL mode, so readers do not block the writer).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { OUTPUT_FILES } from '../coordinator/output.js';
import { plannedTrials, readResults } from '../coordinator/sweep.js';
import { leaderboardToCsv, leaderboardToMarkdown, leaderboardToTable } from '../leaderboard/render.js';
import { StoreError } from '../store/errors.js';
import { STORE_FILE, SweepStore, type StoredStatus } from '../store/sweepStore.js';
import { loadOrReport } from './runCommand.js';
import { EXIT, singleArgument, UsageError, type CliStreams } from './shared.js';

const FORMATS = ['table', 'json', 'csv', 'md'] as const;
type LeaderboardFormat = (typeof FORMATS)[number];

/** Opens a sweep directory's grid and store for reading, or prints why it cannot. */
function openSweepDirectory(command: string, positionals: string[], streams: CliStreams) {
  const directory = singleArgument(command, 'a sweep directory', 'runs/mixture-1d', positionals);
  const gridFile = join(directory, OUTPUT_FILES.resolvedSweep);
  if (!existsSync(gridFile)) {
    streams.stderr.write(
      `gansweep ${command}: ${directory} is not a sweep directory (no ${OUTPUT_FILES.resolvedSweep}); ` +
        'pass the directory that "gansweep run" wrote, such as runs/<name>\n',
    );
    return null;
  }
  const sweep = loadOrReport(gridFile, streams);
  if (sweep === null) return null;
  try {
    return { directory, sweep, store: SweepStore.open(join(directory, STORE_FILE), { readonly: true }) };
  } catch (error) {
    if (error instanceof StoreError) {
      streams.stderr.write(`gansweep ${command}: ${error.code}: ${error.message}\n`);
      return null;
    }
    throw error;
  }
}

export async function leaderboardCommand(args: string[], streams: CliStreams): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { format: { type: 'string', default: 'table' } },
  });
  const format = values.format as LeaderboardFormat;
  if (!FORMATS.includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, received "${values.format}"`);
  }
  const opened = openSweepDirectory('leaderboard', positionals, streams);
  if (opened === null) return EXIT.invalidInput;

  try {
    const { leaderboard } = readResults(opened.sweep, opened.store);
    const render = {
      table: leaderboardToTable,
      json: (board: typeof leaderboard) => JSON.stringify(board, null, 2) + '\n',
      csv: leaderboardToCsv,
      md: leaderboardToMarkdown,
    }[format];
    streams.stdout.write(render(leaderboard));
    return EXIT.ok;
  } finally {
    opened.store.close();
  }
}

const STATUS_ORDER: readonly StoredStatus[] = ['done', 'diverged', 'failed', 'timed_out', 'running', 'queued'];

export async function statusCommand(args: string[], streams: CliStreams): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
  const opened = openSweepDirectory('status', positionals, streams);
  if (opened === null) return EXIT.invalidInput;
  const { sweep, store, directory } = opened;

  try {
    const planKeys = new Set(plannedTrials(sweep).map((trial) => trial.trialKey));
    const trials = store.trials();
    const current = trials.filter((trial) => planKeys.has(trial.trialKey));
    const counts = new Map<StoredStatus, number>();
    for (const trial of current) counts.set(trial.status, (counts.get(trial.status) ?? 0) + 1);
    const notStored = planKeys.size - current.length;

    const holder = store.lockHolder();
    const running = holder !== null && store.lockHolderAlive();
    const lines = [
      `sweep ${sweep.name} in ${directory}`,
      running
        ? `running in process ${holder!.pid} since ${holder!.startedAt}`
        : 'not running' + (holder !== null ? ` (the last run, process ${holder.pid}, ended without releasing its lock)` : ''),
      `${current.filter((trial) => ['done', 'diverged', 'failed', 'timed_out'].includes(trial.status)).length} of ${planKeys.size} trials finished: ` +
        STATUS_ORDER.map((status) => `${counts.get(status) ?? 0} ${status.replace('_', ' ')}`).join(', ') +
        (notStored > 0 ? `, ${notStored} not started` : ''),
    ];
    const offGrid = trials.length - current.length;
    if (offGrid > 0) lines.push(`${offGrid} stored trials are not in the current grid and are left off the leaderboard`);
    for (const trial of current.filter((t) => t.status === 'running')) {
      lines.push(`  running  ${trial.trialId}  attempt ${trial.attempts}, started ${trial.startedAt}`);
    }
    for (const trial of current.filter((t) => t.status === 'failed' || t.status === 'timed_out')) {
      lines.push(`  ${trial.status.padEnd(9)}${trial.trialId}  ${trial.errorCode}: ${trial.errorMessage}`);
    }
    streams.stdout.write(lines.join('\n') + '\n');
    return EXIT.ok;
  } finally {
    store.close();
  }
}
