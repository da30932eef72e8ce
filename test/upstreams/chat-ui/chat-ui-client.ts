import type { ChatUiDouble } from './chat-ui-double.js';

/** The session cookie the double accepts unless told otherwise. */
export const doubleSession = 'hf-chat-double-session';

/** Test helpers that speak to the double the way a browser's chat-ui page does. */
export function chatUiClient(double: ChatUiDouble, session = doubleSession) {
  const cookie = `hf-chat=${session}`;
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${double.baseUrl}${path}`, {
      ...init,
      headers: { cookie, accept: 'application/json', ...init.headers },
      signal: init.signal ?? AbortSignal.timeout(5_000),
    });
  return {
    call,
    async create(model = 'double/chat', preprompt = 'Be brief.') {
      const response = await call('/conversation', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, preprompt }),
      });
      return (await response.json()) as { conversationId: string; conversation?: string };
    },
    /** A multipart message, with the Origin chat-ui wants unless `origin` says otherwise. */
    send(
      conversationId: string,
      data: Record<string, unknown>,
      options: { origin?: string | null; files?: File[]; signal?: AbortSignal } = {},
    ) {
      const form = new FormData();
      form.append('data', JSON.stringify(data));
      for (const file of options.files ?? []) form.append('files', file);
      const origin = options.origin === undefined ? double.origin : options.origin;
      return call(`/conversation/${conversationId}`, {
        method: 'POST',
        headers: origin === null ? {} : { origin },
        body: form,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    },
  };
}

/** The JSON lines of a reply body, padding lines and blank lines left out. */
export function replyLines(body: string): unknown[] {
  return body
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}
