import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobClient } from '../support/job-client.js';
import { type GenRelayUnderTest, startGenRelay } from '../support/start-genrelay.js';
import {
  type RunningS3rver,
  s3rverCredentials,
  startS3rver,
} from '../support/start-s3rver.js';
import {
  type Automatic1111Double,
  startAutomatic1111Double,
} from '../upstreams/automatic1111/automatic1111-double.js';

describe('results in an S3-compatible bucket', () => {
  let s3: RunningS3rver;
  let gpu: Automatic1111Double;
  let genrelay: GenRelayUnderTest;
  beforeAll(async () => {
    s3 = await startS3rver(['results']);
    gpu = await startAutomatic1111Double({ advanceOnPoll: true });
    genrelay = await startGenRelay({
      server: { allowPrivateMediaUrls: true },
      providers: {
        'gpu-a': { type: 'automatic1111', baseUrl: gpu.baseUrl, progressIntervalMs: 10 },
      },
      storage: {
        s3: {
          endpoint: s3.endpoint,
          bucket: 'results',
          prefix: 'genrelay/',
          forcePathStyle: true,
          ...s3rverCredentials,
          presign: { expiresInSeconds: 600 },
        },
      },
    });
  });
  afterAll(async () => {
    await genrelay?.close();
    await gpu?.close();
    await s3?.close();
  });

  it('uploads the image before the job ends, and hands out a presigned link to it', async () => {
    const jobs = jobClient(genrelay.url);
    const submitted = await jobs.submit({
      kind: 'text2img',
      executor: 'automatic1111',
      user_id: 'ann',
      payload: { prompt: 'a lighthouse', steps: 2, width: 64, height: 64 },
    });
    const events = await jobs.events(submitted.body.id as string);
    const image = events.find(({ event }) => event === 'image')?.data as { url: string };
    expect(image.url.startsWith(`${s3.endpoint}/results/genrelay/`)).toBe(true);
    expect(image.url).toContain('X-Amz-Signature=');
    const file = await fetch(image.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    const job = await jobs.get(submitted.body.id as string);
    const stored =
      (job.body.result as { images: { url: string }[] }).images[0]?.url ?? '';
    expect(stored.split('?')[0]).toBe(image.url.split('?')[0]);
    // The server's own file route streams the object from the bucket too.
    const key = (stored.split('?')[0] ?? '').split('/').at(-1) ?? '';
    const served = await fetch(`${genrelay.url}/v1/files/${key}`);
    expect(served.status).toBe(200);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(
      new Uint8Array(await (await fetch(stored)).arrayBuffer()),
    );
  });
});
