import type { ImageSource, Message } from '../../core/message.js';

type OpenAIContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } };

export interface OpenAIMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | OpenAIContentPart[];
}

/** An image as OpenAI's `image_url.url`: a data URI, or the https URL as given. */
export function imageSourceUrl(image: ImageSource): string {
  switch (image.kind) {
    case 'data-uri':
      return image.uri;
    case 'url':
      return image.url;
    case 'base64':
      return `data:${image.mediaType ?? 'image/png'};base64,${image.data}`;
    case 'bytes':
      return `data:${image.mediaType ?? 'image/png'};base64,${Buffer.from(image.data).toString('base64')}`;
  }
}

/** Our messages in OpenAI's chat format, with extra images attached to the last user message. */
export function convertToOpenAIMessages(
  messages: readonly Message[],
  extraImages: readonly ImageSource[] = [],
): OpenAIMessage[] {
  const converted: OpenAIMessage[] = messages.map((message) => ({
    role: message.role,
    content:
      typeof message.content === 'string'
        ? message.content
        : message.content.map((part) =>
            part.type === 'text'
              ? { type: 'text', text: part.text }
              : { type: 'image_url', image_url: { url: imageSourceUrl(part.image) } },
          ),
  }));
  if (extraImages.length === 0) return converted;
  const lastUser = converted.findLastIndex((message) => message.role === 'user');
  const target = converted[lastUser];
  if (target === undefined) return converted;
  const parts: OpenAIContentPart[] =
    typeof target.content === 'string'
      ? [{ type: 'text', text: target.content }]
      : target.content;
  target.content = [
    ...parts,
    ...extraImages.map((image) => ({
      type: 'image_url' as const,
      image_url: { url: imageSourceUrl(image) },
    })),
  ];
  return converted;
}
