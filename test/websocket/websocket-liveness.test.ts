import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotGenRelay,
  botToken,
  startBotGenRelay,
} from '../support/start-bot-genrelay.js';
import type { GenRelayUnderTest } from '../support/start-genrelay.js';
import { openRawClient, status } from './raw-client.js';

const headers = { authorization: `Bearer ${botToken}` };

/**
 * genrelay with one AUTOMATIC1111 double that makes a preview every step, of random
 * pixels, so each weighs what a real one does (a 1024² job's is about 65 kB in base64).
 */
function withGenRelay(websocket: Record<string, unknown>) {
  let relay: BotGenRelay | undefined;
  beforeAll(async () => {
    relay = await startBotGenRelay({
      a1111: { stepDelayMs: 10, previewEvery: 1, noisyPreviews: true },
      config: { websocket },
    });
  });
  afterAll(async () => {
    await relay?.close();
  });
  return () => relay?.genrelay as GenRelayUnderTest;
}

describe('websocket API: heartbeat', () => {
  const genrelay = withGenRelay({ heartbeatMs: 100 });

  it('drops a connection that stops answering pings, and keeps one that answers', async () => {
    const answering = await openRawClient(genrelay().url, { headers });
    const silent = await openRawClient(genrelay().url, { headers, autoPong: false });
    let pings = 0;
    silent.socket.on('ping', () => {
      pings++;
    });
    const closed = await silent.closed;
    expect(closed.code).toBe(1006);
    expect(pings).toBeGreaterThanOrEqual(1);
    expect(answering.socket.readyState).toBe(answering.socket.OPEN);
    answering.send({ message_type: 'subscribe', object_id: 'missing' });
    expect(
      await answering.next((message) => message.message_type === 'error'),
    ).toMatchObject({
      error: { code: 'not_found' },
    });
    await answering.close();
  });
});

describe('websocket API: backpressure', () => {
  const genrelay = withGenRelay({ maxBufferedBytes: 64 * 1024 });

  it('closes a client that does not read with 4009, and its job still completes', async () => {
    const slow = await openRawClient(genrelay().url, { headers });
    const watcher = await openRawClient(genrelay().url, { headers });
    slow.send({
      message_type: 'request',
      request_id: 'flood',
      executor: 'automatic1111',
      gen_type: 'text2img',
      service_info: { user_id: 1 },
      payload: { prompt: 'a flood of previews', steps: 120, width: 1024, height: 1024 },
    });
    const generating = await slow.next(status('generating'));
    const id = generating.object_id as string;
    await slow.next(status('preview', id));
    watcher.send({ message_type: 'subscribe', object_id: id });
    // The slow client stops reading but keeps asking for the job's kept events, each
    // request a fresh replay; paced so each replay is sent before the next replaces it.
    slow.socket.pause();
    for (
      let index = 0;
      index < 300 && slow.socket.readyState === slow.socket.OPEN;
      index++
    ) {
      slow.send({ message_type: 'subscribe', object_id: id });
      await delay(3);
    }
    const ok = await watcher.next(status('ok', id), 15_000);
    expect((ok.result as { images: unknown[] }).images).toHaveLength(1);
    const stored = await fetch(`${genrelay().url}/v1/jobs/${id}`, { headers });
    expect(await stored.json()).toMatchObject({ state: 'succeeded' });
    slow.socket.resume();
    expect(await slow.closed).toEqual({ code: 4009, reason: 'client too slow' });
    expect(slow.messages.some(status('ok', id))).toBe(false);
    await watcher.close();
  });
});
