import type { GenerationRequest } from './generation-request.js';
import { type ImageSource, messageImages } from './message.js';

/**
 * The images a provider should use: those of the trailing run of user messages (an
 * assistant or system message in between drops earlier ones, as they belong to an
 * answered turn), then the request's own attachments.
 */
export function mergeMedia(
  request: Pick<GenerationRequest, 'messages' | 'images'>,
): ImageSource[] {
  let fromMessages: ImageSource[] = [];
  for (const message of request.messages) {
    if (message.role === 'user') fromMessages.push(...messageImages(message));
    else fromMessages = [];
  }
  return [...fromMessages, ...(request.images ?? [])];
}

const dataUriPattern =
  /^data:([\w.+-]+\/[\w.+-]+)?(;[\w-]+=[^;,]*)*;base64,([A-Za-z0-9+/=\s]*)$/;

/** The bytes and media type of a base64 `data:` URI, or undefined when it is not one. */
export function parseDataUri(
  uri: string,
): { mediaType: string; data: Uint8Array } | undefined {
  const match = dataUriPattern.exec(uri);
  if (match === null) return undefined;
  const payload = match[3] ?? '';
  return {
    mediaType: match[1] ?? 'application/octet-stream',
    data: new Uint8Array(Buffer.from(payload, 'base64')),
  };
}

/** The image type from the first bytes (JPEG, PNG, GIF, WEBP), or undefined. */
export function detectImageType(bytes: Uint8Array): string | undefined {
  const ascii = (start: number, end: number) =>
    String.fromCharCode(...bytes.subarray(start, end));
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (ascii(1, 4) === 'PNG' && bytes[0] === 0x89) return 'image/png';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

/** The usual file extension for an image media type. */
export function imageExtension(mediaType: string): string {
  const extensions: Record<string, string> = {
    'image/png': 'png',
    'image/jpeg': 'jpg',
    'image/gif': 'gif',
    'image/webp': 'webp',
  };
  return extensions[mediaType] ?? 'bin';
}
