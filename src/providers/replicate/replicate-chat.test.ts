import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  chat,
  createHarness,
  run,
  textOf,
} from '../../../test/replicate/provider-harness.js';
import { recordingLogger } from '../../../test/support/recording-logger.js';
import {
  type ReplicateDouble,
  startReplicateDouble,
} from '../../../test/upstreams/replicate/replicate-double.js';
import { DEFAULT_TOKENS } from '../../../test/upstreams/replicate/scenario.js';

const gemma = 'google-deepmind/gemma-2b-it';
const gemmaVersion = 'dff94eaf770e1fc211e425a50b51baa8e4cac6c39ef074681f9e39d778773626';
const llama = 'meta/meta-llama-3-8b-instruct';

let double: ReplicateDouble;
const harness = createHarness(() => double);

beforeAll(async () => {
  double = await startReplicateDouble();
});
afterAll(async () => {
  await harness.close();
  await double?.close();
});
beforeEach(() => {
  double.reset();
});

const signal = () => AbortSignal.timeout(5_000);
const creates = () => double.requests.filter((request) => request.method === 'POST');

describe('replicate chat', () => {
  it('streams the tokens as the model makes them, then finishes', async () => {
    double.setScenario(gemma, { kind: 'succeed', tokenDelayMs: 60 });
    const outcome = await run(
      harness.provider().generate(chat(gemma), { signal: AbortSignal.timeout(5_000) }),
    );

    expect(outcome.error).toBeUndefined();
    const texts = outcome.parts.filter((part) => part.type === 'text');
    expect(texts.map((part) => part.delta)).toEqual(DEFAULT_TOKENS);
    expect(outcome.parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const [prediction] = [...double.predictions.values()].slice(-1);
    const lastSent = prediction?.tokenSentAt.at(-1) ?? 0;
    // The first token was in hand well before the model made its last one.
    expect(outcome.arrivals[0] ?? Number.POSITIVE_INFINITY).toBeLessThan(lastSent - 150);
    expect(outcome.arrivals[0]).toBeGreaterThanOrEqual(prediction?.tokenSentAt[0] ?? 0);
  });

  it('creates by the pinned version, without Prefer, and reads the stream without the token', async () => {
    await run(
      harness.provider().generate(chat('google-deepmind/gemma-2b-it'), {
        signal: AbortSignal.timeout(5_000),
      }),
    );
    const [create] = creates();
    expect(create).toMatchObject({
      server: 'api',
      path: '/v1/predictions',
      body: { version: gemmaVersion, input: { prompt: 'Say hello' } },
    });
    expect(create?.headers.prefer).toBeUndefined();
    expect(create?.headers['cancel-after']).toBe('300s');
    expect(create?.headers.authorization).toBe(`Bearer ${double.token}`);
    const stream = double.requests.find((request) => request.path.startsWith('/stream/'));
    expect(stream?.server).toBe('files');
    expect(stream?.headers.accept).toBe('text/event-stream');
    expect(stream?.headers.authorization).toBeUndefined();
  });

  it('answers in one piece with Prefer: wait when the caller does not stream', async () => {
    const provider = harness.provider({ waitSeconds: 7 });
    const outcome = await run(
      provider.generate(chat(gemma, { stream: false }), {
        signal: AbortSignal.timeout(5_000),
      }),
    );

    expect(textOf(outcome.parts)).toBe(DEFAULT_TOKENS.join(''));
    expect(outcome.parts.filter((part) => part.type === 'text')).toHaveLength(1);
    expect(creates()[0]?.headers.prefer).toBe('wait=7');
    expect(double.requests.some((request) => request.path.startsWith('/stream/'))).toBe(
      false,
    );
  });

  it('polls for the tokens of a model that does not stream', async () => {
    double.setScenario('genrelay-test/plain-text', { kind: 'succeed', tokenDelayMs: 30 });
    const outcome = await run(
      harness
        .provider()
        .generate(
          chat(
            'genrelay-test/plain-text:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc',
          ),
          {
            signal: AbortSignal.timeout(5_000),
          },
        ),
    );

    expect(outcome.error).toBeUndefined();
    expect(textOf(outcome.parts)).toBe(DEFAULT_TOKENS.join(''));
    // More than one text part: the text grew between polls.
    expect(outcome.parts.filter((part) => part.type === 'text').length).toBeGreaterThan(
      1,
    );
    expect(
      double.requests.filter((request) => request.method === 'GET').length,
    ).toBeGreaterThan(1);
  });

  it('carries on by polling when the stream breaks off, without repeating text', async () => {
    double.setScenario(gemma, { kind: 'cut-stream', afterTokens: 2, tokenDelayMs: 20 });
    const logger = recordingLogger();
    const outcome = await run(
      harness
        .provider({}, { logger })
        .generate(chat(gemma), { signal: AbortSignal.timeout(5_000) }),
    );

    expect(outcome.error).toBeUndefined();
    expect(textOf(outcome.parts)).toBe(DEFAULT_TOKENS.join(''));
    expect(outcome.parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    expect(logger.warnings.join()).toContain('stream broke off');
    expect(double.requests.some((request) => request.path.endsWith('/cancel'))).toBe(
      false,
    );
  });

  it('takes the token from `token`, else from REPLICATE_API_TOKEN', async () => {
    const bySetting = harness.provider({ apiKey: undefined, token: double.token });
    expect((await run(bySetting.generate(chat(gemma), { signal: signal() }))).error).toBe(
      undefined,
    );
    const env = { REPLICATE_API_TOKEN: double.token };
    const byEnv = harness.provider({ apiKey: undefined }, { env });
    const outcome = await run(byEnv.generate(chat(gemma), { signal: signal() }));
    expect(outcome.error).toBeUndefined();
    expect(creates().at(-1)?.headers.authorization).toBe(`Bearer ${double.token}`);
  });

  it('sends the system prompt apart to a model whose schema takes one', async () => {
    const provider = harness.provider();
    const request = chat(llama, {
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello?' },
      ],
      maxTokens: 64,
      temperature: 0.5,
      stop: ['###', 'END'],
      topP: 0.9,
    });
    await run(provider.generate(request, { signal: AbortSignal.timeout(5_000) }));
    await run(provider.generate(request, { signal: AbortSignal.timeout(5_000) }));

    const [create] = creates();
    expect(create?.path).toBe(`/v1/models/${llama}/predictions`);
    // The schema lists no top_p, so it is not sent; max_tokens is this model's name.
    expect(create?.body).toEqual({
      input: {
        prompt: 'Hello?',
        system_prompt: 'Be brief.',
        max_tokens: 64,
        temperature: 0.5,
        stop_sequences: '###,END',
      },
    });
    const lookups = double.requests.filter(
      (request) => request.path === `/v1/models/${llama}`,
    );
    expect(lookups).toHaveLength(1);
  });

  it('folds the system prompt into the prompt of a model without one', async () => {
    await run(
      harness.provider().generate(
        chat(gemma, {
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'Hello?' },
          ],
        }),
        { signal: AbortSignal.timeout(5_000) },
      ),
    );
    expect(creates()[0]?.body).toEqual({
      version: gemmaVersion,
      input: { prompt: 'System: Be brief.\nUser: Hello?\nAssistant:' },
    });
  });
});
