import { doubleSession } from '../upstreams/chat-ui/chat-ui-client.js';
import type { ChatUiDouble } from '../upstreams/chat-ui/chat-ui-double.js';

/** A `huggingchat` instance pointed at the double, logged in unless `token` says otherwise. */
export function huggingChatInstance(
  double: ChatUiDouble,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { type: 'huggingchat', baseUrl: double.baseUrl, token: doubleSession, ...extra };
}

/** The JSON lines `genrelay chat --json` printed. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
