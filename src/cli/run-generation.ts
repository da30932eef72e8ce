import { GenRelayError } from '../core/errors.js';
import type { GenerationRequest } from '../core/generation-request.js';
import type { StreamPart } from '../core/stream-part.js';
import type { Runtime } from '../runtime/create-runtime.js';
import type { CliIo } from './cli-io.js';

/**
 * Without `--model` the router looks for a default model and reports the empty name as
 * unknown; say instead that nothing serves this kind of model.
 */
function explainMissingDefault(error: unknown, request: GenerationRequest): unknown {
  if (!GenRelayError.isInstance(error) || error.code !== 'model_not_found') return error;
  if (request.model !== '') return error;
  return new GenRelayError({
    message: `No configured provider serves ${request.kind} models (see \`genrelay providers\`).`,
    code: 'model_not_found',
    status: 404,
    param: 'model',
    cause: error,
  });
}

/**
 * Runs one request in this process through the router, handing each part to `onPart` in
 * order and waiting for it (an image is written before the next part is read). Ctrl-C
 * aborts the request, which then fails with a CanceledError.
 */
export async function runGeneration(
  runtime: Runtime,
  request: GenerationRequest,
  io: CliIo,
  onPart: (part: StreamPart) => Promise<void> | void,
): Promise<void> {
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => controller.abort());
  try {
    for await (const part of runtime.router.generate(request, {
      signal: controller.signal,
    })) {
      await onPart(part);
    }
  } catch (error) {
    throw explainMissingDefault(error, request);
  } finally {
    stopListening();
  }
}
