import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  CanceledError,
  RateLimitError,
  UpstreamError,
} from '../core/errors.js';
import type { GenerationRequest } from '../core/generation-request.js';
import { emptyCatalog, type ModelCatalog } from '../core/model-catalog.js';
import type { StreamPart } from '../core/stream-part.js';
import type { Provider } from '../providers/provider.js';
import { ProviderHealth } from './provider-health.js';
import { Router } from './router.js';

type Script = (
  request: GenerationRequest,
  signal: AbortSignal,
) => AsyncIterable<StreamPart>;

function fakeProvider(id: string, catalog: Partial<ModelCatalog>, script: Script) {
  const calls: GenerationRequest[] = [];
  const provider: Provider & { calls: GenerationRequest[] } = {
    id,
    type: 'fake',
    label: `Fake ${id}`,
    calls,
    models: async () => ({ ...emptyCatalog, ...catalog }),
    generate: (request, options) => {
      calls.push(request);
      return script(request, options.signal);
    },
  };
  return provider;
}

const answers = (...texts: string[]): Script =>
  async function* () {
    for (const text of texts) yield { type: 'text', delta: text };
    yield { type: 'finish', reason: 'stop' };
  };

const fails = (error: Error, ...before: StreamPart[]): Script =>
  async function* () {
    yield* before;
    throw error;
  };

const chat = (model: string): GenerationRequest => ({
  kind: 'chat',
  model,
  messages: [{ role: 'user', content: 'hi' }],
});

function health(now: () => number = Date.now) {
  return new ProviderHealth({
    failureThreshold: 3,
    failureWindowMs: 60_000,
    cooldownMs: 30_000,
    now,
  });
}

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const result: StreamPart[] = [];
  for await (const part of parts) result.push(part);
  return result;
}

const signal = () => new AbortController().signal;

