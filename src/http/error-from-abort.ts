import { CanceledError, GenRelayError, TimeoutError } from '../core/errors.js';

/**
 * The error an aborted signal stands for. A GenRelayError reason is kept, so whoever
 * aborts can say why (a job deadline, a shutdown); `AbortSignal.timeout` becomes a
 * TimeoutError; anything else means the caller gave up, a CanceledError.
 */
export function errorFromAbort(signal: AbortSignal): GenRelayError {
  const reason: unknown = signal.reason;
  if (GenRelayError.isInstance(reason)) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return new TimeoutError(`The operation timed out: ${reason.message}`, {
      cause: reason,
    });
  }
  return new CanceledError(undefined, { cause: reason });
}
