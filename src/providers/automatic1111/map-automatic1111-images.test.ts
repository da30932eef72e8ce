import { describe, expect, it } from 'vitest';
import { makePng } from '../../../test/upstreams/png.js';
import {
  mapAutomatic1111Images,
  parseGenerationInfo,
} from './map-automatic1111-images.js';

const source = { provider: 'gpu-a', describe: 'automatic1111 "gpu-a"' };
const encoded = (width: number, height: number) =>
  Buffer.from(makePng(width, height)).toString('base64');

describe('mapAutomatic1111Images', () => {
  it('skips the grid and what extensions append, pairing each image with its seed', () => {
    const images = [encoded(128, 64), encoded(64, 64), encoded(64, 64), encoded(8, 8)];
    const info = parseGenerationInfo(
      '{"seed": 5, "all_seeds": [5, 6], "width": 64, "height": 64, "index_of_first_image": 1}',
    );
    const parts = mapAutomatic1111Images(images, info, source);
    expect(parts.map(({ seed, width, height }) => ({ seed, width, height }))).toEqual([
      { seed: 5, width: 64, height: 64 },
      { seed: 6, width: 64, height: 64 },
    ]);
  });

  it('accepts data URIs, and keeps images when info is unreadable', () => {
    const parts = mapAutomatic1111Images(
      [`data:image/png;base64,${encoded(16, 8)}`],
      parseGenerationInfo('not json'),
      source,
    );
    expect(parts).toEqual([
      {
        type: 'image',
        data: new Uint8Array(makePng(16, 8)),
        mediaType: 'image/png',
        width: 16,
        height: 8,
      },
    ]);
  });

  it('refuses bytes that are not an image', () => {
    expect(() => mapAutomatic1111Images(['bm9wZQ=='], undefined, source)).toThrow(
      expect.objectContaining({ code: 'response_parse_error', provider: 'gpu-a' }),
    );
  });
});
