import { z } from 'zod';
import type { Cookies } from './cookie-header.js';

const jsonCookieSchema = z.object({
  name: z.string().min(1),
  value: z.string(),
  domain: z.string().optional(),
  /** Seconds since the epoch; browser extensions call it either way. */
  expirationDate: z.number().optional(),
  expires: z.number().optional(),
});

type JsonCookie = z.infer<typeof jsonCookieSchema>;

/**
 * The JSON shapes browser tools export: a list of cookies (Cookie-Editor, EditThisCookie),
 * Playwright's `{cookies: [...]}`, or a plain name → value object.
 */
const jsonCookiesSchema = z.union([
  z.array(jsonCookieSchema),
  z.object({ cookies: z.array(jsonCookieSchema) }).transform((file) => file.cookies),
  z
    .record(z.string(), z.string())
    .transform((map) =>
      Object.entries(map).map(([name, value]): JsonCookie => ({ name, value })),
    ),
]);

interface FileCookie {
  name: string;
  value: string;
  domain?: string | undefined;
  /** Seconds since the epoch; absent or non-positive for a session cookie. */
  expires?: number | undefined;
}

/** Whether a cookie for `domain` is sent to `host` (a leading dot means subdomains too). */
function domainMatches(domain: string | undefined, host: string): boolean {
  if (domain === undefined || domain === '') return true;
  const bare = domain.replace(/^\./, '').toLowerCase();
  return host === bare || host.endsWith(`.${bare}`);
}

function fromNetscape(text: string): FileCookie[] {
  const cookies: FileCookie[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    // curl and browser exports mark httpOnly cookies with this prefix on a "comment".
    const line = rawLine.startsWith('#HttpOnly_') ? rawLine.slice(10) : rawLine;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = line.split('\t');
    if (fields.length < 7) {
      throw new Error(`a line has ${fields.length} tab-separated fields, not 7`);
    }
    const [domain, , , , expires, name = '', value = ''] = fields;
    cookies.push({ domain, name, value, expires: Number(expires) });
  }
  return cookies;
}

function fromJson(text: string): FileCookie[] {
  const parsed = jsonCookiesSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error('not a list of {name, value} cookies');
  return parsed.data.map((cookie) => ({
    name: cookie.name,
    value: cookie.value,
    domain: cookie.domain,
    expires: cookie.expirationDate ?? cookie.expires,
  }));
}

/**
 * The cookies of a browser export that apply to `host`, in Netscape (cookies.txt) or JSON
 * format; expired ones are left out. Throws an Error saying what is wrong with the text.
 */
export function parseCookiesFile(text: string, host: string, now = Date.now()): Cookies {
  const trimmed = text.trim();
  const all =
    trimmed.startsWith('[') || trimmed.startsWith('{')
      ? fromJson(trimmed)
      : fromNetscape(text);
  const cookies: Cookies = {};
  for (const cookie of all) {
    if (!domainMatches(cookie.domain, host.toLowerCase())) continue;
    const expires = cookie.expires;
    if (expires !== undefined && expires > 0 && expires * 1000 <= now) continue;
    cookies[cookie.name] = cookie.value;
  }
  return cookies;
}
