import type { Logger } from '../../core/logger.js';
import type { ModelCatalog } from '../../core/model-catalog.js';
import type { CallOptions } from '../provider.js';
import { sdModelsResponseSchema } from './automatic1111-api.js';
import type { Automatic1111Settings } from './automatic1111-settings.js';
import type { Automatic1111Upstream } from './automatic1111-upstream.js';

const listTimeoutMs = 10_000;
/** After a failed listing, ask again this soon rather than after the whole cache time. */
const retryListingAfterMs = 30_000;

/** Checkpoints are image models; the first is the default. */
function catalogFrom(
  models: readonly string[],
  aliases: Readonly<Record<string, string>>,
): ModelCatalog {
  const [first] = models;
  return {
    textModels: [],
    imageModels: models,
    visionModels: [],
    ...(first === undefined ? {} : { defaultImageModel: first }),
    aliases,
  };
}

/**
 * The instance's checkpoints: the configured `models` when given, else the server's
 * `/sdapi/v1/sd-models` by name (`v1-5-pruned-emaonly`), with each full title
 * (`v1-5-pruned-emaonly.safetensors [6ce0161689]`) as an alias. An unreachable server
 * gives an empty catalog for a short while, so routing goes on without it.
 */
export class Automatic1111Models {
  private cached: { catalog: ModelCatalog; expiresAt: number } | undefined;
  private pending: Promise<ModelCatalog> | undefined;

  constructor(
    private readonly upstream: Automatic1111Upstream,
    private readonly settings: Automatic1111Settings,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    if (settings.models !== undefined) {
      const catalog = catalogFrom(settings.models, settings.aliases);
      this.cached = { catalog, expiresAt: Number.POSITIVE_INFINITY };
    }
  }

  catalog(options: CallOptions): Promise<ModelCatalog> {
    if (this.cached !== undefined && this.cached.expiresAt > this.now()) {
      return Promise.resolve(this.cached.catalog);
    }
    // Concurrent callers share one listing request.
    this.pending ??= this.list(options).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async list(options: CallOptions): Promise<ModelCatalog> {
    try {
      const response = await this.upstream.get('/sd-models', {
        signal: options.signal,
        timeoutMs: listTimeoutMs,
      });
      const listed = await this.upstream.read(
        response,
        sdModelsResponseSchema,
        'model list',
      );
      const titles = Object.fromEntries(
        listed
          .filter((model) => model.title !== model.model_name)
          .map((model) => [model.title, model.model_name]),
      );
      const catalog = catalogFrom(
        listed.map((model) => model.model_name),
        { ...titles, ...this.settings.aliases },
      );
      this.cached = { catalog, expiresAt: this.now() + this.settings.modelsCacheMs };
      return catalog;
    } catch (error) {
      if (options.signal.aborted) throw error;
      this.logger.warn(
        { provider: this.upstream.id, error: String(error) },
        'could not list the checkpoints; serving none until the next try',
      );
      const catalog = catalogFrom([], this.settings.aliases);
      this.cached = { catalog, expiresAt: this.now() + retryListingAfterMs };
      return catalog;
    }
  }
}
