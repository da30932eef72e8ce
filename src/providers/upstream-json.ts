import type { z } from 'zod';
import { ResponseParseError } from '../core/errors.js';

/** Who sent a body, for the error when it is not what the protocol promises. */
export interface UpstreamName {
  /** The provider instance. */
  id: string;
  /** How messages name it: `openai-compatible "local"`. */
  describe(): string;
}

/** `text` as JSON; anything else is a ResponseParseError saying what was expected. */
export function parseUpstreamJson(
  upstream: UpstreamName,
  text: string,
  what: string,
): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ResponseParseError(
      `${upstream.describe()} sent ${what} that is not JSON: ${text.slice(0, 80)}`,
      { provider: upstream.id },
    );
  }
}

/** `value` checked against the minimal wire schema of `what`. */
export function validateUpstream<T>(
  upstream: UpstreamName,
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ResponseParseError(`${upstream.describe()} sent an unexpected ${what}`, {
      provider: upstream.id,
      cause: parsed.error,
    });
  }
  return parsed.data;
}
