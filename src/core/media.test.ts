import { describe, expect, it } from 'vitest';
import { detectImageType, mergeMedia, parseDataUri } from './media.js';

describe('media helpers', () => {
  it('keeps images of the trailing user messages, then the attachments', () => {
    const images = mergeMedia({
      messages: [
        {
          role: 'user',
          content: [{ type: 'image', image: { kind: 'url', url: 'https://a/1.png' } }],
        },
        { role: 'assistant', content: 'seen' },
        {
          role: 'user',
          content: [{ type: 'image', image: { kind: 'url', url: 'https://a/2.png' } }],
        },
      ],
      images: [{ kind: 'base64', data: 'AAAA' }],
    });
    expect(images).toEqual([
      { kind: 'url', url: 'https://a/2.png' },
      { kind: 'base64', data: 'AAAA' },
    ]);
  });

  it('decodes a base64 data URI with its media type', () => {
    const parsed = parseDataUri('data:image/png;base64,aGVsbG8=');
    expect(parsed?.mediaType).toBe('image/png');
    expect(Buffer.from(parsed?.data ?? []).toString()).toBe('hello');
    expect(parseDataUri('data:text/plain,hello')).toBeUndefined();
    expect(parseDataUri('/etc/passwd')).toBeUndefined();
  });

  it('recognises images by their first bytes', () => {
    expect(
      detectImageType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10])),
    ).toBe('image/png');
    expect(detectImageType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(detectImageType(new TextEncoder().encode('GIF89a...'))).toBe('image/gif');
    expect(detectImageType(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe(
      'image/webp',
    );
    expect(detectImageType(new TextEncoder().encode('<html>'))).toBeUndefined();
  });
});
