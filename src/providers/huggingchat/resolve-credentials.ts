import { readFile } from 'node:fs/promises';
import type { ProviderContext } from '../provider-factory.js';
import { type Cookies, parseCookieHeader, sessionCookieName } from './cookie-header.js';
import type { HuggingChatSettings } from './huggingchat-settings.js';
import { parseCookiesFile } from './parse-cookies-file.js';

/** Cookies to log in with and where they came from, or why there are none. */
export type Credentials =
  | { found: true; cookies: Cookies; source: string }
  | { found: false; problem: string };

async function fromFile(
  path: string,
  host: string,
  source: string,
): Promise<Credentials> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { found: false, problem: `${source}: ${(error as Error).message}` };
  }
  try {
    return withSession(parseCookiesFile(text, host), `${source} (${path})`);
  } catch (error) {
    return {
      found: false,
      problem: `${source} (${path}) is not a Netscape or JSON cookies file: ${(error as Error).message}`,
    };
  }
}

function withSession(cookies: Cookies, source: string): Credentials {
  if (cookies[sessionCookieName]) return { found: true, cookies, source };
  return { found: false, problem: `${source} has no ${sessionCookieName} cookie` };
}

/**
 * The instance's cookies, read afresh on every call (an operator may replace the file or
 * the variable while genrelay runs). The first source that is set is used: the settings'
 * `cookies` and `token`, then `cookiesFile`, then the variables `cookieEnv` and
 * `cookiesFileEnv` name. Cookies files keep only the cookies for `host`.
 */
export async function resolveCredentials(
  id: string,
  settings: HuggingChatSettings,
  env: ProviderContext['env'],
  host: string,
): Promise<Credentials> {
  if (settings.cookies !== undefined || settings.token !== undefined) {
    const cookies =
      typeof settings.cookies === 'string'
        ? parseCookieHeader(settings.cookies)
        : { ...settings.cookies };
    if (settings.token !== undefined) cookies[sessionCookieName] = settings.token;
    return withSession(cookies, `providers.${id}.cookies`);
  }
  if (settings.cookiesFile !== undefined) {
    return fromFile(settings.cookiesFile, host, `providers.${id}.cookiesFile`);
  }
  const header = settings.cookieEnv === undefined ? undefined : env[settings.cookieEnv];
  if (header !== undefined && header.trim() !== '') {
    return withSession(parseCookieHeader(header), `$${settings.cookieEnv}`);
  }
  const file =
    settings.cookiesFileEnv === undefined ? undefined : env[settings.cookiesFileEnv];
  if (file !== undefined && file.trim() !== '') {
    return fromFile(file.trim(), host, `$${settings.cookiesFileEnv}`);
  }
  return { found: false, problem: 'no cookies are configured' };
}
