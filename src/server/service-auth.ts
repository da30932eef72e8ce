import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { AuthenticationError, PermissionError } from '../core/errors.js';

/** A service's credentials as configured: the token itself, or its SHA-256 in hex. */
export interface ServiceCredentials {
  token?: string | undefined;
  tokenSha256?: string | undefined;
}

/** The one service every caller is when no services are configured. */
export const defaultService = 'default';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Which service a bearer token belongs to. Tokens are kept only as SHA-256 digests and
 * compared in constant time against every known one, so neither memory nor timing gives a
 * token away. Without configured services the server's API keys (or none) let callers in,
 * all as one service.
 */
export class ServiceAuth {
  private readonly digests: { service: string; digest: Buffer }[];

  constructor(
    services: Readonly<Record<string, ServiceCredentials>>,
    apiKeys: readonly string[],
  ) {
    const entries = Object.entries(services);
    this.digests =
      entries.length > 0
        ? entries.map(([service, credentials]) => ({
            service,
            digest:
              credentials.tokenSha256 === undefined
                ? digest(credentials.token ?? '')
                : Buffer.from(credentials.tokenSha256, 'hex'),
          }))
        : apiKeys.map((key) => ({ service: defaultService, digest: digest(key) }));
  }

  /** True when anyone may call: no services and no API keys. */
  get open(): boolean {
    return this.digests.length === 0;
  }

  /** The service `token` belongs to; 401 without a token, 403 with a wrong one. */
  authenticate(token: string | undefined): string {
    if (this.open) return defaultService;
    if (token === undefined || token === '') {
      throw new AuthenticationError(
        'Missing token: send it as "Authorization: Bearer <token>".',
      );
    }
    const given = digest(token);
    let service: string | undefined;
    // Every digest is compared, so the time taken does not tell which one matched.
    for (const known of this.digests) {
      if (timingSafeEqual(known.digest, given) && service === undefined)
        service = known.service;
    }
    if (service === undefined) throw new PermissionError('Incorrect token provided.');
    return service;
  }
}

/** The bearer token of an `Authorization` header, if it has one. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Authenticates each request and sets its `service` for the routes. */
export function serviceAuthMiddleware(
  auth: ServiceAuth,
): MiddlewareHandler<{ Variables: { service: string } }> {
  return async (context, next) => {
    context.set(
      'service',
      auth.authenticate(bearerToken(context.req.header('authorization'))),
    );
    await next();
  };
}
