import { describe, expect, it } from 'vitest';
import { imageFilePath } from './image-file-path.js';

const base = {
  cwd: '/work',
  startedAt: new Date('2025-01-31T12:34:56.789Z'),
  index: 0,
  count: 1,
  mediaType: 'image/png',
};

describe('imageFilePath', () => {
  it('names an image by the time, with the extension of its type', () => {
    expect(imageFilePath(base)).toBe('/work/genrelay-2025-01-31T12-34-56-789Z.png');
    expect(imageFilePath({ ...base, mediaType: 'image/jpeg' })).toMatch(/Z\.jpg$/);
  });

  it('uses -o as given, resolved against the folder', () => {
    expect(imageFilePath({ ...base, output: 'out/cat.webp' })).toBe('/work/out/cat.webp');
    expect(imageFilePath({ ...base, output: '/abs/cat.png' })).toBe('/abs/cat.png');
  });

  it('numbers the images before the extension when there are several', () => {
    const many = { ...base, output: 'cat.png', count: 2 };
    expect(imageFilePath(many)).toBe('/work/cat-1.png');
    expect(imageFilePath({ ...many, index: 1 })).toBe('/work/cat-2.png');
    expect(imageFilePath({ ...base, output: 'cat', index: 1 })).toBe('/work/cat-2');
  });
});
