import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidRequestError, TimeoutError } from '../core/errors.js';
import { fetchImage, fetchRequestImages } from './fetch-media.js';
import { createHttpClient } from './http-client.js';

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const gif = new TextEncoder().encode('GIF89a-rest-of-the-image');

const routes: Record<string, RequestListener> = {
  '/cat.png': (_request, response) => response.end(png),
  '/page.html': (_request, response) =>
    response.end('<html><body>not an image</body></html>'),
  '/missing.png': (_request, response) => response.writeHead(404).end(),
  '/moved.png': (_request, response) =>
    response
      .writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' })
      .end(),
  '/declared-huge.png': (_request, response) =>
    response
      .writeHead(200, { 'content-length': String(10_000) })
      .end(Buffer.alloc(10_000)),
  '/endless.png': (_request, response) => {
    response.write(png);
    const write = () => {
      while (!response.destroyed && response.write(Buffer.alloc(16_384)));
    };
    response.on('drain', write);
    write();
  },
  '/stall.png': (_request, response) => response.write(png),
  '/held.png': (_request, response) => {
    held.open++;
    response.on('close', () => held.open--);
    response.write(png);
  },
};

/** Downloads of `/held.png` whose connection is still open. */
const held = { open: 0 };

let server: Server;
let port: number;
let requests = 0;
const http = createHttpClient();
const trusted = { allowPrivateAddresses: true, http };

