import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { inspect } from 'node:util';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { startCountingServer } from '../../test/support/counting-server.js';
import { failure } from '../../test/support/failure.js';
import { listenOnLoopback } from '../../test/support/listen-on-loopback.js';
import { s3StorageFixture } from '../../test/support/s3-storage-fixture.js';
import { startSilentServer } from '../../test/support/silent-server.js';
import { type GenRelayError, TimeoutError, UpstreamError } from '../core/errors.js';

const { bucket, validKey, endpoint, inspector, storageFor } = s3StorageFixture();
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe('S3ResultStorage against s3rver', () => {
  it('saves bytes that open streams back with their media type and size', async () => {
    const storage = storageFor();
    const stored = await storage.save(png, 'image/png');
    expect(stored).toEqual({
      key: expect.stringMatching(/^[0-9a-f-]{36}\.png$/),
      mediaType: 'image/png',
      size: png.byteLength,
    });

    const file = await storage.open(stored.key);
    expect(file?.mediaType).toBe('image/png');
    expect(file?.size).toBe(png.byteLength);
    expect(await readAll(file?.body ?? new ReadableStream())).toEqual(png);
  });

  it('stores the object under the prefix with its Content-Type', async () => {
    const stored = await storageFor().save(png, 'image/webp');
    expect(stored.key).toMatch(/\.webp$/);

    const head = await inspector().send(
      new HeadObjectCommand({ Bucket: bucket, Key: `results/${stored.key}` }),
    );
    expect(head.ContentType).toBe('image/webp');
    expect(head.ContentLength).toBe(png.byteLength);
    const object = await inspector().send(
      new GetObjectCommand({ Bucket: bucket, Key: `results/${stored.key}` }),
    );
    expect(await object.Body?.transformToByteArray()).toEqual(png);
  });

  it('opens an unknown but well-formed key as undefined', async () => {
    const storage = storageFor();
    expect(await storage.open(validKey)).toBeUndefined();
  });

  it('hands out presigned URLs that plain fetch can read until they expire', async () => {
    const storage = storageFor({ presign: { expiresInSeconds: 120 } });
    const stored = await storage.save(png, 'image/png');
    const url = await storage.url(stored.key);

    const address = new URL(url ?? '');
    expect(`${address.origin}${address.pathname}`).toBe(
      `${endpoint()}/${bucket}/results/${stored.key}`,
    );
    expect(address.searchParams.get('X-Amz-Expires')).toBe('120');
    const response = await fetch(address);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(png);

    // Signed an hour ago for a minute: the server must refuse it now.
    const anHourAgo = () => new Date(Date.now() - 3_600_000);
    const stale = storageFor({ presign: { expiresInSeconds: 60 } }, { now: anHourAgo });
    const expired = await fetch((await stale.url(stored.key)) ?? '');
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
  });

  it('builds public URLs from publicUrl, prefix and key', async () => {
    const stored = await storageFor().save(png, 'image/png');
    const cdn = storageFor({ publicUrl: 'https://cdn.example.com/media/' });
    expect(await cdn.url(stored.key)).toBe(
      `https://cdn.example.com/media/results/${stored.key}`,
    );

    // s3rver serves unsigned GETs, so the bucket's own address stands in for a CDN.
    const direct = storageFor({ publicUrl: `${endpoint()}/${bucket}` });
    const response = await fetch((await direct.url(stored.key)) ?? '');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(png);
  });

  it('leaves the URL to the server when neither presign nor publicUrl is set', async () => {
    const stored = await storageFor().save(png, 'image/png');
    expect(await storageFor().url(stored.key)).toBeUndefined();
  });

  it('reports an upload to a missing bucket as an UpstreamError naming the bucket', async () => {
    const storage = storageFor({ bucket: 'no-such-bucket' });
    const { error } = await failure(storage.save(png, 'image/png'));
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toBe(
      'S3 bucket "no-such-bucket": PutObject failed with NoSuchBucket (HTTP 404)',
    );
    // Trying again cannot create the bucket.
    expect((error as UpstreamError).retryable).toBe(false);
  });

  it('reports refused credentials without the secret', async () => {
    const secretAccessKey = 'do-not-print-this-secret-8f2a';
    const storage = storageFor({ accessKeyId: 'UNKNOWN-KEY', secretAccessKey });
    const { error } = await failure(storage.save(png, 'image/png'));
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toBe(
      `S3 bucket "${bucket}": PutObject failed with InvalidAccessKeyId (HTTP 403)`,
    );
    expect(inspect(error, { depth: 8 })).not.toContain(secretAccessKey);
  });
});

describe('S3ResultStorage against misbehaving servers', () => {
  it('never sends a request for a malformed key', async () => {
    const server = await startCountingServer();
    try {
      const storage = storageFor({
        endpoint: server.endpoint,
        presign: { expiresInSeconds: 60 },
      });
      for (const key of [
        '../x',
        '../../etc/passwd',
        'x.png',
        '00000000-0000-0000-0000-000000000000.exe',
        '00000000-0000-0000-0000-000000000000.png/../y',
        '',
      ]) {
        expect(await storage.open(key)).toBeUndefined();
        expect(await storage.url(key)).toBeUndefined();
      }
      expect(server.requests()).toBe(0);
      // The same storage does reach the server for a well-formed key.
      await failure(storage.open(validKey));
      expect(server.requests()).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('reports a refused connection as a retryable UpstreamError', async () => {
    const server = createTcpServer();
    const closed = await listenOnLoopback(server);
    await new Promise((resolve) => server.close(resolve));
    const storage = storageFor({ endpoint: closed });
    const { error } = await failure(storage.save(png, 'image/png'));
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toBe(
      `S3 bucket "${bucket}": PutObject failed with ECONNREFUSED`,
    );
    expect((error as UpstreamError).retryable).toBe(true);
  });

  it('gives up on a server that accepts and never answers within requestTimeoutMs', async () => {
    const server = await startSilentServer();
    try {
      const storage = storageFor({ endpoint: server.endpoint, requestTimeoutMs: 300 });
      for (const attempt of [
        () => storage.save(png, 'image/png'),
        () => storage.open(validKey),
      ]) {
        const { error, elapsedMs } = await failure(attempt());
        expect(error).toBeInstanceOf(TimeoutError);
        expect((error as GenRelayError).message).toMatch(
          /^S3 bucket "genrelay-results": (PutObject|GetObject) did not finish within 300 ms$/,
        );
        expect(elapsedMs).toBeGreaterThanOrEqual(250);
        expect(elapsedMs).toBeLessThan(2_000);
      }
      expect(server.connections()).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('fails a download whose body stalls half-way', async () => {
    const server = createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': '100' });
      response.write(png);
    });
    const stalling = await listenOnLoopback(server);
    try {
      const storage = storageFor({ endpoint: stalling, requestTimeoutMs: 300 });
      const file = await storage.open(validKey);
      expect(file?.size).toBe(100);
      const { error, elapsedMs } = await failure(
        readAll(file?.body ?? new ReadableStream()),
      );
      // The SDK's idle timeout on the socket, passed through the stream as it is.
      expect((error as Error).name).toBe('TimeoutError');
      expect(elapsedMs).toBeLessThan(2_000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
