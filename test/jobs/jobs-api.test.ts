import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../src/index.js';
import { bounded } from '../support/bounded.js';
import { type JobClient, jobClient } from '../support/job-client.js';
import { type GenRelayUnderTest, startGenRelay } from '../support/start-genrelay.js';
import {
  type Automatic1111Double,
  startAutomatic1111Double,
} from '../upstreams/automatic1111/automatic1111-double.js';
import {
  type OpenAIDouble,
  startOpenAIDouble,
} from '../upstreams/openai-compatible/openai-compatible-double.js';

const botToken = 'bot-token-0123456789';
const webToken = 'web-token-0123456789';
const secret = 'webhook-secret-0123456789';

const text2img = (user: string, extra: Record<string, unknown> = {}) => ({
  kind: 'text2img',
  executor: 'automatic1111',
  user_id: user,
  payload: { prompt: 'a lighthouse', steps: 4, width: 64, height: 64 },
  ...extra,
});

interface Delivery {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver of webhook deliveries on loopback; `delivered` resolves with the first. */
async function startReceiver() {
  let deliver: (delivery: Delivery) => void = () => undefined;
  const delivered = new Promise<Delivery>((resolve) => {
    deliver = resolve;
  });
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliver({ headers: request.headers, body: Buffer.concat(chunks).toString() });
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    delivered,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** How long a test waits for the server to reach a state it polls for. */
const poll = { timeout: 5000, interval: 20 };

describe('the native jobs API', () => {
  let gpuA: Automatic1111Double;
  let gpuB: Automatic1111Double;
  let chat: OpenAIDouble;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let genrelay: GenRelayUnderTest;
  let bot: JobClient;
  let web: JobClient;

  beforeAll(async () => {
    gpuA = await startAutomatic1111Double({ advanceOnPoll: true });
    gpuB = await startAutomatic1111Double({ advanceOnPoll: true });
    chat = await startOpenAIDouble();
    receiver = await startReceiver();
    const a1111 = { type: 'automatic1111', progressIntervalMs: 10 };
    genrelay = await startGenRelay({
      server: { allowPrivateMediaUrls: true },
      services: { bot: { token: botToken }, web: { token: webToken } },
      providers: {
        'gpu-a': { ...a1111, baseUrl: gpuA.baseUrl },
        'gpu-b': { ...a1111, baseUrl: gpuB.baseUrl },
        local: { type: 'openai-compatible', baseUrl: chat.baseUrl },
      },
      balancer: { cooldownMs: 50, pingIntervalMs: 50, maxUserQueueSize: { default: 3 } },
      webhooks: { secret, allowPrivateUrls: true },
      moderation: { words: ['forbidden'] },
    });
    bot = jobClient(genrelay.url, botToken);
    web = jobClient(genrelay.url, webToken);
  });
  afterAll(async () => {
    await genrelay?.close();
    await Promise.all([gpuA?.close(), gpuB?.close(), chat?.close(), receiver?.close()]);
  });

  it('queues a job, streams its events, and keeps its image downloadable', async () => {
    const submitted = await bot.submit(text2img('ann'));
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({
      object: 'job',
      kind: 'text2img',
      executor: 'automatic1111',
      user_id: 'ann',
      premium: false,
      state: 'queued',
      position: 0,
    });
    const id = submitted.body.id as string;
    const events = await bot.events(id);
    const types = events.map(({ event }) => event);
    expect(types[0]).toBe('state');
    expect(types).toEqual(expect.arrayContaining(['progress', 'image-preview', 'image']));
    expect(events.at(-1)).toEqual({
      event: 'state',
      data: { type: 'state', state: 'succeeded' },
    });
    const running = events.find(({ data }) => data.state === 'running');
    expect(running?.data).toMatchObject({
      attempt: 1,
      instance: expect.stringMatching(/^gpu-[ab]$/),
    });
    const image = events.find(({ event }) => event === 'image')?.data as { url: string };
    expect(image.url).toMatch(new RegExp(`^${genrelay.url}/v1/files/`));
    const file = await fetch(image.url);
    expect(file.headers.get('content-type')).toBe('image/png');

    const job = await bot.get(id);
    expect(job.body).toMatchObject({
      state: 'succeeded',
      attempts: 1,
      result: {
        images: [{ url: image.url, media_type: 'image/png', width: 64, height: 64 }],
      },
      error: null,
    });
    // A late subscriber (within the event retention) is told the job's story again, with
    // only the latest place in the queue and step, and no preview (the images are there).
    const late = await bot.events(id);
    expect(late.map(({ data }) => data.state).filter(Boolean)).toContain('succeeded');
    const transient = ['queued', 'progress', 'image-preview'];
    const settled = (list: typeof events) =>
      list.filter(({ event }) => !transient.includes(event));
    expect(settled(late)).toEqual(settled(events));
    expect(late.filter(({ event }) => event === 'progress')).toEqual([
      events.findLast(({ event }) => event === 'progress'),
    ]);
    expect(late.some(({ event }) => event === 'image-preview')).toBe(false);
  });

  it('names the bad field, and stores nothing', async () => {
    const cases: [unknown, number, RegExp][] = [
      [
        text2img('ann', { payload: { prompt: 'x', steps: 'many' } }),
        400,
        /payload\.steps/,
      ],
      [{ ...text2img('ann'), user_id: undefined }, 400, /user_id/],
      [text2img('ann', { model: 'double-chat' }), 400, /either model or executor/],
      [
        text2img('ann', { executor: 'gpu-z' }),
        404,
        /executor: no executor "gpu-z".*automatic1111/,
      ],
      [
        text2img('ann', { kind: 'mix2img' }),
        400,
        /kind: executor "automatic1111" runs text2img, img2img, not mix2img/,
      ],
      [text2img('ann', { webhook: 'ftp://example.com/x' }), 400, /webhook/],
      [
        text2img('ann', { max_user_queue_size: 1000 }),
        400,
        /max_user_queue_size: at most 100/,
      ],
      [
        {
          kind: 'chat',
          model: 'no-such-model',
          user_id: 'ann',
          payload: { messages: [] },
        },
        400,
        /payload\.messages/,
      ],
      [
        {
          kind: 'chat',
          model: 'no-such-model',
          user_id: 'ann',
          payload: { messages: [{ role: 'user', content: 'hi' }] },
        },
        404,
        /no-such-model/,
      ],
    ];
    const before = (await bot.list('?user_id=ann&limit=1000')).body.data as unknown[];
    for (const [body, status, message] of cases) {
      const answer = await bot.submit(body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect((answer.body.error as { message: string }).message).toMatch(message);
    }
    const after = (await bot.list('?user_id=ann&limit=1000')).body.data as unknown[];
    expect(after).toHaveLength(before.length);
  });

  it('refuses a moderated prompt with the reason, and keeps it as a failed job', async () => {
    const asked = text2img('hana', {
      moderate: 1,
      payload: { prompt: 'a Forbidden thing', steps: 4, width: 64, height: 64 },
    });
    const refused = await bot.submit(asked);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: 'moderation_rejected',
      message: expect.stringContaining('matches the blocked word "forbidden"'),
    });
    const kept = (await bot.list('?user_id=hana')).body.data as Record<string, unknown>[];
    expect(kept).toEqual([
      expect.objectContaining({
        state: 'failed',
        attempts: 0,
        error: expect.objectContaining({ code: 'moderation_rejected' }),
      }),
    ]);
    // Without `moderate`, the same prompt is not checked (moderation is not forced here).
    const unchecked = await bot.submit({ ...asked, moderate: false });
    expect(unchecked.status).toBe(202);
  });

  it('returns the same job for the same request id, without running it twice', async () => {
    const job = text2img('bob', {
      request_id: 'req-1',
      payload: { prompt: 'asked twice', steps: 4, width: 64, height: 64 },
    });
    const first = await bot.submit(job);
    const again = await bot.submit(job);
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    await bot.events(first.body.id as string);
    const generations = [...gpuA.requests, ...gpuB.requests].filter(
      ({ path, body }) =>
        path === '/sdapi/v1/txt2img' &&
        (body as { prompt?: unknown }).prompt === 'asked twice',
    );
    expect(generations).toHaveLength(1);
    // Another service may use the same request id for its own job.
    const other = await web.submit(text2img('bob', { request_id: 'req-1' }));
    expect(other.status).toBe(202);
    expect(other.body.id).not.toBe(first.body.id);
  });

  it('keeps each service to its own jobs, and asks for a token', async () => {
    const submitted = await bot.submit(text2img('carol'));
    const id = submitted.body.id as string;
    expect((await web.get(id)).status).toBe(404);
    expect((await web.cancel(id)).status).toBe(404);
    expect((await jobClient(genrelay.url).get(id)).status).toBe(401);
    expect((await jobClient(genrelay.url, 'wrong-token-0123456789').get(id)).status).toBe(
      403,
    );
    const listed = (await web.list('?user_id=carol')).body.data as { id: string }[];
    expect(listed.map((job) => job.id)).not.toContain(id);
    const own = (await bot.list('?user_id=carol')).body.data as { id: string }[];
    expect(own.map((job) => job.id)).toContain(id);
    expect((await bot.list('?state=done')).status).toBe(400);
  });

  it('cancels a queued job at once, and a running one upstream too', async () => {
    const long = text2img('gina', {
      payload: { prompt: 'slow', steps: 300, width: 64, height: 64 },
    });
    const running = (await bot.submit(long)).body.id as string;
    // One running job per user: the second waits behind the first.
    const queued = await bot.submit(long);
    expect(queued.body).toMatchObject({ state: 'queued', position: expect.any(Number) });
    const canceledQueued = await bot.cancel(queued.body.id as string);
    expect(canceledQueued.body).toMatchObject({ state: 'canceled', attempts: 0 });
    await expect
      .poll(async () => (await bot.get(running)).body.state, poll)
      .toBe('running');
    const interrupts = () =>
      [...gpuA.requests, ...gpuB.requests].filter(
        ({ path }) => path === '/sdapi/v1/interrupt',
      ).length;
    const before = interrupts();
    expect((await bot.cancel(running)).body.state).toBe('canceled');
    const events = await bot.events(running);
    expect(events.at(-1)?.data).toEqual({ type: 'state', state: 'canceled' });
    await expect.poll(interrupts, poll).toBeGreaterThan(before);
    // Canceling again changes nothing.
    expect((await bot.cancel(running)).body.state).toBe('canceled');
  });

  it('runs chat jobs on a model through the router', async () => {
    const submitted = await bot.submit({
      kind: 'chat',
      model: 'double-chat',
      user_id: 'dan',
      payload: { messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 50 },
    });
    expect(submitted.status).toBe(202);
    expect(submitted.body.model).toBe('double-chat');
    const events = await bot.events(submitted.body.id as string);
    const text = events
      .filter(({ event }) => event === 'text')
      .map(({ data }) => data.delta)
      .join('');
    expect(text.length).toBeGreaterThan(0);
    const job = await bot.get(submitted.body.id as string);
    expect(job.body).toMatchObject({ state: 'succeeded', result: { text } });
  });

  it('posts the final job to its webhook, signed', async () => {
    const submitted = await bot.submit(text2img('erin', { webhook: receiver.url }));
    const delivery = await bounded(
      'the webhook delivery',
      poll.timeout,
      () => receiver.delivered,
    );
    const body = JSON.parse(delivery.body) as {
      type: string;
      job: { id: string; state: string };
    };
    expect(body).toMatchObject({
      type: 'job.finished',
      job: { id: submitted.body.id, state: 'succeeded' },
    });
    expect(
      verifyWebhookSignature({
        secret,
        timestamp: delivery.headers['x-genrelay-timestamp'] as string,
        body: delivery.body,
        signature: delivery.headers['x-genrelay-signature'] as string,
      }),
    ).toBe(true);
  });

  it("runs a failed instance's job again on the other, and brings the instance back", async () => {
    // Earlier tests' jobs finish first, so these four are all that run.
    const busy = async (client: JobClient) =>
      ((await client.list('?state=queued')).body.data as unknown[]).length +
      ((await client.list('?state=running')).body.data as unknown[]).length;
    await expect
      .poll(async () => (await busy(bot)) + (await busy(web)), {
        ...poll,
        timeout: 10_000,
      })
      .toBe(0);
    await gpuA.setDown(true);
    const ids: string[] = [];
    for (let index = 0; index < 4; index++) {
      ids.push((await bot.submit(text2img(`frank-${index}`))).body.id as string);
    }
    const jobs = await Promise.all(
      ids.map(async (id) => {
        await bot.events(id);
        return (await bot.get(id)).body;
      }),
    );
    expect(jobs.map((job) => job.state)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    // The job that met the dead instance ran again on the other one.
    expect(jobs.some((job) => job.attempts === 2)).toBe(true);
    const health = async () =>
      (
        (await (await fetch(`${genrelay.url}/healthz`)).json()) as {
          instances: { id: string; healthy: boolean }[];
        }
      ).instances;
    expect((await health()).find((instance) => instance.id === 'gpu-a')?.healthy).toBe(
      false,
    );
    await gpuA.setDown(false);
    await expect
      .poll(
        async () => (await health()).find((instance) => instance.id === 'gpu-a')?.healthy,
        poll,
      )
      .toBe(true);
  });
});
