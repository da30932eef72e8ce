import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, image, run } from '../../../test/replicate/provider-harness.js';
import {
  type ReplicateDouble,
  startReplicateDouble,
} from '../../../test/upstreams/replicate/replicate-double.js';
import type { ImagePart, ProgressPart } from '../../core/stream-part.js';

const sdxl = 'bytedance/sdxl-lightning-4step';
const sdxlVersion = '5f24084160c9089501c1b3545d9be3c27883ae2239b6f412990e82d4a6210f8f';

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

function pngSize(bytes: Uint8Array | undefined): [number, number] {
  const view = new DataView(bytes?.buffer ?? new ArrayBuffer(24), bytes?.byteOffset ?? 0);
  return [view.getUint32(16), view.getUint32(20)];
}

describe('replicate images', () => {
  it('holds the create for a quick result and yields the downloaded PNGs', async () => {
    const request = image(sdxl, { width: 512, height: 768, count: 2, seed: 7, steps: 6 });
    const outcome = await run(harness.provider().generate(request, { signal: signal() }));

    expect(outcome.error).toBeUndefined();
    const images = outcome.parts.filter(
      (part): part is ImagePart => part.type === 'image',
    );
    expect(images).toHaveLength(2);
    expect(images[0]).toMatchObject({
      mediaType: 'image/png',
      width: 512,
      height: 768,
      seed: 7,
      alt: 'a red fox',
    });
    expect(pngSize(images[0]?.data)).toEqual([512, 768]);
    expect(outcome.parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });

    const [create] = double.requests;
    expect(create?.headers.prefer).toBe('wait=5');
    expect(create?.body).toEqual({
      version: sdxlVersion,
      input: {
        prompt: 'a red fox',
        seed: 7,
        num_inference_steps: 6,
        num_outputs: 2,
        width: 512,
        height: 768,
      },
    });
    const downloads = double.requests.filter((entry) =>
      entry.path.startsWith('/delivery/'),
    );
    expect(downloads).toHaveLength(2);
    // The token stays with the API: file hosts never see it.
    expect(downloads.every((entry) => entry.headers.authorization === undefined)).toBe(
      true,
    );
    expect(double.requests.filter((entry) => entry.path.startsWith('/v1/'))).toHaveLength(
      1,
    );
  });

  it('polls a slow prediction, turning the logged percentages into progress parts', async () => {
    double.setScenario(sdxl, { kind: 'succeed', processingMs: 400, seed: 99 });
    const provider = harness.provider({ waitSeconds: 0 });
    const outcome = await run(
      provider.generate(image(sdxl, { steps: 8 }), { signal: signal() }),
    );

    expect(outcome.error).toBeUndefined();
    const progress = outcome.parts.filter(
      (part): part is ProgressPart => part.type === 'progress',
    );
    expect(progress.length).toBeGreaterThan(2);
    const fractions = progress.map((part) => part.fraction ?? -1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(new Set(fractions).size).toBe(fractions.length);
    expect(progress.at(-1)).toEqual({ type: 'progress', fraction: 1, step: 8, total: 8 });
    const kinds = outcome.parts.map((part) => part.type);
    expect(kinds.indexOf('image')).toBeGreaterThan(kinds.lastIndexOf('progress'));
    // No seed was asked for: the one the model logged is reported.
    expect(outcome.parts.find((part) => part.type === 'image')).toMatchObject({
      seed: 99,
    });
    expect(double.requests[0]?.headers.prefer).toBeUndefined();
  });

  it('sends an aspect ratio to an official model that takes only a ratio', async () => {
    const flux = 'black-forest-labs/flux-schnell';
    const outcome = await run(
      harness.provider().generate(image(flux, { width: 1024, height: 580 }), {
        signal: signal(),
      }),
    );

    expect(outcome.error).toBeUndefined();
    const create = double.requests.find((entry) => entry.method === 'POST');
    expect(create?.path).toBe(`/v1/models/${flux}/predictions`);
    expect(create?.body).toEqual({
      input: { prompt: 'a red fox', aspect_ratio: '16:9' },
    });
    const picture = outcome.parts.find(
      (part): part is ImagePart => part.type === 'image',
    );
    expect(pngSize(picture?.data)).toEqual([1024, 576]);
    // The size is read from the file, as the model chose it from the ratio.
    expect(picture).toMatchObject({ width: 1024, height: 576 });
  });

  it('reports the size of the file the model made, not the size asked for', async () => {
    // The double caps sides at 2048 as models do, so it answers 1024 × 1024.
    const outcome = await run(
      harness.provider().generate(image(sdxl, { width: 4096, height: 4096 }), {
        signal: signal(),
      }),
    );

    expect(outcome.error).toBeUndefined();
    expect(double.requests[0]?.body).toMatchObject({ input: { width: 4096 } });
    const picture = outcome.parts.find(
      (part): part is ImagePart => part.type === 'image',
    );
    expect(pngSize(picture?.data)).toEqual([1024, 1024]);
    expect(picture).toMatchObject({ width: 1024, height: 1024 });
  });

  it("holds the create past the client's idle bound while Replicate waits", async () => {
    // Held for a second against a client that allows 300 ms of silence.
    const impatient = createHarness(() => double, { idleTimeoutMs: 300 });
    try {
      double.setScenario(sdxl, { kind: 'succeed', processingMs: 1_000 });
      const provider = impatient.provider({ waitSeconds: 1 });
      const outcome = await run(provider.generate(image(sdxl), { signal: signal() }));

      expect(outcome.error).toBeUndefined();
      expect(double.requests[0]?.headers.prefer).toBe('wait=1');
      expect(outcome.parts.some((part) => part.type === 'image')).toBe(true);
    } finally {
      await impatient.close();
    }
  });

  it('refuses an output file on a private address unless those are allowed', async () => {
    const provider = harness.provider({}, { allowPrivateMediaUrls: false });
    const outcome = await run(provider.generate(image(sdxl), { signal: signal() }));

    expect(outcome.error).toMatchObject({
      code: 'upstream_error',
      provider: 'replicate',
    });
    expect((outcome.error as Error).message).toMatch(
      /^replicate "replicate" output file at 127\.0\.0\.1:\d+ must use https, not http$/,
    );
    const downloads = double.requests.filter((entry) =>
      entry.path.startsWith('/delivery/'),
    );
    expect(downloads).toHaveLength(0);
  });
});
