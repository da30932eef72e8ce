import type { JobKind } from '../job.js';

/** Shorter strings are always read as text: no image worth sending fits in them. */
const minImageLength = 2000;
const dataUrlPrefix = /^data:[^,;]*(?:;[^,;]*)*;base64,/i;
/** No whitespace allowed: a long prose prompt must never pass for image data. */
const base64Body = /^[A-Za-z0-9+/_-]+={0,2}$/;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A long base64 string or base64 `data:` URL: an image, which the text checks skip. */
export function isImageData(text: string): boolean {
  if (text.length <= minImageLength) return false;
  return base64Body.test(text.replace(dataUrlPrefix, ''));
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
 * `prompt` of an image job (AUTOMATIC1111, Kandinsky), the text entries of Kandinsky's
 * mix2img `images_texts` (its image entries skipped), and for chat the user messages.
 * Negative prompts and system or assistant messages are not the user's request.
 */
export function moderationTexts(kind: JobKind, payload: unknown): string[] {
  return payloadTexts(kind, payload).filter((text) => text.trim() !== '');
}

function payloadTexts(kind: JobKind, payload: unknown): string[] {
  if (!isObject(payload)) return [];
  if (kind === 'chat') {
    const { messages } = payload;
    return Array.isArray(messages) ? messages.flatMap(userMessageTexts) : [];
  }
  const texts = typeof payload.prompt === 'string' ? [payload.prompt] : [];
  if (kind === 'mix2img' && Array.isArray(payload.images_texts)) {
    for (const entry of payload.images_texts as unknown[]) {
      if (typeof entry === 'string' && !isImageData(entry)) texts.push(entry);
    }
  }
  return texts;
}
