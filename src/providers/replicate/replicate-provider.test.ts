import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { catalogNames, resolveModel } from '../../core/model-catalog.js';
import { predictionTarget } from './prediction-target.js';
import { replicateFactory } from './replicate-provider.js';

const context = (env: Record<string, string> = {}) => ({
  // Nothing here may reach the network.
  http: {
    request: () => Promise.reject(new Error('no requests in these tests')),
  },
  logger: silentLogger,
  env,
  dataDir: '/nonexistent',
});

const settings = (raw: Record<string, unknown> = {}) =>
  replicateFactory.settings.parse({ type: 'replicate', ...raw });

describe('replicate factory', () => {
  it('has a built-in instance, enabled only when REPLICATE_API_TOKEN is set', () => {
    const [builtIn] = replicateFactory.builtIn ?? [];
    expect(builtIn?.id).toBe('replicate');
    expect(builtIn?.enabledByDefault({})).toBe(false);
    expect(builtIn?.enabledByDefault({ REPLICATE_API_TOKEN: '' })).toBe(false);
    expect(builtIn?.enabledByDefault({ REPLICATE_API_TOKEN: 'r8_x' })).toBe(true);
  });

  it('defaults to the official API and validates model names', () => {
    expect(settings()).toMatchObject({
      baseUrl: 'https://api.replicate.com/v1',
      waitSeconds: 5,
      timeoutMs: 300_000,
    });
    expect(() => settings({ models: ['not a model'] })).toThrow(/owner\/name/);
    expect(() => settings({ models: ['../account'] })).toThrow(/owner\/name/);
    expect(() => settings({ waitSeconds: 61 })).toThrow();
  });
});

describe('replicate catalog', () => {
  it('serves the seed models, their aliases, configured ones and any owner/name', async () => {
    const provider = replicateFactory.create(
      'replicate',
      settings({
        models: ['meta/meta-llama-3-8b-instruct'],
        aliases: { llama: 'meta/meta-llama-3-8b-instruct' },
      }),
      context(),
    );
    const catalog = await provider.models({ signal: AbortSignal.timeout(1_000) });

    expect(resolveModel(catalog, 'sdxl', 'image')).toBe('bytedance/sdxl-lightning-4step');
    expect(resolveModel(catalog, 'sd-3', 'image')).toBe(
      'stability-ai/stable-diffusion-3',
    );
    expect(resolveModel(catalog, 'playground-v2.5', 'image')).toBe(
      'playgroundai/playground-v2.5-1024px-aesthetic',
    );
    expect(resolveModel(catalog, 'gemma-2b', 'chat')).toBe('google-deepmind/gemma-2b-it');
    expect(resolveModel(catalog, 'llama', 'chat')).toBe('meta/meta-llama-3-8b-instruct');
    expect(resolveModel(catalog, '', 'image')).toBe('stability-ai/stable-diffusion-3');
    expect(resolveModel(catalog, 'someone/their-model', 'image')).toBe(
      'someone/their-model',
    );
    const pinned = `someone/their-model:${'ab'.repeat(32)}`;
    expect(resolveModel(catalog, pinned, 'chat')).toBe(pinned);
    expect(resolveModel(catalog, 'someone/model:short', 'chat')).toBeUndefined();
    expect(resolveModel(catalog, 'someone/model.v2', 'chat')).toBe('someone/model.v2');
    for (const walk of ['../..', '../account', 'a/..', 'a/.hidden']) {
      expect(resolveModel(catalog, walk, 'chat')).toBeUndefined();
    }
    expect(resolveModel(catalog, 'sdxl', 'chat')).toBeUndefined();
    // A known image model is not run for chat just because it matches the pattern.
    expect(
      resolveModel(catalog, 'bytedance/sdxl-lightning-4step', 'chat'),
    ).toBeUndefined();
    expect(catalogNames(catalog, 'chat')).toEqual([
      'google-deepmind/gemma-2b-it',
      'meta/meta-llama-3-8b-instruct',
      'gemma-2b',
      'llama',
    ]);
  });
});

describe('predictionTarget', () => {
  it('pins known models, keeps a given version, and runs others as official models', () => {
    expect(predictionTarget('bytedance/sdxl-lightning-4step')).toMatchObject({
      model: 'bytedance/sdxl-lightning-4step',
      version: '5f24084160c9089501c1b3545d9be3c27883ae2239b6f412990e82d4a6210f8f',
      known: { kind: 'image' },
    });
    const other = 'c'.repeat(64);
    const repinned = predictionTarget(`bytedance/sdxl-lightning-4step:${other}`);
    expect(repinned).toMatchObject({ version: other });
    // Another version may take other inputs: its schema is read, not assumed.
    expect(repinned.known).toBeUndefined();
    expect(predictionTarget('black-forest-labs/flux-schnell')).toEqual({
      owner: 'black-forest-labs',
      name: 'flux-schnell',
      model: 'black-forest-labs/flux-schnell',
    });
    for (const invalid of ['no-slash', '../..', '../account', 'a/..']) {
      expect(() => predictionTarget(invalid)).toThrow(
        expect.objectContaining({ code: 'invalid_request', param: 'model' }),
      );
    }
  });
});
