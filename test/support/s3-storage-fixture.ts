import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  S3ResultStorage,
  type S3ResultStorageOptions,
} from '../../src/balancer/s3-result-storage.js';
import { s3StorageSettingsSchema } from '../../src/balancer/s3-storage-settings.js';
import { type RunningS3rver, s3rverCredentials, startS3rver } from './start-s3rver.js';

export interface S3StorageFixture {
  /** The one bucket s3rver holds; storages write to it unless their settings say otherwise. */
  bucket: string;
  /** A well-formed result key that is never stored. */
  validKey: string;
  /** s3rver's address, known once the file's `beforeAll` has run. */
  endpoint(): string;
  /** A plain client of s3rver, for looking at the bucket behind a storage's back. */
  inspector(): S3Client;
  /**
   * A storage of s3rver's bucket under the prefix `results/`, with `settings` on top;
   * closed after the test.
   */
  storageFor(
    settings?: Record<string, unknown>,
    options?: S3ResultStorageOptions,
  ): S3ResultStorage;
}

/**
 * Runs s3rver and an inspecting client for the test file, and closes the storages each
 * test opened. Call it once, at the top of the file.
 */
export function s3StorageFixture(): S3StorageFixture {
  const bucket = 'genrelay-results';
  let s3rver: RunningS3rver;
  let inspector: S3Client;
  const opened: S3ResultStorage[] = [];

  beforeAll(async () => {
    s3rver = await startS3rver([bucket]);
    inspector = new S3Client({
      endpoint: s3rver.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      // A copy: the SDK marks the object it is given with where it came from.
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

  return {
    bucket,
    validKey: '00000000-0000-0000-0000-000000000000.png',
    endpoint: () => s3rver.endpoint,
    inspector: () => inspector,
    storageFor: (settings = {}, options = {}) => {
      const storage = new S3ResultStorage(
        s3StorageSettingsSchema.parse({
          endpoint: s3rver.endpoint,
          bucket,
          prefix: 'results/',
          forcePathStyle: true,
          ...s3rverCredentials,
          ...settings,
        }),
        options,
      );
      opened.push(storage);
      return storage;
    },
  };
}
