import type { Context } from 'hono';
import { ModelNotFoundError } from '../../core/errors.js';
import type { ModelListing } from '../../router/router.js';
import { requestSignal } from '../request-signal.js';
import type { ServerDependencies } from '../server-dependencies.js';

// Models have no creation date here; a fixed one keeps answers stable between calls.
const created = 1_735_689_600;

function modelObject(listing: ModelListing) {
  return {
    id: listing.id,
    object: 'model',
    created,
    owned_by: listing.providers.join(','),
    kind: listing.kind,
  };
}

/** `GET /v1/models` and `GET /v1/models/{id}` as OpenAI lists them. */
export function modelsRoutes(dependencies: ServerDependencies) {
  return {
    list: async (context: Context) => {
      const models = await dependencies.listModels({
        signal: requestSignal(context).signal,
      });
      return context.json({ object: 'list', data: models.map(modelObject) });
    },
    retrieve: async (context: Context) => {
      const id = context.req.param('id') ?? '';
      const models = await dependencies.listModels({
        signal: requestSignal(context).signal,
      });
      const listing = models.find((model) => model.id === id);
      if (listing === undefined) {
        throw new ModelNotFoundError(id, [...new Set(models.map((model) => model.id))]);
      }
      return context.json(modelObject(listing));
    },
  };
}
