import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  type GenerationJob,
  GeneratorClient,
  GeneratorError,
  type JobUpdate,
} from '../../src/client/index.js';
import {
  type BotGenRelay,
  botToken,
  startBotGenRelay,
} from '../support/start-bot-genrelay.js';
import {
  type KandinskyDouble,
  startKandinskyDouble,
} from '../upstreams/kandinsky/kandinsky-double.js';
import {
  type OpenAIDouble,
  startOpenAIDouble,
} from '../upstreams/openai-compatible/openai-compatible-double.js';

const png = [0x89, 0x50, 0x4e, 0x47];
const jpeg = [0xff, 0xd8];

describe('GeneratorClient against genrelay with an AUTOMATIC1111 and a Kandinsky double', () => {
  let kandinsky: KandinskyDouble;
  let openai: OpenAIDouble;
  let relay: BotGenRelay;
  let client: GeneratorClient;
  const updates: JobUpdate[] = [];

  beforeAll(async () => {
    kandinsky = await startKandinskyDouble({ delayMs: 20 });
    openai = await startOpenAIDouble({ behaviour: { kind: 'normal', text: 'Hi, user' } });
    relay = await startBotGenRelay({
      a1111: { stepDelayMs: 10, previewEvery: 1 },
      kandinsky,
      openai,
    });
    client = new GeneratorClient({
      endpoint: relay.genrelay.url,
      service: 'bot',
      token: botToken,
      WebSocket,
      reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
      requestTimeoutMs: 5000,
    });
    client.onQueued((update) => updates.push(update));
    client.onGenerating((update) => updates.push(update));
    client.onProgress((update) => updates.push(update));
    client.onPreview((update) => updates.push(update));
    client.onDone((update) => updates.push(update));
    await client.connect();
  });
  afterAll(async () => {
    await client?.close();
    await relay?.close();
    await kandinsky?.close();
    await openai?.close();
  });

  const of = (job: GenerationJob) =>
    updates.filter((update) => update.requestId === job.requestId);

  it('runs 10 text2img jobs of 3 users on two executors, each told every step', async () => {
    const jobs = Array.from({ length: 10 }, (_, index) => {
      const userId = `user-${index % 3}`;
      return index % 4 === 3
        ? client.text2img({
            executor: 'kandinsky',
            userId,
            chatId: 5,
            messageId: index,
            payload: { prompt: `a cat ${index}`, width: 128, height: 128 },
          })
        : client.text2img({
            executor: 'automatic1111',
            userId,
            chatId: 5,
            messageId: index,
            payload: {
              prompt: `a lighthouse ${index}`,
              steps: 8,
              width: 128,
              height: 128,
            },
          });
    });
    const results = await Promise.all(jobs.map((job) => job.result));
    for (const [index, job] of jobs.entries()) {
      const seen = of(job);
      const queued = seen.find((update) => update.status === 'queued');
      expect(queued).toMatchObject({
        serviceInfo: {
          userId: `user-${index % 3}`,
          chatId: '5',
          messageId: String(index),
        },
        objectId: job.objectId,
      });
      if (queued?.status !== 'queued') throw new Error('no queued update');
      expect(queued.avgTime).toBeGreaterThan(0);
      expect(queued.position).toBeGreaterThanOrEqual(0);
      expect(queued.etaMs).toBeGreaterThanOrEqual(0);
      const statuses = new Set(seen.map((update) => update.status));
      const kandinskyJob = index % 4 === 3;
      expect([...statuses]).toEqual(
        kandinskyJob
          ? ['queued', 'generating', 'ok']
          : expect.arrayContaining(['queued', 'generating', 'progress', 'preview', 'ok']),
      );
      expect(seen.at(-1)?.status).toBe('ok');
      const result = results[index];
      expect(result?.contentType).toBe('image_url');
      const download = await fetch(result?.content ?? '');
      const bytes = [...new Uint8Array(await download.arrayBuffer()).subarray(0, 4)];
      expect(bytes.slice(0, kandinskyJob ? 2 : 4)).toEqual(kandinskyJob ? jpeg : png);
    }
  });

  it('starts a premium job before general jobs that queued earlier', async () => {
    const blocker = client.text2img({
      executor: 'automatic1111',
      userId: 'blocker',
      payload: { prompt: 'hold the GPU', steps: 400, width: 64, height: 64 },
    });
    for await (const update of blocker.events) if (update.status === 'generating') break;
    const general = ['g1', 'g2', 'g3'].map((userId) =>
      client.text2img({
        executor: 'automatic1111',
        userId,
        payload: { prompt: userId, steps: 2, width: 64, height: 64 },
      }),
    );
    const premium = client.text2img({
      executor: 'automatic1111',
      userId: 'p1',
      premium: true,
      payload: { prompt: 'premium', steps: 2, width: 64, height: 64 },
    });
    await Promise.all([...general, premium].map((job) => job.accepted));
    await client.cancel(blocker.requestId);
    await expect(blocker.result).rejects.toMatchObject({ code: 'canceled' });
    await Promise.all([...general, premium].map((job) => job.result));
    const starts = updates
      .filter((update) => update.status === 'generating')
      .map((update) => update.serviceInfo.userId)
      .filter((userId) => ['g1', 'g2', 'g3', 'p1'].includes(userId));
    expect(starts[0]).toBe('p1');
    expect(starts).toHaveLength(4);
  });

  it("streams a job's updates through its async iterator, the final one last", async () => {
    const job = client.text2img({
      executor: 'automatic1111',
      userId: 'reader',
      responseFormat: 'base64',
      payload: { prompt: 'iterated', steps: 6, width: 64, height: 64 },
    });
    const statuses: string[] = [];
    let last: JobUpdate | undefined;
    for await (const update of job.events) {
      statuses.push(update.status);
      last = update;
    }
    expect(statuses[0]).toBe('queued');
    expect(statuses).toContain('generating');
    expect(statuses).toContain('progress');
    expect(statuses.at(-1)).toBe('ok');
    if (last?.status !== 'ok') throw new Error('no ok');
    expect(last.result.contentType).toBe('base64');
    expect([...Buffer.from(last.result.content ?? '', 'base64').subarray(0, 4)]).toEqual(
      png,
    );
    expect(await job.result).toEqual(last.result);
  });

  it('runs a chat job on a model, the answer as the result text', async () => {
    const job = client.chat({
      model: 'double-chat',
      userId: 'talker',
      payload: { messages: [{ role: 'user', content: 'hello' }] },
    });
    expect(await job.result).toMatchObject({
      contentType: 'text',
      content: 'Hi, user',
      text: 'Hi, user',
    });
  });

  it('answers a finished request sent again with its result, and cancels it as a no-op', async () => {
    const params = {
      model: 'double-chat',
      userId: 'repeater',
      requestId: 'repeated-chat',
      payload: { messages: [{ role: 'user' as const, content: 'again?' }] },
    };
    const first = client.chat(params);
    const result = await first.result;
    await client.cancel(first.requestId);
    const again = client.chat(params);
    expect(await again.result).toEqual(result);
    expect(again.objectId).toBe(first.objectId);
  });

  it('surfaces a full user queue and a refused request as GeneratorErrors with a code', async () => {
    const payload = { prompt: 'busy', steps: 400, width: 64, height: 64 };
    const running = client.text2img({ executor: 'automatic1111', userId: 'q', payload });
    for await (const update of running.events) if (update.status === 'generating') break;
    const waiting = client.text2img({
      executor: 'automatic1111',
      userId: 'q',
      maxUserQueueSize: 1,
      payload,
    });
    await waiting.accepted;
    const refused = client.text2img({
      executor: 'automatic1111',
      userId: 'q',
      maxUserQueueSize: 1,
      payload,
    });
    const error = await refused.result.catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(GeneratorError);
    expect(error).toMatchObject({ code: 'queue_full', requestId: refused.requestId });
    await expect(
      client.text2img({
        executor: 'automatic1111',
        userId: 'r',
        payload: { prompt: 'x', steps: 'many' as unknown as number },
      }).result,
    ).rejects.toMatchObject({ code: 'invalid_request', param: 'payload.steps' });
    await Promise.all([
      client.cancel(waiting.requestId),
      client.cancel(running.requestId),
    ]);
    await expect(running.result).rejects.toMatchObject({ code: 'canceled' });
    await expect(waiting.result).rejects.toMatchObject({ code: 'canceled' });
  });
});
