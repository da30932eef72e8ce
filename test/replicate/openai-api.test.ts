import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GenRelayUnderTest, startGenRelay } from '../support/start-genrelay.js';
import {
  type ReplicateDouble,
  startReplicateDouble,
} from '../upstreams/replicate/replicate-double.js';
import { DEFAULT_TOKENS } from '../upstreams/replicate/scenario.js';

const gemma = 'google-deepmind/gemma-2b-it';
const sdxl = 'bytedance/sdxl-lightning-4step';

let double: ReplicateDouble;
let genrelay: GenRelayUnderTest;

beforeAll(async () => {
  double = await startReplicateDouble();
  genrelay = await startGenRelay({
    // The double serves its output files from loopback.
    server: { allowPrivateMediaUrls: true },
    providers: {
      replicate: {
        baseUrl: double.baseUrl,
        apiKey: double.token,
        waitSeconds: 1,
        timeoutMs: 2_000,
        pollIntervalMs: 20,
        maxPollIntervalMs: 40,
      },
    },
  });
});
afterAll(async () => {
  await genrelay?.close();
  await double?.close();
});
beforeEach(() => {
  double.reset();
});

const messages = [{ role: 'user' as const, content: 'Say hello' }];
const latest = () => [...double.predictions.values()].at(-1);

describe('the OpenAI API over the Replicate provider, with the official openai client', () => {
  it('streams a chat completion chunk by chunk as the tokens are made', async () => {
    double.setScenario(gemma, { kind: 'succeed', tokenDelayMs: 120 });
    const stream = await genrelay.openai().chat.completions.create({
      model: 'gemma-2b',
      messages,
      stream: true,
    });
    const contents: { text: string; at: number }[] = [];
    const finishes: string[] = [];
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content)
        contents.push({ text: choice.delta.content, at: Date.now() });
      if (choice?.finish_reason) finishes.push(choice.finish_reason);
    }

    expect(contents.map((content) => content.text)).toEqual(DEFAULT_TOKENS);
    expect(finishes).toEqual(['stop']);
    const sent = latest()?.tokenSentAt ?? [];
    expect(contents[0]?.at ?? Number.POSITIVE_INFINITY).toBeLessThan(
      (sent.at(-1) ?? 0) - 400,
    );
  });

  it('answers a chat completion in one piece', async () => {
    const completion = await genrelay.openai().chat.completions.create({
      model: 'gemma-2b',
      messages,
    });
    expect(completion.model).toBe(gemma);
    expect(completion.choices[0]?.message.content).toBe(DEFAULT_TOKENS.join(''));
  });

  it('generates images stored and served by genrelay, as URLs or base64', async () => {
    const openai = genrelay.openai();
    const byUrl = await openai.images.generate({
      model: 'sdxl',
      prompt: 'a red fox',
      size: '512x512',
    });
    const url = byUrl.data?.[0]?.url ?? '';
    expect(url.startsWith(`${genrelay.url}/v1/files/`)).toBe(true);
    const response = await fetch(url);
    expect(response.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(new DataView(bytes.buffer).getUint32(16)).toBe(512);
    expect(latest()?.input).toMatchObject({
      prompt: 'a red fox',
      width: 512,
      height: 512,
    });

    const byData = await openai.images.generate({
      model: sdxl,
      prompt: 'a red fox',
      response_format: 'b64_json',
      n: 2,
    });
    expect(byData.data).toHaveLength(2);
    const decoded = Buffer.from(byData.data?.[1]?.b64_json ?? '', 'base64');
    expect(
      [...decoded.subarray(1, 4)].map((code) => String.fromCharCode(code)).join(''),
    ).toBe('PNG');
  });

  it('cancels the prediction when the client aborts a stream', async () => {
    double.setScenario(gemma, { kind: 'succeed', tokenDelayMs: 300 });
    const controller = new AbortController();
    const stream = await genrelay
      .openai()
      .chat.completions.create(
        { model: 'gemma-2b', messages, stream: true },
        { signal: controller.signal },
      );
    const read = (async () => {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) controller.abort();
      }
    })();
    // The client ends the iteration on abort; whether it throws is its own business.
    await read.catch(() => undefined);
    const cancel = await double.waitForRequest((request) =>
      request.path.endsWith('/cancel'),
    );
    expect(cancel.server).toBe('api');
    expect(latest()?.canceledAt).toBeDefined();
  });

  const failures = [
    {
      name: 'a failed prediction',
      scenario: { kind: 'fail', afterMs: 30 },
      status: 502,
      code: 'upstream_error',
    },
    {
      name: 'a prediction canceled upstream',
      scenario: { kind: 'cancel-upstream', afterMs: 30 },
      status: 400,
      code: 'canceled',
    },
    {
      name: 'a rate limit',
      scenario: { kind: 'rate-limited', retryAfterSeconds: 3 },
      status: 429,
      code: 'rate_limit_exceeded',
    },
    {
      name: 'an invalid input',
      scenario: { kind: 'invalid-input', field: 'input.width' },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'slow processing past the bound',
      scenario: { kind: 'succeed', processingMs: 10_000 },
      status: 504,
      code: 'timeout',
    },
  ] as const;

  for (const failure of failures) {
    it(`answers ${failure.name} with its typed error within its bound`, async () => {
      double.setScenario(sdxl, failure.scenario);
      const started = Date.now();
      const request = genrelay.openai().images.generate({ model: 'sdxl', prompt: 'x' });
      const error = await request.then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error).toMatchObject({ status: failure.status, code: failure.code });
      // The provider's bound is 2 s (the create is held for 1 s of it).
      expect(Date.now() - started).toBeLessThan(3_000);
      if (failure.code === 'timeout') {
        await double.waitForRequest((entry) => entry.path.endsWith('/cancel'));
      }
    });
  }

  it('answers a wrong token with an authentication error', async () => {
    const other = await startGenRelay({
      providers: { replicate: { baseUrl: double.baseUrl, apiKey: 'r8_wrong' } },
    });
    try {
      const request = other.openai().images.generate({ model: 'sdxl', prompt: 'x' });
      await expect(request).rejects.toMatchObject({
        status: 401,
        code: 'invalid_api_key',
      });
    } finally {
      await other.close();
    }
  });
});
