/**
 * Turns the benchmark's measurements into tables, printed as aligned text on stdout and
 * written as Markdown to BENCHMARKS.md, from the same rows.
 */
import type { EngineStepResult } from './engineSteps.js';
import { referenceStepFlops, type StepSize } from './flops.js';
import type { MachineInfo } from './machine.js';
import type { ParallelCeiling } from './parallelCeiling.js';
import { REPORTS_PER_SECOND, type ProgressCost } from './progressCost.js';
import type { PyTorchOutcome, PyTorchStep } from './pytorch.js';
import type { ResidentMemory } from './residentMemory.js';
import { excessSeconds, scalingEfficiency, THROUGHPUT_SEEDS, type CoordinatorOverhead, type SweepRun } from './sweeps.js';
import type { Timing, TimingOptions } from './timing.js';

export const TARGETS = {
  /** throughput with 2 workers / (2 × throughput with 1 worker) */
  scalingEfficiency: 0.95,
  /** coordinator time per trial as a fraction of a 1-second trial */
  coordinatorOverhead: 0.02,
  /** fraction of training time spent on progress reports */
  progressOverhead: 0.05,
} as const;

export interface BenchResults {
  date: string;
  machine: MachineInfo;
  /** 1-minute load average when the benchmark ended. */
  loadAtEnd: number;
  timing: TimingOptions;
  sizes: StepSize[];
  engineSteps: EngineStepResult[];
  pytorch: PyTorchOutcome;
  /** The same script with OpenBLAS, when libopenblas0-pthread is installed. */
  pytorchOpenBlas: PyTorchOutcome;
  ceiling: ParallelCeiling;
  /** Throughput runs per grid: the trial length in steps, then every run with 1 or 2 workers. */
  throughput: Array<{ steps: number; runs: SweepRun[] }>;
  coordinator: CoordinatorOverhead;
  progress: ProgressCost;
  memory: ResidentMemory;
  seconds: number;
}

export interface Section {
  title: string;
  headers: string[];
  rows: string[][];
  /** Sentences printed under the table. */
  notes: string[];
}

const milliseconds = (seconds: number) => (seconds * 1000).toFixed(3);
/** Formats with two decimals, writing a value that rounds to zero as 0.00 rather than -0.00. */
const twoDecimals = (value: number) => (Math.abs(value) < 0.005 ? 0 : value).toFixed(2);
/** (max − min) / median of the repeats, as a percentage. */
const spread = (timing: Timing) => percent((Math.max(...timing.repeatSeconds) - Math.min(...timing.repeatSeconds)) / timing.medianSeconds);
const megabytes = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const percent = (fraction: number) => `${(fraction * 100).toFixed(2)} %`;
const sizeLabel = ({ latent, hidden, batch }: StepSize) => `${latent} / ${hidden} / ${batch}`;
const verdict = (met: boolean) => (met ? 'met' : 'not met');

function pytorchStep(results: BenchResults, size: StepSize, peer: PyTorchOutcome = results.pytorch): PyTorchStep | null {
  if (!peer.available) return null;
  const step = peer.results.steps.find(
    (candidate) => candidate.latent === size.latent && candidate.hidden === size.hidden && candidate.batch === size.batch,
  );
  return step ?? null;
}

