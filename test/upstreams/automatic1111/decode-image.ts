import { HttpException } from './http-exception.js';

const signatures: number[][] = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x52, 0x49, 0x46, 0x46], // RIFF (WEBP)
];

/**
 * `decode_base64_to_image`: an http(s) URL is refused (the double runs with
 * `api_enable_requests` off), a `data:image/…` prefix is dropped, and what is left must
 * decode to an image PIL can open.
 */
export function decodeBase64ToImage(encoding: string): Uint8Array {
  if (/^https?:\/\//.test(encoding)) throw new HttpException(500, 'Requests not allowed');
  const base64 = encoding.startsWith('data:image/')
    ? (encoding.split(';')[1]?.split(',')[1] ?? '')
    : encoding;
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  const known = signatures.some((signature) =>
    signature.every((byte, index) => bytes[index] === byte),
  );
  if (!known) throw new HttpException(500, 'Invalid encoded image');
  return bytes;
}
