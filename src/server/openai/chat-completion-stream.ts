import { toGenRelayError } from '../../core/errors.js';
import type { QueuedPart, StreamPart } from '../../core/stream-part.js';
import { isWaiting } from '../pull-until-content.js';
import type { ChatAnswer, ChatDelta } from './chat-answer.js';
import { openAIFinishReason } from './chat-completion-body.js';
import { openAIErrorBody } from './openai-error.js';

const encoder = new TextEncoder();

function event(data: unknown): Uint8Array {
  return encoder.encode(`data: ${JSON.stringify(data)}\n\n`);
}

/** `: queued position=3 eta_ms=12000`, as an SSE comment line. */
function queueComment(part: QueuedPart): Uint8Array {
  const eta = part.etaMs === undefined ? '' : ` eta_ms=${part.etaMs}`;
  return encoder.encode(`: queued position=${part.position}${eta}\n\n`);
}

type Delta = ChatDelta | { role: 'assistant'; content: string } | Record<string, never>;

/**
 * The answer as OpenAI's server-sent events: a role chunk, content deltas, a chunk with
 * the finish reason, the usage chunk when asked for, then `[DONE]`. A failure after the
 * first byte can only be told in the stream: an `error` event ends it.
 */
export function chatCompletionStream(
  answer: ChatAnswer,
  parts: AsyncIterator<StreamPart>,
  options: { includeUsage: boolean; onCancel: () => void },
): ReadableStream<Uint8Array> {
  // With include_usage, OpenAI sends `usage: null` on every chunk but the last.
  const usageField = options.includeUsage ? { usage: null } : {};
  const chunk = (choices: unknown[], extra: object = usageField) =>
    event({
      id: answer.id,
      object: 'chat.completion.chunk',
      created: answer.created,
      model: answer.model,
      system_fingerprint: null,
      choices,
      ...extra,
    });
  const choice = (delta: Delta, finishReason: string | null) => [
    { index: 0, delta, logprobs: null, finish_reason: finishReason },
  ];
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(chunk(choice({ role: 'assistant', content: '' }, null)));
      }
      try {
        // Pull until a part produces bytes, so each pull enqueues something or closes.
        for (;;) {
          const next = await parts.next();
          if (next.done) break;
          if (isWaiting(next.value)) {
            // A comment: OpenAI clients skip it; genrelay-aware ones read their place.
            controller.enqueue(queueComment(next.value));
            return;
          }
          const delta = await answer.apply(next.value);
          if (delta !== undefined) {
            controller.enqueue(chunk(choice(delta, null)));
            return;
          }
        }
      } catch (error) {
        controller.enqueue(event(openAIErrorBody(toGenRelayError(error))));
        controller.close();
        return;
      }
      const finish = openAIFinishReason(answer.finishReason);
      controller.enqueue(
        chunk(choice({}, finish), { ...usageField, ...answer.extensions() }),
      );
      if (options.includeUsage) controller.enqueue(chunk([], { usage: answer.usage() }));
      controller.enqueue(encoder.encode('data: [DONE]\n\n'));
      controller.close();
    },
    cancel() {
      // The client went away: stop the generation and the upstream call behind it.
      options.onCancel();
    },
  });
}
