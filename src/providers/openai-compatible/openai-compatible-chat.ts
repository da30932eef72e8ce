import { UpstreamError } from '../../core/errors.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import type { StreamPart } from '../../core/stream-part.js';
import { readServerSentEvents } from '../../http/server-sent-events.js';
import type { CallOptions } from '../provider.js';
import { convertToOpenAIMessages } from './convert-to-openai-messages.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import {
  chatCompletionChunkSchema,
  chatCompletionSchema,
  type OpenAIUsage,
  streamErrorSchema,
} from './openai-compatible-api.js';
import type { OpenAICompatibleUpstream } from './openai-compatible-upstream.js';

function chatBody(request: GenerationRequest, stream: boolean): Record<string, unknown> {
  return {
    model: request.model,
    messages: convertToOpenAIMessages(request.messages, request.images ?? []),
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
    temperature: request.temperature,
    top_p: request.topP,
    max_tokens: request.maxTokens,
    stop: request.stop,
    seed: request.seed,
    user: request.user,
  };
}

function usagePart(usage: OpenAIUsage): StreamPart | undefined {
  if (usage === null || usage === undefined) return undefined;
  return {
    type: 'usage',
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens,
  };
}

/** A chat completion, streamed from the upstream token by token. */
async function* streamChat(
  upstream: OpenAICompatibleUpstream,
  request: GenerationRequest,
  options: CallOptions,
): AsyncGenerator<StreamPart> {
  const response = await upstream.post(
    '/chat/completions',
    chatBody(request, true),
    options,
  );
  let finishReason: string | null | undefined;
  let usage: OpenAIUsage;
  let done = false;
  for await (const event of readServerSentEvents(response.body)) {
    if (event.data === '[DONE]') {
      done = true;
      break;
    }
    const json = upstream.parseJson(event.data, 'a chunk');
    const failure = streamErrorSchema.safeParse(json);
    if (failure.success) {
      const message = failure.data.error.message ?? 'unknown error';
      throw new UpstreamError(`${upstream.describe()} failed mid-stream: ${message}`, {
        provider: upstream.id,
      });
    }
    const chunk = upstream.validate(chatCompletionChunkSchema, json, 'chunk');
    usage = chunk.usage ?? usage;
    for (const choice of chunk.choices ?? []) {
      const reasoning = choice.delta?.reasoning_content ?? choice.delta?.reasoning;
      if (reasoning) yield { type: 'reasoning', delta: reasoning };
      const content = choice.delta?.content;
      if (content) yield { type: 'text', delta: content };
      finishReason = choice.finish_reason ?? finishReason;
    }
  }
  // A stream that stops without [DONE] or a finish reason was cut off, not finished.
  if (!done && finishReason === undefined) {
    throw new UpstreamError(`${upstream.describe()} ended the stream before finishing`, {
      provider: upstream.id,
      retryable: true,
    });
  }
  const usageStreamPart = usagePart(usage);
  if (usageStreamPart !== undefined) yield usageStreamPart;
  yield { type: 'finish', reason: mapOpenAIFinishReason(finishReason ?? 'stop') };
}

/** A chat completion in one response, for callers that do not stream. */
async function* completeChat(
  upstream: OpenAICompatibleUpstream,
  request: GenerationRequest,
  options: CallOptions,
): AsyncGenerator<StreamPart> {
  const response = await upstream.post(
    '/chat/completions',
    chatBody(request, false),
    options,
  );
  const body = upstream.validate(
    chatCompletionSchema,
    upstream.parseJson(await response.text(), 'a completion'),
    'completion',
  );
  const choice = body.choices[0];
  const reasoning = choice?.message.reasoning_content ?? choice?.message.reasoning;
  if (reasoning) yield { type: 'reasoning', delta: reasoning };
  if (choice?.message.content) yield { type: 'text', delta: choice.message.content };
  const usageStreamPart = usagePart(body.usage);
  if (usageStreamPart !== undefined) yield usageStreamPart;
  yield { type: 'finish', reason: mapOpenAIFinishReason(choice?.finish_reason) };
}

/** Chat through an OpenAI-compatible upstream; one round trip when the caller does not stream. */
export function generateChat(
  upstream: OpenAICompatibleUpstream,
  request: GenerationRequest,
  options: CallOptions,
): AsyncGenerator<StreamPart> {
  return request.stream === false
    ? completeChat(upstream, request, options)
    : streamChat(upstream, request, options);
}
