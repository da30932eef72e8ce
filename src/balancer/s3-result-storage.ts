import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { UpstreamError } from '../core/errors.js';
import { errorFromAbort } from '../http/error-from-abort.js';
import { startDeadline } from '../http/request-deadline.js';
import { untilAborted } from '../http/until-aborted.js';
import {
  newResultKey,
  type RemovableResultStorage,
  resultKeyPattern,
  type StoredResult,
} from './result-storage.js';
import { s3Failure } from './s3-failure.js';
import type { S3StorageSettings } from './s3-storage-settings.js';

export interface S3ResultStorageOptions {
  /** The clock presigned URLs are signed with. */
  now?: () => Date;
}

/** Results as objects in an S3-compatible bucket, each under a random key. */
export class S3ResultStorage implements RemovableResultStorage {
  private readonly client: S3Client;
  private readonly now: () => Date;

  constructor(
    private readonly settings: S3StorageSettings,
    options: S3ResultStorageOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.client = new S3Client(clientConfig(settings));
  }

  async save(
    data: Uint8Array,
    mediaType: string,
    signal?: AbortSignal,
  ): Promise<StoredResult> {
    const key = newResultKey(mediaType);
    const command = new PutObjectCommand({
      Bucket: this.settings.bucket,
      Key: this.settings.prefix + key,
      Body: data,
      ContentType: mediaType,
    });
    await this.call(
      'PutObject',
      (abortSignal) => this.client.send(command, { abortSignal }),
      signal,
    );
    return { key, mediaType, size: data.byteLength };
  }

  /** `signal` bounds the wait for the answer; reading the body is the caller's to end. */
  async open(key: string, signal?: AbortSignal) {
    if (!resultKeyPattern.test(key)) return undefined;
    const command = new GetObjectCommand({
      Bucket: this.settings.bucket,
      Key: this.settings.prefix + key,
    });
    let response: GetObjectCommandOutput;
    try {
      response = await this.call(
        'GetObject',
        (abortSignal) => this.client.send(command, { abortSignal }),
        signal,
      );
    } catch (error) {
      if (error instanceof UpstreamError && isNoSuchKey(error.cause)) return undefined;
      throw error;
    }
    const body = response.Body?.transformToWebStream() as
      | ReadableStream<Uint8Array>
      | undefined;
    if (body === undefined || response.ContentLength === undefined) {
      await body?.cancel();
      throw new UpstreamError(
        `S3 bucket "${this.settings.bucket}": GetObject answered without a body or its length`,
        { retryable: true },
      );
    }
    return {
      body,
      mediaType: response.ContentType ?? 'application/octet-stream',
      size: response.ContentLength,
    };
  }

  /**
   * Removes the object. S3 answers a missing key with success; a compatible server that
   * answers NoSuchKey instead is taken at its word too.
   */
  async delete(key: string, signal?: AbortSignal): Promise<void> {
    if (!resultKeyPattern.test(key)) return;
    const command = new DeleteObjectCommand({
      Bucket: this.settings.bucket,
      Key: this.settings.prefix + key,
    });
    try {
      await this.call(
        'DeleteObject',
        (abortSignal) => this.client.send(command, { abortSignal }),
        signal,
      );
    } catch (error) {
      if (error instanceof UpstreamError && isNoSuchKey(error.cause)) return;
      throw error;
    }
  }

  /**
   * The URL to give clients for a stored result: a presigned GET URL when `presign` is set,
   * else one under `publicUrl`, else undefined (the server's own `/v1/files/{key}`
   * applies). A malformed key names no object and gets undefined too. Presigning may have
   * to fetch credentials first (the SDK's default chain), so it is bounded like a request.
   */
  async url(key: string): Promise<string | undefined> {
    if (!resultKeyPattern.test(key)) return undefined;
    const { bucket, prefix, presign, publicUrl } = this.settings;
    if (presign !== undefined) {
      const command = new GetObjectCommand({ Bucket: bucket, Key: prefix + key });
      return this.call(
        'presigning GetObject',
        () =>
          getSignedUrl(this.client, command, {
            expiresIn: presign.expiresInSeconds,
            signingDate: this.now(),
          }),
        undefined,
      );
    }
    if (publicUrl !== undefined) {
      const path = (prefix + key).split('/').map(encodeURIComponent).join('/');
      return `${publicUrl.replace(/\/+$/, '')}/${path}`;
    }
    return undefined;
  }

  /** Closes the client's pooled connections; the storage is unusable afterwards. */
  close(): void {
    this.client.destroy();
  }

  /**
   * One S3 call under the deadline: `requestTimeoutMs`, or the caller's `signal` when it
   * aborts first. The deadline covers the SDK's own retries and ends once the answer's
   * headers are in; a download's body is bounded by the socket's idle timeout instead, so
   * a slow reader on our side never cuts it short. The SDK heeds the signal only around
   * its retries and the HTTP exchange, so the wait is cut short here too: resolving
   * credentials (a credential process, an STS call) cannot outlast it.
   */
  private async call<T>(
    operation: string,
    run: (signal: AbortSignal) => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    if (signal?.aborted) throw errorFromAbort(signal);
    const { bucket, requestTimeoutMs } = this.settings;
    const where = `S3 bucket "${bucket}": ${operation}`;
    const deadline = startDeadline(signal, requestTimeoutMs, where);
    try {
      return await untilAborted(run(deadline.signal), deadline.signal);
    } catch (error) {
      // A TimeoutError naming the call, or the caller's own abort error.
      if (deadline.signal.aborted) throw errorFromAbort(deadline.signal);
      throw s3Failure(error, { bucket, operation });
    } finally {
      deadline.clear();
    }
  }
}

function clientConfig(settings: S3StorageSettings): S3ClientConfig {
  const { endpoint, region, forcePathStyle, accessKeyId, secretAccessKey } = settings;
  return {
    region,
    forcePathStyle,
    ...(endpoint === undefined
      ? {}
      : {
          endpoint,
          // Since 3.729 the SDK adds a CRC32 checksum header to every upload and asks for
          // checksums on downloads. AWS checks them; several S3-compatible servers (R2 at
          // the time, OVH, Backblaze B2) reject the unfamiliar headers. Elsewhere than
          // AWS, send checksums only where an operation requires them.
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }),
    ...(accessKeyId !== undefined && secretAccessKey !== undefined
      ? { credentials: { accessKeyId, secretAccessKey } }
      : {}),
    // An idle bound on every socket, so a download whose body stalls mid-way fails.
    requestHandler: { socketTimeout: settings.requestTimeoutMs },
  };
}

function isNoSuchKey(error: unknown): boolean {
  return error instanceof Error && error.name === 'NoSuchKey';
}
