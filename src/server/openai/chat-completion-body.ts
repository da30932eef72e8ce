import type { ChatAnswer } from './chat-answer.js';

/** OpenAI's names for our finish reasons. */
export function openAIFinishReason(reason: string | undefined): string {
  switch (reason) {
    case 'length':
      return 'length';
    case 'content-filter':
      return 'content_filter';
    case 'tool-calls':
      return 'tool_calls';
    default:
      return 'stop';
  }
}

/** The non-streaming `chat.completion` object for a finished answer. */
export function chatCompletionBody(answer: ChatAnswer) {
  return {
    id: answer.id,
    object: 'chat.completion',
    created: answer.created,
    model: answer.model,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: answer.text,
          refusal: null,
          ...(answer.reasoning === '' ? {} : { reasoning_content: answer.reasoning }),
        },
        logprobs: null,
        finish_reason: openAIFinishReason(answer.finishReason),
      },
    ],
    usage: answer.usage(),
    ...answer.extensions(),
  };
}
