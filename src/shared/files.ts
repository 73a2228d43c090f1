/** File-system helpers shared by the coordinator and the workers. */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates `directory` and its missing parents, one level at a time. `mkdirSync` with
 * `recursive: true` never returns for some paths on Linux, such as /proc/x (seen with
 * Node.js 20.20), where this throws ENOENT at once. A level that another process creates
 * meanwhile is accepted.
 */
export function createDirectories(directory: string): void {
  const missing: string[] = [];
  for (let current = resolve(directory); !existsSync(current); current = dirname(current)) {
    missing.push(current);
    if (dirname(current) === current) break;
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
