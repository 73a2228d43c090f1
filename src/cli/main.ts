/**
 * The gansweep command line as a function of its arguments and streams, so that tests can
 * run it in-process. bin/gansweep.js only forwards process.argv and sets the exit code.
 */
import { StoreError } from '../store/errors.js';
import { reportCommand } from './reportCommand.js';
import { runCommand, validateCommand } from './runCommand.js';
import { sampleCommand } from './sampleCommand.js';
import { EXIT, readVersion, UsageError, type CliStreams } from './shared.js';
import { leaderboardCommand, statusCommand } from './storeCommands.js';

export { EXIT, type CliStreams } from './shared.js';

const USAGE = `Usage:
  gansweep run FILE [options]
      Train every configuration × seed of the grid in FILE and rank the configurations.
      Running it again on the same grid resumes: finished trials are kept and only the
      missing ones run.
      --workers N         worker threads (default: the number of available cores)
      --out DIR           results go to DIR/<name>/ (default: runs)
      --backend B         auto, native, node, wasm or cpu (default: auto). The fused engine
                          runs native (compiled at install time) or wasm kernels; auto takes
                          native when it was built. The tfjs engine runs on node, wasm or
                          cpu; auto takes tfjs-node when it loads in a worker, else wasm
      --engine E          training engine: auto, tfjs or fused (default: the grid file's
                          engine, else auto, which takes fused where it fits unless
                          --backend names a tfjs backend: node, wasm or cpu)
      --fresh             start over: rename DIR/<name>/ to DIR/<name>.<time> first
      --trial-timeout T   stop a trial after T (90, 90s, 15m, 2h; default: run.trial_timeout, no limit)
      --max-time T        start no new trial after T (default: run.max_time, no limit)
      --max-retries N     extra attempts after a worker crash (default: run.max_retries, 2)
  gansweep validate FILE
      Check FILE and print the number of configurations and trials; trains nothing.
  gansweep status DIR/<name>
      Print how many trials are finished, running and queued; works while the sweep runs.
  gansweep leaderboard DIR/<name> [--format table|json|csv|md]
      Print the current leaderboard from the store; works while the sweep runs.
  gansweep report DIR/<name> [--top N]
      Write DIR/<name>/report.html, one self-contained page with the leaderboard and plots.
      --top N          configurations with their own plots (default: 5)
  gansweep sample DIR/<name> --config ID [--seed S] [--n N] [--format F] [--out FILE] [--noise-seed S]
      Draw samples from a trained generator of the sweep.
      --config ID      configuration id, as on the leaderboard
      --seed S         seed of that configuration (default: its best seed on the leaderboard)
      --n N            number of samples, 1 to 10000000 (default: 1000)
      --format F       csv (one sample per line) or json (one array) (default: csv)
      --out FILE       write the samples to FILE instead of stdout
      --noise-seed S   seed of the generator's noise (default: the sweep's eval.seed, which
                       reproduces the samples of the trial's final evaluation)

Exit codes: 0 every trial finished; 1 some trials failed, diverged or timed out, the
sweep stopped early (time budget, systematic failure) or it failed with an error; 2
invalid command line, grid file or store; 130 stopped by SIGINT or SIGTERM.
Set GANSWEEP_DEBUG=1 to print the stack trace of an unexpected error.
`;

export async function main(argv: string[], streams: CliStreams): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // `gansweep run --help` and the like print the usage instead of an unknown-option error.
    if (rest.includes('--help') || rest.includes('-h')) {
      streams.stdout.write(USAGE);
      return EXIT.ok;
    }
    switch (command) {
      case 'run':
        return await runCommand(rest, streams);
      case 'validate':
        return await validateCommand(rest, streams);
      case 'status':
        return await statusCommand(rest, streams);
      case 'leaderboard':
        return await leaderboardCommand(rest, streams);
      case 'report':
        return await reportCommand(rest, streams);
      case 'sample':
        return await sampleCommand(rest, streams);
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
        throw new UsageError(`unknown command "${command}"; the commands are run, validate, status, leaderboard, report and sample`);
    }
  } catch (error) {
    // parseArgs signals unknown options and missing values with ERR_PARSE_ARGS_* codes.
    const code = (error as { code?: unknown }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      streams.stderr.write(`gansweep: ${(error as Error).message}\n\n${USAGE}`);
      return EXIT.invalidInput;
    }
    if (error instanceof StoreError) {
      streams.stderr.write(`gansweep: ${error.code}: ${error.message}\n`);
      return EXIT.invalidInput;
    }
    const message = error instanceof Error ? error.message : String(error);
    streams.stderr.write(`gansweep: failed: ${message}\n`);
    if (process.env.GANSWEEP_DEBUG && error instanceof Error) streams.stderr.write(`${error.stack}\n`);
    return EXIT.trialsFailed;
  }
}
