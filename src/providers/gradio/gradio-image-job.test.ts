import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../../http/http-client.js';
import { GradioClient } from './gradio-client.js';
import { runImageJob } from './gradio-image-job.js';

const config = {
  version: '5.49.1',
  api_prefix: '/gradio_api',
  protocol: 'sse_v3',
  dependencies: [{ id: 0, targets: [[1, 'click']], api_name: 'infer' }],
};

/** An app whose call API completes at once with `result`. */
function appAnswering(result: unknown[]): GradioClient {
  const json = (value: unknown) =>
    new Response(JSON.stringify(value), {
      headers: { 'content-type': 'application/json' },
    });
  const http = createHttpClient({
    fetch: async (input) => {
      const { pathname } = new URL(String(input));
      if (pathname === '/config') return json(config);
      if (pathname === '/gradio_api/call/infer') return json({ event_id: 'e1' });
      if (pathname === '/gradio_api/call/infer/e1') {
        return new Response(`event: complete\ndata: ${JSON.stringify(result)}\n\n`, {
          headers: { 'content-type': 'text/event-stream' },
        });
      }
      return new Response('{"detail":"Not Found"}', { status: 404 });
    },
  });
  return new GradioClient({ baseUrl: 'http://space.test', http, provider: 'space' });
}

describe('runImageJob', () => {
  it('reports a final image whose path is no URL as a parse error of the provider', async () => {
    const job = runImageJob(
      appAnswering([{ path: 'http://[', url: null }, 1]),
      { endpoint: { apiName: 'infer' }, protocol: 'call', data: [], imageOutput: 0 },
      { signal: AbortSignal.timeout(5_000), timeoutMs: 5_000 },
    );
    await expect(job.next()).rejects.toMatchObject({
      code: 'response_parse_error',
      provider: 'space',
      message: 'gradio "space" finished without an image',
    });
  });
});
