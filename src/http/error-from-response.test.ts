import { createServer, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  InvalidRequestError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionError,
  QuotaExceededError,
  RateLimitError,
  TimeoutError,
  UpstreamError,
} from '../core/errors.js';
import { ensureOk, errorFromResponse, errorFromStatus } from './error-from-response.js';
import { createHttpClient } from './http-client.js';

interface Answer {
  status: number;
  body?: string;
  headers?: OutgoingHttpHeaders;
  /** Keep sending `e` until the client goes away. */
  endless?: boolean;
}

/** The next answer the server gives, set by each test. */
let answer: Answer = { status: 200 };
let server: Server;
let origin: string;
const http = createHttpClient();

beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(answer.status, answer.headers);
    if (!answer.endless) {
      response.end(answer.body ?? '');
      return;
    }
    const write = () => {
      while (!response.destroyed && response.write('e'.repeat(16_384)));
    };
    response.on('drain', write);
    write();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await http.close();
  server.closeAllConnections();
  server.close();
});

async function errorFor(
  next: Answer,
  context = { upstream: 'openai-compatible', provider: 'local' },
) {
  answer = next;
  return errorFromResponse(await http.request({ url: `${origin}/v1/chat` }), context);
}

const json = { 'content-type': 'application/json' };

describe('errorFromResponse', () => {
  it.each([
    [400, InvalidRequestError],
    [401, AuthenticationError],
    [403, PermissionError],
    [404, NotFoundError],
    [408, TimeoutError],
    [413, PayloadTooLargeError],
    [418, UpstreamError],
    [429, RateLimitError],
  ])('maps %i to %o', async (status, type) => {
    const error = await errorFor({ status, body: 'nope' });
    expect(error).toBeInstanceOf(type);
    expect(error.message).toBe(
      `upstream openai-compatible "local" answered ${status}: nope`,
    );
    expect(error.provider).toBe('local');
  });

  it('keeps the param the body names, as for a FastAPI 422', async () => {
    const body = JSON.stringify({
      detail: [{ loc: ['body', 'steps'], msg: 'must be positive', type: 'value_error' }],
    });
    const error = await errorFor({ status: 422, body, headers: json });
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.param).toBe('steps');
    expect(error.message).toMatch(/answered 422: steps: must be positive$/);
  });

  it('summarises an HTML page in one line', async () => {
    const body =
      '<!DOCTYPE html>\n<html><head><title>Bad Gateway</title></head>\n</html>';
    const error = await errorFor({
      status: 502,
      body,
      headers: { 'content-type': 'text/html' },
    });
    expect(error.message).toBe(
      'upstream openai-compatible "local" answered 502: HTML page "Bad Gateway"',
    );
  });

  it('reads only the start of a body that never ends', async () => {
    const error = await errorFor({ status: 500, endless: true });
    expect(error.message).toMatch(/answered 500: e{500}…$/);
  });

  it('falls back to the status text for an empty body, and names the host without context', async () => {
    answer = { status: 503 };
    const error = await errorFromResponse(await http.request({ url: `${origin}/` }));
    expect(error.message).toBe(
      `upstream ${new URL(origin).host} answered 503: Service Unavailable`,
    );
  });

  it('honours Retry-After on 429 and 503, and makes 5xx retryable', async () => {
    const limited = await errorFor({
      status: 429,
      body: 'slow',
      headers: { 'retry-after': '3' },
    });
    expect([limited.retryable, limited.retryAfterMs]).toEqual([true, 3_000]);
    const busy = await errorFor({ status: 503, headers: { 'retry-after-ms': '1500' } });
    expect([busy, busy.retryable, busy.retryAfterMs]).toEqual([
      expect.any(UpstreamError),
      true,
      1_500,
    ]);
    const teapot = await errorFor({ status: 418 });
    expect(teapot.retryable).toBe(false);
  });

  it('makes 402 a quota error, retryable only when the upstream says when', async () => {
    const broke = await errorFor({ status: 402, body: 'out of credits' });
    expect([broke, broke.retryable]).toEqual([expect.any(QuotaExceededError), false]);
    const later = await errorFor({ status: 402, headers: { 'retry-after': '60' } });
    expect([later.retryable, later.retryAfterMs]).toEqual([true, 60_000]);
  });
});

describe('errorFromStatus', () => {
  it.each([
    [400, InvalidRequestError, false],
    [401, AuthenticationError, false],
    [402, QuotaExceededError, false],
    [403, PermissionError, false],
    [404, NotFoundError, false],
    [408, TimeoutError, true],
    [413, PayloadTooLargeError, false],
    [418, UpstreamError, false],
    [422, InvalidRequestError, false],
    [429, RateLimitError, true],
    [502, UpstreamError, true],
  ])(
    'maps %i to %o (retryable: %s) with the message as given',
    (status, type, retryable) => {
      const error = errorFromStatus(status, 'it failed', { provider: 'hc' });
      expect(error).toBeInstanceOf(type);
      expect([error.message, error.provider, error.retryable]).toEqual([
        'it failed',
        'hc',
        retryable,
      ]);
    },
  );

  it('keeps the param and the wait it is given, and needs neither', () => {
    const invalid = errorFromStatus(422, 'bad', { param: 'steps' });
    expect([invalid.param, invalid.provider]).toEqual(['steps', undefined]);
    const later = errorFromStatus(402, 'broke', { retryAfterMs: 60_000 });
    expect([later.retryable, later.retryAfterMs]).toEqual([true, 60_000]);
    expect(errorFromStatus(503, 'busy')).toMatchObject({ retryAfterMs: undefined });
  });
});

describe('ensureOk', () => {
  it('returns a 2xx response untouched and throws the error of any other', async () => {
    answer = { status: 201, body: 'made' };
    const response = await ensureOk(await http.request({ url: origin }));
    expect(await response.text()).toBe('made');
    answer = { status: 404, body: '{"detail":"Not Found"}' };
    const failing = ensureOk(await http.request({ url: origin }), { provider: 'a1111' });
    await expect(failing).rejects.toThrow('upstream "a1111" answered 404: Not Found');
  });
});
