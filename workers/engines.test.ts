import { afterEach, describe, expect, it } from 'vitest';

import { Rng } from '../src/shared/rng.js';
import type { Hyperparameters } from '../src/shared/types.js';
import { createEngine } from './engines.js';
import { useNativeAddonPath } from './fused/kernels.js';

const CONFIG: Hyperparameters = {
  latent_dim: 4, g_hidden: 8, d_hidden: 8, lr_g: 0.001, lr_d: 0.001,
  beta1: 0.5, beta2: 0.999, batch_size: 32, steps: 10, d_steps: 1,
};

describe('createEngine', () => {
  afterEach(() => useNativeAddonPath(null));

  it('takes the fused engine on its native kernels by default', async () => {
    const { name, notices, engine } = await createEngine('auto', 'auto', CONFIG, new Rng(1));
    engine.dispose();
    expect(name).toBe('fused');
    expect(engine.backend).toBe('native');
    expect(notices).toEqual([]);
  });

  it('takes the fused engine on WebAssembly when asked for wasm', async () => {
    const { name, notices, engine } = await createEngine('fused', 'wasm', CONFIG, new Rng(1));
    engine.dispose();
    expect(name).toBe('fused');
    expect(engine.backend).toBe('wasm');
    expect(notices).toEqual([]);
  });

  it('falls back to wasm without the addon', async () => {
    useNativeAddonPath('/nonexistent/gansweep_fused.node');
    const { name, notices, engine } = await createEngine('auto', 'native', CONFIG, new Rng(1));
    engine.dispose();
    expect(name).toBe('fused');
    expect(engine.backend).toBe('wasm');
    expect(notices.join('\n')).toMatch(
      /native kernels are not available \(\/nonexistent\/gansweep_fused\.node was not built\); using its WebAssembly kernels.*npm run build:native/,
    );
  });

  it('takes tfjs when a tfjs backend is named', async () => {
    const { name, engine } = await createEngine('auto', 'cpu', CONFIG, new Rng(1));
    engine.dispose();
    expect(name).toBe('tfjs');
    expect(engine.backend).toBe('cpu');
  });

  it('falls back to tfjs for a configuration too large', async () => {
    // 3 million rows of activations need more than the fused engine's 1 GiB.
    const { name, notices, engine } = await createEngine('fused', 'wasm', { ...CONFIG, batch_size: 3_000_000 }, new Rng(1));
    engine.dispose();
    expect(name).toBe('tfjs');
    expect(notices.join('\n')).toMatch(/the fused engine cannot run this configuration \(the configuration needs about \d+ MiB/);
  });
});