beforeAll(async () => {
  server = createServer((request, response) => {
    requests++;
    const route = routes[request.url ?? ''];
    if (route) route(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await http.close();
  server.closeAllConnections();
  server.close();
});

async function rejection(promise: Promise<unknown>): Promise<InvalidRequestError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidRequestError);
  return error as InvalidRequestError;
}

describe('fetchImage from local sources', () => {
  it('decodes a data URI and detects the type from the bytes', async () => {
    const uri = `data:image/jpeg;base64,${Buffer.from(png).toString('base64')}`;
    const image = await fetchImage({ kind: 'data-uri', uri });
    expect(image).toEqual({ data: png, mediaType: 'image/png' });
  });

  it('decodes base64 and takes bytes as they are', async () => {
    const base64 = await fetchImage({
      kind: 'base64',
      data: Buffer.from(gif).toString('base64'),
    });
    expect(base64.mediaType).toBe('image/gif');
    expect(await fetchImage({ kind: 'bytes', data: png })).toEqual({
      data: png,
      mediaType: 'image/png',
    });
  });

  it('refuses what is not an image, naming the param', async () => {
    const text = new TextEncoder().encode('hello');
    const error = await rejection(
      fetchImage({ kind: 'bytes', data: text }, { param: 'images[0]' }),
    );
    expect(error.message).toBe('the image is not a JPEG, PNG, GIF or WEBP image');
    expect(error.param).toBe('images[0]');
  });

  it('refuses a malformed data URI and an image over the limit', async () => {
    const malformed = await rejection(
      fetchImage({ kind: 'data-uri', uri: 'data:image/png,abc' }),
    );
    expect(malformed.message).toMatch(/not a base64 data: URI/);
    const large = await rejection(
      fetchImage({ kind: 'bytes', data: png }, { maxBytes: 8 }),
    );
    expect(large.message).toBe('the image is larger than 8 bytes');
    expect(large.param).toBe('image');
  });
});

describe('fetchImage from a URL', () => {
  it('downloads from a loopback host when private addresses are allowed', async () => {
    const image = await fetchImage(
      { kind: 'url', url: `http://127.0.0.1:${port}/cat.png` },
      trusted,
    );
    expect(image).toEqual({ data: png, mediaType: 'image/png' });
  });

  it('refuses loopback hosts by default, by address or by name, without connecting', async () => {
    const before = requests;
    for (const host of ['127.0.0.1', '[::ffff:127.0.0.1]', '[::1]', 'localhost']) {
      const url = `https://${host}:${port}/cat.png`;
      const error = await rejection(fetchImage({ kind: 'url', url }));
      expect(error.message).toMatch(/not a public address/);
      expect(error.param).toBe('image');
    }
    expect(requests).toBe(before);
  });

  it('requires https unless private addresses are allowed, and a valid URL', async () => {
    const plain = await rejection(
      fetchImage({ kind: 'url', url: 'http://example.com/cat.png' }),
    );
    expect(plain.message).toBe('the image URL must use https, not http');
    const local = await rejection(
      fetchImage({ kind: 'url', url: 'file:///etc/passwd' }, trusted),
    );
    expect(local.message).toMatch(/must use http or https, not file/);
    await rejection(fetchImage({ kind: 'url', url: 'not a url' }));
  });

  it('does not follow redirects', async () => {
    const url = `http://127.0.0.1:${port}/moved.png`;
    const error = await rejection(fetchImage({ kind: 'url', url }, trusted));
    expect(error.message).toMatch(/redirects \(HTTP 302\); redirects are not followed/);
  });

  it('refuses error statuses and what is not an image', async () => {
    const missing = `http://127.0.0.1:${port}/missing.png`;
    expect(
      (await rejection(fetchImage({ kind: 'url', url: missing }, trusted))).message,
    ).toBe('the image URL answered HTTP 404');
    const page = `http://127.0.0.1:${port}/page.html`;
    expect(
      (await rejection(fetchImage({ kind: 'url', url: page }, trusted))).message,
    ).toMatch(/not a JPEG, PNG, GIF or WEBP/);
  });

  it('enforces the size limit on the declared length and while streaming', async () => {
    const options = { ...trusted, maxBytes: 1_000 };
    const declared = `http://127.0.0.1:${port}/declared-huge.png`;
    const endless = `http://127.0.0.1:${port}/endless.png`;
    for (const url of [declared, endless]) {
      const error = await rejection(fetchImage({ kind: 'url', url }, options));
      expect(error.message).toBe('the image is larger than 1000 bytes');
    }
  });

  it('times out with a TimeoutError, not an invalid request', async () => {
    const url = `http://127.0.0.1:${port}/stall.png`;
    const outcome = fetchImage({ kind: 'url', url }, { ...trusted, timeoutMs: 100 });
    await expect(outcome).rejects.toBeInstanceOf(TimeoutError);
    await expect(outcome).rejects.toThrow(/within 100 ms/);
  });
});

describe('fetchRequestImages', () => {
  const url = (path: string) => ({
    kind: 'url' as const,
    url: `http://127.0.0.1:${port}${path}`,
  });
  const text = { kind: 'bytes' as const, data: new TextEncoder().encode('hello') };
  const signal = () => AbortSignal.timeout(10_000);

  it('fetches the last user turn’s images and the attachments, in order', async () => {
    const images = await fetchRequestImages(
      {
        messages: [
          { role: 'user', content: [{ type: 'image', image: url('/cat.png') }] },
        ],
        images: [{ kind: 'bytes', data: gif }],
      },
      { ...trusted, signal: signal() },
    );
    expect(images.map((image) => image.mediaType)).toEqual(['image/png', 'image/gif']);
  });

  it('refuses more than `max` images before downloading any', async () => {
    const before = requests;
    const error = await rejection(
      fetchRequestImages(
        { messages: [], images: [url('/cat.png'), url('/cat.png'), url('/cat.png')] },
        { ...trusted, signal: signal(), max: 2 },
      ),
    );
    expect(error.message).toBe('At most 2 images are accepted; the request has 3');
    expect(error.param).toBe('images');
    expect(requests).toBe(before);
  });

  it('names the field of the failing image, in the messages or the attachments', async () => {
    const inMessage = await rejection(
      fetchRequestImages(
        {
          messages: [
            { role: 'user', content: 'first turn' },
            {
              role: 'user',
              content: [
                { type: 'text', text: 'these' },
                { type: 'image', image: text },
              ],
            },
          ],
        },
        { signal: signal(), allowPrivateAddresses: false },
      ),
    );
    expect(inMessage.param).toBe('messages[1].content[1]');
    const attached = await rejection(
      fetchRequestImages(
        {
          messages: [
            { role: 'user', content: [{ type: 'image', image: url('/cat.png') }] },
          ],
          images: [text],
        },
        { ...trusted, signal: signal() },
      ),
    );
    expect(attached.param).toBe('images[0]');
  });

  it('stops the other downloads when one fails', async () => {
    const started = Date.now();
    const error = await rejection(
      fetchRequestImages(
        { messages: [], images: [url('/held.png'), url('/missing.png')] },
        { ...trusted, signal: signal(), timeoutMs: 10_000 },
      ),
    );
    expect(error.param).toBe('images[1]');
    await expect.poll(() => held.open, { timeout: 2000 }).toBe(0);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops the downloads when the caller aborts', async () => {
    const before = held.open;
    const controller = new AbortController();
    const outcome = fetchRequestImages(
      { messages: [], images: [url('/held.png')] },
      { ...trusted, signal: controller.signal },
    );
    await expect.poll(() => held.open).toBe(before + 1);
    controller.abort();
    await expect(outcome).rejects.toMatchObject({ code: 'canceled' });
    await expect.poll(() => held.open, { timeout: 2000 }).toBe(before);
  });
});
