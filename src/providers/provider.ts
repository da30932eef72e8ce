import type { z } from 'zod';
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

/** The job kinds a payload executor may run. */
export type PayloadJobKind = 'text2img' | 'img2img' | 'mix2img';

/**
 * A provider that also runs jobs in its upstream's own payload format (AUTOMATIC1111,
 * Kandinsky): the Devoid executors, which the balancer spreads over their instances.
 */
export interface PayloadExecutor extends Provider {
  /** The schema of each job kind it runs; a kind it lacks is not run here. */
  readonly payloadSchemas: Readonly<Partial<Record<PayloadJobKind, z.ZodType>>>;
  generatePayload(
    kind: PayloadJobKind,
    payload: unknown,
    options: CallOptions & { model?: string },
  ): AsyncIterable<StreamPart>;
  /** Resolves when the upstream answers as it should; for health checks. */
  ping(signal: AbortSignal): Promise<void>;
}

export function isPayloadExecutor(provider: Provider): provider is PayloadExecutor {
  return 'generatePayload' in provider && 'payloadSchemas' in provider;
}
