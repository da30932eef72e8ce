import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JobClient, jobClient } from '../support/job-client.js';
import { type GenRelayUnderTest, startGenRelay } from '../support/start-genrelay.js';
import {
  type Automatic1111Double,
  startAutomatic1111Double,
} from '../upstreams/automatic1111/automatic1111-double.js';

const botToken = 'bot-token-0123456789';
/** 1.8 seconds: long enough to see the finished job, short enough to see it go. */
const retentionHours = 0.0005;
/** Retention plus a sweep interval or two, with room for a slow machine. */
const poll = { timeout: 10_000, interval: 100 };

describe('result retention', () => {
  let gpu: Automatic1111Double;
  let genrelay: GenRelayUnderTest;
  let bot: JobClient;

  beforeAll(async () => {
    gpu = await startAutomatic1111Double({ advanceOnPoll: true });
    genrelay = await startGenRelay({
      server: { allowPrivateMediaUrls: true },
      services: { bot: { token: botToken } },
      providers: {
        gpu: { type: 'automatic1111', progressIntervalMs: 10, baseUrl: gpu.baseUrl },
      },
      storage: { retentionHours, sweepIntervalMs: 1000 },
    });
    bot = jobClient(genrelay.url, botToken);
  });
  afterAll(async () => {
    await genrelay?.close();
    await gpu?.close();
  });

  it('removes a finished job and its stored image once the retention has passed', async () => {
    const submitted = await bot.submit({
      kind: 'text2img',
      executor: 'automatic1111',
      user_id: 'ann',
      payload: { prompt: 'a lighthouse', steps: 4, width: 64, height: 64 },
    });
    expect(submitted.status).toBe(202);
    const id = submitted.body.id as string;
    const events = await bot.events(id);
    expect(events.at(-1)?.data).toEqual({ type: 'state', state: 'succeeded' });
    const image = events.find(({ event }) => event === 'image')?.data as { url: string };
    const key = image.url.split('/').at(-1) as string;
    const results = join(genrelay.dataDir, 'results');
    expect(await readdir(results)).toContain(key);

    await expect.poll(async () => (await bot.get(id)).status, poll).toBe(404);
    expect((await bot.get(id)).body).toMatchObject({
      error: { message: expect.stringContaining(id) },
    });
    expect((await fetch(image.url)).status).toBe(404);
    expect(await readdir(results)).not.toContain(key);
    expect((await bot.list()).body.data).toEqual([]);
  });
});
