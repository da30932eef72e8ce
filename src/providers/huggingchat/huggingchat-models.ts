import type { Logger } from '../../core/logger.js';
import type { ModelCatalog } from '../../core/model-catalog.js';
import type { CallOptions } from '../provider.js';
import {
  fallbackTextModels,
  fallbackVisionModels,
  huggingChatAliases,
} from './fallback-models.js';
import { modelListSchema, superjsonSchema } from './huggingchat-api.js';
import type { HuggingChatSettings } from './huggingchat-settings.js';
import type { HuggingChatUpstream } from './huggingchat-upstream.js';

/** A listed model: its id and whether it accepts images. */
export interface ListedModel {
  id: string;
  multimodal: boolean;
}

const listTimeoutMs = 15_000;
/** After a failed listing, ask again this soon rather than after the whole cache time. */
const retryListingAfterMs = 30_000;

function catalogFrom(settings: HuggingChatSettings, listed: readonly ListedModel[]) {
  const textModels = settings.models ?? listed.map((model) => model.id);
  const visionModels =
    settings.visionModels ??
    listed
      .filter((model) => model.multimodal && textModels.includes(model.id))
      .map((model) => model.id);
  const defaultTextModel = settings.defaultModel ?? textModels[0];
  const defaultVisionModel = settings.defaultVisionModel ?? visionModels[0];
  const catalog: ModelCatalog = {
    textModels,
    imageModels: [],
    visionModels,
    ...(defaultTextModel === undefined ? {} : { defaultTextModel }),
    ...(defaultVisionModel === undefined ? {} : { defaultVisionModel }),
    aliases: { ...huggingChatAliases, ...settings.aliases },
  };
  return catalog;
}

const fallbackList: ListedModel[] = fallbackTextModels.map((id) => ({
  id,
  multimodal: fallbackVisionModels.includes(id),
}));

/**
 * The instance's catalog: the configured lists when given, else the upstream's model
 * list (`/api/v2/models` on current chat-ui, `/api/models` on older), cached. An
 * unreachable upstream gives the fallback list, and is asked again soon.
 */
export class HuggingChatModels {
  private cached: { catalog: ModelCatalog; expiresAt: number } | undefined;
  private pending: Promise<ModelCatalog> | undefined;

  constructor(
    private readonly upstream: HuggingChatUpstream,
    private readonly settings: HuggingChatSettings,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    if (settings.models !== undefined && settings.visionModels !== undefined) {
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
    this.pending ??= this.refresh(options).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async refresh(options: CallOptions): Promise<ModelCatalog> {
    try {
      const catalog = catalogFrom(this.settings, await this.list(options));
      this.cached = { catalog, expiresAt: this.now() + this.settings.modelsCacheMs };
      return catalog;
    } catch (error) {
      if (options.signal.aborted) throw error;
      this.logger.warn(
        { provider: this.upstream.id, error: String(error) },
        'could not list the HuggingChat models; using the fallback list',
      );
      const catalog = catalogFrom(this.settings, fallbackList);
      this.cached = { catalog, expiresAt: this.now() + retryListingAfterMs };
      return catalog;
    }
  }

  private async list(options: CallOptions): Promise<ListedModel[]> {
    const call = { signal: options.signal, timeoutMs: listTimeoutMs };
    const current = await this.upstream.request({ path: '/api/v2/models', ...call });
    let models: unknown;
    if (current.status === 404) {
      await current.dispose();
      const older = await this.upstream.request({ path: '/api/models', ...call });
      await this.upstream.ensureOk(older);
      models = this.upstream.parseJson(await older.text(), 'a model list');
    } else {
      await this.upstream.ensureOk(current);
      const body = this.upstream.parseJson(await current.text(), 'a model list');
      models = this.upstream.validate(superjsonSchema, body, 'model list').json;
    }
    const listed = this.upstream
      .validate(modelListSchema, models, 'model list')
      .filter((model) => model.unlisted !== true)
      .map((model) => ({ id: model.id, multimodal: model.multimodal === true }));
    if (listed.length === 0) throw new Error('the upstream lists no models');
    return listed;
  }
}
