import type { CliIo, OutputStream } from '../../src/cli/cli-io.js';
import type { Environment } from '../../src/config/load-config.js';
import type { Logger } from '../../src/core/logger.js';

/** One call to the logger, as recorded by a memory IO. */
export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  object: object;
  message: string | undefined;
}

/** A CliIo that keeps what is written, for running commands inside another program. */
export interface MemoryIo extends CliIo {
  /** Everything written to stdout so far. */
  output(): string;
  /** Everything written to stderr so far. */
  errors(): string;
  logs: LogEntry[];
  /** Acts like Ctrl-C: calls every interrupt listener. */
  interrupt(): void;
}

function memoryStream(isTTY: boolean): OutputStream & { text(): string } {
  const chunks: string[] = [];
  return {
    isTTY,
    columns: 80,
    write(chunk) {
      chunks.push(
        typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'),
      );
      return true;
    },
    text: () => chunks.join(''),
  };
}

/** An in-memory CliIo: nothing reaches the real streams, signals or environment. */
export function createMemoryIo(options: {
  cwd: string;
  env?: Environment;
  isTTY?: boolean;
}): MemoryIo {
  const stdout = memoryStream(options.isTTY ?? false);
  const stderr = memoryStream(options.isTTY ?? false);
  const listeners = new Set<() => void>();
  const logs: LogEntry[] = [];
  const record =
    (level: LogEntry['level']) =>
    (object: object, message?: string): void => {
      logs.push({ level, object, message });
    };
  const logger: Logger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
  return {
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd,
    output: stdout.text,
    errors: stderr.text,
    logs,
    onInterrupt(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    interrupt: () => {
      for (const listener of [...listeners]) listener();
    },
    // Every call is kept whatever the level, so a test can see what would be logged.
    createLogger: () => logger,
  };
}
