import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doubleInstance } from '../support/config-file.js';
import { type GenRelayUnderTest, startGenRelay } from '../support/start-genrelay.js';
import {
  type OpenAIDouble,
  startOpenAIDouble,
} from '../upstreams/openai-compatible/openai-compatible-double.js';

describe('API keys', () => {
  let double: OpenAIDouble;
  let genrelay: GenRelayUnderTest;
  const key = 'gr-test-key-123456';
  const ask = (apiKey: string) =>
    genrelay.openai({ apiKey }).chat.completions.create({
      model: 'double-chat',
      messages: [{ role: 'user', content: 'hi' }],
    });

  beforeAll(async () => {
    double = await startOpenAIDouble();
    genrelay = await startGenRelay({
      server: { apiKeys: [key] },
      providers: {
        local: doubleInstance(double, { imageModels: [] }),
      },
    });
  });
  afterAll(async () => {
    await genrelay?.close();
    await double?.close();
  });

  it('accepts a configured key', async () => {
    expect((await ask(key)).choices[0]?.message.content).toBeTruthy();
  });

  it('answers 401 without a key and 403 with a wrong one, reaching no upstream', async () => {
    const before = double.requests.length;
    const missing = await fetch(`${genrelay.url}/v1/models`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({
      error: { code: 'invalid_api_key', type: 'authentication_error' },
    });
    await expect(ask('wrong-key-000000')).rejects.toBeInstanceOf(
      OpenAI.PermissionDeniedError,
    );
    expect(double.requests.length).toBe(before);
  });

  it('leaves the health check open', async () => {
    expect((await fetch(`${genrelay.url}/healthz`)).status).toBe(200);
  });
});
