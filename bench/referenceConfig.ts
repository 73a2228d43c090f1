/** The reference hyperparameters at a benchmark size, shared by the step benchmarks. */
import { parseSweep } from '../src/config/index.js';
import type { Hyperparameters } from '../src/shared/types.js';
import type { StepSize } from './flops.js';

/** Resolves the reference hyperparameters (every default) at one benchmark size. */
export function referenceConfig(size: StepSize): Hyperparameters {
  const sweep = parseSweep(
    `name: bench-step\ngrid: {latent_dim: ${size.latent}, g_hidden: ${size.hidden}, d_hidden: ${size.hidden}, batch_size: ${size.batch}}\nseeds: 1\n`,
    'bench-step.yaml',
  );
  return sweep.configs[0].config;
}
