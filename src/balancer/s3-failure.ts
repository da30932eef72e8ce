import { S3ServiceException } from '@aws-sdk/client-s3';
import { type GenRelayError, UpstreamError } from '../core/errors.js';

/** What was being done when an S3 call failed. */
export interface S3CallContext {
  bucket: string;
  /** The S3 operation, such as `PutObject`. */
  operation: string;
}

/**
 * A failed S3 call as a GenRelayError; a timeout or an abort is named by the caller. The
 * message names the bucket, the operation and the S3 error code, and nothing the server
 * wrote: the code says what went wrong, and no request detail (credentials included) can
 * end up in a log or a client's error.
 */
export function s3Failure(error: unknown, context: S3CallContext): GenRelayError {
  const where = `S3 bucket "${context.bucket}": ${context.operation}`;
  if (S3ServiceException.isInstance(error)) {
    const status = error.$metadata.httpStatusCode;
    // A missing bucket or refused credentials stay that way; only the server's own
    // trouble and throttling pass with time.
    const retryable =
      status === undefined || status >= 500 || status === 408 || status === 429;
    const statusText = status === undefined ? '' : ` (HTTP ${status})`;
    return new UpstreamError(`${where} failed with ${error.name}${statusText}`, {
      retryable,
      cause: error,
    });
  }
  // Not an answer from S3: the connection failed or broke off (ECONNREFUSED, ECONNRESET…).
  const code =
    typeof error === 'object' && error !== null && 'code' in error
      ? String(error.code)
      : error instanceof Error
        ? error.name
        : 'an unknown error';
  return new UpstreamError(`${where} failed with ${code}`, {
    retryable: true,
    cause: error,
  });
}
