/**
 * Progress of a running sweep on stderr: trials done out of total, every running trial
 * with its step and losses, and an ETA. On a terminal the block is redrawn in place; on
 * anything else (a file, a pipe, CI) it becomes plain log lines.
 */
import type { ProgressReport, TrialOutcome, TrialSpec } from '../shared/types.js';

/** Events the sweep loop reports; the display and tests implement it. */
export interface SweepObserver {
  /** Called once before training with the trials this run will train (a resume skips finished ones). */
  sweepPlanned?(pending: TrialSpec[]): void;
  trialStarted(spec: TrialSpec): void;
  trialProgress(report: ProgressReport): void;
  trialNotice(trialId: string, message: string): void;
  trialFinished(outcome: TrialOutcome, spec: TrialSpec): void;
}

/** Minimum milliseconds between two redraws on a terminal. */
const REDRAW_INTERVAL_MS = 100;
/** Milliseconds between two summary lines when stderr is not a terminal. */
const PLAIN_SUMMARY_INTERVAL_MS = 10_000;

/** Work of a trial for the ETA: every step runs d_steps discriminator updates and one generator update. */
export function trialWork(spec: TrialSpec): number {
  return spec.config.steps * (spec.config.d_steps + 1);
}

interface RunningTrial {
  spec: TrialSpec;
  step: number;
  dLoss: number;
  gLoss: number;
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

function formatLoss(value: number): string {
  return Number.isFinite(value) ? value.toFixed(3) : String(value);
}

export interface ProgressDisplayOptions {
  stream: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Total number of trials and the sum of their trialWork, for the ETA. */
  totalTrials: number;
  totalSteps: number;
  /** Redraw in place; defaults to whether the stream is a terminal. */
  interactive?: boolean;
  now?: () => number;
}

export class ProgressDisplay implements SweepObserver {
  private readonly stream: NodeJS.WritableStream;
  private readonly interactive: boolean;
  private readonly now: () => number;
  private readonly started: number;
  private readonly running = new Map<string, RunningTrial>();
  private readonly notices = new Set<string>();
  private totalTrials: number;
  private totalSteps: number;
  private finishedTrials = 0;
  private finishedSteps = 0;
  private drawnLines = 0;
  private lastDraw = 0;
  private lastSummary: number;
  private firstStart: number | null = null;

  constructor(options: ProgressDisplayOptions) {
    this.stream = options.stream;
    this.interactive = options.interactive ?? ((options.stream as NodeJS.WriteStream).isTTY === true);
    this.now = options.now ?? Date.now;
    this.started = this.now();
    this.lastSummary = this.started;
    this.totalTrials = options.totalTrials;
    this.totalSteps = options.totalSteps;
  }

  sweepPlanned(pending: TrialSpec[]): void {
    this.totalTrials = pending.length;
    this.totalSteps = pending.reduce((sum, spec) => sum + trialWork(spec), 0);
  }

  trialStarted(spec: TrialSpec): void {
    // The ETA counts from the first trial, so drawing the real-sample pool does not skew it.
    if (this.firstStart === null) this.firstStart = this.now();
    this.running.set(spec.trialId, { spec, step: 0, dLoss: Number.NaN, gLoss: Number.NaN });
    if (!this.interactive) this.log(`start  ${spec.trialId}`);
    this.redraw(true);
  }

  trialProgress(report: ProgressReport): void {
    const trial = this.running.get(report.trialId);
    if (trial === undefined) return;
    trial.step = report.step;
    trial.dLoss = report.dLoss;
    trial.gLoss = report.gLoss;
    if (this.interactive) {
      this.redraw(false);
    } else if (this.now() - this.lastSummary >= PLAIN_SUMMARY_INTERVAL_MS) {
      this.lastSummary = this.now();
      this.log(this.summaryLine());
      for (const line of this.runningLines()) this.log(line);
    }
  }

  trialNotice(trialId: string, message: string): void {
    // The same notice from every worker (a backend fallback, say) is shown once.
    if (this.notices.has(message)) return;
    this.notices.add(message);
    this.log(`note: ${message} (first seen in trial ${trialId})`);
  }

  trialFinished(outcome: TrialOutcome, spec: TrialSpec): void {
    this.running.delete(outcome.trialId);
    this.finishedTrials++;
    this.finishedSteps += trialWork(spec);
    const w1 = outcome.metrics === null ? '' : ` W1 ${outcome.metrics.w1.toFixed(4)}`;
    const error = outcome.error === null ? '' : ` (${outcome.error.code}: ${outcome.error.message})`;
    // An interrupted trial is not finished: it runs again on the next run.
    if (outcome.status === 'interrupted') {
      this.finishedTrials--;
      this.finishedSteps -= trialWork(spec);
    }
    this.log(
      `${outcome.status.padEnd(8)} ${outcome.trialId}${w1} in ${formatDuration(outcome.durationMs)} [${this.finishedTrials}/${this.totalTrials}]${error}`,
    );
  }

  /** Prints a line above the live block, so that the next redraw does not erase it. */
  note(line: string): void {
    this.log(line);
  }

  /** Clears the live block; call before printing the final results. */
  finish(): void {
    this.clear();
    this.running.clear();
  }

  private stepsDone(): number {
    let steps = this.finishedSteps;
    for (const trial of this.running.values()) steps += trial.step * (trial.spec.config.d_steps + 1);
    return steps;
  }

  private summaryLine(): string {
    const elapsed = this.now() - this.started;
    const training = this.now() - (this.firstStart ?? this.now());
    const done = this.stepsDone();
    const eta = done > 0 ? ((this.totalSteps - done) * training) / done : Number.NaN;
    return `trials ${this.finishedTrials}/${this.totalTrials} done, ${this.running.size} running, elapsed ${formatDuration(elapsed)}, ETA ${formatDuration(eta)}`;
  }

  private runningLines(): string[] {
    return [...this.running.values()].map(
      (trial) =>
        `  ${trial.spec.trialId}  step ${trial.step}/${trial.spec.config.steps}  D ${formatLoss(trial.dLoss)}  G ${formatLoss(trial.gLoss)}`,
    );
  }

  private log(line: string): void {
    this.clear();
    this.stream.write(line + '\n');
    this.redraw(true);
  }

  private clear(): void {
    if (!this.interactive || this.drawnLines === 0) return;
    // Move the cursor up over the live block and erase to the end of the screen.
    this.stream.write(`\x1b[${this.drawnLines}A\x1b[0J`);
    this.drawnLines = 0;
  }

  private redraw(force: boolean): void {
    if (!this.interactive) return;
    const now = this.now();
    if (!force && now - this.lastDraw < REDRAW_INTERVAL_MS) return;
    this.lastDraw = now;
    this.clear();
    // Lines longer than the terminal would wrap, and the cursor-up count would miss rows.
    const columns = (this.stream as NodeJS.WriteStream).columns ?? 0;
    const lines = [this.summaryLine(), ...this.runningLines()].map((line) =>
      columns > 1 && line.length >= columns ? line.slice(0, columns - 1) : line,
    );
    this.stream.write(lines.join('\n') + '\n');
    this.drawnLines = lines.length;
  }
}
