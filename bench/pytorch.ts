/**
 * Runs bench/torch_step.py with Debian's Python, which is where Debian's python3-torch is
 * installed (a pyenv or virtualenv python3 on PATH may not see it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { StepSize } from './flops.js';
import type { Timing, TimingOptions } from './timing.js';

export const SYSTEM_PYTHON = '/usr/bin/python3';

/** Seconds the Python script may run before it is stopped. */
const SCRIPT_TIMEOUT_SECONDS = 180;
/** Seconds apt-get may take to install python3-torch and its dependencies. */
const INSTALL_TIMEOUT_SECONDS = 600;

export interface PyTorchStep extends Timing {
  latent: number;
  hidden: number;
  batch: number;
}

export interface MatmulTiming extends Timing {
  size: number;
  gflops: number;
}

/** Output of bench/torch_step.py, parsed from the JSON it prints. */
export interface PyTorchResults {
  torchVersion: string;
  threads: number;
  /** Resolved paths of the BLAS libraries torch loaded. */
  blasLibraries: string[];
  steps: PyTorchStep[];
  /** torch.mm through the linked BLAS. */
  matmul: MatmulTiming;
  /** The same product through oneDNN, or null when torch was built without it. */
  onednnMatmul: MatmulTiming | null;
}

export type PyTorchOutcome =
  | { available: true; command: string; results: PyTorchResults; installNote: string | null }
  | { available: false; reason: string };

function torchImports(): boolean {
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
  return probe.status === 0;
}

/**
 * Installs Debian's python3-torch with apt-get. Returns null on success, else the reason.
 * It only runs as root, since apt-get needs it and sudo could prompt for a password.
 */
function installTorch(log: (line: string) => void): string | null {
  if (process.getuid?.() !== 0) return 'import torch failed and the benchmark is not running as root, so it cannot run apt-get';
  log('import torch failed; installing python3-torch with apt-get');
  const install = spawnSync(
    'sh',
    ['-c', 'apt-get update && apt-get install -y --no-install-recommends python3-torch'],
    { stdio: ['ignore', 'inherit', 'inherit'], timeout: INSTALL_TIMEOUT_SECONDS * 1000 },
  );
  if (install.status !== 0) return `apt-get install python3-torch failed (exit ${install.status ?? install.signal})`;
  return torchImports() ? null : 'python3-torch installed, but import torch still fails';
}

/** Directory of Debian's OpenBLAS build of libblas.so.3 (package libopenblas0-pthread). */
export const OPENBLAS_DIRECTORY = '/usr/lib/x86_64-linux-gnu/openblas-pthread';

/**
 * Times the same PyTorch script with OpenBLAS, which python3-torch uses when
 * libopenblas0-pthread is installed. LD_LIBRARY_PATH makes this one process load it,
 * whatever BLAS the system's alternatives select, so both peers are timed in one run.
 */
export function runPyTorchWithOpenBlas(root: string, sizes: StepSize[], timing: TimingOptions): PyTorchOutcome {
  if (!existsSync(join(OPENBLAS_DIRECTORY, 'libblas.so.3'))) {
    return { available: false, reason: 'libopenblas0-pthread is not installed (apt-get install libopenblas0-pthread adds this peer)' };
  }
  if (!torchImports()) return { available: false, reason: 'import torch failed' };
  return runScript(root, sizes, timing, null, { LD_LIBRARY_PATH: OPENBLAS_DIRECTORY });
}

/** Times the PyTorch step and the matrix products, and installs python3-torch first when it is missing. */
export function runPyTorch(root: string, sizes: StepSize[], timing: TimingOptions, log: (line: string) => void): PyTorchOutcome {
  let installNote: string | null = null;
  if (!torchImports()) {
    const failure = installTorch(log);
    if (failure !== null) return { available: false, reason: failure };
    installNote = 'python3-torch was installed by this run';
  }
  return runScript(root, sizes, timing, installNote, {});
}

function runScript(
  root: string,
  sizes: StepSize[],
  timing: TimingOptions,
  installNote: string | null,
  environment: Record<string, string>,
): PyTorchOutcome {
  const args = [
    join(root, 'bench', 'torch_step.py'),
    '--sizes', ...sizes.map(({ latent, hidden, batch }) => `${latent},${hidden},${batch}`),
    '--repeats', String(timing.repeats),
    '--repeat-seconds', String(timing.repeatSeconds),
    '--warmup-seconds', String(timing.warmupSeconds),
  ];
  // torch.set_num_threads(1) limits torch's own threads but not OpenBLAS's, which would
  // use both cores for a large product; these variables keep every library on one thread.
  const oneThread = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', ...environment };
  const run = spawnSync(SYSTEM_PYTHON, args, {
    encoding: 'utf8',
    timeout: SCRIPT_TIMEOUT_SECONDS * 1000,
    env: { ...process.env, ...oneThread },
  });
  if (run.status !== 0) {
    const lastLine = run.stderr.trim().split('\n').pop() ?? '';
    return { available: false, reason: `bench/torch_step.py failed (exit ${run.status ?? run.signal}): ${lastLine}` };
  }
  const prefix = Object.entries(oneThread).map(([name, value]) => `${name}=${value} `).join('');
  const command = prefix + [SYSTEM_PYTHON, ...args.map((arg) => arg.replace(`${root}/`, ''))].join(' ');
  return { available: true, command, results: JSON.parse(run.stdout) as PyTorchResults, installNote };
}
