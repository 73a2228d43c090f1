/** The machine a benchmark ran on, recorded next to its numbers. */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

export interface MachineInfo {
  cores: number;
  /** The first "model name" line of /proc/cpuinfo, or "unknown" where that file is missing. */
  cpuModel: string;
  nodeVersion: string;
  /** 1-minute load average when the benchmark started, a hint of other work on the machine. */
  loadAtStart: number;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((text) => text.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? 'unknown';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'unknown';
    throw error;
  }
}

export function describeMachine(): MachineInfo {
  return { cores: availableParallelism(), cpuModel: cpuModel(), nodeVersion: process.version, loadAtStart: loadavg()[0] };
}
