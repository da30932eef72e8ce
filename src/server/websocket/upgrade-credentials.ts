import type { IncomingMessage } from 'node:http';
import { bearerToken } from '../service-auth.js';

/** What an upgrade request says about its caller before any message. */
export interface UpgradeCredentials {
  /** From `Authorization: Bearer <token>`, or Devoid's bare `authorization: <token>`. */
  token?: string;
  /** The service it claims to be: Devoid's `/ws/{service}` path or `service` header. */
  service?: string;
}

const devoidPath = /^\/ws\/([\w.-]+)\/?$/;

/**
 * The credentials of an upgrade to `/v1/ws` or Devoid's `/ws/{service}`; undefined for
 * any other path.
 */
export function upgradeCredentials(
  request: IncomingMessage,
): UpgradeCredentials | undefined {
  const target = request.url ?? '/';
  // Node's parser lets request lines through that URL cannot read (`GET http://[/v1/ws`):
  // such an upgrade is for no path of ours, and must not throw in the upgrade listener.
  if (!URL.canParse(target, 'http://server')) return undefined;
  const path = new URL(target, 'http://server').pathname;
  const devoid = devoidPath.exec(path);
  if (devoid === null && path !== '/v1/ws' && path !== '/v1/ws/') return undefined;
  const header = request.headers.authorization?.trim();
  const token = header === undefined ? undefined : (bearerToken(header) ?? header);
  const claimed = devoid?.[1] ?? single(request.headers.service);
  return {
    ...(token === undefined || token === '' ? {} : { token }),
    ...(claimed === undefined || claimed === '' ? {} : { service: claimed }),
  };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
