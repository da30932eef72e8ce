import { rateLimited, serverError } from './openai-errors.js';
import { type RequestContext, sendError, sendJson } from './request-context.js';

/** How the double answers a request for a model. */
export type OpenAIDoubleBehaviour =
  /** Answers `text` (default 'Hello from the double.'), streamed word by word. */
  | { kind: 'normal'; text?: string; reasoning?: string; tokenDelayMs?: number }
  /** Sends headers at once, then waits `delayMs` before the first chunk (or whole answer). */
  | { kind: 'slow-first-token'; delayMs: number; text?: string }
  /** 429 with `Retry-After` and the OpenAI error envelope. */
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  /** `status` (default 500) with the OpenAI error envelope. */
  | { kind: 'server-error'; status?: number }
  /** Streams the role chunk and one token, then destroys the socket; non-stream: no body. */
  | { kind: 'cut-mid-stream'; text?: string }
  /** A `data: {not json` event in the stream; non-stream: a 200 with an invalid JSON body. */
  | { kind: 'malformed-chunk' }
  /** Never answers; `close()` ends the request. */
  | { kind: 'hang' };

export const DEFAULT_TEXT = 'Hello from the double.';

/**
 * Answers for the behaviours that look the same on every endpoint.
 * Returns false when the endpoint has to answer itself.
 */
export function respondWithFailure(
  context: RequestContext,
  behaviour: OpenAIDoubleBehaviour,
  streaming: boolean,
): boolean {
  switch (behaviour.kind) {
    case 'rate-limited':
      sendError(context, rateLimited(behaviour.retryAfterSeconds));
      return true;
    case 'server-error':
      sendError(context, serverError(behaviour.status ?? 500));
      return true;
    case 'hang':
      return true;
    case 'cut-mid-stream':
      if (streaming) return false;
      context.response.destroy();
      return true;
    case 'malformed-chunk':
      if (streaming) return false;
      sendJson(context, 200, '{not json');
      return true;
    default:
      return false;
  }
}
