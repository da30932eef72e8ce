import type { Logger } from '../../core/logger.js';
import type { ModelCatalog } from '../../core/model-catalog.js';
import { CachedCatalog } from '../cached-catalog.js';
import { modelListSchema } from './openai-compatible-api.js';
import type { OpenAICompatibleSettings } from './openai-compatible-settings.js';
import type { OpenAICompatibleUpstream } from './openai-compatible-upstream.js';

// `/models` does not say what a model does; these names are image models at OpenAI and
// on the common self-hosted servers.
const imageModelPattern = /dall-e|gpt-image|flux|stable-diffusion|sdxl|imagen/i;
const listTimeoutMs = 10_000;

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
export class OpenAICompatibleModels extends CachedCatalog {
  constructor(
    upstream: OpenAICompatibleUpstream,
    settings: OpenAICompatibleSettings,
    logger: Logger,
    now: () => number = Date.now,
  ) {
    const configured = catalogFrom(settings, []);
    super({
      list: async (options) => {
        const response = await upstream.get('/models', {
          ...options,
          timeoutMs: listTimeoutMs,
        });
        const body = modelListSchema.parse(await response.json());
        return catalogFrom(
          settings,
          body.data.map((model) => model.id),
        );
      },
      fallback: () => configured,
      fixed:
        settings.models !== undefined && settings.imageModels !== undefined
          ? configured
          : undefined,
      ttlMs: settings.modelsCacheMs,
      provider: upstream.id,
      logger,
      now,
    });
  }
}
