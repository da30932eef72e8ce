import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type OpenAIDouble,
  startOpenAIDouble,
} from '../../../test/upstreams/openai-compatible/openai-compatible-double.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import { silentLogger } from '../../core/logger.js';
import type { StreamPart } from '../../core/stream-part.js';
import { createHttpClient } from '../../http/http-client.js';
import { OpenAICompatibleProvider } from './openai-compatible-provider.js';
import { openAICompatibleSettingsSchema } from './openai-compatible-settings.js';

const http = createHttpClient({});

function provider(double: OpenAIDouble, settings: Record<string, unknown> = {}) {
  return new OpenAICompatibleProvider(
    'local',
    openAICompatibleSettingsSchema.parse({ baseUrl: double.baseUrl, ...settings }),
    {
      http,
      logger: silentLogger,
      env: { LOCAL_KEY: 'sk-from-env' },
      dataDir: '/nonexistent',
    },
  );
}

const chat = (extra: Partial<GenerationRequest> = {}): GenerationRequest => ({
  kind: 'chat',
  model: 'double-chat',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hello?' },
  ],
  ...extra,
});

async function collect(parts: AsyncIterable<StreamPart>) {
  const result: StreamPart[] = [];
  for await (const part of parts) result.push(part);
  return result;
}

const signal = () => AbortSignal.timeout(10_000);

describe('openai-compatible provider', () => {
  let double: OpenAIDouble;
  beforeAll(async () => {
    double = await startOpenAIDouble({ apiKey: 'sk-from-env' });
  });
  afterEach(() => {
    double.behaviour = { kind: 'normal' };
  });
  afterAll(async () => {
    await double.close();
  });

  it('streams text token by token, with reasoning, usage and finish', async () => {
    double.behaviour = { kind: 'normal', text: 'one two three', reasoning: 'hmm' };
    const parts = await collect(
      provider(double, { apiKeyEnv: 'LOCAL_KEY' }).generate(chat(), { signal: signal() }),
    );
    expect(parts.filter((part) => part.type === 'text')).toEqual([
      { type: 'text', delta: 'one' },
      { type: 'text', delta: ' two' },
      { type: 'text', delta: ' three' },
    ]);
    expect(parts[0]).toEqual({ type: 'reasoning', delta: 'hmm' });
    // The double counts words: three of text and one of reasoning.
    expect(parts.at(-2)).toMatchObject({ type: 'usage', completionTokens: 4 });
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const sent = double.requests.at(-1);
    expect(sent?.headers.authorization).toBe('Bearer sk-from-env');
    expect(sent?.body).toMatchObject({
      model: 'double-chat',
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello?' },
      ],
    });
  });

  it('answers in one round trip when the caller does not stream', async () => {
    double.behaviour = { kind: 'normal', text: 'all at once' };
    const parts = await collect(
      provider(double, { apiKey: 'sk-from-env' }).generate(chat({ stream: false }), {
        signal: signal(),
      }),
    );
    expect(parts.filter((part) => part.type === 'text')).toEqual([
      { type: 'text', delta: 'all at once' },
    ]);
    expect(double.requests.at(-1)?.body).toMatchObject({ stream: false });
  });

  it('sends images as image_url parts on the last user message', async () => {
    const image = {
      kind: 'bytes' as const,
      data: new Uint8Array([1, 2, 3]),
      mediaType: 'image/png',
    };
    await collect(
      provider(double, { apiKey: 'sk-from-env' }).generate(chat({ images: [image] }), {
        signal: signal(),
      }),
    );
    const body = double.requests.at(-1)?.body as { messages: { content: unknown }[] };
    expect(body.messages[1]?.content).toEqual([
      { type: 'text', text: 'Hello?' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AQID' } },
    ]);
  });

  it('types upstream failures', async () => {
    const local = provider(double, { apiKey: 'sk-from-env', timeoutMs: 300 });
    double.behaviour = { kind: 'rate-limited', retryAfterSeconds: 3 };
    await expect(
      collect(local.generate(chat(), { signal: signal() })),
    ).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 3000,
      provider: 'local',
    });
    double.behaviour = { kind: 'server-error', status: 500 };
    await expect(
      collect(local.generate(chat(), { signal: signal() })),
    ).rejects.toMatchObject({ code: 'upstream_error', retryable: true });
    double.behaviour = { kind: 'malformed-chunk' };
    await expect(
      collect(local.generate(chat(), { signal: signal() })),
    ).rejects.toMatchObject({ code: 'response_parse_error' });
    double.behaviour = { kind: 'cut-mid-stream' };
    await expect(
      collect(local.generate(chat(), { signal: signal() })),
    ).rejects.toMatchObject({ code: 'upstream_error' });
    double.behaviour = { kind: 'hang' };
    await expect(
      collect(local.generate(chat(), { signal: signal() })),
    ).rejects.toMatchObject({ code: 'timeout' });
  });

  it('reports a wrong key as an authentication error', async () => {
    await expect(
      collect(
        provider(double, { apiKey: 'sk-wrong' }).generate(chat(), { signal: signal() }),
      ),
    ).rejects.toMatchObject({
      code: 'authentication_failed',
      status: 401,
    });
  });

  it('stops when the caller aborts', async () => {
    double.behaviour = { kind: 'slow-first-token', delayMs: 5000 };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(
      collect(
        provider(double, { apiKey: 'sk-from-env' }).generate(chat(), {
          signal: controller.signal,
        }),
      ),
    ).rejects.toMatchObject({
      code: 'canceled',
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('learns its models from /models, telling image models apart, and caches them', async () => {
    const other = await startOpenAIDouble({
      models: ['llama3.2', 'dall-e-3', 'flux-schnell'],
    });
    try {
      const local = provider(other);
      const catalog = await local.models({ signal: signal() });
      expect(catalog.textModels).toEqual(['llama3.2']);
      expect(catalog.imageModels).toEqual(['dall-e-3', 'flux-schnell']);
      expect(catalog.defaultTextModel).toBe('llama3.2');
      await local.models({ signal: signal() });
      expect(
        other.requests.filter((request) => request.path === '/v1/models'),
      ).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('falls back to the configured models when /models is unreachable', async () => {
    const local = new OpenAICompatibleProvider(
      'gone',
      openAICompatibleSettingsSchema.parse({
        baseUrl: 'http://127.0.0.1:9/v1',
        models: ['m'],
      }),
      { http, logger: silentLogger, env: {}, dataDir: '/nonexistent' },
    );
    const catalog = await local.models({ signal: signal() });
    expect(catalog.textModels).toEqual(['m']);
    expect(catalog.imageModels).toEqual([]);
  });

  it('generates images, downloading URL results so they can be stored', async () => {
    const parts = await collect(
      provider(double, { apiKey: 'sk-from-env' }).generate(
        {
          kind: 'image',
          model: 'double-image',
          messages: [],
          prompt: 'a fox',
          aspectRatio: '16:9',
          count: 2,
        },
        { signal: signal() },
      ),
    );
    const images = parts.filter((part) => part.type === 'image');
    expect(images).toHaveLength(2);
    expect(images[0]).toMatchObject({ mediaType: 'image/png', width: 1024, height: 576 });
    expect(
      double.requests.find((request) => request.path === '/v1/images/generations')?.body,
    ).toMatchObject({
      prompt: 'a fox',
      n: 2,
      size: '1024x576',
    });
  });
});
