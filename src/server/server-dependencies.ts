import type { ResultStorage } from '../balancer/result-storage.js';
import type { GenerationRequest } from '../core/generation-request.js';
import type { Logger } from '../core/logger.js';
import type { StreamPart } from '../core/stream-part.js';
import type { CallOptions } from '../providers/provider.js';
import type { ProviderHealthStatus } from '../router/provider-health.js';
import type { ModelListing } from '../router/router.js';

/** What the HTTP server needs from the layers below; tests hand in their own. */
export interface ServerDependencies {
  /** Runs a generation (through the router, or the balancer in front of it). */
  generate(request: GenerationRequest, options: CallOptions): AsyncIterable<StreamPart>;
  listModels(options: CallOptions): Promise<ModelListing[]>;
  providerStatus(): ProviderHealthStatus[];
  storage: ResultStorage;
  logger: Logger;
  /** Bearer keys clients must send; empty means open. */
  apiKeys: readonly string[];
  maxBodyBytes: number;
  /** The address clients reach the server at; else taken from each request. */
  publicUrl?: string | undefined;
  allowPrivateMediaUrls: boolean;
}
