import { InvalidRequestError } from './errors.js';

/** Width × height for each supported aspect ratio, around a 1024-pixel long side. */
export const aspectRatioSizes: Readonly<
  Record<string, { width: number; height: number }>
> = {
  '1:1': { width: 1024, height: 1024 },
  '16:9': { width: 1024, height: 576 },
  '9:16': { width: 576, height: 1024 },
  '4:3': { width: 1024, height: 768 },
  '3:4': { width: 768, height: 1024 },
  '3:2': { width: 1024, height: 688 },
  '2:3': { width: 688, height: 1024 },
  '21:9': { width: 1024, height: 432 },
  '9:21': { width: 432, height: 1024 },
};

export interface SizeOptions {
  aspectRatio?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
  /** The ratio used when none is given. */
  defaultAspectRatio?: string;
  /** Sizes are rounded down to a multiple of this (8 or 16; most diffusion models need it). */
  multipleOf?: number;
}

/**
 * Width and height for an image request. Explicit values win individually over the aspect
 * ratio; the ratio fills in what is missing. An unknown ratio is the caller's error: an
 * InvalidRequestError (400) on `aspect_ratio` naming the valid ones.
 */
export function sizeFromAspectRatio(options: SizeOptions): {
  width: number;
  height: number;
} {
  const ratio = options.aspectRatio ?? options.defaultAspectRatio ?? '1:1';
  const base = aspectRatioSizes[ratio];
  if (
    base === undefined &&
    (options.width === undefined || options.height === undefined)
  ) {
    const known = Object.keys(aspectRatioSizes).join(', ');
    throw new InvalidRequestError(
      `Unknown aspect ratio "${ratio}"; use one of ${known}`,
      {
        param: 'aspect_ratio',
      },
    );
  }
  const multipleOf = options.multipleOf ?? 16;
  const round = (value: number) =>
    Math.max(multipleOf, Math.floor(value / multipleOf) * multipleOf);
  return {
    width: round(options.width ?? base?.width ?? 1024),
    height: round(options.height ?? base?.height ?? 1024),
  };
}
