import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimeoutError } from '../core/errors.js';
import { S3ResultStorage } from './s3-result-storage.js';
import { s3StorageSettingsSchema } from './s3-storage-settings.js';

// Presigning stands still, as it does while the SDK's credential chain waits on a
// credential process or an STS call that never answers.
vi.mock('@aws-sdk/s3-request-presigner', () => ({
  getSignedUrl: () => new Promise<never>(() => {}),
}));

const opened: S3ResultStorage[] = [];

afterEach(() => {
  for (const storage of opened.splice(0)) storage.close();
});

describe('S3ResultStorage.url', () => {
  it('gives up on presigning that never finishes within requestTimeoutMs', async () => {
    const storage = new S3ResultStorage(
      s3StorageSettingsSchema.parse({
        // Never contacted: presigning is local once the credentials are known.
        endpoint: 'http://127.0.0.1:9',
        bucket: 'results',
        accessKeyId: 'key-id',
        secretAccessKey: 'secret-key',
        presign: { expiresInSeconds: 60 },
        requestTimeoutMs: 200,
      }),
    );
    opened.push(storage);
    const started = performance.now();
    const outcome = storage.url('00000000-0000-0000-0000-000000000000.png');
    await expect(outcome).rejects.toBeInstanceOf(TimeoutError);
    await expect(outcome).rejects.toMatchObject({
      message: 'S3 bucket "results": presigning GetObject did not finish within 200 ms',
    });
    const elapsedMs = performance.now() - started;
    expect(elapsedMs).toBeGreaterThanOrEqual(150);
    expect(elapsedMs).toBeLessThan(2_000);
  });
});
