import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenRelayUnderTest, startGenRelay } from '../support/start-genrelay.js';
import {
  type OpenAIDouble,
  startOpenAIDouble,
} from '../upstreams/openai-compatible/openai-compatible-double.js';

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('upstream failures, fallback and cooldown', () => {
  let flaky: OpenAIDouble;
  let steady: OpenAIDouble;
  let genrelay: GenRelayUnderTest;

  beforeAll(async () => {
    flaky = await startOpenAIDouble({ behaviour: { kind: 'server-error', status: 500 } });
    steady = await startOpenAIDouble({
      behaviour: { kind: 'normal', text: 'steady answer' },
    });
    const instance = (baseUrl: string) => ({
      type: 'openai-compatible',
      baseUrl,
      models: ['double-chat'],
      imageModels: [],
      timeoutMs: 500,
    });
    genrelay = await startGenRelay({
      providers: {
        flaky: { ...instance(flaky.baseUrl), aliases: { 'flaky-only': 'double-chat' } },
        steady: instance(steady.baseUrl),
      },
      router: { failureThreshold: 3, failureWindowMs: 60_000, cooldownMs: 60_000 },
    });
  });
  afterAll(async () => {
    await genrelay?.close();
    await flaky?.close();
    await steady?.close();
  });

  it('falls back to the next provider, then skips the failing one while it cools down', async () => {
    const openai = genrelay.openai();
    for (let attempt = 0; attempt < 3; attempt++) {
      const completion = await openai.chat.completions.create({
        model: 'double-chat',
        messages,
      });
      expect(completion.choices[0]?.message.content).toBe('steady answer');
    }
    expect(
      flaky.requests.filter((request) => request.path.endsWith('/chat/completions')),
    ).toHaveLength(3);
    await openai.chat.completions.create({ model: 'double-chat', messages });
    // Cooling down: the fourth request went straight to the steady provider.
    expect(
      flaky.requests.filter((request) => request.path.endsWith('/chat/completions')),
    ).toHaveLength(3);
    const health = (await (await fetch(`${genrelay.url}/healthz`)).json()) as {
      providers: { provider: string; coolingDownUntil?: number }[];
    };
    expect(
      health.providers.find((entry) => entry.provider === 'flaky')?.coolingDownUntil,
    ).toBeGreaterThan(Date.now());
  });

  it('passes a rate limit on as 429 with Retry-After', async () => {
    flaky.behaviour = { kind: 'rate-limited', retryAfterSeconds: 7 };
    const error = await genrelay
      .openai()
      .chat.completions.create({ model: 'flaky-only', messages })
      .catch((thrown) => thrown);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.headers.get('retry-after')).toBe('7');
    expect(error.code).toBe('rate_limit_exceeded');
  });

  it('answers 502 for an upstream server error and 504 for an upstream that hangs', async () => {
    flaky.behaviour = { kind: 'server-error', status: 503 };
    const failed = await genrelay
      .openai()
      .chat.completions.create({ model: 'flaky-only', messages })
      .catch((thrown) => thrown);
    expect(failed.status).toBe(502);
    expect(failed.code).toBe('upstream_error');

    flaky.behaviour = { kind: 'hang' };
    const started = Date.now();
    const hung = await genrelay
      .openai()
      .chat.completions.create({ model: 'flaky-only', messages })
      .catch((thrown) => thrown);
    expect(hung.status).toBe(504);
    expect(hung.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('ends the stream with an error event when the upstream breaks off after content', async () => {
    flaky.behaviour = { kind: 'cut-mid-stream', text: 'one two three four' };
    const stream = await genrelay
      .openai()
      .chat.completions.create({ model: 'flaky-only', messages, stream: true });
    const received: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream)
        received.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((thrown) => thrown);
    expect(received.join('')).not.toBe('');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    // The error event carries our envelope: the socket cut is an upstream error.
    expect(error.code).toBe('upstream_error');
    expect(String(error.message)).toContain('other side closed');
  });

  it('reports a malformed upstream chunk as a parse error', async () => {
    flaky.behaviour = { kind: 'malformed-chunk' };
    const error = await genrelay
      .openai()
      .chat.completions.create({ model: 'flaky-only', messages, stream: true })
      .catch((thrown) => thrown);
    expect(error.status).toBe(502);
    expect(error.code).toBe('response_parse_error');
  });
});

describe('a client that disconnects', () => {
  let upstream: Server;
  let closed: Promise<void>;
  let genrelay: GenRelayUnderTest;

  beforeAll(async () => {
    // An upstream that streams forever and tells when its client goes away.
    let upstreamClosed: () => void = () => {};
    closed = new Promise((resolve) => {
      upstreamClosed = resolve;
    });
    upstream = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = { choices: [{ delta: { content: 'tick ' }, finish_reason: null }] };
      const timer = setInterval(
        () => response.write(`data: ${JSON.stringify(chunk)}\n\n`),
        20,
      );
      request.socket.on('close', () => {
        clearInterval(timer);
        upstreamClosed();
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    genrelay = await startGenRelay({
      providers: {
        endless: {
          type: 'openai-compatible',
          baseUrl: `http://127.0.0.1:${port}/v1`,
          models: ['endless'],
          imageModels: [],
        },
      },
    });
  });
  afterAll(async () => {
    await genrelay?.close();
    upstream?.closeAllConnections();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  it('aborts the upstream call', async () => {
    const controller = new AbortController();
    const stream = await genrelay
      .openai()
      .chat.completions.create(
        { model: 'endless', messages, stream: true },
        { signal: controller.signal },
      );
    let received = 0;
    await (async () => {
      for await (const _chunk of stream) {
        received++;
        if (received === 3) controller.abort();
      }
    })().catch(() => undefined);
    const outcome = await Promise.race([
      closed.then(() => 'upstream closed'),
      new Promise((resolve) => setTimeout(resolve, 5000, 'still open')),
    ]);
    expect(outcome).toBe('upstream closed');
  });
});
