import { InvalidRequestError } from '../../core/errors.js';
import { errorFromResponse } from '../../http/error-from-response.js';
import { lastMessageId } from './fetch-parent-message-id.js';
import { createdConversationSchema, superjsonSchema } from './huggingchat-api.js';
import type { ChatUiSession, HuggingChatUpstream } from './huggingchat-upstream.js';

export interface CreateConversationOptions {
  model: string;
  /** The system prompt; without one chat-ui uses the model's own. */
  preprompt: string;
  session: ChatUiSession;
  signal: AbortSignal;
  timeoutMs: number;
}

/** A new conversation, and its root message id when the upstream sent it along. */
export interface CreatedConversation {
  conversationId: string;
  messageId?: string;
}

/** The root message id from the superjson copy current versions embed, if readable. */
function embeddedMessageId(
  upstream: HuggingChatUpstream,
  embedded: string | undefined,
): string | undefined {
  if (embedded === undefined) return undefined;
  try {
    const envelope = upstream.validate(
      superjsonSchema,
      upstream.parseJson(embedded, 'an embedded conversation'),
      'embedded conversation',
    );
    return lastMessageId(upstream, envelope.json, 'embedded conversation');
  } catch {
    // Only a shortcut: the id is asked for separately instead.
    return undefined;
  }
}

/**
 * `POST /conversation` with the model and the system prompt. A 400 (an unknown or
 * unlisted model) names the model; a 401 is an AuthenticationError.
 */
export async function createConversation(
  upstream: HuggingChatUpstream,
  options: CreateConversationOptions,
): Promise<CreatedConversation> {
  const { model, preprompt, ...call } = options;
  const response = await upstream.request({
    path: '/conversation',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(preprompt === '' ? { model } : { model, preprompt }),
    ...call,
  });
  if (response.status === 400) {
    const error = await errorFromResponse(response, upstream.errorContext);
    throw new InvalidRequestError(`${error.message} (model "${model}")`, {
      param: 'model',
      provider: upstream.id,
      cause: error,
    });
  }
  await upstream.ensureOk(response);
  const body = upstream.validate(
    createdConversationSchema,
    upstream.parseJson(await response.text(), 'a new conversation'),
    'new conversation',
  );
  const messageId = embeddedMessageId(upstream, body.conversation);
  return messageId === undefined
    ? { conversationId: body.conversationId }
    : { conversationId: body.conversationId, messageId };
}
