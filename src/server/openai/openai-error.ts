import type { GenRelayError } from '../../core/errors.js';

/** OpenAI's error `type` for each HTTP status class. */
function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 504) return 'timeout_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** OpenAI clients switch on some codes; ours are renamed to theirs where they mean the same. */
const openAICodes: Partial<Record<GenRelayError['code'], string>> = {
  authentication_failed: 'invalid_api_key',
  rate_limited: 'rate_limit_exceeded',
  quota_exceeded: 'insufficient_quota',
};

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** The `{error: {message, type, param, code}}` envelope for an error. */
export function openAIErrorBody(error: GenRelayError): OpenAIErrorBody {
  return {
    error: {
      message: error.message,
      type: errorType(error.status),
      param: error.param ?? null,
      code: openAICodes[error.code] ?? error.code,
    },
  };
}

/** The error as an HTTP response, with `Retry-After` when the client should wait. */
export function openAIErrorResponse(error: GenRelayError): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (error.retryAfterMs !== undefined) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  }
  // 499 is not a status a client sees (it has gone), but Response rejects it; answer 400.
  const status = error.status === 499 ? 400 : error.status;
  return new Response(JSON.stringify(openAIErrorBody(error)), { status, headers });
}
