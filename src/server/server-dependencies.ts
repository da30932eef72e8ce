import type { Balancer } from '../balancer/balancer.js';
import type { InstanceStatus } from '../balancer/instance-pool.js';
import type { JobKind } from '../balancer/job.js';
import type { LaneDirectory } from '../balancer/lane-directory.js';
import type { ResultStorage } from '../balancer/result-storage.js';
import type { GenerationRequest } from '../core/generation-request.js';
import type { Logger } from '../core/logger.js';
import type { CallOptions } from '../providers/provider.js';
import type { ProviderHealthStatus } from '../router/provider-health.js';
import type { ModelListing } from '../router/router.js';
import type { ServiceAuth } from './service-auth.js';

/** What the HTTP server needs from the layers below. */
export interface ServerDependencies {
  /** Every generation goes through its queue. */
  balancer: Balancer;
  lanes: LaneDirectory;
  /** Throws ModelNotFoundError (404) when no provider serves the request's model. */
  checkRoute(request: GenerationRequest, signal: AbortSignal): Promise<void>;
  /**
   * Checks a job's prompt before it is queued, when asked (or when the server moderates
   * everything); throws ModerationError naming the reason.
   */
  moderate(
    kind: JobKind,
    payload: unknown,
    requested: boolean,
    signal: AbortSignal,
  ): Promise<void>;
  /** A job's webhook URL checked (a 400 naming `webhook` otherwise), as it is stored. */
  checkWebhook(url: string): string;
  listModels(options: CallOptions): Promise<ModelListing[]>;
  providerStatus(): ProviderHealthStatus[];
  instanceStatus(): InstanceStatus[];
  storage: ResultStorage;
  logger: Logger;
  auth: ServiceAuth;
  maxBodyBytes: number;
  /** The address clients reach the server at; else taken from each request. */
  publicUrl?: string | undefined;
  allowPrivateMediaUrls: boolean;
}
