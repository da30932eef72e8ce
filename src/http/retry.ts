import { GenRelayError } from '../core/errors.js';
import { errorFromAbort } from './error-from-abort.js';
import { sleep } from './sleep.js';

export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  maxRetries?: number;
  /** The backoff ceiling for the first retry; it doubles each time. Default 500 ms. */
  initialDelayMs?: number;
  /** The largest backoff ceiling. Default 10 s. */
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the error is thrown. Default 60 s. */
  maxRetryAfterMs?: number;
  signal?: AbortSignal;
  /** For tests: a number in [0, 1). */
  random?: () => number;
  /** For tests: the wait between attempts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Trying again may help: the error says so and is not the caller giving up. */
function isRetryable(error: unknown): error is GenRelayError {
  return GenRelayError.isInstance(error) && error.retryable && error.code !== 'canceled';
}

/**
 * Run `operation` until it succeeds, retrying retryable GenRelayErrors with exponential
 * backoff and full jitter (a random wait below a doubling ceiling, so clients that failed
 * together do not retry together). A `retryAfterMs` on the error is a floor for the wait;
 * one above `maxRetryAfterMs` is thrown at once, as holding a request that long helps no
 * one. `attempt` counts from 1. Errors that are not GenRelayErrors are never retried: the
 * HTTP client already turns network failures into retryable UpstreamErrors.
 */
export async function retry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const maxRetries = options.maxRetries ?? 2;
  const initialDelayMs = options.initialDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const random = options.random ?? Math.random;
  const wait = options.sleep ?? sleep;
  const { signal } = options;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw errorFromAbort(signal);
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt > maxRetries || !isRetryable(error) || signal?.aborted) throw error;
      const retryAfterMs = error.retryAfterMs ?? 0;
      if (retryAfterMs > maxRetryAfterMs) throw error;
      const ceilingMs = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
      await wait(Math.max(random() * ceilingMs, retryAfterMs), signal);
    }
  }
}
