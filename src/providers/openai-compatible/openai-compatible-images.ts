import { sizeFromAspectRatio } from '../../core/aspect-ratio.js';
import { ResponseParseError, UpstreamError } from '../../core/errors.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import { detectImageType } from '../../core/media.js';
import { imagePrompt } from '../../core/prompt.js';
import type { StreamPart } from '../../core/stream-part.js';
import type { CallOptions } from '../provider.js';
import { imagesResponseSchema } from './openai-compatible-api.js';
import type { OpenAICompatibleUpstream } from './openai-compatible-upstream.js';

/** The `size` field, sent only when the caller chose a size: each model accepts its own few. */
function requestedSize(request: GenerationRequest) {
  const chosen =
    request.aspectRatio !== undefined ||
    request.width !== undefined ||
    request.height !== undefined;
  return chosen ? sizeFromAspectRatio(request) : undefined;
}

async function imageBytes(
  upstream: OpenAICompatibleUpstream,
  entry: { url?: string | null | undefined; b64_json?: string | null | undefined },
  options: CallOptions,
): Promise<Uint8Array> {
  if (entry.b64_json) return new Uint8Array(Buffer.from(entry.b64_json, 'base64'));
  if (!entry.url) {
    throw new ResponseParseError(
      `${upstream.describe()} returned an image without data`,
      {
        provider: upstream.id,
      },
    );
  }
  // The upstream's own links expire (an hour at OpenAI), so the image is kept, not linked.
  const response = await upstream.get(entry.url, options);
  return response.bytes();
}

/** Images from `/images/generations`, downloaded so they can be stored and served by us. */
export async function* generateImages(
  upstream: OpenAICompatibleUpstream,
  request: GenerationRequest,
  options: CallOptions,
): AsyncGenerator<StreamPart> {
  const size = requestedSize(request);
  const response = await upstream.post(
    '/images/generations',
    {
      model: request.model,
      prompt: imagePrompt(request),
      n: request.count ?? 1,
      ...(size === undefined ? {} : { size: `${size.width}x${size.height}` }),
      user: request.user,
    },
    options,
  );
  const body = upstream.validate(
    imagesResponseSchema,
    upstream.parseJson(await response.text(), 'an images response'),
    'images response',
  );
  if (body.data.length === 0) {
    throw new UpstreamError(`${upstream.describe()} returned no images`, {
      provider: upstream.id,
    });
  }
  for (const entry of body.data) {
    const data = await imageBytes(upstream, entry, options);
    const mediaType = detectImageType(data);
    if (mediaType === undefined) {
      throw new ResponseParseError(
        `${upstream.describe()} returned bytes that are not an image`,
        {
          provider: upstream.id,
        },
      );
    }
    yield {
      type: 'image',
      data,
      mediaType,
      ...(size ?? {}),
      ...(entry.revised_prompt ? { alt: entry.revised_prompt } : {}),
    };
  }
  yield { type: 'finish', reason: 'stop' };
}
