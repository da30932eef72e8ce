import { InvalidRequestError } from '../../core/errors.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import type { ContentPart, ImageSource, Message } from '../../core/message.js';
import type { ChatCompletionsRequest } from './chat-completions-schema.js';

export interface ImageUrlPolicy {
  /** Plain http (and so private hosts) allowed for image URLs. */
  allowInsecure: boolean;
}

/** An `image_url.url` as an image source: a data URI or an https URL, nothing else. */
function imageSource(url: string, param: string, policy: ImageUrlPolicy): ImageSource {
  if (url.startsWith('data:')) {
    if (!/^data:image\/[\w.+-]+;base64,/.test(url)) {
      throw new InvalidRequestError(`${param}: a data URI must be a base64 image`, {
        param,
      });
    }
    return { kind: 'data-uri', uri: url };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidRequestError(`${param}: not a URL or data URI`, { param });
  }
  const allowed =
    parsed.protocol === 'https:' || (policy.allowInsecure && parsed.protocol === 'http:');
  if (!allowed) {
    throw new InvalidRequestError(
      `${param}: only https URLs and data URIs are accepted`,
      { param },
    );
  }
  return { kind: 'url', url };
}

/** The OpenAI request as genrelay's generation request. */
export function convertChatRequest(
  body: ChatCompletionsRequest,
  policy: ImageUrlPolicy,
): GenerationRequest {
  const messages: Message[] = body.messages.map((message, index) => {
    const role = message.role === 'developer' ? 'system' : message.role;
    if (message.content === null || typeof message.content === 'string') {
      return { role, content: message.content ?? '' };
    }
    const content: ContentPart[] = message.content.map((part, partIndex) =>
      part.type === 'text'
        ? { type: 'text', text: part.text }
        : {
            type: 'image',
            image: imageSource(
              part.image_url.url,
              `messages[${index}].content[${partIndex}].image_url.url`,
              policy,
            ),
          },
    );
    return { role, content };
  });
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  const stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  return {
    kind: 'chat',
    model: body.model,
    messages,
    stream: body.stream,
    ...(body.temperature == null ? {} : { temperature: body.temperature }),
    ...(body.top_p == null ? {} : { topP: body.top_p }),
    ...(maxTokens == null ? {} : { maxTokens }),
    ...(stop == null ? {} : { stop }),
    ...(body.seed == null ? {} : { seed: body.seed }),
    ...(body.user === undefined ? {} : { user: body.user }),
    ...(body.conversation === undefined ? {} : { conversation: body.conversation }),
    ...(body.web_search === undefined ? {} : { webSearch: body.web_search }),
  };
}
