/**
 * Entry point of a piscina worker thread: trains one trial per task and returns its
 * outcome as plain data. A failure inside the trial becomes a `failed` outcome with the
 * error's code and message, because Error objects lose their custom fields when they cross
 * the thread boundary.
 */
import * as Comlink from 'comlink';

import { nodeEndpoint } from '../src/shared/comlinkNode.js';
import { deriveSeed, Rng, STREAM } from '../src/shared/rng.js';
import {
  GS_TRIAL_SETUP_ERROR,
  type BackendName,
  type EngineName,
  type ProgressSink,
  type TrialOutcome,
  type TrialTask,
  type WorkerMemory,
} from '../src/shared/types.js';
import { createEngine, resetEngines, type EngineSelection } from './engines.js';
import { injectedFault } from './faults.js';
import { saveTrialGenerator } from './generatorFiles.js';
import { trainGan } from './trainLoop.js';


/** Upper bound on the wait for the coordinator to acknowledge the last progress report. */
const FINAL_REPORT_TIMEOUT_MS = 1000;

type TrialResultFields = Pick<TrialOutcome, 'status' | 'metrics' | 'error'>;

export default async function runTrialTask(task: TrialTask): Promise<TrialOutcome> {
  const { spec } = task;
  const started = performance.now();
  const sink = Comlink.wrap<ProgressSink>(nodeEndpoint(task.progressPort));
  const stopFlag = new Int32Array(task.stopFlag);
  const fault = injectedFault(spec.trialId, task.attempt);
  let backend: BackendName | null = null;
  let engineName: EngineName | null = null;
  let stepsDone = 0;
  let lastLosses = { dLoss: Number.NaN, gLoss: Number.NaN };
  let selection: EngineSelection | null = null;

  const train = async (): Promise<TrialResultFields> => {
    const stopFlags = [stopFlag, new Int32Array(task.abortFlag)];
    const created = await createEngine(spec.engine, spec.backend, spec.config, new Rng(deriveSeed(spec.seed, STREAM.init)), stopFlags);
    selection = created;
    const { engine } = created;
    engineName = created.name;
    backend = engine.backend;
    for (const notice of created.notices) void sink.notice(spec.trialId, notice);
    let lastReport = 0;
    try {
      const result = trainGan(spec, new Float32Array(task.realPool), engine, {
        onStep(step, dLoss, gLoss) {
          stepsDone = step;
          lastLosses = { dLoss, gLoss };
          fault?.atStep(step);
          const now = performance.now();
          if (now - lastReport < task.progressIntervalMs) return;
          lastReport = now;
          void sink.report({ trialId: spec.trialId, step, steps: spec.config.steps, dLoss, gLoss });
        },
        shouldStop: () => Atomics.load(stopFlag, 0) !== 0,
      });

      if (result.interrupted === true) {
        return {
          status: 'interrupted',
          metrics: null,
          error: { code: 'GS_TRIAL_INTERRUPTED', message: `the sweep was stopped at step ${result.stepsDone}` },
        };
      }
      // A diverged generator is not worth sampling from, so only finished trials are saved.
      if (!result.diverged && spec.artifactDirectory) {
        saveTrialGenerator(spec, spec.artifactDirectory, engine.exportGenerator());
      }
      return {
        status: result.diverged ? 'diverged' : 'done',
        metrics: result.metrics,
        error: result.diverged
          ? { code: 'GS_TRIAL_DIVERGED', message: `a loss or a generated sample became NaN or Inf at step ${result.stepsDone}` }
          : null,
      };
    } finally {
      engine.dispose();
    }
  };

  let fields: TrialResultFields;
  try {
    fields = await train();
  } catch (error) {
    fields = {
      status: 'failed',
      metrics: null,
      error: {
        // Before the first step nothing depends on the configuration's training, so the
        // cause is most likely the environment, and a resumed sweep runs the trial again.
        code: stepsDone === 0 && errorCode(error) === 'GS_TRIAL_ERROR' ? GS_TRIAL_SETUP_ERROR : errorCode(error),
        message: error instanceof Error ? error.message : String(error),
        stack: error instanceof Error ? error.stack : undefined,
      },
    };
  }

  try {
    // Awaiting the last report guarantees that the coordinator has handled every earlier
    // message on the port before the task resolves and the port closes.
    if (stepsDone > 0) {
      const report = sink.report({ trialId: spec.trialId, step: stepsDone, steps: spec.config.steps, ...lastLosses });
      await Promise.race([report, new Promise((resolve) => setTimeout(resolve, FINAL_REPORT_TIMEOUT_MS).unref())]);
    }
  } finally {
    task.progressPort.close();
  }

  // TypeScript does not see the assignment inside train(), so it would narrow this to null.
  const engineUsed = selection as EngineSelection | null;
  const outcome: TrialOutcome = {
    trialId: spec.trialId,
    configId: spec.configId,
    seed: spec.seed,
    ...fields,
    backend,
    engine: engineName,
    durationMs: performance.now() - started,
    stepsDone,
    // Measured after the engine released everything, so a leak shows as tensors > tensorsBefore.
    workerMemory:
      engineUsed === null
        ? null
        : {
            tensorsBefore: engineUsed.tensorsBefore,
            tensors: engineUsed.countTensors(),
            heapUsedBytes: process.memoryUsage().heapUsed,
            rssBytes: process.memoryUsage.rss(),
          },
  };

  if (outcome.status === 'failed') {
    // An error can leave either engine's WebAssembly memory broken, and the next trial on
    // this thread must not inherit it. Native kernels get new memory for every trial.
    await resetEngines();
  }
  return outcome;
}

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return 'GS_TRIAL_ERROR';
}
