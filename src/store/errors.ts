/** Errors of the results store; each carries a stable code and names the database file. */

/** The file is not a SQLite database, or SQLite found it corrupt. */
export const GS_STORE_DAMAGED = 'GS_STORE_DAMAGED';
/** The store was written by a gansweep with another store schema. */
export const GS_STORE_VERSION = 'GS_STORE_VERSION';
/** Another live gansweep process is running this sweep. */
export const GS_STORE_LOCKED = 'GS_STORE_LOCKED';
/** The store file cannot be opened or written (permissions, read-only file system). */
export const GS_STORE_ACCESS = 'GS_STORE_ACCESS';
/** The directory has no store, so there is nothing to read. */
export const GS_STORE_MISSING = 'GS_STORE_MISSING';

export type StoreErrorCode = typeof GS_STORE_ACCESS | typeof GS_STORE_DAMAGED | typeof GS_STORE_VERSION | typeof GS_STORE_LOCKED | typeof GS_STORE_MISSING;

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly path: string;

  constructor(code: StoreErrorCode, path: string, message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
    this.path = path;
  }
}
