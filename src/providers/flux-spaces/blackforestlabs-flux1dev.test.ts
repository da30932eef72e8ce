import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  imageRequest,
  makeProvider,
  pngSize,
  run,
} from '../../../test/flux-spaces/provider-run.js';
import {
  type GradioSpaceDouble,
  startGradioSpaceDouble,
} from '../../../test/upstreams/gradio-space/gradio-space-double.js';
import { createHttpClient } from '../../http/http-client.js';
import { blackForestLabsFlux1DevFactory as factory } from './blackforestlabs-flux1dev.js';

const http = createHttpClient();
let space: GradioSpaceDouble;

beforeAll(async () => {
  space = await startGradioSpaceDouble({ hfToken: 'hf_test' });
});
afterEach(() => {
  space.scenario = { kind: 'success' };
});
afterAll(async () => {
  await space.close();
  await http.close();
});

const provider = (
  settings: Record<string, unknown> = {},
  env: Record<string, string> = {},
) =>
  makeProvider(
    factory,
    http,
    { baseUrl: space.url, jwtUrl: space.jwtUrl, ...settings },
    env,
  );

const previewUrl = (name: string) =>
  expect.stringMatching(
    new RegExp(`^${space.url}/gradio_api/file=/tmp/gradio/[0-9a-f]+/${name}$`),
  );

