import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CanceledError,
  InternalError,
  ResponseParseError,
  TimeoutError,
  UpstreamError,
} from '../core/errors.js';
import { createHttpClient } from './http-client.js';

async function listen(
  handler: RequestListener,
): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

const received: { method?: string; contentType?: string; body: string }[] = [];
let connections = 0;

const routes: Record<string, RequestListener> = {
  '/hello': (_request, response) => {
    response.setHeader('Set-Cookie', ['a=1', 'b=2']);
    response.setHeader('X-Upstream', 'yes');
    response.end('hello');
  },
  '/echo': (request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const body = Buffer.concat(parts).toString();
      received.push({
        method: request.method,
        contentType: request.headers['content-type'],
        body,
      });
      response.end('ok');
    });
  },
  '/json': (_request, response) => response.end('{"answer":42}'),
  '/broken-json': (_request, response) => response.end('{"answer":'),
  '/error': (_request, response) => response.writeHead(500).end('down'),
  '/big': (_request, response) => response.end('x'.repeat(2_000)),
  '/big-chunked': (_request, response) => {
    for (let index = 0; index < 20; index++) response.write('x'.repeat(100));
    response.end();
  },
  '/silent': () => undefined,
  '/stall': (_request, response) => {
    response.writeHead(200);
    response.write('first');
  },
  '/trickle': (_request, response) => {
    response.writeHead(200);
    const timer = setInterval(() => response.write('.'), 20);
    response.on('close', () => clearInterval(timer));
  },
  '/reset': (_request, response) => {
    response.writeHead(200, { 'content-length': '100' });
    response.write('partial', () => response.socket?.destroy());
  },
};

let upstream: { server: Server; origin: string };
const client = createHttpClient({ maxResponseBytes: 1_000 });
const impatient = createHttpClient({ idleTimeoutMs: 100 });

beforeAll(async () => {
  upstream = await listen((request, response) => {
    const route = routes[new URL(request.url ?? '/', 'http://x').pathname];
    if (route) route(request, response);
    else response.writeHead(404).end();
  });
  upstream.server.on('connection', () => connections++);
});

afterAll(async () => {
  await Promise.all([client.close(), impatient.close()]);
  await stop(upstream.server);
});

const url = (path: string) => `${upstream.origin}${path}`;

