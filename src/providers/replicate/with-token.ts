import { AuthenticationError } from '../../core/errors.js';
import type { UpstreamName } from '../upstream-json.js';

export interface TokenHolder {
  /** The API's origin, the only one the token is sent to. */
  origin: string;
  token: string | undefined;
  upstream: UpstreamName;
}

/**
 * `headers` with `Authorization` added when `url` is on the API's origin. Output files and
 * streams live on other hosts (replicate.delivery, stream.replicate.com) that need no
 * token, and a URL a model outputs must never receive it. Without a token, a request to
 * the API fails here with an AuthenticationError that says how to get one.
 */
export function withToken(
  url: string,
  headers: Record<string, string>,
  holder: TokenHolder,
): Record<string, string> {
  if (originOf(url) !== holder.origin) return headers;
  if (holder.token === undefined) {
    throw new AuthenticationError(
      `${holder.upstream.describe()} needs an API token: set REPLICATE_API_TOKEN or ` +
        "the instance's apiKey (create one at https://replicate.com/account/api-tokens)",
      { provider: holder.upstream.id },
    );
  }
  return { ...headers, authorization: `Bearer ${holder.token}` };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
