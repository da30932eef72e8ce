import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OpenAIDouble, startOpenAIDouble } from './openai-compatible-double.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const messages = [{ role: 'user' as const, content: 'Say hello' }];

let double: OpenAIDouble;

beforeEach(async () => {
  double = await startOpenAIDouble();
});

afterEach(async () => {
  await double.close();
});

function client(options: { apiKey?: string; timeout?: number } = {}): OpenAI {
  return new OpenAI({
    baseURL: double.baseUrl,
    apiKey: options.apiKey ?? 'sk-test',
    maxRetries: 0,
    timeout: options.timeout ?? 5_000,
    logLevel: 'off',
  });
}

async function collect(
  stream: AsyncIterable<ChatCompletionChunk>,
): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(bytes: Uint8Array): [number, number] {
  expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  const view = Buffer.from(bytes);
  expect(view.toString('latin1', 12, 16)).toBe('IHDR');
  return [view.readUInt32BE(16), view.readUInt32BE(20)];
}

describe('chat completions', () => {
  it('answers a non-streaming completion with content, usage and finish_reason', async () => {
    const completion = await client().chat.completions.create({
      model: 'double-chat',
      messages,
    });

    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('double-chat');
    expect(completion.choices[0]?.message).toMatchObject({
      role: 'assistant',
      content: 'Hello from the double.',
    });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toEqual({
      prompt_tokens: 2,
      completion_tokens: 4,
      total_tokens: 6,
    });
    expect(double.requests).toHaveLength(1);
    expect(double.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      body: { model: 'double-chat', messages },
    });
    expect(double.requests[0]?.headers.authorization).toBe('Bearer sk-test');
  });

  it('streams reasoning, then word deltas, then stop and a usage chunk', async () => {
    double.behaviour = {
      kind: 'normal',
      text: 'One two three',
      reasoning: 'Think first',
    };
    const stream = await client().chat.completions.create({
      model: 'double-chat',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);

    const deltas = chunks.map(
      (chunk) => chunk.choices[0]?.delta as Record<string, unknown>,
    );
    expect(deltas).toEqual([
      { role: 'assistant', content: '' },
      { reasoning_content: 'Think' },
      { reasoning_content: ' first' },
      { content: 'One' },
      { content: ' two' },
      { content: ' three' },
      {},
      undefined,
    ]);
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason ?? null)).toEqual([
      ...Array<null>(6).fill(null),
      'stop',
      null,
    ]);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({
      prompt_tokens: 2,
      completion_tokens: 5,
      total_tokens: 7,
    });
  });

  it('frames the stream exactly as OpenAI does', async () => {
    const response = await fetch(`${double.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'double-chat', messages, stream: true }),
    });
    const text = await response.text();

    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const events = text.split('\n\n');
    expect(events.pop()).toBe('');
    expect(events.pop()).toBe('data: [DONE]');
    const chunks = events.map((event) => JSON.parse(event.replace(/^data: /, '')));
    expect(chunks).toHaveLength(6);
    for (const chunk of chunks) {
      expect(Object.keys(chunk)).toEqual([
        'id',
        'object',
        'created',
        'model',
        'system_fingerprint',
        'choices',
      ]);
      expect(chunk.object).toBe('chat.completion.chunk');
    }
  });

  it('answers 400 with the parameter for a missing messages field or invalid JSON', async () => {
    const missing = client().chat.completions.create({ model: 'double-chat' } as never);
    await expect(missing).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(missing).rejects.toMatchObject({
      param: 'messages',
      type: 'invalid_request_error',
    });

    const response = await fetch(`${double.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json');
    const { error } = await response.json();
    expect(error).toMatchObject({
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
  });

  it('answers 404 model_not_found for an unknown model', async () => {
    const request = client().chat.completions.create({ model: 'nope', messages });
    await expect(request).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(request).rejects.toMatchObject({ code: 'model_not_found' });
  });
});

describe('models', () => {
  it('lists and retrieves models, and 404s unknown ones', async () => {
    const openai = client();
    const list = await openai.models.list();
    expect(list.data.map((model) => model.id)).toEqual(['double-chat', 'double-image']);
    expect(list.data[0]).toMatchObject({ object: 'model', owned_by: 'system' });

    expect(await openai.models.retrieve('double-image')).toMatchObject({
      id: 'double-image',
    });
    const missing = openai.models.retrieve('gpt-nope');
    await expect(missing).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(missing).rejects.toMatchObject({ code: 'model_not_found' });
  });
});

describe('images', () => {
  it('returns URLs that serve PNGs of the requested size', async () => {
    const result = await client().images.generate({
      model: 'double-image',
      prompt: 'a cat',
      n: 2,
      size: '1792x1024',
      response_format: 'url',
    });

    expect(result.data).toHaveLength(2);
    const urls = (result.data ?? []).map((image) => image.url ?? '');
    expect(new Set(urls).size).toBe(2);
    for (const url of urls) {
      expect(url.startsWith(`${new URL(double.baseUrl).origin}/files/`)).toBe(true);
      const response = await fetch(url);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(pngSize(new Uint8Array(await response.arrayBuffer()))).toEqual([1792, 1024]);
    }
  });

  it('returns b64_json that decodes to a PNG of the requested size', async () => {
    const result = await client().images.generate({
      model: 'double-image',
      prompt: 'a cat',
      size: '256x512' as '256x256',
      response_format: 'b64_json',
    });

    const encoded = result.data?.[0]?.b64_json ?? '';
    expect(pngSize(Buffer.from(encoded, 'base64'))).toEqual([256, 512]);
  });

  it('answers 400 for a missing prompt', async () => {
    const request = client().images.generate({ model: 'double-image' } as never);
    await expect(request).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(request).rejects.toMatchObject({ param: 'prompt' });
  });
});

describe('moderations', () => {
  it('flags the inputs that contain a scripted word, with its categories', async () => {
    double.flaggedWords = { knife: ['violence'], idiot: ['harassment'] };
    const result = await client().moderations.create({
      model: 'omni-moderation-latest',
      input: ['a calm lake', 'a KNIFE and an idiot'],
    });

    expect(result.id).toMatch(/^modr-/);
    expect(result.model).toBe('omni-moderation-latest');
    const [calm, rude] = result.results;
    expect(calm?.flagged).toBe(false);
    expect(Object.values(calm?.categories ?? {}).some(Boolean)).toBe(false);
    expect(rude?.flagged).toBe(true);
    expect(rude?.categories).toMatchObject({
      violence: true,
      harassment: true,
      hate: false,
    });
    expect(rude?.category_scores.violence).toBeGreaterThan(0.5);
    expect(rude?.category_applied_input_types.violence).toEqual(['text']);
    expect(double.requests[0]).toMatchObject({
      path: '/v1/moderations',
      body: {
        model: 'omni-moderation-latest',
        input: ['a calm lake', 'a KNIFE and an idiot'],
      },
    });
  });

  it('takes a single string and multi-modal text parts', async () => {
    double.flaggedWords = { knife: ['violence'] };
    const single = await client().moderations.create({ input: 'knife' });
    expect(single.results.map((entry) => entry.flagged)).toEqual([true]);
    const parts = await client().moderations.create({
      model: 'omni-moderation-latest',
      input: [
        { type: 'text', text: 'a knife' },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
      ],
    });
    expect(parts.results.map((entry) => entry.flagged)).toEqual([true, false]);
  });

  it('checks the bearer key and answers 400 without input', async () => {
    const keyed = await startOpenAIDouble({ apiKey: 'sk-moderation' });
    try {
      const wrongKey = new OpenAI({
        baseURL: keyed.baseUrl,
        apiKey: 'sk-wrong',
        maxRetries: 0,
        logLevel: 'off',
      }).moderations.create({ input: 'hello' });
      await expect(wrongKey).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      await expect(wrongKey).rejects.toMatchObject({ code: 'invalid_api_key' });
    } finally {
      await keyed.close();
    }
    const missing = client().moderations.create({} as never);
    await expect(missing).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(missing).rejects.toMatchObject({ param: 'input' });
  });

  it('answers with the scripted failure behaviours', async () => {
    double.behaviour = { kind: 'rate-limited', retryAfterSeconds: 7 };
    const limited = client().moderations.create({ input: 'hello' });
    await expect(limited).rejects.toBeInstanceOf(OpenAI.RateLimitError);
  });
});
