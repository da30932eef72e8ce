import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../../../test/upstreams/kandinsky/make-jpeg.js';
import { makePng } from '../../../test/upstreams/png.js';
import { imageDimensions } from './image-dimensions.js';

function riff(chunk: string, payload: number[]): Uint8Array {
  const bytes = new Uint8Array(40);
  bytes.set(Buffer.from('RIFF'), 0);
  bytes.set(Buffer.from('WEBP'), 8);
  bytes.set(Buffer.from(chunk), 12);
  bytes.set(payload, 20);
  return bytes;
}

describe('imageDimensions', () => {
  it('reads PNG and JPEG headers', () => {
    expect(imageDimensions(makePng(123, 45))).toEqual({ width: 123, height: 45 });
    expect(imageDimensions(makeJpeg(640, 360))).toEqual({ width: 640, height: 360 });
  });

  it('finds the JPEG frame header past other segments and fill bytes', () => {
    const jpeg = makeJpeg(33, 17);
    const app0 = [0xff, 0xe0, 0x00, 0x06, 0x4a, 0x46, 0x49, 0x46, 0xff];
    const padded = Uint8Array.from([
      ...jpeg.subarray(0, 2),
      ...app0,
      ...jpeg.subarray(2),
    ]);
    expect(imageDimensions(padded)).toEqual({ width: 33, height: 17 });
  });

  it('reads GIF and the three WEBP flavours', () => {
    const gif = Uint8Array.from([...Buffer.from('GIF89a'), 0x20, 0x01, 0x10, 0x00]);
    expect(imageDimensions(gif)).toEqual({ width: 288, height: 16 });
    // VP8: frame tag, start code, then 14-bit width and height.
    const lossy = riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x00, 0x02, 0x80, 0x01]);
    expect(imageDimensions(lossy)).toEqual({ width: 512, height: 384 });
    // VP8L: signature, then width − 1 and height − 1 in 14 bits each.
    const packed = 99 | (49 << 14);
    const lossless = riff('VP8L', [
      0x2f,
      packed & 0xff,
      (packed >> 8) & 0xff,
      (packed >> 16) & 0xff,
      0,
    ]);
    expect(imageDimensions(lossless)).toEqual({ width: 100, height: 50 });
    // VP8X: flags, reserved, then 24-bit width − 1 and height − 1.
    const extended = riff('VP8X', [0, 0, 0, 0, 0xff, 0x03, 0x00, 0xff, 0x01, 0x00]);
    expect(imageDimensions(extended)).toEqual({ width: 1024, height: 512 });
  });

  it('says nothing for other or truncated data', () => {
    expect(imageDimensions(Buffer.from('not an image at all'))).toBeUndefined();
    expect(imageDimensions(makePng(10, 10).subarray(0, 18))).toBeUndefined();
    expect(imageDimensions(makeJpeg(10, 10).subarray(0, 30))).toBeUndefined();
  });
});
