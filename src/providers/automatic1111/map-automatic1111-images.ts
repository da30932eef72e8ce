import { ResponseParseError } from '../../core/errors.js';
import { imageSize } from '../../core/image-size.js';
import { detectImageType } from '../../core/media.js';
import type { ImagePart } from '../../core/stream-part.js';
import { type GenerationInfo, generationInfoSchema } from './automatic1111-api.js';
import { decodeBase64Image } from './map-automatic1111-progress.js';

/** `info` as its document; undefined when it is missing or not the promised JSON. */
export function parseGenerationInfo(
  info: string | null | undefined,
): GenerationInfo | undefined {
  if (!info) return undefined;
  try {
    const parsed = generationInfoSchema.safeParse(JSON.parse(info));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The generated images as parts, each with its seed. A grid image (when the server makes
 * one, it comes first and `index_of_first_image` says so) and images that extensions
 * append after the generated ones (ControlNet's detected maps) are left out.
 */
export function mapAutomatic1111Images(
  images: readonly string[],
  info: GenerationInfo | undefined,
  source: { provider: string; describe: string },
): ImagePart[] {
  const first = info?.index_of_first_image ?? 0;
  const seeds =
    info?.all_seeds ??
    (info?.seed === undefined || info.seed === null ? [] : [info.seed]);
  const generated = images.slice(
    first,
    seeds.length > 0 ? first + seeds.length : undefined,
  );
  return generated.map((encoded, index) => {
    const data = decodeBase64Image(encoded);
    const mediaType = detectImageType(data);
    if (mediaType === undefined) {
      throw new ResponseParseError(
        `${source.describe} returned an image that is not one`,
        {
          provider: source.provider,
        },
      );
    }
    const size = imageSize(data) ?? knownSize(info);
    const seed = seeds[index];
    return {
      type: 'image',
      data,
      mediaType,
      ...size,
      ...(seed === undefined ? {} : { seed }),
    };
  });
}

function knownSize(info: GenerationInfo | undefined) {
  if (typeof info?.width !== 'number' || typeof info.height !== 'number') return {};
  return { width: info.width, height: info.height };
}
