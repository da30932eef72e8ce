import { createServer, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../support/listen-on-loopback.js';
import {
  type BotGenRelay,
  botToken,
  startBotGenRelay,
} from '../support/start-bot-genrelay.js';
import { errorReply, openRawClient, type RawClient, status } from './raw-client.js';

const request = (requestId: string) => ({
  message_type: 'request',
  request_id: requestId,
  executor: 'automatic1111',
  gen_type: 'text2img',
  settings: { moderate: true },
  service_info: { user_id: requestId, chat_id: 1, message_id: 1 },
  payload: { prompt: 'a lighthouse', steps: 2, width: 64, height: 64 },
});

describe('websocket API: requests waiting for admission', () => {
  // A moderation endpoint that answers only when told: admissions wait on it.
  const held: ServerResponse[] = [];
  const moderation = createServer((_incoming, response) => {
    _incoming.resume();
    held.push(response);
  });
  const release = () => {
    for (const response of held.splice(0)) {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ results: [{ flagged: false, categories: {} }] }));
    }
  };
  let relay: BotGenRelay;
  let client: RawClient;

  beforeAll(async () => {
    const endpoint = await listenOnLoopback(moderation);
    relay = await startBotGenRelay({
      a1111: { stepDelayMs: 1 },
      config: {
        moderation: { endpoint: { baseUrl: `${endpoint}/v1`, apiKey: 'moderation-key' } },
        websocket: { maxPendingRequests: 2 },
      },
    });
    client = await openRawClient(relay.genrelay.url, {
      headers: { authorization: `Bearer ${botToken}` },
    });
    await client.next((message) => message.event === 'ready');
  });
  afterAll(async () => {
    release();
    await client?.close();
    await relay?.close();
    moderation.closeAllConnections();
    await new Promise((resolve) => moderation.close(resolve));
  });

  it('refuses requests beyond maxPendingRequests with rate_limited, and admits the rest once answered', async () => {
    for (const id of ['r1', 'r2', 'r3']) client.send(request(id));
    const refused = await client.next(errorReply);
    expect(refused).toMatchObject({
      request_id: 'r3',
      error: { code: 'rate_limited' },
    });
    expect(String((refused.error as { message: string }).message)).toMatch(
      /websocket\.maxPendingRequests/,
    );
    // The two held ones are admitted, queued and run once moderation answers.
    await expect.poll(() => held.length).toBe(2);
    release();
    for (const id of ['r1', 'r2'])
      await client.next(
        (message) => message.request_id === id && status('ok')(message),
        10_000,
      );
    // With nothing pending, the next request is admitted again.
    client.send(request('r4'));
    await expect.poll(() => held.length).toBe(1);
    release();
    await client.next(
      (message) => message.request_id === 'r4' && status('ok')(message),
      10_000,
    );
  });
});