describe('blackforestlabs-flux1dev', () => {
  it('serves flux-dev, also as flux', async () => {
    expect(await provider().models({ signal: AbortSignal.timeout(1000) })).toEqual({
      textModels: [],
      imageModels: ['flux-dev'],
      visionModels: [],
      defaultImageModel: 'flux-dev',
      aliases: { flux: 'flux-dev' },
    });
  });

  it('streams queue positions, progress, previews and the downloaded image with its seed', async () => {
    const { parts, images, error } = await run(
      provider(),
      imageRequest({ width: 64, height: 48 }),
    );
    expect(error).toBeUndefined();
    expect(parts).toEqual([
      { type: 'queued', position: 1, etaMs: 1500 },
      { type: 'queued', position: 0, etaMs: 0 },
      { type: 'progress', fraction: 0, message: 'started' },
      { type: 'progress', step: 9, total: 28, fraction: 9 / 28 },
      { type: 'progress', step: 19, total: 28, fraction: 19 / 28 },
      { type: 'progress', step: 28, total: 28, fraction: 1 },
      { type: 'image-preview', url: previewUrl('preview-1.png'), mediaType: 'image/png' },
      { type: 'image-preview', url: previewUrl('preview-2.png'), mediaType: 'image/png' },
      {
        type: 'image',
        data: images[0]?.byteLength,
        mediaType: 'image/png',
        width: 64,
        height: 48,
        seed: space.randomSeed,
      },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(pngSize(images[0])).toEqual([64, 48]);
  });

  it('joins with the function found in /config and the mapped inputs', async () => {
    await run(provider(), imageRequest({ prompt: 'a blue fox', aspectRatio: '16:9' }));
    const join = space.requestsTo('/gradio_api/queue/join').at(-1);
    expect(join?.body).toEqual({
      data: ['a blue fox', 0, true, 1024, 576, 3.5, 28],
      event_data: null,
      fn_index: 2,
      trigger_id: 4,
      session_hash: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    const data = space.requestsTo('/gradio_api/queue/data').at(-1);
    const body = join?.body as { session_hash: string } | undefined;
    expect(data?.query.get('session_hash')).toBe(body?.session_hash);
  });

  it('runs one job per image, with consecutive seeds when a seed is given', async () => {
    const { parts } = await run(
      provider(),
      imageRequest({
        count: 2,
        seed: 5,
        steps: 4,
        guidanceScale: 7,
        width: 32,
        height: 32,
      }),
    );
    const joins = space.requestsTo('/queue/join').slice(-2);
    expect(joins.map((join) => (join.body as { data: unknown[] }).data)).toEqual([
      ['a red fox', 5, false, 32, 32, 7, 4],
      ['a red fox', 6, false, 32, 32, 7, 4],
    ]);
    const seeds = parts.flatMap((part) => (part.type === 'image' ? [part.seed] : []));
    expect(seeds).toEqual([5, 6]);
    expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
  });

  it('applies a preview diff that comes first', async () => {
    space.scenario = {
      kind: 'success',
      previews: 'diff-first',
      queueAhead: 0,
      progressSteps: 0,
    };
    const { parts } = await run(provider(), imageRequest({ width: 16, height: 16 }));
    expect(parts.filter((part) => part.type === 'image-preview')).toEqual([
      { type: 'image-preview', url: previewUrl('preview-2.png'), mediaType: 'image/png' },
    ]);
  });

  it('shows the Space toasts as reasoning status', async () => {
    space.scenario = {
      kind: 'success',
      logs: ['Waiting for a GPU to become available'],
      previews: 'none',
    };
    const { parts } = await run(provider(), imageRequest({ width: 16, height: 16 }));
    expect(parts).toContainEqual({
      type: 'reasoning',
      status: 'Waiting for a GPU to become available',
    });
  });

  it('refuses chat requests and empty prompts before calling the Space', async () => {
    const before = space.requests.length;
    const chat = await run(provider(), { ...imageRequest(), kind: 'chat' });
    expect(chat.error).toMatchObject({ code: 'invalid_request', provider: factory.type });
    const empty = await run(provider(), imageRequest({ prompt: '  ' }));
    expect(empty.error).toMatchObject({ code: 'invalid_request', param: 'prompt' });
    const ratio = await run(provider(), imageRequest({ aspectRatio: '5:7' }));
    expect(ratio.error).toMatchObject({ code: 'invalid_request', param: 'aspect_ratio' });
    expect(space.requests.length).toBe(before);
  });
});

describe('blackforestlabs-flux1dev and ZeroGPU', () => {
  let zeroGpu: GradioSpaceDouble;
  beforeAll(async () => {
    zeroGpu = await startGradioSpaceDouble({
      hfToken: 'hf_test',
      anonymousQuotaExceeded: true,
    });
  });
  afterAll(() => zeroGpu.close());

  const onZeroGpu = (
    settings: Record<string, unknown> = {},
    env: Record<string, string> = {},
  ) =>
    makeProvider(
      factory,
      http,
      { baseUrl: zeroGpu.url, jwtUrl: zeroGpu.jwtUrl, ...settings },
      env,
    );

  it('goes anonymously without a token: no made-up headers, and the quota error says what helps', async () => {
    const { error, parts } = await run(
      onZeroGpu(),
      imageRequest({ width: 16, height: 16 }),
    );
    expect(error).toMatchObject({
      code: 'quota_exceeded',
      status: 429,
      retryAfterMs: 3_723_000,
      provider: factory.type,
    });
    expect(error?.message).toContain(
      'set HF_TOKEN (or providers.blackforestlabs-flux1dev.token)',
    );
    expect(parts).toEqual([
      { type: 'queued', position: 0, etaMs: 0 },
      { type: 'progress', fraction: 0, message: 'started' },
    ]);
    const join = zeroGpu.requestsTo('/queue/join').at(-1);
    expect(join?.headers['x-zerogpu-token']).toBeUndefined();
    expect(join?.headers['x-zerogpu-uuid']).toBeUndefined();
    expect(zeroGpu.requestsTo('/jwt')).toHaveLength(0);
  });

  it("uses HF_TOKEN for the Space's token, once per token lifetime, without sending it to a non-HF host", async () => {
    const withToken = onZeroGpu({}, { HF_TOKEN: 'hf_test' });
    for (let call = 0; call < 2; call++) {
      const { error } = await run(withToken, imageRequest({ width: 16, height: 16 }));
      expect(error).toBeUndefined();
    }
    const jwt = zeroGpu.requestsTo('/jwt');
    expect(jwt).toHaveLength(1);
    expect(jwt[0]?.path).toBe('/api/spaces/black-forest-labs/FLUX.1-dev/jwt');
    const joins = zeroGpu.requestsTo('/queue/join').slice(-2);
    for (const join of joins) {
      expect(join.headers['x-zerogpu-token']).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(join.headers['x-zerogpu-uuid']).toMatch(/^[0-9a-f-]{36}$/);
    }
    const appRequests = zeroGpu.requests.filter(
      (request) => !request.path.endsWith('/jwt'),
    );
    expect(
      appRequests.some((request) => request.headers.authorization !== undefined),
    ).toBe(false);
  });

  it('asks for no token when the app is not a ZeroGPU Space', async () => {
    const before = zeroGpu.requestsTo('/jwt').length;
    const { error } = await run(
      onZeroGpu({ space: null, token: 'hf_test' }),
      imageRequest({ width: 16, height: 16 }),
    );
    expect(error?.code).toBe('quota_exceeded');
    expect(zeroGpu.requestsTo('/jwt').length).toBe(before);
  });
});

describe('blackforestlabs-flux1dev on a private Space', () => {
  let privateSpace: GradioSpaceDouble;
  beforeAll(async () => {
    privateSpace = await startGradioSpaceDouble({
      spaceToken: 'hf_private',
      hfToken: 'hf_private',
    });
  });
  afterAll(() => privateSpace.close());

  it('sends the configured token to the app, the image download included', async () => {
    const { error, images } = await run(
      makeProvider(factory, http, {
        baseUrl: privateSpace.url,
        jwtUrl: privateSpace.jwtUrl,
        token: 'hf_private',
      }),
      imageRequest({ width: 32, height: 32 }),
    );
    expect(error).toBeUndefined();
    expect(pngSize(images[0])).toEqual([32, 32]);
    const download = privateSpace.requestsTo('/image.png')[0];
    expect(download?.headers.authorization).toBe('Bearer hf_private');
  });
});
