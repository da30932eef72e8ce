import {
  AuthenticationError,
  type GenRelayError,
  QuotaExceededError,
  RateLimitError,
  UpstreamError,
} from '../../core/errors.js';
import type { HuggingChatUpstream } from './huggingchat-upstream.js';

/**
 * The typed error for a `status: error` update. Current versions add the HTTP status of
 * the inference call that failed (`statusCode`); older ones only say what went wrong.
 */
export function statusError(
  upstream: HuggingChatUpstream,
  message: string | undefined,
  statusCode: number | undefined,
): GenRelayError {
  const text = `${upstream.describe()} failed: ${message ?? 'no message'}`;
  const details = { provider: upstream.id };
  if (statusCode === 401) return new AuthenticationError(text, details);
  // Credits that ran out come back when someone pays, not after a backoff.
  if (statusCode === 402) {
    return new QuotaExceededError(text, { ...details, retryable: false });
  }
  if (statusCode === 429) return new RateLimitError(text, details);
  // Without a code it is chat-ui's "No output was generated. Something went wrong."
  return new UpstreamError(text, {
    ...details,
    retryable: statusCode === undefined || statusCode >= 500,
  });
}
