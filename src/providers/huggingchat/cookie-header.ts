/** Cookies for one chat-ui, by name. */
export type Cookies = Record<string, string>;

/** The name of chat-ui's session cookie (`COOKIE_NAME` in its configuration). */
export const sessionCookieName = 'hf-chat';

/**
 * Cookies from a Cookie header (`hf-chat=…; token=…`). A text without `=` is taken as
 * the bare value of the `hf-chat` cookie, which is what people usually copy.
 */
export function parseCookieHeader(text: string): Cookies {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  if (!trimmed.includes('=')) return { [sessionCookieName]: trimmed };
  const cookies: Cookies = {};
  for (const pair of trimmed.split(';')) {
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    const name = pair.slice(0, separator).trim();
    const value = pair.slice(separator + 1).trim();
    if (name !== '') cookies[name] = value;
  }
  return cookies;
}

/** The Cookie header for these cookies. */
export function formatCookieHeader(cookies: Cookies): string {
  return Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
}
