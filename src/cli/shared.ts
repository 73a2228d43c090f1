/** Pieces shared by the command modules: exit codes, streams and argument checks. */
import { existsSync, readFileSync } from 'node:fs';

/** Process exit codes. */
export const EXIT = {
  ok: 0,
  /**
   * Some trials failed, diverged or timed out, or the sweep stopped before running every
   * trial (time budget, systematic failure), or it failed with an unexpected error.
   */
  trialsFailed: 1,
  /** Invalid command line, grid file or store; nothing was trained. */
  invalidInput: 2,
  /** Stopped by SIGINT or SIGTERM; unfinished trials run when the sweep is run again. */
  interrupted: 130,
} as const;

export interface CliStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** A command-line problem: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

export function parsePositiveInteger(option: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`${option} must be a positive integer, received "${text}"`);
  }
  return value;
}

export function parseNonNegativeInteger(option: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new UsageError(`${option} must be a whole number ≥ 0, received "${text}"`);
  }
  return value;
}

const DURATION_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600 };

/** Parses a duration such as `90`, `90s`, `15m` or `8h` into seconds; 0 means no limit. */
export function parseDuration(option: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (match === null) {
    throw new UsageError(`${option} must be a duration such as 90, 90s, 15m or 8h (0 for no limit), received "${text}"`);
  }
  return Number(match[1]) * DURATION_UNITS[match[2] ?? ''];
}

/** Returns the single positional argument of a command, or raises a usage error. */
export function singleArgument(command: string, what: string, example: string, positionals: string[]): string {
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? `${command} needs ${what}, for example: gansweep ${command} ${example}`
        : `${command} takes exactly one argument (${what}), received ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  return positionals[0];
}

/** Reads gansweep's version from its package.json, from the sources or from dist/. */
export function readVersion(): string {
  for (const candidate of [new URL('../../package.json', import.meta.url), new URL('../../../package.json', import.meta.url)]) {
    if (existsSync(candidate)) {
      const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === 'gansweep') return parsed.version ?? 'unknown';
    }
  }
  return 'unknown';
}
