import { ConfigError } from '../config/config-error.js';
import { GenRelayError } from '../core/errors.js';
import type { ErrorPart } from '../core/stream-part.js';
import { CliError } from './cli-error.js';

/** How a command failed: the line for stderr, the exit code, the `--json` error line. */
export interface Failure {
  message: string;
  exitCode: number;
  part: ErrorPart;
}

/** Exit status of a process ended by Ctrl-C (128 + SIGINT), also used for a cancel. */
const canceledExitCode = 130;

function fatalPart(code: string, message: string, retryable = false): ErrorPart {
  return { type: 'error', fatal: true, code, message, retryable };
}

/**
 * Expected failures keep their own message and never show a stack trace; anything else
 * is named by its error class, which is what a bug report needs first.
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof ConfigError) {
    return {
      message: error.message,
      exitCode: 1,
      part: fatalPart('invalid_config', error.message),
    };
  }
  if (error instanceof CliError) {
    return {
      message: error.message,
      exitCode: error.exitCode,
      part: fatalPart(error.code, error.message),
    };
  }
  if (GenRelayError.isInstance(error)) {
    const part: ErrorPart = {
      ...fatalPart(error.code, error.message, error.retryable),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      ...(error.provider === undefined ? {} : { provider: error.provider }),
    };
    const exitCode = error.code === 'canceled' ? canceledExitCode : 1;
    return { message: error.message, exitCode, part };
  }
  const message =
    error instanceof Error
      ? `${error.name}: ${error.message}`
      : `unexpected failure: ${String(error)}`;
  return { message, exitCode: 1, part: fatalPart('internal_error', message) };
}
