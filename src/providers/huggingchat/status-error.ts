import { type GenRelayError, UpstreamError } from '../../core/errors.js';
import { errorFromStatus } from '../../http/error-from-response.js';
import type { HuggingChatUpstream } from './huggingchat-upstream.js';

/**
 * The typed error for a `status: error` update. Current versions add the HTTP status of
 * the inference call that failed (`statusCode`), typed as any upstream status is; older
 * ones only say what went wrong.
 */
export function statusError(
  upstream: HuggingChatUpstream,
  message: string | undefined,
  statusCode: number | undefined,
): GenRelayError {
  const text = `${upstream.describe()} failed: ${message ?? 'no message'}`;
  const details = { provider: upstream.id };
  // Without a code it is chat-ui's "No output was generated. Something went wrong."
  if (statusCode === undefined) {
    return new UpstreamError(text, { ...details, retryable: true });
  }
  return errorFromStatus(statusCode, text, details);
}
