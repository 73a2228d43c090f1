#!/usr/bin/env node
/**
 * Builds the fused engine's native addon (build/Release/gansweep_fused.node) with node-gyp.
 *
 * `npm ci` and `npm install` run it as the package's install script. A failed build must
 * not fail the installation, because the fused engine can run on its WebAssembly kernels:
 * the script then prints why and exits 0. `npm run build:native` runs it with --strict,
 * which shows the compiler's output and exits with node-gyp's status.
 *
 * node-gyp comes with npm. npm passes its path in npm_config_node_gyp and its settings
 * (such as nodedir, the Node.js headers to build against) as npm_config_* variables.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const strict = process.argv.includes('--strict');

function nodeGypScript() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((candidate) => candidate !== undefined && existsSync(candidate)) ?? null;
}

const script = nodeGypScript();
if (script === null) {
  process.stderr.write(
    'gansweep: node-gyp was not found, so the native fused kernels were not built; the fused engine will use its ' +
      'WebAssembly kernels. Run "npm run build:native" from npm to build them.\n',
  );
  process.exit(strict ? 1 : 0);
}

const result = spawnSync(process.execPath, [script, 'rebuild'], {
  cwd: root,
  stdio: strict ? 'inherit' : 'pipe',
  encoding: 'utf8',
});

if (result.status === 0) {
  process.stdout.write(`gansweep: built the native fused kernels (${join('build', 'Release', 'gansweep_fused.node')})\n`);
  process.exit(0);
}

if (strict) process.exit(result.status ?? 1);
const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n');
const reason = result.error?.message ?? output.filter((line) => /error|not found|no such file/i.test(line)).slice(0, 6).join('\n');
process.stderr.write(
  `gansweep: the native fused kernels did not build, so the fused engine will use its WebAssembly kernels, which are slower.\n` +
    `${reason}\n` +
    'Run "npm run build:native" to see the whole compiler output. The build needs a C compiler, make and python3.\n',
);
process.exit(0);
