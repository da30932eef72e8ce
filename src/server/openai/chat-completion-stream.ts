import { toGenRelayError } from '../../core/errors.js';
import type { StreamPart } from '../../core/stream-part.js';
import type { ChatAnswer, ChatDelta } from './chat-answer.js';
import { openAIFinishReason } from './chat-completion-body.js';
import { openAIErrorBody } from './openai-error.js';

const encoder = new TextEncoder();

function event(data: unknown): Uint8Array {
  return encoder.encode(`data: ${JSON.stringify(data)}\n\n`);
}

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
  const usageField = options.includeUsage ? { usage: null } : {};
  const chunk = (
    delta: ChatDelta | { role: 'assistant'; content: string },
    finish: string | null,
  ) =>
    event({
      id: answer.id,
      object: 'chat.completion.chunk',
      created: answer.created,
      model: answer.model,
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...usageField,
    });
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(chunk({ role: 'assistant', content: '' }, null));
      }
      try {
        // Pull until a part produces bytes, so each pull enqueues something or closes.
        for (;;) {
          const next = await parts.next();
          if (next.done) break;
          const delta = await answer.apply(next.value);
          if (delta !== undefined) {
            controller.enqueue(chunk(delta, null));
            return;
          }
        }
      } catch (error) {
        controller.enqueue(event(openAIErrorBody(toGenRelayError(error))));
        controller.close();
        return;
      }
      controller.enqueue(
        event({
          id: answer.id,
          object: 'chat.completion.chunk',
          created: answer.created,
          model: answer.model,
          system_fingerprint: null,
          choices: [
            {
              index: 0,
              delta: {},
              logprobs: null,
              finish_reason: openAIFinishReason(answer.finishReason),
            },
          ],
          ...usageField,
          ...answer.extensions(),
        }),
      );
      if (options.includeUsage) {
        controller.enqueue(
          event({
            id: answer.id,
            object: 'chat.completion.chunk',
            created: answer.created,
            model: answer.model,
            system_fingerprint: null,
            choices: [],
            usage: answer.usage(),
          }),
        );
      }
      controller.enqueue(encoder.encode('data: [DONE]\n\n'));
      controller.close();
    },
    cancel() {
      // The client went away: stop the generation and the upstream call behind it.
      options.onCancel();
    },
  });
}
