/**
 * The sweep's event log, `sweep.log` in the sweep directory: one timestamped line per
 * start, finish, retry, timeout, interruption and error, with the trial id, and one per
 * distinct notice from the workers (a fallback to another engine or backend, say). Lines are
 * appended synchronously so that a crash loses at most the line being written.
 */
import { appendFileSync } from 'node:fs';

export class SweepLog {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  write(event: string, message: string): void {
    appendFileSync(this.path, `${new Date().toISOString()}  ${event.padEnd(11)} ${message.replace(/\n/g, ' ')}\n`);
  }
}
