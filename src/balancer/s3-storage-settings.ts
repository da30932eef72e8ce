import { z } from 'zod';

// Without it `minio:9000` would pass, read as a URL whose scheme is `minio:`.
const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * Where results go when they live in an S3-compatible bucket (AWS S3, MinIO, R2, …).
 * Unknown fields are rejected so a typo is reported, not ignored.
 */
export const s3StorageSettingsSchema = z
  .strictObject({
    /** The server's address; AWS S3 for the region when absent. */
    endpoint: httpUrl.optional(),
    region: z.string().min(1).default('us-east-1'),
    bucket: z.string().min(1),
    /** Put before every key, such as `results/`. */
    prefix: z
      .string()
      .refine((prefix) => !prefix.startsWith('/'), 'must not start with "/"')
      .default(''),
    /** Both or neither; without them the SDK's default credential chain applies. */
    accessKeyId: z.string().min(1).optional(),
    secretAccessKey: z.string().min(1).optional(),
    /** `bucket` in the path rather than the host name, as MinIO and most local servers need. */
    forcePathStyle: z.boolean().default(false),
    /**
     * A base URL under which the bucket's objects can be read without credentials, such as
     * a CDN; a result's URL is this + prefix + key.
     */
    publicUrl: httpUrl.optional(),
    /** Hand clients presigned GET URLs that expire; takes precedence over `publicUrl`. */
    presign: z
      .strictObject({
        // S3 refuses presigned URLs valid for more than seven days.
        expiresInSeconds: z.number().int().positive().max(604_800),
      })
      .optional(),
    /** Bound on one upload, and on the wait for a download's first byte and each pause. */
    requestTimeoutMs: z.number().int().positive().default(30_000),
  })
  .refine(
    (settings) =>
      (settings.accessKeyId === undefined) === (settings.secretAccessKey === undefined),
    {
      message: 'accessKeyId and secretAccessKey must be given together',
      path: ['secretAccessKey'],
    },
  );

export type S3StorageSettings = z.infer<typeof s3StorageSettingsSchema>;
