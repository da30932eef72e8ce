import { InvalidRequestError } from '../../core/errors.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import { mergeMedia } from '../../core/media.js';
import type { ModelCatalog } from '../../core/model-catalog.js';
import { type FetchedImage, fetchRequestImages } from '../../http/fetch-media.js';

/** chat-ui refuses files above 10 MB; refusing them here gives the clearer message. */
const maxImageBytes = 10 * 1024 * 1024;

/**
 * The images of the request's last user turn, as bytes: decoded or downloaded from public
 * https URLs (never local paths). A model that does not accept images refuses them with
 * an InvalidRequestError that names the models that do. The catalog is asked for only
 * when there are images.
 */
export async function prepareImages(
  request: GenerationRequest,
  catalog: () => Promise<ModelCatalog>,
  provider: string,
  options: { signal: AbortSignal; allowPrivateAddresses: boolean },
): Promise<FetchedImage[]> {
  const sources = mergeMedia(request);
  if (sources.length === 0) return [];
  const { visionModels } = await catalog();
  if (!visionModels.includes(request.model)) {
    const vision = visionModels.join(', ') || 'none';
    throw new InvalidRequestError(
      `The model "${request.model}" of huggingchat "${provider}" does not accept images; models that do: ${vision}.`,
      { param: 'messages', provider },
    );
  }
  return fetchRequestImages(request, { ...options, maxBytes: maxImageBytes });
}
