import type { StreamPart } from '../core/stream-part.js';

/** Where an image part's bytes were written. */
export interface SavedImage {
  /** An absolute path. */
  file: string;
  bytes: number;
}

/**
 * A stream part as one JSON line (without the newline): exactly its fields, except that
 * image bytes are never printed. An image carries the file it was saved to and its size
 * instead; a preview only its size.
 */
export function partToJson(part: StreamPart, saved?: SavedImage): string {
  if (part.type === 'image' || part.type === 'image-preview') {
    const { data, ...fields } = part;
    if (saved !== undefined) return JSON.stringify({ ...fields, ...saved });
    return JSON.stringify(
      data === undefined ? fields : { ...fields, bytes: data.byteLength },
    );
  }
  return JSON.stringify(part);
}
