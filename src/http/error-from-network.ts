import {
  GenRelayError,
  InternalError,
  TimeoutError,
  UpstreamError,
} from '../core/errors.js';

export interface NetworkErrorContext {
  /** The host the request went to, named in every message. */
  host: string;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
}

/** The `code` of an error or of the error it wraps (`fetch` wraps them in a TypeError). */
function codeOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; depth < 3; depth++) {
    if (typeof current !== 'object' || current === null) return undefined;
    if ('code' in current && typeof current.code === 'string') return current.code;
    current = 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}

/** A GenRelayError thrown inside the transport (a deadline, a refused address), if any. */
function wrappedGenRelayError(error: unknown): GenRelayError | undefined {
  if (GenRelayError.isInstance(error)) return error;
  if (error instanceof Error && GenRelayError.isInstance(error.cause)) return error.cause;
  return undefined;
}

/**
 * A transport failure as a GenRelayError: undici's connect, headers and body timeouts
 * become TimeoutErrors naming the bound; refused, reset and other socket failures a
 * retryable UpstreamError naming the host; a GenRelayError (the deadline's reason, a
 * refused address) stays as it is.
 */
export function errorFromNetwork(
  error: unknown,
  context: NetworkErrorContext,
): GenRelayError {
  const known = wrappedGenRelayError(error);
  if (known) return known;
  const { host } = context;
  const code = codeOf(error);
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new TimeoutError(
        `connecting to ${host} timed out after ${context.connectTimeoutMs} ms`,
        { cause: error },
      );
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new TimeoutError(
        `${host} sent no response headers within ${context.idleTimeoutMs} ms`,
        { cause: error },
      );
    case 'UND_ERR_BODY_TIMEOUT':
      return new TimeoutError(`${host} sent no data for ${context.idleTimeoutMs} ms`, {
        cause: error,
      });
    case 'UND_ERR_INVALID_ARG':
    case 'ERR_INVALID_URL':
      return new InternalError(`invalid request to ${host}: ${describe(error)}`, {
        cause: error,
      });
  }
  return new UpstreamError(`request to ${host} failed: ${describe(error)}`, {
    retryable: true,
    cause: error,
  });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // `fetch failed` says nothing; the cause says what happened.
  if (error.cause instanceof Error) return error.cause.message;
  return error.message;
}
