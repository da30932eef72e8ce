import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doubleInstance } from '../support/config-file.js';
import { type GenRelayUnderTest, startGenRelay } from '../support/start-genrelay.js';
import {
  type OpenAIDouble,
  startOpenAIDouble,
} from '../upstreams/openai-compatible/openai-compatible-double.js';

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('OpenAI-compatible API, through the official openai client', () => {
  let double: OpenAIDouble;
  let genrelay: GenRelayUnderTest;

  beforeAll(async () => {
    double = await startOpenAIDouble({
      models: ['double-chat', 'double-image'],
      behaviour: {
        kind: 'normal',
        text: 'The quick brown fox',
        reasoning: 'Let me think.',
      },
    });
    genrelay = await startGenRelay({
      providers: {
        local: doubleInstance(double, { aliases: { fast: 'double-chat' } }),
      },
    });
  });
  afterAll(async () => {
    await genrelay?.close();
    await double?.close();
  });

  it('answers a chat completion in one piece', async () => {
    const completion = await genrelay.openai().chat.completions.create({
      model: 'fast',
      messages: [{ role: 'user', content: 'Say something' }],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.model).toBe('double-chat');
    expect(completion.choices[0]?.message.content).toBe('The quick brown fox');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    const message = completion.choices[0]?.message as unknown as {
      reasoning_content?: string;
    };
    expect(message.reasoning_content).toBe('Let me think.');
    const upstream = double.requests.at(-1)?.body as { model: string; stream: boolean };
    expect(upstream).toMatchObject({ model: 'double-chat', stream: false });
  });

  it('streams deltas in order, reasoning first, usage last when asked', async () => {
    const stream = await genrelay.openai().chat.completions.create({
      model: 'double-chat',
      messages: [{ role: 'user', content: 'Stream please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const ids = new Set(chunks.map((chunk) => chunk.id));
    expect(ids.size).toBe(1);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('The quick brown fox');
    const reasoning = chunks
      .map(
        (chunk) =>
          (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)
            ?.reasoning_content ?? '',
      )
      .join('');
    expect(reasoning).toBe('Let me think.');
    const finishes = chunks.filter((chunk) => chunk.choices[0]?.finish_reason);
    expect(finishes.map((chunk) => chunk.choices[0]?.finish_reason)).toEqual(['stop']);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.total_tokens).toBeGreaterThan(0);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it('sends the exact OpenAI stream framing, ending with [DONE]', async () => {
    const response = await fetch(`${genrelay.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'double-chat',
        stream: true,
        messages: [{ role: 'user', content: 'x' }],
      }),
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const body = await response.text();
    const events = body.split('\n\n').filter((event) => event !== '');
    expect(events.every((event) => event.startsWith('data: '))).toBe(true);
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(body).not.toContain('"usage"');
  });

  it('generates images as our URL, serving the stored PNG', async () => {
    const result = await genrelay.openai().images.generate({
      model: 'double-image',
      prompt: 'a red fox',
      size: '512x512',
    });
    const url = result.data?.[0]?.url ?? '';
    expect(url.startsWith(`${genrelay.url}/v1/files/`)).toBe(true);
    const image = await fetch(url);
    expect(image.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await image.arrayBuffer());
    expect([...bytes.subarray(0, 8)]).toEqual(pngSignature);
    // IHDR holds the width and height the upstream was asked for.
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([512, 512]);
    const sent = double.requests.filter(
      (request) => request.path === '/v1/images/generations',
    );
    expect(sent.at(-1)?.body).toMatchObject({ prompt: 'a red fox', size: '512x512' });
  });

  it('generates several images as base64', async () => {
    const result = await genrelay.openai().images.generate({
      model: 'double-image',
      prompt: 'two cats',
      n: 2,
      response_format: 'b64_json',
    });
    expect(result.data).toHaveLength(2);
    for (const entry of result.data ?? []) {
      const bytes = Buffer.from(entry.b64_json ?? '', 'base64');
      expect([...bytes.subarray(0, 8)]).toEqual(pngSignature);
      expect(entry.url).toBeUndefined();
    }
  });

  it('lists models and aliases, and retrieves one', async () => {
    const openai = genrelay.openai();
    const ids = [];
    for await (const model of openai.models.list()) ids.push(model.id);
    expect(ids.sort()).toEqual(['double-chat', 'double-image', 'fast']);
    const model = await openai.models.retrieve('fast');
    expect(model).toMatchObject({ id: 'fast', object: 'model', owned_by: 'local' });
  });

  it('answers the health check', async () => {
    const response = await fetch(`${genrelay.url}/healthz`);
    expect(await response.json()).toEqual({
      status: 'ok',
      providers: [{ provider: 'local', recentFailures: 0 }],
      instances: [{ id: 'local', slots: 64, busy: 0, healthy: true }],
    });
  });
});
