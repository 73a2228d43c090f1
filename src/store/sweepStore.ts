/**
 * A sweep's state in one SQLite database (better-sqlite3, WAL mode) in the sweep's
 * directory. Each trial is one row keyed by its trial key. Every result is written in
 * one transaction as it arrives, so after a crash at any moment each trial has either
 * its whole result or none.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';

import type { BackendName, EngineName, Hyperparameters, TrialMetrics, TrialOutcome, WorkerMemory } from '../shared/types.js';
import { GS_STORE_ACCESS, GS_STORE_DAMAGED, GS_STORE_LOCKED, GS_STORE_MISSING, GS_STORE_VERSION, StoreError } from './errors.js';

/** Version of the table layout below; a store with another version is never opened for writing. */
export const STORE_SCHEMA_VERSION = 1;

/** File name of the store inside a sweep directory. */
export const STORE_FILE = 'sweep.db';

/** Status of a trial in the store. */
export type StoredStatus = 'queued' | 'running' | 'done' | 'failed' | 'diverged' | 'timed_out';

/** Statuses that end a trial; the others mean it still has to run. */
export const FINISHED_STATUSES: readonly StoredStatus[] = ['done', 'failed', 'diverged', 'timed_out'];

export interface PlannedTrial {
  trialKey: string;
  trialId: string;
  configId: string;
  seed: number;
  config: Hyperparameters;
}

export interface StoredTrial extends PlannedTrial {
  status: StoredStatus;
  attempts: number;
  metrics: TrialMetrics | null;
  errorCode: string | null;
  errorMessage: string | null;
  backend: BackendName | null;
  engine: EngineName | null;
  durationMs: number | null;
  stepsDone: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** The worker's memory after the trial; null when it did not report one. */
  workerMemory: WorkerMemory | null;
}

