import type { Cookies } from './cookie-header.js';

/**
 * Splits a Set-Cookie header that the HTTP client joined with `, `. A comma also appears
 * inside `Expires=Wed, 21 Oct …`, so only a comma followed by `name=` starts a cookie.
 */
function splitSetCookie(header: string): string[] {
  return header.split(/,\s*(?=[^;,\s=]+=)/);
}

function expired(attributes: string[], now: number): boolean {
  for (const attribute of attributes) {
    const [rawName = '', ...rest] = attribute.split('=');
    const name = rawName.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (name === 'max-age' && Number(value) <= 0) return true;
    if (name === 'expires' && Date.parse(value) <= now) return true;
  }
  return false;
}

/**
 * Applies the upstream's Set-Cookie header to `cookies` in place: chat-ui refreshes its
 * session cookie on every POST and may replace it after a login. Returns whether any
 * cookie changed. Domain and path are not checked: every cookie here is for one chat-ui.
 */
export function applySetCookie(
  cookies: Cookies,
  header: string | undefined,
  now = Date.now(),
): boolean {
  if (header === undefined || header.trim() === '') return false;
  let changed = false;
  for (const entry of splitSetCookie(header)) {
    const [pair = '', ...attributes] = entry.split(';');
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    const name = pair.slice(0, separator).trim();
    const value = pair.slice(separator + 1).trim();
    if (expired(attributes, now)) {
      if (name in cookies) {
        delete cookies[name];
        changed = true;
      }
    } else if (cookies[name] !== value) {
      cookies[name] = value;
      changed = true;
    }
  }
  return changed;
}
