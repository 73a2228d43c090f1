import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { temporaryDirectory } from '../../test/helpers.js';
import { createDirectories } from './files.js';

describe('createDirectories', () => {
  it('creates missing parents', () => {
    const directory = join(temporaryDirectory(), 'a', 'b', 'c');
    createDirectories(directory);
    expect(statSync(directory).isDirectory()).toBe(true);
  });

  it('accepts an existing directory', () => {
    const directory = temporaryDirectory();
    createDirectories(directory);
    expect(existsSync(directory)).toBe(true);
  });

  it.runIf(process.platform === 'linux')('fails at once under /proc', () => {
    // mkdirSync(path, { recursive: true }) never returns for this path on Node.js 20.
    expect(() => createDirectories('/proc/gansweep-test/runs')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
