import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotGenRelay,
  botToken,
  startBotGenRelay,
} from '../support/start-bot-genrelay.js';
import type { GenRelayUnderTest } from '../support/start-genrelay.js';
import {
  type KandinskyDouble,
  startKandinskyDouble,
  text2imgImage,
} from '../upstreams/kandinsky/kandinsky-double.js';
import {
  type OpenAIDouble,
  startOpenAIDouble,
} from '../upstreams/openai-compatible/openai-compatible-double.js';
import { errorReply, openRawClient, type RawClient, status } from './raw-client.js';

const headers = { authorization: `Bearer ${botToken}` };

const a1111Request = (fields: Record<string, unknown> = {}, payload = {}) => ({
  message_type: 'request',
  executor: 'automatic1111',
  gen_type: 'text2img',
  service_info: { user_id: 1, chat_id: 10, message_id: 100 },
  payload: { prompt: 'a lighthouse', steps: 6, width: 256, height: 256, ...payload },
  ...fields,
});

describe('websocket API: requests, replies and errors', () => {
  let kandinsky: KandinskyDouble;
  let openai: OpenAIDouble;
  let relay: BotGenRelay;
  let genrelay: GenRelayUnderTest;
  let client: RawClient;
  let bystander: RawClient;

  beforeAll(async () => {
    kandinsky = await startKandinskyDouble();
    openai = await startOpenAIDouble({
      behaviour: { kind: 'normal', text: 'Hello there' },
    });
    relay = await startBotGenRelay({
      a1111: { stepDelayMs: 15, previewEvery: 1 },
      kandinsky,
      openai,
      config: {
        balancer: { maxUserQueueSize: { default: 2 } },
        moderation: { words: ['forbidden'] },
      },
    });
    genrelay = relay.genrelay;
    client = await openRawClient(genrelay.url, { headers });
    bystander = await openRawClient(genrelay.url, { headers });
    await client.next((message) => message.event === 'ready');
    await bystander.next((message) => message.event === 'ready');
  });
  afterAll(async () => {
    await client?.close();
    await bystander?.close();
    await relay?.close();
    await kandinsky?.close();
    await openai?.close();
  });

  it('reports queued, generating, progress, preview and ok with a downloadable image', async () => {
    client.send(a1111Request({ request_id: 'first' }));
    const queued = await client.next(status('queued'));
    expect(queued).toMatchObject({
      request_id: 'first',
      service: 'bot',
      executor: 'automatic1111',
      gen_type: 'text2img',
      service_info: { user_id: '1', chat_id: '10', message_id: '100' },
      position: 0,
    });
    expect(typeof queued.object_id).toBe('string');
    expect(queued.avg_time).toBeGreaterThan(0);
    expect(queued.eta_ms).toBeGreaterThanOrEqual(0);
    const id = queued.object_id as string;
    expect(await client.next(status('generating', id))).toMatchObject({
      attempt: 1,
      instance: 'gpu-a',
    });
    const progress = await client.next(status('progress', id));
    expect((progress.progress as { fraction: number }).fraction).toBeGreaterThan(0);
    const preview = (await client.next(status('preview', id))).preview as {
      content_type: string;
      content: string;
      media_type: string;
    };
    expect(preview.content_type).toBe('base64');
    expect(preview.media_type).toBe('image/png');
    expect([...Buffer.from(preview.content, 'base64').subarray(1, 4)]).toEqual([
      0x50, 0x4e, 0x47,
    ]);
    const ok = await client.next(status('ok', id));
    const result = ok.result as {
      content_type: string;
      content: string;
      file_name: string;
      images: { url: string; media_type: string; width: number; seed: number }[];
    };
    expect(result.content_type).toBe('image_url');
    expect(result.content.startsWith(`${genrelay.url}/v1/files/`)).toBe(true);
    expect(result.images[0]).toMatchObject({ url: result.content, width: 256 });
    expect(result.content.endsWith(result.file_name)).toBe(true);
    const download = await fetch(result.content);
    expect(download.headers.get('content-type')).toBe('image/png');
  });

  it('sends the image as base64 when asked, and takes Devoid 1/0 flags', async () => {
    client.send({
      message_type: 'request',
      request_id: 'kandinsky-base64',
      executor: 'kandinsky',
      gen_type: 'text2img',
      settings: { premium: 1, moderate: 0, sync_with_s3: 1, response_format: 'base64' },
      service_info: { user_id: 'u-7' },
      payload: { prompt: 'cat girl', width: 128, height: 128 },
    });
    const ok = await client.next(
      (message) => status('ok')(message) && message.request_id === 'kandinsky-base64',
    );
    expect(ok.settings).toEqual({ premium: true });
    const result = ok.result as { content_type: string; content: string };
    expect(result.content_type).toBe('base64');
    expect(new Uint8Array(Buffer.from(result.content, 'base64'))).toEqual(
      text2imgImage('cat girl', 128, 128),
    );
  });

  it('runs a chat job on a model and sends the answer as text', async () => {
    client.send({
      message_type: 'request',
      request_id: 'chat-1',
      model: 'double-chat',
      gen_type: 'chat',
      service_info: { user_id: 3 },
      payload: { messages: [{ role: 'user', content: 'hi' }] },
    });
    const ok = await client.next(
      (message) => status('ok')(message) && message.request_id === 'chat-1',
    );
    expect(ok).toMatchObject({
      model: 'double-chat',
      gen_type: 'chat',
      result: { content_type: 'text', content: 'Hello there', text: 'Hello there' },
    });
  });

  it('answers bad messages with an error naming the problem and keeps the connection', async () => {
    client.send('{"message_type": "request",');
    expect((await client.next(errorReply)).error).toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('Malformed JSON'),
    });
    client.send({ message_type: 'generate' });
    expect((await client.next(errorReply)).error).toMatchObject({
      code: 'invalid_request',
      param: 'message_type',
      message: expect.stringContaining('unknown "generate"'),
    });
    client.send(a1111Request({ request_id: 'bad-steps' }, { steps: 'many' }));
    expect(await client.next(errorReply)).toMatchObject({
      request_id: 'bad-steps',
      error: { code: 'invalid_request', param: 'payload.steps' },
    });
    client.send(a1111Request({ request_id: 'no-user', service_info: {} }));
    expect(await client.next(errorReply)).toMatchObject({
      request_id: 'no-user',
      error: { code: 'invalid_request', param: 'service_info.user_id' },
    });
    client.send(a1111Request({ request_id: 'nowhere', executor: 'midjourney' }));
    expect(await client.next(errorReply)).toMatchObject({
      request_id: 'nowhere',
      error: {
        code: 'not_found',
        param: 'executor',
        message: expect.stringContaining('midjourney'),
      },
    });
    client.send(a1111Request({ request_id: 'mixed', gen_type: 'mix2img' }));
    expect(await client.next(errorReply)).toMatchObject({
      request_id: 'mixed',
      error: { code: 'invalid_request', param: 'kind' },
    });
    client.send(a1111Request({ request_id: 'still-fine' }));
    expect(
      await client.next(
        (message) => status('ok')(message) && message.request_id === 'still-fine',
      ),
    ).toBeTruthy();
  });

  it('refuses a moderated prompt before queueing it', async () => {
    client.send(
      a1111Request(
        { request_id: 'moderated', settings: { moderate: true } },
        { prompt: 'something Forbidden here' },
      ),
    );
    expect(await client.next(errorReply)).toMatchObject({
      request_id: 'moderated',
      service_info: { user_id: '1' },
      error: {
        code: 'moderation_rejected',
        message: expect.stringContaining('forbidden'),
      },
    });
  });

  it('refuses an over-cap user with queue_full while other users and clients go on', async () => {
    const long = { steps: 40 };
    client.send(a1111Request({ request_id: 'busy' }, long));
    await client.next(
      (message) => status('generating')(message) && message.request_id === 'busy',
    );
    const greedy = { service_info: { user_id: 'greedy' } };
    client.send(a1111Request({ ...greedy, request_id: 'greedy-1' }));
    client.send(a1111Request({ ...greedy, request_id: 'greedy-2' }));
    await client.next(
      (message) => status('queued')(message) && message.request_id === 'greedy-2',
    );
    client.send(a1111Request({ ...greedy, request_id: 'greedy-3' }));
    expect(await client.next(errorReply)).toMatchObject({
      request_id: 'greedy-3',
      error: { code: 'queue_full', message: expect.stringContaining('greedy') },
    });
    bystander.send(
      a1111Request({ request_id: 'bystander', service_info: { user_id: 9 } }),
    );
    const done = await bystander.next(status('ok'), 15_000);
    expect(done.request_id).toBe('bystander');
    expect(bystander.messages.some((message) => message.request_id === 'greedy-3')).toBe(
      false,
    );
  });

  it('cancels a queued and a running job; an unknown one is an error', async () => {
    client.send(
      a1111Request(
        { request_id: 'to-run', service_info: { user_id: 'c1' } },
        { steps: 200 },
      ),
    );
    const running = await client.next(
      (message) => status('generating')(message) && message.request_id === 'to-run',
    );
    client.send(a1111Request({ request_id: 'to-wait', service_info: { user_id: 'c2' } }));
    const waiting = await client.next(
      (message) => status('queued')(message) && message.request_id === 'to-wait',
    );
    client.send({ message_type: 'cancel', request_id: 'to-wait' });
    await client.next(status('canceled', waiting.object_id as string));
    client.send({ message_type: 'cancel', object_id: running.object_id });
    await client.next(status('canceled', running.object_id as string));
    const stored = await fetch(`${genrelay.url}/v1/jobs/${running.object_id}`, {
      headers,
    });
    expect(await stored.json()).toMatchObject({ state: 'canceled' });
    client.send({ message_type: 'cancel', object_id: 'no-such-job' });
    expect(await client.next(errorReply)).toMatchObject({
      object_id: 'no-such-job',
      error: { code: 'not_found' },
    });
    client.send({ message_type: 'cancel', request_id: 'never-sent' });
    expect(await client.next(errorReply)).toMatchObject({
      request_id: 'never-sent',
      error: { code: 'not_found', param: 'request_id' },
    });
  });

  it('returns the same job for a repeated request_id, and lets another connection follow it', async () => {
    client.send(a1111Request({ request_id: 'twice' }));
    const first = await client.next(
      (message) => status('queued')(message) && message.request_id === 'twice',
    );
    const ok = await client.next(status('ok', first.object_id as string));
    client.send(a1111Request({ request_id: 'twice' }));
    const again = await client.next(status('ok', first.object_id as string));
    expect(again.result).toEqual(ok.result);
    bystander.send({ message_type: 'subscribe', object_id: first.object_id });
    expect(
      (await bystander.next(status('ok', first.object_id as string))).result,
    ).toEqual(ok.result);
  });
});
