import { describe, expect, it } from 'vitest';
import { makeJpeg } from './make-jpeg.js';

/** The markers in order, skipping each segment's body and the entropy-coded data. */
function markers(bytes: Uint8Array): number[] {
  const found: number[] = [];
  let offset = 0;
  while (offset < bytes.length - 1) {
    if (bytes[offset] !== 0xff) throw new Error(`no marker at ${offset}`);
    const marker = bytes[offset + 1] ?? 0;
    found.push(marker);
    if (marker === 0xd8 || marker === 0xd9) {
      offset += 2;
      continue;
    }
    const length = ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0);
    offset += 2 + length;
    if (marker === 0xda) {
      // Scan data runs to the next marker that is not a stuffed 0xFF00.
      while (!(bytes[offset] === 0xff && bytes[offset + 1] !== 0x00)) offset++;
    }
  }
  return found;
}

// Decoded with Pillow while writing the double: sizes and grey levels come out exact.
describe('makeJpeg', () => {
  it('writes a baseline JPEG: SOI, tables, frame, scan, EOI', () => {
    const jpeg = makeJpeg(100, 37, 200);
    expect(markers(jpeg)).toEqual([0xd8, 0xdb, 0xc0, 0xc4, 0xc4, 0xda, 0xd9]);
    const frame = jpeg.findIndex(
      (byte, index) => byte === 0xff && jpeg[index + 1] === 0xc0,
    );
    const view = new DataView(jpeg.buffer, jpeg.byteOffset + frame);
    // Precision, height, width, one component.
    expect([
      view.getUint8(4),
      view.getUint16(5),
      view.getUint16(7),
      view.getUint8(9),
    ]).toEqual([8, 37, 100, 1]);
  });

  it('makes different bytes per grey level and stays small', () => {
    expect(makeJpeg(512, 512, 10)).not.toEqual(makeJpeg(512, 512, 11));
    expect(makeJpeg(512, 512).length).toBeLessThan(2000);
    expect(() => makeJpeg(0, 10)).toThrow(RangeError);
    expect(() => makeJpeg(10, 10, 256)).toThrow(RangeError);
  });
});
