import type { Context } from 'hono';
import { baseUrl } from '../base-url.js';
import { ImagePublisher } from '../image-publisher.js';
import { pullUntilContent } from '../pull-until-content.js';
import { queuedGeneration, requestOwner } from '../queued-generation.js';
import { readJsonBody } from '../read-json-body.js';
import { requestSignal } from '../request-signal.js';
import type { ServerDependencies } from '../server-dependencies.js';
import { ChatAnswer } from './chat-answer.js';
import { chatCompletionBody } from './chat-completion-body.js';
import { chatCompletionStream } from './chat-completion-stream.js';
import { chatCompletionsRequestSchema } from './chat-completions-schema.js';
import { convertChatRequest } from './convert-chat-request.js';

/** `POST /v1/chat/completions`, streaming and not, as OpenAI answers it. */
export function chatCompletionsRoute(dependencies: ServerDependencies) {
  const publisher = new ImagePublisher(dependencies.storage);
  return async (
    context: Context<{ Variables: { service: string } }>,
  ): Promise<Response> => {
    const body = await readJsonBody(
      context,
      chatCompletionsRequestSchema,
      dependencies.maxBodyBytes,
    );
    const request = convertChatRequest(body, {
      allowInsecure: dependencies.allowPrivateMediaUrls,
    });
    // Aborts when the client disconnects or cancels the stream.
    const { signal, abort } = requestSignal(context);
    const answer = new ChatAnswer(
      body.model,
      publisher,
      baseUrl(context, dependencies.publicUrl),
    );
    const owner = requestOwner(context.get('service'), body.user, (name) =>
      context.req.header(name),
    );
    const parts = queuedGeneration(dependencies, request, owner, signal)[
      Symbol.asyncIterator
    ]();
    if (!body.stream) {
      for (let next = await parts.next(); !next.done; next = await parts.next()) {
        await answer.apply(next.value);
      }
      return context.json(chatCompletionBody(answer));
    }
    const replay = await pullUntilContent(parts);
    const stream = chatCompletionStream(answer, replay, {
      includeUsage: body.stream_options?.include_usage === true,
      onCancel: abort,
    });
    return new Response(stream, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      },
    });
  };
}
