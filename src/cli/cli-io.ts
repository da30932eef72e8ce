import type { Environment } from '../config/load-config.js';
import type { Logger } from '../core/logger.js';

/** Where a command writes: `process.stdout` and `process.stderr` satisfy it. */
export interface OutputStream {
  write(chunk: string | Uint8Array): unknown;
  /** True for a terminal: progress is then redrawn in place. */
  isTTY?: boolean;
  /** The terminal width, to keep a redrawn line from wrapping. */
  columns?: number;
}

/**
 * Everything a command touches outside itself, so tests can run commands in-process and
 * read what they wrote.
 */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Environment;
  /** Relative paths (the configuration, output files) resolve against it. */
  cwd: string;
  /** Calls `listener` on Ctrl-C or SIGTERM; returns the function that stops listening. */
  onInterrupt(listener: () => void): () => void;
  /** The logger for a runtime, at a pino level name (`info`, `silent`, …). */
  createLogger(level: string): Logger;
}
