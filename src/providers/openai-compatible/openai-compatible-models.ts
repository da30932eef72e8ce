import type { Logger } from '../../core/logger.js';
import type { ModelCatalog } from '../../core/model-catalog.js';
import type { CallOptions } from '../provider.js';
import { modelListSchema } from './openai-compatible-api.js';
import type { OpenAICompatibleSettings } from './openai-compatible-settings.js';
import type { OpenAICompatibleUpstream } from './openai-compatible-upstream.js';

// `/models` does not say what a model does; these names are image models at OpenAI and
// on the common self-hosted servers.
const imageModelPattern = /dall-e|gpt-image|flux|stable-diffusion|sdxl|imagen/i;
const listTimeoutMs = 10_000;
/** After a failed listing, ask again this soon rather than after the whole cache time. */
const retryListingAfterMs = 30_000;

function catalogFrom(
  settings: OpenAICompatibleSettings,
  listed: readonly string[],
): ModelCatalog {
  const textModels =
    settings.models ?? listed.filter((id) => !imageModelPattern.test(id));
  const imageModels =
    settings.imageModels ?? listed.filter((id) => imageModelPattern.test(id));
  const defaultTextModel = settings.defaultModel ?? textModels[0];
  const defaultImageModel = settings.defaultImageModel ?? imageModels[0];
  return {
    textModels,
    imageModels,
    visionModels: settings.visionModels ?? [],
    ...(defaultTextModel === undefined ? {} : { defaultTextModel }),
    ...(defaultImageModel === undefined ? {} : { defaultImageModel }),
    ...(settings.visionModels?.[0] === undefined
      ? {}
      : { defaultVisionModel: settings.visionModels[0] }),
    aliases: settings.aliases,
  };
}

/**
 * The instance's catalog: the configured lists when both are given, else the upstream's
 * `/models`, cached. An unreachable upstream gives the configured part only, and is
 * asked again soon.
 */
export class OpenAICompatibleModels {
  private cached: { catalog: ModelCatalog; expiresAt: number } | undefined;
  private pending: Promise<ModelCatalog> | undefined;

  constructor(
    private readonly upstream: OpenAICompatibleUpstream,
    private readonly settings: OpenAICompatibleSettings,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    if (settings.models !== undefined && settings.imageModels !== undefined) {
      this.cached = {
        catalog: catalogFrom(settings, []),
        expiresAt: Number.POSITIVE_INFINITY,
      };
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
      const response = await this.upstream.get('/models', {
        ...options,
        timeoutMs: listTimeoutMs,
      });
      const body = modelListSchema.parse(await response.json());
      const catalog = catalogFrom(
        this.settings,
        body.data.map((model) => model.id),
      );
      this.cached = { catalog, expiresAt: this.now() + this.settings.modelsCacheMs };
      return catalog;
    } catch (error) {
      if (options.signal.aborted) throw error;
      this.logger.warn(
        { provider: this.upstream.id, error: String(error) },
        'could not list the upstream models; using the configured ones',
      );
      const catalog = catalogFrom(this.settings, []);
      this.cached = { catalog, expiresAt: this.now() + retryListingAfterMs };
      return catalog;
    }
  }
}
