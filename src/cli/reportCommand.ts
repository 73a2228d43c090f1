/**
 * `gansweep report DIR`: writes DIR/report.html from a finished sweep's result files. The
 * report module (and Vega-Lite with it) is loaded only when this command runs.
 */
import { parseArgs } from 'node:util';

import { SweepResultsError } from '../results/sweepResultFiles.js';
import { EXIT, parseNonNegativeInteger, singleArgument, type CliStreams } from './shared.js';

export async function reportCommand(args: string[], streams: CliStreams): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { top: { type: 'string' } },
  });

  const directory = singleArgument('report', 'sweep directory', 'runs/mixture-1d', positionals);
  const top = values.top === undefined ? undefined : parseNonNegativeInteger('--top', values.top);

  try {
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
