import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../balancer/job.js';
import type { JobEvent } from '../../balancer/job-events.js';
import { LocalResultStorage } from '../../balancer/local-result-storage.js';
import { responseMessages } from './response-messages.js';

const job: Job = {
  id: 'job-1',
  service: 'bot',
  userId: '7',
  chatId: '70',
  requestId: 'request-1',
  tier: 'premium',
  kind: 'text2img',
  lane: 'executor:automatic1111',
  payload: {},
  state: 'queued',
  attempts: 0,
  createdAt: 0,
};

async function* from(events: JobEvent[]) {
  yield* events;
}

describe('responseMessages', () => {
  let folder: string;
  let storage: LocalResultStorage;
  const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
  let key: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'genrelay-responses-'));
    storage = new LocalResultStorage(folder);
    key = (await storage.save(bytes, 'image/png')).key;
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const collect = async (
    events: JobEvent[],
    stored: Partial<Job>,
    responseFormat: 'url' | 'base64' = 'url',
  ) => {
    const messages = [];
    const load = async () => ({ ...job, ...stored });
    const options = { storage, origin: 'http://relay', responseFormat, load };
    for await (const message of responseMessages(job, from(events), options))
      messages.push(message);
    return messages;
  };

  it("gives Devoid's avg_time as the seconds to the result, and says who the job is", async () => {
    const [queued] = await collect(
      [{ type: 'queued', position: 2, etaMs: 12_345, avgTimeMs: 4000 }],
      {},
    );
    expect(queued).toEqual({
      message_type: 'response',
      request_id: 'request-1',
      object_id: 'job-1',
      service: 'bot',
      executor: 'automatic1111',
      gen_type: 'text2img',
      service_info: { user_id: '7', chat_id: '70', message_id: null },
      settings: { premium: true },
      gen_status: 'queued',
      avg_time: 16.35,
      position: 2,
      eta_ms: 12_345,
    });
  });

  it('sends a preview inline or by its URL, and leaves out one that carries neither', async () => {
    const messages = await collect(
      [
        { type: 'image-preview', data: bytes, mediaType: 'image/png' },
        {
          type: 'image-preview',
          url: 'http://upstream/preview.webp',
          mediaType: 'image/webp',
        },
        { type: 'image-preview', mediaType: 'image/png' },
      ],
      {},
    );
    expect(messages.map((message) => message.gen_status)).toEqual(['preview', 'preview']);
    expect(
      messages.map((message) => message.gen_status === 'preview' && message.preview),
    ).toEqual([
      {
        content_type: 'base64',
        content: Buffer.from(bytes).toString('base64'),
        media_type: 'image/png',
      },
      {
        content_type: 'image_url',
        content: 'http://upstream/preview.webp',
        media_type: 'image/webp',
      },
    ]);
  });

  it('builds ok from the stored job, even when the state comes before the images (a replay)', async () => {
    const image = { key, mediaType: 'image/png', width: 1, height: 1, seed: 5 };
    const messages = await collect(
      [
        { type: 'state', state: 'succeeded' },
        { type: 'image', ...image, url: `/v1/files/${key}` },
      ],
      { state: 'succeeded', result: { images: [image] } },
      'base64',
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      gen_status: 'ok',
      result: {
        content_type: 'base64',
        content: Buffer.from(bytes).toString('base64'),
        file_name: key,
        images: [
          {
            url: `http://relay/v1/files/${key}`,
            media_type: 'image/png',
            width: 1,
            height: 1,
            seed: 5,
          },
        ],
      },
    });
  });

  it('sends the error as a code and message, and as the result text Devoid left empty', async () => {
    const messages = await collect(
      [
        {
          type: 'error',
          fatal: false,
          code: 'timeout',
          message: 'slow',
          retryable: true,
        },
        { type: 'state', state: 'failed' },
      ],
      { state: 'failed', error: { code: 'upstream_error', message: 'GPU on fire' } },
    );
    expect(messages.map((message) => message.gen_status)).toEqual(['error']);
    expect(messages[0]).toMatchObject({
      error: { code: 'upstream_error', message: 'GPU on fire' },
      result: { content_type: 'text', content: 'GPU on fire', file_name: null },
    });
  });
});

describe('responseMessages of a chat job', () => {
  const chat: Job = { ...job, kind: 'chat', lane: 'chat:double-chat' };
  const running: JobEvent = { type: 'state', state: 'running', attempt: 1 };
  const succeeded: JobEvent = { type: 'state', state: 'succeeded' };

  const collect = async (events: JobEvent[], text: string) => {
    const messages = [];
    const options = {
      storage: new LocalResultStorage(tmpdir()),
      origin: 'http://relay',
      responseFormat: 'url' as const,
      load: async () => ({ ...chat, state: 'succeeded' as const, result: { text } }),
    };
    for await (const message of responseMessages(chat, from(events), options))
      messages.push(message);
    return messages;
  };
  const bodies = (messages: Awaited<ReturnType<typeof collect>>) =>
    messages.map((message) =>
      message.gen_status === 'text'
        ? { text: message.delta, ...(message.reasoning ? { reasoning: true } : {}) }
        : message.gen_status,
    );

  it('sends each text and reasoning delta in order, reasoning flagged, before ok', async () => {
    const messages = await collect(
      [
        { type: 'state', state: 'queued' },
        running,
        { type: 'provider', provider: 'local', model: 'double-chat' },
        { type: 'reasoning', delta: 'Think' },
        { type: 'reasoning', status: 'thinking hard' },
        { type: 'text', delta: '' },
        { type: 'text', delta: 'Hel' },
        { type: 'text', delta: 'lo' },
        { type: 'finish', reason: 'stop' },
        succeeded,
      ],
      'Hello',
    );
    expect(bodies(messages)).toEqual([
      'generating',
      { text: 'Think', reasoning: true },
      { text: 'Hel' },
      { text: 'lo' },
      'ok',
    ]);
    expect(messages[2]).toMatchObject({
      message_type: 'response',
      object_id: 'job-1',
      model: 'double-chat',
      gen_type: 'chat',
      gen_status: 'text',
      delta: 'Hel',
    });
    expect(messages[2]).not.toHaveProperty('reasoning');
    expect(messages.at(-1)).toMatchObject({
      result: { content: 'Hello', text: 'Hello' },
    });
  });

  it('holds back text whose attempt started before the kept events (a cut replay) until the next attempt', async () => {
    const messages = await collect(
      [
        { type: 'text', delta: 'lo' },
        {
          type: 'error',
          fatal: false,
          code: 'upstream_error',
          message: 'cut',
          retryable: true,
        },
        { type: 'state', state: 'queued' },
        { type: 'state', state: 'running', attempt: 2 },
        { type: 'text', delta: 'Hi' },
        succeeded,
      ],
      'Hi',
    );
    expect(bodies(messages)).toEqual(['generating', { text: 'Hi' }, 'ok']);
  });

  it('sends only ok for a finished job told from the store (its events expired)', async () => {
    const messages = await collect(
      [succeeded, { type: 'text', delta: 'Hello' }, { type: 'finish', reason: 'stop' }],
      'Hello',
    );
    expect(bodies(messages)).toEqual(['ok']);
  });
});
