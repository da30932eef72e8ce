import { makeNoisePng, makePng, type Rgb } from '../png.js';

/**
 * The images the double draws, exported so tests can compare bytes exactly (as plain
 * Uint8Arrays, like the parts providers yield). Each seed has its own colour, so an image
 * shows which seed made it.
 */
export function seedColour(seed: number): Rgb {
  return [seed & 0xff, (seed >>> 8) & 0xff, (seed >>> 16) & 0xff];
}

/** The finished image for a seed. */
export function generatedImage(width: number, height: number, seed: number): Uint8Array {
  return new Uint8Array(makePng(width, height, seedColour(seed)));
}

/**
 * The in-progress image at a step: an eighth of the size, as the cheap approximation is;
 * `noisy`, of random pixels, so it weighs what a real preview does on the wire.
 */
export function previewImage(
  width: number,
  height: number,
  step: number,
  noisy = false,
): Uint8Array {
  if (noisy)
    return new Uint8Array(
      makeNoisePng(Math.max(1, width >> 3), Math.max(1, height >> 3), step),
    );
  const shade = Math.min(255, step * 10);
  const preview = makePng(Math.max(1, width >> 3), Math.max(1, height >> 3), [
    shade,
    shade,
    shade,
  ]);
  return new Uint8Array(preview);
}

/** The grid of a batch: the images side by side, as a white sheet of their total size. */
export function gridImage(width: number, height: number, count: number): Uint8Array {
  const columns = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  return new Uint8Array(makePng(width * columns, height * rows, [255, 255, 255]));
}
