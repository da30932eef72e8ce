import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordingLogger } from '../../test/support/recording-logger.js';
import {
  InvalidRequestError,
  PayloadTooLargeError,
  QueueFullError,
  TimeoutError,
  UpstreamError,
} from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { verifyWebhookSignature } from './verify-webhook-signature.js';
import { type WebhookResult, WebhookSender } from './webhook-sender.js';
import { webhookSettingsSchema } from './webhook-settings.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** How the receiver answers its `index`-th request (from 0); leaving it unanswered hangs. */
type Reply = (response: ServerResponse, index: number) => void;

const ok: Reply = (response) => response.writeHead(204).end();

let server: Server;
let origin: string;
let port: number;
let received: Received[] = [];
let connections = 0;
let reply: Reply = ok;
const senders: WebhookSender[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = received.length;
      received.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      reply(response, index);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
});

afterEach(async () => {
  await Promise.all(senders.splice(0).map((sender) => sender.close()));
  server.closeAllConnections();
  received = [];
  connections = 0;
  reply = ok;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A sender on loopback (private URLs allowed unless said otherwise) and its results. */
function start(settings: Record<string, unknown> = {}, logger?: Logger) {
  const results: WebhookResult[] = [];
  const sender = new WebhookSender(
    webhookSettingsSchema.parse({
      allowPrivateUrls: true,
      retryDelayMs: 10,
      ...settings,
    }),
    { onResult: (result) => results.push(result), random: () => 0.5, logger },
  );
  senders.push(sender);
  /** The result for a job, once it has one (bounded). */
  const resultOf = async (jobId: string): Promise<WebhookResult> => {
    await vi.waitFor(() => expect(results.map((entry) => entry.jobId)).toContain(jobId), {
      timeout: 5000,
      interval: 5,
    });
    return results.find((entry) => entry.jobId === jobId) as WebhookResult;
  };
  return { sender, results, resultOf };
}

const event = { type: 'done', jobId: 'j1', images: [{ url: '/v1/files/a.png' }] };

describe('WebhookSender deliveries', () => {
  it('posts the event as JSON with an id, a timestamp and a signature that verifies', async () => {
    const secret = 'global-secret-0123456789';
    const { sender, resultOf } = start({ secret });
    sender.send(`${origin}/hook`, event, { service: 'svc', jobId: 'j1' });

    expect(await resultOf('j1')).toMatchObject({ outcome: 'delivered', attempts: 1 });
    const [delivery] = received;
    if (delivery === undefined) throw new Error('nothing received');
    expect(JSON.parse(delivery.body)).toEqual(event);
    const { headers, body } = delivery;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['user-agent']).toBe('genrelay-webhook');
    expect(headers['x-genrelay-event-id']).toMatch(/^[0-9a-f-]{36}$/);
    const timestamp = String(headers['x-genrelay-timestamp']);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    const signature = String(headers['x-genrelay-signature']);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);

    const genuine = { secret, timestamp, body, signature };
    expect(verifyWebhookSignature(genuine)).toBe(true);
    expect(
      verifyWebhookSignature({ ...genuine, secret: 'wrong-secret-0123456789' }),
    ).toBe(false);
    expect(verifyWebhookSignature({ ...genuine, body: body.replace('j1', 'j2') })).toBe(
      false,
    );
    const tenMinutesLater = Date.now() + 600_000;
    expect(verifyWebhookSignature({ ...genuine, now: tenMinutesLater })).toBe(false);
  });

  it("signs with the service's own secret, and not at all without a secret", async () => {
    const own = 'service-secret-0123456789';
    const { sender, resultOf } = start({ services: { signed: { secret: own } } });
    sender.send(`${origin}/a`, event, { service: 'signed', jobId: 'j1' });
    await resultOf('j1');
    sender.send(`${origin}/b`, event, { service: 'other', jobId: 'j2' });
    await resultOf('j2');

    const [signed, unsigned] = received;
    expect(
      verifyWebhookSignature({
        secret: own,
        timestamp: String(signed?.headers['x-genrelay-timestamp']),
        body: signed?.body ?? '',
        signature: String(signed?.headers['x-genrelay-signature']),
      }),
    ).toBe(true);
    expect(unsigned?.headers['x-genrelay-signature']).toBeUndefined();
    expect(unsigned?.headers['x-genrelay-event-id']).not.toBe(
      signed?.headers['x-genrelay-event-id'],
    );
  });

  it('picks the job URL, else the URL configured for its service', () => {
    const { sender } = start({
      services: { svc: { url: 'https://hooks.example.com/a' } },
    });
    expect(sender.urlFor('svc', 'https://own.example.com/b')).toBe(
      'https://own.example.com/b',
    );
    expect(sender.urlFor('svc')).toBe('https://hooks.example.com/a');
    expect(sender.urlFor('unknown')).toBeUndefined();
  });
});

