import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../../test/upstreams/kandinsky/make-jpeg.js';
import { makePng } from '../../test/upstreams/png.js';
import { imageSize } from './image-size.js';

function bytes(...parts: (number[] | string)[]): Uint8Array {
  return new Uint8Array(
    parts.flatMap((part) =>
      typeof part === 'string' ? [...Buffer.from(part, 'latin1')] : part,
    ),
  );
}

describe('imageSize', () => {
  it('reads PNG and GIF headers', () => {
    expect(imageSize(makePng(640, 360))).toEqual({ width: 640, height: 360 });
    expect(imageSize(bytes('GIF89a', [0x20, 0x03, 0x58, 0x02]))).toEqual({
      width: 800,
      height: 600,
    });
  });

  it('reads the three WEBP layouts', () => {
    const riff = (chunk: string, body: number[]) =>
      bytes('RIFF', [0, 0, 0, 0], 'WEBP', chunk, [0, 0, 0, 0], body);
    // VP8X: 24-bit width-1 and height-1 at bytes 24 and 27.
    expect(
      imageSize(riff('VP8X', [0, 0, 0, 0, 0xff, 0x03, 0x00, 0x3f, 0x02, 0x00])),
    ).toEqual({
      width: 1024,
      height: 576,
    });
    // VP8: 14-bit sizes at bytes 26 and 28, after the frame tag and start code.
    expect(
      imageSize(riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x00, 0x03, 0x00, 0x03])),
    ).toEqual({ width: 768, height: 768 });
    // VP8L: 14-bit width-1 and height-1 packed after the signature byte.
    const packed = (1023 | (767 << 14)) >>> 0;
    expect(
      imageSize(
        riff('VP8L', [
          0x2f,
          packed & 0xff,
          (packed >> 8) & 0xff,
          (packed >> 16) & 0xff,
          packed >>> 24,
        ]),
      ),
    ).toEqual({ width: 1024, height: 768 });
  });

  it('finds the JPEG frame header after other segments', () => {
    const jpeg = bytes(
      [0xff, 0xd8],
      [0xff, 0xe0, 0x00, 0x04, 0x00, 0x00],
      [0xff, 0xc0, 0x00, 0x11, 0x08, 0x02, 0x40, 0x03, 0x20, 0x03],
    );
    expect(imageSize(jpeg)).toEqual({ width: 800, height: 576 });
  });

  it('says nothing for other or cut bytes', () => {
    expect(imageSize(bytes('hello world, not an image'))).toBeUndefined();
    expect(imageSize(makePng(8, 8).subarray(0, 18))).toBeUndefined();
    expect(imageSize(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8X'))).toBeUndefined();
  });
});

function riff(chunk: string, payload: number[]): Uint8Array {
  const bytes = new Uint8Array(40);
  bytes.set(Buffer.from('RIFF'), 0);
  bytes.set(Buffer.from('WEBP'), 8);
  bytes.set(Buffer.from(chunk), 12);
  bytes.set(payload, 20);
  return bytes;
}

describe('imageSize', () => {
  it('reads PNG and JPEG headers', () => {
    expect(imageSize(makePng(123, 45))).toEqual({ width: 123, height: 45 });
    expect(imageSize(makeJpeg(640, 360))).toEqual({ width: 640, height: 360 });
  });

  it('finds the JPEG frame header past other segments and fill bytes', () => {
    const jpeg = makeJpeg(33, 17);
    const app0 = [0xff, 0xe0, 0x00, 0x06, 0x4a, 0x46, 0x49, 0x46, 0xff];
    const padded = Uint8Array.from([
      ...jpeg.subarray(0, 2),
      ...app0,
      ...jpeg.subarray(2),
    ]);
    expect(imageSize(padded)).toEqual({ width: 33, height: 17 });
  });

  it('reads GIF and the three WEBP flavours', () => {
    const gif = Uint8Array.from([...Buffer.from('GIF89a'), 0x20, 0x01, 0x10, 0x00]);
    expect(imageSize(gif)).toEqual({ width: 288, height: 16 });
    // VP8: frame tag, start code, then 14-bit width and height.
    const lossy = riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x00, 0x02, 0x80, 0x01]);
    expect(imageSize(lossy)).toEqual({ width: 512, height: 384 });
    // VP8L: signature, then width − 1 and height − 1 in 14 bits each.
    const packed = 99 | (49 << 14);
    const lossless = riff('VP8L', [
      0x2f,
      packed & 0xff,
      (packed >> 8) & 0xff,
      (packed >> 16) & 0xff,
      0,
    ]);
    expect(imageSize(lossless)).toEqual({ width: 100, height: 50 });
    // VP8X: flags, reserved, then 24-bit width − 1 and height − 1.
    const extended = riff('VP8X', [0, 0, 0, 0, 0xff, 0x03, 0x00, 0xff, 0x01, 0x00]);
    expect(imageSize(extended)).toEqual({ width: 1024, height: 512 });
  });

  it('says nothing for other or truncated data', () => {
    expect(imageSize(Buffer.from('not an image at all'))).toBeUndefined();
    expect(imageSize(makePng(10, 10).subarray(0, 18))).toBeUndefined();
    expect(imageSize(makeJpeg(10, 10).subarray(0, 30))).toBeUndefined();
  });
});
