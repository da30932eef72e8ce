import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { GeneratorClient, type GeneratorError } from '../../src/client/index.js';
import { type GenRelayUnderTest, startGenRelay } from '../support/start-genrelay.js';
import {
  type Automatic1111Double,
  startAutomatic1111Double,
} from '../upstreams/automatic1111/automatic1111-double.js';

const token = 'bot-token-0123456789';

describe('GeneratorClient when the connection drops', () => {
  let a1111: Automatic1111Double;
  let genrelay: GenRelayUnderTest;

  beforeAll(async () => {
    a1111 = await startAutomatic1111Double({ stepDelayMs: 10, previewEvery: 2 });
    genrelay = await startGenRelay({
      server: { allowPrivateMediaUrls: true },
      services: { bot: { token } },
      providers: {
        'gpu-a': {
          type: 'automatic1111',
          baseUrl: a1111.baseUrl,
          progressIntervalMs: 10,
        },
      },
    });
  });
  afterAll(async () => {
    await genrelay?.close();
    await a1111?.close();
  });

  it('reconnects after the server drops it and still receives every final result', async () => {
    const client = new GeneratorClient({
      endpoint: genrelay.url,
      token,
      WebSocket,
      // Long enough that jobs finish while the client is away.
      reconnect: { initialDelayMs: 400, maxDelayMs: 800 },
      requestTimeoutMs: 5000,
    });
    const dropped = new Promise<GeneratorError>((resolve) =>
      client.onConnectionError(resolve),
    );
    const done: string[] = [];
    client.onDone((update) => done.push(update.requestId ?? ''));
    await client.connect();
    const jobs = Array.from({ length: 6 }, (_, index) =>
      client.text2img({
        executor: 'automatic1111',
        userId: `user-${index % 3}`,
        payload: { prompt: `job ${index}`, steps: 8, width: 64, height: 64 },
      }),
    );
    const [first] = jobs;
    for await (const update of first?.events ?? [])
      if (update.status === 'generating') break;

    genrelay.server.websocket.terminateConnections();
    expect((await dropped).code).toBe('connection_lost');
    expect(client.connected).toBe(false);
    const whileAway = client.text2img({
      executor: 'automatic1111',
      userId: 'late',
      payload: { prompt: 'sent while away', steps: 2, width: 64, height: 64 },
    });

    const results = await Promise.all([...jobs, whileAway].map((job) => job.result));
    expect(results.every((result) => result.images.length === 1)).toBe(true);
    expect(client.connected).toBe(true);
    expect(done.sort()).toEqual([...jobs, whileAway].map((job) => job.requestId).sort());
    await client.close();
  });

  it('fails a request clearly when no connection comes within requestTimeoutMs', async () => {
    const port = await closedPort();
    const client = new GeneratorClient({
      endpoint: `http://127.0.0.1:${port}`,
      token,
      WebSocket,
      reconnect: { initialDelayMs: 20, maxDelayMs: 50 },
      requestTimeoutMs: 300,
    });
    const errors: GeneratorError[] = [];
    client.onConnectionError((error) => errors.push(error));
    const started = Date.now();
    const job = client.text2img({
      executor: 'automatic1111',
      userId: 1,
      payload: { prompt: 'nowhere to go' },
    });
    await expect(job.result).rejects.toMatchObject({
      code: 'not_connected',
      message: expect.stringContaining(`ws://127.0.0.1:${port}/v1/ws within 300 ms`),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await expect(client.connect()).rejects.toMatchObject({ code: 'not_connected' });
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]?.code).toBe('connection_lost');
    await client.close();
    await expect(job.accepted).rejects.toMatchObject({ code: 'not_connected' });
  });

  it('stops and says so when the server refuses the token', async () => {
    const client = new GeneratorClient({
      endpoint: genrelay.url,
      token: 'wrong-token-000000000',
      WebSocket,
      reconnect: { initialDelayMs: 20, maxDelayMs: 50 },
    });
    const pending = client.text2img({
      executor: 'automatic1111',
      userId: 1,
      payload: { prompt: 'never runs' },
    });
    await expect(client.connect()).rejects.toMatchObject({
      code: 'authentication_failed',
      message: expect.stringContaining('4001: Incorrect token provided.'),
    });
    await expect(pending.result).rejects.toMatchObject({ code: 'authentication_failed' });
    await client.close();
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
