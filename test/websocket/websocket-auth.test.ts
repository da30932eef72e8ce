import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenRelayUnderTest, startGenRelay } from '../support/start-genrelay.js';
import {
  type KandinskyDouble,
  startKandinskyDouble,
} from '../upstreams/kandinsky/kandinsky-double.js';
import { errorReply, openRawClient, status } from './raw-client.js';

const botToken = 'bot-token-0123456789';
const webToken = 'web-token-0123456789';

describe('websocket API: authentication', () => {
  let kandinsky: KandinskyDouble;
  let genrelay: GenRelayUnderTest;

  beforeAll(async () => {
    kandinsky = await startKandinskyDouble();
    genrelay = await startGenRelay({
      services: { bot: { token: botToken }, web: { token: webToken } },
      providers: {
        kand: { type: 'kandinsky', baseUrl: kandinsky.baseUrl, token: 'kandinsky-token' },
      },
      websocket: { authTimeoutMs: 200 },
    });
  });
  afterAll(async () => {
    await genrelay?.close();
    await kandinsky?.close();
  });

  const ready = { message_type: 'info', event: 'ready' };

  it('takes a bearer token header on /v1/ws', async () => {
    const client = await openRawClient(genrelay.url, {
      headers: { authorization: `Bearer ${botToken}` },
    });
    const message = await client.next((each) => each.event === 'ready');
    expect(message).toMatchObject({ ...ready, service: 'bot' });
    expect(typeof message.connection_id).toBe('string');
    await client.close();
  });

  it("takes Devoid's bare authorization and service headers on /ws/{service}", async () => {
    const byPath = await openRawClient(genrelay.url, {
      path: '/ws/web',
      headers: { authorization: webToken },
    });
    expect(await byPath.next((each) => each.event === 'ready')).toMatchObject({
      service: 'web',
    });
    const byHeader = await openRawClient(genrelay.url, {
      headers: { authorization: webToken, service: 'web' },
    });
    expect(await byHeader.next((each) => each.event === 'ready')).toMatchObject({
      service: 'web',
    });
    await Promise.all([byPath.close(), byHeader.close()]);
  });

  it('takes the token as the first message, for browsers', async () => {
    const client = await openRawClient(genrelay.url);
    client.send({
      message_type: 'request',
      executor: 'kandinsky',
      gen_type: 'text2img',
      service_info: { user_id: 1 },
      payload: { prompt: 'too early' },
    });
    expect((await client.next(errorReply)).error).toMatchObject({
      code: 'authentication_failed',
      message: expect.stringContaining('"message_type":"auth"'),
    });
    client.send({ message_type: 'auth', token: botToken, service: 'bot' });
    expect(await client.next((each) => each.event === 'ready')).toMatchObject({
      service: 'bot',
    });
    client.send({
      message_type: 'request',
      executor: 'kandinsky',
      gen_type: 'text2img',
      service_info: { user_id: 1 },
      payload: { prompt: 'now' },
    });
    expect(await client.next(status('ok'))).toMatchObject({ service: 'bot' });
    await client.close();
  });

  it('closes with 4001 and a reason for a wrong token, in a header or a message', async () => {
    const byHeader = await openRawClient(genrelay.url, {
      headers: { authorization: 'Bearer wrong-token-000000000' },
    });
    expect(await byHeader.closed).toEqual({
      code: 4001,
      reason: 'Incorrect token provided.',
    });
    const byMessage = await openRawClient(genrelay.url);
    byMessage.send({ message_type: 'auth', token: 'wrong-token-000000000' });
    expect((await byMessage.closed).code).toBe(4001);
  });

  it("closes with 4001 when the token is another service's", async () => {
    const client = await openRawClient(genrelay.url, {
      path: '/ws/web',
      headers: { authorization: botToken },
    });
    expect(await client.closed).toEqual({
      code: 4001,
      reason: 'The token does not belong to service "web"',
    });
    expect(client.messages).toEqual([]);
  });

  it('closes with 4008 when no credentials come in time', async () => {
    const client = await openRawClient(genrelay.url);
    const closed = await client.closed;
    expect(closed.code).toBe(4008);
    expect(closed.reason).toContain('200 ms');
  });

  /** What the server answers a raw upgrade request to `target`. */
  const upgradeAnswer = (target: string) => {
    const { port } = new URL(genrelay.url);
    return new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write(
          `GET ${target} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        ),
      );
      let text = '';
      socket.on('data', (chunk) => {
        text += String(chunk);
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
  };

  it('answers 404 to an upgrade on any other path', async () => {
    expect((await upgradeAnswer('/v1/elsewhere')).startsWith('HTTP/1.1 404')).toBe(true);
  });

  it('answers 404 to an upgrade whose target is no URL, and stays up', async () => {
    expect((await upgradeAnswer('http://[/v1/ws')).startsWith('HTTP/1.1 404')).toBe(true);
    const models = await fetch(`${genrelay.url}/v1/models`);
    expect(models.status).toBeLessThan(500);
  });
});

describe('websocket API on an open server', () => {
  let genrelay: GenRelayUnderTest;
  beforeAll(async () => {
    genrelay = await startGenRelay({ websocket: { authTimeoutMs: 100 } });
  });
  afterAll(async () => {
    await genrelay?.close();
  });

  it('needs no credentials: everyone is the default service', async () => {
    const client = await openRawClient(genrelay.url, { path: '/ws/telegram' });
    expect(await client.next((each) => each.event === 'ready')).toMatchObject({
      service: 'default',
    });
    await client.close();
  });
});
