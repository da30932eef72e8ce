import { crc32, deflateSync } from 'node:zlib';

/** An RGB colour, each channel 0–255. */
export type Rgb = [number, number, number];

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const DEFAULT_COLOUR: Rgb = [64, 128, 192];
const MAX_CACHED = 32;
const cache = new Map<string, Uint8Array>();

/**
 * A valid single-colour RGB PNG of the given size.
 * Results are cached by size and colour, so the same bytes are returned for repeated
 * calls: treat them as read-only.
 */
export function makePng(width: number, height: number, rgb = DEFAULT_COLOUR): Uint8Array {
  assertDimension('width', width);
  assertDimension('height', height);
  const key = `${width}x${height}:${rgb.join(',')}`;
  const cached = cache.get(key);
  if (cached) return cached;

  const png = encodePng(width, height, rgb);
  if (cache.size >= MAX_CACHED) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, png);
  return png;
}

/**
 * A valid RGB PNG of pseudo-random pixels from `seed`: as large as a PNG of that size
 * gets, for tests that need weight on the wire. Not cached.
 */
export function makeNoisePng(width: number, height: number, seed: number): Uint8Array {
  assertDimension('width', width);
  assertDimension('height', height);
  const rowLength = 1 + width * 3;
  const pixels = Buffer.alloc(rowLength * height);
  let state = seed >>> 0 || 1;
  for (let offset = 0; offset < pixels.length; offset++) {
    // xorshift32: fast, and nothing for deflate to squeeze.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    pixels[offset] = offset % rowLength === 0 ? 0 : state & 0xff;
  }
  return pngOf(width, height, pixels);
}

function encodePng(width: number, height: number, [red, green, blue]: Rgb): Buffer {
  // Each scanline is a filter byte (0: none) followed by the row's pixels.
  const rowLength = 1 + width * 3;
  const row = Buffer.alloc(rowLength);
  for (let offset = 1; offset < rowLength; offset += 3) {
    row[offset] = red;
    row[offset + 1] = green;
    row[offset + 2] = blue;
  }
  const pixels = Buffer.alloc(rowLength * height);
  for (let line = 0; line < height; line++) row.copy(pixels, line * rowLength);
  return pngOf(width, height, pixels);
}

/** The PNG of raw scanlines (each a filter byte, then RGB pixels). */
function pngOf(width: number, height: number, pixels: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour RGB
  // compression, filter and interlace methods stay 0
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, checksum]);
}

function assertDimension(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 0x7fffffff) {
    throw new RangeError(`PNG ${name} must be a positive integer, got ${value}`);
  }
}
