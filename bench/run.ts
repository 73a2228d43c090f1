/**
 * `npm run bench`: measures, in one run, the training step of every engine against
 * PyTorch and a matrix-product peak, sweep throughput with 1 and 2 workers, the
 * coordinator's and the progress reports' overhead, and the memory of idle workers. It
 * prints the tables and writes them to BENCHMARKS.md. It took about 3 minutes on a
 * 2-core machine.
 *
 *   npm run bench        (npm run build && node dist/bench/run.js)
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ENGINE_LABELS, timeEngineStep, type EngineStepResult } from './engineSteps.js';
import type { StepSize } from './flops.js';
import { describeMachine } from './machine.js';
import { measureParallelCeiling } from './parallelCeiling.js';
import { measureProgressCost } from './progressCost.js';
import { runPyTorch, runPyTorchWithOpenBlas } from './pytorch.js';
import { buildSections, renderMarkdown, renderText, type BenchResults } from './report.js';
import { measureResidentMemory } from './residentMemory.js';
import { measureCoordinatorOverhead, measureThroughput } from './sweeps.js';
import type { TimingOptions } from './timing.js';

const SIZES: StepSize[] = [
  { latent: 8, hidden: 32, batch: 256 },
  { latent: 8, hidden: 64, batch: 512 },
];
const TIMING: TimingOptions = { repeats: 7, repeatSeconds: 0.2, warmupSeconds: 0.5 };
/** Trial lengths of the throughput grid: a short one, where start-up weighs most, and one near the default of 2000. */
const THROUGHPUT_STEPS = [400, 2000];
const THROUGHPUT_REPEATS = 3;
const CEILING_RUN = { stepsPerThread: 2000, repeats: 5 };
const OVERHEAD_TRIALS = { small: 20, large: 200, repeats: 3 };
const PROGRESS_BURSTS = { reports: 2000, bursts: TIMING.repeats };

// dist/bench/run.js → the package root.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

const started = performance.now();
const machine = describeMachine();

log('timing the training step of each engine');
const engineSteps: EngineStepResult[] = [];
for (const size of SIZES) {
  for (const engine of ENGINE_LABELS) engineSteps.push(await timeEngineStep(engine, size, TIMING));
}

log('timing the PyTorch step and the matrix products');
const pytorch = runPyTorch(root, SIZES, TIMING, log);
log('timing the PyTorch step with OpenBLAS, when it is installed');
const pytorchOpenBlas = runPyTorchWithOpenBlas(root, SIZES, TIMING);

log('measuring how well this machine runs two busy threads');
const ceiling = await measureParallelCeiling(CEILING_RUN.stepsPerThread, CEILING_RUN.repeats);

log('measuring sweep throughput with 1 and 2 workers');
const throughput = [];
for (const steps of THROUGHPUT_STEPS) throughput.push({ steps, runs: await measureThroughput(steps, THROUGHPUT_REPEATS) });

log('measuring coordinator overhead');
const coordinator = await measureCoordinatorOverhead(OVERHEAD_TRIALS.small, OVERHEAD_TRIALS.large, OVERHEAD_TRIALS.repeats);

log('measuring progress reporting cost');
// The bare fused step is the shortest step in the table, so it gives the largest share for the per-step check.
const fusedStep = engineSteps.find((result) => result.engine === 'fused native' && result.size === SIZES[0])?.timing;
if (fusedStep === undefined || fusedStep === null) throw new Error('the fused engine step was not timed, and the progress overhead needs it');
const progress = await measureProgressCost(PROGRESS_BURSTS.reports, PROGRESS_BURSTS.bursts, fusedStep.medianSeconds);

log('measuring resident memory of idle workers');
const memory = measureResidentMemory();

const results: BenchResults = {
  date: new Date().toISOString(),
  machine,
  loadAtEnd: loadavg()[0],
  timing: TIMING,
  sizes: SIZES,
  engineSteps,
  pytorch,
  pytorchOpenBlas,
  ceiling,
  throughput,
  coordinator,
  progress,
  memory,
  seconds: (performance.now() - started) / 1000,
};

const sections = buildSections(results);
process.stdout.write(renderText(results, sections) + '\n');

const commands = ['npm run bench   # npm run build && node dist/bench/run.js'];
if (pytorch.available) commands.push(`${pytorch.command}   # run by the benchmark`);
if (pytorchOpenBlas.available) commands.push(`${pytorchOpenBlas.command}   # run by the benchmark`);
const markdownPath = join(root, 'BENCHMARKS.md');
writeFileSync(markdownPath, renderMarkdown(results, sections, commands));
log(`wrote ${markdownPath}`);
