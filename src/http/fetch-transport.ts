import type { Transport } from './transport.js';

/** Requests through an injected `fetch` (tests, unusual runtimes). Redirects are not followed. */
export function createFetchTransport(fetchFunction: typeof fetch): Transport {
  return {
    async send(request) {
      const response = await fetchFunction(request.url, {
        method: request.method,
        headers: request.headers,
        // TS 5.9's DOM types want an ArrayBuffer-backed view; fetch takes any Uint8Array.
        body: request.body as BodyInit | undefined,
        signal: request.signal,
        redirect: 'manual',
      });
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const stream = response.body;
      return {
        status: response.status,
        headers,
        body: readStream(stream),
        discard: async () => {
          await stream?.cancel().catch(() => undefined);
        },
      };
    },
    close: async () => undefined,
  };
}

async function* readStream(
  stream: ReadableStream<Uint8Array> | null,
): AsyncGenerator<Uint8Array> {
  if (stream === null) return;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Cancelling tells fetch to drop the connection when the reader stopped early.
    await reader.cancel().catch(() => undefined);
  }
}
