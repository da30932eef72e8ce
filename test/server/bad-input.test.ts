import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doubleInstance } from '../support/config-file.js';
import { type GenRelayUnderTest, startGenRelay } from '../support/start-genrelay.js';
import {
  type OpenAIDouble,
  startOpenAIDouble,
} from '../upstreams/openai-compatible/openai-compatible-double.js';

interface ErrorEnvelope {
  error: { message: string; type: string; param: string | null; code: string | null };
}

describe('bad input gets a clear 4xx and the server keeps serving', () => {
  let double: OpenAIDouble;
  let genrelay: GenRelayUnderTest;

  async function post(path: string, body: string | object) {
    const response = await fetch(`${genrelay.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as ErrorEnvelope };
  }

  const chat = (extra: object) =>
    post('/v1/chat/completions', {
      model: 'double-chat',
      messages: [{ role: 'user', content: 'hi' }],
      ...extra,
    });

  beforeAll(async () => {
    double = await startOpenAIDouble();
    genrelay = await startGenRelay({
      server: { maxBodyBytes: 4096 },
      providers: {
        local: doubleInstance(double),
      },
    });
  });
  afterAll(async () => {
    await genrelay?.close();
    await double?.close();
  });

  it('says what is wrong with a body that is not JSON', async () => {
    const { status, body } = await post(
      '/v1/chat/completions',
      '{"model": "double-chat", ',
    );
    expect(status).toBe(400);
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/^The body is not valid JSON/);
    // The next request is served as usual.
    expect((await chat({})).status).toBe(200);
  });

  it('names a missing field', async () => {
    const { status, body } = await post('/v1/chat/completions', { model: 'double-chat' });
    expect(status).toBe(400);
    expect(body.error.param).toBe('messages');
    expect(body.error.message).toContain('messages:');
  });

  it('names a wrongly typed field by its full path', async () => {
    const { status, body } = await chat({ messages: [{ role: 'user', content: 42 }] });
    expect(status).toBe(400);
    expect(body.error.param).toBe('messages[0].content');
  });

  it('refuses roles and options it cannot honour', async () => {
    expect(
      (await chat({ messages: [{ role: 'tool', content: 'x' }] })).body.error.param,
    ).toBe('messages[0].role');
    expect((await chat({ n: 2 })).body.error.message).toContain(
      'only n = 1 is supported',
    );
    expect((await chat({ temperature: 7 })).body.error.param).toBe('temperature');
  });

  it('never reads local files or non-https URLs named as images', async () => {
    for (const url of [
      'file:///etc/passwd',
      '/etc/passwd',
      'http://169.254.169.254/latest',
      'data:text/plain;base64,aGk=',
    ]) {
      const { status, body } = await chat({
        messages: [
          { role: 'user', content: [{ type: 'image_url', image_url: { url } }] },
        ],
      });
      expect(status).toBe(400);
      expect(body.error.param).toBe('messages[0].content[0].image_url.url');
    }
    expect(
      double.requests.some((request) => JSON.stringify(request.body).includes('passwd')),
    ).toBe(false);
  });

  it('answers an unknown model with 404 and the valid models, as OpenAI does', async () => {
    const error = await genrelay
      .openai()
      .chat.completions.create({
        model: 'gpt-9',
        messages: [{ role: 'user', content: 'hi' }],
      })
      .catch((thrown) => thrown);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe('model_not_found');
    expect(error.message).toContain('Valid models: double-chat');
  });

  it('refuses a body over the limit with 413', async () => {
    const { status, body } = await chat({
      messages: [{ role: 'user', content: 'x'.repeat(5000) }],
    });
    expect(status).toBe(413);
    expect(body.error.message).toContain('4096 bytes (server.maxBodyBytes)');
  });

  it('checks image requests field by field', async () => {
    const image = (extra: object) =>
      post('/v1/images/generations', { model: 'double-image', prompt: 'fox', ...extra });
    expect((await image({ prompt: '   ' })).body.error.param).toBe('prompt');
    expect((await image({ size: 'big' })).body.error.param).toBe('size');
    expect((await image({ size: '9999x10' })).body.error.param).toBe('size');
    expect((await image({ n: 11 })).body.error.param).toBe('n');
    expect((await image({ aspect_ratio: '5:7' })).body.error.param).toBe('aspect_ratio');
    expect((await image({ response_format: 'png' })).body.error.param).toBe(
      'response_format',
    );
  });

  it('answers unknown routes and files with a 404 envelope', async () => {
    const route = await fetch(`${genrelay.url}/v1/nothing`);
    expect(route.status).toBe(404);
    expect(((await route.json()) as ErrorEnvelope).error.message).toContain(
      '/v1/nothing',
    );
    const file = await fetch(`${genrelay.url}/v1/files/..%2F..%2Fetc%2Fpasswd`);
    expect(file.status).toBe(404);
  });
});
