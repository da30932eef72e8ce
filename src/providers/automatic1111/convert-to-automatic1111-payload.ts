import { sizeFromAspectRatio } from '../../core/aspect-ratio.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import { imageSize } from '../../core/image-size.js';
import { imagePrompt } from '../../core/prompt.js';
import type { FetchedImage } from '../../http/fetch-media.js';
import { type Automatic1111JobKind, maxSide } from './automatic1111-payload.js';

/** Stable Diffusion works on an 8× smaller latent, so sides are multiples of 8. */
const sideMultiple = 8;

/**
 * The size asked for; for img2img without one, the first init image's own size, scaled
 * down to fit within the largest side the payload allows.
 */
function payloadSize(request: GenerationRequest, initImages: readonly FetchedImage[]) {
  const { aspectRatio, width, height } = request;
  if (aspectRatio !== undefined || width !== undefined || height !== undefined) {
    return sizeFromAspectRatio({ aspectRatio, width, height, multipleOf: sideMultiple });
  }
  const first = initImages[0];
  const own = first === undefined ? undefined : imageSize(first.data);
  if (own === undefined) return undefined;
  const long = Math.max(own.width, own.height);
  const scaled = (value: number) => (long > maxSide ? (value * maxSide) / long : value);
  const round = (value: number) =>
    Math.max(64, Math.floor(scaled(value) / sideMultiple) * sideMultiple);
  return { width: round(own.width), height: round(own.height) };
}

/**
 * A generation request as an AUTOMATIC1111 job: `img2img` with the request's images as
 * init images, else `txt2img`. Only what the caller chose is sent; the server's defaults
 * fill the rest. `count` is the batch size, so one pass makes every image.
 */
export function convertToAutomatic1111Payload(
  request: GenerationRequest,
  initImages: readonly FetchedImage[],
): { kind: Automatic1111JobKind; payload: Record<string, unknown> } {
  const size = payloadSize(request, initImages);
  const payload: Record<string, unknown> = {
    prompt: imagePrompt(request),
    ...(request.negativePrompt === undefined
      ? {}
      : { negative_prompt: request.negativePrompt }),
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    ...(request.steps === undefined ? {} : { steps: request.steps }),
    ...(request.guidanceScale === undefined ? {} : { cfg_scale: request.guidanceScale }),
    ...(request.count === undefined ? {} : { batch_size: request.count }),
    ...(size ?? {}),
  };
  if (initImages.length === 0) return { kind: 'text2img', payload };
  const base64 = initImages.map((image) => Buffer.from(image.data).toString('base64'));
  return { kind: 'img2img', payload: { ...payload, init_images: base64 } };
}

/**
 * The payload with `model` as its checkpoint, unless it names one itself. The override is
 * kept afterwards: restoring it would reload the previous checkpoint after every job,
 * and the next job most likely wants the same one.
 */
export function withCheckpoint<Payload extends Record<string, unknown>>(
  payload: Payload,
  model: string,
): Payload {
  const overrides = (payload.override_settings ?? {}) as Record<string, unknown>;
  if (model === '' || overrides.sd_model_checkpoint !== undefined) return payload;
  return {
    ...payload,
    override_settings: { ...overrides, sd_model_checkpoint: model },
    override_settings_restore_afterwards:
      payload.override_settings_restore_afterwards ?? false,
  };
}
