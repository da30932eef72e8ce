import type { JobKind } from '../job.js';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of a user message: a string, or its OpenAI-style `{type: 'text'}` parts. */
function userMessageTexts(message: unknown): string[] {
  if (!isObject(message) || message.role !== 'user') return [];
  const { content } = message;
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  return content.flatMap((part: unknown) =>
    isObject(part) && part.type === 'text' && typeof part.text === 'string'
      ? [part.text]
      : [],
  );
}

/**
 * The texts of a job payload that say what the user asked for, for moderation: the
 * `prompt` of an image job (AUTOMATIC1111, Kandinsky), the two texts of Kandinsky's
 * mix2img `images_texts`, and for chat the user messages. Negative prompts and system or
 * assistant messages are not the user's request.
 */
export function moderationTexts(kind: JobKind, payload: unknown): string[] {
  if (!isObject(payload)) return [];
  if (kind === 'chat') {
    const { messages } = payload;
    return Array.isArray(messages) ? messages.flatMap(userMessageTexts) : [];
  }
  if (kind === 'mix2img') {
    // Validated as [text, image, image, text] (kandinskyMix2ImgPayloadSchema) by then.
    const entries: unknown[] = Array.isArray(payload.images_texts)
      ? payload.images_texts
      : [];
    return [entries[0], entries[3]].filter((entry) => typeof entry === 'string');
  }
  return typeof payload.prompt === 'string' ? [payload.prompt] : [];
}