function stepSection(results: BenchResults): Section {
  const peaks = results.pytorch.available ? results.pytorch.results : null;
  const gflops = (size: StepSize, seconds: number) => referenceStepFlops(size) / seconds / 1e9;
  const share = (value: number, peak: number | undefined) => (peak === undefined ? 'n/a' : percent(value / peak));

  const rows: string[][] = [];
  for (const size of results.sizes) {
    const torchStep = pytorchStep(results, size);
    const openBlasStep = pytorchStep(results, size, results.pytorchOpenBlas);
    const ratio = (seconds: number, peer: PyTorchStep | null) => (peer === null ? 'n/a' : (seconds / peer.medianSeconds).toFixed(2));
    // One table row: the timing, its GFLOP/s and its ratio to each PyTorch peer.
    const row = (label: string, timing: Timing) => {
      const seconds = timing.medianSeconds;
      return [
        label,
        sizeLabel(size),
        String(timing.callsPerRepeat),
        milliseconds(seconds),
        spread(timing),
        gflops(size, seconds).toFixed(2),
        share(gflops(size, seconds), peaks?.onednnMatmul?.gflops),
        share(gflops(size, seconds), peaks?.matmul.gflops),
        ratio(seconds, torchStep),
        ratio(seconds, openBlasStep),
      ];
    };

    for (const result of results.engineSteps.filter((candidate) => candidate.size === size)) {
      rows.push(result.timing === null ? [result.engine, sizeLabel(size), 'unavailable', '', '', '', '', '', '', ''] : row(result.engine, result.timing));
    }
    if (torchStep !== null) rows.push(row('PyTorch', torchStep));
    if (openBlasStep !== null) rows.push(row('PyTorch (OpenBLAS)', openBlasStep));
  }

  const notes = [
    `One step is one discriminator update and one generator update on fixed inputs, in one thread. Each figure is the median of ${results.timing.repeats} repeats of about ${results.timing.repeatSeconds} s, after at least ${results.timing.warmupSeconds} s of warm-up.`,
    'GFLOP/s counts only matrix products: 2·B·(3g + 6d + 3(H² + H)) FLOPs per step with g = L·H + H² + H and d = H² + 2H (derivation in bench/flops.ts).',
    '"÷ PyTorch" is the engine\'s step time divided by PyTorch\'s at the same size, so a value below 1 means the engine is faster. "Spread" is (slowest − fastest repeat) ÷ median. The engines and PyTorch run one after the other, so a ratio cancels only the load that stays steady over the run.',
  ];
  for (const result of results.engineSteps) {
    if (result.unavailable !== null && result.size === results.sizes[0]) notes.push(`${result.engine} is unavailable: ${result.unavailable}`);
  }
  if (!results.pytorch.available) notes.push(`PyTorch unavailable: ${results.pytorch.reason}`);
  notes.push(
    results.pytorchOpenBlas.available
      ? '"÷ PyTorch (OpenBLAS)" compares with the same script loading OpenBLAS through LD_LIBRARY_PATH, the peer a user who installs libopenblas0-pthread gets. "÷ PyTorch" is against python3-torch as installed, with the BLAS the system selects.'
      : `PyTorch with OpenBLAS not timed: ${results.pytorchOpenBlas.reason}`,
  );
  return {
    title: 'Training step, one thread',
    headers: ['engine', 'L / H / B', 'steps per repeat', 'median ms/step', 'spread', 'GFLOP/s', '% of oneDNN peak', '% of torch.mm', '÷ PyTorch', '÷ PyTorch (OpenBLAS)'],
    rows,
    notes,
  };
}

function peakSection(results: BenchResults): Section | null {
  if (!results.pytorch.available) return null;
  const { matmul, onednnMatmul, blasLibraries, torchVersion } = results.pytorch.results;
  const rows = [['torch.mm (linked BLAS)', `${matmul.size}²`, milliseconds(matmul.medianSeconds), matmul.gflops.toFixed(1)]];
  if (onednnMatmul !== null) {
    rows.push(['oneDNN linear (torch._C._nn.mkldnn_linear)', `${onednnMatmul.size}²`, milliseconds(onednnMatmul.medianSeconds), onednnMatmul.gflops.toFixed(1)]);
  }
  return {
    title: 'Matrix-product peak, one thread',
    headers: ['product', 'size', 'median ms', 'GFLOP/s'],
    rows,
    notes: [
      `torch ${torchVersion} loaded the BLAS library ${blasLibraries.join(', ') || '(none found in /proc/self/maps)'}.`,
      'Debian\'s python3-torch uses the libblas.so.3 that the alternatives system selects. Without OpenBLAS or BLIS installed that is the netlib reference BLAS, which is far below the CPU\'s peak, so torch.mm and the PyTorch step are slow here. oneDNN is built into torch and uses the CPU\'s vector units, so its product is the peak the step GFLOP/s are compared with.',
    ],
  };
}

