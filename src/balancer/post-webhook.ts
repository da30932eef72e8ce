import { type GenRelayError, toGenRelayError } from '../core/errors.js';
import { errorFromResponse } from '../http/error-from-response.js';
import type { HttpClient } from '../http/http-client.js';
import { webhookSignature } from './verify-webhook-signature.js';

/** One attempt at delivering an event. */
export interface WebhookAttempt {
  url: string;
  /** The event as JSON, serialized once so every attempt signs the same bytes. */
  body: string;
  /** The same across retries, so receivers can drop duplicates. */
  eventId: string;
  /** Unset: the delivery goes unsigned. */
  secret: string | undefined;
  /** Unix seconds. */
  timestamp: number;
}

export type WebhookAttemptOutcome =
  | { kind: 'delivered'; status: number }
  /** `retryable`: a network failure, a timeout, 429 or 5xx, which may pass. */
  | { kind: 'failed'; error: GenRelayError; retryable: boolean };

function webhookHeaders(attempt: WebhookAttempt): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'genrelay-webhook',
    'x-genrelay-event-id': attempt.eventId,
    'x-genrelay-timestamp': String(attempt.timestamp),
    ...(attempt.secret === undefined
      ? {}
      : {
          'x-genrelay-signature': webhookSignature(
            attempt.secret,
            attempt.timestamp,
            attempt.body,
          ),
        }),
  };
}

/**
 * POSTs one delivery and says how it went; never throws. Redirects are not followed (a
 * redirect could lead past the address checks), so a 3xx is a failure like other 4xx.
 */
export async function postWebhook(
  http: HttpClient,
  attempt: WebhookAttempt,
  limits: { timeoutMs: number; signal: AbortSignal },
): Promise<WebhookAttemptOutcome> {
  try {
    const response = await http.request({
      url: attempt.url,
      method: 'POST',
      headers: webhookHeaders(attempt),
      body: attempt.body,
      signal: limits.signal,
      timeoutMs: limits.timeoutMs,
    });
    const { status } = response;
    if (status >= 200 && status < 300) {
      await response.dispose();
      return { kind: 'delivered', status };
    }
    const error = await errorFromResponse(response, { upstream: 'webhook receiver' });
    return { kind: 'failed', error, retryable: status === 429 || status >= 500 };
  } catch (thrown) {
    const error = toGenRelayError(thrown);
    return {
      kind: 'failed',
      error,
      retryable: error.retryable && error.code !== 'canceled',
    };
  }
}
