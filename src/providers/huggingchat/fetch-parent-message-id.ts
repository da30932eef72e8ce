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
  // too, and the page data tells the two apart.
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
 * Older chat-ui: the conversation page's SvelteKit data, devalue-encoded NDJSON. Undefined
 * when the page data holds no conversation, as on a current chat-ui (it keeps none there).
 * An error node (403 for someone else's conversation, 404 for one that is gone) is thrown
 * as its typed error.
 */
async function fromPageData(
  upstream: HuggingChatUpstream,
  conversationId: string,
  options: MessageIdOptions,
): Promise<string | undefined> {
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
  if (page.kind === 'none') return undefined;
  upstream.conversationApiMissing = true;
  if (page.kind === 'data') return lastMessageId(upstream, page.data, 'page data');
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
 * The message a new user message must be attached to: the conversation's newest. Asks
 * the current API first and falls back to the page data of older versions; once an
 * upstream has shown it is older, straight to the page data. A conversation that no
 * longer exists is a NotFoundError.
 */
export async function fetchParentMessageId(
  upstream: HuggingChatUpstream,
  conversationId: string,
  options: MessageIdOptions,
): Promise<string> {
  if (upstream.conversationApiMissing) {
    const fromPage = await fromPageData(upstream, conversationId, options);
    if (fromPage !== undefined) return fromPage;
    // No conversation in the page data: the upstream has been upgraded since.
    upstream.conversationApiMissing = false;
  }
  const fromCurrentApi = await fromApi(upstream, conversationId, options);
  if (typeof fromCurrentApi === 'string') return fromCurrentApi;
  const fromPage = await fromPageData(upstream, conversationId, options);
  if (fromPage !== undefined) return fromPage;
  // A current chat-ui whose conversation is gone: what its API's 404 said.
  throw new NotFoundError(fromCurrentApi.notFound, { provider: upstream.id });
}
