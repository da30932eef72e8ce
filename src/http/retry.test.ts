import { describe, expect, it } from 'vitest';
import {
  CanceledError,
  InvalidRequestError,
  RateLimitError,
  UpstreamError,
} from '../core/errors.js';
import { type RetryOptions, retry } from './retry.js';

/** Options that record waits instead of waiting. */
function recording(extra: RetryOptions = {}) {
  const waits: number[] = [];
  const options: RetryOptions = {
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...extra,
  };
  return { waits, options };
}

/** An operation that fails with the given errors in turn, then answers `done`. */
function failing(...errors: unknown[]) {
  const attempts: number[] = [];
  const operation = async (attempt: number) => {
    attempts.push(attempt);
    const error = errors[attempt - 1];
    if (error !== undefined) throw error;
    return 'done';
  };
  return { attempts, operation };
}

const upstream = () => new UpstreamError('boom', { retryable: true });

describe('retry', () => {
  it('retries retryable errors with doubling, jittered backoff', async () => {
    const { waits, options } = recording({ maxRetries: 3 });
    const { attempts, operation } = failing(upstream(), upstream(), upstream());
    await expect(retry(operation, options)).resolves.toBe('done');
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(waits).toEqual([250, 500, 1_000]);
  });

  it('caps the backoff at maxDelayMs', async () => {
    const { waits, options } = recording({
      maxRetries: 2,
      initialDelayMs: 8_000,
      random: () => 1,
    });
    const { operation } = failing(upstream(), upstream());
    await retry(operation, { ...options, maxDelayMs: 10_000 });
    expect(waits).toEqual([8_000, 10_000]);
  });

  it('throws the last error once the retries are used up', async () => {
    const { options } = recording();
    const last = upstream();
    const { attempts, operation } = failing(upstream(), upstream(), last);
    await expect(retry(operation, options)).rejects.toBe(last);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('does not retry errors that are not retryable, nor plain errors', async () => {
    const { waits, options } = recording();
    const invalid = failing(new InvalidRequestError('bad'));
    await expect(retry(invalid.operation, options)).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    const plain = failing(new Error('bug'));
    await expect(retry(plain.operation, options)).rejects.toThrow('bug');
    expect([invalid.attempts, plain.attempts, waits]).toEqual([[1], [1], []]);
  });

  it('never retries a CanceledError, even one marked retryable', async () => {
    const { options } = recording();
    const { attempts, operation } = failing(
      new CanceledError('gone', { retryable: true }),
    );
    await expect(retry(operation, options)).rejects.toBeInstanceOf(CanceledError);
    expect(attempts).toEqual([1]);
  });

  it('waits at least retryAfterMs', async () => {
    const { waits, options } = recording();
    const { operation } = failing(
      new RateLimitError('slow down', { retryAfterMs: 7_000 }),
    );
    await retry(operation, options);
    expect(waits).toEqual([7_000]);
  });

  it('throws at once when Retry-After is longer than maxRetryAfterMs', async () => {
    const { waits, options } = recording();
    const tooLong = new RateLimitError('come back tomorrow', {
      retryAfterMs: 86_400_000,
    });
    const { attempts, operation } = failing(tooLong);
    await expect(retry(operation, options)).rejects.toBe(tooLong);
    expect([attempts, waits]).toEqual([[1], []]);
  });

  it('stops waiting and throws CanceledError when aborted during the backoff', async () => {
    const controller = new AbortController();
    const { attempts, operation } = failing(upstream(), upstream());
    setTimeout(() => controller.abort(), 20);
    const started = performance.now();
    const outcome = retry(operation, {
      initialDelayMs: 60_000,
      random: () => 1,
      signal: controller.signal,
    });
    await expect(outcome).rejects.toBeInstanceOf(CanceledError);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(attempts).toEqual([1]);
  });

  it('does not start when the signal is already aborted', async () => {
    const { attempts, operation } = failing();
    await expect(
      retry(operation, { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(CanceledError);
    expect(attempts).toEqual([]);
  });
});
