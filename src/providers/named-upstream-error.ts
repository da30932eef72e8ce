import { GenRelayError, TimeoutError, UpstreamError } from '../core/errors.js';

/**
 * A network failure or timeout, which the HTTP client reports by host only, as the error
 * of one provider instance (`automatic1111 "gpu-a": request to … failed`), so an operator
 * with several GPU servers sees which one went away. Other errors pass unchanged.
 */
export function namedUpstreamError(
  error: unknown,
  provider: string,
  name: string,
): unknown {
  if (!GenRelayError.isInstance(error) || error.provider !== undefined) return error;
  if (error.message.startsWith(name)) return error;
  const details = { provider, retryable: error.retryable, cause: error };
  const message = `${name}: ${error.message}`;
  if (error.code === 'upstream_error') return new UpstreamError(message, details);
  if (error.code === 'timeout') return new TimeoutError(message, details);
  return error;
}
