import { createServer } from 'node:http';
import { inspect } from 'node:util';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { startCountingServer } from '../../test/support/counting-server.js';
import { failure } from '../../test/support/failure.js';
import { listenOnLoopback } from '../../test/support/listen-on-loopback.js';
import { s3StorageFixture } from '../../test/support/s3-storage-fixture.js';
import { startSilentServer } from '../../test/support/silent-server.js';
import { CanceledError, TimeoutError, UpstreamError } from '../core/errors.js';

const { bucket, validKey, inspector, storageFor } = s3StorageFixture();
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Whether the bucket holds an object under this full key. */
async function exists(key: string): Promise<boolean> {
  try {
    await inspector().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'NotFound') return false;
    throw error;
  }
}

describe('S3ResultStorage.delete against s3rver', () => {
  it('removes the object under the prefix, and only that one', async () => {
    const storage = storageFor();
    const gone = await storage.save(png, 'image/png');
    const staying = await storage.save(png, 'image/png');
    expect(await exists(`results/${gone.key}`)).toBe(true);

    await storage.delete(gone.key);

    expect(await exists(`results/${gone.key}`)).toBe(false);
    expect(await storage.open(gone.key)).toBeUndefined();
    expect(await exists(`results/${staying.key}`)).toBe(true);
  });

  it('takes a key that is not stored, or no longer, as done', async () => {
    const storage = storageFor();
    const stored = await storage.save(png, 'image/png');
    await storage.delete(stored.key);
    await expect(storage.delete(stored.key)).resolves.toBeUndefined();
    await expect(storage.delete(validKey)).resolves.toBeUndefined();
  });

  it('ignores a malformed key, leaving objects outside the prefix alone', async () => {
    await inspector().send(
      new PutObjectCommand({ Bucket: bucket, Key: 'elsewhere.png', Body: png }),
    );
    const storage = storageFor();
    for (const key of ['../elsewhere.png', 'elsewhere.png', `${validKey}/..`, ''])
      await storage.delete(key);
    expect(await exists('elsewhere.png')).toBe(true);
  });

  it('reports a missing bucket and refused credentials without the secret', async () => {
    const { error: missing } = await failure(
      storageFor({ bucket: 'no-such-bucket' }).delete(validKey),
    );
    expect(missing).toBeInstanceOf(UpstreamError);
    expect((missing as UpstreamError).message).toBe(
      'S3 bucket "no-such-bucket": DeleteObject failed with NoSuchBucket (HTTP 404)',
    );

    const secretAccessKey = 'do-not-print-this-secret-5c1d';
    const { error: refused } = await failure(
      storageFor({ accessKeyId: 'UNKNOWN-KEY', secretAccessKey }).delete(validKey),
    );
    expect((refused as UpstreamError).message).toBe(
      `S3 bucket "${bucket}": DeleteObject failed with InvalidAccessKeyId (HTTP 403)`,
    );
    expect(inspect(refused, { depth: 8 })).not.toContain(secretAccessKey);
  });
});

describe('S3ResultStorage.delete against other servers', () => {
  it('never sends a request for a malformed key', async () => {
    const server = await startCountingServer();
    try {
      const storage = storageFor({ endpoint: server.endpoint });
      for (const key of ['../x', 'x.png', '00000000-0000-0000-0000-000000000000.exe'])
        await storage.delete(key);
      expect(server.requests()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('takes a NoSuchKey answer as done, as some compatible servers give one', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(404, { 'content-type': 'application/xml' });
      response.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code>' +
          '<Message>The specified key does not exist.</Message></Error>',
      );
    });
    const endpoint = await listenOnLoopback(server);
    try {
      await expect(storageFor({ endpoint }).delete(validKey)).resolves.toBeUndefined();
    } finally {
      server.close();
    }
  });

  it('gives up on a server that never answers within requestTimeoutMs', async () => {
    const server = await startSilentServer();
    try {
      const storage = storageFor({ endpoint: server.endpoint, requestTimeoutMs: 300 });
      const { error, elapsedMs } = await failure(storage.delete(validKey));
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).message).toBe(
        `S3 bucket "${bucket}": DeleteObject did not finish within 300 ms`,
      );
      expect(elapsedMs).toBeLessThan(2_000);
    } finally {
      await server.close();
    }
  });

  it("ends the deletion when the caller's signal aborts, before the request timeout", async () => {
    const server = await startSilentServer();
    try {
      const storage = storageFor({ endpoint: server.endpoint, requestTimeoutMs: 10_000 });
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 100);
      const { error, elapsedMs } = await failure(storage.delete(validKey, stop.signal));
      expect(error).toBeInstanceOf(CanceledError);
      expect(elapsedMs).toBeLessThan(2_000);

      // Aborted already: nothing is sent.
      const before = server.connections();
      const { error: early } = await failure(storage.delete(validKey, stop.signal));
      expect(early).toBeInstanceOf(CanceledError);
      expect(server.connections()).toBe(before);
    } finally {
      await server.close();
    }
  });
});
