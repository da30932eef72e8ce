import {
  DEFAULT_TEXT,
  type OpenAIDoubleBehaviour,
  respondWithFailure,
} from './behaviour.js';
import { streamChatCompletion } from './chat-stream.js';
import { invalidType, missingParameter } from './openai-errors.js';
import {
  isJsonObject,
  type JsonObject,
  pause,
  type RequestContext,
  sendError,
  sendJson,
} from './request-context.js';

/** What the double will say for one completion, already split into tokens. */
export interface ChatScript {
  reasoning: string[];
  content: string[];
  firstTokenDelayMs: number;
  tokenDelayMs: number;
  /** Destroy the socket after the first content token. */
  cut: boolean;
  /** Send a `data: {not json` event after the role chunk. */
  malformed: boolean;
}

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** `POST /v1/chat/completions`, streaming or not. */
export async function handleChatCompletion(
  context: RequestContext,
  body: JsonObject,
  model: string,
  behaviour: OpenAIDoubleBehaviour,
): Promise<void> {
  const { messages } = body;
  if (messages === undefined) return sendError(context, missingParameter('messages'));
  if (!Array.isArray(messages)) {
    return sendError(context, invalidType('messages', 'an array of objects'));
  }
  const streaming = body.stream === true;
  if (respondWithFailure(context, behaviour, streaming)) return;

  const script = chatScript(behaviour);
  const completionTokens = script.reasoning.length + script.content.length;
  const promptTokens = countPromptTokens(messages);
  const usage: ChatUsage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  const id = `chatcmpl-${context.sequence}`;
  const created = Math.floor(Date.now() / 1000);

  if (streaming) {
    const options = body.stream_options;
    const includeUsage = isJsonObject(options) && options.include_usage === true;
    return streamChatCompletion(context, {
      id,
      created,
      model,
      script,
      usage,
      includeUsage,
    });
  }

  await pause(context, script.firstTokenDelayMs + script.tokenDelayMs * completionTokens);
  const reasoning = script.reasoning.join('');
  const message = {
    role: 'assistant',
    content: script.content.join(''),
    ...(reasoning ? { reasoning_content: reasoning } : {}),
    refusal: null,
  };
  const completion = {
    id,
    object: 'chat.completion',
    created,
    model,
    system_fingerprint: null,
    choices: [{ index: 0, message, logprobs: null, finish_reason: 'stop' }],
    usage,
  };
  sendJson(context, 200, JSON.stringify(completion));
}

function chatScript(behaviour: OpenAIDoubleBehaviour): ChatScript {
  const text = 'text' in behaviour ? (behaviour.text ?? DEFAULT_TEXT) : DEFAULT_TEXT;
  const isNormal = behaviour.kind === 'normal';
  return {
    reasoning: isNormal ? tokenize(behaviour.reasoning ?? '') : [],
    content: tokenize(text),
    firstTokenDelayMs: behaviour.kind === 'slow-first-token' ? behaviour.delayMs : 0,
    tokenDelayMs: isNormal ? (behaviour.tokenDelayMs ?? 0) : 0,
    cut: behaviour.kind === 'cut-mid-stream',
    malformed: behaviour.kind === 'malformed-chunk',
  };
}

/** Words with their leading whitespace: 'Hello from' → ['Hello', ' from']. */
function tokenize(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\S)(?=\s)/);
}

function countPromptTokens(messages: unknown[]): number {
  let count = 0;
  for (const message of messages) {
    if (!isJsonObject(message)) continue;
    const { content } = message;
    if (typeof content === 'string') count += tokenize(content).length;
    if (!Array.isArray(content)) continue;
    for (const part of content) {
      if (isJsonObject(part) && typeof part.text === 'string')
        count += tokenize(part.text).length;
    }
  }
  return count;
}
