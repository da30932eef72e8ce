import { ResponseParseError } from '../../core/errors.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import { imageSize } from '../../core/image-size.js';
import { detectImageType, parseDataUri } from '../../core/media.js';
import { imagePrompt } from '../../core/prompt.js';
import type { StreamPart } from '../../core/stream-part.js';
import type { CallOptions } from '../provider.js';
import { convertToImageInput } from './convert-to-image-input.js';
import type { InputFieldsCache } from './input-fields.js';
import { seedFromLogs } from './prediction-logs.js';
import { outputFileUrls } from './prediction-output.js';
import { predictionTarget } from './prediction-target.js';
import type { ReplicateUpstream } from './replicate-upstream.js';
import { type RunSettings, runPrediction } from './run-prediction.js';

/**
 * An image model's pictures. The output files are downloaded here, because Replicate's
 * links expire within an hour: genrelay stores and serves the bytes itself.
 */
export async function* generateImages(
  upstream: ReplicateUpstream,
  inputFields: InputFieldsCache,
  settings: RunSettings,
  request: GenerationRequest,
  options: CallOptions,
): AsyncGenerator<StreamPart> {
  const target = predictionTarget(request.model);
  const fields = await inputFields.fieldsFor(target, options.signal);
  const input = convertToImageInput(request, fields);
  const job = { target, input, text: false, stream: false };
  const prediction = yield* runPrediction(upstream, job, settings, options.signal);
  const seed = request.seed ?? seedFromLogs(prediction.logs);
  for (const url of outputFileUrls(prediction.output, upstream)) {
    const data = await fileBytes(upstream, url, options.signal);
    const mediaType = detectImageType(data);
    if (mediaType === undefined) {
      throw new ResponseParseError(
        `${upstream.describe()} returned a file that is not an image: ${url.slice(0, 80)}`,
        { provider: upstream.id },
      );
    }
    yield {
      type: 'image',
      data,
      mediaType,
      ...imageSize(data),
      ...(seed === undefined ? {} : { seed }),
      alt: imagePrompt(request),
    };
  }
  yield { type: 'finish', reason: 'stop' };
}

/** A data URL's bytes as they are; any other URL is downloaded. */
async function fileBytes(
  upstream: ReplicateUpstream,
  url: string,
  signal: AbortSignal,
): Promise<Uint8Array> {
  if (!url.startsWith('data:')) return upstream.download(url, signal);
  const parsed = parseDataUri(url);
  if (parsed === undefined) {
    throw new ResponseParseError(`${upstream.describe()} returned a broken data URL`, {
      provider: upstream.id,
    });
  }
  return parsed.data;
}
