import { InvalidRequestError } from '../../core/errors.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import type { ImagesRequest } from './images-schema.js';

/** `1024x1024` as width and height; `auto` (or none) leaves the choice to the provider. */
function parseSize(size: string | undefined): { width?: number; height?: number } {
  if (size === undefined || size === 'auto') return {};
  const [width, height] = size.split('x').map(Number) as [number, number];
  for (const value of [width, height]) {
    if (value < 64 || value > 4096) {
      throw new InvalidRequestError(
        'size: each side must be between 64 and 4096 pixels',
        {
          param: 'size',
        },
      );
    }
  }
  return { width, height };
}

/** The OpenAI images request as genrelay's generation request. */
export function convertImagesRequest(body: ImagesRequest): GenerationRequest {
  const size = parseSize(body.size);
  const width = body.width ?? size.width;
  const height = body.height ?? size.height;
  return {
    kind: 'image',
    model: body.model,
    messages: [{ role: 'user', content: body.prompt }],
    prompt: body.prompt,
    count: body.n,
    ...(width === undefined ? {} : { width }),
    ...(height === undefined ? {} : { height }),
    ...(body.aspect_ratio === undefined ? {} : { aspectRatio: body.aspect_ratio }),
    ...(body.seed === undefined ? {} : { seed: body.seed }),
    ...(body.negative_prompt === undefined
      ? {}
      : { negativePrompt: body.negative_prompt }),
    ...(body.steps === undefined ? {} : { steps: body.steps }),
    ...(body.guidance_scale === undefined ? {} : { guidanceScale: body.guidance_scale }),
    ...(body.user === undefined ? {} : { user: body.user }),
  };
}
