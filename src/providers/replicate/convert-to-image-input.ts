import { aspectRatioSizes, sizeFromAspectRatio } from '../../core/aspect-ratio.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import { imagePrompt } from '../../core/prompt.js';
import type { InputFields } from './input-fields.js';
import { setInput } from './input-names.js';

/**
 * The input of an image model: prompt, negative prompt, size as width/height or as an
 * aspect ratio (whichever the model takes), seed, steps, guidance and count. A size is
 * only sent when the caller chose one; each model has its own default.
 */
export function convertToImageInput(
  request: GenerationRequest,
  fields: InputFields,
): Record<string, unknown> {
  const input: Record<string, unknown> = { prompt: imagePrompt(request) };
  setInput(input, fields, ['negative_prompt'], request.negativePrompt);
  setInput(input, fields, ['seed'], request.seed);
  setInput(input, fields, ['num_inference_steps', 'steps'], request.steps);
  setInput(input, fields, ['guidance_scale', 'cfg', 'guidance'], request.guidanceScale);
  setInput(input, fields, ['num_outputs'], request.count);
  const chosen =
    request.aspectRatio !== undefined ||
    request.width !== undefined ||
    request.height !== undefined;
  if (!chosen) return input;
  // Diffusion models need sides in multiples of 8.
  const size = sizeFromAspectRatio({ ...request, multipleOf: 8 });
  if (fields === undefined || (fields.has('width') && fields.has('height'))) {
    input.width = size.width;
    input.height = size.height;
  }
  setInput(
    input,
    fields,
    ['aspect_ratio'],
    request.aspectRatio ?? nearestAspectRatio(size.width, size.height),
  );
  return input;
}

/** The supported ratio closest to width × height, for models that take only a ratio. */
export function nearestAspectRatio(width: number, height: number): string {
  const wanted = Math.log(width / height);
  let best = '1:1';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const [ratio, size] of Object.entries(aspectRatioSizes)) {
    const distance = Math.abs(Math.log(size.width / size.height) - wanted);
    if (distance < bestDistance) {
      best = ratio;
      bestDistance = distance;
    }
  }
  return best;
}
