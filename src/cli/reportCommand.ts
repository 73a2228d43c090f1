/**
 * `gansweep report DIR`: writes DIR/report.html from a sweep's result files, regenerated
 * from its store first. The report module (and Vega-Lite with it) is loaded only when
 * this command runs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { loadSweepFile } from '../config/index.js';
import { OUTPUT_FILES } from '../coordinator/output.js';
import { exportResults } from '../coordinator/sweep.js';
import { STORE_FILE, SweepStore } from '../store/sweepStore.js';

import { SweepResultsError } from '../results/sweepResultFiles.js';
import { EXIT, parseNonNegativeInteger, singleArgument, type CliStreams } from './shared.js';

/**
 * Regenerates the leaderboard files and trials.jsonl from the sweep's store when it has
 * one, so that the report also covers a run that was killed before it wrote them.
 */
function refreshResultFiles(directory: string): void {
  const gridFile = join(directory, OUTPUT_FILES.resolvedSweep);
  const storeFile = join(directory, STORE_FILE);
  if (!existsSync(gridFile) || !existsSync(storeFile)) return;
  const store = SweepStore.open(storeFile, { readonly: true });
  try {
    exportResults(directory, loadSweepFile(gridFile), store);
  } finally {
    store.close();
  }
}

export async function reportCommand(args: string[], streams: CliStreams): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { top: { type: 'string' } },
  });

  const directory = singleArgument('report', 'a sweep directory', 'runs/mixture-1d', positionals);
  const top = values.top === undefined ? undefined : parseNonNegativeInteger('--top', values.top);

  try {
    refreshResultFiles(directory);
    const { writeReport } = await import('../report/index.js');
    const path = writeReport(directory, { top });
    streams.stdout.write(`${path}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof SweepResultsError) {
      streams.stderr.write(`gansweep report: ${error.message}\n`);
      return EXIT.invalidInput;
    }
    throw error;
  }
}
