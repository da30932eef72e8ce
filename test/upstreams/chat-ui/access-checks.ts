import type { ChatUiDouble } from './chat-ui-double.js';
import type { DoubleConversation } from './chat-ui-state.js';
import { type Exchange, sendHookError } from './respond.js';

const formTypes = [
  'multipart/form-data',
  'application/x-www-form-urlencoded',
  'text/plain',
];

/** The `hf-chat` value the request carries, if any. */
function sessionCookie(exchange: Exchange): string | undefined {
  const header = exchange.request.headers.cookie ?? '';
  for (const pair of header.split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === 'hf-chat') return value.join('=');
  }
  return undefined;
}

/** Whether the request is logged in, i.e. carries an accepted `hf-chat` cookie. */
export function isLoggedIn(exchange: Exchange, double: ChatUiDouble): boolean {
  const session = sessionCookie(exchange);
  return session !== undefined && double.acceptedCookies.includes(session);
}

/** Whether the request's session may use `conversation`: logged in, and its owner's. */
export function mayUse(
  exchange: Exchange,
  double: ChatUiDouble,
  conversation: DoubleConversation,
): boolean {
  const { owner } = conversation;
  return (
    isLoggedIn(exchange, double) &&
    (owner === undefined || owner === sessionCookie(exchange))
  );
}

/**
 * chat-ui's request hook for POSTs: form posts need an Origin of this host (CSRF), and
 * with login enforced only logged-in sessions may post. A logged-in POST gets its
 * session cookie refreshed. Returns false when it has answered the request itself.
 */
export function checkPost(exchange: Exchange, double: ChatUiDouble): boolean {
  const type =
    (exchange.request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  if (formTypes.includes(type)) {
    const origin = exchange.request.headers.origin;
    if (origin === undefined) {
      sendHookError(exchange, 403, 'Non-JSON form requests need to have an origin');
      return false;
    }
    if (!URL.canParse(origin) || new URL(origin).host !== exchange.request.headers.host) {
      sendHookError(exchange, 403, 'Invalid referer for POST request');
      return false;
    }
  }
  if (!isLoggedIn(exchange, double)) {
    sendHookError(exchange, 401, 'You have to be logged in.');
    return false;
  }
  const value = double.issuedCookie ?? sessionCookie(exchange) ?? '';
  const expires = new Date(Date.now() + 14 * 24 * 3600 * 1000).toUTCString();
  exchange.response.setHeader(
    'set-cookie',
    `hf-chat=${value}; Path=/; Expires=${expires}; HttpOnly; Secure; SameSite=None`,
  );
  return true;
}
