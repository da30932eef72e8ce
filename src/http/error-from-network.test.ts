import { describe, expect, it } from 'vitest';
import {
  CanceledError,
  InternalError,
  InvalidRequestError,
  TimeoutError,
  UpstreamError,
} from '../core/errors.js';
import { errorFromNetwork } from './error-from-network.js';

const context = {
  host: 'api.example.com',
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
};

function undiciError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('errorFromNetwork', () => {
  it.each([
    ['UND_ERR_CONNECT_TIMEOUT', 'connecting to api.example.com timed out after 10000 ms'],
    [
      'UND_ERR_HEADERS_TIMEOUT',
      'api.example.com sent no response headers within 60000 ms',
    ],
    ['UND_ERR_BODY_TIMEOUT', 'api.example.com sent no data for 60000 ms'],
  ])('turns %s into a TimeoutError naming the bound', (code, message) => {
    const error = errorFromNetwork(undiciError(code, 'timeout'), context);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe(message);
    expect(error.retryable).toBe(true);
  });

  it('turns socket failures into a retryable UpstreamError naming the host', () => {
    const reset = errorFromNetwork(undiciError('ECONNRESET', 'read ECONNRESET'), context);
    expect(reset).toBeInstanceOf(UpstreamError);
    expect(reset.message).toBe('request to api.example.com failed: read ECONNRESET');
    expect(reset.retryable).toBe(true);
  });

  it("looks inside fetch's TypeError for the code and the message", () => {
    const cause = undiciError('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error');
    const error = errorFromNetwork(new TypeError('fetch failed', { cause }), context);
    expect(error).toBeInstanceOf(TimeoutError);
    const refused = new TypeError('fetch failed', {
      cause: new Error('connect ECONNREFUSED'),
    });
    expect(errorFromNetwork(refused, context).message).toMatch(
      /failed: connect ECONNREFUSED$/,
    );
  });

  it('keeps a GenRelayError, also when fetch wrapped it', () => {
    const canceled = new CanceledError();
    expect(errorFromNetwork(canceled, context)).toBe(canceled);
    const refused = new InvalidRequestError('not a public address');
    expect(
      errorFromNetwork(new TypeError('fetch failed', { cause: refused }), context),
    ).toBe(refused);
  });

  it('treats an invalid argument as our bug, not a retryable upstream failure', () => {
    const error = errorFromNetwork(
      undiciError('UND_ERR_INVALID_ARG', 'invalid header'),
      context,
    );
    expect(error).toBeInstanceOf(InternalError);
    expect(error.retryable).toBe(false);
  });
});
