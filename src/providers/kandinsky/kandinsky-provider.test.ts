import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type KandinskyDouble,
  mixImage,
  startKandinskyDouble,
  text2imgImage,
} from '../../../test/upstreams/kandinsky/kandinsky-double.js';
import { makePng } from '../../../test/upstreams/png.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import { silentLogger } from '../../core/logger.js';
import type { StreamPart } from '../../core/stream-part.js';
import { createHttpClient } from '../../http/http-client.js';
import { kandinskyPayloadSchemas } from './kandinsky-payload.js';
import { KandinskyProvider } from './kandinsky-provider.js';
import { kandinskySettingsSchema } from './kandinsky-settings.js';

const http = createHttpClient({ connectTimeoutMs: 2000 });

function provider(
  baseUrl: string,
  settings: Record<string, unknown> = { token: 'secret' },
  allowPrivateMediaUrls = false,
) {
  return new KandinskyProvider(
    'kandinsky-a',
    kandinskySettingsSchema.parse({ baseUrl, ...settings }),
    {
      http,
      logger: silentLogger,
      env: {},
      dataDir: '/nonexistent',
      allowPrivateMediaUrls,
    },
  );
}

/** A loopback host serving one PNG at every path, counting the requests it gets. */
async function imageHost() {
  let requests = 0;
  const server = createServer((_request, response) => {
    requests++;
    response.writeHead(200, { 'content-type': 'image/png' }).end(makePng(8, 8));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    image: (name: string) => ({
      kind: 'url' as const,
      url: `http://127.0.0.1:${port}/${name}`,
    }),
    requests: () => requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const image = (extra: Partial<GenerationRequest> = {}): GenerationRequest => ({
  kind: 'image',
  model: 'kandinsky-2.1',
  messages: [{ role: 'user', content: 'a red fox' }],
  ...extra,
});

async function collect(parts: AsyncIterable<StreamPart>) {
  const result: StreamPart[] = [];
  for await (const part of parts) result.push(part);
  return result;
}

const signal = () => AbortSignal.timeout(10_000);
const png = (width: number, height: number) => ({
  kind: 'bytes' as const,
  data: makePng(width, height),
  mediaType: 'image/png',
});
const base64 = (width: number, height: number) =>
  Buffer.from(makePng(width, height)).toString('base64');

describe('kandinsky provider', () => {
  let double: KandinskyDouble;
  beforeAll(async () => {
    double = await startKandinskyDouble({ token: 'secret' });
  });
  afterEach(() => {
    double.delayMs = 0;
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await double.close();
  });

  it('generates from text: the raw JPEG as an image part, token as the whole header', async () => {
    const parts = await collect(
      provider(double.baseUrl).generate(
        image({
          aspectRatio: '16:9',
          steps: 40,
          guidanceScale: 6.6,
          negativePrompt: 'blur',
        }),
        { signal: signal() },
      ),
    );
    expect(parts).toEqual([
      {
        type: 'image',
        data: text2imgImage('a red fox', 1024, 576),
        mediaType: 'image/jpeg',
        width: 1024,
        height: 576,
      },
      { type: 'finish', reason: 'stop' },
    ]);
    const sent = double.requests.at(-1);
    expect(sent?.path).toBe('/text2img');
    expect(sent?.headers.authorization).toBe('secret');
    expect(sent?.body).toEqual({
      prompt: 'a red fox',
      steps: 40,
      guidance_scale: 7,
      width: 1024,
      height: 576,
      negative_prior_prompt: 'blur',
      negative_decoder_prompt: 'blur',
    });
  });

  it('takes the token from apiKey too, and makes `count` images one call each', async () => {
    const before = double.requests.length;
    const parts = await collect(
      provider(double.baseUrl, { apiKey: 'secret' }).generate(image({ count: 2 }), {
        signal: signal(),
      }),
    );
    expect(parts.filter((part) => part.type === 'image')).toHaveLength(2);
    expect(double.requests.length - before).toBe(2);
  });

  it('mixes two images with the prompt, equal weights by default', async () => {
    const parts = await collect(
      provider(double.baseUrl).generate(image({ images: [png(8, 8), png(16, 16)] }), {
        signal: signal(),
      }),
    );
    expect(parts[0]).toMatchObject({
      type: 'image',
      data: mixImage(),
      mediaType: 'image/jpeg',
    });
    const third = 1 / 3;
    expect(double.requests.at(-1)).toMatchObject({
      path: '/mix2images',
      body: {
        images_texts: ['a red fox', base64(8, 8), base64(16, 16), ''],
        weights: [third, third, third, 0],
      },
    });
  });

  it('mixes with the configured weights', async () => {
    await collect(
      provider(double.baseUrl, {
        token: 'secret',
        mixWeights: [0.2, 0.5, 0.3, 0],
      }).generate(image({ images: [png(8, 8), png(8, 8)] }), { signal: signal() }),
    );
    expect(double.requests.at(-1)?.body).toMatchObject({ weights: [0.2, 0.5, 0.3, 0] });
  });

  it('refuses one image (the API mixes exactly two) without calling it', async () => {
    const before = double.requests.length;
    await expect(
      collect(
        provider(double.baseUrl).generate(image({ images: [png(8, 8)] }), {
          signal: signal(),
        }),
      ),
    ).rejects.toMatchObject({ code: 'invalid_request', status: 400, param: 'images' });
    expect(double.requests.length).toBe(before);
  });

  it('refuses one image or three before downloading any', async () => {
    const host = await imageHost();
    try {
      const before = double.requests.length;
      for (const images of [
        [host.image('a.png')],
        [host.image('a.png'), host.image('b.png'), host.image('c.png')],
      ]) {
        await expect(
          collect(
            provider(double.baseUrl, { token: 'secret' }, true).generate(
              image({ images }),
              { signal: signal() },
            ),
          ),
        ).rejects.toMatchObject({ code: 'invalid_request', param: 'images' });
      }
      expect(host.requests()).toBe(0);
      expect(double.requests.length).toBe(before);
      await collect(
        provider(double.baseUrl, { token: 'secret' }, true).generate(
          image({ images: [host.image('a.png'), host.image('b.png')] }),
          { signal: signal() },
        ),
      );
      expect(host.requests()).toBe(2);
    } finally {
      await host.close();
    }
  });

  it('validates the payload once for all `count` images', async () => {
    const validate = vi.spyOn(kandinskyPayloadSchemas.mix2img, 'safeParse');
    const before = double.requests.length;
    const parts = await collect(
      provider(double.baseUrl).generate(
        image({ images: [png(8, 8), png(8, 8)], count: 3 }),
        { signal: signal() },
      ),
    );
    expect(parts.filter((part) => part.type === 'image')).toHaveLength(3);
    expect(double.requests.length - before).toBe(3);
    expect(validate).toHaveBeenCalledTimes(1);
  });

  it('gives all `count` images one timeoutMs, not one each', async () => {
    double.delayMs = 150;
    const started = Date.now();
    await expect(
      collect(
        provider(double.baseUrl, { token: 'secret', timeoutMs: 400 }).generate(
          image({ count: 4 }),
          { signal: signal() },
        ),
      ),
    ).rejects.toMatchObject({ code: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('passes API payloads through after validating them', async () => {
    const parts = await collect(
      provider(double.baseUrl).generatePayload(
        'mix2img',
        {
          images_texts: [
            '',
            `data:image/png;base64,${base64(4, 4)}`,
            base64(4, 4),
            'snow',
          ],
          weights: [0, 0.4, 0.4, 0.2],
          width: 320,
          prior_steps: 10,
        },
        { signal: signal() },
      ),
    );
    expect(parts[0]).toMatchObject({
      type: 'image',
      data: mixImage(320, 512),
      width: 320,
    });
    expect(double.requests.at(-1)?.body).toEqual({
      images_texts: ['', base64(4, 4), base64(4, 4), 'snow'],
      weights: [0, 0.4, 0.4, 0.2],
      width: 320,
      prior_steps: '10',
    });
    const before = double.requests.length;
    await expect(
      collect(
        provider(double.baseUrl).generatePayload(
          'text2img',
          { prompt: 'x', sampler: 'k_euler' },
          { signal: signal() },
        ),
      ),
    ).rejects.toMatchObject({ status: 400, param: 'sampler' });
    await expect(
      collect(
        provider(double.baseUrl).generatePayload(
          'mix2img',
          { images_texts: ['a', 'b'], weights: [1, 1, 1, 1] },
          { signal: signal() },
        ),
      ),
    ).rejects.toMatchObject({ status: 400, param: 'images_texts' });
    expect(double.requests.length).toBe(before);
  });

  it('reports a wrong or missing token as an authentication error', async () => {
    for (const settings of [{ token: 'wrong' }, {}]) {
      await expect(
        collect(
          provider(double.baseUrl, settings).generate(image(), { signal: signal() }),
        ),
      ).rejects.toMatchObject({
        code: 'authentication_failed',
        status: 401,
        provider: 'kandinsky-a',
      });
    }
  });

  it('stops at once when the caller aborts, and gives up at timeoutMs', async () => {
    double.delayMs = 5000;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(
      collect(provider(double.baseUrl).generate(image(), { signal: controller.signal })),
    ).rejects.toMatchObject({ code: 'canceled' });
    await expect(
      collect(
        provider(double.baseUrl, { token: 'secret', timeoutMs: 200 }).generate(image(), {
          signal: signal(),
        }),
      ),
    ).rejects.toMatchObject({ code: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('pings the homepage, which needs no token', async () => {
    await provider(double.baseUrl, {}).ping(signal());
    await expect(provider('http://127.0.0.1:9').ping(signal())).rejects.toMatchObject({
      code: 'upstream_error',
      retryable: true,
      provider: 'kandinsky-a',
    });
  });

  it('serves its configured models, kandinsky-2.1 by default', async () => {
    expect(await provider(double.baseUrl).models({ signal: signal() })).toEqual({
      textModels: [],
      imageModels: ['kandinsky-2.1'],
      visionModels: [],
      defaultImageModel: 'kandinsky-2.1',
      aliases: {},
    });
  });
});
