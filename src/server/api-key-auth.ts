import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { AuthenticationError, PermissionError } from '../core/errors.js';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Requires `Authorization: Bearer <key>` with one of `keys`: 401 without one, 403 with a
 * wrong one. Keys are compared as digests in constant time, so timing reveals nothing.
 */
export function apiKeyAuth(keys: readonly string[]): MiddlewareHandler {
  const digests = keys.map(digest);
  return async (context, next) => {
    const header = context.req.header('authorization');
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) {
      throw new AuthenticationError(
        'Missing API key: send it as "Authorization: Bearer <key>".',
      );
    }
    const given = digest(match[1] as string);
    if (!digests.some((known) => timingSafeEqual(known, given))) {
      throw new PermissionError('Incorrect API key provided.');
    }
    await next();
  };
}