function throughputSection(results: BenchResults): Section {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const { steps, runs } of results.throughput) {
    for (const run of runs) {
      rows.push([
        String(steps),
        String(run.workers),
        String(run.trials),
        run.wallSeconds.toFixed(2),
        Math.round((run.trials / run.wallSeconds) * 3600).toString(),
        Math.round((run.trials / run.trialSpanSeconds) * 3600).toString(),
        Math.round(3600 / run.steadySecondsPerTrial).toString(),
        `${run.firstTrialSeconds.toFixed(2)} / ${run.laterTrialSeconds.toFixed(2)}`,
        twoDecimals(run.cpuSeconds / run.wallSeconds),
        (run.cpuSeconds / run.trials).toFixed(2),
        twoDecimals(run.otherCpuSeconds / run.wallSeconds),
        run.stealSeconds === null ? 'n/a' : twoDecimals(run.stealSeconds / run.wallSeconds),
        Object.entries(run.engines).map(([name, count]) => `${count} ${name}`).join(', '),
      ]);
    }
    const wallEfficiency = scalingEfficiency(runs, (run) => run.wallSeconds);
    const spanEfficiency = scalingEfficiency(runs, (run) => run.trialSpanSeconds);
    const steadyEfficiency = scalingEfficiency(runs, (run) => run.steadySecondsPerTrial * run.trials);
    notes.push(
      `${steps}-step trials: scaling efficiency ${steadyEfficiency.toFixed(3)} in the steady state, ${spanEfficiency.toFixed(3)} from the trial span and ${wallEfficiency.toFixed(3)} from wall time; target ≥ ${TARGETS.scalingEfficiency}: ${verdict(steadyEfficiency >= TARGETS.scalingEfficiency)} (steady state), ${verdict(wallEfficiency >= TARGETS.scalingEfficiency)} (wall time). Relative to the machine's ceiling below: ${(steadyEfficiency / results.ceiling.efficiency).toFixed(3)} (steady state).`,
    );
  }
  notes.push(
    `Each row is one runSweep call on a fresh temporary directory with --backend auto and the default engine: 2 configurations × ${THROUGHPUT_SEEDS} seeds at L 8, H 32, B 256, default evaluation (10 checkpoints of 10,000 samples). Trials/h (wall) divides by the whole call, thread start-up and output files included. Trials/h (span) divides by the time from the first trial's start to the last result, as recorded in the store, so it leaves out the pool start-up. Trials/h (steady) counts only the results after every worker has finished two trials, over the time from the (2 × workers)-th result to the last: the rate of a long sweep, which pays the threads' start-up and JIT warm-up once.`,
    'Scaling efficiency is throughput with 2 workers ÷ (2 × throughput with 1 worker), from the median seconds of the runs with each worker count. The coordinator shares the cores with the workers.',
    '"Cores used" is this process\'s CPU time ÷ wall time. "Cores used by others" is the busy time of all cores minus this process\'s, ÷ wall time. When other processes use a core, 2 workers cannot run at full speed, so the efficiency then reflects that load as well as gansweep.',
    '"First / later trial s" compares the mean duration of each worker\'s first trial, which includes the thread\'s one-time set-up such as loading the tfjs wasm backend, with the median of the other trials. Every extra worker pays that start-up once, which weighs on short trials.',
    '"CPU s/trial" is this process\'s CPU time per trial. When it is higher with 2 workers than with 1, each core did less work per second, which other guests on the same host (see "cores stolen", the steal time of /proc/stat ÷ wall time) or shared caches can cause.',
  );
  const { ceiling } = results;
  const seconds = (values: number[]) => values.map((value) => value.toFixed(2)).join(', ');
  notes.push(
    `Machine ceiling: plain worker threads that only run ${ceiling.stepsPerThread} fused-engine steps each (bench/stepWorker.ts), without the coordinator, took ${seconds(ceiling.oneThreadSeconds)} s alone and ${seconds(ceiling.twoThreadSeconds)} s two at once. The ratio of the medians, ${ceiling.efficiency.toFixed(3)}, is the scaling efficiency this machine allowed during the run, so a sweep's efficiency divided by it is the part that gansweep controls.`,
  );
  return {
    title: 'Sweep throughput',
    headers: ['steps per trial', 'workers', 'trials', 'wall s', 'trials/h (wall)', 'trials/h (span)', 'trials/h (steady)', 'first / later trial s', 'cores used', 'CPU s/trial', 'cores used by others', 'cores stolen', 'engine/backend'],
    rows,
    notes,
  };
}

