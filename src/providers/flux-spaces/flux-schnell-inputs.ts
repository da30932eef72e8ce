import { sizeFromAspectRatio } from '../../core/aspect-ratio.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import { imagePrompt } from '../../core/prompt.js';
import type { SpaceInputs } from './flux-space-app.js';

/** The Space's own default size: 768×768. */
const defaultSide = 768;

/** Down to a multiple of 8, at least 32, as the Space needs. */
function side(value: number): number {
  return Math.max(32, Math.floor(value / 8) * 8);
}

/**
 * FLUX.1-schnell's inputs: prompt, seed, randomize_seed, width, height,
 * num_inference_steps. 768×768 and 2 steps unless given; an aspect ratio, when given,
 * sets the size like elsewhere. Without a seed the Space picks one.
 */
export function fluxSchnellInputs(
  request: GenerationRequest,
  seed: number | undefined,
): SpaceInputs {
  const size =
    request.aspectRatio === undefined
      ? { width: request.width ?? defaultSide, height: request.height ?? defaultSide }
      : sizeFromAspectRatio({
          aspectRatio: request.aspectRatio,
          width: request.width,
          height: request.height,
          multipleOf: 8,
        });
  const width = side(size.width);
  const height = side(size.height);
  return {
    data: [
      imagePrompt(request).trim(),
      seed ?? 0,
      seed === undefined,
      width,
      height,
      request.steps ?? 2,
    ],
    width,
    height,
  };
}
