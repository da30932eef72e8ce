import { describe, expect, it } from 'vitest';
import { InternalError, ResponseParseError, UpstreamError } from '../core/errors.js';
import { createHttpResponse } from './http-response.js';
import type { TransportResponse } from './transport.js';

/** A transport response over the given chunks, recording what happened to it. */
function fake(
  chunks: (string | Uint8Array | Error)[],
  headers: Record<string, string> = {},
) {
  const log = { settled: 0, discarded: 0, pulled: 0, closed: false };
  async function* body(): AsyncGenerator<Uint8Array> {
    try {
      for (const chunk of chunks) {
        log.pulled++;
        if (chunk instanceof Error) throw chunk;
        yield typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      }
    } finally {
      log.closed = true;
    }
  }
  const raw: TransportResponse = {
    status: 200,
    headers,
    body: body(),
    discard: async () => {
      log.discarded++;
    },
  };
  const response = createHttpResponse(raw, {
    url: 'https://api.example.com/v1',
    host: 'api.example.com',
    maxResponseBytes: 10,
    settle: () => log.settled++,
    mapError: (error) => new UpstreamError(`mapped: ${(error as Error).message}`),
  });
  return { log, response };
}

describe('createHttpResponse', () => {
  it('reads the whole body once and settles once', async () => {
    const { log, response } = fake(['{"a":', '1}']);
    expect(await response.json()).toEqual({ a: 1 });
    expect(log.settled).toBe(1);
    await expect(response.text()).rejects.toBeInstanceOf(InternalError);
    await response.dispose();
    expect([log.settled, log.discarded]).toEqual([1, 0]);
  });

  it('discards an unread body and settles on dispose', async () => {
    const { log, response } = fake(['unread']);
    await response.dispose();
    expect([log.settled, log.discarded, log.pulled]).toEqual([1, 1, 0]);
  });

  it('maps errors from the body and still settles', async () => {
    const { log, response } = fake(['ok', new Error('socket hang up')]);
    await expect(response.text()).rejects.toThrow('mapped: socket hang up');
    expect(log.settled).toBe(1);
  });

  it('stops reading and closes the body once past maxResponseBytes', async () => {
    const { log, response } = fake(['123456', '789012', 'never read']);
    await expect(response.text()).rejects.toThrow(
      'the response from api.example.com is larger than 10 bytes',
    );
    expect([log.pulled, log.closed, log.settled]).toEqual([2, true, 1]);
  });

  it('refuses a declared length over the limit without reading', async () => {
    const { log, response } = fake(['x'], { 'content-length': '11' });
    await expect(response.bytes()).rejects.toBeInstanceOf(UpstreamError);
    expect([log.pulled, log.discarded, log.settled]).toEqual([0, 1, 1]);
  });

  it('settles when a streaming reader stops early', async () => {
    const { log, response } = fake(['a', 'b', 'c']);
    for await (const _chunk of response.body) break;
    expect([log.closed, log.settled]).toEqual([true, 1]);
  });

  it('reports invalid JSON as a ResponseParseError naming the host', async () => {
    const { response } = fake(['<html>']);
    const outcome = response.json();
    await expect(outcome).rejects.toBeInstanceOf(ResponseParseError);
    await expect(outcome).rejects.toThrow(/^api\.example\.com answered invalid JSON/);
  });

  it('decodes a character split across chunks', async () => {
    const bytes = new TextEncoder().encode('é');
    const { response } = fake([bytes.subarray(0, 1), bytes.subarray(1)]);
    expect(await response.text()).toBe('é');
  });
});