function coordinatorSection(results: BenchResults): Section {
  const { smallRuns, largeRuns, perTrialSeconds, marginalPerTrialSeconds } = results.coordinator;
  const row = (run: SweepRun) => [
    String(run.trials),
    run.wallSeconds.toFixed(2),
    (run.trialSecondsSum / run.workers).toFixed(2),
    excessSeconds(run).toFixed(2),
    milliseconds(excessSeconds(run) / run.trials),
  ];
  const small = smallRuns[0].trials;
  const large = largeRuns[0].trials;
  return {
    title: 'Coordinator overhead per trial',
    headers: ['trials', 'wall s', 'Σ trial s / workers', 'excess s', 'excess ms/trial'],
    rows: [...smallRuns, ...largeRuns].map(row),
    notes: [
      `One-step trials (evaluation 1 checkpoint of 1,000 samples) on 2 workers, ${largeRuns.length} runs of each size, alternating. Overhead = (wall − Σ worker-reported trial durations / workers) / trials, median of the ${large}-trial runs = ${milliseconds(perTrialSeconds)} ms per trial, ${percent(perTrialSeconds)} of a 1-second trial; target ≤ ${percent(TARGETS.coordinatorOverhead)}: ${verdict(perTrialSeconds <= TARGETS.coordinatorOverhead)}. This figure includes the pool's start-up, spread over the trials.`,
      `Marginal overhead = (median excess at ${large} trials − median excess at ${small} trials) ÷ ${large - small}, which cancels the once-per-run start-up: ${milliseconds(marginalPerTrialSeconds)} ms, ${percent(marginalPerTrialSeconds)} of a 1-second trial.`,
    ],
  };
}

function progressSection(results: BenchResults): Section {
  const cost = results.progress;
  return {
    title: 'Progress reporting overhead',
    headers: ['send µs/report', 'round trip µs/report', 'interval check ns/step', 'step ms', `overhead at ${REPORTS_PER_SECOND} reports/s`],
    rows: [[
      (cost.sendSeconds * 1e6).toFixed(2),
      (cost.roundTripSeconds * 1e6).toFixed(2),
      (cost.intervalCheckSeconds * 1e9).toFixed(1),
      milliseconds(cost.stepSeconds),
      percent(cost.overheadFraction),
    ]],
    notes: [
      `gansweep has no switch that turns reporting off, and 4 reports/s cost less than the noise of a whole trial, so the report path is timed directly: ${cost.bursts} bursts of ${cost.reportsPerBurst} comlink report calls over a MessageChannel, medians per report. "Send" is the synchronous call that runs inside the training loop. "Round trip" lasts until the last reply is handled, with both ends of the channel in one thread, so it also counts the coordinator's side.`,
      `The interval check is the performance.now() call the worker makes after every step, and the step is the fused engine's on its native kernels at L 8, H 32, B 256 from the step table.`,
      `Overhead = ${REPORTS_PER_SECOND} × (round trip) + (interval check) ÷ (step); target ≤ ${percent(TARGETS.progressOverhead)}: ${verdict(cost.overheadFraction <= TARGETS.progressOverhead)}.`,
    ],
  };
}

function memorySection(results: BenchResults): Section {
  const { samples, firstWorkerBytes, perWorkerBytes } = results.memory;
  return {
    title: 'Resident memory of idle workers',
    headers: ['worker threads', 'process RSS MB', 'engine/backend of their trial'],
    rows: samples.map((sample) => [String(sample.workers), megabytes(sample.rssBytes), sample.engines.join(', ') || '—']),
    notes: [
      'Each count runs in a fresh process (dist/bench/idleWorkers.js): a piscina pool of that many threads, one one-step trial on each, then 1 s idle before the RSS is read.',
      `The first worker adds ${megabytes(firstWorkerBytes)} MB, and (RSS with 2 − RSS with 0) / 2 = ${megabytes(perWorkerBytes)} MB per worker.`,
    ],
  };
}

export function buildSections(results: BenchResults): Section[] {
  const sections = [
    stepSection(results),
    peakSection(results),
    throughputSection(results),
    coordinatorSection(results),
    progressSection(results),
    memorySection(results),
  ];
  return sections.filter((section): section is Section => section !== null);
}

