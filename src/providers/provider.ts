import type { GenerationRequest } from '../core/generation-request.js';
import type { ModelCatalog } from '../core/model-catalog.js';
import type { StreamPart } from '../core/stream-part.js';

export interface CallOptions {
  /** Aborting it stops the call, and cancels the upstream job where the protocol allows. */
  signal: AbortSignal;
}

/**
 * One configured upstream. `generate` receives the request with `model` already resolved
 * to one of the provider's own ids, streams parts, and throws a GenRelayError on failure.
 */
export interface Provider {
  /** The instance name from the configuration (`local`, `blackforestlabs-flux1dev`). */
  readonly id: string;
  /** The provider type (`openai-compatible`, …). */
  readonly type: string;
  /** A display name. */
  readonly label: string;
  /** The models it serves now; may ask the upstream, and caches what it learns. */
  models(options: CallOptions): Promise<ModelCatalog>;
  generate(request: GenerationRequest, options: CallOptions): AsyncIterable<StreamPart>;
}
