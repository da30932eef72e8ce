import { toGenRelayError } from '../../core/errors.js';
import type { StreamPart } from '../../core/stream-part.js';
import type { ChatAnswer, ChatDelta } from './chat-answer.js';
import { openAIFinishReason } from './chat-completion-body.js';
import { openAIErrorBody } from './openai-error.js';

const encoder = new TextEncoder();

function event(data: unknown): Uint8Array {
  return encoder.encode(`data: ${JSON.stringify(data)}\n\n`);
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