/** Formats a table as space-aligned columns for a terminal. */
export function textTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function markdownTable(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export function renderText(results: BenchResults, sections: Section[]): string {
  const parts = [`gansweep benchmark, ${results.date}, ${results.machine.cores} cores, ${results.machine.cpuModel}, Node ${results.machine.nodeVersion}`];
  for (const section of sections) {
    parts.push(`\n${section.title}\n${textTable(section.headers, section.rows)}`);
    for (const note of section.notes) parts.push(`  ${note}`);
  }
  parts.push(`\nfinished in ${results.seconds.toFixed(0)} s`);
  return parts.join('\n');
}

export function renderMarkdown(results: BenchResults, sections: Section[], commands: string[]): string {
  const { machine } = results;
  const torch = results.pytorch.available ? results.pytorch.results.torchVersion : 'unavailable';
  const lines = [
    '# Benchmarks',
    '',
    'This page is written by `npm run bench`, which measures every figure below in one run. The',
    'machine is shared and has few cores, so single timings are noisy. The figures to compare are',
    'the ratios, each taken against a peer measured in the same run. No test asserts these timings.',
    '',
    '## Run',
    '',
    `- Date: ${results.date}`,
    `- Machine: ${machine.cores} cores, ${machine.cpuModel} (the model name in /proc/cpuinfo), Node ${machine.nodeVersion}, torch ${torch}`,
    `- 1-minute load average: ${machine.loadAtStart.toFixed(2)} at the start, ${results.loadAtEnd.toFixed(2)} at the end`,
    `- Duration: ${results.seconds.toFixed(0)} s`,
    '- Commands:',
    ...commands.map((command) => `  - \`${command}\``),
  ];
  if (results.pytorch.available && results.pytorch.installNote !== null) lines.push(`- Note: ${results.pytorch.installNote}`);

  for (const section of sections) {
    lines.push('', `## ${section.title}`, '', markdownTable(section.headers, section.rows), '');
    for (const note of section.notes) lines.push(`- ${note}`);
  }

  lines.push('', '## Targets', '', markdownTable(['target', 'measured', 'verdict'], [...stepTargetRows(results), ...targetRows(results)]), '');
  lines.push(
    'The machine ceiling is the scaling efficiency of two plain threads running only engine steps in the same run (see Sweep throughput). A sweep efficiency close to or above it suggests that the machine, not gansweep, kept the efficiency below 1.',
    '',
  );
  return lines.join('\n');
}

/** Largest step time of the fused engine, on either build of its kernels, as a fraction of PyTorch's. */
const STEP_TIME_TARGET = 0.5;

function stepTargetRows(results: BenchResults): string[][] {
  const rows: string[][] = [];
  for (const size of results.sizes) {
    for (const engine of ['fused native', 'fused wasm'] as const) {
      const fused = results.engineSteps.find((candidate) => candidate.size === size && candidate.engine === engine)?.timing;
      if (fused === undefined || fused === null) continue;
      for (const [label, peer] of [['PyTorch', results.pytorch], ['PyTorch (OpenBLAS)', results.pytorchOpenBlas]] as const) {
        const torch = pytorchStep(results, size, peer);
        if (torch === null) continue;
        const ratio = fused.medianSeconds / torch.medianSeconds;
        rows.push([`${engine} step ≤ ${STEP_TIME_TARGET}× ${label} at ${sizeLabel(size)}`, ratio.toFixed(2), verdict(ratio <= STEP_TIME_TARGET)]);
      }
    }
  }
  return rows;
}

function targetRows(results: BenchResults): string[][] {
  const rows = results.throughput.flatMap(({ steps, runs }) =>
    ([
      ['steady state', (run: SweepRun) => run.steadySecondsPerTrial * run.trials],
      ['wall time', (run: SweepRun) => run.wallSeconds],
    ] as const).map(([label, seconds]) => {
      const efficiency = scalingEfficiency(runs, seconds);
      return [
        `scaling efficiency ≥ ${TARGETS.scalingEfficiency} (${steps}-step trials, ${label})`,
        `${efficiency.toFixed(3)} (machine ceiling ${results.ceiling.efficiency.toFixed(3)})`,
        verdict(efficiency >= TARGETS.scalingEfficiency),
      ];
    }),
  );
  const coordinator = results.coordinator.perTrialSeconds;
  rows.push([`coordinator overhead ≤ ${percent(TARGETS.coordinatorOverhead)} of a 1-second trial`, percent(coordinator), verdict(coordinator <= TARGETS.coordinatorOverhead)]);
  const progress = results.progress.overheadFraction;
  rows.push([`progress reporting ≤ ${percent(TARGETS.progressOverhead)} of training time`, percent(progress), verdict(progress <= TARGETS.progressOverhead)]);
  return rows;
}
