/**
 * The logger library code writes to. Code below the CLI never calls `console`: the CLI
 * decides where messages go (stderr, a file, nowhere in tests).
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Creates a logger that writes one line per message to a stream, prefixed with its level. */
export function streamLogger(stream: NodeJS.WritableStream): Logger {
  return {
    info: (message) => stream.write(`${message}\n`),
    warn: (message) => stream.write(`warning: ${message}\n`),
    error: (message) => stream.write(`error: ${message}\n`),
  };
}

/** A logger that drops every message. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
