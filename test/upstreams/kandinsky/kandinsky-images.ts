import { makeJpeg } from './make-jpeg.js';

/**
 * What the double draws: a grey JPEG at the size Kandinsky 2.1 makes (sides rounded up to
 * a multiple of 64), one shade per prompt, another for every mix. Exported so tests can
 * compare bytes.
 */
export function text2imgImage(prompt: string, width = 512, height = 512): Uint8Array {
  const shade = [...prompt].reduce((sum, character) => sum + character.charCodeAt(0), 0);
  return makeJpeg(roundUp(width), roundUp(height), shade % 256);
}

export function mixImage(width = 512, height = 512): Uint8Array {
  return makeJpeg(roundUp(width), roundUp(height), 200);
}

function roundUp(side: number): number {
  return Math.ceil(side / 64) * 64;
}

/** The image for a valid body; undefined where the model would raise (a null size). */
export function drawKandinskyImage(
  kind: string,
  payload: Record<string, unknown>,
): Uint8Array | undefined {
  const { width, height } = payload;
  if (typeof width !== 'number' || typeof height !== 'number') return undefined;
  if (width < 1 || height < 1) return undefined;
  if (kind === 'text2img') {
    return text2imgImage(String(payload.prompt), width, height);
  }
  return mixOrFail(payload);
}

/**
 * `mix2images`: a list that is not four long, or entries 1 and 2 that are not base64
 * images, raise inside the handler, which Starlette answers with a plain 500.
 */
function mixOrFail(payload: Record<string, unknown>): Uint8Array | undefined {
  const entries = payload.images_texts as unknown[];
  if (entries.length !== 4) return undefined;
  for (const entry of [entries[1], entries[2]]) {
    if (typeof entry !== 'string') return undefined;
    const bytes = Buffer.from(entry, 'base64');
    const isImage =
      (bytes[0] === 0x89 && bytes[1] === 0x50) ||
      (bytes[0] === 0xff && bytes[1] === 0xd8);
    if (!isImage) return undefined;
  }
  return mixImage(Number(payload.width), Number(payload.height));
}