/** A process that holds the sweep's lock. */
export interface LockHolder {
  pid: number;
  hostname: string;
  startedAt: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS trials (
  trial_key TEXT PRIMARY KEY,
  trial_id TEXT NOT NULL,
  config_id TEXT NOT NULL,
  seed INTEGER NOT NULL,
  config TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'diverged', 'timed_out')),
  attempts INTEGER NOT NULL DEFAULT 0,
  metrics TEXT,
  error_code TEXT,
  error_message TEXT,
  backend TEXT,
  engine TEXT,
  duration_ms REAL,
  steps_done INTEGER,
  worker_memory TEXT,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT
);
CREATE TABLE IF NOT EXISTS lock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pid INTEGER NOT NULL,
  hostname TEXT NOT NULL,
  started_at TEXT NOT NULL
);
`;

interface TrialRow {
  trial_key: string;
  trial_id: string;
  config_id: string;
  seed: number;
  config: string;
  status: StoredStatus;
  attempts: number;
  metrics: string | null;
  error_code: string | null;
  error_message: string | null;
  backend: BackendName | null;
  engine: EngineName | null;
  duration_ms: number | null;
  steps_done: number | null;
  started_at: string | null;
  finished_at: string | null;
  worker_memory: string | null;
}

function fromRow(row: TrialRow): StoredTrial {
  return {
    trialKey: row.trial_key,
    trialId: row.trial_id,
    configId: row.config_id,
    seed: row.seed,
    config: JSON.parse(row.config) as Hyperparameters,
    status: row.status,
    attempts: row.attempts,
    metrics: row.metrics === null ? null : (JSON.parse(row.metrics) as TrialMetrics),
    errorCode: row.error_code,
    errorMessage: row.error_message,
    backend: row.backend,
    engine: row.engine,
    durationMs: row.duration_ms,
    stepsDone: row.steps_done,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    workerMemory: row.worker_memory === null ? null : (JSON.parse(row.worker_memory) as WorkerMemory),
  };
}

/** True when `pid` is a live process on this machine. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function now(): string {
  return new Date().toISOString();
}

/** SQLite error codes that mean the file itself is unusable. */
const DAMAGE_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_IOERR']);
/** SQLite error codes that mean the file cannot be opened or written, though it may be intact. */
const ACCESS_CODES = new Set(['SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PERM']);

/** Translates an error from SQLite (or from parsing a stored row) into a StoreError naming the file. */
function storeError(path: string, error: unknown): unknown {
  if (error instanceof StoreError) return error;
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message;
  if (DAMAGE_CODES.has(code) || code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_IOERR') || /not a database|malformed/i.test(message) || error instanceof SyntaxError) {
    return new StoreError(
      GS_STORE_DAMAGED,
      path,
      `the sweep store ${path} is damaged (${message}); gansweep left it untouched. ` +
        'Move the sweep directory aside or run again with --fresh, which renames it and starts over',
    );
  }
  if (ACCESS_CODES.has(code) || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY')) {
    return new StoreError(
      GS_STORE_ACCESS,
      path,
      `failed to open or write the sweep store ${path} (${message}); check the permissions of the file and its directory, ` +
        'and that the file system is writable',
    );
  }
  return error;
}

export interface OpenStoreOptions {
  /** Create the file when it does not exist (default false). */
  create?: boolean;
  /** Open read-only, for status and leaderboard readers next to a running sweep (default false). */
  readonly?: boolean;
  /** gansweep's version, recorded in a new store. */
  version?: string;
}

export class SweepStore {
  readonly path: string;
  private readonly db: Database.Database;

  // Prepared once per store: better-sqlite3 frees a statement's native memory only when
  // V8 collects it, and the small JS heap of a long sweep rarely triggers that collection.
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.db = db;
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Opens a store, checking that it is a gansweep store of this schema version. Throws
   * StoreError when the file is missing (unless `create`), damaged, or of another version;
   * in every case the file is left as it was.
   */
  static open(path: string, options: OpenStoreOptions = {}): SweepStore {
    const exists = existsSync(path);
    if (!exists && !options.create) {
      throw new StoreError(GS_STORE_MISSING, path, `no sweep store found at ${path}; run "gansweep run FILE" first`);
    }

    let db: Database.Database | undefined;
    try {
      db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: !options.create });
      const store = new SweepStore(path, db);
      store.prepareSchema(exists, options);
      return store;
    } catch (error) {
      db?.close();
      throw storeError(path, error);
    }
  }

  /** Runs a store operation, turning SQLite's damage and access errors into StoreErrors that name the file. */
  private guarded<T>(operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      throw storeError(this.path, error);
    }
  }

  private prepareSchema(existed: boolean, options: OpenStoreOptions): void {
    this.db.pragma('busy_timeout = 5000');

    const hasMeta = this
      .statement("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
      .get() as { n: number };
    if (hasMeta.n === 0) {
      const tables = this.statement("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
      if (existed && tables.n > 0) {
        throw new StoreError(
          GS_STORE_VERSION,
          this.path,
          `${this.path} is a SQLite database but not a gansweep store; gansweep left it untouched. Move it aside or run with --fresh`,
        );
      }
      if (options.readonly) {
        throw new StoreError(GS_STORE_MISSING, this.path, `${this.path} is empty; run "gansweep run FILE" first`);
      }
      this.enableWal();
      // Two processes may create the same store at once. The immediate transaction makes
      // the second one wait, and it then leaves the first one's meta rows alone.
      this.db.transaction(() => {
        this.db.exec(SCHEMA);
        const insert = this.db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
        insert.run('schema_version', String(STORE_SCHEMA_VERSION));
        insert.run('created_by', `gansweep ${options.version ?? 'unknown'}`);
        insert.run('created_at', now());
      }).immediate();
      return;
    }

    const version = this.meta('schema_version');
    if (version !== String(STORE_SCHEMA_VERSION)) {
      throw new StoreError(
        GS_STORE_VERSION,
        this.path,
        `${this.path} was written by ${this.meta('created_by') ?? 'another gansweep'} with store schema ${version ?? 'unknown'}, ` +
          `but this gansweep reads schema ${STORE_SCHEMA_VERSION}; gansweep left it untouched. ` +
          'Use the gansweep version that wrote it, or run with --fresh to start over (the old directory is renamed, not deleted)',
      );
    }
    if (!options.readonly) this.enableWal();
  }

  /**
   * Switches to WAL, so that status and leaderboard readers work while the sweep writes.
   * It changes the file header, so it runs only after the store passed the version check.
   * NORMAL synchronous mode keeps every committed transaction across a process crash (a
   * power loss may lose the last transactions, never consistency).
   */
  private enableWal(): void {
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
  }

  meta(key: string): string | null {
    const row = this.statement('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  /**
   * Takes the sweep's lock for this process. A lock left by a process that no longer
   * runs on this machine (killed with SIGKILL, say) is taken over.
   */
  acquireLock(): void {
    const me = hostname();
    this.guarded(() => this.db.transaction(() => {
      const holder = this.lockHolder();
      if (holder !== null && holder.pid !== process.pid && (holder.hostname !== me || processAlive(holder.pid))) {
        throw new StoreError(
          GS_STORE_LOCKED,
          this.path,
          `the sweep in ${this.path} is already running in process ${holder.pid} on ${holder.hostname} (since ${holder.startedAt}); ` +
            'wait for it to finish or stop it first. Use "gansweep status" to follow it',
        );
      }
      this.db
        .prepare('INSERT OR REPLACE INTO lock (id, pid, hostname, started_at) VALUES (1, ?, ?, ?)')
        .run(process.pid, me, now());
    }).immediate());
  }

  releaseLock(): void {
    this.statement('DELETE FROM lock WHERE pid = ?').run(process.pid);
  }

  /** Returns the process holding the lock, or null. */
  lockHolder(): LockHolder | null {
    const row = this.guarded(() => this.statement('SELECT pid, hostname, started_at FROM lock WHERE id = 1').get()) as
      | { pid: number; hostname: string; started_at: string }
      | undefined;
    return row === undefined ? null : { pid: row.pid, hostname: row.hostname, startedAt: row.started_at };
  }

  /** True when the lock holder is a live process on this machine. */
  lockHolderAlive(): boolean {
    const holder = this.lockHolder();
    return holder !== null && holder.hostname === hostname() && processAlive(holder.pid);
  }

  /** Adds the trials that are not in the store yet as queued; returns how many were added. */
  addTrials(trials: PlannedTrial[]): number {
    const insert = this.statement(
      `INSERT OR IGNORE INTO trials (trial_key, trial_id, config_id, seed, config, status, created_at)
       VALUES (?, ?, ?, ?, ?, 'queued', ?)`,
    );
    let added = 0;
    this.db.transaction(() => {
      const at = now();
      for (const trial of trials) {
        added += insert.run(trial.trialKey, trial.trialId, trial.configId, trial.seed, JSON.stringify(trial.config), at).changes;
      }
    })();
    return added;
  }

  /**
   * Queues again every trial left `running` by a process that ended without recording
   * its result, and every trial whose last failure is one that a new attempt can fix.
   * Returns the number of trials requeued.
   */
  requeueUnfinished(retryableErrorCodes: readonly string[]): number {
    const placeholders = retryableErrorCodes.map(() => '?').join(', ') || "''";
    return this.db
      .prepare(
        `UPDATE trials SET status = 'queued'
         WHERE status = 'running' OR status = 'timed_out' OR (status = 'failed' AND error_code IN (${placeholders}))`,
      )
      .run(...retryableErrorCodes).changes;
  }

  markRunning(trialKey: string): number {
    const row = this.db
      .prepare(
        `UPDATE trials SET status = 'running', attempts = attempts + 1, started_at = ?
         WHERE trial_key = ? RETURNING attempts`,
      )
      .get(now(), trialKey) as { attempts: number } | undefined;
    if (row === undefined) throw new Error(`trial ${trialKey} is not in the store ${this.path}`);
    return row.attempts;
  }

  /** Puts a trial back in the queue, for a trial interrupted by a signal or awaiting a retry. */
  markQueued(trialKey: string): void {
    this.statement("UPDATE trials SET status = 'queued' WHERE trial_key = ?").run(trialKey);
  }

  /** Records a trial's result in one transaction. */
  recordResult(
    trialKey: string,
    status: Extract<StoredStatus, 'done' | 'failed' | 'diverged' | 'timed_out'>,
    outcome: Pick<TrialOutcome, 'metrics' | 'error' | 'backend' | 'engine' | 'durationMs' | 'stepsDone' | 'workerMemory'>,
  ): void {
    this.db
      .prepare(
        `UPDATE trials SET status = ?, metrics = ?, error_code = ?, error_message = ?, backend = ?, engine = ?,
           duration_ms = ?, steps_done = ?, worker_memory = ?, finished_at = ?
         WHERE trial_key = ?`,
      )
      .run(
        status,
        outcome.metrics === null ? null : JSON.stringify(outcome.metrics),
        outcome.error?.code ?? null,
        outcome.error?.message ?? null,
        outcome.backend,
        outcome.engine,
        outcome.durationMs,
        outcome.stepsDone,
        outcome.workerMemory === null ? null : JSON.stringify(outcome.workerMemory),
        now(),
        trialKey,
      );
  }

  /** Returns every trial in the store, in insertion order. */
  trials(): StoredTrial[] {
    return this.guarded(() => (this.statement('SELECT * FROM trials ORDER BY rowid').all() as TrialRow[]).map(fromRow));
  }

  /** Returns the trials with the given keys that still have to run, in the order of `keys`. */
  pendingAmong(keys: string[]): string[] {
    const queued = new Set(
      (this.statement("SELECT trial_key FROM trials WHERE status = 'queued'").all() as { trial_key: string }[]).map(
        (row) => row.trial_key,
      ),
    );
    return keys.filter((key) => queued.has(key));
  }

  close(): void {
    this.db.close();
  }
}
