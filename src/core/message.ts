/** Who wrote a message in a conversation. */
export type MessageRole = 'system' | 'user' | 'assistant';

/**
 * An image handed to a provider. Exactly one of the sources is set. Local file paths are
 * deliberately not a source: a server must never read files named by its callers.
 */
export type ImageSource =
  | { kind: 'data-uri'; uri: string }
  | { kind: 'base64'; data: string; mediaType?: string }
  | { kind: 'bytes'; data: Uint8Array; mediaType?: string }
  | { kind: 'url'; url: string };

export type TextContentPart = { type: 'text'; text: string };
export type ImageContentPart = { type: 'image'; image: ImageSource };
export type ContentPart = TextContentPart | ImageContentPart;

/** One chat message; content is plain text or a list of text and image parts. */
export interface Message {
  role: MessageRole;
  content: string | ContentPart[];
}

/** The text of a message, its text parts joined by newlines. */
export function messageText(message: Message): string {
  if (typeof message.content === 'string') return message.content;
  return message.content
    .filter((part): part is TextContentPart => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
}

/** The images attached to a message, in order. */
export function messageImages(message: Message): ImageSource[] {
  if (typeof message.content === 'string') return [];
  return message.content
    .filter((part): part is ImageContentPart => part.type === 'image')
    .map((part) => part.image);
}
