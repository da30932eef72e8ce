import { ResponseParseError } from '../../core/errors.js';
import type { UpstreamName } from '../upstream-json.js';

/** The text a text model has produced so far: its tokens joined, or its one string. */
export function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) {
    return output.filter((token) => typeof token === 'string').join('');
  }
  return '';
}

/**
 * The file URLs of an image model's output (one URL or a list). Anything that is not an
 * http(s) or data URL is a ResponseParseError naming the provider.
 */
export function outputFileUrls(output: unknown, upstream: UpstreamName): string[] {
  const values = Array.isArray(output) ? output : [output];
  const urls = values.filter((value) => value !== null && value !== undefined);
  if (urls.length === 0) {
    throw new ResponseParseError(`${upstream.describe()} succeeded without an output`, {
      provider: upstream.id,
    });
  }
  return urls.map((value) => {
    if (typeof value === 'string' && /^(https?:|data:)/.test(value)) return value;
    throw new ResponseParseError(
      `${upstream.describe()} returned an output that is not a file URL: ${JSON.stringify(value)?.slice(0, 80)}`,
      { provider: upstream.id },
    );
  });
}
