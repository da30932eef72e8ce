import type { IncomingMessage } from 'node:http';
import type { ChatUiVersion, ReplyScript } from './chat-ui-script.js';
import { appendMessage, type DoubleConversation } from './chat-ui-state.js';
import { writeReply } from './reply-stream.js';
import { type Exchange, sendError } from './respond.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A message the double received, as the test wants to see it. */
export interface SentMessage {
  conversationId: string;
  /** The `data` part, parsed. */
  data: Record<string, unknown>;
  files: { filename: string; type: string; content: string }[];
}

/** Reads the multipart body with the platform's own parser, as SvelteKit does. */
async function readForm(
  request: IncomingMessage,
  body: Buffer,
): Promise<FormData | undefined> {
  const type = request.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) return undefined;
  try {
    return await new Response(new Uint8Array(body), {
      headers: { 'content-type': type },
    }).formData();
  } catch {
    return undefined;
  }
}

/**
 * `POST /conversation/{id}`: the checks chat-ui makes (the `data` part, a UUID parent that
 * exists), then the user and assistant messages under the parent, then the scripted reply.
 */
export async function handleSend(
  exchange: Exchange,
  conversation: DoubleConversation,
  options: {
    version: ChatUiVersion;
    script: ReplyScript;
    signal: AbortSignal;
    onMessage(message: SentMessage): void;
  },
): Promise<void> {
  const form = await readForm(exchange.request, exchange.body);
  const json = form?.get('data');
  let data: Record<string, unknown>;
  try {
    data = typeof json === 'string' ? JSON.parse(json) : undefined;
  } catch {
    return sendError(exchange, 400, 'Invalid request');
  }
  if (form === undefined || typeof data !== 'object' || data === null) {
    return sendError(exchange, 400, 'Invalid request');
  }
  const inputs = data.inputs;
  const parentId = data.id;
  if (typeof inputs !== 'string' || inputs === '' || typeof parentId !== 'string') {
    return sendError(exchange, 400, 'Invalid request');
  }
  if (!uuidPattern.test(parentId)) return sendError(exchange, 400, 'Invalid request');
  const parent = conversation.messages.find((message) => message.id === parentId);
  if (parent === undefined) return sendError(exchange, 404, 'Message not found');
  const files = await Promise.all(
    form
      .getAll('files')
      .flatMap((entry) =>
        typeof entry === 'string'
          ? []
          : [
              entry
                .text()
                .then((content) => ({ filename: entry.name, type: entry.type, content })),
            ],
      ),
  );
  options.onMessage({ conversationId: conversation.id, data, files });
  const firstMessage = !conversation.messages.some((message) => message.from === 'user');
  const user = appendMessage(conversation, parent, 'user', inputs);
  const assistant = appendMessage(conversation, user, 'assistant', '');
  await writeReply(
    {
      response: exchange.response,
      version: options.version,
      conversation,
      assistant,
      inputs,
      firstMessage,
      signal: options.signal,
    },
    options.script,
  );
}
