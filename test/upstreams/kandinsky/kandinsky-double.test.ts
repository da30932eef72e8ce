import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from '../png.js';
import {
  homepage,
  type KandinskyDouble,
  mixImage,
  startKandinskyDouble,
  text2imgImage,
} from './kandinsky-double.js';

// No official client exists, so the double is held to protocols.md §5.4 directly.

let double: KandinskyDouble;
beforeAll(async () => {
  double = await startKandinskyDouble({ token: 'secret' });
});
afterAll(async () => {
  await double.close();
});

function call(path: string, body?: unknown, authorization: string | null = 'secret') {
  return fetch(`${double.baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization === null ? {} : { authorization }),
    },
    ...(body === undefined
      ? {}
      : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    signal: AbortSignal.timeout(5000),
  });
}

const base64Png = Buffer.from(makePng(4, 4)).toString('base64');

describe('Kandinsky double', () => {
  it('serves the homepage without a token, byte for byte', async () => {
    const response = await call('/', undefined, null);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(homepage);
  });

  it('needs the exact token as the whole Authorization header', async () => {
    for (const authorization of [null, 'Bearer secret', 'wrong']) {
      const response = await call('/text2img', { prompt: 'x' }, authorization);
      expect(response.status).toBe(401);
      expect(await response.json()).toBe('Invalid Authorization');
    }
    // The middleware runs before routing: an unknown path without a token is a 401 too.
    expect((await call('/img2img', {}, null)).status).toBe(401);
    expect((await call('/img2img', {})).status).toBe(404);
  });

  it('answers text2img with raw JPEG bytes at sides rounded up to 64', async () => {
    const response = await call('/text2img', {
      prompt: 'a fox',
      width: 500,
      height: '300',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpg');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes).toEqual(text2imgImage('a fox', 512, 320));
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
  });

  it('mixes two base64 images with texts, and fails like the API on a wrong list', async () => {
    const response = await call('/mix2images', {
      images_texts: ['a fox', base64Png, base64Png, 'a dog'],
      weights: [0.25, 0.25, 0.25, 0.25],
    });
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(mixImage());
    const short = await call('/mix2images', {
      images_texts: ['a', base64Png],
      weights: [1, 1],
    });
    expect(short.status).toBe(500);
    expect(await short.text()).toBe('Internal Server Error');
    const notImage = await call('/mix2images', {
      images_texts: ['a', 'bm9wZQ==', base64Png, 'b'],
      weights: [1, 1, 1, 1],
    });
    expect(notImage.status).toBe(500);
  });

  it('reports pydantic v1 validation errors as FastAPI 422s', async () => {
    const response = await call('/text2img', { steps: 'many' });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      detail: [
        { loc: ['body', 'prompt'], msg: 'field required', type: 'value_error.missing' },
        {
          loc: ['body', 'steps'],
          msg: 'value is not a valid integer',
          type: 'type_error.integer',
        },
      ],
    });
    const mix = await call('/mix2images', { images_texts: 'x' });
    expect(await mix.json()).toMatchObject({
      detail: [
        { loc: ['body', 'images_texts'], type: 'type_error.list' },
        { loc: ['body', 'weights'], type: 'value_error.missing' },
      ],
    });
  });
});
