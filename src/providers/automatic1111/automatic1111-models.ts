import type { Logger } from '../../core/logger.js';
import { imageCatalog } from '../../core/model-catalog.js';
import { CachedCatalog } from '../cached-catalog.js';
import { sdModelsResponseSchema } from './automatic1111-api.js';
import type { Automatic1111Settings } from './automatic1111-settings.js';
import type { Automatic1111Upstream } from './automatic1111-upstream.js';

const listTimeoutMs = 10_000;

/**
 * The instance's checkpoints: the configured `models` when given, else the server's
 * `/sdapi/v1/sd-models` by name (`v1-5-pruned-emaonly`), with each full title
 * (`v1-5-pruned-emaonly.safetensors [6ce0161689]`) as an alias. An unreachable server
 * gives an empty catalog for a short while, so routing goes on without it.
 */
export class Automatic1111Models extends CachedCatalog {
  constructor(
    upstream: Automatic1111Upstream,
    settings: Automatic1111Settings,
    logger: Logger,
    now: () => number = Date.now,
  ) {
    super({
      list: async (options) => {
        const response = await upstream.get('/sd-models', {
          signal: options.signal,
          timeoutMs: listTimeoutMs,
        });
        const listed = await upstream.read(
          response,
          sdModelsResponseSchema,
          'model list',
        );
        const titles = Object.fromEntries(
          listed
            .filter((model) => model.title !== model.model_name)
            .map((model) => [model.title, model.model_name]),
        );
        return imageCatalog(
          listed.map((model) => model.model_name),
          { ...titles, ...settings.aliases },
        );
      },
      // Unreachable: no checkpoints until the next try, so routing goes on without it.
      fallback: () => imageCatalog([], settings.aliases),
      fixed:
        settings.models === undefined
          ? undefined
          : imageCatalog(settings.models, settings.aliases),
      ttlMs: settings.modelsCacheMs,
      provider: upstream.id,
      logger,
      now,
    });
  }
}
