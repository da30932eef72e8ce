import { describe, expect, it } from 'vitest';
import { s3StorageSettingsSchema } from './s3-storage-settings.js';

describe('s3StorageSettingsSchema', () => {
  it('needs only a bucket and fills in the rest', () => {
    expect(s3StorageSettingsSchema.parse({ bucket: 'results' })).toEqual({
      bucket: 'results',
      region: 'us-east-1',
      prefix: '',
      forcePathStyle: false,
      requestTimeoutMs: 30_000,
    });
  });

  it('names the field at fault', () => {
    const issues = (input: unknown) =>
      s3StorageSettingsSchema.safeParse(input).error?.issues.map((issue) => ({
        path: issue.path.join('.'),
        code: issue.code,
      }));
    expect(issues({})).toEqual([{ path: 'bucket', code: 'invalid_type' }]);
    expect(issues({ bucket: 'b', buckt: 'c' })).toEqual([
      { path: '', code: 'unrecognized_keys' },
    ]);
    expect(issues({ bucket: 'b', endpoint: 'minio:9000' })).toEqual([
      { path: 'endpoint', code: 'invalid_format' },
    ]);
    expect(issues({ bucket: 'b', prefix: '/results/' })).toEqual([
      { path: 'prefix', code: 'custom' },
    ]);
    expect(issues({ bucket: 'b', presign: { expiresInSeconds: 604_801 } })).toEqual([
      { path: 'presign.expiresInSeconds', code: 'too_big' },
    ]);
    expect(issues({ bucket: 'b', accessKeyId: 'AKIA' })).toEqual([
      { path: 'secretAccessKey', code: 'custom' },
    ]);
  });
});
