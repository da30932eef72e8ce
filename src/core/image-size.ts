/**
 * Width and height read from an image's header (PNG, JPEG, GIF, WEBP), or undefined when
 * the header is not one of those or is cut short. Upstreams report the size they were
 * asked for, which hires fixes, upscalers and rounding change; the bytes say the truth.
 */
export function imageSize(
  bytes: Uint8Array,
): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (start: number, end: number) =>
    String.fromCharCode(...bytes.subarray(start, end));
  try {
    if (bytes[0] === 0x89 && ascii(1, 4) === 'PNG') {
      return { width: view.getUint32(16), height: view.getUint32(20) };
    }
    if (ascii(0, 4) === 'GIF8') {
      return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
    }
    if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegDimensions(bytes, view);
    if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') {
      return webpDimensions(ascii(12, 16), view);
    }
  } catch {
    // A DataView read past the end: a truncated header says nothing.
  }
  return undefined;
}

/** The frame header (SOF0–SOF15, except DHT, JPG and DAC) holds the size. */
function jpegDimensions(bytes: Uint8Array, view: DataView) {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset++; // fill byte
      continue;
    }
    const isFrame =
      marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) {
      return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    }
    offset += 2 + view.getUint16(offset + 2);
  }
  return undefined;
}

function webpDimensions(chunk: string, view: DataView) {
  switch (chunk) {
    case 'VP8 ':
      return {
        width: view.getUint16(26, true) & 0x3fff,
        height: view.getUint16(28, true) & 0x3fff,
      };
    case 'VP8L': {
      const packed = view.getUint32(21, true);
      return { width: (packed & 0x3fff) + 1, height: ((packed >> 14) & 0x3fff) + 1 };
    }
    case 'VP8X':
      return { width: uint24(view, 24) + 1, height: uint24(view, 27) + 1 };
    default:
      return undefined;
  }
}

function uint24(view: DataView, offset: number): number {
  return view.getUint16(offset, true) | (view.getUint8(offset + 2) << 16);
}
