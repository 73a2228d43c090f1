import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';

import type { TrialOutcome, TrialSpec } from '../shared/types.js';
import { ProgressDisplay, trialWork } from './progress.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

const SPEC = {
  trialId: 'c1-s0', configId: 'c1', seed: 0,
  config: { latent_dim: 8, g_hidden: 32, d_hidden: 32, lr_g: 0.001, lr_d: 0.001, beta1: 0.5, beta2: 0.999, batch_size: 256, steps: 100, d_steps: 1 },
} as TrialSpec;

const DONE = { trialId: 'c1-s0', configId: 'c1', seed: 0, status: 'done', metrics: { w1: 0.25 }, error: null, durationMs: 65_000 } as unknown as TrialOutcome;

function display(interactive: boolean, clock: { now: number }) {
  const stream = new Capture();
  const progress = new ProgressDisplay({ stream, totalTrials: 2, totalSteps: 2 * trialWork(SPEC), interactive, now: () => clock.now });
  return { stream, progress };
}

describe('trialWork', () => {
  it('counts discriminator and generator updates', () => {
    expect(trialWork({ ...SPEC, config: { ...SPEC.config, d_steps: 3 } })).toBe(400);
  });
});

describe('ProgressDisplay', () => {
  it('writes plain lines without escape codes off a terminal', () => {
    const clock = { now: 0 };
    const { stream, progress } = display(false, clock);
    progress.trialStarted(SPEC);
    clock.now = 11_000;
    progress.trialProgress({ trialId: 'c1-s0', step: 50, steps: 100, dLoss: 0.69, gLoss: 0.7 });
    progress.trialFinished(DONE, SPEC);

    expect(stream.text).not.toContain('\x1b[');
    expect(stream.text).toContain('start  c1-s0');
    // 100 of 400 work units in 11 s leaves 300 units: 33 s.
    expect(stream.text).toContain('trials 0/2 done, 1 running, elapsed 11s, ETA 33s');
    expect(stream.text).toContain('c1-s0  step 50/100  D 0.690  G 0.700');
    expect(stream.text).toContain('done     c1-s0 W1 0.2500 in 1m05s [1/2]');
  });

  it('prints a repeated notice once', () => {
    const { stream, progress } = display(false, { now: 0 });
    progress.trialNotice('a', 'using the wasm backend');
    progress.trialNotice('b', 'using the wasm backend');
    expect(stream.text.match(/using the wasm backend/g)).toHaveLength(1);
  });

  it('redraws the live block in place on a terminal', () => {
    const clock = { now: 0 };
    const { stream, progress } = display(true, clock);
    progress.trialStarted(SPEC);
    clock.now = 1000;
    progress.trialProgress({ trialId: 'c1-s0', step: 10, steps: 100, dLoss: 0.6, gLoss: 0.8 });
    progress.finish();

    // Cursor-up over the two-line block (summary and one running trial), then erase.
    expect(stream.text).toContain('\x1b[2A\x1b[0J');
    expect(stream.text).toContain('step 10/100');
  });

  it('counts only the trials a resumed run trains', () => {
    const { stream, progress } = display(false, { now: 0 });
    progress.sweepPlanned([SPEC]);
    progress.trialStarted(SPEC);
    progress.trialFinished(DONE, SPEC);
    expect(stream.text).toContain('[1/1]');
  });

  it('does not count an interrupted trial as finished', () => {
    const { stream, progress } = display(false, { now: 0 });
    progress.trialStarted(SPEC);
    progress.trialFinished({ ...DONE, status: 'interrupted', metrics: null } as TrialOutcome, SPEC);
    expect(stream.text).toContain('[0/2]');
  });
});
