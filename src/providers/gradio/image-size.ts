/**
 * Width and height from an image's header (PNG, GIF, WEBP, JPEG), or undefined when the
 * bytes do not say. Only the header is read; the image is not decoded.
 */
export function imageSize(
  bytes: Uint8Array,
): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (start: number, end: number) =>
    String.fromCharCode(...bytes.subarray(start, end));
  try {
    if (ascii(1, 4) === 'PNG' && ascii(12, 16) === 'IHDR') {
      return { width: view.getUint32(16), height: view.getUint32(20) };
    }
    if (ascii(0, 3) === 'GIF') {
      return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
    }
    if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return webpSize(bytes, view);
    if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(bytes, view);
  } catch {
    // A header cut short (RangeError) says nothing.
  }
  return undefined;
}

function webpSize(bytes: Uint8Array, view: DataView) {
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  const uint24 = (offset: number) =>
    view.getUint8(offset) |
    (view.getUint8(offset + 1) << 8) |
    (view.getUint8(offset + 2) << 16);
  if (chunk === 'VP8X') return { width: uint24(24) + 1, height: uint24(27) + 1 };
  if (chunk === 'VP8 ') {
    return {
      width: view.getUint16(26, true) & 0x3fff,
      height: view.getUint16(28, true) & 0x3fff,
    };
  }
  if (chunk === 'VP8L') {
    const bits = view.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  return undefined;
}

/** The first start-of-frame marker (SOF0–SOF15 except DHT, JPG and DAC) holds the size. */
function jpegSize(bytes: Uint8Array, view: DataView) {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1] ?? 0;
    const isFrame =
      marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) {
      return { width: view.getUint16(offset + 7), height: view.getUint16(offset + 5) };
    }
    offset += 2 + view.getUint16(offset + 2);
  }
  return undefined;
}
