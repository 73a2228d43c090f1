/** Resident memory of the process with 0, 1 and 2 idle worker threads, each count in a fresh process. */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Seconds one child process may take. */
const CHILD_TIMEOUT_SECONDS = 120;

export interface IdleWorkersRss {
  workers: number;
  rssBytes: number;
  /** Engine and backend of the trial each thread ran, such as "fused/wasm". */
  engines: string[];
}

export interface ResidentMemory {
  samples: IdleWorkersRss[];
  /** RSS(1 worker) − RSS(0 workers), in bytes. */
  firstWorkerBytes: number;
  /** (RSS(2 workers) − RSS(0 workers)) / 2, in bytes. */
  perWorkerBytes: number;
}

export function measureResidentMemory(): ResidentMemory {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'idleWorkers.js');
  const samples = [0, 1, 2].map((workers): IdleWorkersRss => {
    const child = spawnSync(process.execPath, [script, String(workers)], { encoding: 'utf8', timeout: CHILD_TIMEOUT_SECONDS * 1000 });
    if (child.status !== 0) {
      throw new Error(`idleWorkers.js ${workers} failed (exit ${child.status ?? child.signal}): ${child.stderr.trim().split('\n').pop()}`);
    }
    return JSON.parse(child.stdout) as IdleWorkersRss;
  });
  const [none, one, two] = samples;
  return {
    samples,
    firstWorkerBytes: one.rssBytes - none.rssBytes,
    perWorkerBytes: (two.rssBytes - none.rssBytes) / 2,
  };
}
