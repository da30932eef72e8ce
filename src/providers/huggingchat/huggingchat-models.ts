import type { Logger } from '../../core/logger.js';
import type { ModelCatalog } from '../../core/model-catalog.js';
import { CachedCatalog } from '../cached-catalog.js';
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

/** The upstream's models: `/api/v2/models` on current chat-ui, `/api/models` on older. */
async function listModels(
  upstream: HuggingChatUpstream,
  options: CallOptions,
): Promise<ListedModel[]> {
  const call = { signal: options.signal, timeoutMs: listTimeoutMs };
  const current = await upstream.request({ path: '/api/v2/models', ...call });
  let models: unknown;
  if (current.status === 404) {
    await current.dispose();
    const older = await upstream.request({ path: '/api/models', ...call });
    await upstream.ensureOk(older);
    models = upstream.parseJson(await older.text(), 'a model list');
  } else {
    await upstream.ensureOk(current);
    const body = upstream.parseJson(await current.text(), 'a model list');
    models = upstream.validate(superjsonSchema, body, 'model list').json;
  }
  const listed = upstream
    .validate(modelListSchema, models, 'model list')
    .filter((model) => model.unlisted !== true)
    .map((model) => ({ id: model.id, multimodal: model.multimodal === true }));
  if (listed.length === 0) throw new Error('the upstream lists no models');
  return listed;
}

/**
 * The instance's catalog: the configured lists when given, else the upstream's model
 * list (`/api/v2/models` on current chat-ui, `/api/models` on older), cached. An
 * unreachable upstream gives the fallback list, and is asked again soon.
 */
export class HuggingChatModels extends CachedCatalog {
  constructor(
    upstream: HuggingChatUpstream,
    settings: HuggingChatSettings,
    logger: Logger,
    now: () => number = Date.now,
  ) {
    super({
      list: async (options) => catalogFrom(settings, await listModels(upstream, options)),
      fallback: () => catalogFrom(settings, fallbackList),
      fixed:
        settings.models !== undefined && settings.visionModels !== undefined
          ? catalogFrom(settings, [])
          : undefined,
      ttlMs: settings.modelsCacheMs,
      provider: upstream.id,
      logger,
      now,
    });
  }
}
