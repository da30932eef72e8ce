import type { ImageGenerateParamsNonStreaming } from 'openai/resources/images';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenRelayUnderTest, startGenRelay } from '../support/start-genrelay.js';
import {
  type Automatic1111Double,
  defaultCheckpoint,
  startAutomatic1111Double,
} from '../upstreams/automatic1111/automatic1111-double.js';
import { generatedImage } from '../upstreams/automatic1111/double-images.js';

describe('OpenAI images API over an AUTOMATIC1111 instance, through the official client', () => {
  let double: Automatic1111Double;
  let genrelay: GenRelayUnderTest;
  beforeAll(async () => {
    double = await startAutomatic1111Double({
      stepDelayMs: 1,
      auth: { username: 'relay', password: 'pw' },
    });
    genrelay = await startGenRelay({
      providers: {
        'gpu-a': {
          type: 'automatic1111',
          baseUrl: double.baseUrl,
          token: 'relay:pw',
          progressIntervalMs: 20,
        },
      },
    });
  });
  afterAll(async () => {
    await genrelay?.close();
    await double?.close();
  });

  it('lists the checkpoints as models, the full title as an alias', async () => {
    const ids = (await genrelay.openai().models.list()).data.map((model) => model.id);
    expect(ids).toEqual(
      expect.arrayContaining([defaultCheckpoint.model_name, defaultCheckpoint.title]),
    );
  });

  it('returns every image of the batch as base64, with the seeds A1111 used', async () => {
    const result = await genrelay.openai().images.generate({
      model: defaultCheckpoint.title,
      prompt: 'a lighthouse',
      n: 2,
      size: '256x256',
      response_format: 'b64_json',
      seed: 7,
      steps: 3,
    } as ImageGenerateParamsNonStreaming & { seed: number; steps: number });
    const data = (result.data ?? []) as { b64_json?: string; seed?: number }[];
    expect(data.map((entry) => entry.seed)).toEqual([7, 8]);
    expect(
      data.map((entry) => new Uint8Array(Buffer.from(entry.b64_json ?? '', 'base64'))),
    ).toEqual([generatedImage(256, 256, 7), generatedImage(256, 256, 8)]);
    expect(
      double.requests.findLast((request) => request.path === '/sdapi/v1/txt2img')?.body,
    ).toMatchObject({
      batch_size: 2,
      steps: 3,
      width: 256,
      height: 256,
      override_settings: { sd_model_checkpoint: defaultCheckpoint.model_name },
    });
  });

  it('stores the image and serves it at a genrelay URL', async () => {
    const result = await genrelay.openai().images.generate({
      prompt: 'a lighthouse',
      size: '512x512',
      seed: 11,
    } as ImageGenerateParamsNonStreaming & { seed: number });
    const url = result.data?.[0]?.url ?? '';
    expect(url.startsWith(`${genrelay.url}/v1/files/`)).toBe(true);
    const response = await fetch(url);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(
      generatedImage(512, 512, 11),
    );
  });
});
