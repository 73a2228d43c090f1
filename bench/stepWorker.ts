/**
 * Worker thread of the parallel-ceiling benchmark: times `steps` training steps of the
 * fused engine on its native kernels at L 8, H 32, B 256 on fixed inputs and posts the
 * seconds to its parent. It loads nothing of the coordinator, so two of them at once show
 * how well the machine itself runs two busy threads.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { Rng } from '../src/shared/rng.js';
import { FusedGanEngine } from '../workers/fused/engine.js';
import { nativeKernels } from '../workers/fused/kernels.js';
import { referenceConfig } from './referenceConfig.js';

const { steps, start } = workerData as { steps: number; start: SharedArrayBuffer };
const size = { latent: 8, hidden: 32, batch: 256 };
const engine = new FusedGanEngine(referenceConfig(size), new Rng(1), nativeKernels());
const inputs = new Rng(2);
const real = inputs.fillNormal(new Float32Array(size.batch));
const noise = inputs.fillNormal(new Float32Array(size.batch * size.latent));

// Report readiness, then wait for the parent's start signal, so that concurrent workers
// start their loops together instead of one starting while the other still loads modules.
parentPort!.postMessage('ready');
Atomics.wait(new Int32Array(start), 0, 0);

const started = performance.now();
for (let step = 0; step < steps; step++) {
  engine.discriminatorStep(real, noise);
  engine.generatorStep(noise);
}
parentPort!.postMessage((performance.now() - started) / 1000);
