import { timingSafeEqual } from 'node:crypto';
import { HttpException } from './http-exception.js';

/** FastAPI's HTTPBasic, then the web UI's check of the `--api-auth` pair. */
export function checkBasicAuth(
  header: string | undefined,
  auth: { username: string; password: string },
): void {
  const [scheme, encoded] = (header ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'basic' || encoded === undefined) {
    throw new HttpException(401, 'Not authenticated');
  }
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) throw new HttpException(401, 'Invalid authentication credentials');
  const username = decoded.slice(0, separator);
  const password = Buffer.from(decoded.slice(separator + 1));
  const expected = Buffer.from(auth.password);
  const same = password.length === expected.length && timingSafeEqual(password, expected);
  if (username !== auth.username || !same) {
    throw new HttpException(401, 'Incorrect username or password');
  }
}
