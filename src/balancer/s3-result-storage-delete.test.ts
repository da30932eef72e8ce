import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { inspect } from 'node:util';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningS3rver,
  s3rverCredentials,
  startS3rver,
} from '../../test/support/start-s3rver.js';
import { TimeoutError, UpstreamError } from '../core/errors.js';
import { S3ResultStorage } from './s3-result-storage.js';
import { s3StorageSettingsSchema } from './s3-storage-settings.js';

const bucket = 'genrelay-results';
/** Well-formed, and never stored. */
const validKey = '00000000-0000-0000-0000-000000000000.png';
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let s3rver: RunningS3rver;
let inspector: S3Client;
const opened: S3ResultStorage[] = [];

beforeAll(async () => {
  s3rver = await startS3rver([bucket]);
  inspector = new S3Client({
    endpoint: s3rver.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { ...s3rverCredentials },
  });
});

afterEach(() => {
  for (const storage of opened.splice(0)) storage.close();
});

afterAll(async () => {
  inspector.destroy();
  await s3rver.close();
});

function storageFor(settings: Record<string, unknown> = {}): S3ResultStorage {
  const storage = new S3ResultStorage(
    s3StorageSettingsSchema.parse({
      endpoint: s3rver.endpoint,
      bucket,
      prefix: 'results/',
      forcePathStyle: true,
      ...s3rverCredentials,
      ...settings,
    }),
  );
  opened.push(storage);
  return storage;
}

/** Whether the bucket holds an object under this full key. */
async function exists(key: string): Promise<boolean> {
  try {
    await inspector.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'NotFound') return false;
    throw error;
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (reason: unknown) => reason,
  );
}

async function listen(server: HttpServer | ReturnType<typeof createTcpServer>) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
    await inspector.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'elsewhere.png', Body: png }),
    );
    const storage = storageFor();
    for (const key of ['../elsewhere.png', 'elsewhere.png', `${validKey}/..`, ''])
      await storage.delete(key);
    expect(await exists('elsewhere.png')).toBe(true);
  });

  it('reports a missing bucket and refused credentials without the secret', async () => {
    const missing = await rejection(
      storageFor({ bucket: 'no-such-bucket' }).delete(validKey),
    );
    expect(missing).toBeInstanceOf(UpstreamError);
    expect((missing as UpstreamError).message).toBe(
      'S3 bucket "no-such-bucket": DeleteObject failed with NoSuchBucket (HTTP 404)',
    );

    const secretAccessKey = 'do-not-print-this-secret-5c1d';
    const refused = await rejection(
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
    let requests = 0;
    const server = createHttpServer((_request, response) => {
      requests += 1;
      response.writeHead(500).end();
    });
    const endpoint = await listen(server);
    try {
      const storage = storageFor({ endpoint });
      for (const key of ['../x', 'x.png', '00000000-0000-0000-0000-000000000000.exe'])
        await storage.delete(key);
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });

  it('takes a NoSuchKey answer as done, as some compatible servers give one', async () => {
    const server = createHttpServer((_request, response) => {
      response.writeHead(404, { 'content-type': 'application/xml' });
      response.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code>' +
          '<Message>The specified key does not exist.</Message></Error>',
      );
    });
    const endpoint = await listen(server);
    try {
      await expect(storageFor({ endpoint }).delete(validKey)).resolves.toBeUndefined();
    } finally {
      server.close();
    }
  });

  it('gives up on a server that never answers within requestTimeoutMs', async () => {
    const sockets = new Set<Socket>();
    const server = createTcpServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
    });
    const endpoint = await listen(server);
    try {
      const started = performance.now();
      const error = await rejection(
        storageFor({ endpoint, requestTimeoutMs: 300 }).delete(validKey),
      );
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).message).toBe(
        `S3 bucket "${bucket}": DeleteObject did not finish within 300 ms`,
      );
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});
