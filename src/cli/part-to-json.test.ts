import { describe, expect, it } from 'vitest';
import { partToJson } from './part-to-json.js';

describe('partToJson', () => {
  it('prints exactly the fields of a part', () => {
    expect(partToJson({ type: 'text', delta: 'Hel' })).toBe(
      '{"type":"text","delta":"Hel"}',
    );
    expect(partToJson({ type: 'queued', position: 2, etaMs: 900 })).toBe(
      '{"type":"queued","position":2,"etaMs":900}',
    );
  });

  it('replaces the bytes of an image with its file and size', () => {
    const data = new Uint8Array([1, 2, 3]);
    const line = partToJson(
      { type: 'image', data, mediaType: 'image/png', seed: 7 },
      { file: '/tmp/a.png', bytes: 3 },
    );
    expect(JSON.parse(line)).toEqual({
      type: 'image',
      mediaType: 'image/png',
      seed: 7,
      file: '/tmp/a.png',
      bytes: 3,
    });
  });

  it('gives a preview only its size, and keeps a URL-only image as it is', () => {
    const preview = {
      type: 'image-preview' as const,
      data: new Uint8Array(5),
      mediaType: 'image/jpeg',
    };
    expect(JSON.parse(partToJson(preview))).toEqual({
      type: 'image-preview',
      mediaType: 'image/jpeg',
      bytes: 5,
    });
    const linked = {
      type: 'image' as const,
      url: 'https://x/y.png',
      mediaType: 'image/png',
    };
    expect(JSON.parse(partToJson(linked))).toEqual(linked);
  });
});
