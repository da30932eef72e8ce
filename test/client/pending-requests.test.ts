import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type GenerationJob, GeneratorClient } from '../../src/client/index.js';
import {
  type BotGenRelay,
  botToken,
  startBotGenRelay,
} from '../support/start-bot-genrelay.js';

describe('GeneratorClient with more requests than the server admits at once', () => {
  let relay: BotGenRelay | undefined;
  let client: GeneratorClient | undefined;

  afterEach(async () => {
    await client?.close();
    await relay?.close();
    client = undefined;
    relay = undefined;
  });

  const submitBeforeConnect = (count: number): GenerationJob[] => {
    if (relay === undefined) throw new Error('no relay');
    client = new GeneratorClient({
      endpoint: relay.genrelay.url,
      service: 'bot',
      token: botToken,
      WebSocket,
      reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
      requestTimeoutMs: 10_000,
    });
    const submitted = client;
    return Array.from({ length: count }, (_, index) =>
      submitted.text2img({
        executor: 'automatic1111',
        userId: `user-${index}`,
        payload: { prompt: `job ${index}`, steps: 1, width: 64, height: 64 },
      }),
    );
  };

  it('gets 100 jobs submitted before connecting all accepted', async () => {
    relay = await startBotGenRelay({ a1111: { stepDelayMs: 1 } });
    const jobs = submitBeforeConnect(100);
    const ids = await Promise.all(jobs.map((job) => job.accepted));
    expect(new Set(ids).size).toBe(100);
  });

  it('puts requests the server turns away as rate_limited back in line', async () => {
    relay = await startBotGenRelay({
      a1111: { stepDelayMs: 1 },
      config: { websocket: { maxPendingRequests: 2 } },
    });
    const jobs = submitBeforeConnect(40);
    const ids = await Promise.all(jobs.map((job) => job.accepted));
    expect(new Set(ids).size).toBe(40);
  });
});
