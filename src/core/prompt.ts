import type { GenerationRequest } from './generation-request.js';
import { type Message, messageText } from './message.js';

const roleLabels = { system: 'System', user: 'User', assistant: 'Assistant' } as const;

/**
 * The whole conversation as one text prompt, for upstreams that take a single prompt:
 * `System: s\nUser: hi\nAssistant: yo\nUser: q\nAssistant:`. A lone message is its text.
 */
export function promptFromMessages(messages: readonly Message[]): string {
  const only = messages.length === 1 ? messages[0] : undefined;
  if (only !== undefined) return messageText(only);
  const lines = messages
    .map((message) => ({ role: message.role, text: messageText(message).trim() }))
    .filter(({ text }) => text !== '')
    .map(({ role, text }) => `${roleLabels[role]}: ${text}`);
  return `${lines.join('\n')}\nAssistant:`;
}

/** The system messages' text, joined by newlines (empty when there are none). */
export function systemPrompt(messages: readonly Message[]): string {
  return messages
    .filter((message) => message.role === 'system')
    .map(messageText)
    .join('\n');
}

/**
 * The trailing run of user messages (after skipping trailing non-user messages), trimmed,
 * empty ones dropped, joined by newlines.
 */
export function lastUserMessage(messages: readonly Message[]): string {
  let end = messages.length;
  while (end > 0 && messages[end - 1]?.role !== 'user') end--;
  let start = end;
  while (start > 0 && messages[start - 1]?.role === 'user') start--;
  return messages
    .slice(start, end)
    .map((message) => messageText(message).trim())
    .filter((text) => text !== '')
    .join('\n');
}

/** The prompt for an image: the explicit one, else the last user message. */
export function imagePrompt(
  request: Pick<GenerationRequest, 'prompt' | 'messages'>,
): string {
  return request.prompt ?? lastUserMessage(request.messages);
}
