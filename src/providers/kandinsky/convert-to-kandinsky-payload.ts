import { sizeFromAspectRatio } from '../../core/aspect-ratio.js';
import { InvalidRequestError } from '../../core/errors.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import { imagePrompt } from '../../core/prompt.js';
import type { FetchedImage } from '../../http/fetch-media.js';
import type { KandinskyJobKind } from './kandinsky-payload.js';

/** Kandinsky 2.1 rounds sides up to a multiple of 64; asking for one gets that size. */
const sideMultiple = 64;

type Weights = [number, number, number, number];

function options(request: GenerationRequest): Record<string, unknown> {
  const { aspectRatio, width, height } = request;
  const sized = aspectRatio !== undefined || width !== undefined || height !== undefined;
  const size = sized
    ? sizeFromAspectRatio({ aspectRatio, width, height, multipleOf: sideMultiple })
    : {};
  const negative = request.negativePrompt;
  return {
    ...(request.steps === undefined ? {} : { steps: request.steps }),
    // The API takes whole numbers only.
    ...(request.guidanceScale === undefined
      ? {}
      : { guidance_scale: Math.max(1, Math.round(request.guidanceScale)) }),
    ...size,
    ...(negative === undefined
      ? {}
      : { negative_prior_prompt: negative, negative_decoder_prompt: negative }),
  };
}

/**
 * Refuses an image count the API cannot take: none (text2img) or exactly two (mix2img).
 * Called before anything is downloaded as well.
 */
export function checkKandinskyImageCount(count: number): void {
  if (count === 0 || count === 2) return;
  throw new InvalidRequestError(
    `Kandinsky mixes exactly two images with the prompt; the request has ${count}`,
    { param: 'images' },
  );
}

/**
 * A generation request as a Kandinsky job: `text2img` without images, `mix2img` with
 * exactly two, mixed with the prompt as [prompt, image, image, ""] — the shape the API
 * insists on. Without configured weights the prompt and the images weigh the same (the
 * images alone when there is no prompt) and the empty second text nothing.
 */
export function convertToKandinskyPayload(
  request: GenerationRequest,
  images: readonly FetchedImage[],
  mixWeights: Weights | undefined,
): { kind: KandinskyJobKind; payload: Record<string, unknown> } {
  checkKandinskyImageCount(images.length);
  const prompt = imagePrompt(request);
  const [first, second] = images;
  if (first === undefined || second === undefined) {
    return { kind: 'text2img', payload: { prompt, ...options(request) } };
  }
  const encode = (image: FetchedImage) => Buffer.from(image.data).toString('base64');
  const third = 1 / 3;
  const weights: Weights =
    mixWeights ?? (prompt === '' ? [0, 0.5, 0.5, 0] : [third, third, third, 0]);
  return {
    kind: 'mix2img',
    payload: {
      images_texts: [prompt, encode(first), encode(second), ''],
      weights,
      ...options(request),
    },
  };
}
