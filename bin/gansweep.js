#!/usr/bin/env node
// Runs the compiled command line; `npm run build` produces dist/.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
