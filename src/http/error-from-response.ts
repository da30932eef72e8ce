import { STATUS_CODES } from 'node:http';
import {
  AuthenticationError,
  type GenRelayError,
  InvalidRequestError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionError,
  QuotaExceededError,
  RateLimitError,
  TimeoutError,
  UpstreamError,
} from '../core/errors.js';
import { describeErrorBody } from './error-body.js';
import type { HttpResponse } from './http-client.js';
import { retryAfterMs } from './retry-after.js';

/** Who answered, for the message: the provider type and its instance name. */
export interface UpstreamContext {
  /** The provider instance (`local`); kept on the error as `provider`. */
  provider?: string;
  /** The provider type (`openai-compatible`). */
  upstream?: string;
}

/** Enough of an error body to find its message; the rest is not worth waiting for. */
const maxErrorBodyBytes = 64 * 1024;

/**
 * The GenRelayError for a non-2xx response, with the upstream's own message in one line:
 * `upstream openai-compatible "local" answered 429: <message>`. Reads at most 64 KiB of
 * the body and releases the connection.
 */
export async function errorFromResponse(
  response: HttpResponse,
  context: UpstreamContext = {},
): Promise<GenRelayError> {
  const { status } = response;
  const header = (name: string) => response.header(name);
  const body = describeErrorBody(await readPrefix(response), header);
  const said = body.message || STATUS_CODES[status] || 'no message';
  const message = `${speaker(response, context)} answered ${status}: ${said}`;
  return errorFromStatus(status, message, {
    provider: context.provider,
    retryAfterMs: retryAfterMs(header),
    param: body.param,
  });
}

/** What an upstream's failure says besides its status and message. */
export interface StatusErrorDetails {
  provider?: string | undefined;
  /** From Retry-After; makes a 402 retryable. */
  retryAfterMs?: number | undefined;
  /** The request field at fault, for a 400 or 422. */
  param?: string | undefined;
}

/**
 * The GenRelayError an upstream's HTTP status stands for: 400/422 invalid request, 401
 * authentication, 403 permission, 404 not found, 408 timeout, 413 too large, 402 quota,
 * 429 rate limit, 5xx retryable upstream error; anything else an upstream error.
 */
export function errorFromStatus(
  status: number,
  message: string,
  { provider, retryAfterMs: waitMs, param }: StatusErrorDetails = {},
): GenRelayError {
  const details = { provider };
  if (status === 400 || status === 422) {
    return new InvalidRequestError(message, {
      ...details,
      ...(param === undefined ? {} : { param }),
    });
  }
  if (status === 401) return new AuthenticationError(message, details);
  if (status === 403) return new PermissionError(message, details);
  if (status === 404) return new NotFoundError(message, details);
  if (status === 408) return new TimeoutError(message, details);
  if (status === 413) return new PayloadTooLargeError(message, details);
  // Credits that ran out come back when someone pays, not after a backoff.
  if (status === 402) {
    return new QuotaExceededError(message, {
      ...details,
      retryable: waitMs !== undefined,
      retryAfterMs: waitMs,
    });
  }
  if (status === 429) {
    return new RateLimitError(message, { ...details, retryAfterMs: waitMs });
  }
  if (status >= 500) {
    return new UpstreamError(message, {
      ...details,
      retryable: true,
      retryAfterMs: waitMs,
    });
  }
  return new UpstreamError(message, details);
}

/** The response itself when it is 2xx; otherwise its error, thrown. */
export async function ensureOk(
  response: HttpResponse,
  context: UpstreamContext = {},
): Promise<HttpResponse> {
  if (response.status >= 200 && response.status < 300) return response;
  throw await errorFromResponse(response, context);
}

function speaker(response: HttpResponse, context: UpstreamContext): string {
  const names = [context.upstream, context.provider && `"${context.provider}"`].filter(
    Boolean,
  );
  if (names.length === 0) names.push(hostOf(response.url));
  return ['upstream', ...names].join(' ');
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The start of the body as text; a body that fails mid-read gives what arrived. */
async function readPrefix(response: HttpResponse): Promise<string> {
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      parts.push(chunk);
      size += chunk.length;
      // Leaving the loop ends the body and frees the connection.
      if (size >= maxErrorBodyBytes) break;
    }
  } catch {
    // The status already says it failed; a broken body only loses the detail.
  }
  return new TextDecoder().decode(
    Buffer.concat(parts, size).subarray(0, maxErrorBodyBytes),
  );
}
