import { describe, expect, it } from 'vitest';
import { fileMediaType, fileUrl, findFile } from './file-data.js';

const appUrl = 'https://owner-space.hf.space/gradio_api';

describe('findFile', () => {
  it('finds the file in FileData, a gallery, or a URL or path string', () => {
    const data = {
      path: '/tmp/gradio/a/image.webp',
      url: `${appUrl}/file=/tmp/gradio/a/image.webp`,
    };
    expect(findFile(data)).toEqual(data);
    expect(findFile([{ image: data, caption: null }])).toEqual(data);
    expect(findFile('https://cdn.example/x.png')).toEqual({
      url: 'https://cdn.example/x.png',
    });
    expect(findFile('/tmp/gradio/a/x.png')).toEqual({ path: '/tmp/gradio/a/x.png' });
  });

  it('finds nothing in values without a file', () => {
    for (const value of [null, undefined, 42, '', [], { caption: 'x' }, { path: null }]) {
      expect(findFile(value)).toBeUndefined();
    }
  });
});

describe('fileUrl', () => {
  it("keeps the file's own URL when it is on the app's origin", () => {
    const url = `${appUrl}/file=/tmp/gradio/a/image.webp`;
    expect(fileUrl({ url, path: '/tmp/gradio/a/image.webp' }, appUrl)).toBe(url);
    expect(fileUrl({ url: '/gradio_api/file=/tmp/x.png' }, appUrl)).toBe(
      'https://owner-space.hf.space/gradio_api/file=/tmp/x.png',
    );
  });

  it('rebuilds a URL on another origin from the path, so credentials stay with the app', () => {
    expect(
      fileUrl(
        {
          url: 'https://elsewhere.example/file=/tmp/gradio/a b/x.png',
          path: '/tmp/gradio/a b/x.png',
        },
        appUrl,
      ),
    ).toBe(`${appUrl}/file=/tmp/gradio/a%20b/x.png`);
    expect(fileUrl({ url: 'https://elsewhere.example/x.png' }, appUrl)).toBeUndefined();
  });

  it('finds no URL in a path that claims to be a URL but does not parse', () => {
    expect(fileUrl({ path: 'http://[' }, appUrl)).toBeUndefined();
    expect(fileUrl({ url: 'http://[', path: 'https://[::1' }, appUrl)).toBeUndefined();
  });

  it('serves 4.x apps from the root', () => {
    expect(fileUrl({ path: '/tmp/gradio/a/x.png' }, 'http://127.0.0.1:7860')).toBe(
      'http://127.0.0.1:7860/file=/tmp/gradio/a/x.png',
    );
  });
});

describe('fileMediaType', () => {
  it('takes the declared type, else the extension', () => {
    expect(fileMediaType({ mime_type: 'image/jpeg', path: '/x.png' })).toBe('image/jpeg');
    expect(fileMediaType({ path: '/tmp/x/image.webp' })).toBe('image/webp');
    expect(fileMediaType({ url: 'https://h/file=/tmp/x/a.JPG?download=1' })).toBe(
      'image/jpeg',
    );
    expect(fileMediaType({ path: '/tmp/x/blob' })).toBe('application/octet-stream');
  });
});
