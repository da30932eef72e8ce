import { type ErrorCode, GenRelayError, InvalidRequestError } from '../../core/errors.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import type { Logger } from '../../core/logger.js';
import { lastUserMessage, promptFromMessages, systemPrompt } from '../../core/prompt.js';
import type { StreamPart } from '../../core/stream-part.js';
import type { FetchedImage } from '../../http/fetch-media.js';
import { readLines } from '../../http/ndjson-lines.js';
import { ConversationState } from './conversation-state.js';
import { createConversation } from './create-conversation.js';
import { downloadOutputFile } from './download-output-file.js';
import { fetchParentMessageId } from './fetch-parent-message-id.js';
import type { GenerationDeadline } from './generation-deadline.js';
import type { ChatUiSession, HuggingChatUpstream } from './huggingchat-upstream.js';
import { mapMessageUpdates } from './map-message-updates.js';
import { sendMessage } from './send-message.js';
import { stopGenerating } from './stop-generating.js';

/** The bound on each short call (create, look up, download); the deadline bounds all. */
const callTimeoutMs = 60_000;

export interface TurnOptions {
  session: ChatUiSession;
  images: readonly FetchedImage[];
  deadline: GenerationDeadline;
  /** Bound on the reply stream's HTTP request. */
  replyTimeoutMs: number;
  logger: Logger;
}

interface Target {
  conversationId: string;
  parentId: string;
  inputs: string;
}

/** How looking up a stored conversation fails when it cannot be continued. */
const unreadable = new Set<ErrorCode>([
  'not_found',
  'authentication_failed',
  'permission_denied',
]);

/** The conversation to write to: the one the state names for the model, else a new one. */
async function findTarget(
  upstream: HuggingChatUpstream,
  request: GenerationRequest,
  state: ConversationState,
  options: TurnOptions,
): Promise<Target> {
  const call = { session: options.session, signal: options.deadline.signal };
  const existing = state.conversationFor(request.model);
  if (existing !== undefined) {
    try {
      const { conversationId } = existing;
      const parentId = await fetchParentMessageId(upstream, conversationId, {
        ...call,
        timeoutMs: callTimeoutMs,
      });
      // The upstream remembers the earlier turns: only the new message goes.
      return { conversationId, parentId, inputs: lastUserMessage(request.messages) };
    } catch (error) {
      if (!GenRelayError.isInstance(error) || !unreadable.has(error.code)) throw error;
      // Gone, or another account's (a state from elsewhere): a new conversation, whose
      // creation then tells whether the session itself is refused.
      options.logger.info(
        {
          provider: upstream.id,
          conversationId: existing.conversationId,
          error: error.message,
        },
        'the HuggingChat conversation cannot be continued; starting a new one with the whole history',
      );
    }
  }
  const created = await createConversation(upstream, {
    model: request.model,
    preprompt: systemPrompt(request.messages),
    ...call,
    timeoutMs: callTimeoutMs,
  });
  const { conversationId } = created;
  const parentId =
    created.messageId ??
    (await fetchParentMessageId(upstream, conversationId, {
      ...call,
      timeoutMs: callTimeoutMs,
    }));
  const history = request.messages.filter((message) => message.role !== 'system');
  return { conversationId, parentId, inputs: promptFromMessages(history) };
}

/**
 * One try at a chat turn with one session: find or create the conversation, send the
 * message, stream the reply. The `conversation` part comes just before `finish`. A reply
 * left unfinished (an error, a timeout, the caller gone) is stopped upstream as well.
 */
export async function* runTurn(
  upstream: HuggingChatUpstream,
  request: GenerationRequest,
  options: TurnOptions,
): AsyncGenerator<StreamPart> {
  const alt = lastUserMessage(request.messages);
  if (alt === '') {
    throw new InvalidRequestError('The request has no user message to send.', {
      param: 'messages',
      provider: upstream.id,
    });
  }
  const state = ConversationState.from(request.conversation);
  const target = await findTarget(upstream, request, state, options);
  const { session, deadline } = options;
  const response = await upstream.ensureOk(
    await sendMessage(
      upstream,
      { ...target, webSearch: request.webSearch === true, images: options.images },
      { session, signal: deadline.signal, timeoutMs: options.replyTimeoutMs },
    ),
  );
  let finished = false;
  try {
    deadline.touch();
    const parts = mapMessageUpdates(readLines(response.body), {
      upstream,
      logger: options.logger,
      onActivity: () => deadline.touch(),
      downloadFile: (file) =>
        downloadOutputFile(upstream, file, {
          conversationId: target.conversationId,
          session,
          signal: deadline.signal,
          timeoutMs: callTimeoutMs,
          alt,
        }),
    });
    for await (const part of parts) {
      if (part.type === 'finish') {
        finished = true;
        yield state.part(request.model, { conversationId: target.conversationId });
      }
      yield part;
    }
  } finally {
    if (!finished)
      stopGenerating(upstream, target.conversationId, session, options.logger);
  }
}
