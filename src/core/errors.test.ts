import { describe, expect, it } from 'vitest';
import {
  CanceledError,
  errorFromCode,
  GenRelayError,
  ModelNotFoundError,
  RateLimitError,
  TimeoutError,
  toGenRelayError,
} from './errors.js';

describe('errors', () => {
  it('carries a stable code, status and retry hints', () => {
    const error = new RateLimitError('slow down', {
      retryAfterMs: 2000,
      provider: 'local',
    });
    expect(error).toMatchObject({
      code: 'rate_limited',
      status: 429,
      retryable: true,
      retryAfterMs: 2000,
      provider: 'local',
    });
    expect(error.name).toBe('RateLimitError');
  });

  it('lists the valid models when a model is unknown', () => {
    const error = new ModelNotFoundError('gpt-9', ['a', 'b']);
    expect(error.message).toContain('`gpt-9`');
    expect(error.message).toContain('Valid models: a, b');
    expect(error).toMatchObject({ status: 404, param: 'model' });
  });

  it('gives an error told as data the status its code carries', () => {
    expect(errorFromCode('queue_full', 'full', { retryable: true })).toMatchObject({
      code: 'queue_full',
      status: 429,
      retryable: true,
    });
    for (const code of ['no_such_code', 'toString'])
      expect(errorFromCode(code, 'odd')).toMatchObject({
        code: 'upstream_error',
        status: 502,
      });
  });

  it('recognises its errors across module copies by a marker', () => {
    const lookalike = Object.assign(new Error('x'), {
      [Symbol.for('genrelay.error')]: true,
    });
    expect(GenRelayError.isInstance(lookalike)).toBe(true);
    expect(GenRelayError.isInstance(new Error('x'))).toBe(false);
  });

  it('turns aborts, timeouts and anything else into typed errors', () => {
    expect(toGenRelayError(new DOMException('stop', 'AbortError'))).toBeInstanceOf(
      CanceledError,
    );
    expect(toGenRelayError(new DOMException('late', 'TimeoutError'))).toBeInstanceOf(
      TimeoutError,
    );
    expect(toGenRelayError('boom')).toMatchObject({
      code: 'internal_error',
      message: 'boom',
      status: 500,
    });
  });
});
