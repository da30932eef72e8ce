import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GenRelayUnderTest, startGenRelay } from '../support/start-genrelay.js';
import {
  type GradioSpaceDouble,
  startGradioSpaceDouble,
} from '../upstreams/gradio-space/gradio-space-double.js';
import { quotaMessageNew } from '../upstreams/gradio-space/scenario.js';
import { fluxSchnellApp } from '../upstreams/gradio-space/space-app.js';

const timeoutMs = 800;
const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let dev: GradioSpaceDouble;
let schnell: GradioSpaceDouble;
let genrelay: GenRelayUnderTest;

beforeAll(async () => {
  dev = await startGradioSpaceDouble();
  schnell = await startGradioSpaceDouble({ app: fluxSchnellApp });
  genrelay = await startGenRelay({
    providers: {
      'blackforestlabs-flux1dev': { baseUrl: dev.url, timeoutMs },
      'voodoohop-flux1schnell': { baseUrl: schnell.url, timeoutMs },
    },
    // Failing on purpose here must not cool a Space down for the next test.
    router: { failureThreshold: 1_000 },
  });
});
afterEach(() => {
  dev.scenario = { kind: 'success' };
  schnell.scenario = { kind: 'success' };
});
afterAll(async () => {
  await genrelay?.close();
  await dev?.close();
  await schnell?.close();
});

function pngSize(bytes: Uint8Array): [number, number] {
  const view = Buffer.from(bytes);
  expect([...view.subarray(0, 8)]).toEqual(pngSignature);
  return [view.readUInt32BE(16), view.readUInt32BE(20)];
}

const calls = () => ({
  dev: dev.requestsTo('/queue/join').length,
  schnell: schnell.requestsTo('/call/infer').length,
});

describe('/v1/images/generations with the FLUX Spaces', () => {
  it('lists flux, flux-dev and flux-schnell', async () => {
    const models = await genrelay.openai().models.list();
    const ids = models.data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(['flux', 'flux-dev', 'flux-schnell']));
  });

  it('answers flux with our URL to the stored image, from FLUX.1-dev first', async () => {
    const before = calls();
    const response = await genrelay.openai().images.generate({
      model: 'flux',
      prompt: 'a red fox',
      size: '512x512',
    });
    const url = response.data?.[0]?.url;
    expect(url).toMatch(new RegExp(`^${genrelay.url}/v1/files/`));
    const served = await fetch(url ?? '');
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(pngSize(new Uint8Array(await served.arrayBuffer()))).toEqual([512, 512]);
    const [entry] = (response.data ?? []) as { seed?: number }[];
    expect(entry?.seed).toBe(dev.randomSeed);
    expect(calls()).toEqual({ dev: before.dev + 1, schnell: before.schnell });
  });

  it('answers flux as base64 when asked', async () => {
    const response = await genrelay.openai().images.generate({
      model: 'flux',
      prompt: 'a red fox',
      size: '256x256',
      response_format: 'b64_json',
    });
    const b64 = response.data?.[0]?.b64_json ?? '';
    expect(pngSize(Buffer.from(b64, 'base64'))).toEqual([256, 256]);
  });

  it('falls back to FLUX.1-schnell when FLUX.1-dev is out of quota', async () => {
    dev.scenario = {
      kind: 'app-error',
      message: quotaMessageNew,
      title: 'ZeroGPU quota exceeded',
    };
    const before = calls();
    const response = await genrelay.openai().images.generate({
      model: 'flux',
      prompt: 'a red fox',
      response_format: 'b64_json',
    });
    expect(pngSize(Buffer.from(response.data?.[0]?.b64_json ?? '', 'base64'))).toEqual([
      768, 768,
    ]);
    expect(calls()).toEqual({ dev: before.dev + 1, schnell: before.schnell + 1 });
  });

  it('falls back within the bound when FLUX.1-dev stalls', async () => {
    dev.scenario = { kind: 'stall' };
    const started = Date.now();
    const response = await genrelay
      .openai()
      .images.generate({ model: 'flux', prompt: 'a fox' });
    expect(response.data?.[0]?.url).toMatch(/\/v1\/files\//);
    expect(Date.now() - started).toBeLessThan(timeoutMs + 1_500);
  });

  it('answers 429 with Retry-After when the one Space asked for is out of quota', async () => {
    dev.scenario = {
      kind: 'app-error',
      message: quotaMessageNew,
      title: 'ZeroGPU quota exceeded',
    };
    const failure = await genrelay
      .openai()
      .images.generate({ model: 'flux-dev', prompt: 'a fox' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    const error = failure as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(429);
    expect(error.code).toBe('insufficient_quota');
    expect(error.headers?.get('retry-after')).toBe('3723');
  });

  it('answers 502 naming both Spaces when both fail', async () => {
    dev.scenario = {
      kind: 'app-error',
      message: quotaMessageNew,
      title: 'ZeroGPU quota exceeded',
    };
    schnell.scenario = { kind: 'queue-full' };
    const failure = (await genrelay
      .openai()
      .images.generate({ model: 'flux', prompt: 'a fox' })
      .catch((error: unknown) => error)) as InstanceType<typeof OpenAI.APIError>;
    expect(failure.status).toBe(502);
    expect(failure.message).toContain('blackforestlabs-flux1dev: quota_exceeded');
    expect(failure.message).toContain('voodoohop-flux1schnell: upstream_error');
  });
});
