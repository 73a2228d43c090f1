#!/usr/bin/env node
// Runs the compiled command line; `npm run build` produces dist/.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('gansweep: the compiled command line (dist/) is missing; run "npm run build" first\n');
  process.exit(2);
}
const { main } = await import(entry.href);

// A closed pipe (`gansweep run … 2>&1 | head`) must not end a sweep: output to it is dropped.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
