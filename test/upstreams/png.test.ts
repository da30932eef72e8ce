import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makePng } from './png.js';

interface PngChunk {
  type: string;
  data: Buffer;
}

/** Splits a PNG into its chunks, checking each CRC on the way. */
function readChunks(png: Uint8Array): PngChunk[] {
  const bytes = Buffer.from(png);
  const chunks: PngChunk[] = [];
  let offset = 8;
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const typeAndData = bytes.subarray(offset + 4, offset + 8 + length);
    expect(bytes.readUInt32BE(offset + 8 + length)).toBe(crc32(typeAndData));
    chunks.push({
      type: typeAndData.subarray(0, 4).toString('latin1'),
      data: typeAndData.subarray(4),
    });
    offset += 12 + length;
  }
  return chunks;
}

describe('makePng', () => {
  it('writes the signature, IHDR, IDAT and IEND with valid CRCs', () => {
    const png = makePng(3, 2, [10, 20, 30]);
    expect([...png.subarray(0, 8)]).toEqual([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ]);

    const chunks = readChunks(png);
    expect(chunks.map((chunk) => chunk.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const header = chunks[0]?.data;
    expect(header?.readUInt32BE(0)).toBe(3);
    expect(header?.readUInt32BE(4)).toBe(2);
    expect([header?.[8], header?.[9]]).toEqual([8, 2]);
  });

  it('compresses scanlines that inflate back to the requested pixels', () => {
    const png = makePng(3, 2, [10, 20, 30]);
    const idat = readChunks(png).find((chunk) => chunk.type === 'IDAT');
    const pixels = inflateSync(idat?.data ?? Buffer.alloc(0));
    const row = [0, 10, 20, 30, 10, 20, 30, 10, 20, 30];
    expect([...pixels]).toEqual([...row, ...row]);
  });

  it('reads back large sizes and caches by size and colour', () => {
    const png = makePng(1792, 1024);
    const header = readChunks(png)[0]?.data;
    expect([header?.readUInt32BE(0), header?.readUInt32BE(4)]).toEqual([1792, 1024]);
    expect(makePng(1792, 1024)).toBe(png);
    expect(makePng(1792, 1024, [0, 0, 0])).not.toBe(png);
  });

  it('rejects sizes a PNG cannot have', () => {
    expect(() => makePng(0, 10)).toThrow(RangeError);
    expect(() => makePng(10, 1.5)).toThrow(RangeError);
  });
});