describe('createHttpClient', () => {
  it('answers status, lower-case headers and the body', async () => {
    const response = await client.request({ url: url('/hello') });
    expect(response.status).toBe(200);
    expect(response.url).toBe(url('/hello'));
    expect(response.headers['x-upstream']).toBe('yes');
    expect(response.header('X-Upstream')).toBe('yes');
    expect(response.header('set-cookie')).toBe('a=1, b=2');
    expect(await response.text()).toBe('hello');
  });

  it('sends POST by default when there is a body, and FormData with its boundary', async () => {
    received.length = 0;
    await (await client.request({ url: url('/echo'), body: 'plain' })).dispose();
    const form = new FormData();
    form.append('prompt', 'a cat');
    const formRequest = {
      url: url('/echo'),
      method: 'PUT',
      headers: { 'Content-Type': 'text/plain' },
      body: form,
    };
    await (await client.request(formRequest)).text();
    expect(received[0]).toMatchObject({ method: 'POST', body: 'plain' });
    expect(received[1]?.method).toBe('PUT');
    expect(received[1]?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(received[1]?.body).toContain('name="prompt"\r\n\r\na cat');
  });

  it('parses JSON, and says so when it is not JSON', async () => {
    expect(await (await client.request({ url: url('/json') })).json()).toEqual({
      answer: 42,
    });
    const broken = await client.request({ url: url('/broken-json') });
    await expect(broken.json()).rejects.toBeInstanceOf(ResponseParseError);
  });

  it('returns error statuses instead of throwing', async () => {
    const response = await client.request({ url: url('/error') });
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('down');
  });

  it('refuses to buffer more than maxResponseBytes, declared or streamed', async () => {
    const declared = client
      .request({ url: url('/big') })
      .then((response) => response.text());
    await expect(declared).rejects.toThrow(/larger than 1000 bytes/);
    const streamed = await client.request({ url: url('/big-chunked') });
    await expect(streamed.bytes()).rejects.toBeInstanceOf(UpstreamError);
  });

  it('does not cap a body read as a stream', async () => {
    const response = await client.request({ url: url('/big') });
    let size = 0;
    for await (const chunk of response.body) size += chunk.length;
    expect(size).toBe(2_000);
  });

  it('answers bytes as a plain Uint8Array', async () => {
    const bytes = await (await client.request({ url: url('/hello') })).bytes();
    expect(bytes).toEqual(new TextEncoder().encode('hello'));
  });

  it('refuses a second read of the body', async () => {
    const response = await client.request({ url: url('/hello') });
    await response.text();
    await expect(response.text()).rejects.toBeInstanceOf(InternalError);
  });

  it('reuses the connection after a body is read or disposed', async () => {
    await (await client.request({ url: url('/hello') })).text();
    const before = connections;
    await (await client.request({ url: url('/hello') })).dispose();
    await (await client.request({ url: url('/json') })).json();
    await (await client.request({ url: url('/hello') })).text();
    expect(connections).toBe(before);
  });

  it('reports a refused connection as a retryable UpstreamError naming the host', async () => {
    const closed = await listen(() => undefined);
    await stop(closed.server);
    const error = await client
      .request({ url: `${closed.origin}/` })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(new URL(closed.origin).host);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('reports a connection cut mid-body as a retryable UpstreamError', async () => {
    const response = await client.request({ url: url('/reset') });
    const error = await response.text().catch((caught) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.retryable).toBe(true);
  });

  it('times out waiting for headers, naming the bound', async () => {
    const outcome = impatient.request({ url: url('/silent') });
    await expect(outcome).rejects.toBeInstanceOf(TimeoutError);
    await expect(outcome).rejects.toThrow(/sent no response headers within 100 ms/);
  });

  it('times out when the body stalls', async () => {
    const response = await impatient.request({ url: url('/stall') });
    await expect(response.text()).rejects.toThrow(/sent no data for 100 ms/);
  });

  it('times out on the total bound while the body still trickles', async () => {
    const started = performance.now();
    const response = await impatient.request({ url: url('/trickle'), timeoutMs: 150 });
    const error = await response.text().catch((caught) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/did not finish within 150 ms/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("fails with CanceledError on the caller's abort, before or after the headers", async () => {
    const early = new AbortController();
    const waiting = client.request({ url: url('/silent'), signal: early.signal });
    setTimeout(() => early.abort(), 20);
    await expect(waiting).rejects.toBeInstanceOf(CanceledError);

    const late = new AbortController();
    const response = await client.request({ url: url('/stall'), signal: late.signal });
    setTimeout(() => late.abort(), 20);
    await expect(response.text()).rejects.toBeInstanceOf(CanceledError);

    const gone = client.request({ url: url('/hello'), signal: AbortSignal.abort() });
    await expect(gone).rejects.toBeInstanceOf(CanceledError);
  });
});

describe('createHttpClient with an injected fetch', () => {
  it('sends through it without following redirects', async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const fakeFetch = async (input: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: String(input), init });
      return new Response('{"ok":true}', { status: 201, headers: { 'X-Fake': '1' } });
    };
    const response = await createHttpClient({ fetch: fakeFetch as typeof fetch }).request(
      {
        url: 'https://api.example.com/v1',
        body: '{}',
      },
    );
    expect(calls[0]?.init).toMatchObject({
      method: 'POST',
      body: '{}',
      redirect: 'manual',
    });
    expect([response.status, response.header('x-fake')]).toEqual([201, '1']);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('maps a fetch failure to a retryable UpstreamError with the cause', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
    });
    const failingFetch = async () => {
      throw new TypeError('fetch failed', { cause: refused });
    };
    const http = createHttpClient({ fetch: failingFetch as typeof fetch });
    const error = await http.request({ url: 'https://api.example.com/' }).catch((e) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.message).toBe('request to api.example.com failed: connect ECONNREFUSED');
  });
});
