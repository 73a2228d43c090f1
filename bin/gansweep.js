#!/usr/bin/env node
// Runs the compiled command line; `npm run build` produces dist/.
import { main } from '../dist/src/cli/main.js';

// A closed pipe (`gansweep run … 2>&1 | head`) must not end a sweep: output to it is dropped.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
