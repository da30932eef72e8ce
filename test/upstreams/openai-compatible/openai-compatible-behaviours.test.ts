import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type OpenAIDouble,
  type OpenAIDoubleOptions,
  startOpenAIDouble,
} from './openai-compatible-double.js';

const messages = [{ role: 'user' as const, content: 'Say hello' }];
const chat = { model: 'double-chat', messages };

let double: OpenAIDouble | undefined;

afterEach(async () => {
  await double?.close();
  double = undefined;
});

async function start(options: OpenAIDoubleOptions = {}): Promise<OpenAIDouble> {
  double = await startOpenAIDouble(options);
  return double;
}

function client(
  target: OpenAIDouble,
  options: { apiKey?: string; timeout?: number } = {},
): OpenAI {
  return new OpenAI({
    baseURL: target.baseUrl,
    apiKey: options.apiKey ?? 'sk-test',
    maxRetries: 0,
    timeout: options.timeout ?? 5_000,
    logLevel: 'off',
  });
}

/** Iterates a stream and returns the content received before it failed, and the failure. */
async function consume(stream: AsyncIterable<OpenAI.ChatCompletionChunk>) {
  let content = '';
  try {
    for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
  } catch (error) {
    return { content, error };
  }
  return { content, error: undefined };
}

describe('error behaviours', () => {
  it('rate-limited answers 429 with Retry-After and the error envelope', async () => {
    const target = await start({
      behaviour: { kind: 'rate-limited', retryAfterSeconds: 7 },
    });
    const error = await client(target)
      .chat.completions.create(chat)
      .catch((e) => e);

    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.headers.get('retry-after')).toBe('7');
    expect(error).toMatchObject({ code: 'rate_limit_exceeded', type: 'requests' });
  });

  it('server-error answers 500 by default and the given status otherwise', async () => {
    const target = await start({ behaviour: { kind: 'server-error' } });
    target.setBehaviour('double-image', { kind: 'server-error', status: 503 });
    const openai = client(target);

    const chatError = await openai.chat.completions.create(chat).catch((e) => e);
    expect(chatError).toBeInstanceOf(OpenAI.InternalServerError);
    expect(chatError).toMatchObject({ status: 500, type: 'server_error' });
    const imageError = await openai.images
      .generate({ model: 'double-image', prompt: 'a cat' })
      .catch((e) => e);
    expect(imageError).toMatchObject({ status: 503, type: 'server_error' });
  });

  it('rejects a missing or wrong API key with invalid_api_key and accepts the right one', async () => {
    const target = await start({ apiKey: 'sk-right-key' });
    const wrong = client(target, { apiKey: 'sk-wrong-key' }).models.list();
    await expect(wrong).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(wrong).rejects.toMatchObject({ code: 'invalid_api_key' });

    const missing = await fetch(`${target.baseUrl}/models`);
    expect(missing.status).toBe(401);
    expect((await missing.json()).error.code).toBe('invalid_api_key');

    const list = await client(target, { apiKey: 'sk-right-key' }).models.list();
    expect(list.data).toHaveLength(2);
  });

  it('applies per-model behaviours over the default', async () => {
    const target = await start();
    target.setBehaviour('double-image', { kind: 'rate-limited', retryAfterSeconds: 1 });
    const openai = client(target);

    await expect(openai.chat.completions.create(chat)).resolves.toBeDefined();
    const image = openai.images.generate({ model: 'double-image', prompt: 'a cat' });
    await expect(image).rejects.toBeInstanceOf(OpenAI.RateLimitError);
  });
});

describe('transport behaviours', () => {
  it('hang lets the client time out and close() still returns promptly', async () => {
    const target = await start({ behaviour: { kind: 'hang' } });
    const request = client(target, { timeout: 300 }).chat.completions.create(chat);
    await expect(request).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);

    const stillHanging = fetch(`${target.baseUrl}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify(chat),
    }).catch((error: unknown) => error);
    await expect.poll(() => target.requests.length).toBe(2);
    const started = performance.now();
    await target.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await stillHanging).toBeInstanceOf(TypeError);
  });

  it('cut-mid-stream delivers the first token, then the stream throws', async () => {
    const target = await start({
      behaviour: { kind: 'cut-mid-stream', text: 'One two three' },
    });
    const openai = client(target);
    const stream = await openai.chat.completions.create({ ...chat, stream: true });

    const { content, error } = await consume(stream);
    expect(content).toBe('One');
    expect(error).toBeInstanceOf(Error);
    const plain = openai.chat.completions.create(chat);
    await expect(plain).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('malformed-chunk makes stream iteration and non-stream parsing throw', async () => {
    const target = await start({ behaviour: { kind: 'malformed-chunk' } });
    const openai = client(target);
    const stream = await openai.chat.completions.create({ ...chat, stream: true });

    const { content, error } = await consume(stream);
    expect(content).toBe('');
    expect(error).toBeInstanceOf(SyntaxError);
    await expect(openai.chat.completions.create(chat)).rejects.toBeInstanceOf(
      SyntaxError,
    );
  });

  it('slow-first-token sends headers at once and the first chunk after the delay', async () => {
    const target = await start({ behaviour: { kind: 'slow-first-token', delayMs: 300 } });
    const started = performance.now();
    const response = await fetch(`${target.baseUrl}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ ...chat, stream: true }),
    });
    const headersAfter = performance.now() - started;
    const reader = response.body?.getReader();
    const first = await reader?.read();
    const chunkAfter = performance.now() - started;
    await reader?.cancel();

    expect(headersAfter).toBeLessThan(250);
    expect(chunkAfter).toBeGreaterThanOrEqual(290);
    expect(new TextDecoder().decode(first?.value)).toMatch(/^data: \{/);
  });

  it('tokenDelayMs spaces the stream deltas out', async () => {
    const behaviour = { kind: 'normal' as const, text: 'a b c d', tokenDelayMs: 50 };
    const target = await start({ behaviour });
    const started = performance.now();
    const stream = await client(target).chat.completions.create({
      ...chat,
      stream: true,
    });
    const { content } = await consume(stream);

    expect(content).toBe('a b c d');
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('records nothing when started with record: false', async () => {
    const target = await start({ record: false });
    await client(target).models.list();
    expect(target.requests).toEqual([]);
  });
});
