import type { Logger } from '../../core/logger.js';
import type { ChatUiSession, HuggingChatUpstream } from './huggingchat-upstream.js';

const stopTimeoutMs = 5_000;

/**
 * Asks chat-ui to stop a reply nobody reads any more: current versions keep generating
 * after the client leaves (their replies can be resumed). Runs in the background with its
 * own short bound and no signal, as the caller's signal is usually the reason for
 * stopping; failing is only logged.
 */
export function stopGenerating(
  upstream: HuggingChatUpstream,
  conversationId: string,
  session: ChatUiSession,
  logger: Logger,
): void {
  const conversationPath = `/conversation/${encodeURIComponent(conversationId)}`;
  upstream
    .request({
      path: `${conversationPath}/stop-generating`,
      method: 'POST',
      headers: { origin: upstream.origin, referer: upstream.url(conversationPath) },
      session,
      timeoutMs: stopTimeoutMs,
    })
    .then((response) => response.dispose())
    .catch((error: unknown) => {
      logger.debug(
        { provider: upstream.id, conversationId, error: String(error) },
        'could not stop the HuggingChat reply',
      );
    });
}