describe('WebhookSender retries', () => {
  it('retries a 500 and succeeds, with the same event id on every attempt', async () => {
    reply = (response, index) => response.writeHead(index < 2 ? 500 : 200).end();
    const { sender, resultOf } = start();
    sender.send(`${origin}/hook`, event, { service: 'svc', jobId: 'j1' });

    expect(await resultOf('j1')).toMatchObject({ outcome: 'delivered', attempts: 3 });
    expect(received).toHaveLength(3);
    const ids = new Set(received.map((entry) => entry.headers['x-genrelay-event-id']));
    expect(ids.size).toBe(1);
    expect(new Set(received.map((entry) => entry.body)).size).toBe(1);
  });

  it('gives up after three attempts', async () => {
    reply = (response) => response.writeHead(503).end('down for maintenance');
    const logger = recordingLogger();
    const { sender, resultOf } = start({}, logger);
    sender.send(`${origin}/hook`, event, { service: 'svc', jobId: 'j1' });

    const result = await resultOf('j1');
    expect(result).toMatchObject({ outcome: 'failed', attempts: 3 });
    expect(result.error).toBeInstanceOf(UpstreamError);
    expect(result.error?.message).toMatch(/answered 503: down for maintenance/);
    expect(received).toHaveLength(3);
    expect(logger.warnings).toEqual(['webhook delivery failed']);
  });

  it('does not retry a 4xx other than 429', async () => {
    reply = (response) => response.writeHead(400).end();
    const { sender, resultOf } = start();
    sender.send(`${origin}/hook`, event, { service: 'svc', jobId: 'j1' });

    expect(await resultOf('j1')).toMatchObject({ outcome: 'failed', attempts: 1 });
    expect(received).toHaveLength(1);
  });

  it('waits as long as Retry-After asks, up to the cap', async () => {
    reply = (response, index) =>
      index === 0
        ? response.writeHead(429, { 'retry-after': '30' }).end()
        : response.writeHead(200).end();
    const { sender, resultOf } = start({ retryDelayMs: 1, maxRetryAfterMs: 300 });
    sender.send(`${origin}/hook`, event, { service: 'svc', jobId: 'j1' });

    expect(await resultOf('j1')).toMatchObject({ outcome: 'delivered', attempts: 2 });
    const gap = (received[1]?.at ?? 0) - (received[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(280);
    expect(gap).toBeLessThan(5000);
  });

  it('bounds each attempt by timeoutMs', async () => {
    reply = () => {};
    const { sender, resultOf } = start({ timeoutMs: 200 });
    const started = Date.now();
    sender.send(`${origin}/hook`, event, { service: 'svc', jobId: 'j1' });

    const result = await resultOf('j1');
    expect(result).toMatchObject({ outcome: 'failed', attempts: 3 });
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect(received).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('WebhookSender backlog', () => {
  it('returns from send at once while the receiver hangs', async () => {
    reply = () => {};
    const { sender } = start({ concurrency: 2, timeoutMs: 1000 });
    const started = performance.now();
    for (let index = 0; index < 1000; index++) {
      const jobId = `j${index}`;
      const returned: unknown = sender.send(
        `${origin}/hook`,
        { jobId },
        { service: 'svc', jobId },
      );
      expect(returned).toBeUndefined();
    }
    expect(performance.now() - started).toBeLessThan(500);
    // Only `concurrency` deliveries reach the receiver while it holds them.
    await vi.waitFor(() => expect(received).toHaveLength(2), { timeout: 5000 });
    expect(received.map((entry) => JSON.parse(entry.body).jobId)).toEqual(['j0', 'j1']);
  });

  it('drops the oldest pending delivery beyond maxPending, with a warning', async () => {
    const logger = recordingLogger();
    const { sender, results, resultOf } = start(
      { concurrency: 1, maxPending: 2 },
      logger,
    );
    for (const jobId of ['j1', 'j2', 'j3', 'j4']) {
      sender.send(`${origin}/hook`, { jobId }, { service: 'svc', jobId });
    }

    await resultOf('j4');
    await resultOf('j3');
    expect(results.map(({ jobId, outcome }) => [jobId, outcome])).toEqual([
      ['j1', 'dropped'],
      ['j2', 'dropped'],
      ['j3', 'delivered'],
      ['j4', 'delivered'],
    ]);
    expect(results[0]?.error).toBeInstanceOf(QueueFullError);
    expect(received.map((entry) => JSON.parse(entry.body).jobId)).toEqual(['j3', 'j4']);
    expect(logger.warnings).toEqual([
      'webhook dropped: the backlog is full',
      'webhook dropped: the backlog is full',
    ]);
  });

  it('drops the oldest waiting delivery beyond maxPendingBytes, and frees them once sent', async () => {
    // 117 bytes each as JSON: two fit in 250 bytes, a third does not.
    const padded = (jobId: string) => ({ jobId, padding: 'x'.repeat(90) });
    expect(Buffer.byteLength(JSON.stringify(padded('j1')))).toBe(117);
    const { sender, results, resultOf } = start({ concurrency: 1, maxPendingBytes: 250 });
    for (const jobId of ['j1', 'j2', 'j3', 'j4']) {
      sender.send(`${origin}/hook`, padded(jobId), { service: 'svc', jobId });
    }
    await resultOf('j4');
    await resultOf('j3');
    for (const jobId of ['j5', 'j6']) {
      sender.send(`${origin}/hook`, padded(jobId), { service: 'svc', jobId });
    }
    await resultOf('j6');
    await resultOf('j5');

    expect(results.map(({ jobId, outcome }) => [jobId, outcome])).toEqual([
      ['j1', 'dropped'],
      ['j2', 'dropped'],
      ['j3', 'delivered'],
      ['j4', 'delivered'],
      ['j5', 'delivered'],
      ['j6', 'delivered'],
    ]);
    expect(results[0]?.error).toBeInstanceOf(QueueFullError);
    expect(received.map((entry) => JSON.parse(entry.body).jobId)).toEqual([
      'j3',
      'j4',
      'j5',
      'j6',
    ]);
  });

  it('does not send an event larger than maxPendingBytes at all', async () => {
    const logger = recordingLogger();
    const { sender, results } = start({ maxPendingBytes: 100 }, logger);
    const large = { jobId: 'j1', text: 'x'.repeat(100) };
    sender.send(`${origin}/hook`, large, { service: 'svc', jobId: 'j1' });

    expect(results).toMatchObject([{ jobId: 'j1', outcome: 'failed', attempts: 0 }]);
    expect(results[0]?.error).toBeInstanceOf(PayloadTooLargeError);
    expect(logger.warnings).toEqual(['webhook not sent']);
    await sender.close();
    expect(received).toHaveLength(0);
  });

  it('closes within a bound: pending deliveries dropped, hanging attempts ended', async () => {
    reply = () => {};
    const { sender, results } = start({ concurrency: 1, timeoutMs: 300 });
    sender.send(`${origin}/hook`, event, { service: 'svc', jobId: 'j1' });
    sender.send(`${origin}/hook`, event, { service: 'svc', jobId: 'j2' });
    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 5000 });

    const started = Date.now();
    await sender.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(results.map(({ jobId, outcome }) => [jobId, outcome])).toEqual([
      ['j2', 'dropped'],
      ['j1', 'failed'],
    ]);
    sender.send(`${origin}/hook`, event, { service: 'svc', jobId: 'j3' });
    expect(results.at(-1)).toMatchObject({ jobId: 'j3', outcome: 'dropped' });
    expect(received).toHaveLength(1);
  });
});

describe('WebhookSender address safety', () => {
  it('refuses a private IP literal or plain http when sending, before any connection', async () => {
    const { sender, results } = start({ allowPrivateUrls: false });
    sender.send(`https://127.0.0.1:${port}/hook`, event, { service: 'svc', jobId: 'j1' });
    sender.send(`${origin}/hook`, event, { service: 'svc', jobId: 'j2' });

    expect(
      results.map(({ jobId, outcome, attempts }) => [jobId, outcome, attempts]),
    ).toEqual([
      ['j1', 'failed', 0],
      ['j2', 'failed', 0],
    ]);
    expect(results[0]?.error).toBeInstanceOf(InvalidRequestError);
    expect(results[0]?.error?.param).toBe('webhook');
  });

  it('refuses a name that resolves to a loopback address when connecting', async () => {
    const { sender, resultOf } = start({ allowPrivateUrls: false });
    sender.send(`https://localhost:${port}/hook`, event, { service: 'svc', jobId: 'j1' });

    const result = await resultOf('j1');
    expect(result).toMatchObject({ outcome: 'failed', attempts: 1 });
    expect(result.error).toBeInstanceOf(InvalidRequestError);
    expect(result.error?.message).toMatch(
      /^localhost resolves to .*not a public address/,
    );
    expect(connections).toBe(0);
  });
});
