import { type SizeOptions, sizeFromAspectRatio } from '../../core/aspect-ratio.js';
import { InvalidRequestError } from '../../core/errors.js';

/** `sizeFromAspectRatio`, with an unknown ratio as the caller's error (400). */
export function requestedSize(options: SizeOptions): { width: number; height: number } {
  try {
    return sizeFromAspectRatio(options);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new InvalidRequestError(error.message, { param: 'aspect_ratio', cause: error });
  }
}
