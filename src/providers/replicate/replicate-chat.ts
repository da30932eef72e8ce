import type { GenerationRequest } from '../../core/generation-request.js';
import type { StreamPart } from '../../core/stream-part.js';
import type { CallOptions } from '../provider.js';
import { convertToTextInput } from './convert-to-text-input.js';
import type { InputFieldsCache } from './input-fields.js';
import { predictionTarget } from './prediction-target.js';
import type { ReplicateUpstream } from './replicate-upstream.js';
import { type RunSettings, runPrediction } from './run-prediction.js';

/**
 * A text model's answer: streamed token by token from `urls.stream`, or, when the caller
 * wants it in one piece, from a create held open with `Prefer: wait` (then polling).
 */
export async function* generateChat(
  upstream: ReplicateUpstream,
  inputFields: InputFieldsCache,
  settings: RunSettings,
  request: GenerationRequest,
  options: CallOptions,
): AsyncGenerator<StreamPart> {
  const target = predictionTarget(request.model);
  const fields = await inputFields.fieldsFor(target, options.signal);
  const input = convertToTextInput(request, fields);
  const job = { target, input, text: true, stream: request.stream !== false };
  yield* runPrediction(upstream, job, settings, options.signal);
  yield { type: 'finish', reason: 'stop' };
}