describe('Router', () => {
  it('resolves aliases to each provider’s own id and announces the attempt', async () => {
    const a = fakeProvider(
      'a',
      { textModels: ['llama-3'], aliases: { llama: 'llama-3' } },
      answers('hi'),
    );
    const router = new Router([a], { health: health() });
    const parts = await collect(router.generate(chat('llama'), { signal: signal() }));
    expect(parts).toEqual([
      { type: 'provider', provider: 'a', model: 'llama-3', label: 'Fake a' },
      { type: 'text', delta: 'hi' },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(a.calls[0]?.model).toBe('llama-3');
  });

  it('falls back to the next provider when one fails before any content', async () => {
    const a = fakeProvider(
      'a',
      { textModels: ['m'] },
      fails(new UpstreamError('a is down')),
    );
    const b = fakeProvider('b', { textModels: ['m'] }, answers('from b'));
    const parts = await collect(
      new Router([a, b], { health: health() }).generate(chat('m'), { signal: signal() }),
    );
    expect(parts.map((part) => part.type)).toEqual([
      'provider',
      'error',
      'provider',
      'text',
      'finish',
    ]);
    expect(parts[1]).toMatchObject({
      fatal: false,
      provider: 'a',
      code: 'upstream_error',
    });
    expect(parts[3]).toEqual({ type: 'text', delta: 'from b' });
  });

  it('never falls back after content was shown: the error is the request’s', async () => {
    const a = fakeProvider(
      'a',
      { textModels: ['m'] },
      fails(new UpstreamError('cut'), { type: 'text', delta: 'half' }),
    );
    const b = fakeProvider('b', { textModels: ['m'] }, answers('whole'));
    const router = new Router([a, b], { health: health() });
    const seen: StreamPart[] = [];
    await expect(async () => {
      for await (const part of router.generate(chat('m'), { signal: signal() }))
        seen.push(part);
    }).rejects.toThrow('cut');
    expect(seen.filter((part) => part.type === 'text')).toEqual([
      { type: 'text', delta: 'half' },
    ]);
    expect(b.calls).toHaveLength(0);
  });

  it('passes queue and progress parts through live, but holds a finish without content', async () => {
    const a = fakeProvider('a', { imageModels: ['img'] }, async function* () {
      yield { type: 'queued', position: 2 };
      yield { type: 'finish', reason: 'stop' };
    });
    const b = fakeProvider('b', { imageModels: ['img'] }, async function* () {
      yield { type: 'image', data: new Uint8Array([1]), mediaType: 'image/png' };
      yield { type: 'finish', reason: 'stop' };
    });
    const request: GenerationRequest = { ...chat('img'), kind: 'image' };
    const parts = await collect(
      new Router([a, b], { health: health() }).generate(request, { signal: signal() }),
    );
    expect(parts.map((part) => part.type)).toEqual([
      'provider',
      'queued',
      'error',
      'provider',
      'image',
      'finish',
    ]);
    expect(parts[2]).toMatchObject({ message: 'a answered with no content' });
  });

  it('passes a single failure on unchanged', async () => {
    const limited = new RateLimitError('slow down', { retryAfterMs: 5000 });
    const a = fakeProvider('a', { textModels: ['m'] }, fails(limited));
    await expect(
      collect(
        new Router([a], { health: health() }).generate(chat('m'), { signal: signal() }),
      ),
    ).rejects.toBe(limited);
  });

  it('lists every provider’s failure, keeping a shared code and the shortest wait', async () => {
    const a = fakeProvider(
      'a',
      { textModels: ['m'] },
      fails(new RateLimitError('a busy', { retryAfterMs: 9000 })),
    );
    const b = fakeProvider(
      'b',
      { textModels: ['m'] },
      fails(new RateLimitError('b busy', { retryAfterMs: 2000 })),
    );
    const error = await collect(
      new Router([a, b], { health: health() }).generate(chat('m'), { signal: signal() }),
    ).catch((thrown) => thrown);
    expect(error).toMatchObject({
      code: 'rate_limited',
      status: 429,
      retryAfterMs: 2000,
    });
    expect(error.message).toBe(
      'All 2 providers failed for model "m":\n- a: rate_limited: a busy\n- b: rate_limited: b busy',
    );
  });

  it('reports mixed failures as an upstream error, and an auth failure above all', async () => {
    const down = fakeProvider(
      'a',
      { textModels: ['m'] },
      fails(new UpstreamError('down')),
    );
    const limited = fakeProvider(
      'b',
      { textModels: ['m'] },
      fails(new RateLimitError('busy')),
    );
    const mixed = await collect(
      new Router([down, limited], { health: health() }).generate(chat('m'), {
        signal: signal(),
      }),
    ).catch((thrown) => thrown);
    expect(mixed).toMatchObject({ code: 'upstream_error', status: 502 });

    const locked = fakeProvider(
      'c',
      { textModels: ['m'] },
      fails(new AuthenticationError('no cookie')),
    );
    const auth = await collect(
      new Router([down, locked], { health: health() }).generate(chat('m'), {
        signal: signal(),
      }),
    ).catch((thrown) => thrown);
    expect(auth).toMatchObject({ code: 'authentication_failed', message: 'no cookie' });
  });

  it('answers an unknown model with the list of valid ones', async () => {
    const a = fakeProvider(
      'a',
      { textModels: ['m1'], aliases: { short: 'm1' } },
      answers('x'),
    );
    const b = fakeProvider('b', { imageModels: ['i1'] }, answers('x'));
    const error = await collect(
      new Router([a, b], { health: health() }).generate(chat('gpt-9'), {
        signal: signal(),
      }),
    ).catch((thrown) => thrown);
    expect(error).toMatchObject({ code: 'model_not_found', status: 404 });
    expect(error.message).toContain('Valid models: m1, short');
  });

  it('says no provider serves the kind when no model is named and none has a default', async () => {
    const chatOnly = fakeProvider(
      'a',
      { textModels: ['m1'], defaultTextModel: 'm1' },
      answers('x'),
    );
    const request: GenerationRequest = { ...chat(''), kind: 'image' };
    const error = await collect(
      new Router([chatOnly], { health: health() }).generate(request, {
        signal: signal(),
      }),
    ).catch((thrown) => thrown);
    expect(error).toMatchObject({ code: 'model_not_found', status: 404, param: 'model' });
    expect(error.message).toBe(
      'No configured provider serves image models (see `genrelay providers`).',
    );
  });

  it('tries the providers a route names, in its order, passing the name through', async () => {
    const a = fakeProvider('a', { textModels: ['m'] }, answers('a'));
    const b = fakeProvider('b', {}, answers('b'));
    const router = new Router([a, b], {
      health: health(),
      routes: { special: ['b', 'a'] },
    });
    const parts = await collect(router.generate(chat('special'), { signal: signal() }));
    expect(parts[0]).toMatchObject({ provider: 'b', model: 'special' });
    expect(a.calls).toHaveLength(0);
  });

  it('cools a provider down after 3 failures in a minute, and lets it back after', async () => {
    let now = 1_000_000;
    const router = new Router(
      [
        fakeProvider('flaky', { textModels: ['m'] }, fails(new UpstreamError('down'))),
        fakeProvider('steady', { textModels: ['m'] }, answers('ok')),
      ],
      { health: health(() => now) },
    );
    const firstAttempt = async () =>
      (await collect(router.generate(chat('m'), { signal: signal() })))[0];
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(await firstAttempt()).toMatchObject({ provider: 'flaky' });
      now += 1000;
    }
    expect(router.health.status('flaky').coolingDownUntil).toBe(now - 1000 + 30_000);
    expect(await firstAttempt()).toMatchObject({ provider: 'steady' });
    now += 30_000;
    expect(await firstAttempt()).toMatchObject({ provider: 'flaky' });
  });

  it('still tries a cooling provider when it is the only one', async () => {
    let now = 0;
    const flaky = fakeProvider(
      'flaky',
      { textModels: ['m'] },
      fails(new UpstreamError('down')),
    );
    const router = new Router([flaky], { health: health(() => now) });
    for (let attempt = 0; attempt < 4; attempt++) {
      await collect(router.generate(chat('m'), { signal: signal() })).catch(
        () => undefined,
      );
      now += 10;
    }
    expect(flaky.calls).toHaveLength(4);
  });

  it('stops at once when the caller aborts, without trying other providers', async () => {
    const controller = new AbortController();
    const a = fakeProvider(
      'a',
      { textModels: ['m'] },
      async function* (_request, abortSignal) {
        controller.abort();
        if (abortSignal.aborted) throw new DOMException('aborted', 'AbortError');
        yield { type: 'text', delta: 'never' };
      },
    );
    const b = fakeProvider('b', { textModels: ['m'] }, answers('b'));
    await expect(
      collect(
        new Router([a, b], { health: health() }).generate(chat('m'), {
          signal: controller.signal,
        }),
      ),
    ).rejects.toBeInstanceOf(CanceledError);
    expect(b.calls).toHaveLength(0);
  });

  it('lists models and aliases with the providers serving them', async () => {
    const a = fakeProvider(
      'a',
      { textModels: ['m'], aliases: { alias: 'm' } },
      answers(),
    );
    const b = fakeProvider('b', { textModels: ['m'], imageModels: ['i'] }, answers());
    const listing = await new Router([a, b], { health: health() }).listModels({
      signal: signal(),
    });
    expect(listing).toEqual([
      { id: 'm', kind: 'chat', providers: ['a', 'b'] },
      { id: 'alias', kind: 'chat', providers: ['a'] },
      { id: 'i', kind: 'image', providers: ['b'] },
    ]);
  });
});
