import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Automatic1111Double,
  defaultCheckpoint,
  startAutomatic1111Double,
} from '../../../test/upstreams/automatic1111/automatic1111-double.js';
import {
  generatedImage,
  previewImage,
} from '../../../test/upstreams/automatic1111/double-images.js';
import { makePng } from '../../../test/upstreams/png.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import { silentLogger } from '../../core/logger.js';
import type { StreamPart } from '../../core/stream-part.js';
import { createHttpClient } from '../../http/http-client.js';
import { automatic1111PayloadSchemas } from './automatic1111-payload.js';
import { Automatic1111Provider } from './automatic1111-provider.js';
import { automatic1111SettingsSchema } from './automatic1111-settings.js';

const http = createHttpClient({ connectTimeoutMs: 2000 });
const model = defaultCheckpoint.model_name;

function provider(
  baseUrl: string,
  settings: Record<string, unknown> = {},
  allowPrivateMediaUrls = false,
) {
  return new Automatic1111Provider(
    'gpu-a',
    automatic1111SettingsSchema.parse({ baseUrl, progressIntervalMs: 10, ...settings }),
    {
      http,
      logger: silentLogger,
      env: {},
      dataDir: '/nonexistent',
      allowPrivateMediaUrls,
    },
  );
}

/** A loopback server answering every request with `body`; closed by the returned function. */
async function serve(body: Uint8Array | string, type = 'application/json') {
  let requests = 0;
  const server = createServer((_request, response) => {
    requests++;
    response.writeHead(200, { 'content-type': type });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const image = (extra: Partial<GenerationRequest> = {}): GenerationRequest => ({
  kind: 'image',
  model,
  messages: [{ role: 'user', content: 'a cat' }],
  ...extra,
});

async function collect(parts: AsyncIterable<StreamPart>) {
  const result: StreamPart[] = [];
  for await (const part of parts) result.push(part);
  return result;
}

const signal = () => AbortSignal.timeout(10_000);
const sent = (double: Automatic1111Double, path: string) =>
  double.requests.filter((request) => request.path === `/sdapi/v1${path}`);

describe('automatic1111 provider, step by step', () => {
  let double: Automatic1111Double;
  beforeAll(async () => {
    double = await startAutomatic1111Double({ advanceOnPoll: true, previewEvery: 2 });
  });
  afterAll(async () => {
    await double.close();
  });

  it('streams each step, the previews, then the image with its seed', async () => {
    const parts = await collect(
      provider(double.baseUrl).generate(
        image({
          negativePrompt: 'blurry',
          seed: 42,
          steps: 4,
          guidanceScale: 5.5,
          width: 64,
          height: 64,
        }),
        { signal: signal() },
      ),
    );
    const shown = parts.map((part) => {
      if (part.type === 'progress') {
        expect(part.message ?? 'about 1 s left').toMatch(/^about \d+ s left$/);
        return {
          type: 'progress',
          step: part.step,
          total: part.total,
          fraction: part.fraction,
        };
      }
      return part;
    });
    expect(shown).toEqual([
      { type: 'progress', step: 1, total: 4, fraction: 0.26 },
      { type: 'progress', step: 2, total: 4, fraction: 0.51 },
      {
        type: 'image-preview',
        data: previewImage(64, 64, 2),
        mediaType: 'image/png',
        width: 8,
        height: 8,
      },
      { type: 'progress', step: 3, total: 4, fraction: 0.76 },
      { type: 'progress', step: 4, total: 4, fraction: 1 },
      {
        type: 'image-preview',
        data: previewImage(64, 64, 4),
        mediaType: 'image/png',
        width: 8,
        height: 8,
      },
      {
        type: 'image',
        data: generatedImage(64, 64, 42),
        mediaType: 'image/png',
        width: 64,
        height: 64,
        seed: 42,
      },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(sent(double, '/txt2img').at(-1)?.body).toEqual({
      prompt: 'a cat',
      negative_prompt: 'blurry',
      seed: 42,
      steps: 4,
      cfg_scale: 5.5,
      width: 64,
      height: 64,
      override_settings: { sd_model_checkpoint: model },
      override_settings_restore_afterwards: false,
      force_task_id: expect.stringMatching(/^genrelay-/),
    });
    expect(sent(double, '/progress').at(-1)?.query.get('skip_current_image')).toBe(
      'false',
    );
  });

  it('makes `count` images in one batch, each with its own seed', async () => {
    const parts = await collect(
      provider(double.baseUrl, { previews: false }).generate(
        image({
          prompt: 'two cats',
          seed: 100,
          steps: 1,
          count: 2,
          width: 64,
          height: 72,
        }),
        { signal: signal() },
      ),
    );
    const images = parts.filter((part) => part.type === 'image');
    expect(images.map((part) => [part.seed, part.data])).toEqual([
      [100, generatedImage(64, 72, 100)],
      [101, generatedImage(64, 72, 101)],
    ]);
    expect(parts.some((part) => part.type === 'image-preview')).toBe(false);
    expect(sent(double, '/progress').at(-1)?.query.get('skip_current_image')).toBe(
      'true',
    );
    expect(sent(double, '/txt2img').at(-1)?.body).toMatchObject({
      prompt: 'two cats',
      batch_size: 2,
    });
  });

  it('runs img2img from the request images, at their size when none is asked', async () => {
    const init = makePng(100, 60);
    const parts = await collect(
      provider(double.baseUrl, { switchModels: false }).generate(
        image({
          seed: 7,
          steps: 1,
          images: [{ kind: 'bytes', data: init, mediaType: 'image/png' }],
        }),
        { signal: signal() },
      ),
    );
    expect(parts.find((part) => part.type === 'image')).toEqual({
      type: 'image',
      data: generatedImage(96, 64, 7),
      mediaType: 'image/png',
      width: 96,
      height: 64,
      seed: 7,
    });
    const body = sent(double, '/img2img').at(-1)?.body as Record<string, unknown>;
    expect(body.init_images).toEqual([Buffer.from(init).toString('base64')]);
    expect(body.override_settings).toBeUndefined();
  });

  it('fetches init images by URL from private hosts only when the server allows it', async () => {
    const init = makePng(64, 64, [1, 2, 3]);
    const host = await serve(init, 'image/png');
    try {
      const request = image({
        steps: 1,
        images: [{ kind: 'url', url: `${host.url}/a.png` }],
      });
      await expect(
        collect(provider(double.baseUrl).generate(request, { signal: signal() })),
      ).rejects.toMatchObject({ code: 'invalid_request', param: 'images[0]' });
      const parts = await collect(
        provider(double.baseUrl, {}, true).generate(request, { signal: signal() }),
      );
      expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
      expect(sent(double, '/img2img').at(-1)?.body).toMatchObject({
        init_images: [Buffer.from(init).toString('base64')],
      });
    } finally {
      await host.close();
    }
  });

  it('passes an API payload through, leaving out the grid', async () => {
    const payload = {
      prompt: 'a grid',
      seed: 10,
      steps: 1,
      batch_size: 2,
      width: 64,
      height: 64,
      save_images: true,
      sampler_name: 'Euler a',
      denoising_strength: 0.5,
      override_settings: { CLIP_stop_at_last_layers: 2 },
    };
    const parts = await collect(
      provider(double.baseUrl).generatePayload('text2img', payload, {
        signal: signal(),
        model,
      }),
    );
    expect(
      parts.filter((part) => part.type === 'image').map((part) => [part.seed, part.data]),
    ).toEqual([
      [10, generatedImage(64, 64, 10)],
      [11, generatedImage(64, 64, 11)],
    ]);
    expect(sent(double, '/txt2img').at(-1)?.body).toEqual({
      ...payload,
      override_settings: { CLIP_stop_at_last_layers: 2, sd_model_checkpoint: model },
      override_settings_restore_afterwards: false,
      force_task_id: expect.stringMatching(/^genrelay-/),
    });
  });
});

describe('automatic1111 provider failures', () => {
  let double: Automatic1111Double;
  beforeAll(async () => {
    double = await startAutomatic1111Double({ stepDelayMs: 40 });
  });
  afterEach(async () => {
    // Leaves no job behind for the next test.
    await fetch(`${double.baseUrl}/sdapi/v1/interrupt`, { method: 'POST' });
    await expect
      .poll(async () => {
        const response = await fetch(`${double.baseUrl}/sdapi/v1/progress`);
        return ((await response.json()) as { state: { job_count: number } }).state
          .job_count;
      })
      .toBe(0);
  });
  afterAll(async () => {
    await double.close();
  });

  it('waits out a job longer than the client’s idle bound: the web UI is silent until done', async () => {
    const impatient = createHttpClient({ connectTimeoutMs: 2000, idleTimeoutMs: 100 });
    try {
      const slow = new Automatic1111Provider(
        'gpu-a',
        automatic1111SettingsSchema.parse({
          baseUrl: double.baseUrl,
          progressIntervalMs: 10,
        }),
        { http: impatient, logger: silentLogger, env: {}, dataDir: '/nonexistent' },
      );
      // 60 steps of 40 ms without a byte; undici checks idle bounds about once a
      // second, so the job must outlast that, not just the 100 ms.
      const parts = await collect(
        slow.generatePayload(
          'text2img',
          { prompt: 'slow', steps: 60 },
          { signal: signal() },
        ),
      );
      expect(parts.filter((part) => part.type === 'image')).toHaveLength(1);
    } finally {
      await impatient.close();
    }
  });

  it('rejects a bad payload with a 400 naming the field, before calling the server', async () => {
    const before = double.requests.length;
    const run = (kind: 'text2img' | 'img2img', payload: unknown) =>
      collect(
        provider(double.baseUrl).generatePayload(kind, payload, { signal: signal() }),
      );
    await expect(run('text2img', { prompt: 'x', steps: 'many' })).rejects.toMatchObject({
      code: 'invalid_request',
      status: 400,
      param: 'steps',
    });
    await expect(
      run('img2img', { init_images: ['http://169.254.169.254/latest'] }),
    ).rejects.toMatchObject({ status: 400, param: 'init_images[0]' });
    expect(double.requests.length).toBe(before);
  });

  it('refuses more than 64 images in one job, naming n_iter, before calling the server', async () => {
    const before = double.requests.length;
    const run = (kind: 'text2img' | 'img2img', payload: object) =>
      collect(
        provider(double.baseUrl).generatePayload(kind, payload, { signal: signal() }),
      );
    const many = { prompt: 'x', batch_size: 8, n_iter: 9 };
    await expect(run('text2img', many)).rejects.toMatchObject({
      status: 400,
      param: 'n_iter',
      message: expect.stringMatching(/n_iter: batch_size × n_iter must be at most 64/),
    });
    const init = Buffer.from(makePng(8, 8)).toString('base64');
    await expect(run('img2img', { ...many, init_images: [init] })).rejects.toMatchObject({
      status: 400,
      param: 'n_iter',
    });
    expect(double.requests.length).toBe(before);
    expect(
      automatic1111PayloadSchemas.text2img.safeParse({ batch_size: 8, n_iter: 8 })
        .success,
    ).toBe(true);
  });

  it('refuses more than 16 init images before fetching any', async () => {
    const host = await serve(makePng(8, 8), 'image/png');
    try {
      const before = double.requests.length;
      const images = Array.from({ length: 17 }, (_, index) => ({
        kind: 'url' as const,
        url: `${host.url}/${index}.png`,
      }));
      await expect(
        collect(
          provider(double.baseUrl, {}, true).generate(image({ images }), {
            signal: signal(),
          }),
        ),
      ).rejects.toMatchObject({ status: 400, param: 'images', message: /At most 16/ });
      expect(host.requests()).toBe(0);
      expect(double.requests.length).toBe(before);
    } finally {
      await host.close();
    }
  });

  it("turns the server's 422 into a 400 naming the field", async () => {
    const failure = collect(
      provider(double.baseUrl).generatePayload(
        'text2img',
        { prompt: 'x', firstphase_width: 'wide' },
        { signal: signal() },
      ),
    );
    await expect(failure).rejects.toMatchObject({
      code: 'invalid_request',
      status: 400,
      param: 'firstphase_width',
      provider: 'gpu-a',
    });
    await expect(failure).rejects.toThrow(
      /firstphase_width: value is not a valid integer/,
    );
  });

  it('names sampler_name when the server does not know the sampler (its 404)', async () => {
    await expect(
      collect(
        provider(double.baseUrl).generatePayload(
          'text2img',
          { prompt: 'x', sampler_name: 'Nope' },
          { signal: signal() },
        ),
      ),
    ).rejects.toMatchObject({ status: 400, param: 'sampler_name' });
  });

  it('interrupts the server when the caller aborts', async () => {
    const before = sent(double, '/interrupt').length;
    const controller = new AbortController();
    let abortedAt = 0;
    const failure = (async () => {
      for await (const part of provider(double.baseUrl).generate(image({ steps: 500 }), {
        signal: controller.signal,
      })) {
        if (part.type === 'progress' && abortedAt === 0) {
          abortedAt = Date.now();
          controller.abort();
        }
      }
    })();
    await expect(failure).rejects.toMatchObject({ code: 'canceled' });
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    const interrupts = sent(double, '/interrupt').slice(before);
    expect(interrupts).toHaveLength(1);
    expect((interrupts[0]?.at ?? 0) - abortedAt).toBeLessThan(500);
  });

  it('interrupts the server when the consumer stops reading', async () => {
    const before = sent(double, '/interrupt').length;
    for await (const part of provider(double.baseUrl).generate(image({ steps: 500 }), {
      signal: signal(),
    })) {
      if (part.type === 'progress') break;
    }
    expect(sent(double, '/interrupt').length).toBe(before + 1);
  });

  it('gives up at timeoutMs with a timeout error, interrupting the job', async () => {
    const before = sent(double, '/interrupt').length;
    const started = Date.now();
    await expect(
      collect(
        provider(double.baseUrl, { timeoutMs: 300 }).generate(image({ steps: 500 }), {
          signal: signal(),
        }),
      ),
    ).rejects.toMatchObject({ code: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(sent(double, '/interrupt').length).toBe(before + 1);
  });

  it('refuses a chat request', async () => {
    await expect(
      collect(
        provider(double.baseUrl).generate(image({ kind: 'chat' }), { signal: signal() }),
      ),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

/** Interrupts whatever runs and waits until the server is idle, queued jobs included. */
async function settle(double: Automatic1111Double) {
  await expect
    .poll(
      async () => {
        await fetch(`${double.baseUrl}/sdapi/v1/interrupt`, { method: 'POST' });
        const response = await fetch(`${double.baseUrl}/sdapi/v1/progress`);
        return ((await response.json()) as { state: { job_count: number } }).state
          .job_count;
      },
      { timeout: 5000 },
    )
    .toBe(0);
}

describe('automatic1111 providers sharing one server', () => {
  let double: Automatic1111Double;
  beforeAll(async () => {
    double = await startAutomatic1111Double({ stepDelayMs: 10, previewEvery: 2 });
  });
  afterEach(async () => {
    await settle(double);
  });
  afterAll(async () => {
    await double.close();
  });

  it("shows a job waiting behind another's none of its progress, and its abort spares it", async () => {
    const before = sent(double, '/interrupt').length;
    const first = collect(
      provider(double.baseUrl).generatePayload(
        'text2img',
        { prompt: 'first', steps: 40, n_iter: 2, width: 64, height: 64 },
        { signal: signal() },
      ),
    );
    await expect
      .poll(async () => {
        const response = await fetch(`${double.baseUrl}/sdapi/v1/progress`);
        return ((await response.json()) as { state: { sampling_step: number } }).state
          .sampling_step;
      })
      .toBeGreaterThan(0);
    const controller = new AbortController();
    const waiting: StreamPart[] = [];
    const second = (async () => {
      for await (const part of provider(double.baseUrl).generate(image({ steps: 5 }), {
        signal: controller.signal,
      })) {
        waiting.push(part);
      }
    })();
    // Many polls of the second provider while the first job runs.
    await sleep(200);
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: 'canceled' });
    expect(waiting).toEqual([]);
    const parts = await first;
    expect(parts.filter((part) => part.type === 'image')).toHaveLength(2);
    expect(parts.filter((part) => part.type === 'progress').length).toBeGreaterThan(1);
    expect(sent(double, '/interrupt').length).toBe(before);
  });

  it('sends neither the job nor an interrupt for a call aborted before it starts', async () => {
    const before = double.requests.length;
    const controller = new AbortController();
    controller.abort();
    await expect(
      collect(provider(double.baseUrl).generate(image(), { signal: controller.signal })),
    ).rejects.toMatchObject({ code: 'canceled' });
    expect(double.requests.slice(before)).toEqual([]);
  });
});

describe('automatic1111 provider against a server that names no task', () => {
  // What the web UI's own code answers: `current_task` is always null.
  let double: Automatic1111Double;
  beforeAll(async () => {
    double = await startAutomatic1111Double({
      stepDelayMs: 10,
      reportsCurrentTask: false,
    });
  });
  afterEach(async () => {
    await settle(double);
  });
  afterAll(async () => {
    await double.close();
  });

  it('takes the unnamed job for its own, as the documented one-instance-per-server setup has it', async () => {
    const parts = await collect(
      provider(double.baseUrl).generate(
        image({ steps: 5, seed: 3, width: 64, height: 64 }),
        {
          signal: signal(),
        },
      ),
    );
    expect(parts.filter((part) => part.type === 'progress').length).toBeGreaterThan(0);
    expect(parts.slice(-2).map((part) => part.type)).toEqual(['image', 'finish']);
    const before = sent(double, '/interrupt').length;
    await expect(
      collect(
        provider(double.baseUrl).generate(image({ steps: 500 }), {
          signal: AbortSignal.timeout(200),
        }),
      ),
    ).rejects.toMatchObject({ code: 'timeout' });
    expect(sent(double, '/interrupt').length).toBe(before + 1);
  });
});

describe('automatic1111 provider auth and outages', () => {
  let double: Automatic1111Double;
  beforeAll(async () => {
    double = await startAutomatic1111Double({
      stepDelayMs: 5,
      auth: { username: 'genrelay', password: 's3cret' },
    });
  });
  afterAll(async () => {
    await double.close();
  });
  const credentials = { username: 'genrelay', password: 's3cret' };
  const quick = () => image({ steps: 2, width: 64, height: 64 });

  it('sends basic auth from username and password, or from a user:pass token', async () => {
    for (const settings of [credentials, { token: 'genrelay:s3cret' }]) {
      const parts = await collect(
        provider(double.baseUrl, settings).generate(quick(), { signal: signal() }),
      );
      expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    }
    const expected = `Basic ${Buffer.from('genrelay:s3cret').toString('base64')}`;
    expect(sent(double, '/txt2img').at(-1)?.headers.authorization).toBe(expected);
    expect(sent(double, '/progress').at(-1)?.headers.authorization).toBe(expected);
  });

  it('reports wrong or missing credentials as an authentication error', async () => {
    for (const settings of [{ username: 'genrelay', password: 'wrong' }, {}]) {
      await expect(
        collect(
          provider(double.baseUrl, settings).generate(quick(), { signal: signal() }),
        ),
      ).rejects.toMatchObject({ code: 'authentication_failed', status: 401 });
    }
    await expect(provider(double.baseUrl).ping(signal())).rejects.toMatchObject({
      code: 'authentication_failed',
    });
  });

  it('fails fast and retryably while the server is down, and works once it is back', async () => {
    const gpu = provider(double.baseUrl, credentials);
    await gpu.ping(signal());
    await double.setDown(true);
    try {
      const started = Date.now();
      await expect(
        collect(gpu.generate(quick(), { signal: signal() })),
      ).rejects.toMatchObject({
        code: 'upstream_error',
        retryable: true,
        provider: 'gpu-a',
      });
      await expect(gpu.ping(signal())).rejects.toMatchObject({
        code: 'upstream_error',
        retryable: true,
      });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await double.setDown(false);
    }
    await gpu.ping(signal());
    const parts = await collect(gpu.generate(quick(), { signal: signal() }));
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('fails retryably when the server dies during a job', async () => {
    const gpu = provider(double.baseUrl, credentials);
    const failure = (async () => {
      for await (const part of gpu.generate(image({ steps: 500 }), {
        signal: signal(),
      })) {
        if (part.type === 'progress') await double.setDown(true);
      }
    })();
    try {
      await expect(failure).rejects.toMatchObject({
        code: 'upstream_error',
        retryable: true,
      });
    } finally {
      await double.setDown(false);
    }
  });
});

describe('automatic1111 models', () => {
  let double: Automatic1111Double;
  beforeAll(async () => {
    double = await startAutomatic1111Double({
      checkpoints: [
        {
          title: 'sdxl_base.safetensors [31e35c80fc]',
          model_name: 'sdxl_base',
          hash: '31e35c80fc',
        },
        defaultCheckpoint,
      ],
    });
  });
  afterAll(async () => {
    await double.close();
  });

  it('lists the checkpoints by name, with titles as aliases, and caches them', async () => {
    const gpu = provider(double.baseUrl);
    const catalog = await gpu.models({ signal: signal() });
    expect(catalog).toEqual({
      textModels: [],
      imageModels: ['sdxl_base', model],
      visionModels: [],
      defaultImageModel: 'sdxl_base',
      aliases: {
        'sdxl_base.safetensors [31e35c80fc]': 'sdxl_base',
        [defaultCheckpoint.title]: model,
      },
    });
    await gpu.models({ signal: signal() });
    expect(sent(double, '/sd-models')).toHaveLength(1);
  });

  it('uses the configured models without asking', async () => {
    const before = sent(double, '/sd-models').length;
    const catalog = await provider(double.baseUrl, {
      models: ['dreamshaper'],
      aliases: { sd: 'dreamshaper' },
    }).models({ signal: signal() });
    expect(catalog).toMatchObject({
      imageModels: ['dreamshaper'],
      defaultImageModel: 'dreamshaper',
      aliases: { sd: 'dreamshaper' },
    });
    expect(sent(double, '/sd-models').length).toBe(before);
  });

  it('serves no models, without failing, while the server cannot be reached', async () => {
    const catalog = await provider('http://127.0.0.1:9').models({ signal: signal() });
    expect(catalog.imageModels).toEqual([]);
  });
});

describe('automatic1111 provider against a broken server', () => {
  it('reports a result that is not what the API promises as a parse error', async () => {
    // Idle progress and a result without an image list: the same body answers both.
    const broken = await serve(
      '{"images": "not a list", "progress": 0, "state": {"job_count": 0}}',
    );
    try {
      await expect(
        collect(provider(broken.url).generate(image(), { signal: signal() })),
      ).rejects.toMatchObject({ code: 'response_parse_error', provider: 'gpu-a' });
    } finally {
      await broken.close();
    }
  });
});
