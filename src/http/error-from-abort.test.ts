import { describe, expect, it } from 'vitest';
import { CanceledError, RateLimitError, TimeoutError } from '../core/errors.js';
import { errorFromAbort } from './error-from-abort.js';

describe('errorFromAbort', () => {
  it('turns a plain abort into a CanceledError that keeps the reason as cause', () => {
    const controller = new AbortController();
    controller.abort();
    const error = errorFromAbort(controller.signal);
    expect(error).toBeInstanceOf(CanceledError);
    expect(error.cause).toBe(controller.signal.reason);
  });

  it('keeps a GenRelayError reason as it is', () => {
    const controller = new AbortController();
    const reason = new RateLimitError('slow down');
    controller.abort(reason);
    expect(errorFromAbort(controller.signal)).toBe(reason);
  });

  it('turns AbortSignal.timeout into a TimeoutError', async () => {
    const signal = AbortSignal.timeout(1);
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
    expect(errorFromAbort(signal)).toBeInstanceOf(TimeoutError);
  });
});
