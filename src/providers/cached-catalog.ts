import type { Logger } from '../core/logger.js';
import type { ModelCatalog } from '../core/model-catalog.js';
import { untilAborted } from '../http/until-aborted.js';
import type { CallOptions } from './provider.js';

export interface CachedCatalogOptions {
  /** Asks the upstream for its models; throws when it cannot. */
  list(options: CallOptions): Promise<ModelCatalog>;
  /** What is served while the upstream cannot be asked: the configured part, or a fallback. */
  fallback(): ModelCatalog;
  /** A catalog fully known without asking (everything configured); served for good. */
  fixed?: ModelCatalog | undefined;
  /** How long a listing is trusted. */
  ttlMs: number;
  /** The provider instance, for the log line when listing fails. */
  provider: string;
  logger: Logger;
  now?: () => number;
}

/** After a failed listing, ask again this soon rather than after the whole cache time. */
const retryAfterFailureMs = 30_000;
/** The bound on one shared listing, whoever is waiting for it. */
const listingTimeoutMs = 30_000;

/**
 * A provider's model catalog learnt from its upstream: cached for a while, one listing
 * shared by concurrent callers, and a fallback (asked again soon) when the upstream
 * cannot be reached, so routing goes on without it.
 */
export class CachedCatalog {
  private cached: { catalog: ModelCatalog; expiresAt: number } | undefined;
  private pending: Promise<ModelCatalog> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: CachedCatalogOptions) {
    this.now = options.now ?? Date.now;
    if (options.fixed !== undefined) {
      this.cached = { catalog: options.fixed, expiresAt: Number.POSITIVE_INFINITY };
    }
  }

  catalog(options: CallOptions): Promise<ModelCatalog> {
    if (this.cached !== undefined && this.cached.expiresAt > this.now()) {
      return Promise.resolve(this.cached.catalog);
    }
    // One listing serves every caller, so it runs on its own bounded signal: a caller that
    // gives up stops waiting without failing the others.
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return untilAborted(this.pending, options.signal);
  }

  private async refresh(): Promise<ModelCatalog> {
    try {
      const catalog = await this.options.list({
        signal: AbortSignal.timeout(listingTimeoutMs),
      });
      this.cached = { catalog, expiresAt: this.now() + this.options.ttlMs };
      return catalog;
    } catch (error) {
      this.options.logger.warn(
        { provider: this.options.provider, error: String(error) },
        'could not list the upstream models; serving the configured or fallback ones',
      );
      const catalog = this.options.fallback();
      this.cached = { catalog, expiresAt: this.now() + retryAfterFailureMs };
      return catalog;
    }
  }
}
