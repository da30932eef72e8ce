import {
  AuthenticationError,
  NotFoundError,
  ResponseParseError,
  UpstreamError,
} from '../../core/errors.js';
import { errorFromResponse } from '../../http/error-from-response.js';
import { conversationSchema, superjsonSchema } from './huggingchat-api.js';
import type { ChatUiSession, HuggingChatUpstream } from './huggingchat-upstream.js';
import { readPageData } from './read-page-data.js';

export interface MessageIdOptions {
  session: ChatUiSession;
  signal: AbortSignal;
  timeoutMs: number;
}

/** The id of the newest message in a conversation's JSON form: the one to reply to. */
export function lastMessageId(
  upstream: HuggingChatUpstream,
  conversation: unknown,
  where: string,
): string {
  const { messages } = upstream.validate(conversationSchema, conversation, where);
  return (messages.at(-1) as { id: string }).id;
}

/** Current chat-ui: `GET /api/v2/conversations/{id}`, superjson; or what its 404 said. */
async function fromApi(
  upstream: HuggingChatUpstream,
  conversationId: string,
  options: MessageIdOptions,
): Promise<string | { notFound: string }> {
  const response = await upstream.request({
    path: `/api/v2/conversations/${encodeURIComponent(conversationId)}`,
    ...options,
  });
  // Older versions have no such route; a current one without the conversation says so
  // too, and the page data below tells the two apart.
  if (response.status === 404 || response.status === 405) {
    const error = await errorFromResponse(response, upstream.errorContext);
    return { notFound: error.message };
  }
  await upstream.ensureOk(response);
  const envelope = upstream.validate(
    superjsonSchema,
    upstream.parseJson(await response.text(), 'a conversation'),
    'conversation envelope',
  );
  return lastMessageId(upstream, envelope.json, 'conversation');
}

/**
 * Older chat-ui: the conversation page's SvelteKit data, devalue-encoded NDJSON. Page data
 * without the conversation after the API's 404 is a current chat-ui whose conversation is
 * gone (it keeps none there); `apiNotFound` is what that 404 said.
 */
async function fromPageData(
  upstream: HuggingChatUpstream,
  conversationId: string,
  apiNotFound: string,
  options: MessageIdOptions,
): Promise<string> {
  const path = `/conversation/${encodeURIComponent(conversationId)}/__data.json?x-sveltekit-invalidated=11`;
  const response = await upstream.ensureOk(await upstream.request({ path, ...options }));
  const text = await response.text();
  let page: ReturnType<typeof readPageData>;
  try {
    page = readPageData(text);
  } catch (error) {
    throw new ResponseParseError(
      `${upstream.describe()} sent conversation page data that cannot be read: ${(error as Error).message}`,
      { provider: upstream.id, cause: error },
    );
  }
  if (page.kind === 'data') return lastMessageId(upstream, page.data, 'page data');
  if (page.kind === 'none')
    throw new NotFoundError(apiNotFound, { provider: upstream.id });
  const message = `${upstream.describe()} answered ${page.status} for conversation ${conversationId}: ${page.message}`;
  if (page.status === 401 || page.status === 403) {
    throw new AuthenticationError(message, { provider: upstream.id });
  }
  if (page.status === 404) throw new NotFoundError(message, { provider: upstream.id });
  throw new UpstreamError(message, {
    provider: upstream.id,
    retryable: page.status >= 500,
  });
}

/**
 * The message a new user message must be attached to: the conversation's newest one.
 * Asks the current API first and falls back to the page data of older versions. A
 * conversation that no longer exists is a NotFoundError.
 */
export async function fetchParentMessageId(
  upstream: HuggingChatUpstream,
  conversationId: string,
  options: MessageIdOptions,
): Promise<string> {
  const fromCurrentApi = await fromApi(upstream, conversationId, options);
  if (typeof fromCurrentApi === 'string') return fromCurrentApi;
  return fromPageData(upstream, conversationId, fromCurrentApi.notFound, options);
}
