import { describe, expect, it } from 'vitest';
import { createFetchTransport } from './fetch-transport.js';

const request = {
  url: new URL('https://api.example.com/v1'),
  method: 'POST',
  headers: { authorization: 'Bearer key' },
  body: '{}',
  signal: new AbortController().signal,
};

/** A body of three chunks that records whether it was cancelled. */
function trackedBody() {
  const state = { canceled: false };
  const chunks = ['a', 'b', 'c'].map((text) => new TextEncoder().encode(text));
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks.shift();
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
    cancel() {
      state.canceled = true;
    },
  });
  return { state, stream };
}

describe('createFetchTransport', () => {
  it('passes the request on without following redirects, and lower-cases headers', async () => {
    let seen: RequestInit | undefined;
    const transport = createFetchTransport((async (_url: string, init: RequestInit) => {
      seen = init;
      return new Response('ok', { status: 302, headers: { Location: '/elsewhere' } });
    }) as typeof fetch);
    const response = await transport.send(request);
    expect(seen).toMatchObject({ method: 'POST', body: '{}', redirect: 'manual' });
    expect(seen?.signal).toBe(request.signal);
    expect([response.status, response.headers.location]).toEqual([302, '/elsewhere']);
  });

  it('streams the body chunk by chunk and cancels it when the reader stops early', async () => {
    const { state, stream } = trackedBody();
    const transport = createFetchTransport(
      (async () => new Response(stream)) as typeof fetch,
    );
    const response = await transport.send(request);
    for await (const chunk of response.body) {
      expect(new TextDecoder().decode(chunk)).toBe('a');
      break;
    }
    expect(state.canceled).toBe(true);
  });

  it('cancels the body on discard', async () => {
    const { state, stream } = trackedBody();
    const transport = createFetchTransport(
      (async () => new Response(stream)) as typeof fetch,
    );
    await (await transport.send(request)).discard();
    expect(state.canceled).toBe(true);
  });
});
