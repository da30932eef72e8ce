import { sizeFromAspectRatio } from '../../core/aspect-ratio.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import { imagePrompt } from '../../core/prompt.js';
import type { SpaceInputs } from './flux-space-app.js';

/**
 * FLUX.1-dev's inputs: prompt, seed, randomize_seed, width, height, guidance_scale,
 * num_inference_steps. Without a seed the Space picks one (and reports it); the size
 * comes from the aspect ratio (1:1 → 1024×1024) unless given; guidance 3.5 and 28 steps
 * unless given.
 */
export function fluxDevInputs(
  request: GenerationRequest,
  seed: number | undefined,
): SpaceInputs {
  const { width, height } = sizeFromAspectRatio({
    aspectRatio: request.aspectRatio,
    width: request.width,
    height: request.height,
    defaultAspectRatio: '1:1',
    multipleOf: 16,
  });
  const data = [
    imagePrompt(request).trim(),
    seed ?? 0,
    seed === undefined,
    width,
    height,
    request.guidanceScale ?? 3.5,
    request.steps ?? 28,
  ];
  return { data, width, height };
}
