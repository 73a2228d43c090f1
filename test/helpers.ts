/** Shared helpers of the end-to-end tests: temporary directories and in-process CLI runs. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';

import { main } from '../src/cli/main.js';
import { SweepStore, type StoredTrial } from '../src/store/sweepStore.js';

/** Creates a new empty directory under the system temp folder. */
export function temporaryDirectory(prefix = 'gansweep-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a grid file into `directory` and returns its path. */
export function writeGrid(directory: string, name: string, yaml: string): string {
  const path = join(directory, `${name}.yaml`);
  writeFileSync(path, yaml);
  return path;
}

/** A writable stream that keeps everything written to it. */
class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the gansweep CLI in this process with captured output. */
export async function runCli(args: string[]): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(args, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Parses a JSON Lines file. */
export function readJsonLines<T = Record<string, unknown>>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as T);
}

/** Reads every trial of a sweep directory's store. */
export function storedTrials(sweepDirectory: string): StoredTrial[] {
  const store = SweepStore.open(join(sweepDirectory, 'sweep.db'), { readonly: true });
  try {
    return store.trials();
  } finally {
    store.close();
  }
}

const BIN = fileURLToPath(new URL('../bin/gansweep.js', import.meta.url));

/**
 * Runs the gansweep CLI in a child process with extra environment variables. Tests that
 * make worker threads crash or be terminated use it, so that a runtime failure during
 * worker termination ends the child and not the test runner.
 */
export function runCliProcess(args: string[], environment: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...environment } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal === null ? -1 : 128), stdout, stderr }));
  });
}
