import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { GeneratorClient, type GeneratorError } from '../../src/client/index.js';
import {
  type BotGenRelay,
  botToken,
  startBotGenRelay,
} from '../support/start-bot-genrelay.js';

describe('GeneratorClient when the connection drops', () => {
  let relay: BotGenRelay;

  beforeAll(async () => {
    relay = await startBotGenRelay({ a1111: { stepDelayMs: 10, previewEvery: 2 } });
  });
  afterAll(async () => {
    await relay?.close();
  });

  it('reconnects after the server drops it and still receives every final result', async () => {
    const client = new GeneratorClient({
      endpoint: relay.genrelay.url,
      token: botToken,
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

    relay.genrelay.server.websocket.terminateConnections();
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
      token: botToken,
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

  it('rejects a cancel that finds no connection, and leaves no promise unhandled', async () => {
    const client = new GeneratorClient({
      endpoint: relay.genrelay.url,
      token: botToken,
      WebSocket,
      // Away longer than a request may wait.
      reconnect: { initialDelayMs: 1000, maxDelayMs: 1000 },
      requestTimeoutMs: 200,
    });
    const dropped = new Promise<GeneratorError>((resolve) =>
      client.onConnectionError(resolve),
    );
    const job = client.text2img({
      executor: 'automatic1111',
      userId: 'canceler',
      payload: { prompt: 'cancel me while away', steps: 30, width: 64, height: 64 },
    });
    await job.accepted;
    relay.genrelay.server.websocket.terminateConnections();
    await dropped;
    await expect(client.cancel(job.requestId)).rejects.toMatchObject({
      code: 'not_connected',
    });
    // The job itself waited for a connection to follow it on, as long as the cancel.
    await expect(job.result).rejects.toMatchObject({ code: 'not_connected' });
    await client.close();
  });

  it('stops and says so when the server refuses the token', async () => {
    const client = new GeneratorClient({
      endpoint: relay.genrelay.url,
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

describe('GeneratorClient against a server that does not keep to the protocol', () => {
  it('gives up on an attempt the server never answers, and tries again', async () => {
    const held: Socket[] = [];
    const silent = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const client = new GeneratorClient({
      endpoint: `http://127.0.0.1:${port}`,
      token: botToken,
      WebSocket,
      reconnect: { initialDelayMs: 20, maxDelayMs: 50 },
      requestTimeoutMs: 200,
    });
    const errors: GeneratorError[] = [];
    const twice = new Promise<void>((resolve) =>
      client.onConnectionError((error) => {
        errors.push(error);
        if (errors.length === 2) resolve();
      }),
    );
    await expect(client.connect()).rejects.toMatchObject({ code: 'not_connected' });
    await twice;
    expect(errors[0]).toMatchObject({
      code: 'connection_lost',
      message: expect.stringContaining('not ready within 200 ms'),
    });
    expect(held.length).toBeGreaterThanOrEqual(2);
    await client.close();
    for (const socket of held) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('reports a response it cannot read as a protocol error and stays connected', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    server.on('connection', (socket) => {
      socket.send(
        JSON.stringify({
          message_type: 'info',
          event: 'ready',
          service: 'bot',
          connection_id: 'c-1',
        }),
      );
      socket.send(JSON.stringify({ message_type: 'response', gen_status: 'progress' }));
    });
    const client = new GeneratorClient({
      endpoint: `http://127.0.0.1:${port}`,
      WebSocket,
      requestTimeoutMs: 2000,
    });
    const reported = new Promise<GeneratorError>((resolve) =>
      client.onConnectionError(resolve),
    );
    await client.connect();
    expect(await reported).toMatchObject({ code: 'protocol_error' });
    expect(client.connected).toBe(true);
    await client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
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
