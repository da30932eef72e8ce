import type { GenerationRequest } from '../core/generation-request.js';
import type { StreamPart } from '../core/stream-part.js';
import type { Runtime } from '../runtime/create-runtime.js';
import type { CliIo } from './cli-io.js';

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
  } finally {
    stopListening();
  }
}
